//! `shopsync setup`, driven as a person would: the real binary in a pseudo-terminal (expectrl),
//! answering each prompt, against the sandbox, with the test credential store.

mod common;

use std::process::Command;
use std::time::Duration;

use common::{sandbox, Env, HUBSPOT_TOKEN, SHOPIFY_TOKEN};
use expectrl::Session;
use shopsync::connectors::hubspot::settings::HubSpotSettings;
use shopsync::connectors::shopify::settings::ShopifySettings;

const OTHER_PROFILE: &str = "# My own notes, kept by setup.
[profiles.other]
source = \"shopify\" # inline comment
target = \"hubspot\"

[profiles.other.shopify]
shop = \"other.myshopify.com\"
";

fn wizard(env: &Env, args: &[&str]) -> Session {
    wizard_with_store(
        env,
        args,
        &format!("file:{}", env.dir.path().join("credentials").display()),
    )
}

/// The wizard with `SHOPSYNC_CREDENTIAL_STORE` set to `store`.
fn wizard_with_store(env: &Env, args: &[&str], store: &str) -> Session {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shopsync"));
    cmd.args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("SHOPSYNC_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("SHOPSYNC_CONFIG", env.config_path())
        .env("SHOPSYNC_STATE_DIR", env.state_dir())
        .env("SHOPSYNC_CREDENTIAL_STORE", store)
        .env("SHOPSYNC_RETRY_BASE_MS", "5")
        .env("SHOPSYNC_HTTP_TIMEOUT", "5")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("HOME", env.dir.path())
        .env("XDG_CONFIG_HOME", env.dir.path().join("xdg-config"));
    let mut session = Session::spawn(cmd).expect("spawn shopsync in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session
}

fn exit_code(session: &mut Session) -> i32 {
    match session.get_process().wait().expect("wait") {
        expectrl::WaitStatus::Exited(_, code) => code,
        other => panic!("shopsync ended with {other:?}"),
    }
}

/// Waits for `prompt`, then types `answer` and Enter.
fn answer(session: &mut Session, prompt: &str, answer: &str) {
    session
        .expect(prompt)
        .unwrap_or_else(|e| panic!("no prompt {prompt:?}: {e}"));
    // A hidden prompt switches the terminal's mode after printing itself, and that switch can
    // flush input typed before it: give it a moment, as a person would take one.
    if prompt.contains("token") {
        std::thread::sleep(Duration::from_millis(300));
    }
    session.send_line(answer).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn setup_writes_the_profile_and_stores_the_tokens() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new();
    env.write_config(OTHER_PROFILE);
    let (shopify_url, hubspot_url) = (sb.shopify_url(), sb.hubspot_url());

    let env = tokio::task::spawn_blocking(move || {
        let mut s = wizard(&env, &["setup"]);
        answer(&mut s, "Flow", "");
        answer(&mut s, "Profile name", "shop");
        answer(&mut s, "Shop domain", "sandbox-store");
        answer(&mut s, "Shopify base URL", &shopify_url);
        answer(&mut s, "shopify token", SHOPIFY_TOKEN);
        answer(&mut s, "HubSpot base URL", &hubspot_url);
        answer(&mut s, "Deal pipeline", "");
        answer(&mut s, "hubspot token", HUBSPOT_TOKEN);
        s.expect("shopsync initial-sync --profile shop --dry-run")
            .expect("the next commands");
        let code = exit_code(&mut s);
        assert_eq!(code, 0);
        env
    })
    .await
    .unwrap();

    let text = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(
        text.starts_with(OTHER_PROFILE),
        "other profile and comments kept:\n{text}"
    );
    let file = shopsync::config::ProfileFile::parse(&text).unwrap();
    let profile = file.profile("shop", &env.config_path()).unwrap();
    let shop = profile.table::<ShopifySettings>();
    assert_eq!(shop.shop_domain(), "sandbox-store.myshopify.com");
    assert_eq!(shop.api_base_url(), sb.shopify_url());
    assert_eq!(
        profile.table::<HubSpotSettings>().api_base_url(),
        sb.hubspot_url()
    );
    assert!(!text.contains(SHOPIFY_TOKEN) && !text.contains(HUBSPOT_TOKEN));

    let status = env.run(&["auth", "status", "shop", "--json"]).await;
    status.expect_code(0);
    for row in status.json().as_array().unwrap() {
        assert_eq!(row["set"], true, "{row}");
        assert_eq!(row["source"], "keyring", "{row}");
    }
    // What was stored is what works.
    env.run(&["doctor", "--profile", "shop"])
        .await
        .expect_code(0);

    // Running it again on the same profile offers to edit it; saying no changes nothing.
    let env = tokio::task::spawn_blocking(move || {
        let mut s = wizard(&env, &["setup", "--profile", "shop"]);
        answer(&mut s, "Flow", "");
        // The name given with --profile is not asked again.
        s.expect("Profile: shop").unwrap();
        s.expect("already exists").unwrap();
        s.send("n").unwrap();
        s.expect("Nothing changed").unwrap();
        assert_eq!(exit_code(&mut s), 0);
        env
    })
    .await
    .unwrap();
    assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), text);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_is_named_and_nothing_is_saved() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new();
    let (shopify_url, hubspot_url) = (sb.shopify_url(), sb.hubspot_url());
    let env = tokio::task::spawn_blocking(move || {
        let mut s = wizard(&env, &["setup"]);
        answer(&mut s, "Flow", "");
        answer(&mut s, "Profile name", "shop");
        answer(&mut s, "Shop domain", "sandbox-store.myshopify.com");
        answer(&mut s, "Shopify base URL", &shopify_url);
        answer(&mut s, "shopify token", "shpat_wrong_000000000000000000");
        answer(&mut s, "HubSpot base URL", &hubspot_url);
        answer(&mut s, "Deal pipeline", "");
        answer(&mut s, "hubspot token", HUBSPOT_TOKEN);
        s.expect("Shopify refused the access token").unwrap();
        answer(&mut s, "Save the profile and tokens anyway?", "n");
        s.expect("nothing was saved").unwrap();
        assert_eq!(exit_code(&mut s), 1);
        env
    })
    .await
    .unwrap();
    assert!(!env.config_path().exists());
    assert!(!env.dir.path().join("credentials").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn each_answer_is_checked_where_it_is_given() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new();
    let (shopify_url, hubspot_url) = (sb.shopify_url(), sb.hubspot_url());
    let env = tokio::task::spawn_blocking(move || {
        let mut s = wizard(&env, &["setup", "--profile", "shop"]);
        answer(&mut s, "Flow", "");
        s.expect("Profile: shop").unwrap();
        // A shop that is not the token's.
        answer(&mut s, "Shop domain", "another-store");
        answer(&mut s, "Shopify base URL", &shopify_url);
        answer(&mut s, "shopify token", SHOPIFY_TOKEN);
        answer(&mut s, "HubSpot base URL", &hubspot_url);
        // A token pasted into the wrong prompt is refused there, and asked again.
        answer(&mut s, "Deal pipeline", HUBSPOT_TOKEN);
        s.expect("looks like a token").unwrap();
        s.send_line("Ecommerce").unwrap();
        answer(&mut s, "hubspot token", HUBSPOT_TOKEN);
        s.expect("the token belongs to sandbox-store.myshopify.com")
            .unwrap();
        answer(&mut s, "Save the profile and tokens anyway?", "n");
        s.expect("nothing was saved").unwrap();
        assert_eq!(exit_code(&mut s), 1);
        env
    })
    .await
    .unwrap();
    assert!(!env.config_path().exists());
    assert!(!env.dir.path().join("credentials").exists());

    // A bad name given with --profile stops before any question.
    let run = env.run(&["setup", "--profile", "my shop"]).await;
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("--profile `my shop`: ` ` is not allowed"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_credential_store_the_choice_comes_first_and_env_vars_are_printed() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new();
    let (shopify_url, hubspot_url) = (sb.shopify_url(), sb.hubspot_url());
    // A store that cannot be opened (a directory), as on a server without a keyring.
    let unusable = format!("file:{}", env.dir.path().display());
    let (env, screen) = tokio::task::spawn_blocking(move || {
        let mut s = wizard_with_store(&env, &["setup", "--profile", "shop"], &unusable);
        // Asked before anything else.
        s.expect("The tokens cannot be stored here").unwrap();
        answer(&mut s, "Where should the tokens go?", "");
        answer(&mut s, "Flow", "");
        answer(&mut s, "Shop domain", "sandbox-store");
        answer(&mut s, "Shopify base URL", &shopify_url);
        answer(&mut s, "shopify token", SHOPIFY_TOKEN);
        answer(&mut s, "HubSpot base URL", &hubspot_url);
        answer(&mut s, "Deal pipeline", "");
        answer(&mut s, "hubspot token", HUBSPOT_TOKEN);
        let found = s
            .expect("Environment=SHOPSYNC_SHOP_HUBSPOT_TOKEN=<the hubspot token>")
            .unwrap();
        let screen = String::from_utf8_lossy(found.before()).into_owned();
        assert_eq!(exit_code(&mut s), 0);
        (env, screen)
    })
    .await
    .unwrap();
    assert!(
        screen.contains("export SHOPSYNC_SHOP_SHOPIFY_TOKEN='<the shopify token>'"),
        "{screen}"
    );
    assert!(!screen.contains(SHOPIFY_TOKEN) && !screen.contains(HUBSPOT_TOKEN));
    // The profile is written, and works with the tokens given as printed.
    let env = env
        .with_env("SHOPSYNC_SHOP_SHOPIFY_TOKEN", SHOPIFY_TOKEN)
        .with_env("SHOPSYNC_SHOP_HUBSPOT_TOKEN", HUBSPOT_TOKEN);
    env.run(&["doctor", "--profile", "shop"])
        .await
        .expect_code(0);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_credential_store_the_plain_text_file_can_be_chosen() {
    let sb = sandbox(|_| {}).await;
    let env = Env::new();
    let (shopify_url, hubspot_url) = (sb.shopify_url(), sb.hubspot_url());
    let unusable = format!("file:{}", env.dir.path().display());
    let env = tokio::task::spawn_blocking(move || {
        let mut s = wizard_with_store(&env, &["setup", "--profile", "shop"], &unusable);
        s.expect("The tokens cannot be stored here").unwrap();
        s.expect("Where should the tokens go?").unwrap();
        // Down once: the plain-text file.
        s.send("\x1b[B").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        s.send_line("").unwrap();
        answer(&mut s, "Flow", "");
        answer(&mut s, "Shop domain", "sandbox-store");
        answer(&mut s, "Shopify base URL", &shopify_url);
        answer(&mut s, "shopify token", SHOPIFY_TOKEN);
        answer(&mut s, "HubSpot base URL", &hubspot_url);
        answer(&mut s, "Deal pipeline", "");
        answer(&mut s, "hubspot token", HUBSPOT_TOKEN);
        s.expect("plain-text file").unwrap();
        assert_eq!(exit_code(&mut s), 0);
        env
    })
    .await
    .unwrap();
    let file = env.dir.path().join("xdg-config/shopsync/credentials.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(SHOPIFY_TOKEN) && text.contains(HUBSPOT_TOKEN));
    // Later commands read the tokens from the file without any variable.
    env.run(&["doctor", "--profile", "shop"])
        .await
        .expect_code(0);
}

/// Picks the `index`th flow of the wizard's list (arrow keys, as a person would).
fn choose_flow(s: &mut Session, index: usize) {
    s.expect("Flow").unwrap();
    for _ in 0..index {
        s.send("\x1b[B").unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    s.send_line("").unwrap();
}

/// Every profile kind comes from the registry: a Tellix back-office profile, its three
/// credentials tested with a real login before anything is saved.
#[tokio::test(flavor = "multi_thread")]
async fn a_back_office_profile_is_set_up_with_its_three_credentials() {
    use shopsync_sandbox::tellix::{DEFAULT_APIKEY, DEFAULT_PASSWORD, DEFAULT_USERNAME};
    let sb = sandbox(|_| {}).await;
    let env = Env::new();
    let (shopify_url, tellix_url) = (sb.shopify_url(), sb.tellix_url());
    let env = tokio::task::spawn_blocking(move || {
        let mut s = wizard(&env, &["setup", "--profile", "pos"]);
        choose_flow(&mut s, 2);
        answer(&mut s, "Shop domain", "sandbox-store");
        answer(&mut s, "Shopify base URL", &shopify_url);
        answer(&mut s, "shopify token", SHOPIFY_TOKEN);
        answer(&mut s, "Tellix API base URL", &tellix_url);
        answer(&mut s, "Price department", "");
        answer(&mut s, "tellix-username token", DEFAULT_USERNAME);
        answer(&mut s, "tellix-password token", DEFAULT_PASSWORD);
        answer(&mut s, "tellix-apikey token", DEFAULT_APIKEY);
        s.expect("tellix.login").unwrap();
        s.expect("Not asked here: warehouses").unwrap();
        assert_eq!(exit_code(&mut s), 0);
        env
    })
    .await
    .unwrap();
    let written = std::fs::read_to_string(env.config_path()).unwrap();
    assert!(written.contains("target = \"backoffice\""), "{written}");
    assert!(written.contains("kind = \"tellix\""), "{written}");
    assert!(!written.contains("price_department"), "{written}");
    // The profile and the stored credentials pass doctor as they are.
    env.run(&["doctor", "--profile", "pos"])
        .await
        .expect_code(0);
}

#[tokio::test]
async fn without_a_terminal_setup_refuses_and_points_at_the_example() {
    let env = Env::new();
    let run = env.run(&["setup"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("needs a terminal"), "{}", run.stderr);
    assert!(
        run.stderr.contains("profiles.example.toml"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("SHOPSYNC_<PROFILE>_SHOPIFY_TOKEN"),
        "{}",
        run.stderr
    );
    assert!(!env.config_path().exists());
}
