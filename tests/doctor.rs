//! `shopsync doctor`, run as the real binary against the sandbox: every check's status, the fix
//! it names, and the exit code.

mod common;

use common::{sandbox, Env, HUBSPOT_TOKEN};
use serde_json::Value;

fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == name)
        .unwrap_or_else(|| panic!("no check {name} in {report:#}"))
}

fn statuses(report: &Value) -> Vec<(String, String)> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["check"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn good_setup_is_all_ok() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sb, "");
    let run = env.run(&["doctor", "--json"]).await;
    run.expect_code(0);
    let report = run.json();
    for (name, status) in statuses(&report) {
        assert_eq!(status, "ok", "{name}: {report:#}");
    }
    let names: Vec<String> = statuses(&report).into_iter().map(|(n, _)| n).collect();
    for expected in [
        "config",
        "keyring",
        "profile",
        "shopify.credential",
        "hubspot.credential",
        "shopify.host",
        "shopify.token",
        "shopify.api_version",
        "shopify.scopes",
        "hubspot.host",
        "hubspot.token",
        "hubspot.api_version",
        "hubspot.scopes",
        "state",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing: {names:?}"
        );
    }
    assert_eq!(report["errors"], 0);
    let cred = check(&report, "shopify.credential");
    assert!(
        cred["message"]
            .as_str()
            .unwrap()
            .contains("SHOPSYNC_SHOP_SHOPIFY_TOKEN"),
        "{cred}"
    );

    // The same as lines for a person.
    let run = env.run(&["doctor", "--profile", "shop"]).await;
    run.expect_code(0);
    assert!(run.stdout.lines().count() >= 14, "{}", run.stdout);
    assert!(
        run.stdout.lines().all(|l| l.starts_with("ok ")),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn a_wrong_token_is_an_error_with_its_fix() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new()
        .with_env(
            "SHOPSYNC_SHOP_SHOPIFY_TOKEN",
            "shpat_wrong_0000000000000000",
        )
        .with_env("SHOPSYNC_SHOP_HUBSPOT_TOKEN", HUBSPOT_TOKEN);
    env.profile_for(&sb, "");
    let run = env.run(&["doctor", "--profile", "shop", "--json"]).await;
    run.expect_code(1);
    let report = run.json();
    let token = check(&report, "shopify.token");
    assert_eq!(token["status"], "error", "{report:#}");
    assert!(
        token["fix"]
            .as_str()
            .unwrap()
            .contains("shopsync auth set shop shopify"),
        "{token}"
    );
    assert!(!run.stdout.contains("shpat_wrong"), "the token was printed");
    assert_eq!(check(&report, "shopify.scopes")["status"], "skipped");
    assert_eq!(check(&report, "hubspot.token")["status"], "ok");
    assert_eq!(report["errors"], 1);

    let run = env.run(&["doctor", "--profile", "shop"]).await;
    run.expect_code(1);
    assert!(
        run.stdout.contains("error    shop: shopify.token"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("fix: store the right Admin API access token"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn a_missing_credential_names_both_ways_to_set_it() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new().with_env("SHOPSYNC_SHOP_SHOPIFY_TOKEN", common::SHOPIFY_TOKEN);
    env.profile_for(&sb, "");
    let run = env.run(&["doctor", "--json"]).await;
    run.expect_code(1);
    let report = run.json();
    let cred = check(&report, "hubspot.credential");
    assert_eq!(cred["status"], "error");
    let fix = cred["fix"].as_str().unwrap();
    assert!(fix.contains("shopsync auth set shop hubspot"), "{fix}");
    assert!(fix.contains("SHOPSYNC_SHOP_HUBSPOT_TOKEN"), "{fix}");
    assert_eq!(check(&report, "hubspot.token")["status"], "skipped");
}

#[tokio::test]
async fn a_token_from_the_keyring_says_so() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new().with_env("SHOPSYNC_SHOP_SHOPIFY_TOKEN", common::SHOPIFY_TOKEN);
    env.profile_for(&sb, "");
    let mut cmd = env.command(&["auth", "set", "shop", "hubspot", "--stdin"]);
    cmd.stdin(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use tokio::io::AsyncWriteExt;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(HUBSPOT_TOKEN.as_bytes()).await.unwrap();
    }
    assert!(child.wait().await.unwrap().success());
    let run = env.run(&["doctor", "--json"]).await;
    run.expect_code(0);
    let report = run.json();
    let cred = check(&report, "hubspot.credential");
    assert!(
        cred["message"]
            .as_str()
            .unwrap()
            .contains("from the keyring"),
        "{cred}"
    );
}

#[tokio::test]
async fn an_unreachable_host_is_an_error() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new().with_tokens();
    // Nothing listens on port 1.
    env.write_config(&format!(
        r#"
[profiles.shop]
source = "shopify"
target = "hubspot"
[profiles.shop.shopify]
shop = "sandbox-store.myshopify.com"
base_url = "{}"
[profiles.shop.hubspot]
base_url = "http://127.0.0.1:1"
"#,
        sb.shopify_url()
    ));
    let run = env.run(&["doctor", "--json"]).await;
    run.expect_code(1);
    let report = run.json();
    let host = check(&report, "hubspot.host");
    assert_eq!(host["status"], "error", "{report:#}");
    assert!(host["message"].as_str().unwrap().contains("127.0.0.1:1"));
    assert!(host["fix"].as_str().unwrap().contains("base_url"));
    assert_eq!(check(&report, "hubspot.token")["status"], "skipped");
    assert_eq!(check(&report, "shopify.token")["status"], "ok");
}

#[tokio::test]
async fn missing_scopes_are_named() {
    // A HubSpot that answers every request as HubSpot does for a token without the scope.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","correlationId":"0","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.deals.read"]}}]}"#;
                let answer = format!(
                    "HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    let sb = sandbox(|_| {}).await;
    let env = Env::new().with_tokens();
    env.write_config(&format!(
        r#"
[profiles.shop]
source = "shopify"
target = "hubspot"
[profiles.shop.shopify]
shop = "sandbox-store.myshopify.com"
base_url = "{}"
[profiles.shop.hubspot]
base_url = "http://{addr}"
"#,
        sb.shopify_url()
    ));
    let run = env.run(&["doctor", "--json"]).await;
    run.expect_code(1);
    let report = run.json();
    let scopes = check(&report, "hubspot.scopes");
    assert_eq!(scopes["status"], "error", "{report:#}");
    assert!(
        scopes["message"]
            .as_str()
            .unwrap()
            .contains("crm.objects.deals.read"),
        "{scopes}"
    );
    assert!(scopes["fix"]
        .as_str()
        .unwrap()
        .contains("crm.objects.deals.read"));
    assert_eq!(check(&report, "hubspot.token")["status"], "ok");
}

#[tokio::test]
async fn the_state_store_schema_is_checked() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sb, "");
    drop(shopsync::state::StateStore::open(&env.state_dir(), "shop").unwrap());
    let run = env.run(&["doctor", "--json"]).await;
    run.expect_code(0);
    let state = check(&run.json(), "state").clone();
    assert!(
        state["message"].as_str().unwrap().contains("(current)"),
        "{state}"
    );

    mark_schema_newer(&env.state_dir().join("shop.sqlite"));
    let run = env.run(&["doctor", "--json"]).await;
    run.expect_code(1);
    let state = check(&run.json(), "state").clone();
    assert_eq!(state["status"], "error", "{state}");
    assert!(
        state["message"]
            .as_str()
            .unwrap()
            .contains("newer shopsync"),
        "{state}"
    );
}

/// Marks the state file as written by a future shopsync: the `user_version` field of the SQLite
/// header (bytes 60..64, big-endian) is the schema version.
fn mark_schema_newer(path: &std::path::Path) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(path, bytes).unwrap();
}

#[tokio::test]
async fn no_profile_file_is_an_error_pointing_at_setup() {
    let env = Env::new();
    let run = env.run(&["doctor", "--json"]).await;
    run.expect_code(1);
    let report = run.json();
    let config = check(&report, "config");
    assert_eq!(config["status"], "error");
    assert!(config["fix"].as_str().unwrap().contains("shopsync setup"));
}
