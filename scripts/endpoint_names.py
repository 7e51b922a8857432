"""Hand-chosen names for the endpoint table; ``scripts/build_endpoints.py`` reads them.

Everything here is a choice a person made: which spec files are in scope,
how their paths are split into resource groups, and the names the automatic
rules would get wrong. The rules themselves (verbs from the HTTP method, nouns
from the path) live in the builder.
"""

from __future__ import annotations

# Storefront files are out of scope, except the one the seed's pricing_v3 group uses:
# POST /v3/pricing/products is served by the store API with the access token.
INCLUDED_STOREFRONT_FILES = frozenset({"pricing.sf.yml"})

# Spec file -> resource group. A file's paths can be split further by PATH_GROUPS.
FILE_GROUPS: dict[str, str] = {
    "abandoned_cart_emails.v3.yaml": "abandoned_cart_emails_v3",
    "abandoned_carts.v3.yml": "abandoned_carts_v3",
    "accepted-methods_payments.v3.yml": "payment_methods_v3",
    "access-tokens_payments.v3.yml": "payment_access_tokens_v3",
    "brands_catalog.v3.yml": "brands_v3",
    "carts.v3.yml": "carts_v3",
    "categories_catalog.v3.yml": "categories_v3",
    "category-trees_catalog.v3.yml": "category_trees_v3",
    "channels.v3.yml": "channels_v3",
    "checkouts.v3.yml": "checkouts_v3",
    "currencies.v2.yml": "currencies_v2",
    "custom-template-associations.v3.yml": "custom_template_associations_v3",
    "customers.v2.yml": "customers_v2",
    "customers.v3.yml": "customers_v3",
    "email_templates.v3.yml": "email_templates_v3",
    "geography.v2.yml": "geography_v2",
    "infrastructure_hosting.v3.yml": "hosting_v3",
    "inventory.v3.yml": "inventory_v3",
    "locations.v3.yml": "locations_v3",
    "marketing.v2.yml": "marketing_v2",
    "methods_payments.v2.yml": "payment_methods_v2",
    "orders.v2.oas2.yml": "orders_v2",
    "orders.v3.yml": "orders_v3",
    "page-widgets.v3.yml": "page_widgets_v3",
    "pages.v3.yml": "pages_v3",
    "pickup.v3.yml": "pickups_v3",
    "pickup_methods.v3.yml": "pickup_methods_v3",
    "pickup_options.v3.yml": "pickup_options_v3",
    "price_lists.v3.yml": "price_lists_v3",
    "pricing.sf.yml": "pricing_v3",
    "product-modifiers_catalog.v3.yml": "product_modifiers_v3",
    "product-variant-options_catalog.v3.yml": "product_options_v3",
    "product-variants_catalog.v3.yml": "product_variants_v3",
    "products_catalog.v3.yml": "products_v3",
    "promotion_settings.v3.yml": "promotion_settings_v3",
    "promotions.v3.yml": "promotions_v3",
    "redirects.v3.yml": "redirects_v3",
    "scripts.v3.yml": "scripts_v3",
    "segments.v3.yml": "segments_v3",
    "settings.v3.yml": "settings_v3",
    "shipping.v2.yml": "shipping_v2",
    "shipping.v3.yml": "shipping_v3",
    "sites.v3.yml": "sites_v3",
    "store_content.v2.yml": "store_content_v2",
    "store_information.v2.yml": "store_information_v2",
    "store_information.v3.yml": "store_information_v3",
    "store_logs.v3.yml": "store_logs_v3",
    "storefront_tokens.v3.yml": "storefront_tokens_v3",
    "subscribers.v3.yml": "subscribers_v3",
    "tax.v3.yml": "tax_providers_v3",
    "tax_classes.v2.yml": "tax_classes_v2",
    "tax_classes.v3.yaml": "tax_classes_v3",
    "tax_customers.v3.yml": "tax_customers_v3",
    "tax_properties.v3.yml": "tax_properties_v3",
    "tax_rates_zones.v3.yml": "tax_zones_v3",
    "tax_settings.v3.yml": "tax_settings_v3",
    "tax_zone_check.v3.yml": "tax_zone_check_v3",
    "themes.v3.yml": "themes_v3",
    "webhooks.v3.yml": "webhooks_v3",
    "widgets.v3.yml": "widgets_v3",
    "wishlists.v3.yml": "wishlists_v3",
}

