//! Shopify -> Huddle backfill: send orders that were paid before the `orders/paid` webhook
//! existed to Huddle, once ever each, in the shape and with the headers of Shopify's own
//! deliveries.
//!
//! Which orders: paid (`financial_status:paid`), processed in `[since, until)` and paid before
//! `until`, with at least one line whose SKU is in the profile's SKU table (the orders search is
//! asked only for those, with its `sku:` filter). `until` defaults to
//! the creation time of the profile's registered `ORDERS_PAID` webhook: orders paid after it were
//! delivered by Shopify itself and must not be sent again (an order placed before the webhook but
//! paid after it is one of those).
//!
//! At most once: each order's send is recorded in the state store as `sending` (durably) before
//! the request and as `sent` after a 2xx. A run that dies in between leaves `sending`; no later
//! run sends such an order (or an `uncertain` one, whose request timed out) on its own: it is
//! reported with the flag that forces it (`--resend ORDER`). Orders Huddle refused (4xx) or never
//! received are `failed` and are sent again by the next run.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::config::credentials::Secret;
use crate::config::Profile;
use crate::connectors::huddle::settings::HuddleSettings;
use crate::connectors::huddle::{self, HuddleClient, Outcome};
use crate::connectors::shopify::rest_order::{legacy_id, rest_order};
use crate::connectors::shopify::settings::{ShopifySettings, SHOPIFY_API_VERSION};
use crate::connectors::shopify::ShopifyClient;
use crate::error::CliError;
use crate::state::{SendStatus, StateStore};
use crate::ui::Printer;

pub struct BackfillOptions {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    /// Where `until` came from: `flag`, `webhook` (the subscription's creation) or `now`.
    pub until_from: &'static str,
    pub dry_run: bool,
    /// Orders to send even though they were sent (or may have been): names, ids or gids.
    pub resend: Vec<String>,
    /// Send every `sending`/`uncertain` order again.
    pub resend_uncertain: bool,
}

/// One order with a mapped SKU, and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct OrderResult {
    pub order_id: String,
    pub name: String,
    pub processed_at: String,
    /// The mapped SKUs on it.
    pub skus: Vec<String>,
    /// sent | would_send | already_sent | uncertain | failed
    pub action: &'static str,
    pub webhook_id: Option<String>,
    pub http_status: Option<u16>,
    pub detail: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub since: String,
    pub until: String,
    pub until_from: &'static str,
    pub dry_run: bool,
    /// Whether the requests carry X-Shopify-Hmac-Sha256 (the app secret is known).
    pub signed: bool,
    /// Paid orders in the window that Shopify's search found with a mapped SKU.
    pub orders_read: u64,
    /// Of those, orders without a mapped SKU after all (not sent): the search matches words
    /// of a SKU, shopsync the whole SKU.
    pub without_mapped_sku: u64,
    pub orders: Vec<OrderResult>,
    /// How many orders ended with each action.
    pub counts: BTreeMap<&'static str, u64>,
    /// `--resend` values that matched no order in the window.
    pub resend_not_found: Vec<String>,
    /// Why the run stopped before the end, if it did.
    pub stopped: Option<String>,
}

/// What the backfill needs to send (not needed for a dry run).
pub struct Sender {
    pub huddle: HuddleClient,
    pub app_secret: Option<Secret>,
}

