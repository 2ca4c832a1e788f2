//! `shopsync auth set | status | delete`, run as the real binary in separate processes.
//!
//! Every run uses the test credential store (`SHOPSYNC_CREDENTIAL_STORE=file:...` in a temp
//! dir) and a temp profile file, and points D-Bus at a socket that does not exist, so no test
//! can reach the real user's keyring. Every run's stdout and stderr are checked for the tokens.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use shopsync::cli::System;
use shopsync::config::credentials::env_var_names;

const SHOPIFY_SECRET: &str = "shpat_authtest_5f0c1e2d3b4a69788796a5b4";
const HUBSPOT_SECRET: &str = "pat-na1-authtest-1111-2222-3333-444455556666";
const ENV_SECRET: &str = "shpat_fromenv_aa11bb22cc33dd44ee55ff66";
const ALL_SECRETS: [&str; 3] = [SHOPIFY_SECRET, HUBSPOT_SECRET, ENV_SECRET];

const PROFILES: &str = r#"
[profiles.acme]
source = "shopify"
target = "hubspot"
[profiles.acme.shopify]
shop = "acme.myshopify.com"

[profiles.my-shop]
source = "shopify"
target = "hubspot"
[profiles.my-shop.shopify]
shop = "my-shop.myshopify.com"
"#;

struct Home {
    dir: tempfile::TempDir,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    #[track_caller]
    fn expect(&self, code: i32) -> &Out {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn with_profiles() -> Home {
        let home = Home::new();
        std::fs::write(home.config(), PROFILES).unwrap();
        home
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("profiles.toml")
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("creds")
    }

    /// The command with a clean environment: no SHOPSYNC_* from the caller, the test store, a
    /// D-Bus address that leads nowhere, a temp HOME.
    fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_shopsync"));
        cmd.arg("--config").arg(self.config()).args(args);
        for (key, _) in std::env::vars() {
            if key.starts_with("SHOPSYNC_") {
                cmd.env_remove(key);
            }
        }
        let no_bus = format!("unix:path={}", self.dir.path().join("no-bus").display());
        cmd.env(
            "SHOPSYNC_CREDENTIAL_STORE",
            format!("file:{}", self.store().display()),
        )
        .env("DBUS_SESSION_BUS_ADDRESS", no_bus)
        .env("XDG_RUNTIME_DIR", self.dir.path())
        .env("HOME", self.dir.path())
        .env("XDG_CONFIG_HOME", self.dir.path().join("xdg-config"))
        .env("NO_COLOR", "1");
        for (key, value) in env {
            cmd.env(key, value);
        }
        cmd
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Out {
        let mut cmd = self.command(args, env);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("run shopsync");
        {
            let mut pipe = child.stdin.take().unwrap();
            if let Some(text) = stdin {
                // A command that fails before reading stdin (a bad setting) closes the pipe
                // first: that broken pipe is not the test's failure; its exit code is checked.
                let _ = pipe.write_all(text.as_bytes());
            }
        }
        let output = child.wait_with_output().unwrap();
        let out = Out {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        for secret in ALL_SECRETS {
            assert!(
                !out.stdout.contains(secret) && !out.stderr.contains(secret),
                "a token was printed by {args:?}\n--- stdout\n{}\n--- stderr\n{}",
                out.stdout,
                out.stderr
            );
        }
        out
    }

    fn run(&self, args: &[&str]) -> Out {
        self.run_with(args, &[], None)
    }

    fn status(&self, env: &[(&str, &str)]) -> serde_json::Value {
        self.run_with(&["--json", "auth", "status"], env, None)
            .expect(0)
            .json()
    }
}

/// The row for `profile`/`system` in `auth status --json`.
fn row<'a>(status: &'a serde_json::Value, profile: &str, system: &str) -> &'a serde_json::Value {
    status
        .as_array()
        .expect("an array")
        .iter()
        .find(|r| r["profile"] == profile && r["system"] == system)
        .unwrap_or_else(|| panic!("no row {profile}/{system} in {status:#}"))
}

