"""Building a BigCommerce app: OAuth install, signed callbacks, customer login, webhooks.

Needs the ``apps`` extra (``pip install 'bigc[apps]'``, for PyJWT); ``import bigc``
does not import this module.

>>> from bigc.apps import verify_webhook, verify_signed_payload  # doctest: +SKIP
"""

try:
    import jwt as _jwt  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError("bigc.apps needs PyJWT: pip install 'bigc[apps]'") from exc

from bigc._async._oauth import exchange_code as async_exchange_code
from bigc._async._oauth import store_time as async_store_time
from bigc._sync._oauth import exchange_code, store_time
from bigc.apps._errors import DuplicateDeliveryError, InvalidCallbackError, VerificationError
from bigc.apps._jwt import (
    customer_login_token,
    customer_login_url,
    verify_current_customer,
    verify_signed_payload,
)
from bigc.apps._models import (
    AuthCallback,
    CurrentCustomer,
    OAuthToken,
    SignedPayload,
    User,
    WebhookEvent,
)
from bigc.apps._oauth import parse_auth_callback
from bigc.apps._webhooks import DeliveryLog, sign_webhook, verify_webhook, webhook_headers

__all__ = [
    "AuthCallback",
    "CurrentCustomer",
    "DeliveryLog",
    "DuplicateDeliveryError",
    "InvalidCallbackError",
    "OAuthToken",
    "SignedPayload",
    "User",
    "VerificationError",
    "WebhookEvent",
    "async_exchange_code",
    "async_store_time",
    "customer_login_token",
    "customer_login_url",
    "exchange_code",
    "parse_auth_callback",
    "sign_webhook",
    "store_time",
    "verify_current_customer",
    "verify_signed_payload",
    "verify_webhook",
    "webhook_headers",
]