/// A random version-4 UUID, the form of Shopify's webhook and event ids.
pub fn new_uuid() -> String {
    let b: [u8; 16] = rand::random();
    let mut b = b;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Whether `wanted` (as typed after --resend) names this order: `#1001`, `1001`, the numeric
/// id or the gid.
fn names_order(wanted: &str, order: &Value) -> bool {
    let w = wanted.trim();
    let name = order["name"].as_str().unwrap_or("");
    let gid = order["id"].as_str().unwrap_or("");
    let id = legacy_id(&order["id"]).to_string();
    !w.is_empty()
        && (w == name
            || name.strip_prefix('#') == Some(w)
            || w == gid
            || w == id
            || order["number"].as_i64().map(|n| n.to_string()).as_deref()
                == Some(w.trim_start_matches('#')))
}

pub async fn run(
    profile: &Profile,
    shopify: &ShopifyClient,
    store: &StateStore,
    sender: Option<&Sender>,
    options: &BackfillOptions,
    printer: &Printer,
) -> Result<(Report, Option<CliError>), CliError> {
    let mappings = store.sku_mappings()?;
    if mappings.is_empty() {
        return Err(no_mappings_error(&profile.name));
    }
    let stamp = |t: &DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut report = Report {
        since: stamp(&options.since),
        until: stamp(&options.until),
        until_from: options.until_from,
        dry_run: options.dry_run,
        signed: sender.is_some_and(|s| s.app_secret.is_some()),
        orders_read: 0,
        without_mapped_sku: 0,
        orders: Vec::new(),
        counts: BTreeMap::new(),
        resend_not_found: Vec::new(),
        stopped: None,
    };
    let window = format!(
        "financial_status:paid AND processed_at:>='{}' AND processed_at:<'{}'",
        report.since, report.until
    );
    let mut skus: Vec<&str> = mappings.iter().map(|m| m.sku.as_str()).collect();
    skus.sort_unstable();
    skus.dedup();
    let queries: Vec<String> = skus
        .chunks(SKUS_PER_SEARCH)
        .map(|chunk| format!("{window} AND ({})", sku_filter(chunk)))
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut resend_used = vec![false; options.resend.len()];
    let mut stop: Option<CliError> = None;
    'queries: for query in &queries {
        let mut after: Option<String> = None;
        'pages: loop {
            let page = shopify.webhook_orders_page(query, after.take()).await?;
            for order in &page.orders {
                // An order with SKUs in two chunks of the filter is found twice.
                if !seen.insert(order["id"].as_str().unwrap_or_default().to_string()) {
                    continue;
                }
                report.orders_read += 1;
                let mut skus: Vec<String> = Vec::new();
                for line in order["lineItems"]["nodes"].as_array().into_iter().flatten() {
                    if let Some(sku) = line["sku"].as_str().map(str::trim) {
                        if mappings.iter().any(|m| m.sku == sku) && !skus.iter().any(|s| s == sku) {
                            skus.push(sku.to_string());
                        }
                    }
                }
                if skus.is_empty() {
                    report.without_mapped_sku += 1;
                    continue;
                }
                let order_id = order["id"].as_str().unwrap_or("").to_string();
                let name = order["name"].as_str().unwrap_or("").to_string();
                let record = store.send_record(&order_id)?;
                let mut forced = false;
                for (i, w) in options.resend.iter().enumerate() {
                    if names_order(w, order) {
                        resend_used[i] = true;
                        forced = true;
                    }
                }
                let status = record.as_ref().map(|r| r.status);
                if options.resend_uncertain
                    && matches!(status, Some(SendStatus::Sending | SendStatus::Uncertain))
                {
                    forced = true;
                }
                let mut result = OrderResult {
                    order_id: order_id.clone(),
                    name: name.clone(),
                    processed_at: order["processedAt"].as_str().unwrap_or("").to_string(),
                    skus,
                    action: "would_send",
                    webhook_id: record.as_ref().map(|r| r.webhook_id.clone()),
                    http_status: None,
                    detail: None,
                };
                let paid = paid_at(order);
                let skip = match (status, forced) {
                    // Created before the end of the window but paid after it: when the window ends
                    // at the webhook's registration, Shopify delivered this order itself.
                    (_, false) if paid.is_some_and(|p| p >= options.until) => Some((
                        "paid_after_window",
                        format!(
                            "paid at {}, after the window's end ({}): {}",
                            paid.map(|p| stamp(&p)).unwrap_or_default(),
                            report.until,
                            if options.until_from == "webhook" {
                                "Shopify delivered it through the webhook"
                            } else {
                                "not sent"
                            }
                        ),
                    )),
                    (Some(SendStatus::Sent), false) => Some((
                        "already_sent",
                        format!(
                            "sent on {}; `--resend {name}` sends it again",
                            record.as_ref().map(|r| r.updated_at.as_str()).unwrap_or("")
                        ),
                    )),
                    (Some(SendStatus::Sending | SendStatus::Uncertain), false) => Some((
                        "uncertain",
                        format!(
                        "a send started on {} never finished{}: Huddle may or may not have it. \
                         Check the member in Huddle; to send it anyway: `shopsync webhook replay \
                         --profile {} --since {} --resend {name}`",
                        record.as_ref().map(|r| r.updated_at.as_str()).unwrap_or(""),
                        record
                            .as_ref()
                            .and_then(|r| r.detail.as_deref())
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default(),
                        profile.name,
                        report.since,
                    ),
                    )),
                    _ => None,
                };
                if let Some((action, detail)) = skip {
                    result.action = action;
                    result.detail = Some(detail);
                    finish(&mut report, result, printer);
                    continue;
                }
                if status == Some(SendStatus::Failed) {
                    result.detail = Some("failed before; sent again".into());
                } else if forced {
                    result.detail = Some("sent again as asked (--resend)".into());
                }
                let Some(sender) = sender.filter(|_| !options.dry_run) else {
                    finish(&mut report, result, printer);
                    continue;
                };
                // Shopify's retries keep the webhook id; so does a resend of the same order.
                let webhook_id = result.webhook_id.clone().unwrap_or_else(new_uuid);
                let body = serde_json::to_vec(&rest_order(order)).expect("JSON");
                let mut headers = vec![
                    ("X-Shopify-Topic", "orders/paid".to_string()),
                    (
                        "X-Shopify-Shop-Domain",
                        profile.table::<ShopifySettings>().shop_domain(),
                    ),
                    ("X-Shopify-API-Version", SHOPIFY_API_VERSION.to_string()),
                    ("X-Shopify-Webhook-Id", webhook_id.clone()),
                    ("X-Shopify-Event-Id", new_uuid()),
                    (
                        "X-Shopify-Triggered-At",
                        Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                    ),
                ];
                if let Some(secret) = &sender.app_secret {
                    headers.push((
                        "X-Shopify-Hmac-Sha256",
                        huddle::sign(secret.expose(), &body),
                    ));
                }
                store.begin_send(&order_id, &name, &webhook_id)?;
                result.webhook_id = Some(webhook_id);
                let outcome = sender.huddle.deliver(&body, &headers).await;
                let (state, action, http_status, detail) = match &outcome {
                    Outcome::Delivered { status } => {
                        (SendStatus::Sent, "sent", Some(*status), None)
                    }
                    Outcome::Refused { status, message } => (
                        SendStatus::Failed,
                        "failed",
                        Some(*status),
                        Some(format!("Huddle refused it: HTTP {status} {message}")),
                    ),
                    Outcome::NotDelivered { detail } => (
                        SendStatus::Failed,
                        "failed",
                        None,
                        Some(format!("not delivered: {detail}")),
                    ),
                    Outcome::Unknown { detail } => (
                        SendStatus::Uncertain,
                        "uncertain",
                        None,
                        Some(format!("no answer from Huddle: {detail}")),
                    ),
                };
                store.finish_send(&order_id, state, http_status, detail.as_deref())?;
                result.action = action;
                result.http_status = http_status;
                if state == SendStatus::Uncertain {
                    result.detail = Some(format!(
                    "{}; Huddle may or may not have it. Check the member in Huddle; to send it \
                     anyway: `shopsync webhook replay --profile {} --since {} --resend {name}`",
                    detail.clone().unwrap_or_default(),
                    profile.name,
                    report.since
                ));
                } else if detail.is_some() {
                    result.detail = detail.clone();
                }
                finish(&mut report, result, printer);
                stop = match &outcome {
                o if o.refuses_everything() => Some(
                    CliError::config(format!(
                        "Huddle at {} refused the order: {}",
                        sender.huddle.masked_url(),
                        detail.unwrap_or_default()
                    ))
                    .hint(format!(
                        "the Huddle API key (or domain) is wrong: copy the key from Huddle \
                         (Settings > Integrations > Webhooks) and store it with `shopsync auth set {} \
                         huddle`; check `domain`/`base_url` in [profiles.{}.huddle]. The order was not \
                         created and is sent by the next run",
                        profile.name, profile.name
                    )),
                ),
                Outcome::NotDelivered { .. } | Outcome::Unknown { .. } => Some(
                    CliError::run(format!(
                        "Huddle at {} did not take order {name}: {}",
                        sender.huddle.masked_url(),
                        detail.unwrap_or_default()
                    ))
                    .hint(
                        "the run stopped so no more orders pile up; run the same command again \
                         later (orders not sent yet are sent then)",
                    ),
                ),
                _ => None,
            };
                if let Some(e) = &stop {
                    report.stopped = Some(e.message.clone());
                    break 'queries;
                }
            }
            match page.next {
                Some(c) => after = Some(c),
                None => break 'pages,
            }
        }
    }
    if stop.is_none() {
        report.resend_not_found = options
            .resend
            .iter()
            .zip(resend_used)
            .filter(|(_, used)| !used)
            .map(|(w, _)| w.clone())
            .collect();
    }
    Ok((report, stop))
}

