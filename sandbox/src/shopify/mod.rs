//! Fake of the Shopify Admin GraphQL API (2026-10).
//!
//! - [`router`]: HTTP routes, the access token, API versions, faults, admin endpoints.
//! - [`validate`]: parsing and validation against Shopify's schema, variable coercion.
//! - [`executor`]: a generic executor over the store's objects.
//! - [`cost`]: query cost and the leaky bucket.
//! - [`search`]: the `query:` search syntax.
//! - [`bulk`]: bulk query operations writing JSONL files.
//! - [`catalogue`]: `productSet`, inventory items and levels, `inventorySetQuantities`.
//! - [`store`]: seeded records on demand plus an overlay of changes.
//! - [`resolvers`]: root fields and mutations (add new ones there).
//! - [`webhooks`]: webhook subscriptions and `orders/paid` deliveries.

pub mod bulk;
pub mod catalogue;
pub mod cost;
pub mod executor;
pub mod publications;
pub mod resolvers;
pub mod router;
pub mod search;
pub mod store;
pub mod validate;
pub mod webhooks;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use apollo_compiler::validation::Valid;
use apollo_compiler::Schema;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::faults::Faults;
use crate::seed::{gid, iso, parse_gid, Seeder};
use executor::api_view;
use store::{now_secs, FastSort, Kind, Store};

/// The API version the fake serves.
pub const API_VERSION: &str = "2026-10";

/// Counters for tests and benchmarks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShopifyStats {
    /// Every request to the GraphQL endpoint (authenticated or not).
    pub requests: u64,
    /// Answers with a THROTTLED error.
    pub throttled: u64,
    /// HTTP 429 answers (rate-limit-burst faults).
    pub http_429: u64,
    /// Faults injected (429 bursts count once per answer).
    pub faults_injected: u64,
    /// Bulk operations started.
    pub bulk_operations: u64,
    /// Answers refused for cost over 1000.
    pub max_cost_exceeded: u64,
    /// Sum of actual query costs charged.
    pub cost_points: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    requests: AtomicU64,
    throttled: AtomicU64,
    http_429: AtomicU64,
    faults_injected: AtomicU64,
    bulk_operations: AtomicU64,
    max_cost_exceeded: AtomicU64,
    cost_points: AtomicU64,
}

impl Counters {
    fn snapshot(&self) -> ShopifyStats {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        ShopifyStats {
            requests: g(&self.requests),
            throttled: g(&self.throttled),
            http_429: g(&self.http_429),
            faults_injected: g(&self.faults_injected),
            bulk_operations: g(&self.bulk_operations),
            max_cost_exceeded: g(&self.max_cost_exceeded),
            cost_points: g(&self.cost_points),
        }
    }
    pub(crate) fn reset(&self) {
        for a in [
            &self.requests,
            &self.throttled,
            &self.http_429,
            &self.faults_injected,
            &self.bulk_operations,
            &self.max_cost_exceeded,
            &self.cost_points,
        ] {
            a.store(0, Ordering::Relaxed);
        }
    }
}

pub(crate) struct FaultState {
    pub faults: Faults,
    pub rng: rand::rngs::StdRng,
    /// A 429 burst lasts until then.
    pub burst_until: Option<std::time::Instant>,
}

/// Everything the routes and resolvers share.
pub struct Shared {
    pub token: String,
    pub domain: String,
    pub time_scale: f64,
    pub limits_lifted: bool,
    pub schema: Option<Arc<Valid<Schema>>>,
    pub store: RwLock<Store>,
    pub bucket: Mutex<cost::Bucket>,
    pub bulk: bulk::BulkState,
    pub resolvers: executor::Resolvers,
    pub(crate) counters: Counters,
    pub(crate) faults: Mutex<FaultState>,
    pub webhooks: webhooks::WebhookState,
    base_url: RwLock<String>,
}

