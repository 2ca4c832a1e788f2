//! `shopsync demo`: the whole Shopify -> HubSpot flow against local sandboxes, in one command.
//!
//! It starts fakes of the Shopify Admin API and the HubSpot CRM API on 127.0.0.1, seeded with a
//! realistic store, then runs a dry run, a real sync, and a second sync that finds nothing to do.

use crate::cli::{DemoArgs, DemoFlow};
use crate::commands::Context;
use crate::config::credentials::Secret;
use crate::config::Profile;
use crate::connectors::hubspot::settings::HubSpotSettings;
use crate::connectors::shopify::settings::ShopifySettings;
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::report::SyncOptions;
use crate::flows::shopify_hubspot::{self, Tokens};
use crate::model::Stream;

pub async fn exec(ctx: &Context, args: DemoArgs) -> CliResult<ExitCode> {
    let printer = &ctx.printer;
    if args.time_scale.is_nan() || args.time_scale <= 0.0 {
        return Err(CliError::config("--time-scale must be more than 0"));
    }
    if args.flow == DemoFlow::Spotler {
        return spotler(ctx, &args).await;
    }
    if args.flow == DemoFlow::Heyloyalty {
        return crate::commands::demo_two_way::exec(ctx, args).await;
    }
    let config = shopsync_sandbox::SandboxConfig {
        seed: shopsync_sandbox::seed::SeedConfig {
            customers: args.customers,
            products: args.products,
            orders: args.orders,
            abandoned_checkouts: (args.orders / 20).max(1),
            ..Default::default()
        },
        time_scale: args.time_scale,
        ..Default::default()
    };
    let (shopify_token, hubspot_token) =
        (config.shopify_token.clone(), config.hubspot_token.clone());
    let shop = config.shopify_domain.clone();
    let sandbox = shopsync_sandbox::Sandbox::start(config)
        .await
        .map_err(|e| CliError::run(format!("the sandboxes could not start: {e}")))?;
    printer.status(format!(
        "Sandboxes running: Shopify at {}, HubSpot at {} (rate limits {}x real time)",
        sandbox.shopify_url(),
        sandbox.hubspot_url(),
        args.time_scale
    ));
    printer.status(format!(
        "Store: {} customers, {} products, {} orders",
        args.customers, args.products, args.orders
    ));

    let state_dir = std::env::temp_dir().join(format!("shopsync-demo-{}", std::process::id()));
    let mut profile = Profile::new("demo", "shopify", "hubspot")
        .with(ShopifySettings {
            shop,
            base_url: Some(sandbox.shopify_url()),
            bulk_threshold: Some(100),
        })
        .with(HubSpotSettings {
            base_url: Some(sandbox.hubspot_url()),
            pipeline: None,
        });
    profile.state_dir = Some(state_dir.clone());
    let options = |dry_run: bool| SyncOptions {
        streams: Stream::ALL.to_vec(),
        dry_run,
        full: false,
        rebuild_state: false,
        collect_changes: dry_run && ctx.global.json,
        state_dir: state_dir.clone(),
        rekey: false,
    };
    let tokens = || Tokens {
        shopify: Secret::new(shopify_token.clone()),
        hubspot: Secret::new(hubspot_token.clone()),
    };

    let mut code = ExitCode::Success;
    // `--json`: the three reports in one document, printed once at the end.
    let mut steps = serde_json::Map::new();
    for (key, title, dry_run) in [
        ("plan", "1. Dry run: what the first sync would change", true),
        ("sync", "2. Initial sync", false),
        (
            "resync",
            "3. The same sync again: only what changed since is read, and nothing is written",
            false,
        ),
    ] {
        printer.status(format!("\n{title}"));
        let (report, stopped) =
            shopify_hubspot::run(&profile, tokens(), &options(dry_run), printer).await?;
        if printer.json {
            steps.insert(
                key.to_string(),
                serde_json::to_value(&report).unwrap_or_default(),
            );
        } else {
            crate::render::report(printer, &report, false);
        }
        if !report.failures.is_empty() {
            code = ExitCode::Failure;
        }
        if let Some(e) = stopped {
            let _ = std::fs::remove_dir_all(&state_dir);
            if printer.json {
                printer.out_json(&steps);
            }
            return Err(e);
        }
    }
    let _ = std::fs::remove_dir_all(&state_dir);
    if printer.json {
        printer.out_json(&steps);
    }
    printer.status(
        "\nTo sync a real shop: copy profiles.example.toml to your config dir, store the tokens with \
         `shopsync auth set PROFILE shopify` and `... hubspot`, then run \
         `shopsync initial-sync --profile PROFILE --dry-run`.",
    );
    Ok(code)
}

