//! `shopsync webhook register | list | delete`: the Shopify `orders/paid` webhook subscription
//! that sends paid orders to Huddle (`https://{huddle-domain}/membership/create/{apiKey}`).
//!
//! The profile owns the `ORDERS_PAID` subscriptions whose address starts with its Huddle's
//! `/membership/create/`; the API key in that address is a secret and is shown as `***`.

mod replay;

use clap::{Args, Subcommand};
use serde::Serialize;
use serde_json::{json, Value};

use crate::commands::Context;
use crate::config::Profile;
use crate::config::{credentials, ProfileFile};
use crate::connectors::huddle::settings::HuddleSettings;
use crate::connectors::shopify::documents;
use crate::connectors::shopify::settings::ShopifySettings;
use crate::connectors::shopify::ShopifyClient;
use crate::connectors::system::System;
use crate::error::{CliError, CliResult, ExitCode};

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Create the Shopify `orders/paid` subscription that sends paid orders to Huddle
    ///
    /// Running it again changes nothing. A subscription of this profile's Huddle that points at
    /// another address (an old API key) is reported, and updated with --replace.
    Register(RegisterArgs),
    /// List the shop's webhook subscriptions (addresses with API keys masked)
    List(ProfileArgs),
    /// Delete the subscription this profile registered (`--json`: an array of what was deleted)
    Delete(DeleteArgs),
    /// Backfill: send orders paid before the webhook existed to Huddle, once ever each
    ///
    /// Reads the orders paid between --since and --until (default: when this profile's webhook
    /// was registered, since Shopify delivered the later ones itself), keeps those with a mapped
    /// SKU (`map-sku`), and posts each to Huddle exactly as Shopify's `orders/paid` webhook would
    /// (REST order JSON; X-Shopify-* headers, signed when the `shopify-secret` credential is
    /// set). Each order is recorded as being sent before the request and as sent after it: a
    /// re-run sends nothing twice, and an order whose send was cut off is reported as uncertain
    /// and only sent again with --resend.
    Replay(replay::ReplayArgs),
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// The profile, as named in the profile file
    #[arg(long, short, env = "SHOPSYNC_PROFILE")]
    pub profile: String,
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// Show what would be created or changed, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Point this profile's subscription at the current address when it points at another
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// Show what would be deleted, and delete nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub const TOPIC: &str = "ORDERS_PAID";
const PATH: &str = "/membership/create/";

pub async fn exec(ctx: &Context, command: WebhookCommand) -> CliResult<ExitCode> {
    match command {
        WebhookCommand::Register(args) => register(ctx, args).await,
        WebhookCommand::List(args) => list(ctx, args).await,
        WebhookCommand::Delete(args) => delete(ctx, args).await,
        WebhookCommand::Replay(args) => replay::exec(ctx, args).await,
    }
}

/// A profile that sends to Huddle, its Shopify client and its Huddle base URL.
pub struct Setup {
    pub profile: Profile,
    pub shopify: ShopifyClient,
    pub huddle_base: String,
}

pub fn load_profile(ctx: &Context, name: &str) -> CliResult<Profile> {
    let (file, path) = ProfileFile::load(ctx.global.config.as_deref())?;
    let profile = file.profile(name, &path)?;
    if profile.target != "huddle" {
        return Err(CliError::config(format!(
            "the profile `{}` does not send to Huddle",
            profile.name
        ))
        .hint("webhook and map-sku work with profiles that have `target = \"huddle\"` and a [huddle] table"));
    }
    Ok(profile)
}

pub fn setup(ctx: &Context, name: &str) -> CliResult<Setup> {
    let profile = load_profile(ctx, name)?;
    let (token, _) = credentials::resolve(&profile.name, System::Shopify)?;
    let shop = profile.table::<ShopifySettings>();
    let shopify = ShopifyClient::new(&shop.api_base_url(), &shop.shop_domain(), token);
    let huddle_base = profile.table::<HuddleSettings>().api_base_url();
    Ok(Setup {
        profile,
        shopify,
        huddle_base,
    })
}

/// The public address Shopify posts to: always `https://{domain}/membership/create/{key}`
/// unless the profile sets `base_url` (sandboxes, proxies).
pub fn huddle_url(base: &str, key: &str) -> String {
    format!("{base}{PATH}{key}")
}

/// An address with every API key (each path segment after `/membership/create/`, whatever
/// the host) and every known secret replaced by `***`.
pub fn mask(uri: &str) -> String {
    let lower = uri.to_ascii_lowercase();
    let mut out = String::with_capacity(uri.len());
    let mut at = 0;
    while let Some(found) = lower[at..].find(PATH) {
        let key_start = at + found + PATH.len();
        let rest = &uri[key_start..];
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        out.push_str(&uri[at..key_start]);
        if end > 0 {
            out.push_str("***");
        }
        at = key_start + end;
    }
    out.push_str(&uri[at..]);
    credentials::redact(&out)
}

