//! The Shopify connector's catalogue side (read for pairing, productSet, inventorySetQuantities)
//! through the real client against the sandbox.

mod common;

use common::{sandbox, SHOPIFY_TOKEN};
use shopsync::config::credentials::Secret;
use shopsync::connectors::shopify::{
    FileSetInput, InventoryItemInput, InventorySet, InventorySetOutcome, OptionSetInput,
    OptionValueSetInput, ProductSetInput, ProductSetInventoryInput, ProductStatus,
    ProductVariantSetInput, QuantityName, ShopifyClient, VariantOptionValueInput,
    REASON_CORRECTION,
};
use shopsync_sandbox::seed::SeedConfig;
use shopsync_sandbox::Faults;

fn client(sb: &common::Sandbox) -> ShopifyClient {
    ShopifyClient::new(
        &sb.shopify_url(),
        "sandbox.myshopify.com",
        Secret::new(SHOPIFY_TOKEN.into()),
    )
}

fn tee(sku: &str, sizes: &[&str], price: &str, location: &str) -> ProductSetInput {
    ProductSetInput {
        title: Some(format!("Tee {sku}")),
        status: Some(ProductStatus::Active),
        product_options: Some(vec![OptionSetInput {
            name: "Size".into(),
            values: sizes
                .iter()
                .map(|s| OptionValueSetInput {
                    name: s.to_string(),
                })
                .collect(),
            ..Default::default()
        }]),
        variants: Some(
            sizes
                .iter()
                .map(|s| ProductVariantSetInput {
                    option_values: vec![VariantOptionValueInput {
                        option_name: "Size".into(),
                        name: s.to_string(),
                    }],
                    sku: Some(format!("{sku}-{s}")),
                    price: Some(price.into()),
                    inventory_item: Some(InventoryItemInput {
                        tracked: Some(true),
                    }),
                    inventory_quantities: Some(vec![ProductSetInventoryInput {
                        location_id: location.into(),
                        name: "available".into(),
                        quantity: 5,
                    }]),
                    ..Default::default()
                })
                .collect(),
        ),
        files: Some(vec![FileSetInput::image_url(
            format!("https://backoffice.example/{sku}.jpg"),
            None,
        )]),
        ..Default::default()
    }
}

#[tokio::test]
async fn catalogue_reads_the_same_by_pages_and_by_bulk_export() {
    let sb = sandbox(|c| {
        c.seed = SeedConfig {
            products: 30,
            ..SeedConfig::default()
        }
    })
    .await;
    let shop = client(&sb);
    let locations = shop.locations().await.unwrap();
    assert_eq!(locations.len(), 2);
    let created = shop
        .product_set(None, &tee("TEE", &["S", "M"], "19.95", &locations[1].id))
        .await
        .unwrap();
    assert!(created.user_errors.is_empty(), "{:?}", created.user_errors);
    let product = created.product.unwrap();
    assert_eq!(product.variants.len(), 2);
    assert_eq!(
        product.images[0].original_url.as_deref(),
        Some("https://backoffice.example/TEE.jpg")
    );

    let paged = shop.catalogue(1_000).await.unwrap();
    assert!(!paged.used_bulk);
    assert_eq!(paged.products.len(), 31);
    let bulk = shop.catalogue(0).await.unwrap();
    assert!(bulk.used_bulk);
    let mut a = paged.products.clone();
    let mut b = bulk.products.clone();
    a.sort_by(|x, y| x.id.cmp(&y.id));
    b.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(a, b, "pages and bulk export read the same catalogue");

    let tee = a.iter().find(|p| p.id == product.id).unwrap();
    assert_eq!(tee.variants[0].sku.as_deref(), Some("TEE-S"));
    assert_eq!(tee.variants[0].price, "19.95");
    assert!(tee.variants[0].tracked);
    assert_eq!(
        tee.variants[0].selected_options,
        vec![("Size".to_string(), "S".to_string())]
    );
    assert_eq!(tee.variants[0].inventory_levels.len(), 1);
    assert_eq!(
        tee.variants[0].inventory_levels[0].location_id,
        locations[1].id
    );
    assert_eq!(tee.variants[0].inventory_levels[0].available, 5);
    // Seeded products are stocked at the first location.
    let seeded = a.iter().find(|p| p.id != product.id).unwrap();
    assert_eq!(
        seeded.variants[0].inventory_levels[0].location_id,
        locations[0].id
    );
}

