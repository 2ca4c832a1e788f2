//! What a user meets from the Quick start to a cron job: `sync` (the cron name of
//! `initial-sync`), `--quiet`, the run log (`runs`), several profiles in one run, `--version`.

mod common;
mod landed;

use common::Env;

/// A small shop, so each test syncs in a second or two.
async fn small_sandbox() -> common::Sandbox {
    common::sandbox(|c| {
        c.seed.customers = 20;
        c.seed.products = 5;
        c.seed.orders = 15;
        c.seed.abandoned_checkouts = 2;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_is_initial_sync_under_the_name_cron_uses() {
    let sandbox = small_sandbox().await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    let run = env.run(&["sync", "--profile", "shop"]).await;
    run.expect_code(0);
    landed::assert_landed_exactly_once(&sandbox);
    assert!(run.stdout.contains("Done:"), "{}", run.stdout);

    // The second run under the other name finds nothing to do: the same command and state.
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    let report = run.json();
    for (stream, s) in report["streams"].as_object().unwrap() {
        assert_eq!(s["create"], 0, "{stream}: {s}");
        assert_eq!(s["update"], 0, "{stream}: {s}");
    }
    landed::assert_landed_exactly_once(&sandbox);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_prints_nothing_on_success_and_only_errors_on_failure() {
    let sandbox = small_sandbox().await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    let run = env.run(&["sync", "--profile", "shop", "--quiet"]).await;
    run.expect_code(0);
    assert_eq!(run.stdout, "", "stdout of a quiet successful run");
    assert_eq!(run.stderr, "", "stderr of a quiet successful run");
    landed::assert_landed_exactly_once(&sandbox);

    // A changed customer HubSpot refuses: the one failure, on stderr only.
    let gid = sandbox.shopify.customer_ids().into_iter().next().unwrap();
    assert!(sandbox
        .shopify
        .update_customer(&gid, |c| c["firstName"] = serde_json::json!("Quinn")));
    sandbox.hubspot.set_faults(shopsync_sandbox::Faults {
        partial_batch_failure: 1.0,
        seed: 3,
        ..Default::default()
    });
    let run = env.run(&["sync", "--profile", "shop", "--quiet"]).await;
    run.expect_code(1);
    assert_eq!(run.stdout, "", "stdout of a quiet run with a failure");
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].starts_with(&format!("error: customers {gid}: ")),
        "{}",
        run.stderr
    );
    assert!(
        errors[1].contains("1 record(s) could not be written"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_json_is_one_document_with_the_three_runs() {
    let env = Env::new();
    let run = env
        .run(&[
            "demo",
            "--json",
            "--customers",
            "12",
            "--products",
            "4",
            "--orders",
            "10",
            "--time-scale",
            "50",
        ])
        .await;
    run.expect_code(0);
    let doc = run.json();
    let steps: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(steps, ["plan", "resync", "sync"], "{doc:#}");
    assert_eq!(doc["plan"]["dry_run"], true);
    assert_eq!(doc["sync"]["dry_run"], false);
    let created = |step: &str| -> u64 {
        doc[step]["streams"]
            .as_object()
            .unwrap()
            .values()
            .map(|s| s["create"].as_u64().unwrap())
            .sum()
    };
    assert!(created("plan") > 0, "{doc:#}");
    assert_eq!(created("sync"), created("plan"), "{doc:#}");
    assert_eq!(created("resync"), 0, "{doc:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_shows_what_the_last_runs_did_with_each_failure() {
    let sandbox = small_sandbox().await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    let run = env.run(&["runs", "--profile", "shop"]).await;
    run.expect_code(0);
    assert!(run.stderr.contains("shop: no runs yet"), "{}", run.stderr);

    env.run(&["sync", "--profile", "shop"]).await.expect_code(0);
    let gid = sandbox.shopify.customer_ids().into_iter().next().unwrap();
    assert!(sandbox
        .shopify
        .update_customer(&gid, |c| c["firstName"] = serde_json::json!("Quinn")));
    sandbox.hubspot.set_faults(shopsync_sandbox::Faults {
        partial_batch_failure: 1.0,
        seed: 3,
        ..Default::default()
    });
    let failed = env.run(&["sync", "--profile", "shop", "--json"]).await;
    failed.expect_code(1);
    let failed = failed.json();

    let run = env.run(&["runs", "--profile", "shop", "--json"]).await;
    run.expect_code(0);
    let runs = run.json();
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 2, "{runs:#?}");
    // Newest first: the run with the failure, as the sync itself reported it.
    assert_eq!(runs[0]["id"], failed["run_id"]);
    assert_eq!(runs[0]["status"], "completed with failures");
    assert_eq!(runs[0]["counts"]["failed"], 1);
    assert_eq!(runs[0]["failures"], failed["failures"]);
    assert_eq!(runs[0]["failures"][0]["source_id"], gid.as_str());
    assert_eq!(runs[1]["status"], "completed");
    let (customers, products, _, _) = sandbox.shopify.counts();
    assert!(runs[1]["counts"]["create"].as_u64().unwrap() >= (customers + products) as u64 - 5);
    assert!(runs[1]["failures"].as_array().unwrap().is_empty());

    let run = env
        .run(&["runs", "--profile", "shop", "--limit", "1"])
        .await;
    run.expect_code(0);
    assert!(
        run.stdout.contains("completed with failures"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.contains("initial-sync"))
            .count(),
        1,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!("customers {gid}: ")),
        "{}",
        run.stdout
    );
}

/// Two shops in one profile file, each with its own sandbox.
fn two_profiles(env: &Env, a: &common::Sandbox, b: &common::Sandbox) {
    let table = |name: &str, s: &common::Sandbox| {
        format!(
            "[profiles.{name}]\nsource = \"shopify\"\ntarget = \"hubspot\"\n\n\
             [profiles.{name}.shopify]\nshop = \"sandbox-store.myshopify.com\"\nbase_url = \"{}\"\n\n\
             [profiles.{name}.hubspot]\nbase_url = \"{}\"\n\n",
            s.shopify_url(),
            s.hubspot_url()
        )
    };
    env.write_config(&format!("{}{}", table("alpha", a), table("beta", b)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_profiles_run_one_after_another_with_the_worst_exit_code() {
    let (a, b) = (small_sandbox().await, small_sandbox().await);
    let env = Env::new()
        .with_env("SHOPSYNC_SHOPIFY_TOKEN", common::SHOPIFY_TOKEN)
        .with_env("SHOPSYNC_HUBSPOT_TOKEN", common::HUBSPOT_TOKEN);
    two_profiles(&env, &a, &b);
    let run = env.run(&["sync", "--all-profiles", "--quiet"]).await;
    run.expect_code(0);
    assert_eq!(run.stdout, "");
    landed::assert_landed_exactly_once(&a);
    landed::assert_landed_exactly_once(&b);

    // beta's Shopify token is refused: alpha still runs, beta's error is named, exit 2.
    let env = env.with_env("SHOPSYNC_BETA_SHOPIFY_TOKEN", "shpat_wrong");
    let run = env
        .run(&["sync", "--profile", "beta,alpha", "--json"])
        .await;
    run.expect_code(2);
    let doc = run.json();
    assert_eq!(doc["exit_code"], 2);
    let profiles = doc["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 2);
    assert_eq!(profiles[0]["profile"], "beta");
    assert_eq!(profiles[0]["exit_code"], 2);
    assert!(
        profiles[0]["error"]
            .as_str()
            .unwrap()
            .contains("Shopify refused"),
        "{doc:#}"
    );
    assert_eq!(profiles[1]["profile"], "alpha");
    assert_eq!(profiles[1]["exit_code"], 0);
    assert_eq!(profiles[1]["report"]["profile"], "alpha");
    assert!(run.stderr.contains("error: beta: "), "{}", run.stderr);

    let run = env.run(&["sync", "--profile", "alpha,beta"]).await;
    run.expect_code(2);
    assert!(
        run.stdout
            .contains("2 profiles: alpha done; beta failed (exit 2). Exit code 2."),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn version_names_the_commit_and_the_dates() {
    let env = Env::new();
    let short = env.run(&["-V"]).await;
    short.expect_code(0);
    let long = env.run(&["--version"]).await;
    long.expect_code(0);
    let lines: Vec<&str> = long.stdout.lines().collect();
    assert_eq!(
        lines[0],
        short.stdout.trim_end(),
        "-V is the first line of --version"
    );
    assert_eq!(lines[1], format!("release: {}", env!("CARGO_PKG_VERSION")));
    let value = |key: &str| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{key}: ")))
            .unwrap_or_else(|| panic!("no {key} in {}", long.stdout))
    };
    let hash = value("commit-hash");
    // Built from a git checkout (as the tests are): the commit, and the line shows it.
    assert!(
        hash.len() == 9 && hash.chars().all(|c| c.is_ascii_hexdigit()),
        "{hash}"
    );
    let is_date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok();
    assert!(is_date(value("commit-date")), "{}", long.stdout);
    assert!(is_date(value("build-date")), "{}", long.stdout);
    assert!(lines[0].contains(&format!("({hash} {})", value("commit-date"))));
    assert!(!value("host").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_quiet_prints_nothing_not_even_the_sandboxes_internal_warnings() {
    let env = Env::new();
    let run = env
        .run(&[
            "demo",
            "--quiet",
            "--customers",
            "12",
            "--products",
            "4",
            "--orders",
            "10",
            "--time-scale",
            "50",
        ])
        .await;
    run.expect_code(0);
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout, "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_lines_in_a_pipe_are_plain_with_timestamps_or_json_when_asked() {
    let sandbox = small_sandbox().await;
    let env = Env::new().with_tokens().with_env("NO_COLOR", "");
    env.profile_for(&sandbox, "");
    // Server errors make the client log its retries (at --verbose).
    sandbox.hubspot.set_faults(shopsync_sandbox::Faults {
        server_error: 0.3,
        seed: 5,
        ..Default::default()
    });
    let run = env.run(&["sync", "--profile", "shop", "--verbose"]).await;
    run.expect_code(0);
    landed::assert_landed_exactly_once(&sandbox);
    let logs: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("retrying in"))
        .collect();
    assert!(!logs.is_empty(), "{}", run.stderr);
    assert!(
        !run.stderr.contains('\x1b'),
        "escape codes in a pipe: {:?}",
        run.stderr
    );
    for line in &logs {
        let stamp = line.split_whitespace().next().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
            "no timestamp: {line}"
        );
        assert!(line.contains(" DEBUG "), "{line}");
    }

    let run = env
        .run(&[
            "sync",
            "--profile",
            "shop",
            "--full",
            "--verbose",
            "--log-format",
            "json",
        ])
        .await;
    run.expect_code(0);
    let logs: Vec<serde_json::Value> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(!logs.is_empty(), "{}", run.stderr);
    for log in &logs {
        assert!(log["timestamp"].is_string(), "{log}");
        assert_eq!(log["level"], "DEBUG", "{log}");
        assert!(log["fields"]["message"].is_string(), "{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopsync_sandbox_prints_where_the_fakes_are_and_serves_them() {
    use tokio::io::AsyncBufReadExt;
    let env = Env::new();
    let mut child = env
        .command(&[
            "sandbox",
            "--customers",
            "3",
            "--products",
            "2",
            "--orders",
            "2",
        ])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    tokio::io::BufReader::new(stdout)
        .read_line(&mut line)
        .await
        .unwrap();
    let info: serde_json::Value = serde_json::from_str(&line).expect("one JSON line");
    for key in [
        "shopify_url",
        "hubspot_url",
        "huddle_url",
        "tellix_url",
        "shopify_token",
    ] {
        assert!(info[key].is_string(), "{key} in {info}");
    }
    // The printed URL and token reach a seeded store.
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/admin/api/2026-10/graphql.json",
            info["shopify_url"].as_str().unwrap()
        ))
        .header(
            "X-Shopify-Access-Token",
            info["shopify_token"].as_str().unwrap(),
        )
        .json(&serde_json::json!({"query": "{ customers(first: 10) { nodes { id } } }"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        answer["data"]["customers"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(3),
        "{answer}"
    );
    child.kill().await.unwrap();
}

/// What changes from run to run (times, ports, request counts) is replaced in snapshots.
const FILTERS: [(&str, &str); 7] = [
    (r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "[time]"),
    (r"\b\d+(\.\d)?s\b", "[secs]"),
    (r"\b\d+m \d\ds\b", "[secs]"),
    (r"\d+ records/s", "[n] records/s"),
    (
        r"\d+ Shopify and \d+ HubSpot requests, \d+ throttled",
        "[n] Shopify and [n] HubSpot requests, [n] throttled",
    ),
    (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
    (r"\[home\]/[^ ]*\.sqlite", "[home]/state/shop.sqlite"),
];

/// A snapshot of what a user sees, with the temporary home as `[home]`.
fn snapshot(name: &str, env: &Env, text: &str) {
    let text = text.replace(&env.dir.path().display().to_string(), "[home]");
    insta::with_settings!({ filters => FILTERS.to_vec() }, {
        insta::assert_snapshot!(name, text);
    });
}

/// No line a user sees wraps in a 100-column terminal.
#[track_caller]
fn fits(text: &str) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} columns: {line}",
            line.chars().count()
        );
    }
}

#[tokio::test]
async fn help_as_a_user_sees_it() {
    let env = Env::new();
    let run = env.run(&["--help"]).await;
    run.expect_code(0);
    snapshot("help", &env, &run.stdout);
    let run = env.run(&["sync", "--help"]).await;
    run.expect_code(0);
    assert!(run.stdout.starts_with("Copy a shop's"), "{}", run.stdout);
    snapshot("sync_help", &env, &run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_runs_and_quiet_as_a_user_sees_them() {
    let sandbox = small_sandbox().await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    let plan = env.run(&["sync", "--profile", "shop", "--dry-run"]).await;
    plan.expect_code(0);
    snapshot("plan", &env, &plan.stdout);
    let run = env.run(&["sync", "--profile", "shop"]).await;
    run.expect_code(0);
    fits(&run.stdout);
    snapshot("done", &env, &run.stdout);
    landed::assert_landed_exactly_once(&sandbox);

    let gid = sandbox.shopify.customer_ids().into_iter().next().unwrap();
    assert!(sandbox
        .shopify
        .update_customer(&gid, |c| c["firstName"] = serde_json::json!("Quinn")));
    sandbox.hubspot.set_faults(shopsync_sandbox::Faults {
        partial_batch_failure: 1.0,
        seed: 3,
        ..Default::default()
    });
    let quiet = env.run(&["sync", "--profile", "shop", "--quiet"]).await;
    quiet.expect_code(1);
    snapshot(
        "quiet_with_a_failure",
        &env,
        &format!("--- stdout\n{}--- stderr\n{}", quiet.stdout, quiet.stderr),
    );

    let runs = env.run(&["runs", "--profile", "shop"]).await;
    runs.expect_code(0);
    snapshot("runs", &env, &runs.stdout);
}

#[tokio::test]
async fn doctor_as_a_user_sees_it() {
    let sb = common::sandbox(|_| {}).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sb, "");
    let run = env.run(&["doctor"]).await;
    run.expect_code(0);
    assert!(!run.stdout.contains('\x1b'), "colour codes in a pipe");
    snapshot(
        "doctor",
        &env,
        &format!("{}--- stderr\n{}", run.stdout, run.stderr),
    );

    // A keyring that cannot be used is described once; each credential only points at it.
    let env = env
        .with_env("SHOPSYNC_CREDENTIAL_STORE", "bogus-store")
        .with_env("SHOPSYNC_SHOP_HUBSPOT_TOKEN", "")
        .with_env("SHOPSYNC_SHOP_SHOPIFY_TOKEN", "");
    let run = env.run(&["doctor", "--json"]).await;
    run.expect_code(1);
    let report = run.json();
    let checks = report["checks"].as_array().unwrap();
    let keyring = checks.iter().find(|c| c["check"] == "keyring").unwrap();
    let detail = keyring["message"].as_str().unwrap();
    assert!(detail.contains("bogus-store"), "{keyring}");
    for name in ["shopify.credential", "hubspot.credential"] {
        let c = checks.iter().find(|c| c["check"] == name).unwrap();
        let message = c["message"].as_str().unwrap();
        assert!(!message.contains("bogus-store"), "{c}");
        assert!(message.contains("see the keyring check"), "{c}");
        assert!(message.chars().count() < 130, "{c}");
        assert_eq!(c["status"], "error");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skus_finds_the_shops_variants_by_the_start_of_a_sku() {
    let sandbox = small_sandbox().await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    // Every variant's SKU, straight from the fake.
    let mut all: Vec<String> = Vec::new();
    for gid in sandbox.shopify.product_ids() {
        let product = sandbox.shopify.product(&gid).unwrap();
        for v in product["variants"]["nodes"].as_array().unwrap() {
            if let Some(sku) = v["sku"].as_str().filter(|s| !s.is_empty()) {
                all.push(sku.to_string());
            }
        }
    }
    let wanted = all[0].clone();
    let run = env
        .run(&["skus", "--profile", "shop", "--search", &wanted, "--json"])
        .await;
    run.expect_code(0);
    let found: Vec<String> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["sku"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<&String> = all
        .iter()
        .filter(|s| s.to_lowercase().starts_with(&wanted.to_lowercase()))
        .collect();
    let mut found_sorted: Vec<&String> = found.iter().collect();
    found_sorted.sort();
    let mut expected = expected;
    expected.sort();
    assert_eq!(found_sorted, expected, "searched {wanted}");

    // Without --search every variant, up to --limit.
    let run = env
        .run(&["skus", "--profile", "shop", "--limit", "3", "--json"])
        .await;
    run.expect_code(0);
    assert_eq!(run.json().as_array().unwrap().len(), 3.min(all.len()));
    let run = env
        .run(&["skus", "--profile", "shop", "--search", &wanted])
        .await;
    run.expect_code(0);
    assert!(run.stdout.contains(&wanted), "{}", run.stdout);
}

/// `--all-profiles` runs the profiles `sync` copies; a file with only other kinds (a back
/// office, Huddle) is told which targets those are.
#[tokio::test]
async fn all_profiles_without_a_sync_profile_names_the_targets_sync_copies_to() {
    let env = Env::new();
    env.write_config(
        "[profiles.pos]\nsource = \"shopify\"\ntarget = \"backoffice\"\n\n\
         [profiles.pos.shopify]\nshop = \"acme.myshopify.com\"\n\n\
         [profiles.pos.backoffice]\nkind = \"files\"\n",
    );
    let run = env.run(&["sync", "--all-profiles"]).await;
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("has no profile with target = \"hubspot\" or \"spotler\" to sync"),
        "{}",
        run.stderr
    );
}
