"""The resource methods of bigc 1.1.0: recorded by scripts/record_bigc110.py."""

from __future__ import annotations

# (group, method): (positional parameters, how many are required, keyword-only options)
# fmt: off
SIGNATURES: dict[tuple[str, str], tuple[tuple[str, ...], int, tuple[str, ...]]] = {
    ("carts_v3", "add_line_items"):
        (("cart_id", "data"), 2, ("params", "timeout")),
    ("carts_v3", "create"):
        (("data",), 1, ("params", "timeout")),
    ("carts_v3", "create_redirect_url"):
        (("cart_id",), 1, ("params", "timeout")),
    ("carts_v3", "delete"):
        (("cart_id",), 1, ("timeout", "retries")),
    ("carts_v3", "delete_line_item"):
        (("cart_id", "item_id"), 2, ("params", "timeout", "retries")),
    ("carts_v3", "get"):
        (("cart_id",), 1, ("params", "timeout", "retries")),
    ("carts_v3", "update"):
        (("cart_id", "data"), 2, ("params", "timeout", "retries")),
    ("carts_v3", "update_line_item"):
        (("cart_id", "item_id", "data"), 3, ("params", "timeout", "retries")),
    ("categories_v3", "all"):
        ((), 0, ("params", "timeout", "retries")),
    ("categories_v3", "create"):
        (("data",), 1, ("timeout",)),
    ("categories_v3", "delete"):
        (("category_id",), 1, ("timeout", "retries")),
    ("categories_v3", "get"):
        (("category_id",), 1, ("timeout", "retries")),
    ("categories_v3", "update"):
        (("category_id", "data"), 2, ("timeout", "retries")),
    ("checkouts_v3", "add_billing_address"):
        (("checkout_id", "data"), 2, ("params", "timeout")),
    ("checkouts_v3", "add_consignments"):
        (("checkout_id", "data"), 2, ("params", "timeout")),
    ("checkouts_v3", "add_coupon"):
        (("checkout_id", "data"), 2, ("params", "timeout")),
    ("checkouts_v3", "add_discounts"):
        (("checkout_id", "data"), 2, ("params", "timeout")),
    ("checkouts_v3", "create_order"):
        (("checkout_id",), 1, ("params", "timeout")),
    ("checkouts_v3", "delete_consignment"):
        (("checkout_id", "consignment_id"), 2, ("params", "timeout", "retries")),
    ("checkouts_v3", "delete_coupon"):
        (("checkout_id", "coupon_code"), 2, ("params", "timeout", "retries")),
    ("checkouts_v3", "get"):
        (("checkout_id",), 1, ("params", "timeout", "retries")),
    ("checkouts_v3", "update"):
        (("checkout_id", "data"), 2, ("params", "timeout", "retries")),
    ("checkouts_v3", "update_billing_address"):
        (("checkout_id", "address_id", "data"), 3, ("params", "timeout", "retries")),
    ("checkouts_v3", "update_consignment"):
        (("checkout_id", "consignment_id", "data"), 3, ("params", "timeout", "retries")),
    ("currencies_v2", "all"):
        ((), 0, ("params", "timeout", "retries")),
    ("currencies_v2", "get"):
        (("currency_id",), 1, ("params", "timeout", "retries")),
    ("customer_groups_v2", "all"):
        ((), 0, ("params", "timeout", "retries")),
    ("customer_groups_v2", "create"):
        (("data",), 1, ("timeout",)),
    ("customer_groups_v2", "delete"):
        (("customer_group_id",), 1, ("timeout", "retries")),
    ("customer_groups_v2", "get"):
        (("customer_group_id",), 1, ("params", "timeout", "retries")),
    ("customer_groups_v2", "update"):
        (("customer_group_id", "data"), 2, ("timeout", "retries")),
    ("customers_v3", "all"):
        ((), 0, ("params", "timeout", "retries")),
    ("customers_v3", "all_addresses"):
        ((), 0, ("params", "timeout", "retries")),
    ("customers_v3", "create"):
        (("data",), 1, ("timeout",)),
    ("customers_v3", "create_address"):
        (("data",), 1, ("timeout",)),
    ("customers_v3", "create_addresses"):
        (("data",), 1, ("timeout",)),
    ("customers_v3", "create_many"):
        (("data",), 1, ("timeout",)),
    ("customers_v3", "delete"):
        (("customer_id",), 1, ("params", "timeout", "retries")),
    ("customers_v3", "delete_address"):
        (("address_id",), 1, ("params", "timeout", "retries")),
    ("customers_v3", "delete_addresses"):
        ((), 0, ("params", "timeout", "retries")),
    ("customers_v3", "delete_many"):
        ((), 0, ("params", "timeout", "retries")),
    ("customers_v3", "get"):
        (("customer_id",), 1, ("params", "timeout", "retries")),
    ("customers_v3", "get_address"):
        (("address_id",), 1, ("params", "timeout", "retries")),
    ("customers_v3", "update"):
        (("customer_id", "data"), 2, ("timeout", "retries")),
    ("customers_v3", "update_address"):
        (("address_id", "data"), 2, ("timeout", "retries")),
    ("customers_v3", "update_addresses"):
        (("data",), 1, ("timeout", "retries")),
    ("customers_v3", "update_form_field"):
        (("customer_id", "data"), 2, ("timeout", "retries")),
    ("customers_v3", "update_form_fields"):
        (("data",), 1, ("timeout", "retries")),
    ("customers_v3", "update_many"):
        (("data",), 1, ("timeout", "retries")),
    ("orders_v2", "all"):
        ((), 0, ("params", "timeout", "retries")),
    ("orders_v2", "all_coupons"):
        (("order_id",), 1, ("params", "timeout", "retries")),
    ("orders_v2", "all_products"):
        (("order_id",), 1, ("params", "timeout", "retries")),
    ("orders_v2", "all_shipments"):
        (("order_id",), 1, ("params", "timeout", "retries")),
    ("orders_v2", "all_shipping_addresses"):
        (("order_id",), 1, ("params", "timeout", "retries")),
    ("orders_v2", "archive"):
        (("order_id",), 1, ("timeout", "retries")),
    ("orders_v2", "create"):
        (("data",), 1, ("params", "timeout")),
    ("orders_v2", "create_shipment"):
        (("order_id", "data"), 2, ("timeout",)),
    ("orders_v2", "delete_shipment"):
        (("order_id", "shipment_id"), 2, ("timeout", "retries")),
    ("orders_v2", "get"):
        (("order_id",), 1, ("params", "timeout", "retries")),
    ("orders_v2", "get_product"):
        (("order_id", "product_id"), 2, ("timeout", "retries")),
    ("orders_v2", "get_shipment"):
        (("order_id", "shipment_id"), 2, ("timeout", "retries")),
    ("orders_v2", "get_shipping_address"):
        (("order_id", "address_id"), 2, ("timeout", "retries")),
    ("orders_v2", "update"):
        (("order_id", "data"), 2, ("timeout", "retries")),
    ("orders_v2", "update_shipment"):
        (("order_id", "shipment_id", "data"), 3, ("timeout", "retries")),
    ("orders_v2", "update_shipping_address"):
        (("order_id", "address_id", "data"), 3, ("timeout", "retries")),
    ("orders_v3", "all_refunds"):
        (("order_id",), 0, ("params", "timeout", "retries")),
    ("orders_v3", "create_refund"):
        (("order_id", "data"), 2, ("params", "timeout")),
    ("orders_v3", "get_refund"):
        (("refund_id",), 1, ("params", "timeout", "retries")),
    ("orders_v3", "get_refund_quote"):
        (("order_id", "data"), 2, ("timeout", "retries")),
    ("pricing_v3", "get_pricing"):
        (("data",), 1, ("timeout", "retries")),
    ("product_variants_v3", "all"):
        (("product_id",), 1, ("params", "timeout", "retries")),
    ("product_variants_v3", "create"):
        (("product_id", "data"), 2, ("timeout",)),
    ("product_variants_v3", "delete"):
        (("product_id", "variant_id"), 2, ("timeout", "retries")),
    ("product_variants_v3", "get"):
        (("product_id", "variant_id"), 2, ("params", "timeout", "retries")),
    ("product_variants_v3", "update"):
        (("product_id", "variant_id", "data"), 3, ("timeout", "retries")),
    ("products_v3", "all"):
        ((), 0, ("params", "timeout", "retries")),
    ("products_v3", "create"):
        (("data",), 1, ("params", "timeout")),
    ("products_v3", "delete"):
        (("product_id",), 1, ("timeout", "retries")),
    ("products_v3", "get"):
        (("product_id",), 1, ("params", "timeout", "retries")),
    ("products_v3", "update"):
        (("product_id", "data"), 2, ("params", "timeout", "retries")),
    ("webhooks_v3", "all"):
        ((), 0, ("params", "timeout", "retries")),
    ("webhooks_v3", "create"):
        (("data",), 1, ("params", "timeout")),
    ("webhooks_v3", "delete"):
        (("webhook_id",), 1, ("timeout", "retries")),
    ("webhooks_v3", "get"):
        (("webhook_id",), 1, ("timeout", "retries")),
    ("webhooks_v3", "update"):
        (("webhook_id", "data"), 2, ("params", "timeout", "retries")),
}
# fmt: on

SEED_METHODS = frozenset(SIGNATURES)
