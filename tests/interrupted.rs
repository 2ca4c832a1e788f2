//! Runs stopped part-way: by Ctrl-C (SIGINT) or SIGTERM, which stop cleanly (the batches in
//! flight are checkpointed, the run row says `interrupted`, exit 130 / 143), and by SIGKILL, which
//! the next run notes (`killed`) and resumes, reading on from where the killed run got to.

mod common;
mod landed;

use std::time::{Duration, Instant};

use common::{Env, Sandbox, SandboxConfig};

fn sizeable(c: &mut SandboxConfig) {
    c.seed.customers = 2500;
    c.seed.products = 40;
    c.seed.orders = 300;
    c.seed.abandoned_checkouts = 10;
    c.time_scale = 50.0;
}

/// The state file of the test's one profile (`shop`, or the back-office `pos`).
fn db(env: &Env) -> rusqlite::Connection {
    let file = ["shop", "pos"]
        .map(|p| env.state_dir().join(format!("{p}.sqlite")))
        .into_iter()
        .find(|f| f.exists())
        .expect("a state file");
    rusqlite::Connection::open(file).expect("open the state file")
}

/// The status of every run, oldest first.
fn run_statuses(env: &Env) -> Vec<String> {
    let conn = db(env);
    let mut stmt = conn.prepare("SELECT status FROM runs ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn links(env: &Env, stream: &str) -> usize {
    db(env)
        .query_row(
            "SELECT count(*) FROM links WHERE stream = ?1",
            [stream],
            |r| r.get::<_, i64>(0),
        )
        .unwrap() as usize
}

/// Starts `initial-sync`, waits until HubSpot holds at least `written` new records, then sends
/// `signal` (a `kill` name: TERM, INT, KILL). Returns the exit code (`None`: ended by the
/// signal) and what it printed.
async fn stop_after(
    env: &Env,
    sandbox: &Sandbox,
    args: &[&str],
    written: u64,
    signal: &str,
) -> (Option<i32>, String, String) {
    let before = sandbox.hubspot.stats().inputs_written;
    let child = env
        .command(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start shopsync");
    let pid = child.id().expect("pid");
    let started = Instant::now();
    while sandbox.hubspot.stats().inputs_written < before + written {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "shopsync wrote nothing"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let sent = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success(), "kill -{signal}");
    let out = child.wait_with_output().await.unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Everything HubSpot holds was checkpointed: a clean stop loses no link.
#[track_caller]
fn every_record_written_is_linked(env: &Env, sandbox: &Sandbox) {
    for (stream, object) in [
        ("customers", "contacts"),
        ("products", "products"),
        ("orders", "deals"),
        ("line_items", "line_items"),
    ] {
        assert_eq!(
            links(env, stream),
            sandbox.hubspot.count(object),
            "{object} in HubSpot vs {stream} links in the state store"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_and_ctrl_c_stop_cleanly_and_the_next_run_finishes() {
    let sandbox = common::sandbox(sizeable).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    let args = ["initial-sync", "--profile", "shop", "--json"];

    let (code, stdout, stderr) = stop_after(&env, &sandbox, &args, 300, "TERM").await;
    assert_eq!(code, Some(143), "SIGTERM exits 143\n{stderr}");
    assert!(stderr.contains("stopped by SIGTERM"), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("the summary is printed as JSON ({e}):\n{stdout}\n{stderr}"));
    assert!(
        report["stopped"]
            .as_str()
            .is_some_and(|s| s.contains("SIGTERM")),
        "{report:#}"
    );
    assert_eq!(run_statuses(&env), ["interrupted"]);
    every_record_written_is_linked(&env, &sandbox);
    env.assert_no_secrets_in_files();

    let (code, _, stderr) = stop_after(&env, &sandbox, &args, 300, "INT").await;
    assert_eq!(code, Some(130), "Ctrl-C exits 130\n{stderr}");
    assert!(stderr.contains("stopped by Ctrl-C"), "{stderr}");
    assert_eq!(run_statuses(&env), ["interrupted", "interrupted"]);
    every_record_written_is_linked(&env, &sandbox);

    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    landed::assert_landed_exactly_once(&sandbox);
    assert_eq!(
        run_statuses(&env),
        ["interrupted", "interrupted", "completed"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_killed_without_warning_is_marked_killed_by_the_next() {
    let sandbox = common::sandbox(sizeable).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    let (code, _, _) = stop_after(
        &env,
        &sandbox,
        &["initial-sync", "--profile", "shop"],
        200,
        "KILL",
    )
    .await;
    assert_eq!(code, None, "killed by SIGKILL");
    assert_eq!(run_statuses(&env), ["running"], "nobody could close it");
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    assert_eq!(run_statuses(&env), ["killed", "completed"]);
    landed::assert_landed_exactly_once(&sandbox);
}

fn paced_reads(c: &mut SandboxConfig) {
    c.seed.customers = 3000;
    c.seed.products = 0;
    c.seed.orders = 0;
    c.seed.abandoned_checkouts = 0;
    // Shopify's Standard plan (2,000 points, 100 a second), four times faster.
    c.time_scale = 4.0;
}

/// A stream read in pages at Shopify's pace (the reads, not HubSpot, are the slow part), killed
/// again and again after a fifth of a clean run's time: each restart must go on from where the
/// last one checkpointed its read, not read the same first pages again and be killed at the
/// same point.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_kills_each_move_the_read_forward() {
    let args = [
        "initial-sync",
        "--profile",
        "shop",
        "--streams",
        "customers",
    ];
    let clean = common::sandbox(paced_reads).await;
    let clean_env = Env::new().with_tokens();
    // Pages, not a bulk export.
    clean_env.profile_for(&clean, "bulk_threshold = 1000000");
    let started = Instant::now();
    let run = clean_env.run(&[&args[..], &["--json"]].concat()).await;
    run.expect_code(0);
    let clean_secs = started.elapsed().as_secs_f64();
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("the JSON report");
    assert_eq!(
        report["streams"]["customers"]["bulk"], false,
        "the read must go by pages for this test"
    );
    drop(clean);
    let kill_after = Duration::from_secs_f64(clean_secs / 5.0);
    eprintln!("clean run {clean_secs:.2} s; a kill every {kill_after:?}");

    let sandbox = common::sandbox(paced_reads).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "bulk_threshold = 1000000");

    let mut counts = Vec::new();
    for kill in 1..=4 {
        let mut child = env
            .command(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start shopsync");
        tokio::time::sleep(kill_after).await;
        assert!(
            child.try_wait().unwrap().is_none(),
            "run {kill} finished before its kill: make the read slower"
        );
        child.start_kill().unwrap();
        child.wait().await.unwrap();
        counts.push(sandbox.hubspot.count("contacts"));
    }
    eprintln!("contacts after each kill: {counts:?}");
    assert!(counts[0] > 0, "the first run wrote nothing before its kill");
    // Half a page or more each time. Re-reading from the start, a restart (which begins with
    // the bucket the killed run emptied) gets no further than the first run did: no growth.
    for pair in counts.windows(2) {
        assert!(
            pair[1] >= pair[0] + 100,
            "a restart made (almost) no progress: contacts after each kill {counts:?}"
        );
    }
    env.run(&args).await.expect_code(0);
    landed::assert_landed_exactly_once(&sandbox);
}

/// A full read of a large stream is a bulk export: a run killed while reading it leaves the
/// export's id and how far into its file it got, and the next run reads on in the same export
/// (while Shopify keeps it) instead of starting a new one and reading it from the top.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_run_reads_on_in_the_same_bulk_export() {
    let sandbox = common::sandbox(|c| {
        c.seed.customers = 3000;
        c.seed.products = 0;
        c.seed.orders = 0;
        c.seed.abandoned_checkouts = 0;
        c.time_scale = 50.0;
    })
    .await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "bulk_threshold = 1000");
    let args = [
        "initial-sync",
        "--profile",
        "shop",
        "--streams",
        "customers",
    ];
    let mut child = env
        .command(&args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start shopsync");
    let started = Instant::now();
    // Killed once a good part of the export is checkpointed.
    let linked_so_far = || {
        rusqlite::Connection::open(env.state_dir().join("shop.sqlite"))
            .and_then(|c| {
                c.query_row(
                    "SELECT count(*) FROM links WHERE stream = 'customers'",
                    [],
                    |r| r.get::<_, i64>(0),
                )
            })
            .unwrap_or(0)
    };
    while !env.state_dir().join("shop.sqlite").exists() || linked_so_far() < 600 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "nothing linked"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before its kill"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    assert_eq!(sandbox.shopify.stats().bulk_operations, 1);
    let linked = links(&env, "customers");

    let before = sandbox.hubspot.stats().requests_by_route;
    env.run(&args).await.expect_code(0);
    assert_eq!(
        sandbox.shopify.stats().bulk_operations,
        1,
        "the resumed run started a new export"
    );
    landed::assert_landed_exactly_once(&sandbox);
    // Only what the killed run had not checkpointed was looked at again: the upserts of the
    // resumed run cover the rest, not the whole stream once more.
    let after = sandbox.hubspot.stats().requests_by_route;
    let upserts = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter()
            .filter(|(k, _)| k.contains("upsert"))
            .map(|(_, v)| *v)
            .sum::<u64>()
    };
    let total = sandbox.hubspot.count("contacts") as u64;
    let resumed_batches = upserts(&after) - upserts(&before);
    assert!(
        resumed_batches * 100 < total,
        "{resumed_batches} upsert batches for {total} contacts, {linked} linked before"
    );
}

/// The back-office commands stop the same way: `pull-customers` into Tellix, stopped by Ctrl-C,
/// prints its summary, logs the run as `interrupted`, keeps its cursor (the customers not
/// reached are read again), and the next run finishes with each customer in Tellix once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_customers_stops_cleanly_on_ctrl_c() {
    let sandbox = common::sandbox(|c| {
        c.seed.customers = 3000;
        c.seed.products = 3;
        c.seed.orders = 0;
        c.limits_lifted = true;
    })
    .await;
    let env = Env::new()
        .with_env("SHOPSYNC_POS_SHOPIFY_TOKEN", common::SHOPIFY_TOKEN)
        .with_env(
            "SHOPSYNC_POS_TELLIX_USERNAME_TOKEN",
            shopsync_sandbox::tellix::DEFAULT_USERNAME,
        )
        .with_env(
            "SHOPSYNC_POS_TELLIX_PASSWORD_TOKEN",
            shopsync_sandbox::tellix::DEFAULT_PASSWORD,
        )
        .with_env(
            "SHOPSYNC_POS_TELLIX_APIKEY_TOKEN",
            shopsync_sandbox::tellix::DEFAULT_APIKEY,
        );
    env.write_config(&format!(
        "[profiles.pos]\nsource = \"shopify\"\ntarget = \"backoffice\"\n\
         [profiles.pos.shopify]\nshop = \"sandbox-store.myshopify.com\"\nbase_url = \"{}\"\n\
         [profiles.pos.backoffice]\nkind = \"tellix\"\nbase_url = \"{}\"\n",
        sandbox.shopify_url(),
        sandbox.tellix_url()
    ));
    let args = ["--json", "pull-customers", "--profile", "pos"];
    let child = env
        .command(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start shopsync");
    let pid = child.id().unwrap();
    let started = Instant::now();
    while sandbox.tellix.customers().len() < 200 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "nothing written"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("the summary is printed ({e}): {stderr}"));
    let created = report["create"].as_u64().unwrap() as usize;
    let in_tellix = sandbox.tellix.customers().len();
    assert!(in_tellix < 3000, "stopped before the end");
    assert_eq!(created, in_tellix, "the summary counts what was written");
    assert_eq!(run_statuses(&env), ["interrupted"]);
    assert_eq!(
        links(&env, "backoffice_customers"),
        in_tellix,
        "each write checkpointed"
    );
    let cursor: Option<String> = db(&env)
        .query_row(
            "SELECT value FROM cursors WHERE stream = 'backoffice_customers'",
            [],
            |r| r.get(0),
        )
        .ok();
    assert_eq!(cursor, None, "an interrupted read sets no cursor");

    env.run(&["pull-customers", "--profile", "pos"])
        .await
        .expect_code(0);
    let tellix = sandbox.tellix.customers();
    assert_eq!(tellix.len(), 3000, "each customer once");
    assert_eq!(run_statuses(&env), ["interrupted", "completed"]);
}
