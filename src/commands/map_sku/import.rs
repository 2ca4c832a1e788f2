//! `shopsync map-sku import FILE`: mappings from a CSV file.
//!
//! The file has a header row naming its columns: `sku` and `levels` are required, `product`
//! (the Huddle webhook product's title) is optional, other columns are ignored with a warning.
//! The delimiter is found from the header: `,`, `;` (what a Dutch Excel writes) or a tab.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::{clean_levels, clean_sku, open, StoreArgs};
use crate::commands::Context;
use crate::error::{CliError, CliResult, ExitCode};
use crate::state::{MappingChange, SkuMapping};

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub store: StoreArgs,

    /// The CSV file (`-` reads standard input)
    pub file: PathBuf,

    /// Make the table exactly the file: remove mapped SKUs the file does not name
    #[arg(long)]
    pub replace: bool,

    /// Show what would change, and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// A row that was skipped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
}

/// What a file holds.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<SkuMapping>,
    pub bad: Vec<BadRow>,
    /// Every SKU the file names, in good and bad rows (--replace keeps the bad rows' SKUs).
    pub named: BTreeSet<String>,
    pub ignored_columns: Vec<String>,
}

fn delimiter(header_line: &str) -> u8 {
    let count = |c: char| header_line.matches(c).count();
    [(b',', count(',')), (b';', count(';')), (b'\t', count('\t'))]
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map(|(d, _)| d)
        .unwrap_or(b',')
}

/// Splits a levels cell on `|` and on whichever of `,` / `;` is not the file's delimiter.
fn split_levels(cell: &str, delim: u8) -> Vec<&str> {
    let other = if delim == b';' { ',' } else { ';' };
    cell.split(['|', other]).collect()
}

/// Reads a whole file. Errors only when the file as a whole is unusable (no header, a required
/// column missing); bad rows are collected.
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let delim = delimiter(&String::from_utf8_lossy(first_line));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| format!("the header row cannot be read: {e}"))?
        .clone();
    if headers.is_empty() || headers.iter().all(|h| h.is_empty()) {
        return Err("the file is empty; it needs a header row `sku,product,levels`".into());
    }
    let names: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_ascii_lowercase())
        .collect();
    let col = |want: &str| names.iter().position(|n| n == want);
    let (Some(sku_col), Some(levels_col)) = (col("sku"), col("levels")) else {
        return Err(format!(
            "the header row must name the columns `sku` and `levels` (and may name `product`); \
             it names: {}",
            names.join(", ")
        ));
    };
    let product_col = col("product");
    let mut parsed = Parsed {
        ignored_columns: names
            .iter()
            .filter(|n| !["sku", "levels", "product"].contains(&n.as_str()))
            .cloned()
            .collect(),
        ..Default::default()
    };
    let mut first_line_of: BTreeMap<String, u64> = BTreeMap::new();
    let mut record = csv::ByteRecord::new();
    let mut last_line = 0;
    loop {
        let line = reader.position().line().max(last_line + 1);
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map(|p| p.line()).unwrap_or(line);
                parsed.bad.push(BadRow {
                    line: at,
                    reason: format!("not valid CSV: {e}"),
                });
                if at <= last_line {
                    break;
                }
                last_line = at;
                continue;
            }
        }
        // The reader's own line count starts a record at the blank lines before it.
        let line = record
            .position()
            .map(|p| line_at(bytes, p.byte() as usize))
            .unwrap_or(line);
        last_line = line;
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank line
        }
        let cell = |i: usize| -> Result<Option<String>, String> {
            match record.get(i) {
                None => Ok(None),
                Some(b) => std::str::from_utf8(b)
                    .map(|s| Some(s.to_string()))
                    .map_err(|_| "not UTF-8 text (save the file as CSV UTF-8)".to_string()),
            }
        };
        let row = (|| -> Result<SkuMapping, String> {
            let raw_sku = cell(sku_col)?.unwrap_or_default();
            let sku = clean_sku(&raw_sku)?;
            parsed.named.insert(sku.clone());
            if let Some(first) = first_line_of.get(&sku) {
                return Err(format!("the SKU {sku} is already on line {first}"));
            }
            first_line_of.insert(sku.clone(), line);
            let raw_levels = cell(levels_col)?
                .ok_or_else(|| format!("the row has no `levels` cell (SKU {sku})"))?;
            let levels = clean_levels(split_levels(&raw_levels, delim))
                .map_err(|why| format!("SKU {sku}: {why}"))?;
            let product = match product_col {
                Some(i) => cell(i)?.unwrap_or_default().trim().to_string(),
                None => String::new(),
            };
            Ok(SkuMapping {
                sku,
                product,
                levels,
            })
        })();
        match row {
            Ok(m) => parsed.rows.push(m),
            Err(reason) => parsed.bad.push(BadRow { line, reason }),
        }
    }
    Ok(parsed)
}

