//! Bad input gives one clear paragraph naming the cause and the fix, the documented exit code,
//! and writes nothing: after each, the test's home holds only the profile file it wrote.

mod common;

use common::{Env, HUBSPOT_TOKEN, SHOPIFY_TOKEN};

/// Nothing was written: no state store, no log, no file but the profile file the test wrote
/// (unchanged).
#[track_caller]
fn assert_wrote_nothing(env: &Env, profile_file: Option<&str>) {
    let files = common::files_under(env.dir.path());
    let expected: Vec<_> = profile_file.iter().map(|_| env.config_path()).collect();
    assert_eq!(files, expected, "files written");
    if let Some(text) = profile_file {
        assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), text);
    }
}

const GOOD: &str = r#"
[profiles.shop]
source = "shopify"
target = "hubspot"
[profiles.shop.shopify]
shop = "acme.myshopify.com"
base_url = "http://127.0.0.1:1"
[profiles.shop.hubspot]
base_url = "http://127.0.0.1:1"
"#;

#[tokio::test]
async fn missing_profile_file() {
    let env = Env::new().with_tokens();
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(
        run.stderr.contains("profiles.example.toml"),
        "{}",
        run.stderr
    );
    assert_wrote_nothing(&env, None);
}

#[tokio::test]
async fn unknown_profile_lists_the_known_ones() {
    let env = Env::new().with_tokens();
    env.write_config(GOOD);
    let run = env.run(&["initial-sync", "--profile", "shpo"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("no profile named `shpo`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("shop"), "{}", run.stderr);
    assert_wrote_nothing(&env, Some(GOOD));
}

#[tokio::test]
async fn unknown_key_is_named_with_its_line() {
    let env = Env::new().with_tokens();
    let config = GOOD.replace(
        "target = \"hubspot\"",
        "target = \"hubspot\"\nstreems = [\"orders\"]",
    );
    env.write_config(&config);
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("streems"), "{}", run.stderr);
    assert!(run.stderr.contains("line"), "{}", run.stderr);
    assert_wrote_nothing(&env, Some(&config));
}

#[tokio::test]
async fn malformed_toml() {
    let env = Env::new().with_tokens();
    env.write_config("[profiles.shop\nsource = ");
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("is not valid"), "{}", run.stderr);
    assert_wrote_nothing(&env, Some("[profiles.shop\nsource = "));
}

#[tokio::test]
async fn invalid_shop_domain() {
    let env = Env::new().with_tokens();
    let config = GOOD.replace("acme.myshopify.com", "acme shop.com");
    env.write_config(&config);
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("is not a Shopify shop domain"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("myshopify.com"), "{}", run.stderr);
    assert_wrote_nothing(&env, Some(&config));
}

#[tokio::test]
async fn missing_credential_names_both_fixes() {
    let env = Env::new().with_env("SHOPSYNC_SHOP_HUBSPOT_TOKEN", HUBSPOT_TOKEN);
    env.write_config(GOOD);
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("shopsync auth set shop shopify"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("SHOPSYNC_SHOP_SHOPIFY_TOKEN"),
        "{}",
        run.stderr
    );
    assert_wrote_nothing(&env, Some(GOOD));
}

#[tokio::test]
async fn unreachable_host_is_a_run_failure() {
    let env = Env::new().with_tokens();
    env.write_config(GOOD);
    let run = env
        .run(&[
            "initial-sync",
            "--profile",
            "shop",
            "--streams",
            "customers",
        ])
        .await;
    run.expect_code(1);
    assert!(
        run.stderr.contains("could not be reached"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(SHOPIFY_TOKEN));
}

/// With a good profile and tokens, exit 2 can only come from the flags.
#[tokio::test]
async fn bad_flags_are_usage_errors() {
    let env = Env::new().with_tokens();
    env.write_config(GOOD);
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--streams", "invoices"])
        .await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("invalid value 'invoices'"),
        "{}",
        run.stderr
    );
    assert_wrote_nothing(&env, Some(GOOD));
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--diff"])
        .await;
    run.expect_code(2);
    assert!(run.stderr.contains("--diff"), "{}", run.stderr);
    assert!(run.stderr.contains("--dry-run"), "{}", run.stderr);
    assert_wrote_nothing(&env, Some(GOOD));
}

#[tokio::test]
async fn initial_sync_of_a_huddle_profile_says_what_to_use() {
    let env = Env::new().with_tokens();
    env.write_config(
        r#"
[profiles.shop]
source = "shopify"
target = "huddle"
[profiles.shop.shopify]
shop = "acme.myshopify.com"
[profiles.shop.huddle]
domain = "community.example.com"
"#,
    );
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("webhook register"), "{}", run.stderr);
    assert_eq!(
        common::files_under(env.dir.path()),
        vec![env.config_path()],
        "files written"
    );
}

/// `sync` on a profile whose flow it does not run says what runs it instead, and writes nothing.
#[tokio::test]
async fn sync_on_a_flow_it_does_not_run_names_the_commands_that_do() {
    let env = Env::new().with_tokens();
    let profiles = r#"
[profiles.leden]
source = "shopify"
target = "huddle"
[profiles.leden.shopify]
shop = "acme.myshopify.com"
base_url = "http://127.0.0.1:1"
[profiles.leden.huddle]
domain = "leden.example.nl"
base_url = "http://127.0.0.1:1"

[profiles.pos]
source = "shopify"
target = "backoffice"
[profiles.pos.shopify]
shop = "acme.myshopify.com"
base_url = "http://127.0.0.1:1"
[profiles.pos.backoffice]
kind = "files"
"#;
    env.write_config(profiles);
    let run = env.run(&["sync", "--profile", "leden"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("sync does not run the profile `leden`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`shopsync webhook register --profile leden`"),
        "{}",
        run.stderr
    );
    let run = env.run(&["sync", "--profile", "pos"]).await;
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("`shopsync link-products --profile pos`"),
        "{}",
        run.stderr
    );
    assert_wrote_nothing(&env, Some(profiles));
}
