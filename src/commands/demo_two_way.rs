//! `shopsync demo --flow heyloyalty`: the two-way flow (a HostedShop shop's customers with
//! Heyloyalty members) against the local fakes: the plan, the initial sync, changes made on both
//! sides flowing across, an unsubscribe and a new form subscriber coming back, and a conflict in
//! the plan.

use std::collections::BTreeMap;

use serde_json::json;

use crate::cli::DemoArgs;
use crate::commands::two_way_sync::render;
use crate::commands::Context;
use crate::config::credentials::Secret;
use crate::config::Profile;
use crate::connectors::heyloyalty::settings::{HeyloyaltySettings, ListStrategy};
use crate::connectors::hostedshop::settings::HostedShopSettings;
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::hostedshop_heyloyalty::{Flow, Secrets};
use crate::state::StateStore;

pub async fn exec(ctx: &Context, args: DemoArgs) -> CliResult<ExitCode> {
    let printer = &ctx.printer;
    let config = shopsync_sandbox::SandboxConfig {
        seed: shopsync_sandbox::seed::SeedConfig {
            customers: 1,
            products: 1,
            orders: 1,
            ..Default::default()
        },
        time_scale: args.time_scale,
        ..Default::default()
    };
    let sandbox = shopsync_sandbox::Sandbox::start(config.clone())
        .await
        .map_err(|e| CliError::run(format!("the sandboxes could not start: {e}")))?;
    printer.status(format!(
        "Sandboxes running: a Wannafind shop (HostedShop SOAP) at {}, Heyloyalty at {}",
        sandbox.hostedshop_url(),
        sandbox.heyloyalty_url()
    ));
    let state_dir = std::env::temp_dir().join(format!("shopsync-demo-hl-{}", std::process::id()));
    let mut profile = Profile::new("demo", "hostedshop", "heyloyalty")
        .with(HostedShopSettings {
            endpoint: Some(sandbox.hostedshop_url()),
            calls_per_second: Some(4.0 * args.time_scale),
        })
        .with(HeyloyaltySettings {
            base_url: Some(format!("{}/loyalty", sandbox.heyloyalty_url())),
            requests_per_second: Some(4.0 * args.time_scale),
            list_strategy: ListStrategy::PerGroup,
            list: None,
            list_prefix: String::new(),
            group_field: None,
            two_way: true,
            back_fields: None,
            conflicts: None,
            conflict_fields: BTreeMap::new(),
            fields: BTreeMap::new(),
            default_group: None,
        });
    profile.state_dir = Some(state_dir.clone());

    let secrets = || Secrets {
        shop_user: Secret::new(config.hostedshop.username.clone()),
        shop_password: Secret::new(config.hostedshop.password.clone()),
        hl_key: Secret::new(config.heyloyalty.api_key.clone()),
        hl_secret: Secret::new(config.heyloyalty.api_secret.clone()),
    };
    let state = StateStore::open(&state_dir, "demo")?;
    let flow = Flow::new(&profile, secrets(), state)?;
    let mut steps = serde_json::Map::new();
    let mut code = ExitCode::Success;
    let hl = &sandbox.heyloyalty;
    let shop = &sandbox.hostedshop;
    for (key, title, dry_run) in [
        ("plan", "1. Dry run: lists per customer group, and the members the first sync would create", true),
        ("sync", "2. Initial sync", false),
        ("changes", "3. A member edits her name in Heyloyalty, another unsubscribes, a new subscriber signs up by a Heyloyalty form, and the shop changes a customer", false),
        ("conflict", "4. Both sides change the same field: the plan shows the conflict (the shop wins by default)", true),
        ("resolved", "5. The conflict settled; both sides agree", false),
    ] {
        match key {
            "changes" => {
                let kunder = hl.list_by_name("Kunder").map(|l| l.id).unwrap_or_default();
                if let Some(m) = hl.member_by_email(kunder, "anna@example.dk") {
                    let _ = hl.ui_update(&m.id, json!({"firstname": "Annie"}));
                }
                if let Some(m) = hl.member_by_email(kunder, "eva@example.dk") {
                    let _ = hl.unsubscribe(&m.id);
                }
                let _ = hl.form_subscribe(kunder, json!({"email": "ny@example.dk", "firstname": "Nina"}));
                if let Some(u) = shop.user_by_email("bo@example.dk") {
                    shop.update_user(u["Id"].parse().unwrap_or_default(), &[("Lastname", "Bonde")]);
                }
            }
            "conflict" => {
                let kunder = hl.list_by_name("Kunder").map(|l| l.id).unwrap_or_default();
                if let Some(m) = hl.member_by_email(kunder, "dennis@example.dk") {
                    let _ = hl.ui_update(&m.id, json!({"city": "Odense"}));
                }
                if let Some(u) = shop.user_by_email("dennis@example.dk") {
                    shop.update_user(u["Id"].parse().unwrap_or_default(), &[("City", "Vejle")]);
                }
            }
            _ => {}
        }
        printer.status(format!("\n{title}"));
        let (report, stopped) = flow.run(dry_run, dry_run).await?;
        if printer.json {
            steps.insert(key.into(), serde_json::to_value(&report).unwrap_or_default());
        } else {
            render(printer, &report, false);
        }
        if !report.failures.is_empty() {
            code = ExitCode::Failure;
        }
        if let Some(e) = stopped {
            let _ = std::fs::remove_dir_all(&state_dir);
            return Err(e);
        }
    }
    let _ = std::fs::remove_dir_all(&state_dir);
    if printer.json {
        printer.out_json(&steps);
    }
    printer.status(
        "\nTo sync a real shop: add a profile with source = \"hostedshop\" and target = \"heyloyalty\" \
         (profiles.example.toml), store the four credentials with `shopsync auth set PROFILE hostedshop-user` \
         (and hostedshop-password, heyloyalty-key, heyloyalty-secret), check with `shopsync doctor`, then \
         `shopsync sync --profile PROFILE --dry-run`.",
    );
    Ok(code)
}