impl Shared {
    /// Any object by gid: store records, their children, bulk operations.
    pub fn node(&self, g: &str) -> Option<Value> {
        if let Some((t, _)) = parse_gid(g) {
            if t == "BulkOperation" {
                return self.bulk.get(g, &self.base_url());
            }
        }
        self.store.read().unwrap().node(g)
    }

    pub fn base_url(&self) -> String {
        self.base_url.read().unwrap().clone()
    }
}

/// In-process control of the Shopify fake: read and change the shop like its owner would, steer
/// faults, read counters. Cheap to clone.
#[derive(Clone)]
pub struct ShopifyHandle {
    shared: Arc<Shared>,
}

/// A batch of shop-owner changes, for benchmarks of incremental syncs
/// (`POST /_sandbox/changes`). Records are picked evenly across the store, deterministically.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Changes {
    pub update_customers: usize,
    pub update_products: usize,
    pub update_orders: usize,
    pub create_customers: usize,
    pub delete_products: usize,
    pub delete_orders: usize,
}

/// What a shop owner types when adding a customer by hand.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NewCustomer {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub tags: Vec<String>,
    pub note: Option<String>,
    pub accepts_marketing: bool,
}

fn kind_and_id(g: &str, want: Kind) -> Option<u64> {
    let (t, id) = parse_gid(g)?;
    (t == want.typename()).then_some(id)
}

impl ShopifyHandle {
    pub fn set_base_url(&self, url: String) {
        *self.shared.base_url.write().unwrap() = url;
    }

    /// `http://127.0.0.1:PORT` once the sandbox serves.
    pub fn base_url(&self) -> String {
        self.shared.base_url()
    }

    /// The GraphQL endpoint of the served API version.
    pub fn graphql_url(&self) -> String {
        format!("{}/admin/api/{API_VERSION}/graphql.json", self.base_url())
    }

    /// The shared state (for the router and the `shopsync-sandbox` binary).
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Whether documents are validated against Shopify's schema.
    pub fn schema_loaded(&self) -> bool {
        self.shared.schema.is_some()
    }

    fn read(&self, kind: Kind, g: &str) -> Option<Value> {
        let id = kind_and_id(g, kind)?;
        self.shared
            .store
            .read()
            .unwrap()
            .get(kind, id)
            .map(|v| api_view(&v))
    }

    /// A customer as the API shows it (every field; nested links as `{"id": ..}`).
    pub fn customer(&self, gid: &str) -> Option<Value> {
        self.read(Kind::Customer, gid)
    }
    pub fn product(&self, gid: &str) -> Option<Value> {
        self.read(Kind::Product, gid)
    }
    pub fn order(&self, gid: &str) -> Option<Value> {
        self.read(Kind::Order, gid)
    }
    pub fn abandoned_checkout(&self, gid: &str) -> Option<Value> {
        self.read(Kind::Checkout, gid)
    }

    fn ids(&self, kind: Kind) -> Vec<String> {
        let st = self.shared.store.read().unwrap();
        let mut out = Vec::with_capacity(st.coll(kind).live_len());
        st.scan(kind, FastSort::Id, true, None, &mut |(_, id)| {
            out.push(gid(kind.typename(), id));
            true
        });
        out
    }

    /// Every live customer id, oldest first.
    pub fn customer_ids(&self) -> Vec<String> {
        self.ids(Kind::Customer)
    }
    pub fn product_ids(&self) -> Vec<String> {
        self.ids(Kind::Product)
    }
    pub fn order_ids(&self) -> Vec<String> {
        self.ids(Kind::Order)
    }
    pub fn abandoned_checkout_ids(&self) -> Vec<String> {
        self.ids(Kind::Checkout)
    }