#[derive(Debug, Clone, Serialize)]
pub struct Subscription {
    pub id: String,
    pub topic: String,
    /// Masked.
    pub uri: String,
    pub format: String,
    pub api_version: String,
    pub created_at: String,
    #[serde(skip)]
    pub raw_uri: String,
}

fn subscription(v: &Value) -> Subscription {
    let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
    Subscription {
        id: s("id"),
        topic: s("topic"),
        uri: mask(&s("uri")),
        format: s("format"),
        api_version: v["apiVersion"]["handle"].as_str().unwrap_or("").into(),
        created_at: s("createdAt"),
        raw_uri: s("uri"),
    }
}

pub async fn subscriptions(
    shopify: &ShopifyClient,
    topics: Option<&[&str]>,
) -> CliResult<Vec<Subscription>> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = shopify
            .query(
                documents::WEBHOOK_SUBSCRIPTIONS,
                json!({"after": after, "topics": topics}),
            )
            .await?;
        let conn = &data["webhookSubscriptions"];
        out.extend(
            conn["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(subscription),
        );
        if conn["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = conn["pageInfo"]["endCursor"].as_str().map(str::to_string);
    }
    Ok(out)
}

pub fn owned<'a>(subs: &'a [Subscription], huddle_base: &str) -> Vec<&'a Subscription> {
    let prefix = format!("{huddle_base}{PATH}");
    subs.iter()
        .filter(|s| s.topic == TOPIC && s.raw_uri.starts_with(&prefix))
        .collect()
}

fn user_errors(data: &Value, field: &str, what: &str) -> CliResult<()> {
    let errors = data[field]["userErrors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if errors.is_empty() {
        return Ok(());
    }
    let text: Vec<String> = errors
        .iter()
        .map(|e| e["message"].as_str().unwrap_or("").to_string())
        .collect();
    Err(CliError::run(mask(&format!(
        "Shopify refused to {what} the webhook subscription: {}",
        text.join("; ")
    ))))
}

#[derive(Debug, Serialize)]
struct Outcome {
    /// created | unchanged | updated | would_create | would_update | deleted | would_delete |
    /// absent | outdated
    action: &'static str,
    id: Option<String>,
    topic: &'static str,
    format: &'static str,
    uri: String,
    previous_uri: Option<String>,
    dry_run: bool,
}

fn print(ctx: &Context, o: &Outcome) {
    if ctx.global.json {
        ctx.printer.out_json(o);
        return;
    }
    let id = o.id.as_deref().unwrap_or("-");
    let line = match o.action {
        "created" => format!("Created webhook {id}: orders/paid (JSON) -> {}", o.uri),
        "unchanged" => format!(
            "Already registered: webhook {id}, orders/paid (JSON) -> {}",
            o.uri
        ),
        "updated" => format!(
            "Updated webhook {id}: {} -> {}",
            o.previous_uri.as_deref().unwrap_or(""),
            o.uri
        ),
        "would_create" => format!("Would create: orders/paid (JSON) -> {}", o.uri),
        "would_update" => format!(
            "Would update webhook {id}: {} -> {}",
            o.previous_uri.as_deref().unwrap_or(""),
            o.uri
        ),
        "deleted" => format!("Deleted webhook {id} ({})", o.uri),
        "would_delete" => format!("Would delete webhook {id} ({})", o.uri),
        "absent" => "This profile has no webhook subscription; nothing to delete".into(),
        other => format!("{other}: webhook {id} -> {}", o.uri),
    };
    ctx.printer.out(line);
}

async fn register(ctx: &Context, args: RegisterArgs) -> CliResult<ExitCode> {
    let s = setup(ctx, &args.profile.profile)?;
    let (key, _) = credentials::resolve(&s.profile.name, System::Huddle)?;
    let uri = huddle_url(&s.huddle_base, key.expose());
    let subs = subscriptions(&s.shopify, Some(&[TOPIC])).await?;
    let mine = owned(&subs, &s.huddle_base);
    let outcome = |action, id: Option<String>, previous: Option<String>| Outcome {
        action,
        id,
        topic: TOPIC,
        format: "JSON",
        uri: mask(&uri),
        previous_uri: previous,
        dry_run: args.dry_run,
    };
    if let Some(same) = mine.iter().find(|m| m.raw_uri == uri) {
        print(ctx, &outcome("unchanged", Some(same.id.clone()), None));
        return Ok(ExitCode::Success);
    }
    if let Some(old) = mine.first() {
        let previous = Some(old.uri.clone());
        if !args.replace {
            ctx.printer.warn(format!(
                "webhook {} of this profile points at another address: {} (now {})",
                old.id,
                old.uri,
                mask(&uri)
            ));
            print(ctx, &outcome("outdated", Some(old.id.clone()), previous));
            return Err(CliError::run(
                "the registered webhook points at an old address (a different Huddle API key)",
            )
            .hint("run `shopsync webhook register --replace` to point it at the current one"));
        }
        if args.dry_run {
            print(
                ctx,
                &outcome("would_update", Some(old.id.clone()), previous),
            );
            return Ok(ExitCode::Success);
        }
        let data = s
            .shopify
            .query(
                documents::WEBHOOK_UPDATE,
                json!({"id": old.id, "subscription": {"uri": uri, "format": "JSON"}}),
            )
            .await?;
        user_errors(&data, "webhookSubscriptionUpdate", "update")?;
        print(ctx, &outcome("updated", Some(old.id.clone()), previous));
        return Ok(ExitCode::Success);
    }
    if args.dry_run {
        print(ctx, &outcome("would_create", None, None));
        return Ok(ExitCode::Success);
    }
    let data = s
        .shopify
        .query(
            documents::WEBHOOK_CREATE,
            json!({"topic": TOPIC, "subscription": {"uri": uri, "format": "JSON"}}),
        )
        .await?;
    user_errors(&data, "webhookSubscriptionCreate", "create")?;
    let id = data["webhookSubscriptionCreate"]["webhookSubscription"]["id"]
        .as_str()
        .map(str::to_string);
    print(ctx, &outcome("created", id, None));
    Ok(ExitCode::Success)
}

