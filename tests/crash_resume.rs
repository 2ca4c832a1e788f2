//! Crash and resume: the shopsync process is killed (SIGKILL) at random points of a large initial
//! sync, again and again, and started again each time, without and with faults on both fakes.
//! Kills must land while records are being written, and every restart moves the sync forward.
//! After every kill HubSpot holds no duplicate; after the last resume it holds exactly what a
//! clean run leaves: every record once, associations complete.

mod common;
mod landed;

use std::time::{Duration, Instant};

use common::{Env, Sandbox, SandboxConfig};
use rand::{Rng, SeedableRng};
use shopsync_sandbox::Faults;

const KILLS: usize = 10;

fn config(c: &mut SandboxConfig) {
    c.seed.customers = 2500;
    c.seed.products = 40;
    c.seed.orders = 600;
    c.seed.abandoned_checkouts = 20;
    // A run takes a few seconds: enough room to land kills in every phase.
    c.time_scale = 50.0;
}

/// What the kills did.
struct Kills {
    /// Kills that landed while HubSpot was being written to (it took writes during the run,
    /// and the run had not finished).
    while_writing: usize,
    /// Of those, the ones after which HubSpot held more records, or the state store more links,
    /// than before the run: the restart got further.
    with_progress: usize,
}

/// Every link in the state store (all streams).
fn links(env: &Env) -> i64 {
    let db = env.state_dir().join("shop.sqlite");
    if !db.exists() {
        return 0;
    }
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the state store");
    conn.query_row("SELECT COUNT(*) FROM links", [], |r| r.get(0))
        .unwrap()
}

