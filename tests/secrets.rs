//! Secrets never leave the credential store: every CLI test run's stdout, stderr and every file
//! under its home (state DB and journal, logs, config dirs) is scanned for the tokens by
//! `common::Env::run`. These tests drive the paths most likely to leak one (verbose request
//! logging, faults and their error messages, refused tokens) and check the scan itself bites.

mod common;

use common::Env;
use shopsync_sandbox::Faults;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verbose_runs_with_faults_print_and_write_no_token() {
    let sandbox = common::sandbox(|c| c.seed.customers = 120).await;
    let env = Env::new()
        .with_tokens()
        .with_env("SHOPSYNC_HTTP_TIMEOUT", "0.5")
        // Everything every crate logs, not only shopsync's debug lines.
        .with_env("SHOPSYNC_LOG", "trace");
    env.profile_for(&sandbox, "bulk_threshold = 50");
    let faults = Faults {
        server_error: 0.1,
        rate_limit_burst: 0.05,
        drop_connection: 0.05,
        slow_response: 0.02,
        slow_response_secs: 2.0,
        truncated_body: 0.05,
        partial_batch_failure: 0.05,
        seed: 3,
    };
    sandbox.hubspot.set_faults(faults.clone());
    sandbox.shopify.set_faults(faults);
    for args in [
        &[
            "--verbose",
            "initial-sync",
            "--profile",
            "shop",
            "--dry-run",
            "--diff",
        ][..],
        &["--verbose", "initial-sync", "--profile", "shop"][..],
        &["--verbose", "--json", "initial-sync", "--profile", "shop"][..],
    ] {
        let run = env.run(args).await;
        assert!(matches!(run.code, 0 | 1), "{run:?}");
        // The request logs this test is about were printed (and scanned).
        assert!(
            run.stderr
                .contains(&format!("POST {}/crm/", sandbox.hubspot_url())),
            "no HubSpot request log: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("POST ") && run.stderr.contains("graphql.json"),
            "no Shopify request log: {}",
            run.stderr
        );
    }
}

/// `SHOPSYNC_LOG` alone turns the request logs on (it is the variable shopsync reads).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopsync_log_turns_on_request_logs() {
    let sandbox = common::sandbox(|c| c.seed.customers = 10).await;
    let env = Env::new()
        .with_tokens()
        .with_env("SHOPSYNC_LOG", "shopsync=debug");
    env.profile_for(&sandbox, "");
    let run = env
        .run(&[
            "initial-sync",
            "--profile",
            "shop",
            "--streams",
            "customers",
        ])
        .await;
    run.expect_code(0);
    assert!(
        run.stderr
            .contains(&format!("POST {}/crm/", sandbox.hubspot_url())),
        "{}",
        run.stderr
    );
    let quiet = Env::new().with_tokens();
    quiet.profile_for(&sandbox, "");
    let run = quiet
        .run(&[
            "initial-sync",
            "--profile",
            "shop",
            "--streams",
            "customers",
        ])
        .await;
    assert!(!run.stderr.contains("POST "), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_tokens_are_not_echoed() {
    let sandbox = common::sandbox(|_| {}).await;
    // Tokens the fakes do not accept: the 401 messages must not repeat them either.
    let wrong_shopify = "shpat_wrong_ffffffffffffffffffff";
    let wrong_hubspot = "pat-na1-wrong-ffff-ffff-ffff";
    let env = Env::new()
        .with_env("SHOPSYNC_SHOP_SHOPIFY_TOKEN", wrong_shopify)
        .with_env("SHOPSYNC_SHOP_HUBSPOT_TOKEN", wrong_hubspot);
    env.profile_for(&sandbox, "");
    for args in [
        &["--verbose", "initial-sync", "--profile", "shop"][..],
        &["--verbose", "--json", "initial-sync", "--profile", "shop"][..],
    ] {
        let run = env.run(args).await;
        assert_ne!(run.code, 0);
        for secret in [wrong_shopify, wrong_hubspot] {
            assert!(!run.stdout.contains(secret), "{}", run.stdout);
            assert!(!run.stderr.contains(secret), "{}", run.stderr);
        }
    }
    for path in common::files_under(env.dir.path()) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        for secret in [wrong_shopify, wrong_hubspot] {
            assert!(!text.contains(secret), "{} holds a token", path.display());
        }
    }
}

/// Every credential the fakes accept, named one by one (not read from `common::SECRETS`, so a
/// secret left out of the scan fails here).
const EVERY_CREDENTIAL: [&str; 10] = [
    common::SHOPIFY_TOKEN,
    common::HUBSPOT_TOKEN,
    shopsync_sandbox::tellix::DEFAULT_PASSWORD,
    shopsync_sandbox::tellix::DEFAULT_APIKEY,
    shopsync_sandbox::huddle::DEFAULT_API_KEY,
    shopsync_sandbox::shopify::webhooks::DEFAULT_APP_SECRET,
    shopsync_sandbox::spotler::DEFAULT_CONSUMER_KEY,
    shopsync_sandbox::spotler::DEFAULT_CONSUMER_SECRET,
    shopsync_sandbox::shopware::DEFAULT_API_KEY,
    shopsync_sandbox::shopware6::DEFAULT_CLIENT_SECRET,
];

#[test]
fn the_file_scan_finds_a_planted_token() {
    for secret in EVERY_CREDENTIAL {
        let env = Env::new();
        let dir = env.state_dir().join("nested");
        std::fs::create_dir_all(&dir).unwrap();
        let mut bytes = vec![0u8, 1, 2];
        bytes.extend_from_slice(secret.as_bytes());
        std::fs::write(dir.join("x.sqlite-wal"), bytes).unwrap();
        let caught = std::panic::catch_unwind(|| env.assert_no_secrets_in_files());
        assert!(caught.is_err(), "the scan missed a planted {secret:.8}...");
    }
}

#[test]
fn the_output_scan_finds_a_printed_secret() {
    for secret in EVERY_CREDENTIAL {
        let run = common::Run {
            code: 0,
            stdout: String::new(),
            stderr: format!("POST https://example.invalid/membership/create/{secret}"),
        };
        let caught = std::panic::catch_unwind(|| run.assert_no_secrets());
        assert!(caught.is_err(), "the scan missed a printed {secret:.8}...");
    }
}
