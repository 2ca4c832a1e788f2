//! What the user sees: data on stdout (tables or JSON), status and progress on stderr.
//!
//! One `Printer` per run decides, from the flags and the terminal, what goes where: progress
//! bars only when stderr is a terminal and not `--quiet`/`--verbose`/`--json`; colour only on a
//! terminal without `NO_COLOR`.

use std::io::{IsTerminal, Write};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// Colour is allowed unless `NO_COLOR` is set (to anything but empty); whether the output is
/// a terminal is for the caller to check.
pub fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// What a word on stdout means, for its colour: ok, a warning, an error, or not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warning,
    Bad,
    Dim,
}

#[derive(Debug, Clone)]
pub struct Printer {
    pub json: bool,
    pub quiet: bool,
    pub verbose: bool,
    stderr_tty: bool,
    stdout_tty: bool,
    color: bool,
}

impl Printer {
    pub fn new(json: bool, quiet: bool, verbose: bool) -> Printer {
        let stderr_tty = std::io::stderr().is_terminal();
        let stdout_tty = std::io::stdout().is_terminal();
        let color = stdout_tty && color_allowed();
        Printer {
            json,
            quiet,
            verbose,
            stderr_tty,
            stdout_tty,
            color,
        }
    }

    /// Whether the user can answer a prompt (a terminal on both ends, and not in CI).
    pub fn can_prompt(&self) -> bool {
        std::io::stdin().is_terminal() && self.stderr_tty
    }

    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    pub fn stdout_is_tty(&self) -> bool {
        self.stdout_tty
    }

    pub fn color(&self) -> bool {
        self.color
    }

    /// `text` in the colour of `tone` when stdout is a terminal and `NO_COLOR` is not set;
    /// otherwise as it is.
    pub fn paint(&self, text: &str, tone: Tone) -> String {
        paint(text, tone, self.color)
    }

    /// A line of data on stdout.
    pub fn out(&self, text: impl AsRef<str>) {
        let mut out = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth a message.
        let _ = writeln!(out, "{}", text.as_ref());
    }

    /// A JSON document on stdout.
    pub fn out_json(&self, value: &impl serde::Serialize) {
        match serde_json::to_string_pretty(value) {
            Ok(s) => self.out(s),
            Err(e) => self.error(&format!("could not encode the report as JSON: {e}")),
        }
    }

    /// A status line on stderr ("Reading customers ..."), hidden by `--quiet`.
    pub fn status(&self, text: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", text.as_ref());
        }
    }

    /// Detail on stderr, shown with `--verbose` only.
    pub fn detail(&self, text: impl AsRef<str>) {
        if self.verbose {
            eprintln!("{}", text.as_ref());
        }
    }

    pub fn warn(&self, text: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("warning: {}", text.as_ref());
        }
    }

    pub fn error(&self, text: &str) {
        eprintln!("error: {text}");
    }

    /// Progress bars are drawn only where a person watches them.
    pub fn progress_enabled(&self) -> bool {
        self.stderr_tty && !self.quiet && !self.verbose && !self.json
    }

    pub fn multi_progress(&self) -> MultiProgress {
        if self.progress_enabled() {
            MultiProgress::with_draw_target(ProgressDrawTarget::stderr())
        } else {
            MultiProgress::with_draw_target(ProgressDrawTarget::hidden())
        }
    }

    /// A bar for one stream, in cargo's and uv's manner: `  orders [=====>    ] 120/300 45/s,
    /// ETA 4s`. `len` is the count when it is known before reading (a full read).
    pub fn stream_bar(&self, multi: &MultiProgress, name: &str, len: Option<u64>) -> ProgressBar {
        let bar = multi.add(ProgressBar::new(len.unwrap_or(0)));
        bar.set_style(bar_style(None));
        bar.set_prefix(name.to_string());
        bar
    }

    /// Shows `text` on `bar` until its first record (what it is waiting for, e.g. a bulk
    /// export the source prepares before the first record can be read).
    pub fn bar_waiting(&self, bar: &ProgressBar, text: &str) {
        bar.set_style(bar_style(Some(text.to_string())));
    }

    /// A table for stdout: borders on a terminal, plain columns when piped.
    pub fn table(&self) -> comfy_table::Table {
        let mut table = comfy_table::Table::new();
        if self.stdout_tty {
            table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
        } else {
            table.load_preset(comfy_table::presets::ASCII_MARKDOWN);
        }
        if !self.color {
            table.force_no_tty();
        }
        table
    }
}