    /// Live record counts: (customers, products, orders, abandoned checkouts).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let st = self.shared.store.read().unwrap();
        (
            st.customers.live_len(),
            st.products.live_len(),
            st.orders.live_len(),
            st.checkouts.live_len(),
        )
    }

    fn update(&self, kind: Kind, g: &str, f: impl FnOnce(&mut Value)) -> bool {
        let Some(id) = kind_and_id(g, kind) else {
            return false;
        };
        let mut st = self.shared.store.write().unwrap();
        let Some(mut v) = st.get(kind, id) else {
            return false;
        };
        f(&mut v);
        v["updatedAt"] = json!(iso(now_secs()));
        st.put(kind, id, v);
        true
    }

    /// Changes a customer as the shop owner would; `updatedAt` becomes now. The closure sees the
    /// stored record (API field names; links as `{"__ref": gid}`). False when there is no such
    /// customer.
    pub fn update_customer(&self, gid: &str, f: impl FnOnce(&mut Value)) -> bool {
        self.update(Kind::Customer, gid, f)
    }
    pub fn update_product(&self, gid: &str, f: impl FnOnce(&mut Value)) -> bool {
        self.update(Kind::Product, gid, f)
    }
    pub fn update_order(&self, gid: &str, f: impl FnOnce(&mut Value)) -> bool {
        self.update(Kind::Order, gid, f)
    }

    /// The sales channels (publication names) a product is on.
    pub fn sales_channels(&self, product: &str) -> Vec<String> {
        self.shared
            .store
            .read()
            .unwrap()
            .publications
            .channels_of(product)
    }

    /// Deactivates (or activates) a location, as the shop owner would in Settings > Locations.
    /// False when there is no such location.
    pub fn set_location_active(&self, gid: &str, active: bool) -> bool {
        let mut st = self.shared.store.write().unwrap();
        let Some(location) = st.locations.iter_mut().find(|l| l["id"] == gid) else {
            return false;
        };
        location["isActive"] = json!(active);
        location["deactivatedAt"] = if active {
            Value::Null
        } else {
            json!(iso(store::now_secs()))
        };
        true
    }

    /// Adds a customer; returns its gid.
    pub fn create_customer(&self, c: NewCustomer) -> String {
        let mut st = self.shared.store.write().unwrap();
        let (id, _) = st.next_id(Kind::Customer);
        let now = iso(now_secs());
        let first = c.first_name.clone();
        let last = c.last_name.clone();
        let display = match (&first, &last) {
            (Some(f), Some(l)) => format!("{f} {l}"),
            (Some(f), None) => f.clone(),
            (None, Some(l)) => l.clone(),
            (None, None) => c.email.clone().or(c.phone.clone()).unwrap_or_default(),
        };
        let state = if c.accepts_marketing {
            "SUBSCRIBED"
        } else {
            "NOT_SUBSCRIBED"
        };
        let v = json!({
            "__typename": "Customer",
            "id": gid("Customer", id),
            "legacyResourceId": id.to_string(),
            "firstName": first,
            "lastName": last,
            "displayName": display,
            "note": c.note,
            "numberOfOrders": "0",
            "amountSpent": crate::seed::money_v2(0),
            "tags": c.tags,
            "taxExempt": false,
            "taxExemptions": [],
            "verifiedEmail": false,
            "validEmailAddress": c.email.is_some(),
            "locale": "en",
            "createdAt": now,
            "updatedAt": now,
            "canDelete": true,
            "dataSaleOptOut": false,
            "state": "DISABLED",
            "email": c.email,
            "phone": c.phone,
            "defaultEmailAddress": c.email.as_ref().map(|e| json!({
                "__typename": "CustomerEmailAddress", "emailAddress": e, "marketingState": state,
                "marketingOptInLevel": if c.accepts_marketing { json!("SINGLE_OPT_IN") } else { Value::Null },
                "marketingUpdatedAt": if c.accepts_marketing { json!(now) } else { Value::Null },
                "validFormat": true,
            })),
            "defaultPhoneNumber": c.phone.as_ref().map(|p| json!({"__typename": "CustomerPhoneNumber", "phoneNumber": p})),
            "emailMarketingConsent": c.email.as_ref().map(|_| json!({"__typename": "CustomerEmailMarketingConsentState", "marketingState": state, "marketingOptInLevel": "SINGLE_OPT_IN", "consentUpdatedAt": now})),
            "addresses": [],
            "defaultAddress": Value::Null,
            "lastOrder": Value::Null,
            "multipassIdentifier": Value::Null,
            "lifetimeDuration": "less than a day",
        });
        st.put(Kind::Customer, id, v);
        gid("Customer", id)
    }

    fn delete(&self, kind: Kind, g: &str, event: Option<(&str, &str)>) -> bool {
        let Some(id) = kind_and_id(g, kind) else {
            return false;
        };
        let mut st = self.shared.store.write().unwrap();
        let Some(old) = st.delete(kind, id) else {
            return false;
        };
        if let Some((subject_type, noun)) = event {
            let label = old
                .get("title")
                .or_else(|| old.get("name"))
                .and_then(|t| t.as_str())
                .unwrap_or("")
                .to_string();
            st.record_event(
                "destroy",
                subject_type,
                g,
                format!("{noun} was deleted: {label}."),
            );
        }
        true
    }

    /// Deletes a product, recording a `BasicEvent` (`action: "destroy"`, `subjectType: PRODUCT`).
    pub fn delete_product(&self, gid: &str) -> bool {
        self.delete(Kind::Product, gid, Some(("PRODUCT", "Product")))
    }
    /// Deletes an order, recording a `BasicEvent` (`action: "destroy"`, `subjectType: ORDER`).
    pub fn delete_order(&self, gid: &str) -> bool {
        self.delete(Kind::Order, gid, Some(("ORDER", "Order")))
    }
    /// Deletes a customer (Shopify lists no destroy event for customers here).
    pub fn delete_customer(&self, gid: &str) -> bool {
        self.delete(Kind::Customer, gid, None)
    }

    /// Applies a batch of changes; returns the gids touched (updated, created or deleted).
    pub fn apply_changes(&self, c: &Changes) -> Vec<String> {
        fn spread(ids: &[String], n: usize) -> Vec<String> {
            if n == 0 || ids.is_empty() {
                return Vec::new();
            }
            let step = (ids.len() / n.min(ids.len())).max(1);
            ids.iter().step_by(step).take(n).cloned().collect()
        }
        let mut out = Vec::new();
        let stamp = now_secs();
        for g in spread(&self.customer_ids(), c.update_customers) {
            self.update_customer(&g, |v| {
                v["note"] = json!(format!("Changed by the sandbox at {stamp}."))
            });
            out.push(g);
        }
        for g in spread(&self.product_ids(), c.update_products) {
            self.update_product(&g, |v| {
                let t = v["title"]
                    .as_str()
                    .unwrap_or("")
                    .trim_end_matches(" (updated)")
                    .to_string();
                v["title"] = json!(format!("{t} (updated)"));
            });
            out.push(g);
        }
        for g in spread(&self.order_ids(), c.update_orders) {
            self.update_order(&g, |v| {
                v["note"] = json!(format!("Changed by the sandbox at {stamp}."))
            });
            out.push(g);
        }
        for k in 0..c.create_customers {
            out.push(self.create_customer(NewCustomer {
                first_name: Some("Nieuwe".into()),
                last_name: Some(format!("Klant {k}")),
                email: Some(format!("nieuwe.klant.{stamp}.{k}@example.nl")),
                ..NewCustomer::default()
            }));
        }
        for g in spread(&self.product_ids(), c.delete_products) {
            self.delete_product(&g);
            out.push(g);
        }
        for g in spread(&self.order_ids(), c.delete_orders) {
            self.delete_order(&g);
            out.push(g);
        }
        out
    }

    /// Every event recorded since the start, oldest first.
    pub fn events(&self) -> Vec<Value> {
        self.shared
            .store
            .read()
            .unwrap()
            .events
            .iter()
            .map(api_view)
            .collect()
    }

    /// A bulk operation as `bulkOperation(id:)` returns it.
    pub fn bulk_operation(&self, gid: &str) -> Option<Value> {
        self.shared
            .bulk
            .get(gid, &self.base_url())
            .map(|v| api_view(&v))
    }

    pub fn stats(&self) -> ShopifyStats {
        self.shared.counters.snapshot()
    }

    pub fn reset_stats(&self) {
        self.shared.counters.reset()
    }

    /// Switches faults; the fault generator restarts from `faults.seed`.
    pub fn set_faults(&self, faults: Faults) {
        let mut f = self.shared.faults.lock().unwrap();
        f.rng = rand::rngs::StdRng::seed_from_u64(faults.seed);
        f.faults = faults;
        f.burst_until = None;
    }

    pub fn faults(&self) -> Faults {
        self.shared.faults.lock().unwrap().faults.clone()
    }

    /// `throttleStatus` as the next response would report it.
    pub fn throttle_status(&self) -> Value {
        self.shared.bucket.lock().unwrap().status()
    }

    /// Fills the bucket (between test phases).
    pub fn refill_bucket(&self) {
        self.shared.bucket.lock().unwrap().reset()
    }
}

