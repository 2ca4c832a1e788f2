//! The checks that talk to the vendors: host reachable, token accepted, API version served,
//! scopes granted. One request per question, no retries, a short timeout: the doctor reports
//! what it sees instead of waiting it out.

use std::time::Duration;

use serde_json::{json, Value};

use super::Check;
use crate::config::credentials::Secret;
use crate::config::profile::SHOPIFY_API_VERSION;
use crate::config::Profile;
use crate::connectors::shopify::documents;

/// The HubSpot API version every path is written against.
use crate::connectors::hubspot::API_VERSION as HUBSPOT_API_VERSION;

const TIMEOUT: Duration = Duration::from_secs(10);

fn client() -> reqwest::Client {
    crate::http::client_with_timeout(crate::http::request_timeout().min(TIMEOUT))
}

/// Any HTTP answer proves the host is reachable.
async fn reachable(http: &reqwest::Client, base: &str) -> Result<(), String> {
    match http.get(base).send().await {
        Ok(_) => Ok(()),
        Err(e) => Err(crate::http::describe(&e)),
    }
}

pub async fn shopify(profile: &Profile, token: Option<Secret>, checks: &mut Vec<Check>) {
    let name = Some(profile.name.as_str());
    let base = profile.shopify_base_url();
    let http = client();
    if let Err(why) = reachable(&http, &base).await {
        checks.push(
            Check::error(
                name,
                "shopify.host",
                format!("{base} cannot be reached: {why}"),
            )
            .fix(format!(
                "check the network, and `shop` (and `base_url`, if set) in [profiles.{}.shopify]",
                profile.name
            )),
        );
        for check in ["shopify.token", "shopify.api_version", "shopify.scopes"] {
            checks.push(Check::skipped(name, check, "the host cannot be reached"));
        }
        return;
    }
    checks.push(Check::ok(name, "shopify.host", format!("{base} answers")));
    let Some(token) = token else {
        for check in ["shopify.token", "shopify.api_version", "shopify.scopes"] {
            checks.push(Check::skipped(name, check, "no Shopify token"));
        }
        return;
    };
    let endpoint = format!("{base}/admin/api/{SHOPIFY_API_VERSION}/graphql.json");
    let post = |document: &'static str| {
        http.post(&endpoint)
            .header("X-Shopify-Access-Token", token.expose())
            .json(&json!({ "query": document, "variables": {} }))
            .send()
    };

    // Token: the shop query.
    let answer = match post(documents::SHOP.text).await {
        Ok(r) => r,
        Err(e) => {
            checks.push(Check::error(
                name,
                "shopify.token",
                format!("the shop query failed: {}", crate::http::describe(&e)),
            ));
            return;
        }
    };
    let status = answer.status().as_u16();
    let served = header(&answer, "x-shopify-api-version");
    let deprecated = header(&answer, "x-shopify-api-deprecated-reason");
    let body: Value = answer.json().await.unwrap_or(Value::Null);
    let fix_token = format!(
        "store the right Admin API access token (shpat_...) with `shopsync auth set {0} shopify`, \
         or set SHOPSYNC_{1}_SHOPIFY_TOKEN",
        profile.name,
        env_fragment(&profile.name)
    );
    match status {
        200 if body["data"]["shop"].is_object() => {
            let shop = &body["data"]["shop"];
            let domain = shop["myshopifyDomain"].as_str().unwrap_or_default();
            checks.push(Check::ok(
                name,
                "shopify.token",
                format!(
                    "accepted by {} ({domain})",
                    shop["name"].as_str().unwrap_or("the shop")
                ),
            ));
            if !domain.is_empty() && domain != profile.shop_domain() {
                checks.push(
                    Check::warning(
                        name,
                        "shopify.token",
                        format!(
                            "the token belongs to {domain}, but the profile names {}",
                            profile.shop_domain()
                        ),
                    )
                    .fix(format!(
                        "set `shop = \"{domain}\"` in [profiles.{}.shopify], or use that shop's token",
                        profile.name
                    )),
                );
            }
        }
        401 | 403 => {
            checks.push(
                Check::error(
                    name,
                    "shopify.token",
                    format!("Shopify refused the access token (HTTP {status})"),
                )
                .fix(fix_token),
            );
            for check in ["shopify.api_version", "shopify.scopes"] {
                checks.push(Check::skipped(name, check, "the token was refused"));
            }
            return;
        }
        404 => {
            checks.push(
                Check::error(
                    name,
                    "shopify.api_version",
                    format!(
                        "no Shopify Admin API {SHOPIFY_API_VERSION} answers at {endpoint} (HTTP 404)"
                    ),
                )
                .fix(format!(
                    "check `shop` (the NAME.myshopify.com domain, Shopify admin > Settings > \
                     Domains) and `base_url` in [profiles.{}.shopify]",
                    profile.name
                )),
            );
            for check in ["shopify.token", "shopify.scopes"] {
                checks.push(Check::skipped(name, check, "no Admin API at that address"));
            }
            return;
        }
        _ => {
            checks.push(
                Check::error(
                    name,
                    "shopify.token",
                    format!("the shop query answered HTTP {status}: {}", short(&body)),
                )
                .fix("try again in a minute; if it persists, check Shopify's status page"),
            );
            return;
        }
    }

    // API version: Shopify answers an unsupported version with the oldest one it still serves.
    match served.as_deref() {
        Some(v) if v == SHOPIFY_API_VERSION => {
            let check = Check::ok(
                name,
                "shopify.api_version",
                format!("{SHOPIFY_API_VERSION} is served"),
            );
            checks.push(check);
            if let Some(reason) = deprecated {
                checks.push(
                    Check::warning(
                        name,
                        "shopify.api_version",
                        format!("Shopify marks this request deprecated: {reason}"),
                    )
                    .fix("upgrade shopsync before the version is retired"),
                );
            }
        }
        Some(v) => checks.push(
            Check::error(
                name,
                "shopify.api_version",
                format!(
                    "shopsync asks for API version {SHOPIFY_API_VERSION}, but Shopify answered with {v}"
                ),
            )
            .fix("upgrade shopsync: this version is no longer (or not yet) served"),
        ),
        None => checks.push(Check::warning(
            name,
            "shopify.api_version",
            format!("the answer did not say which API version it is (asked for {SHOPIFY_API_VERSION})"),
        ).fix("check `base_url`: a proxy may drop the X-Shopify-API-Version header")),
    }

    // Scopes: each count needs its read scope; ACCESS_DENIED names the field.
    let answer = match post(documents::STORE_COUNTS.text).await {
        Ok(r) => r.json::<Value>().await.unwrap_or(Value::Null),
        Err(e) => {
            checks.push(Check::error(
                name,
                "shopify.scopes",
                format!("the counts query failed: {}", crate::http::describe(&e)),
            ));
            return;
        }
    };
    let missing = shopify_missing_scopes(&answer);
    if missing.is_empty() {
        checks.push(Check::ok(
            name,
            "shopify.scopes",
            "read_products, read_customers, read_orders granted (orders older than 60 days also need read_all_orders)",
        ));
    } else {
        checks.push(
            Check::error(
                name,
                "shopify.scopes",
                format!("the token lacks the access scope {}", missing.join(", ")),
            )
            .fix(format!(
                "add {} in Shopify admin > Apps > Develop apps > Configuration > Admin API scopes, \
                 reinstall the app, and store the new token with `shopsync auth set {} shopify`",
                missing.join(", "),
                profile.name
            )),
        );
    }
}

