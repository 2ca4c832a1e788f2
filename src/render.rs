//! How a sync report looks on stdout: a table of counts per stream, the changes (with
//! `--diff`), failures, and a closing line; or the report as JSON.

use crate::ui::duration;
use comfy_table::Cell;

use crate::engine::plan::{Action, Change};
use crate::flows::report::SyncReport;
use crate::ui::Printer;

/// Failures listed in the table view; the rest are counted, and all are in `--json` and the
/// state store's run log.
const FAILURES_SHOWN: usize = 20;

pub fn report(printer: &Printer, report: &SyncReport, show_diff: bool) {
    if printer.json {
        printer.out_json(report);
        return;
    }
    if printer.quiet {
        failures_as_errors(printer, &report.failures);
        return;
    }
    let mut table = printer.table();
    table.set_header(vec![
        "stream",
        "read",
        "create",
        "update",
        "delete",
        "unchanged",
        "skip",
        "failed",
    ]);
    // In the order the streams run, not alphabetically.
    let order = |name: &str| {
        crate::model::Stream::ALL
            .iter()
            .position(|s| s.as_str() == name)
            .unwrap_or(usize::MAX)
    };
    let mut streams: Vec<_> = report.streams.iter().collect();
    streams.sort_by_key(|(name, _)| order(name));
    for (name, s) in streams {
        let read = match (s.read, s.bulk) {
            ("full", true) => format!("{} (full, bulk)", s.records),
            (mode, _) => format!("{} ({mode})", s.records),
        };
        table.add_row(vec![
            Cell::new(name),
            Cell::new(read),
            Cell::new(s.counts.create),
            Cell::new(s.counts.update),
            Cell::new(s.counts.delete),
            Cell::new(s.counts.unchanged),
            Cell::new(s.counts.skip),
            Cell::new(s.counts.failed),
        ]);
    }
    printer.out(table.to_string());

    if show_diff {
        for change in report
            .changes
            .iter()
            .filter(|c| c.action != Action::Unchanged)
        {
            printer.out(change_lines(change));
        }
    } else {
        let skips = report
            .changes
            .iter()
            .filter(|c| c.action == Action::Skip)
            .count();
        if skips > 0 {
            printer.out(format!(
                "{skips} records skipped (see --diff or --json for each and why)"
            ));
        }
    }

    if !report.failures.is_empty() {
        printer.out(format!(
            "Failed records ({}), retried on the next run:",
            report.failures.len()
        ));
        for f in report.failures.iter().take(FAILURES_SHOWN) {
            printer.out(format!("  {} {}: {}", f.stream, f.source_id, f.reason));
        }
        if report.failures.len() > FAILURES_SHOWN {
            printer.out(format!(
                "  ... and {} more (all in --json, and in the run log of {})",
                report.failures.len() - FAILURES_SHOWN,
                report.state_file
            ));
        }
    }

    let total = |f: fn(&crate::engine::plan::Counts) -> u64| {
        report.streams.values().map(|s| f(&s.counts)).sum::<u64>()
    };
    let (create, update, delete) = (
        total(|c| c.create),
        total(|c| c.update),
        total(|c| c.delete),
    );
    if let Some(why) = &report.stopped {
        printer.out(format!(
            "Stopped early: {create} created, {update} updated, {delete} deleted, then: {why}\n  \
             What was written is kept; the next run continues from there."
        ));
    } else if report.dry_run {
        printer.out(format!(
            "Plan: {create} to create, {update} to update, {delete} to delete. Nothing was written (dry run)."
        ));
    } else {
        let records: u64 = report.streams.values().map(|s| s.records).sum();
        let rate = if report.seconds > 0.0 {
            records as f64 / report.seconds
        } else {
            0.0
        };
        // Two short lines rather than one that wraps in a terminal.
        let systems = &report.requests.0;
        let requests: Vec<String> = systems
            .iter()
            .map(|r| format!("{} {}", r.requests, r.name))
            .collect();
        let throttled: Option<u64> = systems.iter().map(|r| r.throttled).sum();
        printer.out(format!(
            "Done: {create} created, {update} updated, {delete} deleted, {} failed in {}.\n  \
             {rate:.0} records/s; {} requests{}.",
            report.failures.len(),
            duration(report.seconds),
            requests.join(" and "),
            throttled
                .map(|t| format!(", {t} throttled"))
                .unwrap_or_default(),
        ));
    }
}

