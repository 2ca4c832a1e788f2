//! A flow wires one source connector, the engine and one target connector for a profile: which
//! streams, in which order, incremental or full, and what the run reports.
//!
//! [`FLOWS`] lists them as data: the profile kinds each runs, the streams it syncs and how its
//! connections are checked. Commands that work for any profile (`doctor`, `setup`, `sync`) look
//! a profile's flow up here instead of matching on vendors.

pub mod backoffice_shopify;
pub mod hostedshop_heyloyalty;
/// The two-way flow of a shop's customers with a marketing list's members, by its job.
pub use hostedshop_heyloyalty as members;
pub mod shopify_hubspot;
pub mod shopify_huddle;
pub mod shopware_spotler;

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use crate::config::profile::{SourceKind, TargetKind};
use crate::config::Profile;
use crate::connectors::system::System;
use crate::health::Check;
use crate::model::Stream;
use crate::secret::Secret;

/// The credentials of a profile as far as they are set (`None`, or absent: not set).
pub type Secrets = HashMap<System, Option<Secret>>;

/// A check of a profile's connections, running.
pub type Checking<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// One kind of profile shopsync runs.
pub struct Flow {
    pub source: SourceKind,
    pub target: TargetKind,
    /// The streams `sync` copies, in the order it runs them; empty where the flow is not a
    /// stream sync (two-way members, the back office's commands, Huddle's webhooks).
    pub streams: &'static [Stream],
    /// Checks the profile's connections (hosts, credentials, versions, scopes) with the
    /// credentials given: what `doctor` and `setup` run.
    pub check: for<'a> fn(&'a Profile, &'a Secrets, &'a mut Vec<Check>) -> Checking<'a>,
}

/// Every flow.
pub const FLOWS: &[Flow] = &[
    Flow {
        source: SourceKind::Shopify,
        target: TargetKind::Hubspot,
        // Deals point at contacts and products, so those go first.
        streams: &[Stream::Products, Stream::Customers, Stream::Orders],
        check: shopify_hubspot::check,
    },
    Flow {
        source: SourceKind::Shopify,
        target: TargetKind::Huddle,
        streams: &[],
        check: shopify_huddle::check,
    },
    Flow {
        source: SourceKind::Shopify,
        target: TargetKind::Backoffice,
        streams: &[],
        check: backoffice_shopify::check,
    },
    Flow {
        source: SourceKind::Shopware,
        target: TargetKind::Spotler,
        streams: &[Stream::Customers],
        check: shopware_spotler::check,
    },
    Flow {
        source: SourceKind::Hostedshop,
        target: TargetKind::Heyloyalty,
        streams: &[],
        check: hostedshop_heyloyalty::check,
    },
];

/// The flow a validated profile runs.
pub fn of(profile: &Profile) -> &'static Flow {
    FLOWS
        .iter()
        .find(|f| f.source == profile.source && f.target == profile.target)
        .expect("a validated profile pairs a source and a target of one flow")
}

/// The credential `system` among `secrets`, if it is set.
pub fn secret(secrets: &Secrets, system: System) -> Option<Secret> {
    secrets.get(&system).cloned().flatten()
}

/// The check of the Shopify shop of a profile that reads or writes one.
async fn check_shopify(profile: &Profile, secrets: &Secrets, checks: &mut Vec<Check>) {
    crate::connectors::shopify::health::check(
        &profile.name,
        &profile.shopify_base_url(),
        &profile.shop_domain(),
        secret(secrets, System::Shopify),
        checks,
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

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