/// Starts the sync and kills it (SIGKILL) after a random share of `clean_secs`, `KILLS` times or
/// until a run completes the sync first after at least half of them; a run that finishes first
/// must have succeeded (`may_fail`: or failed records, exit 1). After every kill: no secret in
/// any file, no duplicate in HubSpot, no link lost.
async fn kill_repeatedly(
    env: &Env,
    sandbox: &Sandbox,
    clean_secs: f64,
    seed: u64,
    may_fail: bool,
) -> Kills {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut kills = Kills {
        while_writing: 0,
        with_progress: 0,
    };
    let mut killed = 0;
    let mut finished_early = 0;
    let mut attempts = 0;
    while killed < KILLS {
        attempts += 1;
        assert!(
            attempts <= 40,
            "seed {seed}: only {killed} kills landed in {attempts} attempts"
        );
        let links_before = links(env);
        let landed_before: usize = landed::hubspot_counts(sandbox).iter().sum();
        let written_before = sandbox.hubspot.stats().inputs_written;
        let mut child = env
            .command(&["initial-sync", "--profile", "shop"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start shopsync");
        // Every other attempt waits until the run writes to HubSpot and kills it soon after, so
        // kills cut off writes whatever this machine's pace; the others land anywhere, early in
        // the run most of the time (each resume has less left to do), sometimes late.
        let at = if attempts % 2 == 0 {
            let deadline = Instant::now() + Duration::from_secs_f64(clean_secs);
            while sandbox.hubspot.stats().inputs_written == written_before
                && Instant::now() < deadline
                && child.try_wait().expect("poll shopsync").is_none()
            {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            clean_secs * rng.gen_range(0.0..0.02)
        } else {
            clean_secs * rng.gen_range(0.02..0.30)
        };
        tokio::time::sleep(Duration::from_secs_f64(at)).await;
        match child.try_wait().expect("poll shopsync") {
            None => {
                let writing = sandbox.hubspot.stats().inputs_written > written_before;
                child.start_kill().expect("SIGKILL");
                let out = child.wait_with_output().await.unwrap();
                if std::os::unix::process::ExitStatusExt::signal(&out.status) != Some(9) {
                    // The run ended on its own between the poll and the kill.
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    assert!(
                        out.status.success() || (may_fail && out.status.code() == Some(1)),
                        "seed {seed}: a resumed run failed: {}\n{stderr}",
                        out.status
                    );
                    finished_early += 1;
                    continue;
                }
                killed += 1;
                let links_after = links(env);
                assert!(
                    links_after >= links_before,
                    "seed {seed}: kill {killed} lost links ({links_before} -> {links_after})"
                );
                if writing {
                    kills.while_writing += 1;
                    let landed_after: usize = landed::hubspot_counts(sandbox).iter().sum();
                    if links_after > links_before || landed_after > landed_before {
                        kills.with_progress += 1;
                    }
                }
            }
            Some(status) => {
                let out = child.wait_with_output().await.unwrap();
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(
                    status.success() || (may_fail && status.code() == Some(1)),
                    "seed {seed}: a resumed run failed: {status}\n{stderr}"
                );
                finished_early += 1;
                // The sync is complete: later runs have nothing to write, and no kill can cut
                // off a write any more. Enough kills have landed by then on any machine.
                if status.success() && killed >= KILLS / 2 {
                    env.assert_no_secrets_in_files();
                    break;
                }
            }
        }
        env.assert_no_secrets_in_files();
        // Whatever was cut off, nothing is in HubSpot twice.
        assert_no_duplicates(sandbox, seed, killed);
    }
    eprintln!(
        "seed {seed}: {killed} kills ({} while writing, {} of them with progress), \
         {finished_early} runs finished before their kill",
        kills.while_writing, kills.with_progress
    );
    // The kills tested what they are for: cutting off writes, and each restart got further.
    assert!(
        kills.while_writing * 2 >= killed,
        "seed {seed}: only {} of {killed} kills landed while writing",
        kills.while_writing
    );
    assert!(
        kills.with_progress * 2 >= kills.while_writing,
        "seed {seed}: restarts made no progress: {} of {} kills while writing left more records",
        kills.with_progress,
        kills.while_writing
    );
    kills
}

fn crash_seed() -> u64 {
    std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::random::<u16>() as u64)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_points_and_resumed_the_end_state_equals_a_clean_run() {
    // The clean run: its end state, and how long it takes (to spread the kills over).
    let clean = common::sandbox(config).await;
    let clean_env = Env::new().with_tokens();
    clean_env.profile_for(&clean, "");
    let started = Instant::now();
    clean_env
        .run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    let clean_secs = started.elapsed().as_secs_f64();
    landed::assert_landed_exactly_once(&clean);
    let clean_counts = landed::hubspot_counts(&clean);
    drop(clean);

    let sandbox = common::sandbox(config).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    let seed = crash_seed();
    eprintln!("crash seed {seed} (replay with CRASH_SEED={seed}); clean run {clean_secs:.2} s");
    kill_repeatedly(&env, &sandbox, clean_secs, seed, false).await;

    // The last resume completes the sync; a run after it has nothing left to do.
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    landed::assert_landed_exactly_once(&sandbox);
    assert_eq!(
        landed::hubspot_counts(&sandbox),
        clean_counts,
        "seed {seed}: contacts, products, deals, line items vs a clean run"
    );
    let before = sandbox.hubspot.stats();
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--json"])
        .await;
    run.expect_code(0);
    assert_eq!(
        sandbox.hubspot.stats().inputs_written,
        before.inputs_written,
        "seed {seed}: the run after the resumes still wrote: {}",
        run.stdout
    );
}

/// The soak: kills under faults on both fakes (5xx, 429 bursts, dropped connections, cut-off
/// bodies, partial batch failures), the way issue 10 found records stuck for ever. The faults
/// stay on until every record has landed; every record lands exactly once, and nothing stays
/// queued for retry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_again_and_again_under_faults_every_record_lands_once() {
    let seed = crash_seed();
    let hubspot_faults = Faults {
        server_error: 0.05,
        rate_limit_burst: 0.02,
        drop_connection: 0.05,
        truncated_body: 0.05,
        partial_batch_failure: 0.02,
        seed,
        ..Faults::default()
    };
    let shopify_faults = Faults {
        server_error: 0.02,
        drop_connection: 0.02,
        truncated_body: 0.02,
        seed,
        ..Faults::default()
    };
    // How long a run under these faults takes, to spread the kills over.
    let timing = common::sandbox(config).await;
    timing.hubspot.set_faults(hubspot_faults.clone());
    timing.shopify.set_faults(shopify_faults.clone());
    let timing_env = Env::new().with_tokens();
    timing_env.profile_for(&timing, "");
    let started = Instant::now();
    let run = timing_env.run(&["initial-sync", "--profile", "shop"]).await;
    assert!(matches!(run.code, 0 | 1), "{run:?}");
    let run_secs = started.elapsed().as_secs_f64();
    drop(timing);

    let sandbox = common::sandbox(config).await;
    sandbox.hubspot.set_faults(hubspot_faults);
    sandbox.shopify.set_faults(shopify_faults);
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    eprintln!("soak seed {seed} (replay with CRASH_SEED={seed}); a faulty run {run_secs:.2} s");
    kill_repeatedly(&env, &sandbox, run_secs, seed, true).await;

    // Resumed under the same faults until a run has nothing left that failed; every other
    // resume re-reads everything (`--full`), so records queued for retry are read twice.
    let mut done = false;
    for attempt in 1..=8 {
        let args: &[&str] = if attempt % 2 == 1 {
            &["initial-sync", "--profile", "shop", "--json", "--full"]
        } else {
            &["initial-sync", "--profile", "shop", "--json"]
        };
        let run = env.run(args).await;
        assert!(
            matches!(run.code, 0 | 1),
            "seed {seed}, resume {attempt}: {run:?}"
        );
        if run.code == 0 {
            done = true;
            break;
        }
    }
    assert!(
        done,
        "seed {seed}: still failing after 8 resumes under faults"
    );
    // The faults were on: partial batch failures (what left records stuck) and transport faults.
    let injected = |kind: &str| {
        sandbox
            .hubspot
            .stats()
            .faults_injected
            .get(kind)
            .copied()
            .unwrap_or(0)
    };
    assert!(
        injected("partial_batch_failure") > 0,
        "seed {seed}: no partial batch failure"
    );
    assert!(
        injected("server_error") + injected("drop_connection") + injected("truncated_body") > 0,
        "seed {seed}: no transport fault on HubSpot"
    );
    assert!(sandbox.shopify.stats().faults_injected > 0);
    landed::assert_landed_exactly_once(&sandbox);
    let db = env.state_dir().join("shop.sqlite");
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let queued: i64 = conn
        .query_row("SELECT COUNT(*) FROM retries", [], |r| r.get(0))
        .unwrap();
    assert_eq!(queued, 0, "seed {seed}: records still queued for retry");
}

#[track_caller]
fn assert_no_duplicates(sandbox: &Sandbox, seed: u64, kills: usize) {
    for (t, key) in [
        ("contacts", "email"),
        ("products", "shopify_product_id"),
        ("deals", "shopify_order_id"),
        ("line_items", "shopify_line_item_id"),
    ] {
        let mut seen = std::collections::HashSet::new();
        for r in sandbox.hubspot.objects(t) {
            let k = r.get(key).unwrap_or("").to_lowercase();
            assert!(
                seen.insert(k.clone()),
                "seed {seed}, after kill {kills}: {t} {key}={k} twice"
            );
        }
    }
}