/// Mapped SKUs per search: the orders search is asked only for orders carrying one of them
/// (Shopify's `sku:` filter), in groups that keep each search query short.
const SKUS_PER_SEARCH: usize = 50;

/// `sku:"A" OR sku:"B"`, each value quoted as Shopify's search syntax wants (a backslash
/// before `"` and `\`), so SKUs with spaces or colons stay one value.
fn sku_filter(skus: &[&str]) -> String {
    skus.iter()
        .map(|sku| {
            let escaped = sku.replace('\\', "\\\\").replace('"', "\\\"");
            format!("sku:\"{escaped}\"")
        })
        .collect::<Vec<_>>()
        .join(" OR ")
}

fn finish(report: &mut Report, result: OrderResult, printer: &Printer) {
    *report.counts.entry(result.action).or_default() += 1;
    if !printer.json {
        let detail = result
            .detail
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        printer.out(format!(
            "{:<12} {} ({}) {}{detail}",
            result.action.replace('_', " "),
            result.name,
            result.processed_at,
            result.skus.join(", "),
        ));
    }
    report.orders.push(result);
}

/// When the order was paid: its latest successful sale or capture. `None` when Shopify lists no
/// such transaction (then the order's processing time is all there is to go by).
fn paid_at(order: &Value) -> Option<DateTime<Utc>> {
    order["transactions"]
        .as_array()?
        .iter()
        .filter(|t| {
            t["status"] == "SUCCESS" && matches!(t["kind"].as_str(), Some("SALE" | "CAPTURE"))
        })
        .filter_map(|t| DateTime::parse_from_rfc3339(t["processedAt"].as_str()?).ok())
        .map(|t| t.with_timezone(&Utc))
        .max()
}

