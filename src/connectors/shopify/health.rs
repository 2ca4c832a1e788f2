//! `doctor`'s checks of a shop: host, token (and which shop it is for), API version, scopes.

use serde_json::{json, Value};

use super::documents;
use super::settings::SHOPIFY_API_VERSION;
use crate::health::{client, header, reachable, short, Check};
use crate::secret::env_fragment;
use crate::secret::Secret;

/// `profile` names the profile (for the fixes); `base` is where the shop's Admin API is
/// reached and `shop_domain` the shop the profile names (`NAME.myshopify.com`).
pub async fn check(
    profile: &str,
    base: &str,
    shop_domain: &str,
    token: Option<Secret>,
    checks: &mut Vec<Check>,
) {
    let name = Some(profile);
    let http = client();
    if let Err(why) = reachable(&http, base).await {
        checks.push(
            Check::error(
                name,
                "shopify.host",
                format!("{base} cannot be reached: {why}"),
            )
            .fix(format!(
                "check the network, and `shop` (and `base_url`, if set) in [profiles.{}.shopify]",
                profile
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
        profile,
        env_fragment(profile)
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
            if !domain.is_empty() && domain != shop_domain {
                checks.push(
                    Check::warning(
                        name,
                        "shopify.token",
                        format!(
                            "the token belongs to {domain}, but the profile names {}",
                            shop_domain
                        ),
                    )
                    .fix(format!(
                        "set `shop = \"{domain}\"` in [profiles.{}.shopify], or use that shop's token",
                        profile
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
                    profile
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
                profile
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
}