#[tokio::test]
async fn user_errors_are_data_and_stale_stock_is_one_item_s_outcome() {
    let sb = sandbox(|_| {}).await;
    let shop = client(&sb);
    let locations = shop.locations().await.unwrap();
    let loc = &locations[0].id;
    let mut bad = tee("BAD", &["S"], "19.95", loc);
    bad.variants.as_mut().unwrap()[0].option_values[0].name = "XXL".into();
    let refused = shop.product_set(None, &bad).await.unwrap();
    assert!(refused.product.is_none());
    assert_eq!(
        refused.user_errors[0].code.as_deref(),
        Some("OPTION_VALUE_DOES_NOT_EXIST")
    );
    assert_eq!(
        refused.user_errors[0].field,
        ["input", "variants", "0", "optionValues", "0", "name"]
    );

    let made = shop
        .product_set(None, &tee("INV", &["S", "M"], "5.00", loc))
        .await
        .unwrap()
        .product
        .unwrap();
    let (s, m) = (&made.variants[0], &made.variants[1]);
    let outcomes = shop
        .inventory_set_quantities(
            QuantityName::Available,
            REASON_CORRECTION,
            Some("gid://shopsync/PushRun/1"),
            &[
                InventorySet {
                    inventory_item_id: s.inventory_item_id.clone(),
                    location_id: loc.clone(),
                    quantity: 9,
                    change_from: Some(4), // Shopify has 5: stale.
                },
                InventorySet {
                    inventory_item_id: m.inventory_item_id.clone(),
                    location_id: loc.clone(),
                    quantity: 8,
                    change_from: Some(5),
                },
            ],
        )
        .await
        .unwrap();
    assert!(
        matches!(&outcomes[0], InventorySetOutcome::Stale(e) if e.code.as_deref() == Some("CHANGE_FROM_QUANTITY_STALE")),
        "{outcomes:?}"
    );
    assert_eq!(outcomes[1], InventorySetOutcome::Set { delta: 3 });
    let catalogue = shop.catalogue(1_000).await.unwrap();
    let p = catalogue.products.iter().find(|p| p.id == made.id).unwrap();
    assert_eq!(
        p.variants[0].inventory_levels[0].available, 5,
        "the stale one did not move"
    );
    assert_eq!(p.variants[1].inventory_levels[0].available, 8);
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_not_made_twice() {
    std::env::set_var("SHOPSYNC_RETRY_BASE_MS", "5");
    let sb = sandbox(|c| {
        c.seed = SeedConfig {
            products: 0,
            ..SeedConfig::default()
        }
    })
    .await;
    let shop = client(&sb);
    let loc = shop.locations().await.unwrap()[0].id.clone();
    sb.shopify.set_faults(Faults {
        truncated_body: 0.25,
        drop_connection: 0.15,
        seed: 7,
        ..Faults::default()
    });
    let mut recovered = 0;
    for i in 0..20 {
        let r = shop
            .product_set(None, &tee(&format!("L{i}"), &["S"], "1.00", &loc))
            .await
            .unwrap();
        assert!(r.user_errors.is_empty(), "{:?}", r.user_errors);
        assert!(r.product.is_some());
        recovered += r.recovered as u32;
    }
    sb.shopify.set_faults(Faults::default());
    assert!(recovered > 0, "the faults should have lost some answers");
    let catalogue = shop.catalogue(1_000).await.unwrap();
    assert_eq!(catalogue.products.len(), 20, "every product exactly once");
}
