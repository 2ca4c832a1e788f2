//! Credentials never cross the network in clear by accident: a plain `http://` base URL is
//! accepted only for a loopback address, or when the profile says `allow_insecure_http = true`
//! (which `doctor` then flags).

mod common;

use common::{Env, Sandbox};

/// The sandbox profile with HubSpot at `hubspot_url` and `extra` in the profile's table.
fn profile(env: &Env, sandbox: &Sandbox, hubspot_url: &str, extra: &str) {
    env.write_config(&format!(
        r#"
[profiles.shop]
source = "shopify"
target = "hubspot"
{extra}

[profiles.shop.shopify]
shop = "sandbox-store.myshopify.com"
base_url = "{}"

[profiles.shop.hubspot]
base_url = "{hubspot_url}"
"#,
        sandbox.shopify_url()
    ));
}

#[tokio::test]
async fn plain_http_to_another_host_is_refused_before_any_request() {
    let sandbox = common::sandbox(|_| {}).await;
    let env = Env::new().with_tokens();
    profile(&env, &sandbox, "http://hubspot-proxy.invalid:8080", "");
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    assert!(
        run.stderr.contains("http://hubspot-proxy.invalid:8080")
            && run.stderr.contains("unencrypted")
            && run.stderr.contains("allow_insecure_http = true"),
        "{}",
        run.stderr
    );
    assert_eq!(
        sandbox.shopify.stats().requests,
        0,
        "nothing sent to Shopify"
    );
    assert!(!env.state_dir().exists(), "nothing written");

    // Loopback in every spelling is fine (the sandbox itself is http://127.0.0.1).
    for url in [
        sandbox.hubspot_url(),
        sandbox.hubspot_url().replace("127.0.0.1", "localhost"),
    ] {
        profile(&env, &sandbox, &url, "");
        env.run(&["initial-sync", "--profile", "shop", "--dry-run"])
            .await
            .expect_code(0);
    }
}

#[tokio::test]
async fn allow_insecure_http_lets_it_through_and_doctor_flags_it() {
    let sandbox = common::sandbox(|_| {}).await;
    let env = Env::new().with_tokens();
    profile(
        &env,
        &sandbox,
        "http://hubspot-proxy.invalid:8080",
        "allow_insecure_http = true",
    );
    let run = env.run(&["doctor", "--profile", "shop", "--json"]).await;
    let report = run.json();
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "insecure_http")
        .unwrap_or_else(|| panic!("no insecure_http check: {report:#}"));
    assert_eq!(check["status"], "warning", "{check}");
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains("http://hubspot-proxy.invalid:8080"),
        "{check}"
    );
    // The profile itself is accepted: the host is then simply unreachable.
    let profile_check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "profile")
        .unwrap();
    assert_eq!(profile_check["status"], "ok", "{report:#}");
}
