//! Doctor checks of a two-way members profile: the shop's SOAP API user (a session and a read
//! of the customer groups) and the Heyloyalty account (a signed read of the lists, and the
//! profile's single list when it exists).

use super::{local, Check};
use crate::config::credentials::KeyringError;
use crate::config::Profile;
use crate::connectors::heyloyalty::settings::ListStrategy;
use crate::connectors::heyloyalty::HeyloyaltyClient;
use crate::connectors::hostedshop::{soap, HostedShop, SoapClient};
use crate::connectors::registry::System;

pub async fn check(profile: &Profile, keyring: &Result<(), KeyringError>, checks: &mut Vec<Check>) {
    let name = Some(profile.name.as_str());
    let mut secret = |system| local::credential(&profile.name, system, keyring, checks);
    let user = secret(System::HostedshopUser);
    let password = secret(System::HostedshopPassword);
    let key = secret(System::HeyloyaltyKey);
    let hl_secret = secret(System::HeyloyaltySecret);
    local::credential(&profile.name, System::HeyloyaltyWebhook, keyring, checks);
    match (user, password) {
        (Some(user), Some(password)) => {
            let s = profile.hostedshop.clone();
            let endpoint = s
                .as_ref()
                .map(|s| s.endpoint())
                .unwrap_or_else(|| soap::ENDPOINT.into());
            let shop = HostedShop::new(SoapClient::new(&endpoint, user, password, 4.0));
            match shop.check().await {
                Ok(groups) => checks.push(Check::ok(
                    name,
                    "hostedshop.connection",
                    format!("the shop's SOAP API at {endpoint} accepts the API user ({groups} customer group(s))"),
                )),
                Err(e) => {
                    let e = crate::error::CliError::from(e);
                    checks.push(
                        Check::error(name, "hostedshop.connection", e.message)
                            .fix(e.hint.unwrap_or_else(|| "check `endpoint` in [profiles.NAME.hostedshop]".into())),
                    );
                }
            }
        }
        _ => checks.push(Check::skipped(
            name,
            "hostedshop.connection",
            "a HostedShop credential is missing",
        )),
    }
    let Some(settings) = profile.heyloyalty.clone() else {
        return;
    };
    match (key, hl_secret) {
        (Some(key), Some(secret)) => {
            let hl = HeyloyaltyClient::new(&settings.base_url(), key, secret, 4.0);
            match hl.lists().await {
                Ok(lists) => {
                    checks.push(Check::ok(
                        name,
                        "heyloyalty.connection",
                        format!(
                            "Heyloyalty accepts the signed requests ({} list(s))",
                            lists.len()
                        ),
                    ));
                    if settings.list_strategy != ListStrategy::PerGroup {
                        let list = settings.list.clone().unwrap_or_default();
                        if !lists.iter().any(|(_, n)| *n == list) {
                            checks.push(Check::warning(
                                name,
                                "heyloyalty.list",
                                format!("the list \"{list}\" does not exist yet: the first sync creates it once a customer has newsletter permission"),
                            ));
                        }
                    }
                }
                Err(e) => {
                    let e = crate::error::CliError::from(e);
                    checks.push(Check::error(name, "heyloyalty.connection", e.message).fix(
                        e.hint.unwrap_or_else(|| {
                            "check `base_url` in [profiles.NAME.heyloyalty]".into()
                        }),
                    ));
                }
            }
        }
        _ => checks.push(Check::skipped(
            name,
            "heyloyalty.connection",
            "a Heyloyalty credential is missing",
        )),
    }
}
