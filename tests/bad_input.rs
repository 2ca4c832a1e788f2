//! Bad input gives one clear paragraph naming the cause and the fix, the documented exit code,
//! and writes nothing.

mod common;

use common::{Env, HUBSPOT_TOKEN, SHOPIFY_TOKEN};

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
    assert!(!env.state_dir().exists(), "nothing may be written");
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
}

#[tokio::test]
async fn unknown_key_is_named_with_its_line() {
    let env = Env::new().with_tokens();
    env.write_config(&GOOD.replace(
        "target = \"hubspot\"",
        "target = \"hubspot\"\nstreems = [\"orders\"]",
    ));
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("streems"), "{}", run.stderr);
    assert!(run.stderr.contains("line"), "{}", run.stderr);
}

#[tokio::test]
async fn malformed_toml() {
    let env = Env::new().with_tokens();
    env.write_config("[profiles.shop\nsource = ");
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("is not valid"), "{}", run.stderr);
}

#[tokio::test]
async fn invalid_shop_domain() {
    let env = Env::new().with_tokens();
    env.write_config(&GOOD.replace("acme.myshopify.com", "acme shop.com"));
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("is not a Shopify shop domain"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("myshopify.com"), "{}", run.stderr);
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
    assert!(!env.state_dir().exists(), "nothing may be written");
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

#[tokio::test]
async fn bad_flags_are_usage_errors() {
    let env = Env::new();
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--streams", "invoices"])
        .await;
    run.expect_code(2);
    assert!(run.stderr.contains("invoices"), "{}", run.stderr);
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--diff"])
        .await;
    run.expect_code(2);
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
}