#[test]
fn env_var_names_per_profile_then_global() {
    assert_eq!(
        env_var_names("my-shop", System::Shopify),
        [
            "SHOPSYNC_MY_SHOP_SHOPIFY_TOKEN".to_string(),
            "SHOPSYNC_SHOPIFY_TOKEN".to_string()
        ]
    );
    assert_eq!(
        env_var_names("acme", System::Hubspot)[0],
        "SHOPSYNC_ACME_HUBSPOT_TOKEN"
    );
}

#[test]
fn set_status_override_delete() {
    let home = Home::with_profiles();

    // Nothing yet.
    let status = home.status(&[]);
    assert_eq!(status.as_array().unwrap().len(), 4, "{status:#}");
    for r in status.as_array().unwrap() {
        assert_eq!(r["set"], false, "{r}");
        assert!(r["source"].is_null() && r["variable"].is_null() && r["error"].is_null());
    }

    // Set from stdin.
    let out = home.run_with(
        &["auth", "set", "acme", "shopify", "--stdin"],
        &[],
        Some(&format!("{SHOPIFY_SECRET}\n")),
    );
    out.expect(0);
    assert!(
        out.stderr
            .contains("Stored the shopify token for profile `acme` in the test credential file"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);

    // The store holds it, trimmed, under service `shopsync`, user `acme/shopify`, mode 0600.
    let stored: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.store()).unwrap()).unwrap();
    assert_eq!(
        stored["credentials"]["shopsync"]["acme/shopify"],
        SHOPIFY_SECRET
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.store())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Status shows the keyring.
    let status = home.status(&[]);
    let r = row(&status, "acme", "shopify");
    assert_eq!(r["set"], true);
    assert_eq!(r["source"], "keyring");
    assert!(r["variable"].is_null() && r["error"].is_null());
    assert_eq!(row(&status, "acme", "hubspot")["set"], false);
    assert_eq!(row(&status, "my-shop", "shopify")["set"], false);

    let table = home.run(&["auth", "status"]);
    table.expect(0);
    let line = table
        .stdout
        .lines()
        .find(|l| l.contains("acme") && l.contains("shopify"))
        .unwrap_or_else(|| panic!("{}", table.stdout));
    assert!(
        line.contains("yes") && line.contains("keyring") && line.contains("acme/shopify"),
        "{line}"
    );

    // An environment variable takes precedence, and status names it.
    let env = [("SHOPSYNC_ACME_SHOPIFY_TOKEN", ENV_SECRET)];
    let status = home.status(&env);
    let r = row(&status, "acme", "shopify");
    assert_eq!(r["source"], "env");
    assert_eq!(r["variable"], "SHOPSYNC_ACME_SHOPIFY_TOKEN");
    let table = home.run_with(&["auth", "status", "acme"], &env, None);
    table.expect(0);
    assert!(
        table.stdout.contains("SHOPSYNC_ACME_SHOPIFY_TOKEN"),
        "{}",
        table.stdout
    );
    // Setting a token while the variable is set warns that the variable wins.
    let out = home.run_with(
        &["auth", "set", "acme", "shopify", "--stdin"],
        &env,
        Some(SHOPIFY_SECRET),
    );
    out.expect(0);
    assert!(
        out.stderr.contains("SHOPSYNC_ACME_SHOPIFY_TOKEN is set")
            && out.stderr.contains("precedence"),
        "{}",
        out.stderr
    );

    // Delete, then it is gone; deleting again is fine.
    let out = home.run(&["auth", "delete", "acme", "shopify"]);
    out.expect(0);
    assert!(
        out.stderr
            .contains("Deleted the shopify token for profile `acme`"),
        "{}",
        out.stderr
    );
    let status = home.status(&[]);
    let r = row(&status, "acme", "shopify");
    assert_eq!(r["set"], false);
    assert!(r["source"].is_null());
    let out = home.run(&["auth", "delete", "acme", "shopify"]);
    out.expect(0);
    assert!(out.stderr.contains("nothing to delete"), "{}", out.stderr);
}