async fn list(ctx: &Context, args: ProfileArgs) -> CliResult<ExitCode> {
    let s = setup(ctx, &args.profile)?;
    // Makes the Huddle key known to the masker wherever it is kept (environment or keyring),
    // so it is hidden even in an address that does not have the usual shape; listing works
    // without it.
    let _ = credentials::resolve(&s.profile.name, System::Huddle);
    let subs = subscriptions(&s.shopify, None).await?;
    if ctx.global.json {
        ctx.printer.out_json(&subs);
        return Ok(ExitCode::Success);
    }
    if subs.is_empty() {
        ctx.printer.out("The shop has no webhook subscriptions.");
        return Ok(ExitCode::Success);
    }
    let mut table = ctx.printer.table();
    table.set_header(["id", "topic", "url", "format", "api version"]);
    for sub in &subs {
        table.add_row([
            sub.id.as_str(),
            sub.topic.as_str(),
            sub.uri.as_str(),
            sub.format.as_str(),
            sub.api_version.as_str(),
        ]);
    }
    ctx.printer.out(table.to_string());
    Ok(ExitCode::Success)
}

async fn delete(ctx: &Context, args: DeleteArgs) -> CliResult<ExitCode> {
    let s = setup(ctx, &args.profile.profile)?;
    let subs = subscriptions(&s.shopify, Some(&[TOPIC])).await?;
    let mine = owned(&subs, &s.huddle_base);
    let base = Outcome {
        action: "absent",
        id: None,
        topic: TOPIC,
        format: "JSON",
        uri: String::new(),
        previous_uri: None,
        dry_run: args.dry_run,
    };
    if mine.is_empty() {
        if ctx.global.json {
            ctx.printer.out_json(&Vec::<Outcome>::new());
        } else {
            print(ctx, &base);
        }
        return Ok(ExitCode::Success);
    }
    let mut outcomes = Vec::new();
    for m in mine {
        let mut o = Outcome {
            id: Some(m.id.clone()),
            uri: m.uri.clone(),
            ..base.clone_empty()
        };
        if args.dry_run {
            o.action = "would_delete";
        } else {
            let data = s
                .shopify
                .query(documents::WEBHOOK_DELETE, json!({"id": m.id}))
                .await?;
            user_errors(&data, "webhookSubscriptionDelete", "delete")?;
            o.action = "deleted";
        }
        if !ctx.global.json {
            print(ctx, &o);
        }
        outcomes.push(o);
    }
    if ctx.global.json {
        ctx.printer.out_json(&outcomes);
    }
    Ok(ExitCode::Success)
}

impl Outcome {
    fn clone_empty(&self) -> Outcome {
        Outcome {
            action: self.action,
            id: None,
            topic: self.topic,
            format: self.format,
            uri: String::new(),
            previous_uri: None,
            dry_run: self.dry_run,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_key_is_masked() {
        assert_eq!(
            mask("https://leden.example.nl/membership/create/abc123"),
            "https://leden.example.nl/membership/create/***"
        );
        assert_eq!(
            mask("https://leden.example.nl/membership/create/abc123?x=1"),
            "https://leden.example.nl/membership/create/***?x=1"
        );
        assert_eq!(
            mask("https://other.example/hook"),
            "https://other.example/hook"
        );
        assert_eq!(
            mask("https://a.example/Membership/Create/k1?next=https://b.example/membership/create/k2"),
            "https://a.example/Membership/Create/***?next=https://b.example/membership/create/***"
        );
        assert_eq!(
            mask("https://a.example/membership/create/"),
            "https://a.example/membership/create/"
        );
    }
}
