"""The exceptions of ``bigc.apps``: one per kind of failure an app must tell apart."""

from __future__ import annotations

from bigc.exceptions import BigCommerceException

__all__ = ["DuplicateDeliveryError", "InvalidCallbackError", "VerificationError"]


class VerificationError(BigCommerceException):
    """A signed payload, a customer JWT or a webhook delivery did not verify.

    Every failure raises this one type: a bad or missing signature, a wrong
    algorithm (``none``, HS512), audience or issuer, an expired or
    not-yet-valid token, a stale or future webhook timestamp, a body that is
    not what BigCommerce sends. The message says which; it never holds a secret.
    """

    default_message = "The request did not come from BigCommerce (verification failed)."


class DuplicateDeliveryError(VerificationError):
    """A correctly signed webhook whose delivery id was already seen.

    BigCommerce may deliver an event more than once; answer it with 200 and
    skip the work. ``delivery_id`` is the repeated ``webhook-id``.
    """

    default_message = "This webhook delivery was already received."

    def __init__(self, delivery_id: str) -> None:
        super().__init__(f"webhook delivery {delivery_id!r} was already received")
        self.delivery_id = delivery_id


class InvalidCallbackError(BigCommerceException, ValueError):
    """The auth callback's query lacks a part BigCommerce always sends, or has it malformed."""

    default_message = "The auth callback query is incomplete."