#[test]
fn piped_token_without_the_flag_fails_at_once_naming_it() {
    let home = Home::with_profiles();
    let out = home.run_with(
        &["auth", "set", "my-shop", "hubspot"],
        &[],
        Some(&format!("  {HUBSPOT_SECRET}\r\n")),
    );
    out.expect(2);
    assert!(
        out.stderr.contains("--stdin was not given")
            && out
                .stderr
                .contains("shopsync auth set my-shop hubspot --stdin"),
        "{}",
        out.stderr
    );
    assert!(!home.store().exists(), "nothing may be stored");
    assert_eq!(row(&home.status(&[]), "my-shop", "hubspot")["set"], false);
}

#[test]
fn piped_token_is_read_with_the_flag() {
    let home = Home::with_profiles();
    home.run_with(
        &["auth", "set", "my-shop", "hubspot", "--stdin"],
        &[],
        Some(&format!("  {HUBSPOT_SECRET}\r\n")),
    )
    .expect(0);
    let status = home.status(&[]);
    assert_eq!(row(&status, "my-shop", "hubspot")["source"], "keyring");

    // The dashed profile's variable is SHOPSYNC_MY_SHOP_...; the global one is used when the
    // per-profile one is not set.
    let status = home.status(&[("SHOPSYNC_HUBSPOT_TOKEN", ENV_SECRET)]);
    assert_eq!(
        row(&status, "my-shop", "hubspot")["variable"],
        "SHOPSYNC_HUBSPOT_TOKEN"
    );
    assert_eq!(
        row(&status, "acme", "hubspot")["variable"],
        "SHOPSYNC_HUBSPOT_TOKEN"
    );
    let status = home.status(&[
        ("SHOPSYNC_HUBSPOT_TOKEN", ENV_SECRET),
        ("SHOPSYNC_MY_SHOP_HUBSPOT_TOKEN", ENV_SECRET),
    ]);
    assert_eq!(
        row(&status, "my-shop", "hubspot")["variable"],
        "SHOPSYNC_MY_SHOP_HUBSPOT_TOKEN"
    );
}

#[test]
fn empty_token_is_refused() {
    let home = Home::with_profiles();
    for input in ["", "\n", "   \r\n"] {
        let out = home.run_with(
            &["auth", "set", "acme", "shopify", "--stdin"],
            &[],
            Some(input),
        );
        out.expect(2);
        assert!(out.stderr.contains("the token is empty"), "{}", out.stderr);
    }
    assert!(!home.store().exists(), "nothing may be written");
}

