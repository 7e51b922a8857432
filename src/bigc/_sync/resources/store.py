# Generated from bigc/_async/resources/store.py by scripts/unasync.py: edit that file instead.
"""Store-wide resource groups: currencies, customer groups, pricing and webhooks."""

from __future__ import annotations

from bigc._models import TimeoutTypes
from bigc._responses import expect_list

from .._api import V2API, V3API
from ._base import JSON, Crud, Group, Params, Readable
from ._webhook_extras import WebhookExtras

__all__ = ["CurrenciesV2", "CustomerGroupsV2", "PricingV3", "WebhooksV3"]


class CurrenciesV2(Readable[V2API]):
    """Currencies: ``/v2/currencies`` (read-only here)."""

    path = "/currencies"


class CustomerGroupsV2(Crud[V2API]):
    """Customer groups: ``/v2/customer_groups``."""

    path = "/customer_groups"


class WebhooksV3(WebhookExtras, Crud[V3API]):
    """Webhooks: ``/v3/hooks``."""

    path = "/hooks"


class PricingV3(Group[V3API]):
    """Price calculation: ``POST /v3/pricing/products``."""

    def get_pricing(
        self, data: JSON, *, params: Params | None = None, timeout: TimeoutTypes = None
    ) -> list[JSON]:
        """Prices of the products, variants and options in ``data`` for a channel/customer."""
        result = self._call("POST", "/pricing/products", data=data, params=params, timeout=timeout)
        return expect_list(result, "POST /pricing/products")
