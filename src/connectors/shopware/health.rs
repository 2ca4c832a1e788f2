//! `doctor`'s check of a Shopware 5 shop: its REST API answers and accepts the API user.

use super::client::Shopware5Client;
use crate::config::credentials::Secret;
use crate::health::Check;

/// Checks the API with one customer-list request; the client, when it passed.
pub async fn check(
    profile: &str,
    base_url: &str,
    user: Secret,
    key: Secret,
    checks: &mut Vec<Check>,
) -> Option<Shopware5Client> {
    let client = Shopware5Client::new(base_url, user, key);
    match client.customer_page(None, 0, 1).await {
        Ok((_, total)) => {
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
