//! `doctor`'s check of a HostedShop shop: a SOAP session with the API user and one read (the
//! customer groups).

use super::settings::HostedShopSettings;
use super::{soap, HostedShop, SoapClient};
use crate::health::Check;
use crate::secret::Secret;

/// `profile` names the profile (for the fixes); `settings` is its `[hostedshop]` table.
pub async fn check(
    profile: &str,
    settings: Option<&HostedShopSettings>,
    user: Option<Secret>,
    password: Option<Secret>,
    checks: &mut Vec<Check>,
) {
    let name = Some(profile);
    let (Some(user), Some(password)) = (user, password) else {
        checks.push(Check::skipped(
            name,
            "hostedshop.connection",
            "a HostedShop credential is missing",
        ));
        return;
    };
    let endpoint = settings
        .map(|s| s.endpoint())
        .unwrap_or_else(|| soap::ENDPOINT.into());
    let shop = HostedShop::new(SoapClient::new(
        &endpoint,
        user,
        password,
        soap::DEFAULT_CALLS_PER_SECOND,
    ));
    match shop.check().await {
        Ok(groups) => checks.push(Check::ok(
            name,
            "hostedshop.connection",
            format!("the shop's SOAP API at {endpoint} accepts the API user ({groups} customer group(s))"),
        )),
        Err(e) => {
            let e = crate::error::CliError::from(e);
            checks.push(
                Check::error(name, "hostedshop.connection", e.message).fix(
                    e.hint
                        .unwrap_or_else(|| format!("check `endpoint` in [profiles.{}.hostedshop]", profile)),
                ),
            );
        }
    }
}
