"""Constants from the BigCommerce API."""

from bigc.data.order_status import BigCommerceOrderStatus

__all__ = ["BigCommerceOrderStatus"]
