//! Shopify requests paced by what they really cost (`extensions.cost`): no request is sent
//! before the bucket holds its requested cost, a request of unknown cost goes alone, and a read
//! whose pages would wait long for the bucket goes by bulk export. The sandbox runs Shopify's
//! Standard plan (100 points/s, bucket 2000) time-scaled; the assertions are on request,
//! THROTTLED and bulk counts and on the pacing wait against the points spent, never on speed.

mod common;

use common::{sandbox, SHOPIFY_TOKEN};
use serde_json::json;
use shopsync::cli::Stream;
use shopsync::config::credentials::Secret;
use shopsync::connectors::shopify::{documents, ReadMode, ShopifyClient};
use shopsync::engine::SourceItem;
use shopsync_sandbox::seed::SeedConfig;
use std::sync::atomic::Ordering;

fn client(sb: &common::Sandbox) -> ShopifyClient {
    ShopifyClient::new(
        &sb.shopify_url(),
        "sandbox.myshopify.com",
        Secret::new(SHOPIFY_TOKEN.into()),
    )
}

async fn store_with_orders(orders: usize, scale: f64) -> common::Sandbox {
    sandbox(|c| {
        c.seed = SeedConfig {
            orders,
            abandoned_checkouts: 0,
            ..SeedConfig::default()
        };
        c.time_scale = scale;
        c.shopify_restore_rate = 100.0;
        c.shopify_bucket_size = 2000.0;
    })
    .await
}

/// Reads the orders stream in full; returns how many records came and whether bulk was used.
async fn read_orders(shop: &ShopifyClient) -> (u64, bool) {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<SourceItem>(64);
    let drain = tokio::spawn(async move {
        let mut records = 0u64;
        while let Some(item) = rx.recv().await {
            records += u64::from(matches!(item, SourceItem::Record(_)));
        }
        records
    });
    let summary = shop
        .read(Stream::Orders, &ReadMode::Full, 100_000, None, &tx)
        .await
        .expect("the read succeeds");
    drop(tx);
    let received = drain.await.unwrap();
    assert_eq!(received, summary.records);
    (summary.records, summary.used_bulk)
}

/// 300 orders at Standard rates cost ~7,200 points: by pages at least 50 s of waiting for the
/// bucket. The first page's reported cost shows it, and the read goes by bulk export (not paced
/// by the bucket) even though the count is far under `bulk_threshold`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_whose_pages_would_wait_long_goes_by_bulk_export() {
    let sb = store_with_orders(300, 5.0).await;
    let shop = client(&sb);
    let (records, used_bulk) = read_orders(&shop).await;
    let stats = sb.shopify.stats();
    assert_eq!(records, 300, "every order once");
    assert!(used_bulk, "300 orders at Standard rates go by bulk export");
    assert_eq!(stats.bulk_operations, 1);
    assert_eq!(stats.throttled + stats.http_429, 0, "{stats:?}");
    // The count, one page of one order (its cost), the bulk start and its polls.
    assert!(stats.requests <= 30, "{stats:?}");
    assert!(stats.cost_points < 1_000, "{stats:?}");

    // What a record costs is known now: a second read decides without a probe page.
    sb.shopify.reset_stats();
    let (records, used_bulk) = read_orders(&shop).await;
    assert_eq!((records, used_bulk), (300, true));
    assert!(sb.shopify.stats().cost_points < 100);
}