/// A profile without a single mapped SKU can give no one a membership.
pub fn no_mappings_error(profile: &str) -> CliError {
    CliError::config(format!("the profile `{profile}` has no mapped SKUs")).hint(format!(
        "map one with `shopsync map-sku add --profile {profile} SKU --levels LEVEL`, or import a \
         CSV file with `shopsync map-sku import --profile {profile} FILE`"
    ))
}

/// `doctor`'s (and `setup`'s) checks: the shop, then the Huddle.
pub fn check<'a>(
    profile: &'a Profile,
    secrets: &'a super::Secrets,
    checks: &'a mut Vec<crate::health::Check>,
) -> super::Checking<'a> {
    Box::pin(async move {
        super::check_shopify(profile, secrets, checks).await;
        if let Some(base) = profile
            .settings::<HuddleSettings>()
            .map(|h| h.api_base_url())
        {
            crate::connectors::huddle::health::check(&profile.name, &base, checks).await;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_look_like_shopifys() {
        let u = new_uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
        assert_ne!(u, new_uuid());
    }

    #[test]
    fn resend_names_an_order_several_ways() {
        let o =
            serde_json::json!({"id": "gid://shopify/Order/55", "name": "#1001", "number": 1001});
        for w in ["#1001", "1001", "55", "gid://shopify/Order/55"] {
            assert!(names_order(w, &o), "{w}");
        }
        assert!(!names_order("1002", &o));
        assert!(!names_order("", &o));
    }

    #[test]
    fn the_sku_filter_quotes_each_sku_as_one_value() {
        assert_eq!(
            sku_filter(&["HUD-YEAR", "A B", r#"X"1\2"#]),
            r#"sku:"HUD-YEAR" OR sku:"A B" OR sku:"X\"1\\2""#
        );
    }
}
