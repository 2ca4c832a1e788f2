//! What every one-way flow does around its streams: open the profile's state store (moving an
//! unreadable one aside and re-linking), begin the run row, and at the end close it with its
//! status and summary. A flow supplies only what is its own: its clients, its target, which
//! streams it plans how, and the requests it counts.

use std::time::Instant;

use crate::error::{CliError, CliResult};
use crate::flows::report::{Requests, SyncOptions, SyncReport};
use crate::state::{Broken, StateStore};
use crate::ui::Printer;

/// Meta key set while a rebuilt state store has not yet completed a run: until then, records
/// without a link are looked up in the target by their unique key before anything is written.
const RELINK_META: &str = "relink_pending";

/// The profile's state store, as `sync` opens it: with `--rebuild-state`, an unreadable file
/// is moved aside and the next runs re-link (`relinking` says how, for the status line).
/// Returns the store and whether records are to be re-linked.
pub fn open_state(
    profile: &str,
    options: &SyncOptions,
    printer: &Printer,
    relinking: &str,
) -> CliResult<(StateStore, bool)> {
    let broken = if options.rebuild_state {
        Broken::MoveAside
    } else {
        Broken::Refuse
    };
    let (state, moved_aside) = StateStore::open_with(&options.state_dir, profile, broken)?;
    if let Some(aside) = &moved_aside {
        state.set_meta(RELINK_META, "1")?;
        printer.status(format!(
            "The unreadable state file was moved to {}; {relinking} before anything is written",
            aside.display()
        ));
    }
    let relink = state.meta(RELINK_META)?.is_some();
    Ok((state, relink))
}

/// A one-way run from its run row to its report.
pub struct OneWayRun {
    pub state: StateStore,
    pub id: i64,
    /// When the run began: a flow's cursors are fixed against it.
    pub start: chrono::DateTime<chrono::Utc>,
    pub relink: bool,
    pub report: SyncReport,
    started: Instant,
}

impl OneWayRun {
    /// Begins the run row (`initial-sync`, or `initial-sync --dry-run`) and an empty report.
    pub fn begin(
        state: StateStore,
        profile: &str,
        options: &SyncOptions,
        relink: bool,
    ) -> CliResult<OneWayRun> {
        let started = Instant::now();
        let start = chrono::Utc::now();
        let command = if options.dry_run {
            "initial-sync --dry-run"
        } else {
            "initial-sync"
        };
        let id = state.begin_run(command, profile, options.dry_run)?;
        let report = SyncReport::new(profile, options.dry_run, id, state.path());
        Ok(OneWayRun {
            state,
            id,
            start,
            relink,
            report,
            started,
        })
    }

    /// Closes the run row with the run's status and summary. `outcome` is how the flow's
    /// streams went: an error there stopped the run part-way and comes back beside the report.
    /// A re-linking state store is done re-linking once a run completes.
    pub fn finish(
        mut self,
        outcome: CliResult,
        requests: Requests,
    ) -> CliResult<(SyncReport, Option<CliError>)> {
        let stop = outcome.err();
        if let Some(e) = &stop {
            self.report.stopped = Some(e.message.clone());
        }
        self.report.seconds = self.started.elapsed().as_secs_f64();
        self.report.requests = requests;
        if stop.is_none() && self.relink && !self.report.dry_run {
            self.state.delete_meta(RELINK_META)?;
        }
        let status = crate::engine::run_status(stop.as_ref(), !self.report.failures.is_empty());
        let summary = serde_json::json!({
            "streams": self.report.streams,
            "stopped": self.report.stopped,
            "requests": self.report.requests,
        });
        self.state.finish_run(self.id, status, &summary)?;
        Ok((self.report, stop))
    }
}