/// At a faster (scaled) refill the same read stays on pages: every page is sent once the bucket
/// holds its requested cost, and the time spent waiting is what the points really spent take to
/// refill (not the requested cost of every page). A document never sent before goes alone and
/// may be THROTTLED once (its answer tells its cost); once every cost is known, nothing is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_wait_only_for_the_points_they_really_cost() {
    let scale = 40.0;
    let sb = store_with_orders(300, scale).await;
    let shop = client(&sb);
    let (records, used_bulk) = read_orders(&shop).await;
    let first = sb.shopify.stats();
    assert_eq!(records, 300);
    assert!(
        !used_bulk,
        "at 4,000 points/s the pages wait about 1.5 s: no bulk export"
    );
    assert!(first.throttled + first.http_429 <= 1, "{first:?}");

    // Again, starting on the bucket the first read drained, every cost known.
    sb.shopify.reset_stats();
    let paced_before = shop.stats.paced_micros.load(Ordering::Relaxed);
    let (records, used_bulk) = read_orders(&shop).await;
    let stats = sb.shopify.stats();
    assert_eq!((records, used_bulk), (300, false));
    assert_eq!(stats.throttled + stats.http_429, 0, "{stats:?}");
    let rate = 100.0 * scale;
    let paced = (shop.stats.paced_micros.load(Ordering::Relaxed) - paced_before) as f64 / 1e6;
    // Waiting for every point spent (the bucket may start empty), with room for one page's
    // reservation: never for the requested cost of each page (~35,000 points).
    let bound = (stats.cost_points as f64 + 1000.0) / rate;
    assert!(
        paced <= bound * 1.25 + 0.25,
        "waited {paced:.2} s for the bucket; the points spent need {bound:.2} s ({stats:?})"
    );
    // Pages of 8 (down to 4 when the bucket is low, never single orders).
    assert!(stats.requests <= 90, "{stats:?}");
}

/// Eight requests of a document never sent before, at once, each requesting ~900 of the 2,000
/// points: the first goes alone and tells the cost, the others queue behind each other's
/// reservations. (Before, each assumed 50 points and most were THROTTLED.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_of_unknown_cost_are_not_throttled() {
    let sb = store_with_orders(64, 2.0).await;
    let shop = client(&sb);
    let page = || async {
        let vars = json!({ "first": 8, "after": null, "query": null, "lineItems": 25 });
        shop.query(documents::ORDERS_PAGE, vars).await
    };
    let answers = futures::future::join_all((0..8).map(|_| page())).await;
    assert!(answers.iter().all(Result::is_ok));
    let stats = sb.shopify.stats();
    assert_eq!(stats.requests, 8, "{stats:?}");
    assert_eq!(stats.throttled, 0, "{stats:?}");
    let cost = shop
        .document_cost(documents::ORDERS_PAGE.name)
        .expect("the cost is remembered");
    assert!(cost.requested > 800.0, "{cost:?}");
    assert!(cost.actual < cost.requested, "{cost:?}");
}

/// What a record costs is kept in the state store: the next process decides pages or bulk
/// export from it without a probe page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_run_knows_the_costs_from_the_state_store() {
    let sb = store_with_orders(300, 5.0).await;
    let env = common::Env::new().with_tokens();
    env.profile_for(&sb, "");
    let dry_run = [
        "initial-sync",
        "--profile",
        "shop",
        "--streams",
        "orders",
        "--dry-run",
    ];
    env.run(&dry_run).await.expect_code(0);
    let first = sb.shopify.stats();
    assert_eq!(first.bulk_operations, 1, "{first:?}");

    let kept = shopsync::state::StateStore::open(&env.state_dir(), "shop")
        .unwrap()
        .shopify_query_costs()
        .unwrap();
    let page = kept
        .iter()
        .find(|c| c.document == documents::ORDERS_PAGE.name)
        .expect("the orders page's cost is kept");
    let (requested, actual) = page.per_record.expect("per record");
    assert!(requested > 100.0 && actual < 40.0, "{page:?}");

    sb.shopify.reset_stats();
    env.run(&dry_run).await.expect_code(0);
    let second = sb.shopify.stats();
    assert_eq!(second.bulk_operations, 1, "{second:?}");
    // No probe page of one order (~28 points); the bulk polls vary by a point or two.
    assert!(
        second.cost_points + 20 <= first.cost_points,
        "no probe page: {first:?} then {second:?}"
    );
    assert_eq!(second.throttled, 0);
}
