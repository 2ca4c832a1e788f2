//! Crash and resume: the shopsync process is killed (SIGKILL) at random points of a large initial
//! sync, again and again, and started again each time. After every kill HubSpot holds no
//! duplicate; after the last resume it holds exactly what a clean run leaves: every record once,
//! associations complete.

mod common;
mod landed;

use std::time::{Duration, Instant};

use common::{Env, SandboxConfig};
use rand::{Rng, SeedableRng};

const KILLS: usize = 10;

fn config(c: &mut SandboxConfig) {
    c.seed.customers = 2500;
    c.seed.products = 40;
    c.seed.orders = 600;
    c.seed.abandoned_checkouts = 20;
    // A run takes a few seconds: enough room to land kills in every phase.
    c.time_scale = 50.0;
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
    let seed: u64 = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::random::<u16>() as u64);
    eprintln!("crash seed {seed} (replay with CRASH_SEED={seed}); clean run {clean_secs:.2} s");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);

    let mut kills = 0;
    let mut finished_early = 0;
    let mut attempts = 0;
    while kills < KILLS {
        attempts += 1;
        assert!(
            attempts <= 40,
            "seed {seed}: only {kills} kills landed in {attempts} attempts"
        );
        // Early in the run most of the time, sometimes late; scaled to what is left to do (a
        // resume reads on from where the killed run got to, so it has less and less to do).
        let landed: usize = landed::hubspot_counts(&sandbox).iter().sum();
        let left = 1.0 - landed as f64 / clean_counts.iter().sum::<usize>() as f64;
        let at = clean_secs * left.max(0.05) * rng.gen_range(0.02..0.45);
        let mut child = env
            .command(&["initial-sync", "--profile", "shop"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start shopsync");
        tokio::time::sleep(Duration::from_secs_f64(at)).await;
        match child.try_wait().expect("poll shopsync") {
            None => {
                child.start_kill().expect("SIGKILL");
                let status = child.wait().await.unwrap();
                assert_eq!(
                    std::os::unix::process::ExitStatusExt::signal(&status),
                    Some(9),
                    "killed by SIGKILL"
                );
                kills += 1;
            }
            Some(status) => {
                let out = child.wait_with_output().await.unwrap();
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(
                    status.success(),
                    "seed {seed}: a resumed run failed: {status}\n{stderr}"
                );
                finished_early += 1;
            }
        }
        env.assert_no_secrets_in_files();
        // Whatever was cut off, nothing is in HubSpot twice.
        assert_no_duplicates(&sandbox, seed, kills);
    }
    eprintln!("{kills} kills, {finished_early} runs finished before their kill");

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

#[track_caller]
fn assert_no_duplicates(sandbox: &common::Sandbox, seed: u64, kills: usize) {
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
