//! Local fakes of the vendor APIs shopsync talks to, on 127.0.0.1.
//!
//! Each fake follows the vendor's published API (paths, field names, status codes, error bodies,
//! pagination, rate limits) closely enough that shopsync's real HTTP clients can be tested,
//! demonstrated and benchmarked against it. Rate limits run at the vendors' real rates divided by
//! a time scale, and the rate-limit signals the fakes send (headers, throttle status) are scaled
//! the same way, so a client that reads them paces itself correctly at any scale.
//!
//! Start everything with [`Sandbox::start`]; inspect and steer the fakes through the handles
//! ([`shopify::ShopifyHandle`], [`hubspot::HubSpotHandle`]).

pub mod faults;
pub mod heyloyalty;
pub mod hostedshop;
pub mod hubspot;
pub mod huddle;
pub mod seed;
pub mod shopify;
pub mod shopware;
pub mod shopware6;
pub mod spotler;
pub mod tellix;

pub use faults::Faults;

use std::net::SocketAddr;

/// Everything a sandbox is started with. `Default` is a small, fast, fault-free sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// What the seeded store contains.
    pub seed: seed::SeedConfig,
    /// Real seconds are vendor seconds divided by this: 10.0 runs every rate limit ten times
    /// faster (and reports it so). 1.0 is the vendors' real pace.
    pub time_scale: f64,
    /// When true, no rate limit is enforced (pure overhead measurements).
    pub limits_lifted: bool,
    /// Shopify plan: restore rate in points per second (Standard 100, Advanced 200, Plus 1000)
    /// and bucket size in points.
    pub shopify_restore_rate: f64,
    pub shopify_bucket_size: f64,
    /// HubSpot tier: requests per ten-second window (Professional 190) and per day.
    pub hubspot_ten_secondly: u32,
    pub hubspot_daily: u64,
    /// Faults switched on from the start; can be changed later through the handles.
    pub faults: Faults,
    /// Shopify's Admin GraphQL schema (SDL). When present, the Shopify fake rejects documents
    /// that are not valid against it, as Shopify does.
    pub shopify_schema: Option<std::path::PathBuf>,
    /// The access token the Shopify fake accepts.
    pub shopify_token: String,
    /// The shop's myshopify domain, reported in `shop { myshopifyDomain }` and webhook headers.
    pub shopify_domain: String,
    /// The bearer token the HubSpot fake accepts.
    pub hubspot_token: String,
    /// The username, password and API key the Tellix fake accepts.
    pub tellix: tellix::TellixConfig,
    /// The consumer key and secret the Spotler Mail+ fake accepts.
    pub spotler_key: String,
    pub spotler_secret: String,
    /// The API user and key the Shopware 5 fake accepts.
    pub shopware_user: String,
    pub shopware_key: String,
    /// The integration's access key id and secret the Shopware 6 fake accepts.
    pub shopware6_client_id: String,
    pub shopware6_client_secret: String,
    /// The API key and secret the Heyloyalty fake accepts, and when it answers 429.
    pub heyloyalty: heyloyalty::HeyloyaltyConfig,
    /// The API user the HostedShop SOAP fake accepts.
    pub hostedshop: hostedshop::HostedShopConfig,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            seed: seed::SeedConfig::default(),
            time_scale: 1.0,
            limits_lifted: false,
            shopify_restore_rate: 100.0,
            shopify_bucket_size: 2000.0,
            hubspot_ten_secondly: 190,
            hubspot_daily: 625_000,
            faults: Faults::default(),
            shopify_schema: default_schema_path(),
            shopify_token: "shpat_sandbox_0123456789abcdef".into(),
            shopify_domain: "sandbox-store.myshopify.com".into(),
            hubspot_token: "pat-na1-sandbox-0000-1111-2222".into(),
            tellix: tellix::TellixConfig::default(),
            spotler_key: spotler::DEFAULT_CONSUMER_KEY.into(),
            spotler_secret: spotler::DEFAULT_CONSUMER_SECRET.into(),
            shopware_user: shopware::DEFAULT_USER.into(),
            shopware_key: shopware::DEFAULT_API_KEY.into(),
            shopware6_client_id: shopware6::DEFAULT_CLIENT_ID.into(),
            shopware6_client_secret: shopware6::DEFAULT_CLIENT_SECRET.into(),
            heyloyalty: heyloyalty::HeyloyaltyConfig::default(),
            hostedshop: hostedshop::HostedShopConfig::default(),
        }
    }
}

