//! Every GraphQL document shopsync sends to Shopify, each in its own `.graphql` file beside this
//! one (with the fragment file it uses, if any). A test validates all of them against Shopify's
//! published 2026-10 schema.

/// A named GraphQL document.
#[derive(Debug, Clone, Copy)]
pub struct Document {
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! document {
    ($const:ident, $file:literal) => {
        pub const $const: Document = Document {
            name: $file,
            text: include_str!(concat!("graphql/", $file)),
        };
    };
    // A document that uses fragments kept in their own files, shared by several documents.
    ($const:ident, $file:literal $(, $fragment:literal)+) => {
        pub const $const: Document = Document {
            name: $file,
            text: concat!(
                include_str!(concat!("graphql/", $file))
                $(, include_str!(concat!("graphql/", $fragment)))+
            ),
        };
    };
}

document!(SHOP, "shop.graphql");
document!(STORE_COUNTS, "store_counts.graphql");
document!(
    CUSTOMERS_PAGE,
    "customers_page.graphql",
    "customer_fields.graphql"
);
document!(
    PRODUCTS_PAGE,
    "products_page.graphql",
    "product_fields.graphql"
);
document!(ORDERS_PAGE, "orders_page.graphql", "order_fields.graphql");
document!(
    ABANDONED_CHECKOUTS_PAGE,
    "abandoned_checkouts_page.graphql",
    "abandoned_checkout_fields.graphql"
);
document!(DELETION_EVENTS, "deletion_events.graphql");
document!(BULK_RUN_QUERY, "bulk_run_query.graphql");
document!(BULK_OPERATION, "bulk_operation.graphql");
document!(BULK_CUSTOMERS, "bulk_customers.graphql");
document!(BULK_PRODUCTS, "bulk_products.graphql");
document!(BULK_ORDERS, "bulk_orders.graphql");
document!(
    CUSTOMERS_BY_IDS,
    "customers_by_ids.graphql",
    "customer_fields.graphql"
);
document!(
    PRODUCTS_BY_IDS,
    "products_by_ids.graphql",
    "product_fields.graphql"
);
document!(
    ORDERS_BY_IDS,
    "orders_by_ids.graphql",
    "order_fields.graphql"
);
document!(
    CHECKOUTS_BY_IDS,
    "checkouts_by_ids.graphql",
    "abandoned_checkout_fields.graphql"
);
document!(ORDER_LINE_ITEMS, "order_line_items.graphql");
document!(WEBHOOK_SUBSCRIPTIONS, "webhook_subscriptions.graphql");
document!(WEBHOOK_CREATE, "webhook_subscription_create.graphql");
document!(WEBHOOK_UPDATE, "webhook_subscription_update.graphql");
document!(WEBHOOK_DELETE, "webhook_subscription_delete.graphql");
document!(
    CATALOGUE_PAGE,
    "catalogue_page.graphql",
    "catalogue_product_fields.graphql",
    "catalogue_variant_fields.graphql"
);
document!(
    CATALOGUE_PRODUCT_VARIANTS,
    "catalogue_product_variants.graphql",
    "catalogue_variant_fields.graphql"
);
document!(CATALOGUE_PRODUCT_MEDIA, "catalogue_product_media.graphql");
document!(BULK_CATALOGUE, "bulk_catalogue.graphql");
document!(LOCATIONS, "locations.graphql");
document!(INVENTORY_LEVELS_PAGE, "inventory_levels_page.graphql");
document!(BULK_INVENTORY_LEVELS, "bulk_inventory_levels.graphql");
document!(PRODUCT_SET, "product_set.graphql");
document!(INVENTORY_SET_QUANTITIES, "inventory_set_quantities.graphql");
document!(INVENTORY_ACTIVATE, "inventory_activate.graphql");
document!(PUBLICATIONS, "publications.graphql");
document!(PUBLISHABLE_PUBLISH, "publishable_publish.graphql");
document!(PUBLISHABLE_UNPUBLISH, "publishable_unpublish.graphql");
document!(VARIANTS_BY_SKU, "variants_by_sku.graphql");
document!(SKU_CHECK_VARIANTS, "sku_check_variants.graphql");
document!(SOLD_SKUS_PAGE, "sold_skus_page.graphql");
document!(
    PAID_ORDERS_PAGE,
    "paid_orders_page.graphql",
    "webhook_order_fields.graphql",
    "webhook_line_item_fields.graphql"
);
document!(
    WEBHOOK_ORDER_LINE_ITEMS,
    "webhook_order_line_items.graphql",
    "webhook_line_item_fields.graphql"
);

/// All of them, for the schema test.
pub const ALL: &[Document] = &[
    SHOP,
    STORE_COUNTS,
    CUSTOMERS_PAGE,
    PRODUCTS_PAGE,
    ORDERS_PAGE,
    ABANDONED_CHECKOUTS_PAGE,
    DELETION_EVENTS,
    BULK_RUN_QUERY,
    BULK_OPERATION,
    BULK_CUSTOMERS,
    BULK_PRODUCTS,
    BULK_ORDERS,
    CUSTOMERS_BY_IDS,
    PRODUCTS_BY_IDS,
    ORDERS_BY_IDS,
    CHECKOUTS_BY_IDS,
    ORDER_LINE_ITEMS,
    WEBHOOK_SUBSCRIPTIONS,
    WEBHOOK_CREATE,
    WEBHOOK_UPDATE,
    WEBHOOK_DELETE,
    CATALOGUE_PAGE,
    CATALOGUE_PRODUCT_VARIANTS,
    CATALOGUE_PRODUCT_MEDIA,
    BULK_CATALOGUE,
    LOCATIONS,
    INVENTORY_LEVELS_PAGE,
    BULK_INVENTORY_LEVELS,
    PRODUCT_SET,
    INVENTORY_SET_QUANTITIES,
    INVENTORY_ACTIVATE,
    PUBLICATIONS,
    PUBLISHABLE_PUBLISH,
    PUBLISHABLE_UNPUBLISH,
    VARIANTS_BY_SKU,
    SKU_CHECK_VARIANTS,
    SOLD_SKUS_PAGE,
    PAID_ORDERS_PAGE,
    WEBHOOK_ORDER_LINE_ITEMS,
];
