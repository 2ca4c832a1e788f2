//! `commands/`, `man/` and `completions/` are generated from the clap definitions; these tests
//! fail when they are stale. Regenerate them with `SHOPSYNC_REGENERATE=1 cargo test --test reference`.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use shopsync::reference::{
    command_pages, completion_file_name, completion_script, man_pages, REGENERATE, SHELLS,
};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn regenerate() -> bool {
    std::env::var_os("SHOPSYNC_REGENERATE").is_some_and(|v| v == "1")
}

/// Compares (or, when regenerating, writes) every expected file of `dir`; a file that is not
/// expected is stale too.
fn check_dir(dir: &Path, expected: &[(String, String)], what: &str) {
    if regenerate() {
        std::fs::create_dir_all(dir).unwrap();
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if !expected.iter().any(|(n, _)| *n == name) {
                std::fs::remove_file(entry.path()).unwrap();
            }
        }
        for (name, text) in expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, text) in expected {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(found) if found == *text => {}
            Ok(_) => stale.push(format!("{name} differs")),
            Err(_) => stale.push(format!("{name} is missing")),
        }
    }
    let wanted: BTreeSet<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if !wanted.contains(name.as_str()) {
                stale.push(format!("{name} is not generated any more"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{what} in {} is out of date ({}).\nRegenerate it with: {REGENERATE}",
        dir.display(),
        stale.join(", ")
    );
}

#[test]
fn completions_are_current() {
    let expected: Vec<(String, String)> = SHELLS
        .iter()
        .map(|s| (completion_file_name(*s), completion_script(*s)))
        .collect();
    check_dir(
        &repo().join("completions"),
        &expected,
        "the completion scripts",
    );
}

#[test]
fn command_pages_are_current() {
    check_dir(
        &repo().join("commands"),
        &command_pages(),
        "the command reference",
    );
}

#[test]
fn man_pages_are_current() {
    check_dir(&repo().join("man"), &man_pages(), "the man pages");
}

#[test]
fn every_command_has_a_man_page() {
    let pages = man_pages();
    for name in [
        "shopsync.1",
        "shopsync-initial-sync.1",
        "shopsync-auth-set.1",
        "shopsync-runs.1",
    ] {
        let (_, roff) = pages
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no man page {name}"));
        assert!(roff.contains(".SH SYNOPSIS"), "{name}");
    }
    // Every command page in commands/ has its man page.
    for (md, _) in command_pages().iter().filter(|(n, _)| n != "README.md") {
        let man = format!("shopsync-{}", md.replace(".md", ".1"));
        assert!(pages.iter().any(|(n, _)| *n == man), "no man page {man}");
    }
}

#[test]
fn every_subcommand_has_a_page_with_exit_codes() {
    use clap::CommandFactory;
    let pages = command_pages();
    for sub in shopsync::cli::Cli::command().get_subcommands() {
        let file = format!("{}.md", sub.get_name());
        let (_, text) = pages
            .iter()
            .find(|(n, _)| *n == file)
            .unwrap_or_else(|| panic!("no page {file}"));
        assert!(text.contains("## Usage"), "{file}");
        assert!(text.contains("## Exit codes"), "{file}");
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(long) = arg.get_long() {
                assert!(text.contains(&format!("--{long}")), "{file} lacks --{long}");
            }
        }
    }
}

#[tokio::test]
async fn completions_command_prints_the_committed_scripts() {
    let env = common::Env::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = env.run(&["completions", shell]).await;
        run.expect_code(0);
        let parsed: clap_complete::Shell = shell.parse().unwrap();
        assert_eq!(run.stdout, completion_script(parsed), "{shell}");
        assert!(run.stdout.contains("initial-sync"), "{shell}");
    }
    let run = env.run(&["completions", "tcsh"]).await;
    run.expect_code(2);
    assert!(run.stderr.contains("possible values"), "{}", run.stderr);
}
