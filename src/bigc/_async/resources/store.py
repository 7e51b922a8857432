"""Store-wide resource groups: currencies, customer groups, pricing and webhooks."""

from __future__ import annotations

from bigc._models import TimeoutTypes
from bigc._responses import expect_list

from .._api import AsyncV2API, AsyncV3API
from ._base import JSON, AsyncCrud, AsyncGroup, AsyncReadable, Params
from ._webhook_extras import AsyncWebhookExtras

__all__ = ["AsyncCurrenciesV2", "AsyncCustomerGroupsV2", "AsyncPricingV3", "AsyncWebhooksV3"]


class AsyncCurrenciesV2(AsyncReadable[AsyncV2API]):
    """Currencies: ``/v2/currencies`` (read-only here)."""

    path = "/currencies"


class AsyncCustomerGroupsV2(AsyncCrud[AsyncV2API]):
    """Customer groups: ``/v2/customer_groups``."""

    path = "/customer_groups"


class AsyncWebhooksV3(AsyncWebhookExtras, AsyncCrud[AsyncV3API]):
    """Webhooks: ``/v3/hooks``."""

    path = "/hooks"


class AsyncPricingV3(AsyncGroup[AsyncV3API]):
    """Price calculation: ``POST /v3/pricing/products``."""

    async def get_pricing(
        self, data: JSON, *, params: Params | None = None, timeout: TimeoutTypes = None
    ) -> list[JSON]:
        """Prices of the products, variants and options in ``data`` for a channel/customer."""
        result = await self._call(
            "POST", "/pricing/products", data=data, params=params, timeout=timeout
        )
        return expect_list(result, "POST /pricing/products")