# (file, path prefix, group): paths of a file that form a group of their own.
# The longest matching prefix wins; its own path is the group's base path.
PATH_GROUPS: list[tuple[str, str, str]] = [
    ("customers.v2.yml", "/customer_groups", "customer_groups_v2"),
    ("orders.v3.yml", "/orders/{order_id}/transactions", "order_transactions_v3"),
    ("orders.v3.yml", "/orders/{order_id}/metafields", "order_metafields_v3"),
    ("orders.v3.yml", "/orders/metafields", "order_metafields_v3"),
    ("tax_rates_zones.v3.yml", "/tax/rates", "tax_rates_v3"),
    ("tax_rates_zones.v3.yml", "/tax/zones", "tax_zones_v3"),
    ("marketing.v2.yml", "/coupons", "coupons_v2"),
    ("marketing.v2.yml", "/gift_certificates", "gift_certificates_v2"),
    ("marketing.v2.yml", "/banners", "banners_v2"),
    ("store_content.v2.yml", "/blog", "blog_v2"),
    ("store_content.v2.yml", "/pages", "pages_v2"),
    ("store_content.v2.yml", "/redirects", "redirects_v2"),
    ("geography.v2.yml", "/countries", "countries_v2"),
    ("segments.v3.yml", "/shopper-profiles", "shopper_profiles_v3"),
    ("customers.v3.yml", "/customers/consent", "customers_v3"),
]

# Where a group's method names start from, when the common prefix of its paths
# is not it (a group whose batch endpoints live elsewhere).
GROUP_BASES: dict[str, str] = {
    "product_variants_v3": "/catalog/products/{product_id}/variants",
    "product_modifiers_v3": "/catalog/products/{product_id}/modifiers",
    "product_options_v3": "/catalog/products/{product_id}/options",
    "orders_v3": "/orders/{order_id}",
    "products_v3": "/catalog/products",
    "categories_v3": "/catalog/categories",
    "brands_v3": "/catalog/brands",
    "customers_v3": "/customers",
    "customer_groups_v2": "/customer_groups",
    "orders_v2": "/orders",
    "order_metafields_v3": "/orders/{order_id}/metafields",
    "settings_v3": "/settings",
    "carts_v3": "/carts",
    "checkouts_v3": "/checkouts",
    "channels_v3": "/channels",
    "shipping_v2": "/shipping",
    "price_lists_v3": "/pricelists",
    "sites_v3": "/sites",
    "widgets_v3": "/content",
    "themes_v3": "/themes",
    "wishlists_v3": "/wishlists",
    "promotions_v3": "/promotions",
    "segments_v3": "/segments",
    "inventory_v3": "/inventory",
    "locations_v3": "/inventory/locations",
    "redirects_v3": "/storefront/redirects",
    "category_trees_v3": "/catalog/trees",
    "store_information_v3": "/store",
    "tax_properties_v3": "/tax",
    "abandoned_carts_v3": "/abandoned-carts",
}

