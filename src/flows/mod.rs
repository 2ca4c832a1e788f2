//! A flow wires one source connector, the engine and one target connector for a profile: which
//! streams, in which order, incremental or full, and what the run reports.
//!
//! [`FLOWS`] lists them as data: the profile kinds each runs, the streams it syncs, how its
//! connections are checked, what `sync` does with it and which credentials its profiles have.
//! Commands that work for any profile (`auth`, `doctor`, `setup`, `sync`) look a profile's flow
//! up here instead of matching on vendors. (What the setup wizard asks for each kind of profile
//! is in `connectors::registry::WIZARD_FLOWS`.)

pub mod backoffice_shopify;
/// The back office's commands with its shop, by their job.
pub use backoffice_shopify as backoffice;
pub mod hostedshop_heyloyalty;
pub mod oneway;
/// The two-way flow of a shop's customers with a marketing list's members, by its job.
pub use hostedshop_heyloyalty as members;
pub mod report;
pub mod shopify_hubspot;
pub mod shopify_huddle;
pub mod shopware_spotler;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use crate::config::Profile;
use crate::connectors::shopify::settings::ShopifySettings;
use crate::connectors::system::System;
use crate::error::{CliError, CliResult};
use crate::health::Check;
use crate::model::Stream;
use crate::secret::Secret;
use crate::ui::Printer;
use report::{SyncOptions, SyncReport};

/// The credentials of a profile as far as they are set (`None`, or absent: not set).
pub type Secrets = HashMap<System, Option<Secret>>;

/// A check of a profile's connections, running.
pub type Checking<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// A one-way sync, running: its report, and the error that stopped it part-way, if one did.
pub type Syncing<'a> =
    Pin<Box<dyn Future<Output = CliResult<(SyncReport, Option<CliError>)>> + 'a>>;

/// What `sync` does with a profile of a flow.
pub enum SyncMode {
    /// Copies the source into the target: this runs it, with the profile's credentials.
    OneWay(for<'a> fn(&'a Profile, &'a SyncOptions, &'a Printer) -> Syncing<'a>),
    /// Settles both sides against each other (its own command and report).
    TwoWay,
    /// The flow is not run by `sync`: why, and what to run instead (`{profile}` is the
    /// profile's name).
    Elsewhere {
        why: &'static str,
        hint: &'static str,
    },
}

impl SyncMode {
    /// `sync` copies the source into the target.
    pub fn is_one_way(&self) -> bool {
        matches!(self, SyncMode::OneWay(_))
    }
}

/// One kind of profile shopsync runs.
pub struct Flow {
    /// `source = "..."`: a source connector's kind (`connectors::registry::CONNECTORS`).
    pub source: &'static str,
    /// `target = "..."`: a target connector's kind.
    pub target: &'static str,
    /// The streams `sync` copies, in the order it runs them; empty where the flow is not a
    /// stream sync (two-way members, the back office's commands, Huddle's webhooks).
    pub streams: &'static [Stream],
    /// Checks the profile's connections (hosts, credentials, versions, scopes) with the
    /// credentials given: what `doctor` and `setup` run.
    pub check: for<'a> fn(&'a Profile, &'a Secrets, &'a mut Vec<Check>) -> Checking<'a>,
    /// What `sync` does with it.
    pub sync: SyncMode,
    /// The credentials a profile of this flow has, in the order `auth status` and `doctor`
    /// report them.
    pub credentials: fn(&Profile) -> Vec<System>,
}

/// Every flow.
pub const FLOWS: &[Flow] = &[
    Flow {
        source: "shopify",
        target: "hubspot",
        // Deals point at contacts and products, so those go first.
        streams: &[Stream::Products, Stream::Customers, Stream::Orders],
        check: shopify_hubspot::check,
        sync: SyncMode::OneWay(shopify_hubspot::sync),
        credentials: |_| vec![System::Shopify, System::Hubspot],
    },
    Flow {
        source: "shopify",
        target: "huddle",
        streams: &[],
        check: shopify_huddle::check,
        sync: SyncMode::Elsewhere {
            why: "its members are sent to Huddle when orders are paid, not copied by sync",
            hint: "for Huddle memberships: `shopsync webhook register --profile {profile}` for \
                   new paid orders, and `shopsync webhook replay --profile {profile} --since \
                   DATE` for orders paid before it",
        },
        credentials: |_| vec![System::Shopify, System::Huddle, System::ShopifySecret],
    },
    Flow {
        source: "shopify",
        target: "backoffice",
        streams: &[],
        check: backoffice_shopify::check,
        sync: SyncMode::Elsewhere {
            why: "a back office is synced by its own commands",
            hint: "for a back office, the first run is `shopsync link-products --profile \
                   {profile}` (imports the shop's products), then `push-products`, `pull-stock` \
                   and `pull-customers`",
        },
        credentials: backoffice_shopify::credentials,
    },
    Flow {
        source: "shopware",
        target: "spotler",
        streams: &[Stream::Customers],
        check: shopware_spotler::check,
        sync: SyncMode::OneWay(shopware_spotler::sync),
        credentials: |_| {
            vec![
                System::ShopwareUser,
                System::ShopwareKey,
                System::SpotlerKey,
                System::SpotlerSecret,
            ]
        },
    },
    Flow {
        source: "hostedshop",
        target: "heyloyalty",
        streams: &[],
        check: hostedshop_heyloyalty::check,
        sync: SyncMode::TwoWay,
        credentials: |_| {
            vec![
                System::HostedshopUser,
                System::HostedshopPassword,
                System::HeyloyaltyKey,
                System::HeyloyaltySecret,
                System::HeyloyaltyWebhook,
            ]
        },
    },
];

/// The flow a validated profile runs.
pub fn of(profile: &Profile) -> &'static Flow {
    find(profile).expect("a validated profile pairs a source and a target of one flow")
}

/// The flow of a profile as the file has it (not validated): none for a source and target no
/// flow pairs.
pub fn find(profile: &Profile) -> Option<&'static Flow> {
    FLOWS
        .iter()
        .find(|f| f.source == profile.source && f.target == profile.target)
}

/// The credential `system` among `secrets`, if it is set.
pub fn secret(secrets: &Secrets, system: System) -> Option<Secret> {
    secrets.get(&system).cloned().flatten()
}

/// The check of the Shopify shop of a profile that reads or writes one.
async fn check_shopify(profile: &Profile, secrets: &Secrets, checks: &mut Vec<Check>) {
    let shop = profile.table::<ShopifySettings>();
    crate::connectors::shopify::health::check(
        &profile.name,
        &shop.api_base_url(),
        &shop.shop_domain(),
        secret(secrets, System::Shopify),
        checks,
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pairs the profile file accepts (`connectors::registry::PAIRS`) are the flows' pairs.
    #[test]
    fn the_registry_pairs_the_kinds_of_the_flows() {
        let flows: Vec<(&str, &str)> = FLOWS.iter().map(|f| (f.source, f.target)).collect();
        assert_eq!(flows, crate::connectors::registry::PAIRS);
    }

    /// Every source/target pair the profile file accepts has one flow.
    #[test]
    fn every_flow_has_one_pair() {
        for f in FLOWS {
            let same = FLOWS
                .iter()
                .filter(|g| g.source == f.source && g.target == f.target)
                .count();
            assert_eq!(same, 1, "{:?} -> {:?}", f.source, f.target);
        }
    }
}
