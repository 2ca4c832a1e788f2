//! The layers of the crate, checked on its source: what may import what, and where vendors may
//! be named. See ARCHITECTURE.md.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const VENDORS: [&str; 10] = [
    "shopify",
    "hubspot",
    "huddle",
    "tellix",
    "heyloyalty",
    "spotler",
    "shopware",
    "dandomain",
    "wannafind",
    "hostedshop",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `.rs` file under `src/` and the core crate's `crates/shopsync-core/src/`, as a path
/// relative to the repository with `/` separators.
fn sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&repo().join("src"), &mut files);
    rust_files(&repo().join("crates/shopsync-core/src"), &mut files);
    let mut out: Vec<(String, String)> = files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(repo())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// The core crate (model, engine, state store, HTTP kit) cannot import the command line: Cargo
/// sees to that. It must not pull in a terminal crate either.
#[test]
fn the_core_crate_depends_on_no_terminal_crate() {
    let manifest = std::fs::read_to_string(repo().join("crates/shopsync-core/Cargo.toml")).unwrap();
    let manifest: toml::Table = manifest.parse().unwrap();
    let deps = manifest["dependencies"].as_table().unwrap();
    for terminal in [
        "clap",
        "indicatif",
        "dialoguer",
        "comfy-table",
        "console",
        "keyring-core",
    ] {
        assert!(
            !deps.contains_key(terminal),
            "crates/shopsync-core depends on {terminal}: keep the terminal in the shopsync crate"
        );
    }
}

/// The connectors and the profile never reach up into the command line, the printer or the
/// flows.
#[test]
fn connectors_do_not_import_the_command_line() {
    let core = |path: &str| {
        ["src/connectors/", "src/config/"]
            .iter()
            .any(|d| path.starts_with(d))
    };
    let mut offenders = Vec::new();
    for (path, text) in sources().iter().filter(|(p, _)| core(p)) {
        for upper in [
            "crate::cli",
            "crate::commands",
            "crate::ui",
            "crate::render",
            "crate::flows",
        ] {
            if text.contains(upper) {
                offenders.push(format!("{path} uses {upper}"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "layering broken:\n{}",
        offenders.join("\n")
    );
}

/// A connector knows only its own system and the core: the profile file (which gathers each
/// connector's settings table) and the credential lookup sit above it, so the caller hands a
/// connector its settings and secrets.
#[test]
fn connectors_do_not_import_the_profile_or_the_credential_lookup() {
    let offenders: Vec<String> = sources()
        .iter()
        .filter(|(p, _)| p.starts_with("src/connectors/"))
        .filter(|(_, text)| text.contains("crate::config"))
        .map(|(p, _)| format!("{p} uses crate::config"))
        .collect();
    assert!(
        offenders.is_empty(),
        "layering broken:\n{}",
        offenders.join("\n")
    );
}

/// A ratchet towards "no file outside a connector names a vendor": the files that still do are
/// listed in tests/vendor_names.txt. A new file naming a vendor fails (move the vendor's code
/// into its connector); a listed file that no longer does fails too (strike it from the list, so
/// the list only shrinks).
#[test]
fn vendors_are_named_only_in_their_connectors_and_the_listed_files() {
    let listed_text = std::fs::read_to_string(repo().join("tests/vendor_names.txt")).unwrap();
    let listed: BTreeSet<&str> = listed_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let naming: BTreeSet<String> = sources()
        .into_iter()
        .filter(|(path, _)| !path.starts_with("src/connectors/"))
        .filter(|(_, text)| {
            let lower = text.to_lowercase();
            VENDORS.iter().any(|v| lower.contains(v))
        })
        .map(|(path, _)| path)
        .collect();
    let new: Vec<&String> = naming
        .iter()
        .filter(|p| !listed.contains(p.as_str()))
        .collect();
    let gone: Vec<&&str> = listed.iter().filter(|p| !naming.contains(**p)).collect();
    assert!(
        new.is_empty(),
        "these files name a vendor outside src/connectors/: move that code into the vendor's \
         connector\n{new:#?}"
    );
    assert!(
        gone.is_empty(),
        "these files no longer name a vendor: strike them from tests/vendor_names.txt\n{gone:#?}"
    );
}

/// The profile file and the connectors' settings layer read every connector's table through the
/// registry (`connectors::registry::CONNECTORS`): neither names a system. (`src/config/profile.rs`
/// is also held by the ratchet above; `src/connectors/settings.rs` is inside `src/connectors/`,
/// which the ratchet does not look at.)
#[test]
fn the_profile_file_and_the_settings_layer_name_no_vendor() {
    let generic = ["src/config/profile.rs", "src/connectors/settings.rs"];
    let offenders: Vec<String> = sources()
        .into_iter()
        .filter(|(path, _)| generic.contains(&path.as_str()))
        .flat_map(|(path, text)| {
            let lower = text.to_lowercase();
            VENDORS
                .iter()
                .filter(|v| lower.contains(*v))
                .map(|v| format!("{path} names {v}"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "a vendor's settings belong in its connector's settings.rs and one entry of \
         connectors::registry::CONNECTORS:\n{}",
        offenders.join("\n")
    );
}

/// Every test runs in CI: none is `#[ignore]`d (a skipped test can hide a failure; a
/// measurement belongs in `bench/`, not in a test run by hand).
#[test]
fn no_test_is_ignored() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "crates", "sandbox", "bench"] {
        rust_files(&repo().join(dir), &mut files);
    }
    let marker = ["#[", "ignore"].concat();
    let ignored: Vec<String> = files
        .iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "target"))
        .filter(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .any(|l| l.trim_start().starts_with(&marker))
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        ignored.is_empty(),
        "ignored tests in:\n{}",
        ignored.join("\n")
    );
}
