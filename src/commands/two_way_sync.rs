//! `shopsync sync` / `initial-sync` for a two-way profile (a shop's customers with a marketing
//! list's members): the run, or with `--dry-run` the plan with its conflicts.

use crate::cli::InitialSyncArgs;
use crate::commands::Context;
use crate::config::Profile;
use crate::engine::twoway::{PairPlan, SideOp};
use crate::error::{CliError, CliResult, ExitCode};
use crate::flows::members::{Flow, MembersReport, Secrets};
use crate::state::StateStore;
use crate::ui::Printer;

pub fn state_dir(
    args_dir: Option<&std::path::Path>,
    profile: &Profile,
) -> CliResult<std::path::PathBuf> {
    args_dir
        .map(|p| p.to_path_buf())
        .or_else(|| profile.state_dir.clone())
        .or_else(StateStore::default_dir)
        .ok_or_else(|| {
            CliError::config("cannot find the OS data directory for the state store")
                .hint("pass --state-dir DIR, or set state_dir in the profile")
        })
}

pub async fn exec(ctx: &Context, args: &InitialSyncArgs, profile: &Profile) -> CliResult<ExitCode> {
    if args.streams.is_some() || args.rebuild_state {
        return Err(CliError::config(format!(
            "the profile `{}` syncs customers with list members: --streams and --rebuild-state do not apply",
            profile.name
        ))
        .hint("run `shopsync sync --profile NAME` (add --dry-run to see the plan)"));
    }
    let dir = state_dir(args.state_dir.as_deref(), profile)?;
    let secrets = Secrets::resolve(&profile.name)?;
    let state = StateStore::open(&dir, &profile.name)?;
    let flow = Flow::new(profile, secrets, state)?;
    ctx.printer.status(if args.dry_run {
        "Planning (dry run: nothing is written)"
    } else {
        "Syncing customers and list members"
    });
    let (report, stopped) = flow
        .run(args.dry_run, args.dry_run && (args.diff || ctx.global.json))
        .await?;
    render(&ctx.printer, &report, args.diff);
    if let Some(e) = stopped {
        return Err(e);
    }
    if !report.failures.is_empty() {
        return Ok(ExitCode::Failure);
    }
    if args.detailed_exitcode && report.has_changes() {
        return Ok(ExitCode::ChangesPending);
    }
    Ok(ExitCode::Success)
}

fn op(side: &str, op: &SideOp) -> Option<String> {
    let fields = |f: &crate::state::Fields| {
        f.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match op {
        SideOp::None => None,
        SideOp::Create { fields: f } => Some(format!("+ {side}: create ({})", fields(f))),
        SideOp::Update { fields: f } => Some(format!("~ {side}: {}", fields(f))),
        SideOp::Remove => Some(format!("- {side}: remove")),
    }
}

fn policy(p: crate::engine::twoway::Policy) -> &'static str {
    use crate::engine::twoway::Policy;
    match p {
        Policy::AWins => "shop_wins",
        Policy::BWins => "list_wins",
        Policy::NewestWins => "newest_wins",
    }
}

fn pair_lines(p: &PairPlan, list: &str) -> Vec<String> {
    let mut out = vec![format!("{list} · {}", p.label)];
    out.extend(op("member", &p.to_b).map(|l| format!("    {l}")));
    out.extend(op("customer", &p.to_a).map(|l| format!("    {l}")));
    for c in &p.conflicts {
        out.push(format!(
            "    ! conflict on {}: last synced {:?}, shop {:?}, list {:?}: {} wins ({})",
            c.field,
            c.last_synced.as_deref().unwrap_or(""),
            c.a.as_deref().unwrap_or(""),
            c.b.as_deref().unwrap_or(""),
            if c.winner == "a" {
                "the shop"
            } else {
                "the list"
            },
            policy(c.policy)
        ));
    }
    for s in &p.skipped {
        out.push(format!("    ! {s}"));
    }
    out
}

pub fn render(printer: &Printer, report: &MembersReport, diff: bool) {
    if printer.json {
        printer.out_json(report);
        return;
    }
    let c = &report.counts;
    let verb = if report.dry_run { "would be" } else { "was" };
    for l in &report.lists_created {
        printer.out(format!("list \"{l}\" {verb} created"));
    }
    for f in &report.fields_added {
        printer.out(format!("field {f} {verb} added"));
    }
    for p in &report.changes {
        if diff
            || (report.dry_run && p.has_changes())
            || !p.conflicts.is_empty()
            || !p.skipped.is_empty()
        {
            let list = report
                .lists
                .get(&p.entity)
                .map(String::as_str)
                .unwrap_or(&p.entity);
            for line in pair_lines(p, list) {
                printer.out(line);
            }
        }
    }
    printer.out(format!(
        "{} customers, {} members read. Members: {} created, {} updated, {} removed. Customers: {} created, {} updated. {} unchanged, {} conflict(s), {} skipped, {} failed.",
        report.customers,
        report.members,
        c.members_created,
        c.members_updated,
        c.members_removed,
        c.customers_created,
        c.customers_updated,
        c.unchanged,
        c.conflicts,
        c.skipped,
        c.failed
    ));
    for f in &report.failures {
        printer.warn(format!("failed: {} ({})", f.reason, f.stream));
    }
    if let Some(s) = &report.stopped {
        printer.warn(format!("stopped: {s}"));
    }
}
