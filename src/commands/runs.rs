//! `shopsync runs [--profile NAME] [--limit N]`: what the last runs did, from each profile's run
//! log in the state store: when, which command, how it ended, its counts, why it stopped, and
//! each record that failed with the reason.
//!
//! The run log is read without the profile's run lock, so it can be looked at while a sync runs.

use comfy_table::Cell;
use serde::Serialize;

use crate::cli::RunsArgs;
use crate::commands::Context;
use crate::config::ProfileFile;
use crate::error::{CliError, CliResult, ExitCode};
use crate::state::{RunRecord, StateStore};

/// Failures listed per run in the table view; `--json` has them all.
const FAILURES_SHOWN: usize = 20;

/// One run as `runs` reports it: the log's row plus the counts summed from its summary.
#[derive(Debug, Serialize)]
struct RunView {
    #[serde(flatten)]
    run: RunRecord,
    /// Records read, and what was done with them (summed over a sync's streams).
    records: u64,
    counts: Counts,
    /// Why the run ended early, when it did.
    stopped: Option<String>,
}

#[derive(Debug, Default, Serialize)]
struct Counts {
    create: u64,
    update: u64,
    delete: u64,
    unchanged: u64,
    skip: u64,
    failed: u64,
}

pub async fn exec(ctx: &Context, args: RunsArgs) -> CliResult<ExitCode> {
    let (file, path) = ProfileFile::load(ctx.global.config.as_deref())?;
    let names: Vec<String> = match &args.profile {
        Some(name) => vec![name.clone()],
        None => file.profiles.keys().cloned().collect(),
    };
    if names.is_empty() {
        return Err(
            CliError::config(format!("{} has no profiles yet", path.display())).hint(
                "add a [profiles.NAME] table (see profiles.example.toml), or run `shopsync setup`",
            ),
        );
    }
    let mut views = Vec::new();
    let mut empty = Vec::new();
    for name in &names {
        let profile = file.profile(name, &path)?;
        let dir = crate::commands::state_dir(args.state_dir.clone(), &profile)?;
        let runs = StateStore::read_runs(&dir, &profile.name, args.limit)?;
        if runs.is_empty() {
            empty.push(profile.name.clone());
        }
        views.extend(runs.into_iter().map(view));
    }
    if ctx.global.json {
        ctx.printer.out_json(&views);
        return Ok(ExitCode::Success);
    }
    for name in &empty {
        ctx.printer.status(format!(
            "{name}: no runs yet (its state store has no run log)"
        ));
    }
    if views.is_empty() {
        return Ok(ExitCode::Success);
    }
    print(ctx, &views);
    Ok(ExitCode::Success)
}

fn view(run: RunRecord) -> RunView {
    let mut counts = Counts::default();
    let mut records = 0;
    let summary = run.summary.clone().unwrap_or_default();
    let mut add = |c: &serde_json::Value| {
        let n = |k: &str| c[k].as_u64().unwrap_or(0);
        counts.create += n("create");
        counts.update += n("update");
        counts.delete += n("delete");
        counts.unchanged += n("unchanged");
        counts.skip += n("skip");
        counts.failed += n("failed");
    };
    // A sync's summary has counts per stream; a back-office command's has one set.
    if let Some(streams) = summary["streams"].as_object() {
        for s in streams.values() {
            add(s);
            records += s["records"].as_u64().unwrap_or(0);
        }
    } else {
        add(&summary["counts"]);
        records = summary["records"].as_u64().unwrap_or(0);
    }
    let stopped = summary["stopped"].as_str().map(String::from);
    RunView {
        run,
        records,
        counts,
        stopped,
    }
}

fn print(ctx: &Context, views: &[RunView]) {
    let several = views.iter().any(|v| v.run.profile != views[0].run.profile);
    let mut table = ctx.printer.table();
    let mut header = vec!["run", "started (UTC)", "took", "command", "status", "read"];
    header.extend(["create", "update", "delete", "unchanged", "skip", "failed"]);
    if several {
        header.insert(0, "profile");
    }
    table.set_header(header);
    for v in views {
        let c = &v.counts;
        let mut row = vec![
            Cell::new(v.run.id),
            Cell::new(short_time(&v.run.started_at)),
            Cell::new(took(&v.run)),
            Cell::new(&v.run.command),
            Cell::new(status(&v.run.status)),
            Cell::new(v.records),
            Cell::new(c.create),
            Cell::new(c.update),
            Cell::new(c.delete),
            Cell::new(c.unchanged),
            Cell::new(c.skip),
            Cell::new(c.failed),
        ];
        if several {
            row.insert(0, Cell::new(&v.run.profile));
        }
        table.add_row(row);
    }
    ctx.printer.out(table.to_string());
    for v in views {
        let who = if several {
            format!("{} run {}", v.run.profile, v.run.id)
        } else {
            format!("Run {}", v.run.id)
        };
        if let Some(why) = &v.stopped {
            ctx.printer.out(format!("{who} stopped early: {why}"));
        }
        if v.run.failures.is_empty() {
            continue;
        }
        ctx.printer.out(format!(
            "{who}: {} failed record(s), retried on the next run:",
            v.run.failures.len()
        ));
        for f in v.run.failures.iter().take(FAILURES_SHOWN) {
            ctx.printer
                .out(format!("  {} {}: {}", f.stream, f.source_id, f.reason));
        }
        if v.run.failures.len() > FAILURES_SHOWN {
            ctx.printer.out(format!(
                "  ... and {} more (all in --json)",
                v.run.failures.len() - FAILURES_SHOWN
            ));
        }
    }
}

/// `2026-03-01T03:00:00Z` as `2026-03-01 03:00:00`.
fn short_time(rfc3339: &str) -> String {
    rfc3339.trim_end_matches('Z').replacen('T', " ", 1)
}

fn took(run: &RunRecord) -> String {
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
    match (
        parse(&run.started_at),
        run.finished_at.as_deref().and_then(parse),
    ) {
        (Some(start), Some(end)) => crate::ui::duration((end - start).num_seconds() as f64),
        _ => "-".to_string(),
    }
}

/// A run still marked `running` is running now, or was killed before it could close its log.
fn status(status: &str) -> &str {
    if status == "running" {
        "unfinished (running, or killed)"
    } else {
        status
    }
}