# operationId -> method name, where the rules' name is wrong or unclear.
# The seed's 12 groups are pinned here to the names bigc 1.1.0 has.
METHOD_NAMES: dict[tuple[str, str], str] = {
    ("carts_v3", "addCartLineItems"): "add_line_items",
    ("carts_v3", "updateCartLineItem"): "update_line_item",
    ("carts_v3", "deleteCartLineItem"): "delete_line_item",
    ("carts_v3", "createCartRedirectURL"): "create_redirect_url",
    ("checkouts_v3", "addCheckoutBillingAddress"): "add_billing_address",
    ("checkouts_v3", "updateCheckoutBillingAddress"): "update_billing_address",
    ("checkouts_v3", "addCheckoutConsignment"): "add_consignments",
    ("checkouts_v3", "updateCheckoutConsignment"): "update_consignment",
    ("checkouts_v3", "deleteCheckoutConsignment"): "delete_consignment",
    ("checkouts_v3", "addCheckoutCoupon"): "add_coupon",
    ("checkouts_v3", "deleteCheckoutCoupon"): "delete_coupon",
    ("checkouts_v3", "addCheckoutDiscount"): "add_discounts",
    ("checkouts_v3", "createOrder"): "create_order",
    ("customers_v3", "getCustomers"): "all",
    ("customers_v3", "createCustomers"): "create_many",
    ("customers_v3", "updateCustomers"): "update_many",
    ("customers_v3", "deleteCustomers"): "delete_many",
    ("customers_v3", "updateCustomerFormFieldValues"): "update_form_fields",
    ("customers_v3", "getCustomersAddresses"): "all_addresses",
    ("customers_v3", "createCustomersAddresses"): "create_addresses",
    ("customers_v3", "updateCustomersAddresses"): "update_addresses",
    ("customers_v3", "deleteCustomersAddresses"): "delete_addresses",
    ("orders_v2", "getOrderShippingAddress"): "get_shipping_address",
    ("orders_v2", "updateOrderShippingAddress"): "update_shipping_address",
    ("orders_v2", "createOrderShipments"): "create_shipment",
    ("orders_v3", "createOrderRefundQuotes"): "get_refund_quote",
    ("orders_v3", "createOrderRefund"): "create_refund",
    ("orders_v3", "getOrderRefunds"): "all_order_refunds",
    ("orders_v3", "getOrdersRefunds"): "all_store_refunds",
    ("orders_v3", "getOrderRefund"): "get_refund_by_id",
    ("orders_v3", "captureOrderPayment"): "capture_payment",
    ("orders_v3", "voidOrderPayment"): "void_payment",
    ("pricing_v3", "getPrices"): "get_pricing",
    # names the rules cannot guess: actions rather than resources
    ("customers_v3", "validateCustomerCredentials"): "validate_credentials",
    ("customers_v2", "validateCustomerPassword"): "validate_password",
    ("themes_v3", "activateStoreTheme"): "activate",
    ("themes_v3", "downloadStoreTheme"): "download",
    ("themes_v3", "validateThemeConfiguration"): "validate_configuration",
    ("promotions_v3", "generatePromotionCodesBatch"): "generate_codes",
    ("orders_v2", "getOrderConsignmentShippingQuotes"): "all_consignment_shipping_quotes",
    ("orders_v2", "getOrderShippingAddressShippingQuotes"): "all_shipping_quotes",
    ("inventory_v3", "post-relative-adjustment"): "adjust_relative",
    ("inventory_v3", "put-absolute-adjustment"): "adjust_absolute",
    ("redirects_v3", "createRedirectExportJob"): "create_export_job",
    ("redirects_v3", "createRedirectImportJob"): "create_import_job",
    ("redirects_v3", "getRedirectExportDownload"): "download_export",
    ("redirects_v3", "getRedirectExportEvents"): "export_events",
    ("redirects_v3", "getRedirectImportEvents"): "import_events",
    ("pages_v3", "updatePages"): "update_many",
    ("price_lists_v3", "getPriceListRecordsByVariantId"): "all_variant_records",
    ("tax_zone_check_v3", "zone-check"): "check",
}

# (group, method) -> path parameter names, where the spec's names are not 1.1.0's.
PARAM_NAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("orders_v2", "get_shipping_address"): ("order_id", "address_id"),
    ("orders_v2", "update_shipping_address"): ("order_id", "address_id"),
}

# (group, operationId) -> result kind, where the spec's answer schema is wrong.
RESULTS: dict[tuple[str, str], str] = {
    # data is documented as one rule / one metafield; the endpoints answer a list
    ("products_v3", "getAllBulkPricingRules"): "unpaged",
    ("carts_v3", "getCartMetafields"): "unpaged",
}

# Seed operations answered with v3's ``data`` envelope though the spec shows none.
ENVELOPED = frozenset({("carts_v3", "deleteCartLineItem")})

# POSTs that change nothing and so may be retried like a GET.
READ_ONLY_POSTS = frozenset({"createOrderRefundQuotes", "getPrices"})

# group -> hand-written mixins (module in src/bigc/_async/resources, class), put
# before the generated base: methods that are more than one table row, such as
# ("_webhook_extras", "AsyncWebhookExtras") for webhooks_v3.
MIXINS: dict[str, list[tuple[str, str]]] = {
    "webhooks_v3": [("_webhook_extras", "AsyncWebhookExtras")],
}
