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