/// `../shared/specs/shopify/admin_2026-10.graphql` next to the workspace, when it is there, or
/// the file named by `SHOPSYNC_SHOPIFY_SCHEMA`.
pub fn default_schema_path() -> Option<std::path::PathBuf> {
    if let Ok(p) = std::env::var("SHOPSYNC_SHOPIFY_SCHEMA") {
        let p = std::path::PathBuf::from(p);
        return p.exists().then_some(p);
    }
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs/shopify/admin_2026-10.graphql");
    p.exists().then_some(p)
}

/// A running sandbox. The servers stop when it is dropped.
pub struct Sandbox {
    pub shopify: shopify::ShopifyHandle,
    pub hubspot: hubspot::HubSpotHandle,
    pub shopify_addr: SocketAddr,
    pub hubspot_addr: SocketAddr,
    /// Huddle's Shopify webhook endpoint (accepts [`huddle::DEFAULT_API_KEY`]).
    pub huddle: huddle::HuddleHandle,
    pub huddle_addr: SocketAddr,
    /// The Tellix Backoffice API v3 fake.
    pub tellix: tellix::TellixHandle,
    pub tellix_addr: SocketAddr,
    /// The Spotler Mail+ REST fake.
    pub spotler: spotler::SpotlerHandle,
    pub spotler_addr: SocketAddr,
    /// The Shopware 5 REST fake, seeded with the same customers as the Shopify store.
    pub shopware: shopware::ShopwareHandle,
    pub shopware_addr: SocketAddr,
    /// The Shopware 6 Admin API fake, seeded with the same customers.
    pub shopware6: shopware6::Shopware6Handle,
    pub shopware6_addr: SocketAddr,
    /// The Heyloyalty REST fake (starts with no lists).
    pub heyloyalty: heyloyalty::HeyloyaltyHandle,
    pub heyloyalty_addr: SocketAddr,
    /// The HostedShop SOAP fake (a Wannafind shop), seeded with groups, customers and orders.
    pub hostedshop: hostedshop::HostedShopHandle,
    pub hostedshop_addr: SocketAddr,
    _shutdown: Vec<tokio::sync::oneshot::Sender<()>>,
}

impl Sandbox {
    /// Seeds the store and starts both fakes on free ports of 127.0.0.1.
    pub async fn start(config: SandboxConfig) -> anyhow::Result<Sandbox> {
        let (shopify, shopify_router) = shopify::build(&config)?;
        let (hubspot, hubspot_router) = hubspot::build(&config)?;
        let mut shutdown = Vec::new();
        let shopify_addr = serve(shopify_router, &mut shutdown).await?;
        let hubspot_addr = serve(hubspot_router, &mut shutdown).await?;
        let (huddle, huddle_router) = huddle::build(huddle::DEFAULT_API_KEY);
        let huddle_addr = serve(huddle_router, &mut shutdown).await?;
        huddle.set_base_url(format!("http://{huddle_addr}"));
        let (tellix, tellix_router) = tellix::build(config.tellix.clone(), config.time_scale);
        let tellix_addr = serve(tellix_router, &mut shutdown).await?;
        let (spotler, spotler_router) = spotler::build(&config.spotler_key, &config.spotler_secret);
        let spotler_addr = serve(spotler_router, &mut shutdown).await?;
        let (shopware, shopware_router) =
            shopware::build(&config.seed, &config.shopware_user, &config.shopware_key);
        let shopware_addr = serve(shopware_router, &mut shutdown).await?;
        let (shopware6, shopware6_router) = shopware6::build(
            &config.seed,
            &config.shopware6_client_id,
            &config.shopware6_client_secret,
        );
        let shopware6_addr = serve(shopware6_router, &mut shutdown).await?;
        shopify.set_base_url(format!("http://{shopify_addr}"));
        let (heyloyalty, heyloyalty_router) = heyloyalty::build(
            config.heyloyalty.clone(),
            config.time_scale,
            config.limits_lifted,
        );
        let heyloyalty_addr = serve(heyloyalty_router, &mut shutdown).await?;
        let (hostedshop, hostedshop_router) = hostedshop::build(config.hostedshop.clone());
        hostedshop.seed_demo();
        let hostedshop_addr = serve(hostedshop_router, &mut shutdown).await?;
        Ok(Sandbox {
            shopify,
            hubspot,
            shopify_addr,
            hubspot_addr,
            huddle,
            huddle_addr,
            tellix,
            tellix_addr,
            spotler,
            spotler_addr,
            shopware,
            shopware_addr,
            shopware6,
            shopware6_addr,
            heyloyalty,
            heyloyalty_addr,
            hostedshop,
            hostedshop_addr,
            _shutdown: shutdown,
        })
    }

    /// Base URL to put in a profile's `[shopify] base_url`.
    pub fn shopify_url(&self) -> String {
        format!("http://{}", self.shopify_addr)
    }

