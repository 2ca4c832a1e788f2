//! The fault suite: each of the sandbox's fault switches on, on HubSpot and on Shopify. The sync
//! completes (a record reported failed is written by the next run), every record lands exactly
//! once, and every failed record is in the run log (the `--json` report and the state store's
//! `failures` table) with its reason.

mod common;
mod landed;

use common::Env;
use shopsync_sandbox::{Faults, Sandbox};

/// Which fake the faults are switched on in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Side {
    HubSpot,
    Shopify,
}

async fn store() -> Sandbox {
    common::sandbox(|c| {
        c.seed.customers = 300;
        c.seed.products = 20;
        c.seed.orders = 150;
        c.seed.abandoned_checkouts = 10;
    })
    .await
}

/// Rows of the state store's `failures` table for one run: (stream, source id, reason).
fn logged_failures(env: &Env, run_id: i64) -> Vec<(String, String, String)> {
    let db = env.state_dir().join("shop.sqlite");
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the state store");
    let mut stmt = conn
        .prepare("SELECT stream, source_id, reason FROM failures WHERE run_id = ?1")
        .unwrap();
    stmt.query_map([run_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn last_run_id(env: &Env) -> i64 {
    let db = env.state_dir().join("shop.sqlite");
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the state store");
    conn.query_row("SELECT MAX(id) FROM runs", [], |r| r.get(0))
        .unwrap()
}

/// Syncs with `faults` on one side until a run reports nothing failed (at most `MAX_RUNS`: a retried record can be hit by the faults again), then
/// checks the end state, and that a fault-free run afterwards has nothing left to write.
async fn sync_survives(
    side: Side,
    faults: Faults,
    profile_extra: &str,
    env_extra: &[(&str, &str)],
) {
    let sandbox = store().await;
    let mut env = Env::new().with_tokens();
    for (k, v) in env_extra {
        env = env.with_env(k, v);
    }
    env.profile_for(&sandbox, profile_extra);
    match side {
        Side::HubSpot => sandbox.hubspot.set_faults(faults.clone()),
        Side::Shopify => sandbox.shopify.set_faults(faults.clone()),
    }

    let mut done = false;
    let mut last = serde_json::Value::Null;
    for attempt in 1..=MAX_RUNS {
        let run = env
            .run(&["initial-sync", "--profile", "shop", "--json"])
            .await;
        assert!(
            run.code == 0 || run.code == 1,
            "{side:?} {faults:?}, run {attempt}: exit {}\n--- stdout\n{}\n--- stderr\n{}",
            run.code,
            run.stdout,
            run.stderr
        );
        let report = run.json();
        let failures = report["failures"].as_array().expect("failures listed");
        // Every failed record is reported with its reason, and logged in the state store.
        for f in failures {
            assert!(
                f["reason"].as_str().is_some_and(|r| !r.trim().is_empty()),
                "a failure without a reason: {f}"
            );
        }
        let logged = logged_failures(&env, last_run_id(&env));
        assert_eq!(
            logged.len(),
            failures.len(),
            "run log vs report: {logged:?}"
        );
        assert!(logged
            .iter()
            .all(|(_, id, reason)| !id.is_empty() && !reason.is_empty()));
        if run.code == 0 {
            assert!(failures.is_empty(), "{report:#}");
            done = true;
            break;
        }
        assert!(
            !failures.is_empty(),
            "exit 1 without a failed record: {report:#}"
        );
        eprintln!("run {attempt}: {} failed", failures.len());
        last = report["failures"].clone();
    }
    assert!(
        done,
        "{side:?} {faults:?}: still failing after {MAX_RUNS} runs: {last:#}"
    );
    // The faults were really injected: the fakes count them apart from the ordinary 429s the
    // rate limits answer (which any sync meets); on HubSpot by kind, of the kinds switched on.
    match side {
        Side::HubSpot => {
            let s = sandbox.hubspot.stats();
            let injected: u64 = switched_on(&faults)
                .iter()
                .filter_map(|kind| s.faults_injected.get(*kind))
                .sum();
            assert!(injected > 0, "no fault was injected: {s:?}");
        }
        Side::Shopify => {
            let s = sandbox.shopify.stats();
            assert!(s.faults_injected > 0, "no fault was injected: {s:?}")
        }
    }
    landed::assert_landed_exactly_once(&sandbox);

    // Nothing is left to write once the faults are off.
    sandbox.hubspot.set_faults(Faults::default());
    sandbox.shopify.set_faults(Faults::default());
    let before = sandbox.hubspot.stats();
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    let after = sandbox.hubspot.stats();
    assert_eq!(
        after.inputs_written, before.inputs_written,
        "a clean run after the faults still wrote: {}",
        run.stdout
    );
    landed::assert_landed_exactly_once(&sandbox);
}

/// The names of the faults `faults` switches on, as the HubSpot fake counts them.
fn switched_on(faults: &Faults) -> Vec<&'static str> {
    [
        ("server_error", faults.server_error),
        ("rate_limit_burst", faults.rate_limit_burst),
        ("drop_connection", faults.drop_connection),
        ("slow_response", faults.slow_response),
        ("truncated_body", faults.truncated_body),
        ("partial_batch_failure", faults.partial_batch_failure),
    ]
    .into_iter()
    .filter(|(_, p)| *p > 0.0)
    .map(|(name, _)| name)
    .collect()
}

fn faults(f: impl FnOnce(&mut Faults)) -> Faults {
    let mut faults = Faults {
        seed: 11,
        ..Faults::default()
    };
    f(&mut faults);
    faults
}

/// Runs with the faults on before everything must have landed.
const MAX_RUNS: usize = 8;

const SLOW: &[(&str, &str)] = &[("SHOPSYNC_HTTP_TIMEOUT", "0.5")];
const BULK: &str = "bulk_threshold = 50";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hubspot_server_errors_10_percent() {
    sync_survives(Side::HubSpot, faults(|f| f.server_error = 0.10), "", &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hubspot_rate_limit_bursts() {
    sync_survives(Side::HubSpot, faults(|f| f.rate_limit_burst = 0.2), "", &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hubspot_dropped_connections() {
    sync_survives(Side::HubSpot, faults(|f| f.drop_connection = 0.10), "", &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hubspot_slow_responses_past_the_timeout() {
    sync_survives(
        Side::HubSpot,
        faults(|f| {
            f.slow_response = 0.2;
            f.slow_response_secs = 2.0;
        }),
        "",
        SLOW,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hubspot_truncated_bodies() {
    sync_survives(Side::HubSpot, faults(|f| f.truncated_body = 0.10), "", &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hubspot_partial_batch_failures() {
    sync_survives(
        Side::HubSpot,
        faults(|f| f.partial_batch_failure = 0.05),
        "",
        &[],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hubspot_everything_at_once() {
    sync_survives(
        Side::HubSpot,
        faults(|f| {
            f.server_error = 0.05;
            f.rate_limit_burst = 0.02;
            f.drop_connection = 0.05;
            f.slow_response = 0.02;
            f.slow_response_secs = 2.0;
            f.truncated_body = 0.05;
            f.partial_batch_failure = 0.02;
        }),
        "",
        SLOW,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_server_errors_10_percent() {
    sync_survives(Side::Shopify, faults(|f| f.server_error = 0.10), "", &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_rate_limit_bursts() {
    sync_survives(Side::Shopify, faults(|f| f.rate_limit_burst = 0.2), "", &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_dropped_connections() {
    sync_survives(Side::Shopify, faults(|f| f.drop_connection = 0.10), "", &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_slow_responses_past_the_timeout() {
    sync_survives(
        Side::Shopify,
        faults(|f| {
            f.slow_response = 0.2;
            f.slow_response_secs = 2.0;
        }),
        "",
        SLOW,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_truncated_bodies() {
    sync_survives(Side::Shopify, faults(|f| f.truncated_body = 0.10), "", &[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_everything_at_once_with_bulk_exports() {
    sync_survives(
        Side::Shopify,
        faults(|f| {
            f.server_error = 0.05;
            f.rate_limit_burst = 0.02;
            f.drop_connection = 0.05;
            f.slow_response = 0.02;
            f.slow_response_secs = 2.0;
            f.truncated_body = 0.05;
        }),
        BULK,
        SLOW,
    )
    .await;
}
