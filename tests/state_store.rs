//! The state store file as the user finds it on disk: private to its owner, refused (with what
//! is wrong and the way out) when it is empty or not a state store, and rebuilt from HubSpot's
//! unique keys with `--rebuild-state` without duplicating anything.

mod common;
mod landed;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{Env, SandboxConfig};

fn small(c: &mut SandboxConfig) {
    c.seed.customers = 120;
    c.seed.products = 15;
    c.seed.orders = 60;
    c.seed.abandoned_checkouts = 5;
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn the_state_file_and_its_directory_are_private() {
    let sandbox = common::sandbox(small).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    let dir = env.state_dir();
    assert_eq!(mode(&dir), 0o700, "the state directory");
    for name in ["shop.sqlite", "shop.lock"] {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        assert_eq!(
            mode(&entry.path()),
            0o600,
            "{} is readable by others",
            entry.path().display()
        );
    }

    // A file an older shopsync left readable by everyone is made private on the next run.
    let file = dir.join("shop.sqlite");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    assert_eq!(mode(&file), 0o600);
}

/// Runs a sync that must be refused because of the state file, and checks it wrote nothing.
async fn refused(env: &Env, sandbox: &common::Sandbox) -> String {
    let before = sandbox.hubspot.stats();
    let run = env.run(&["initial-sync", "--profile", "shop"]).await;
    run.expect_code(2);
    let after = sandbox.hubspot.stats();
    assert_eq!(
        after.requests_total, before.requests_total,
        "a refused run sent nothing to HubSpot: {:?}",
        after.requests_by_route
    );
    assert_eq!(after.inputs_written, before.inputs_written);
    run.stderr
}

#[tokio::test]
async fn an_empty_state_file_is_refused_and_rebuilt_on_request_without_duplicates() {
    let sandbox = common::sandbox(small).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    landed::assert_landed_exactly_once(&sandbox);
    let counts = landed::hubspot_counts(&sandbox);

    // The file is truncated (a full disk, a bad restore): refused, not taken for a new one.
    let file = env.state_dir().join("shop.sqlite");
    std::fs::write(&file, b"").unwrap();
    let stderr = refused(&env, &sandbox).await;
    assert!(stderr.contains("it is empty (0 bytes)"), "{stderr}");
    assert!(stderr.contains("--rebuild-state"), "{stderr}");
    assert!(
        !stderr.contains("writable"),
        "not a permission problem: {stderr}"
    );
    assert_eq!(std::fs::metadata(&file).unwrap().len(), 0, "left as it was");
    let doctor = env.run(&["doctor", "--profile", "shop", "--json"]).await;
    doctor.expect_code(1);
    let state = doctor.json()["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["check"] == "state")
        .cloned()
        .unwrap();
    assert_eq!(state["status"], "error", "{state}");
    assert!(
        state["message"]
            .as_str()
            .unwrap()
            .contains("empty (0 bytes)")
            && state["fix"]
                .as_str()
                .unwrap()
                .contains("initial-sync --profile shop --rebuild-state"),
        "{state}"
    );

    // The way out: moved aside, records re-linked by their unique keys, nothing duplicated.
    let written_before = sandbox.hubspot.stats().inputs_written;
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--rebuild-state"])
        .await;
    run.expect_code(0);
    assert!(run.stderr.contains("moved to"), "{}", run.stderr);
    let aside: Vec<_> = std::fs::read_dir(env.state_dir())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("shop.sqlite.broken-")
        })
        .collect();
    assert_eq!(aside.len(), 1, "the broken file is kept beside the new one");
    landed::assert_landed_exactly_once(&sandbox);
    assert_eq!(
        landed::hubspot_counts(&sandbox),
        counts,
        "nothing duplicated"
    );
    // Contacts and products that match are linked, not written again (a product is found by
    // its Shopify id exactly: lowercased, as e-mails are, it was not found and was rewritten);
    // deals are upserted in place to restore their associations, each with its guest contact
    // found by e-mail, and their line items with them.
    let [contacts, products, deals, line_items] = counts;
    assert!(contacts > 0);
    let shop = &sandbox.shopify;
    let guests = shop
        .order_ids()
        .iter()
        .filter(|gid| {
            let order = shop.order(gid).expect("order");
            order["customer"].is_null() && order["email"].is_string()
        })
        .count();
    let rewritten = sandbox.hubspot.stats().inputs_written - written_before;
    assert!(products > 0);
    assert!(
        rewritten <= (deals + line_items + guests) as u64,
        "the rebuild wrote {rewritten} records, some of the {contacts} contacts or {products} \
         products again ({deals} deals, {line_items} line items, {guests} guest orders)"
    );

    // The rebuilt store knows everything: the next run writes nothing.
    let before = sandbox.hubspot.stats().inputs_written;
    env.run(&["initial-sync", "--profile", "shop"])
        .await
        .expect_code(0);
    assert_eq!(sandbox.hubspot.stats().inputs_written, before);

    // A readable file is never rebuilt (its tombstones would be lost).
    let run = env
        .run(&["initial-sync", "--profile", "shop", "--rebuild-state"])
        .await;
    run.expect_code(2);
    assert!(run.stderr.contains("nothing to rebuild"), "{}", run.stderr);
}

#[tokio::test]
async fn a_file_that_is_not_a_state_store_is_refused_saying_what_is_wrong() {
    let sandbox = common::sandbox(small).await;
    let env = Env::new().with_tokens();
    env.profile_for(&sandbox, "");
    std::fs::create_dir_all(env.state_dir()).unwrap();
    let file = env.state_dir().join("shop.sqlite");

    std::fs::write(&file, "this is not a database\n".repeat(100)).unwrap();
    let stderr = refused(&env, &sandbox).await;
    assert!(stderr.contains("it is not an SQLite database"), "{stderr}");
    assert!(stderr.contains("--rebuild-state"), "{stderr}");
    for wrong in ["writable", "another shopsync run"] {
        assert!(
            !stderr.contains(wrong),
            "the hint is about {wrong}: {stderr}"
        );
    }

    // Another program's SQLite database at that path.
    std::fs::remove_file(&file).unwrap();
    rusqlite::Connection::open(&file)
        .unwrap()
        .execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x');")
        .unwrap();
    let stderr = refused(&env, &sandbox).await;
    assert!(stderr.contains("not a shopsync state store"), "{stderr}");
}
