//! POS back office <-> Shopify (seed 003): the back office is the master of the product
//! catalogue (`push-products`), and stock levels (`pull-stock`) and customers
//! (`pull-customers`) come back from the shop; `link-products` is the first-time link that
//! imports the shop's existing products into the back office.
//!
//! The back office is a connector behind [`BackOffice`] (Tellix API, or files); every command
//! works the same with either, so a third back office is one more variant here.

pub mod customers;
pub mod link;
pub mod push;
pub mod stock;

use serde::Serialize;

use crate::catalogue::Catalogue;
use crate::config::credentials;
use crate::config::{Profile, ProfileFile};
use crate::connectors::backoffice::{BackOfficeKind, BackOfficeSettings};
use crate::connectors::files;
use crate::connectors::shopify::settings::ShopifySettings;
use crate::connectors::shopify::ShopifyClient;
use crate::connectors::system::System;
use crate::connectors::tellix::{TellixBackOffice, TellixClient, TellixCredentials};
use crate::engine::plan::{Change, Counts};
use crate::error::{CliError, CliResult};
use crate::state::Failure;

/// A back-office profile, loaded and checked.
pub fn load_profile(config: Option<&std::path::Path>, name: &str) -> CliResult<Profile> {
    let (file, path) = ProfileFile::load(config)?;
    let profile = file.profile(name, &path)?;
    if profile.target != "backoffice" {
        return Err(CliError::config(format!(
            "the profile `{}` targets {}, not a back office",
            profile.name, profile.target
        ))
        .hint("push-products, pull-customers, pull-stock and link-products work with profiles that have `target = \"backoffice\"` and a [backoffice] table"));
    }
    Ok(profile)
}

pub fn settings(profile: &Profile) -> &BackOfficeSettings {
    profile.table::<BackOfficeSettings>()
}

/// The profile's Shopify client, with its token from the environment or the keyring.
pub fn shopify(profile: &Profile) -> CliResult<ShopifyClient> {
    let (token, _) = credentials::resolve(&profile.name, System::Shopify)?;
    let shop = profile.table::<ShopifySettings>();
    Ok(
        ShopifyClient::new(&shop.api_base_url(), &shop.shop_domain(), token)
            .bulk_when_pages_are_slow(shop.bulk_when_pages_are_slow()),
    )
}

/// The profile's shop and back office, connected (the shop's token first: a missing one stops
/// the command before the back office is asked for a session).
pub async fn connect(profile: &Profile) -> CliResult<(ShopifyClient, BackOffice)> {
    let shop = shopify(profile)?;
    let backoffice = BackOffice::open(profile).await?;
    Ok((shop, backoffice))
}

/// A back office, connected.
pub enum BackOffice {
    Tellix(Box<TellixBackOffice>),
    Files(BackOfficeSettings),
}

impl BackOffice {
    /// Connects to the profile's back office (Tellix: fetches a token and the departments).
    pub async fn open(profile: &Profile) -> CliResult<BackOffice> {
        let s = settings(profile);
        match s.kind {
            BackOfficeKind::Files => Ok(BackOffice::Files(s.clone())),
            BackOfficeKind::Tellix => {
                // From the environment or the keyring (`shopsync auth set NAME tellix-username`
                // etc.).
                let secret = |system| credentials::resolve(&profile.name, system).map(|(s, _)| s);
                let creds = TellixCredentials {
                    username: secret(System::TellixUsername)?,
                    password: secret(System::TellixPassword)?,
                    apikey: secret(System::TellixApikey)?,
                };
                let client = TellixClient::new(&s.tellix_base_url(), creds);
                Ok(BackOffice::Tellix(Box::new(
                    TellixBackOffice::connect(client).await?,
                )))
            }
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            BackOffice::Tellix(_) => "tellix",
            BackOffice::Files(_) => "files",
        }
    }

    /// The whole catalogue, with each record that could not be read.
    pub async fn catalogue(&self) -> CliResult<Catalogue> {
        match self {
            BackOffice::Tellix(t) => Ok(t.catalogue().await?),
            BackOffice::Files(s) => {
                let path = s.catalogue.as_ref().ok_or_else(|| {
                    CliError::config("the profile's [backoffice] table has no `catalogue` file")
                        .hint("set `catalogue = \"/path/to/catalogue.csv\"` (or .jsonl): the back office's product export")
                })?;
                files::catalogue::read(path)
            }
        }
    }