/// `--quiet`: nothing on success; each failed record as an error on stderr, then how many.
fn failures_as_errors(printer: &Printer, failures: &[crate::state::Failure]) {
    for f in failures {
        printer.error(&format!("{} {}: {}", f.stream, f.source_id, f.reason));
    }
    let n = failures.len();
    if n > 0 {
        printer.error(&format!(
            "{n} record(s) could not be written; they are retried on the next run"
        ));
    }
}

fn change_lines(change: &Change) -> String {
    let mut out = format!(
        "{} {} {}",
        change.action.symbol(),
        change.stream,
        change.label
    );
    if change.label != change.source_id {
        out.push_str(&format!(" ({})", change.source_id));
    }
    if let Some(reason) = &change.reason {
        out.push_str(&format!(": {reason}"));
    }
    for f in &change.fields {
        // `@name` fields are links to other records (associations): show how many, not ids.
        let (name, link) = match f.field.strip_prefix('@') {
            Some(rest) => (format!("associated {}", rest.replace('_', " ")), true),
            None => (f.field.clone(), false),
        };
        let show = |v: &Option<String>| match (v, link) {
            (Some(v), true) => format!("{} record(s)", v.lines().count()),
            (Some(v), false) => format!("{:?}", truncate(v)),
            (None, _) => "(none)".to_string(),
        };
        // The state store kept only a hash of the old value.
        let old = if f.old_not_kept {
            "(changed; old value not kept)".to_string()
        } else {
            show(&f.old)
        };
        out.push_str(&format!("\n    {name}: {old} -> {}", show(&f.new)));
    }
    out
}

fn truncate(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}...")
    }
}

/// A back-office command's report: counts, then (dry run) every change field by field, the
/// failures, and a closing line; or the report as JSON.
pub fn backoffice(printer: &Printer, report: &crate::flows::backoffice::Report) {
    if printer.json {
        printer.out_json(report);
        return;
    }
    if printer.quiet {
        failures_as_errors(printer, &report.failures);
        return;
    }
    let mut table = printer.table();
    table.set_header(vec![
        "records",
        "create",
        "update",
        "unchanged",
        "skip",
        "failed",
    ]);
    let c = &report.counts;
    table.add_row(vec![
        Cell::new(report.records),
        Cell::new(c.create),
        Cell::new(c.update),
        Cell::new(c.unchanged),
        Cell::new(c.skip),
        Cell::new(c.failed),
    ]);
    printer.out(table.to_string());
    if report.dry_run {
        for change in report
            .changes
            .iter()
            .filter(|c| c.action != Action::Unchanged)
        {
            printer.out(change_lines(change));
        }
    }
    if !report.failures.is_empty() {
        printer.out(format!("Problems ({}):", report.failures.len()));
        for f in report.failures.iter().take(FAILURES_SHOWN * 5) {
            printer.out(format!("  {}: {}", f.source_id, f.reason));
        }
        if report.failures.len() > FAILURES_SHOWN * 5 {
            printer.out(format!(
                "  ... and {} more (all in --json)",
                report.failures.len() - FAILURES_SHOWN * 5
            ));
        }
    }
    let destination = report.destination();
    if report.dry_run {
        printer.out(format!(
            "Plan: {} to create, {} to update, {} unchanged in {destination}. Nothing was written (dry run).",
            c.create, c.update, c.unchanged
        ));
    } else {
        printer.out(format!(
            "Done: {} created, {} updated, {} unchanged, {} failed in {}.\n  \
             Written to {destination}; {}.",
            c.create,
            c.update,
            c.unchanged,
            c.failed,
            duration(report.seconds),
            report.requests_line()
        ));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_read_like_a_clock() {
        assert_eq!(crate::ui::duration(4.24), "4.2s");
        assert_eq!(crate::ui::duration(185.0), "3m 05s");
        assert_eq!(crate::ui::duration(3725.0), "1h 02m");
    }
}