#[test]
fn odd_token_shape_only_warns() {
    let home = Home::with_profiles();
    let odd = "service-key-authtest-00112233445566778899";
    let out = home.run_with(
        &["auth", "set", "acme", "shopify", "--stdin"],
        &[],
        Some(odd),
    );
    out.expect(0);
    assert!(
        out.stderr.contains("warning:") && out.stderr.contains("shpat_"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(odd), "{}", out.stderr);
    assert_eq!(row(&home.status(&[]), "acme", "shopify")["set"], true);
}

#[test]
fn unknown_profile_warns_but_stores() {
    let home = Home::with_profiles();
    let out = home.run_with(
        &["auth", "set", "ghost", "shopify", "--stdin"],
        &[],
        Some(SHOPIFY_SECRET),
    );
    out.expect(0);
    assert!(
        out.stderr.contains("no profile `ghost`") && out.stderr.contains("acme, my-shop"),
        "{}",
        out.stderr
    );
    // Named explicitly, it is reported even though the file does not list it.
    let out = home.run(&["--json", "auth", "status", "ghost"]);
    out.expect(0);
    assert_eq!(row(&out.json(), "ghost", "shopify")["source"], "keyring");
}

#[test]
fn status_without_a_profile_file() {
    let home = Home::new();
    // A named profile is still reported.
    let out = home.run(&["--json", "auth", "status", "acme"]);
    out.expect(0);
    assert_eq!(out.json().as_array().unwrap().len(), 2);
    // Every profile of a file that does not exist: the profile file's own error.
    let out = home.run(&["auth", "status"]);
    out.expect(2);
    assert!(out.stderr.contains("does not exist"), "{}", out.stderr);
}

#[test]
fn bad_store_setting_is_a_usage_error() {
    let home = Home::with_profiles();
    let out = home.run_with(
        &["auth", "set", "acme", "shopify"],
        &[("SHOPSYNC_CREDENTIAL_STORE", "vault:x")],
        Some(SHOPIFY_SECRET),
    );
    out.expect(2);
    assert!(
        out.stderr.contains("SHOPSYNC_CREDENTIAL_STORE"),
        "{}",
        out.stderr
    );
}

/// Headless Linux: no D-Bus session bus. The D-Bus address leads to a socket that does not
/// exist, so the real keyring is never reached.
#[cfg(target_os = "linux")]
#[test]
fn headless_linux_names_the_variable() {
    let home = Home::with_profiles();
    let os_store = [("SHOPSYNC_CREDENTIAL_STORE", "")];

    let started = std::time::Instant::now();
    let out = home.run_with(
        &["auth", "set", "acme", "shopify", "--stdin"],
        &os_store,
        Some(SHOPIFY_SECRET),
    );
    out.expect(2);
    assert!(
        out.stderr
            .contains("no OS keyring is reachable (no D-Bus Secret Service"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("set SHOPSYNC_ACME_SHOPIFY_TOKEN"),
        "{}",
        out.stderr
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(3));

    // Status reports it per row and still exits 0; a variable is used without the keyring.
    let env = [
        ("SHOPSYNC_CREDENTIAL_STORE", ""),
        ("SHOPSYNC_ACME_SHOPIFY_TOKEN", ENV_SECRET),
    ];
    let status = home.status(&env);
    let r = row(&status, "acme", "shopify");
    assert_eq!(
        (&r["source"], &r["error"]),
        (&"env".into(), &serde_json::Value::Null)
    );
    let r = row(&status, "acme", "hubspot");
    assert_eq!(r["set"], false);
    assert!(r["source"].is_null());
    assert!(
        r["error"]
            .as_str()
            .unwrap()
            .contains("no OS keyring is reachable"),
        "{r}"
    );

    let out = home.run_with(&["auth", "delete", "acme", "hubspot"], &os_store, None);
    out.expect(2);
    assert!(
        out.stderr.contains("SHOPSYNC_ACME_HUBSPOT_TOKEN"),
        "{}",
        out.stderr
    );
}

/// A machine without a keyring: `auth set` says so before reading the token and names
/// `--insecure-storage`; with it the token goes to a plain-text file (mode 0600) that every
/// command then reads, and `auth delete` removes it from there.
#[cfg(target_os = "linux")]
#[test]
fn headless_linux_can_choose_the_plain_text_file() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::with_profiles();
    let os_store = [("SHOPSYNC_CREDENTIAL_STORE", "")];

    let out = home.run_with(
        &["auth", "set", "acme", "shopify", "--stdin"],
        &os_store,
        Some(SHOPIFY_SECRET),
    );
    out.expect(2);
    assert!(
        out.stderr.contains("nothing was stored") && out.stderr.contains("--insecure-storage"),
        "{}",
        out.stderr
    );
    let file = home.dir.path().join("xdg-config/shopsync/credentials.json");
    assert!(!file.exists());

    home.run_with(
        &[
            "auth",
            "set",
            "acme",
            "shopify",
            "--stdin",
            "--insecure-storage",
        ],
        &os_store,
        Some(SHOPIFY_SECRET),
    )
    .expect(0);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains(SHOPIFY_SECRET));

    let status = home.status(&os_store);
    let r = row(&status, "acme", "shopify");
    assert_eq!((&r["set"], &r["source"]), (&true.into(), &"file".into()));
    assert_eq!(r["file"], file.display().to_string());

    home.run_with(&["auth", "delete", "acme", "shopify"], &os_store, None)
        .expect(0);
    assert!(!std::fs::read_to_string(&file)
        .unwrap()
        .contains(SHOPIFY_SECRET));
    let status = home.status(&os_store);
    assert_eq!(row(&status, "acme", "shopify")["set"], false);
}
