//! What the CLI tests share: a temporary home (profile file, state dir, credential store), the
//! real `shopsync` binary run in it, and the sandbox fakes.

#![allow(dead_code)]

use std::path::PathBuf;

pub use shopsync_sandbox::{Sandbox, SandboxConfig};

pub const SHOPIFY_TOKEN: &str = "shpat_sandbox_0123456789abcdef";
pub const HUBSPOT_TOKEN: &str = "pat-na1-sandbox-0000-1111-2222";

/// Every secret the sandbox accepts: none may appear in any output or file shopsync writes
/// (the Tellix user name is a credential too, but a word too common to scan for). The Huddle
/// key is part of the webhook address Shopify is given, so it is the likeliest to be printed.
pub const SECRETS: [&str; 6] = [
    SHOPIFY_TOKEN,
    HUBSPOT_TOKEN,
    shopsync_sandbox::tellix::DEFAULT_PASSWORD,
    shopsync_sandbox::tellix::DEFAULT_APIKEY,
    shopsync_sandbox::huddle::DEFAULT_API_KEY,
    shopsync_sandbox::shopify::webhooks::DEFAULT_APP_SECRET,
];

pub struct Env {
    pub dir: tempfile::TempDir,
    extra_env: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Fails with everything the command printed, for a readable test failure.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n--- stderr\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Secrets must never be printed.
    #[track_caller]
    pub fn assert_no_secrets(&self) {
        for secret in SECRETS {
            assert!(
                !self.stdout.contains(secret),
                "a token was printed on stdout:\n{}",
                self.stdout
            );
            assert!(
                !self.stderr.contains(secret),
                "a token was printed on stderr:\n{}",
                self.stderr
            );
        }
    }
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
            extra_env: Vec::new(),
        }
    }

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("profiles.toml")
    }

    pub fn state_dir(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    pub fn write_config(&self, text: &str) {
        std::fs::write(self.config_path(), text).expect("write the profile file");
    }

    /// A Shopify -> HubSpot profile named `shop` pointing at the sandbox.
    pub fn profile_for(&self, sandbox: &Sandbox, extra_shopify: &str) {
        self.write_config(&format!(
            r#"
[profiles.shop]
source = "shopify"
target = "hubspot"

[profiles.shop.shopify]
shop = "sandbox-store.myshopify.com"
base_url = "{}"
{extra_shopify}

[profiles.shop.hubspot]
base_url = "{}"
"#,
            sandbox.shopify_url(),
            sandbox.hubspot_url()
        ));
    }

    pub fn with_env(mut self, key: &str, value: &str) -> Env {
        self.extra_env.push((key.into(), value.into()));
        self
    }

    /// The tokens the sandbox accepts, as CI would pass them.
    pub fn with_tokens(self) -> Env {
        self.with_env("SHOPSYNC_SHOP_SHOPIFY_TOKEN", SHOPIFY_TOKEN)
            .with_env("SHOPSYNC_SHOP_HUBSPOT_TOKEN", HUBSPOT_TOKEN)
    }

    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_shopsync"));
        cmd.args(args);
        for (k, _) in std::env::vars() {
            if k.starts_with("SHOPSYNC_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("SHOPSYNC_CONFIG", self.config_path())
            .env("SHOPSYNC_STATE_DIR", self.state_dir())
            .env(
                "SHOPSYNC_CREDENTIAL_STORE",
                format!("file:{}", self.dir.path().join("credentials").display()),
            )
            .env("SHOPSYNC_RETRY_BASE_MS", "5")
            .env("SHOPSYNC_HTTP_TIMEOUT", "5")
            .env("NO_COLOR", "1")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("xdg-config"))
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .stdin(std::process::Stdio::null());
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    pub async fn run(&self, args: &[&str]) -> Run {
        let out = self.command(args).output().await.expect("run shopsync");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        run.assert_no_secrets();
        self.assert_no_secrets_in_files();
        run
    }

    /// Every file shopsync may have written under this home (state DB and its journal, logs,
    /// config dirs) is scanned for the tokens; the credential store the test itself filled, and
    /// the plain-text credentials file a user can choose, are the exceptions.
    #[track_caller]
    pub fn assert_no_secrets_in_files(&self) {
        let exempt = self.dir.path().join("credentials");
        let chosen = self.dir.path().join("xdg-config/shopsync/credentials.json");
        for path in files_under(self.dir.path()) {
            if path.starts_with(&exempt) || path == chosen {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            for secret in SECRETS {
                assert!(
                    !contains(&bytes, secret.as_bytes()),
                    "a token was written to {}",
                    path.display()
                );
            }
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every regular file below `dir`, recursively.
pub fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => todo.push(p),
                Ok(t) if t.is_file() => out.push(p),
                _ => {}
            }
        }
    }
    out
}

/// A small, fast sandbox; `customize` adjusts it.
pub async fn sandbox(customize: impl FnOnce(&mut SandboxConfig)) -> Sandbox {
    let mut config = SandboxConfig {
        time_scale: 50.0,
        ..SandboxConfig::default()
    };
    customize(&mut config);
    Sandbox::start(config).await.expect("sandbox starts")
}

/// Every node of a Shopify connection, read straight from the fake with one of shopsync's page
/// documents (the test's expectations are computed from this raw JSON, not by shopsync's code).
pub async fn shopify_nodes(
    sandbox: &Sandbox,
    document: &str,
    connection: &str,
) -> Vec<serde_json::Value> {
    let client = reqwest::Client::new();
    let url = format!("{}/admin/api/2026-10/graphql.json", sandbox.shopify_url());
    let mut after: Option<String> = None;
    let mut out = Vec::new();
    loop {
        let body = serde_json::json!({
            "query": document,
            "variables": { "first": 8, "after": after, "query": null, "lineItems": 25 },
        });
        let answer: serde_json::Value = loop {
            let resp = client
                .post(&url)
                .header("X-Shopify-Access-Token", SHOPIFY_TOKEN)
                .json(&body)
                .send()
                .await
                .unwrap();
            let v: serde_json::Value = resp.json().await.unwrap();
            if v["errors"][0]["extensions"]["code"] == "THROTTLED" {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                continue;
            }
            break v;
        };
        assert!(answer["errors"].is_null(), "{answer}");
        let page = &answer["data"][connection];
        out.extend(page["nodes"].as_array().unwrap().iter().cloned());
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(String::from);
    }
}

pub const CUSTOMERS_PAGE: &str = concat!(
    include_str!("../../src/connectors/shopify/graphql/customers_page.graphql"),
    include_str!("../../src/connectors/shopify/graphql/customer_fields.graphql")
);
pub const PRODUCTS_PAGE: &str = concat!(
    include_str!("../../src/connectors/shopify/graphql/products_page.graphql"),
    include_str!("../../src/connectors/shopify/graphql/product_fields.graphql")
);
pub const ORDERS_PAGE: &str = concat!(
    include_str!("../../src/connectors/shopify/graphql/orders_page.graphql"),
    include_str!("../../src/connectors/shopify/graphql/order_fields.graphql")
);
pub const CHECKOUTS_PAGE: &str = concat!(
    include_str!("../../src/connectors/shopify/graphql/abandoned_checkouts_page.graphql"),
    include_str!("../../src/connectors/shopify/graphql/abandoned_checkout_fields.graphql")
);