/// The read scopes an answer to the counts query says are missing.
fn shopify_missing_scopes(answer: &Value) -> Vec<String> {
    let mut missing = Vec::new();
    for error in answer["errors"].as_array().into_iter().flatten() {
        if error["extensions"]["code"].as_str() != Some("ACCESS_DENIED") {
            continue;
        }
        let field = error["path"][0].as_str().unwrap_or_default();
        let message = error["message"].as_str().unwrap_or_default();
        let scope = match field {
            "productsCount" => "read_products".to_string(),
            "customersCount" => "read_customers".to_string(),
            "ordersCount" => "read_orders".to_string(),
            _ => scope_in(message).unwrap_or_else(|| message.to_string()),
        };
        if !missing.contains(&scope) {
            missing.push(scope);
        }
    }
    missing
}

/// `read_orders` out of "Access denied for ordersCount field. Required access: `read_orders`".
fn scope_in(message: &str) -> Option<String> {
    let start = message.find("read_").or_else(|| message.find("write_"))?;
    let scope: String = message[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    Some(scope)
}

/// Huddle has no API to test a key against (only the webhook endpoint, which would create a
/// membership), so the doctor checks that the host answers.
pub async fn huddle(profile: &Profile, checks: &mut Vec<Check>) {
    let name = Some(profile.name.as_str());
    let Some(base) = profile.huddle_base_url() else {
        return;
    };
    match reachable(&client(), &base).await {
        Ok(()) => checks.push(Check::ok(
            name,
            "huddle.host",
            format!("{base} answers (the API key is only tested by a real delivery)"),
        )),
        Err(why) => checks.push(
            Check::error(
                name,
                "huddle.host",
                format!("{base} cannot be reached: {why}"),
            )
            .fix(format!(
                "check `domain` (and `base_url`) in [profiles.{}.huddle]: it is the host of \
                     your Huddle, e.g. leden.example.nl",
                profile.name
            )),
        ),
    }
}

pub async fn hubspot(profile: &Profile, token: Option<Secret>, checks: &mut Vec<Check>) {
    let name = Some(profile.name.as_str());
    let base = profile.hubspot_base_url();
    let http = client();
    if let Err(why) = reachable(&http, &base).await {
        checks.push(
            Check::error(name, "hubspot.host", format!("{base} cannot be reached: {why}")).fix(
                format!(
                    "check the network, and `base_url` in [profiles.{}.hubspot] (or remove it for https://api.hubapi.com)",
                    profile.name
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
                        profile.name,
                        env_fragment(&profile.name)
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
                        profile.name
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

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn short(body: &Value) -> String {
    body.to_string().chars().take(200).collect()
}

/// The profile's part of an environment variable name (`my-shop` -> `MY_SHOP`).
fn env_fragment(profile: &str) -> String {
    let [per_profile, _] = crate::config::credentials::env_var_names(
        profile,
        crate::connectors::registry::System::Shopify,
    );
    per_profile
        .trim_start_matches("SHOPSYNC_")
        .trim_end_matches("_SHOPIFY_TOKEN")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shopify_access_denied_names_the_scope() {
        let answer = json!({
            "data": {"productsCount": {"count": 3}, "customersCount": null, "ordersCount": null},
            "errors": [
                {"message": "Access denied for customersCount field. Required access: `read_customers` access scope.",
                 "path": ["customersCount"], "extensions": {"code": "ACCESS_DENIED"}},
                {"message": "Access denied for ordersCount field.",
                 "path": ["ordersCount"], "extensions": {"code": "ACCESS_DENIED"}}
            ]
        });
        assert_eq!(
            shopify_missing_scopes(&answer),
            vec!["read_customers".to_string(), "read_orders".to_string()]
        );
        assert_eq!(
            scope_in("Required access: `read_all_orders`."),
            Some("read_all_orders".into())
        );
    }

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
        assert_eq!(env_fragment("my-shop"), "MY_SHOP");
    }
}