/// `demo --flow spotler`: a Shopware 5 shop -> Spotler Mail+, then a contact unsubscribes and
/// another hard-bounces in Spotler, and the next sync writes both back to the shop.
async fn spotler(ctx: &Context, args: &DemoArgs) -> CliResult<ExitCode> {
    use crate::connectors::shopware::settings::ShopwareSettings;
    use crate::connectors::spotler::settings::SpotlerSettings;
    use crate::flows::shopware_spotler::{self, Credentials};
    let printer = &ctx.printer;
    let config = shopsync_sandbox::SandboxConfig {
        seed: shopsync_sandbox::seed::SeedConfig {
            customers: args.customers,
            ..Default::default()
        },
        time_scale: args.time_scale,
        ..Default::default()
    };
    let creds = || Credentials {
        shopware_user: Secret::new(config.shopware_user.clone()),
        shopware_key: Secret::new(config.shopware_key.clone()),
        spotler_key: Secret::new(config.spotler_key.clone()),
        spotler_secret: Secret::new(config.spotler_secret.clone()),
    };
    let sandbox = shopsync_sandbox::Sandbox::start(config.clone())
        .await
        .map_err(|e| CliError::run(format!("the sandboxes could not start: {e}")))?;
    printer.status(format!(
        "Sandboxes running: Shopware 5 at {}, Spotler Mail+ at {}; the shop has {} customers",
        sandbox.shopware_url(),
        sandbox.spotler_url(),
        args.customers
    ));
    let state_dir = std::env::temp_dir().join(format!("shopsync-demo-{}", std::process::id()));
    let mut profile = Profile::new("demo", "shopware", "spotler")
        .with(ShopwareSettings {
            kind: "5".into(),
            base_url: sandbox.shopware_url(),
            key: "number".into(),
            permission_field: None,
            bounce_field: Some("attribute.spotlerBounce".into()),
            parent_field: None,
            sub_contacts: false,
        })
        .with(SpotlerSettings {
            base_url: Some(sandbox.spotler_url()),
            fields: Default::default(),
            permissions: Default::default(),
        });
    profile.state_dir = Some(state_dir.clone());
    let options = |dry_run: bool| SyncOptions {
        streams: vec![Stream::Customers],
        dry_run,
        full: false,
        rebuild_state: false,
        collect_changes: dry_run && ctx.global.json,
        state_dir: state_dir.clone(),
        rekey: false,
    };
    let mut code = ExitCode::Success;
    let mut steps = serde_json::Map::new();
    for (key, title, dry_run) in [
        ("plan", "1. Dry run: the contacts the first sync would create", true),
        ("sync", "2. Initial sync: every customer becomes a contact, keyed by its customer number", false),
        (
            "feedback",
            "3. In Spotler, a subscriber unsubscribes and another address hard-bounces; the next sync writes both back to the shop, and nothing else",
            false,
        ),
    ] {
        if key == "feedback" {
            let customers = sandbox.shopware.customers();
            let mut subscribed = customers
                .values()
                .filter(|c| c["newsletter"] == 1)
                .filter_map(|c| c["number"].as_str().map(str::to_string));
            if let (Some(out), Some(bounced)) = (subscribed.next(), subscribed.next()) {
                sandbox.spotler.set_permission(&out, shopsync_sandbox::spotler::NEWSLETTER_BIT, false);
                sandbox.spotler.add_bounce(&bounced, true);
                printer.status(format!("   (contact {out} opted out, contact {bounced} hard-bounced)"));
            }
            // Spotler's feeds are read to the second: the changes must be in the past.
            tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        }
        printer.status(format!("\n{title}"));
        let (report, stopped) =
            shopware_spotler::run(&profile, creds(), &options(dry_run), printer).await?;
        if printer.json {
            steps.insert(key.to_string(), serde_json::to_value(&report).unwrap_or_default());
        } else {
            crate::render::report(printer, &report, false);
        }
        if !report.failures.is_empty() {
            code = ExitCode::Failure;
        }
        if let Some(e) = stopped {
            let _ = std::fs::remove_dir_all(&state_dir);
            if printer.json {
                printer.out_json(&steps);
            }
            return Err(e);
        }
    }
    let _ = std::fs::remove_dir_all(&state_dir);
    if printer.json {
        printer.out_json(&steps);
    }
    printer.status(
        "\nTo sync a real shop: the profile `winkel` in profiles.example.toml, its four credentials \
         with `shopsync auth set PROFILE shopware-user` (shopware-key, spotler-key, spotler-secret), \
         `shopsync fields --profile PROFILE`, then `shopsync sync --profile PROFILE --dry-run`.",
    );
    Ok(code)
}
