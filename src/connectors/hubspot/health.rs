//! `doctor`'s checks of a HubSpot account: host, token, API version, scopes.

use serde_json::Value;

use super::API_VERSION as HUBSPOT_API_VERSION;
use crate::health::{client, reachable, short, Check};
use crate::secret::env_fragment;
use crate::secret::Secret;

/// `profile` names the profile (for the fixes); `base` is where its HubSpot API is reached.
pub async fn check(profile: &str, base: &str, token: Option<Secret>, checks: &mut Vec<Check>) {
    let name = Some(profile);
    let http = client();
    if let Err(why) = reachable(&http, base).await {
        checks.push(
            Check::error(name, "hubspot.host", format!("{base} cannot be reached: {why}")).fix(
                format!(
                    "check the network, and `base_url` in [profiles.{}.hubspot] (or remove it for https://api.hubapi.com)",
                    profile
                ),
            ),
        );
        for check in ["hubspot.token", "hubspot.api_version", "hubspot.scopes"] {
            checks.push(Check::skipped(name, check, "the host cannot be reached"));
        }
        return;
    }
    checks.push(Check::ok(name, "hubspot.host", format!("{base} answers")));
    let Some(token) = token else {
        for check in ["hubspot.token", "hubspot.api_version", "hubspot.scopes"] {
            checks.push(Check::skipped(name, check, "no HubSpot token"));
        }
        return;
    };
    let get = |path: String| {
        http.get(format!("{base}{path}"))
            .bearer_auth(token.expose())
            .send()
    };
    // One cheap read per object shopsync writes; each needs its own scope.
    let probes = [
        (
            "contacts",
            format!("/crm/objects/{HUBSPOT_API_VERSION}/contacts?limit=1"),
        ),
        (
            "deals",
            format!("/crm/objects/{HUBSPOT_API_VERSION}/deals?limit=1"),
        ),
        (
            "products",
            format!("/crm/objects/{HUBSPOT_API_VERSION}/products?limit=1"),
        ),
        (
            "line items",
            format!("/crm/objects/{HUBSPOT_API_VERSION}/line_items?limit=1"),
        ),
        (
            "deal pipelines",
            format!("/crm/pipelines/{HUBSPOT_API_VERSION}/deals"),
        ),
    ];
    let mut missing: Vec<String> = Vec::new();
    let mut denied: Vec<&str> = Vec::new();
    for (i, (what, path)) in probes.iter().enumerate() {
        let answer = match get(path.clone()).await {
            Ok(r) => r,
            Err(e) => {
                checks.push(Check::error(
                    name,
                    if i == 0 {
                        "hubspot.token"
                    } else {
                        "hubspot.scopes"
                    },
                    format!("reading {what} failed: {}", crate::http::describe(&e)),
                ));
                return;
            }
        };
        let status = answer.status().as_u16();
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        match status {
            200..=299 => {}
            401 => {
                checks.push(
                    Check::error(
                        name,
                        "hubspot.token",
                        "HubSpot refused the access token (HTTP 401)",
                    )
                    .fix(format!(
                        "store the right private app token (pat-...) or service key with \
                             `shopsync auth set {0} hubspot`, or set SHOPSYNC_{1}_HUBSPOT_TOKEN",
                        profile,
                        env_fragment(profile)
                    )),
                );
                for check in ["hubspot.api_version", "hubspot.scopes"] {
                    checks.push(Check::skipped(name, check, "the token was refused"));
                }
                return;
            }
            403 => {
                denied.push(what);
                for scope in hubspot_required_scopes(&body) {
                    if !missing.contains(&scope) {
                        missing.push(scope);
                    }
                }
            }
            404 if i == 0 => {
                checks.push(Check::ok(name, "hubspot.token", "accepted"));
                checks.push(
                    Check::error(
                        name,
                        "hubspot.api_version",
                        format!("{base} does not serve the CRM API {HUBSPOT_API_VERSION} (HTTP 404 on {path})"),
                    )
                    .fix(format!(
                        "check `base_url` in [profiles.{}.hubspot] (remove it for https://api.hubapi.com), or upgrade shopsync",
                        profile
                    )),
                );
                checks.push(Check::skipped(
                    name,
                    "hubspot.scopes",
                    "the API version is not served",
                ));
                return;
            }
            _ => {
                checks.push(
                    Check::warning(
                        name,
                        if i == 0 {
                            "hubspot.token"
                        } else {
                            "hubspot.scopes"
                        },
                        format!(
                            "reading {what} answered HTTP {status}: {}",
                            body["message"]
                                .as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| short(&body))
                        ),
                    )
                    .fix("try again in a minute"),
                );
                return;
            }
        }
        if i == 0 {
            checks.push(Check::ok(name, "hubspot.token", "accepted"));
            checks.push(Check::ok(
                name,
                "hubspot.api_version",
                format!("{HUBSPOT_API_VERSION} is served"),
            ));
        }
    }
    if denied.is_empty() {
        checks.push(Check::ok(
            name,
            "hubspot.scopes",
            "contacts, deals, products, line items and pipelines can be read (write scopes are checked by the first real run)",
        ));
    } else {
        let scopes = if missing.is_empty() {
            format!("the scopes to read {}", denied.join(", "))
        } else {
            missing.join(", ")
        };
        checks.push(
            Check::error(
                name,
                "hubspot.scopes",
                format!(
                    "HubSpot denied reading {} (missing {scopes})",
                    denied.join(", ")
                ),
            )
            .fix(format!(
                "add {scopes} to the private app or service key (HubSpot Settings > Integrations > \
                 Private apps > Scopes), together with the write scopes listed in the README"
            )),
        );
    }
}

/// `errors[].context.requiredGranularScopes` of a 403 MISSING_SCOPES body.
fn hubspot_required_scopes(body: &Value) -> Vec<String> {
    let mut scopes = Vec::new();
    for error in body["errors"].as_array().into_iter().flatten() {
        for s in error["context"]["requiredGranularScopes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !scopes.iter().any(|k| k == s) {
                scopes.push(s.to_string());
            }
        }
    }
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hubspot_missing_scopes_are_read_from_the_context() {
        let body = json!({
            "status": "error", "category": "MISSING_SCOPES",
            "message": "This app hasn't been granted all required scopes to make this call.",
            "errors": [{"message": "One or more of the following scopes are required.",
                        "context": {"requiredGranularScopes": ["crm.objects.deals.read"]}}]
        });
        assert_eq!(
            hubspot_required_scopes(&body),
            vec!["crm.objects.deals.read"]
        );
    }
}