    /// Base URL to put in a profile's `[hubspot] base_url`.
    pub fn hubspot_url(&self) -> String {
        format!("http://{}", self.hubspot_addr)
    }

    /// Base URL to put in a profile's `[backoffice] base_url` (Tellix).
    pub fn tellix_url(&self) -> String {
        format!("http://{}", self.tellix_addr)
    }

    /// Base URL to put in a profile's `[spotler] base_url`.
    pub fn spotler_url(&self) -> String {
        format!("http://{}/integrationservice-1.1.0", self.spotler_addr)
    }

    /// Base URL to put in a profile's `[shopware] base_url` (the shop, without `/api`).
    pub fn shopware_url(&self) -> String {
        format!("http://{}", self.shopware_addr)
    }

    /// Base URL to put in a `kind = "6"` profile's `[shopware] base_url`.
    pub fn shopware6_url(&self) -> String {
        format!("http://{}", self.shopware6_addr)
    }

    /// Base URL to put in a profile's `[heyloyalty] base_url` (`/loyalty/v1` and `/loyalty/v2`
    /// live under it).
    pub fn heyloyalty_url(&self) -> String {
        format!("http://{}", self.heyloyalty_addr)
    }

    /// The SOAP endpoint to put in a profile's `[hostedshop] endpoint`.
    pub fn hostedshop_url(&self) -> String {
        format!("http://{}/service.php", self.hostedshop_addr)
    }

    /// Base URL to put in a profile's `[huddle] base_url`.
    pub fn huddle_url(&self) -> String {
        format!("http://{}", self.huddle_addr)
    }
}

async fn serve(
    router: axum::Router,
    shutdown: &mut Vec<tokio::sync::oneshot::Sender<()>>,
) -> anyhow::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    shutdown.push(tx);
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = rx.await;
        })
        .await;
    });
    Ok(addr)
}

/// What `shopsync-sandbox` (and `shopsync sandbox`) print, for their `--help`.
pub const PRINTS: &str = "\
Prints one JSON line on stdout, then serves until Ctrl-C. Its keys: shopify_url, hubspot_url, \
huddle_url, tellix_url, spotler_url, shopware_url (the fakes' base URLs on 127.0.0.1, for a \
profile's base_url), shopify_token, hubspot_token (the access tokens they accept), huddle_api_key, \
shopify_app_secret (signs the webhooks), tellix_username, tellix_password, tellix_apikey, \
spotler_key, spotler_secret (the OAuth consumer key and secret), shopware_user, shopware_key, \
shopware6_url, shopware6_client_id, shopware6_client_secret (the Shopware 6 Admin API fake), \
heyloyalty_url, heyloyalty_key, heyloyalty_secret, hostedshop_url (the SOAP endpoint), \
hostedshop_user, hostedshop_password.";

impl Sandbox {
    /// Every URL and credential of the running fakes, as the JSON line `shopsync-sandbox`
    /// prints (see [`PRINTS`]).
    pub fn connection_info(&self, config: &SandboxConfig) -> serde_json::Value {
        serde_json::json!({
            "shopify_url": self.shopify_url(),
            "hubspot_url": self.hubspot_url(),
            "huddle_url": self.huddle_url(),
            "tellix_url": self.tellix_url(),
            "shopify_token": config.shopify_token,
            "hubspot_token": config.hubspot_token,
            "huddle_api_key": self.huddle.api_key(),
            "shopify_app_secret": self.shopify.app_secret(),
            "tellix_username": config.tellix.username,
            "tellix_password": config.tellix.password,
            "tellix_apikey": config.tellix.apikey,
            "spotler_url": self.spotler_url(),
            "shopware_url": self.shopware_url(),
            "spotler_key": config.spotler_key,
            "spotler_secret": config.spotler_secret,
            "shopware_user": config.shopware_user,
            "shopware_key": config.shopware_key,
            "shopware6_url": self.shopware6_url(),
            "shopware6_client_id": config.shopware6_client_id,
            "shopware6_client_secret": config.shopware6_client_secret,
            "heyloyalty_url": self.heyloyalty_url(),
            "heyloyalty_key": config.heyloyalty.api_key,
            "heyloyalty_secret": config.heyloyalty.api_secret,
            "hostedshop_url": self.hostedshop_url(),
            "hostedshop_user": config.hostedshop.username,
            "hostedshop_password": config.hostedshop.password,
        })
    }
}

/// Starts the fakes, prints [`Sandbox::connection_info`] as one line on stdout, and serves until
/// Ctrl-C.
pub async fn run_until_interrupted(config: SandboxConfig) -> anyhow::Result<()> {
    let sandbox = Sandbox::start(config.clone()).await?;
    println!("{}", sandbox.connection_info(&config));
    tokio::signal::ctrl_c().await?;
    Ok(())
}
