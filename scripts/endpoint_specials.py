"""The seed's methods that are not one request of their own, as rows of the table.

BigCommerce's v3 customer API has only list and batch endpoints; the seed (and
bigc 1.1.0) offer single-item forms on top of them. Each is a named kind of
row (see :class:`bigc._endpoints.Endpoint`) over the operation it sends.
"""

from __future__ import annotations

from typing import NamedTuple


class Special(NamedTuple):
    group: str
    method: str
    operation_id: str  # the operation it sends
    kind: str
    args: tuple[str, ...]
    detail: str = ""
    result: str = ""  # "" keeps the operation's
    body: str = ""
    retryable: bool | None = None
    summary: str = ""


# fmt: off
SPECIALS: list[Special] = [
    Special("customers_v3", "get", "getCustomers", "find", ("customer_id",), "customer", "object"),
    Special("customers_v3", "create", "createCustomers", "batch_one", (), "", "object"),
    Special(
        "customers_v3", "update", "updateCustomers", "batch_one", ("customer_id",), "id",
        "object",
    ),
    Special("customers_v3", "delete", "deleteCustomers", "delete_one", ("customer_id",)),
    Special("customers_v3", "delete_many", "deleteCustomers", "delete_ids", ("customer_ids",)),
    Special(
        "customers_v3", "delete_addresses", "deleteCustomersAddresses", "delete_ids",
        ("address_ids",),
    ),
    Special(
        "customers_v3", "update_form_field", "updateCustomerFormFieldValues", "batch_one",
        ("customer_id",), "customer_id", "object",
    ),
    Special(
        "customers_v3", "get_address", "getCustomersAddresses", "find", ("address_id",),
        "customer address", "object",
    ),
    Special(
        "customers_v3", "create_address", "createCustomersAddresses", "batch_one", (), "",
        "object",
    ),
    Special(
        "customers_v3", "update_address", "updateCustomersAddresses", "batch_one",
        ("address_id",), "id", "object",
    ),
    Special(
        "customers_v3", "delete_address", "deleteCustomersAddresses", "delete_one", ("address_id",)
    ),
    Special(
        "orders_v3", "get_refund", "getOrdersRefunds", "find", ("refund_id",), "refund", "object"
    ),
    Special(
        "orders_v3", "all_refunds", "getOrderRefunds", "either", ("order_id",), "all_store_refunds"
    ),
    Special("orders_v2", "archive", "deleteOrder", "request", ("order_id",)),
    Special(
        "checkouts_v3", "add_coupon", "addCheckoutCoupon", "request", ("checkout_id",),
        "coupon_code",
    ),
]
# fmt: on
