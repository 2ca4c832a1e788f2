//! The file back office: for POS systems without an API. It reads a catalogue export (CSV or
//! JSON Lines) and writes the customer and stock files the POS imports (CSV or JSON Lines).
//!
//! The format follows the file name: `.csv` is CSV (comma-separated, a header row, RFC 4180
//! quoting), `.jsonl` / `.ndjson` is JSON Lines. Every file shopsync writes is written whole
//! to a temporary file in the same directory and renamed over the old one, so a reader never
//! sees a half-written file. The formats are documented in the README.

pub mod catalogue;
pub mod customers;
pub mod health;
pub mod setup;
pub mod stock;

use std::path::Path;

use crate::error::CliError;

/// A file format, chosen by the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    pub fn of(path: &Path) -> Result<Format, CliError> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "csv" => Ok(Format::Csv),
            "jsonl" | "ndjson" => Ok(Format::JsonLines),
            _ => Err(CliError::config(format!(
                "cannot tell the format of {} from its name",
                path.display()
            ))
            .hint("name it *.csv (CSV with a header row) or *.jsonl (JSON Lines)")),
        }
    }
}

/// The error for a file that cannot be written, with the fix.
pub fn write_error(path: &Path, e: std::io::Error) -> CliError {
    CliError::run(format!("cannot write {}: {e}", path.display()))
        .hint("check that the directory exists and is writable; the old file (if any) is unchanged")
}

/// `yes`/`no` (also true/false, 1/0, y/n), case-insensitive.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "ja" => Some(true),
        "no" | "n" | "false" | "0" | "nei" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name() {
        assert_eq!(Format::of(Path::new("a.CSV")).unwrap(), Format::Csv);
        assert_eq!(
            Format::of(Path::new("a.ndjson")).unwrap(),
            Format::JsonLines
        );
        assert!(Format::of(Path::new("a.txt")).is_err());
    }
}
