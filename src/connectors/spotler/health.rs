//! `doctor`'s check of a Spotler Mail+ account: the REST API answers and accepts the consumer
//! key and signature.

use super::client::{Property, SpotlerClient};
use crate::health::Check;
use crate::secret::Secret;

/// Checks the API by reading the property catalogue; the client and the catalogue, when it
/// passed.
pub async fn check(
    profile: &str,
    base_url: &str,
    key: Secret,
    secret: Secret,
    checks: &mut Vec<Check>,
) -> Option<(SpotlerClient, Vec<Property>)> {
    let client = SpotlerClient::new(base_url, key, secret);
    match client.properties().await {
        Ok(props) => {
            let bits = props
                .iter()
                .find(|p| p.name == "permissions")
                .map(|p| {
                    p.entries
                        .iter()
                        .map(|(b, d)| format!("{b} {d}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_else(|| "none".into());
            checks.push(Check::ok(
                Some(profile),
                "spotler.api",
                format!(
                    "Spotler accepted the consumer key and signature ({} contact properties; permission bits: {bits})",
                    props.len()
                ),
            ));
            Some((client, props))
        }
        Err(e) => {
            let e: crate::error::CliError = e.into();
            let mut c = Check::error(Some(profile), "spotler.api", e.message.clone());
            c.fix = e.hint;
            checks.push(c);
            None
        }
    }
}
