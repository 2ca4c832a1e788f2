//! What the user sees: data on stdout (tables or JSON), status and progress on stderr.
//!
//! One `Printer` per run decides, from the flags and the terminal, what goes where: progress
//! bars only when stderr is a terminal and not `--quiet`/`--verbose`/`--json`; colour only on a
//! terminal without `NO_COLOR`.

use std::io::{IsTerminal, Write};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::GlobalArgs;

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
    pub fn new(global: &GlobalArgs) -> Printer {
        let stderr_tty = std::io::stderr().is_terminal();
        let stdout_tty = std::io::stdout().is_terminal();
        let color = stdout_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Printer {
            json: global.json,
            quiet: global.quiet,
            verbose: global.verbose,
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

    /// A bar for one stream; `len` may grow as records are found.
    pub fn stream_bar(&self, multi: &MultiProgress, name: &str, len: Option<u64>) -> ProgressBar {
        let bar = multi.add(ProgressBar::new(len.unwrap_or(0)));
        let style =
            ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {per_sec} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(name.to_string());
        bar
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