static NO_SCHEMA_WARNED: std::sync::Once = std::sync::Once::new();

/// Seeds the store, loads the schema (once) and builds the routes.
pub fn build(config: &crate::SandboxConfig) -> anyhow::Result<(ShopifyHandle, axum::Router)> {
    let schema = match &config.shopify_schema {
        Some(p) => Some(load_schema(p)?),
        None => {
            NO_SCHEMA_WARNED.call_once(|| {
                tracing::warn!(
                    "Shopify schema not found: documents are parsed and executed but not validated against Shopify's schema"
                )
            });
            None
        }
    };
    build_with_schema(config, schema)
}

/// Like [`build`], with a schema already loaded (share one `Arc` between many sandboxes).
pub fn build_with_schema(
    config: &crate::SandboxConfig,
    schema: Option<Arc<Valid<Schema>>>,
) -> anyhow::Result<(ShopifyHandle, axum::Router)> {
    let time_scale = if config.time_scale > 0.0 {
        config.time_scale
    } else {
        1.0
    };
    let store = Store::new(Seeder::new(config.seed.clone(), &config.shopify_domain));
    let shared = Arc::new(Shared {
        token: config.shopify_token.clone(),
        domain: config.shopify_domain.clone(),
        time_scale,
        limits_lifted: config.limits_lifted,
        schema,
        store: RwLock::new(store),
        bucket: Mutex::new(cost::Bucket::new(
            config.shopify_bucket_size,
            config.shopify_restore_rate * time_scale,
        )),
        bulk: bulk::BulkState::new()?,
        resolvers: resolvers::all(),
        counters: Counters::default(),
        faults: Mutex::new(FaultState {
            faults: config.faults.clone(),
            rng: rand::rngs::StdRng::seed_from_u64(config.faults.seed),
            burst_until: None,
        }),
        webhooks: webhooks::WebhookState::default(),
        base_url: RwLock::new(String::new()),
    });
    let handle = ShopifyHandle {
        shared: shared.clone(),
    };
    Ok((handle, router::router(shared)))
}

/// Loads Shopify's schema for [`build_with_schema`]. The parsed schema is kept for the life of
/// the process, so sandboxes started one after another (tests) parse the 3.7 MB file once.
pub fn load_schema(path: &std::path::Path) -> anyhow::Result<Arc<Valid<Schema>>> {
    type Cache = Mutex<
        Vec<(
            std::path::PathBuf,
            Option<std::time::SystemTime>,
            Arc<Valid<Schema>>,
        )>,
    >;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    // Held while parsing: concurrent builds wait for the first parse instead of repeating it.
    let mut entries = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, s)) = entries.iter().find(|(p, m, _)| p == path && *m == modified) {
        return Ok(s.clone());
    }
    let t = std::time::Instant::now();
    let schema = Arc::new(validate::load_schema(path)?);
    tracing::debug!(
        "Shopify schema {} parsed in {:?}",
        path.display(),
        t.elapsed()
    );
    entries.retain(|(p, _, _)| p != path);
    entries.push((path.to_path_buf(), modified, schema.clone()));
    Ok(schema)
}
