//! `shopsync sync --profile a,b` and `--all-profiles`: several shops in one run, one after
//! another, with one summary at the end and the worst exit code. One profile is simply its run.

use serde::Serialize;

use crate::cli::InitialSyncArgs;
use crate::commands::{initial_sync, Context};
use crate::config::ProfileFile;
use crate::error::{CliError, CliResult, ExitCode, ExitCodeOf};
use crate::flows::{self, report::SyncReport};

/// One profile's part of the `--json` document.
#[derive(Serialize)]
struct ProfileOutcome {
    profile: String,
    exit_code: u8,
    #[serde(skip)]
    code: ExitCode,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<SyncReport>,
    /// Why the profile's run failed or stopped, with the fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub async fn exec(ctx: &Context, args: InitialSyncArgs) -> CliResult<ExitCode> {
    let names = profile_names(ctx, &args)?;
    if let [name] = names.as_slice() {
        return initial_sync::exec(ctx, &args, name).await;
    }
    let printer = &ctx.printer;
    let mut outcomes = Vec::new();
    for name in &names {
        printer.status(format!("\n== {name} =="));
        let (report, result) = match initial_sync::sync(ctx, &args, name).await {
            Ok((report, stopped)) => {
                if !printer.json {
                    crate::render::report(printer, &report, args.diff);
                }
                let result = initial_sync::exit_code(&report, stopped, args.detailed_exitcode);
                (Some(report), result)
            }
            Err(e) => (None, Err(e)),
        };
        let (code, error) = match result {
            Ok(code) => (code, None),
            Err(e) => {
                printer.error(&format!("{name}: {e}"));
                (e.exit_code(), Some(e.to_string()))
            }
        };
        outcomes.push(ProfileOutcome {
            profile: name.clone(),
            exit_code: code as u8,
            code,
            report,
            error,
        });
        if matches!(code, ExitCode::Sigint | ExitCode::Sigterm) {
            // The profiles after this one are not started.
            break;
        }
    }
    let worst = outcomes
        .iter()
        .map(|o| o.code)
        .max_by_key(|c| severity(*c))
        .unwrap_or(ExitCode::Success);
    if printer.json {
        printer.out_json(&serde_json::json!({
            "profiles": outcomes,
            "exit_code": worst as u8,
        }));
    } else if !printer.quiet {
        let parts: Vec<String> = outcomes.iter().map(summary_of).collect();
        printer.out(format!(
            "{} profiles: {}. Exit code {}.",
            outcomes.len(),
            parts.join("; "),
            worst as u8
        ));
    }
    Ok(worst)
}

/// The profiles to run: `--all-profiles` (every profile of the file whose flow `sync` runs: a
/// one-way flow in `flows::FLOWS`), else the names given, each once, in the order given.
fn profile_names(ctx: &Context, args: &InitialSyncArgs) -> CliResult<Vec<String>> {
    if args.all_profiles {
        let (file, path) = ProfileFile::load(ctx.global.config.as_deref())?;
        let names: Vec<String> = file
            .profiles
            .iter()
            .filter(|(_, p)| flows::find(p).is_some_and(|f| f.sync.is_one_way()))
            .map(|(name, _)| name.clone())
            .collect();
        if names.is_empty() {
            let targets: Vec<String> = flows::FLOWS
                .iter()
                .filter(|f| f.sync.is_one_way())
                .map(|f| format!("\"{}\"", f.target))
                .collect();
            return Err(CliError::config(format!(
                "{} has no profile with target = {} to sync",
                path.display(),
                targets.join(" or ")
            ))
            .hint("add one (see profiles.example.toml), or run `shopsync setup`"));
        }
        return Ok(names);
    }
    let mut names: Vec<String> = Vec::new();
    for name in &args.profile {
        let name = name.trim();
        if name.is_empty() {
            return Err(CliError::config("--profile has an empty name")
                .hint("name the profiles comma-separated, e.g. --profile acme,globex"));
        }
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    Ok(names)
}

/// Which of two exit codes is worse: a plan with changes (3) is news, a stop at the daily limit
/// (4) resumes by itself, a failed run (1) needs a look, a broken profile or credential (2)
/// needs a fix; a signal stopped everything.
fn severity(code: ExitCode) -> u8 {
    match code {
        ExitCode::Success => 0,
        ExitCode::ChangesPending => 1,
        ExitCode::Interrupted => 2,
        ExitCode::CheckFailed => 3,
        ExitCode::Failure => 4,
        ExitCode::Usage => 5,
        // A stop asked for by the user ends the whole sequence: nothing after it ran.
        ExitCode::Sigint | ExitCode::Sigterm => 6,
    }
}

fn summary_of(o: &ProfileOutcome) -> String {
    let failed = o.report.as_ref().map_or(0, |r| r.failures.len());
    match (o.exit_code, &o.report) {
        (0, _) => format!("{} done", o.profile),
        (3, _) => format!("{} has changes (exit 3)", o.profile),
        (1, Some(r)) if r.stopped.is_none() => {
            format!("{} done with {failed} failed record(s) (exit 1)", o.profile)
        }
        (code, _) => format!("{} failed (exit {code})", o.profile),
    }
}
