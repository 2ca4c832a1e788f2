//! `doctor`'s check of a Shopware shop: its API answers and accepts the credentials.

use super::Shop;
use crate::health::Check;

/// Checks the API with one customer-list request; the client, when it passed.
pub async fn check(
    profile: &str,
    base_url: &str,
    client: Shop,
    checks: &mut Vec<Check>,
) -> Option<Shop> {
    match client.probe().await {
        Ok(total) => {
            checks.push(Check::ok(
                Some(profile),
                "shopware.api",
                format!(
                    "Shopware's REST API at {base_url} accepted the API user ({total} customers)"
                ),
            ));
            Some(client)
        }
        Err(e) => {
            let e: crate::error::CliError = e.into();
            let mut c = Check::error(Some(profile), "shopware.api", e.message.clone());
            c.fix = e.hint;
            checks.push(c);
            None
        }
    }
}