    pub fn tellix_requests(&self) -> u64 {
        match self {
            BackOffice::Tellix(t) => t
                .client
                .stats
                .requests
                .load(std::sync::atomic::Ordering::Relaxed),
            BackOffice::Files(_) => 0,
        }
    }
}

/// What a back-office command did (or, dry, would do): counts, changes, failures.
#[derive(Debug, Serialize)]
pub struct Report {
    pub command: &'static str,
    pub profile: String,
    pub backoffice: &'static str,
    pub dry_run: bool,
    pub run_id: i64,
    /// `full` or `incremental` (pull-customers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read: Option<&'static str>,
    /// Records read from the source.
    pub records: u64,
    #[serde(flatten)]
    pub counts: Counts,
    pub changes: Vec<Change>,
    /// Records that could not be read (bad catalogue rows) or written, each with why.
    pub failures: Vec<Failure>,
    /// The file written, for a file back office.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub seconds: f64,
    pub requests: Requests,
    pub state_file: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Requests {
    pub shopify: u64,
    pub shopify_throttled: u64,
    pub backoffice: u64,
}

/// Closes a run: its duration and request counts in `report`, and its row in the state's run
/// log (`stopped`: it ended early).
pub(crate) fn finish(
    report: &mut Report,
    started: std::time::Instant,
    shopify: &crate::connectors::shopify::ShopifyClient,
    backoffice: &BackOffice,
    state: &crate::state::StateStore,
    run_id: i64,
    stopped: bool,
) -> Result<(), crate::state::StateError> {
    use std::sync::atomic::Ordering;
    shopify.keep_costs(state)?;
    report.seconds = started.elapsed().as_secs_f64();
    report.requests = Requests {
        shopify: shopify.stats.requests.load(Ordering::Relaxed),
        shopify_throttled: shopify.stats.throttled.load(Ordering::Relaxed),
        backoffice: backoffice.tellix_requests(),
    };
    let status = match (stopped, report.failures.is_empty()) {
        _ if crate::interrupt::requested().is_some() => "interrupted",
        (true, _) => "stopped",
        (false, false) => "completed with failures",
        (false, true) => "completed",
    };
    state.finish_run(
        run_id,
        status,
        &serde_json::json!({"counts": report.counts, "records": report.records}),
    )
}

impl Report {
    /// Where this command writes, for a person: the shop, Tellix, or the file.
    pub fn destination(&self) -> String {
        if self.command == "push-products" {
            return "the shop".into();
        }
        match (self.backoffice, &self.file) {
            ("tellix", _) => "Tellix".into(),
            (_, Some(file)) => file.clone(),
            (other, None) => other.into(),
        }
    }

    pub fn has_changes(&self) -> bool {
        self.counts.changes() > 0
    }

    /// The requests each side was sent, for the closing line.
    pub fn requests_line(&self) -> String {
        format!(
            "{} Shopify and {} back-office requests",
            self.requests.shopify, self.requests.backoffice
        )
    }
}

/// The shop's token, and Tellix's three credentials for a Tellix back office.
pub fn credentials(profile: &Profile) -> Vec<System> {
    let mut out = vec![System::Shopify];
    if profile.settings::<BackOfficeSettings>().map(|b| b.kind) == Some(BackOfficeKind::Tellix) {
        out.extend(System::TELLIX);
    }
    out
}

/// `doctor`'s (and `setup`'s) checks: the shop, then the back office (Tellix's API with its
/// three credentials, or the files).
pub fn check<'a>(
    profile: &'a Profile,
    secrets: &'a super::Secrets,
    checks: &'a mut Vec<crate::health::Check>,
) -> super::Checking<'a> {
    Box::pin(async move {
        super::check_shopify(profile, secrets, checks).await;
        match profile.settings::<BackOfficeSettings>() {
            Some(s) if s.kind == BackOfficeKind::Tellix => {
                let tellix = System::TELLIX.map(|system| super::secret(secrets, system));
                crate::connectors::tellix::health::check(&profile.name, s, tellix, checks).await;
            }
            Some(s) => crate::connectors::files::health::check(Some(&profile.name), s, checks),
            None => {}
        }
    })
}