/// The 1-based line of the first non-blank byte at or after `offset`.
fn line_at(bytes: &[u8], offset: usize) -> u64 {
    let mut pos = offset.min(bytes.len());
    while pos < bytes.len() && (bytes[pos] == b'\n' || bytes[pos] == b'\r') {
        pos += 1;
    }
    bytes[..pos].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

#[derive(Debug, Default, Serialize)]
struct Report {
    file: String,
    /// merge | replace
    mode: &'static str,
    dry_run: bool,
    added: Vec<String>,
    updated: Vec<String>,
    unchanged: Vec<String>,
    removed: Vec<String>,
    bad_rows: Vec<BadRow>,
}

pub fn exec(ctx: &Context, args: ImportArgs) -> CliResult<ExitCode> {
    let shown = args.file.display().to_string();
    let bytes = if shown == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| CliError::config(format!("cannot read standard input: {e}")))?;
        buf
    } else {
        std::fs::read(&args.file).map_err(|e| {
            CliError::config(format!("cannot read {shown}: {e}"))
                .hint("give the path of a CSV file with a header row `sku,product,levels`")
        })?
    };
    let parsed = parse(&bytes).map_err(|why| {
        CliError::config(format!("{shown} cannot be imported: {why}")).hint(
            "the first row must be a header, e.g. `sku,product,levels`, then one row per SKU \
             like `HUD-YEAR,Jaarlidmaatschap,Leden|Academy`",
        )
    })?;
    if !parsed.ignored_columns.is_empty() {
        ctx.printer.warn(format!(
            "{shown}: ignoring the column(s) {}",
            parsed.ignored_columns.join(", ")
        ));
    }
    let (_, store) = open(ctx, &args.store)?;
    let current: BTreeMap<String, SkuMapping> = store
        .sku_mappings()?
        .into_iter()
        .map(|m| (m.sku.clone(), m))
        .collect();
    let remove: Vec<String> = if args.replace {
        current
            .keys()
            .filter(|sku| !parsed.named.contains(*sku))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let changes: Vec<MappingChange> = if args.dry_run {
        parsed
            .rows
            .iter()
            .map(|m| match current.get(&m.sku) {
                None => MappingChange::Added,
                Some(old) if old == m => MappingChange::Unchanged,
                Some(_) => MappingChange::Updated,
            })
            .chain(remove.iter().map(|_| MappingChange::Removed))
            .collect()
    } else {
        store.write_sku_mappings(&parsed.rows, &remove)?
    };
    let mut report = Report {
        file: shown.clone(),
        mode: if args.replace { "replace" } else { "merge" },
        dry_run: args.dry_run,
        bad_rows: parsed.bad.clone(),
        ..Default::default()
    };
    let skus = parsed.rows.iter().map(|m| &m.sku).chain(remove.iter());
    for (sku, change) in skus.zip(changes) {
        let list = match change {
            MappingChange::Added => &mut report.added,
            MappingChange::Updated => &mut report.updated,
            MappingChange::Unchanged => &mut report.unchanged,
            MappingChange::Removed => &mut report.removed,
        };
        list.push(sku.clone());
    }
    for bad in &report.bad_rows {
        ctx.printer.warn(format!(
            "{shown} line {}: {}; skipped",
            bad.line, bad.reason
        ));
    }
    if ctx.global.json {
        ctx.printer.out_json(&report);
    } else {
        let would = if args.dry_run { "would be " } else { "" };
        let mut line = format!(
            "{shown}: {} {would}added, {} {would}updated, {} unchanged",
            report.added.len(),
            report.updated.len(),
            report.unchanged.len()
        );
        if args.replace {
            line.push_str(&format!(", {} {would}removed", report.removed.len()));
        }
        if !report.bad_rows.is_empty() {
            line.push_str(&format!(", {} bad row(s) skipped", report.bad_rows.len()));
        }
        ctx.printer.out(line);
        for (label, list) in [
            ("added", &report.added),
            ("updated", &report.updated),
            ("removed", &report.removed),
        ] {
            if !list.is_empty() {
                ctx.printer
                    .detail(format!("{would}{label}: {}", list.join(", ")));
            }
        }
    }
    if report.bad_rows.is_empty() {
        Ok(ExitCode::Success)
    } else {
        Ok(ExitCode::Failure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_with_good_and_bad_rows() {
        let text = "\u{feff}SKU,Product,Levels,notes\n\
                    HUD-YEAR,\"Jaar, lid\",Leden|Academy,x\n\
                    \n\
                    ,Leeg,Leden\n\
                    HUD-MONTH,Maand,\n\
                    HUD-YEAR,Dubbel,Leden\n\
                    HUD-WEEK,Week,Leden;Proef\n\
                    HUD-SHORT\n";
        let p = parse(text.as_bytes()).unwrap();
        assert_eq!(p.ignored_columns, vec!["notes".to_string()]);
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0].sku, "HUD-YEAR");
        assert_eq!(p.rows[0].product, "Jaar, lid");
        assert_eq!(p.rows[0].levels, vec!["Leden", "Academy"]);
        assert_eq!(p.rows[1].levels, vec!["Leden", "Proef"]);
        let lines: Vec<u64> = p.bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, vec![4, 5, 6, 8], "{:?}", p.bad);
        assert!(p.bad[2].reason.contains("already on line 2"), "{:?}", p.bad);
        assert!(p.named.contains("HUD-MONTH"));
    }

    #[test]
    fn semicolon_files_and_missing_columns() {
        let p = parse(b"sku;levels\nA;x,y\n").unwrap();
        assert_eq!(p.rows[0].levels, vec!["x", "y"]);
        assert!(parse(b"sku,product\nA,b\n").unwrap_err().contains("levels"));
        assert!(parse(b"").is_err());
    }
}
