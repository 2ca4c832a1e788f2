//! `doctor`'s checks of a files back office: the catalogue readable, the directories of the
//! written files writable.

use std::path::Path;

use crate::connectors::backoffice::BackOfficeSettings;
use crate::health::Check;

pub fn check(name: Option<&str>, s: &BackOfficeSettings, checks: &mut Vec<Check>) {
    match &s.catalogue {
        None => checks.push(Check::skipped(
            name,
            "files.catalogue",
            "no `catalogue` set (push-products needs one)",
        )),
        Some(path) => match crate::connectors::files::catalogue::read(path) {
            Ok(c) if c.problems.is_empty() => checks.push(Check::ok(
                name,
                "files.catalogue",
                format!("{}: {} products", path.display(), c.products.len()),
            )),
            Ok(c) => checks.push(
                Check::warning(
                    name,
                    "files.catalogue",
                    format!(
                        "{}: {} products, {} bad rows (first: {})",
                        path.display(),
                        c.products.len(),
                        c.problems.len(),
                        c.problems[0]
                    ),
                )
                .fix("fix the rows named (`shopsync push-products --dry-run` lists them all); the others are pushed"),
            ),
            Err(e) => checks.push(
                Check::error(name, "files.catalogue", e.message).fix(e.hint.unwrap_or_default()),
            ),
        },
    }
    for (key, path) in [
        ("files.customers_file", &s.customers_file),
        ("files.stock_file", &s.stock_file),
    ] {
        let Some(path) = path else { continue };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => Path::new(".").to_path_buf(),
        };
        let writable = std::fs::metadata(&dir)
            .map(|m| m.is_dir() && !m.permissions().readonly())
            .unwrap_or(false);
        if writable {
            checks.push(Check::ok(
                name,
                key,
                format!("{} can be written", path.display()),
            ));
        } else {
            checks.push(
                Check::error(
                    name,
                    key,
                    format!("{} is not a writable directory", dir.display()),
                )
                .fix("create it, or point the setting at a directory shopsync can write"),
            );
        }
    }
}