fn paint(text: &str, tone: Tone, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let code = match tone {
        Tone::Good => "32",
        Tone::Warning => "33",
        Tone::Bad => "1;31",
        Tone::Dim => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

fn bar_style(waiting: Option<String>) -> ProgressStyle {
    ProgressStyle::with_template("{prefix:>10} [{bar:30}] {count} {rate}{wait}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key("count", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&count_text(s.pos(), s.len()));
        })
        .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&rate_text(s.pos(), s.len(), s.elapsed()));
        })
        .with_key(
            "wait",
            move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                if let (0, Some(text)) = (s.pos(), &waiting) {
                    let _ = write!(w, "{text}");
                }
            },
        )
        .progress_chars("=> ")
}

/// `120/300`; `42` while the total is not known; past a total counted before reading (records
/// added or retried since), the count and what it was.
fn count_text(pos: u64, len: Option<u64>) -> String {
    match len {
        Some(len) if len > 0 && pos > len => format!("{pos} ({len} counted at the start)"),
        Some(len) if len > 0 => format!("{pos}/{len}"),
        _ => pos.to_string(),
    }
}

/// `45/s, ETA 4s`: whole records per second (one decimal below 10), and the time left when the
/// total is known; nothing in the first second, when a rate means little.
fn rate_text(pos: u64, len: Option<u64>, elapsed: std::time::Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if secs < 1.0 || pos == 0 {
        return String::new();
    }
    let rate = pos as f64 / secs;
    let mut out = if rate < 10.0 {
        format!("{rate:.1}/s")
    } else {
        format!("{rate:.0}/s")
    };
    if let Some(len) = len.filter(|&len| len > pos) {
        let left = (len - pos) as f64 / rate;
        let left = if left < 60.0 {
            format!("{}s", left.ceil() as u64)
        } else {
            duration(left)
        };
        out.push_str(&format!(", ETA {left}"));
    }
    out
}

/// A duration for people: `4.2s`, `3m 05s`, `1h 02m`.
pub fn duration(seconds: f64) -> String {
    let seconds = seconds.max(0.0);
    if seconds < 60.0 {
        return format!("{seconds:.1}s");
    }
    let whole = seconds.round() as u64;
    let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else {
        format!("{m}m {s:02}s")
    }
}

/// The progress of a one-way run as the engine reports it: a bar per stream (under one
/// `MultiProgress`) and status lines on stderr.
pub struct RunProgress<'a> {
    printer: &'a Printer,
    multi: MultiProgress,
}

impl<'a> RunProgress<'a> {
    pub fn new(printer: &'a Printer) -> RunProgress<'a> {
        RunProgress {
            printer,
            multi: printer.multi_progress(),
        }
    }
}

/// One stream's bar.
pub struct StreamProgress(ProgressBar);

impl crate::engine::oneway::StreamBar for StreamProgress {
    fn inc(&self, n: u64) {
        self.0.inc(n);
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }

    fn abandon(&self) {
        self.0.abandon();
    }
}

impl crate::engine::oneway::Observer for RunProgress<'_> {
    type Bar = StreamProgress;

    fn stream_started(
        &self,
        stream: crate::model::Stream,
        expected: Option<u64>,
        waiting: Option<&str>,
    ) -> StreamProgress {
        let bar = self
            .printer
            .stream_bar(&self.multi, stream.as_str(), expected);
        if let Some(text) = waiting {
            self.printer.bar_waiting(&bar, text);
        }
        StreamProgress(bar)
    }

    fn status(&self, line: String) {
        self.printer.status(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bar_counts_rates_and_eta_read_like_cargos() {
        assert_eq!(count_text(120, Some(300)), "120/300");
        assert_eq!(count_text(42, Some(0)), "42");
        assert_eq!(count_text(42, None), "42");
        assert_eq!(count_text(307, Some(300)), "307 (300 counted at the start)");
        assert_eq!(rate_text(5, Some(300), Duration::from_millis(500)), "");
        assert_eq!(
            rate_text(90, Some(300), Duration::from_secs(2)),
            "45/s, ETA 5s"
        );
        assert_eq!(rate_text(300, Some(300), Duration::from_secs(2)), "150/s");
        assert_eq!(rate_text(7, None, Duration::from_secs(2)), "3.5/s");
        assert_eq!(
            rate_text(100, Some(20_000), Duration::from_secs(10)),
            "10/s, ETA 33m 10s"
        );
    }

    #[test]
    fn paint_only_with_colour() {
        assert_eq!(paint("ok", Tone::Good, false), "ok");
        assert_eq!(paint("error", Tone::Bad, true), "\x1b[1;31merror\x1b[0m");
    }
}
