//! `doctor`'s check of a Heyloyalty account: a signed read of the lists, and whether the
//! profile's single list exists yet.

use super::settings::{HeyloyaltySettings, ListStrategy};
use super::HeyloyaltyClient;
use crate::health::Check;
use crate::secret::Secret;

/// `profile` names the profile (for the fixes); `settings` is its `[heyloyalty]` table.
pub async fn check(
    profile: &str,
    settings: Option<&HeyloyaltySettings>,
    key: Option<Secret>,
    secret: Option<Secret>,
    checks: &mut Vec<Check>,
) {
    let name = Some(profile);
    let Some(settings) = settings.cloned() else {
        return;
    };
    let (Some(key), Some(secret)) = (key, secret) else {
        checks.push(Check::skipped(
            name,
            "heyloyalty.connection",
            "a Heyloyalty credential is missing",
        ));
        return;
    };
    let hl = HeyloyaltyClient::new(
        &settings.base_url(),
        key,
        secret,
        super::client::DEFAULT_REQUESTS_PER_SECOND,
    );
    match hl.lists().await {
        Ok(lists) => {
            checks.push(Check::ok(
                name,
                "heyloyalty.connection",
                format!(
                    "Heyloyalty at {} accepts the signed requests ({} list(s))",
                    settings.base_url(),
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
                    format!("check `base_url` in [profiles.{}.heyloyalty]", profile)
                }),
            ));
        }
    }
}
