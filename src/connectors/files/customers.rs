//! The customer file: Shopify customers for a POS that imports files, CSV or JSON Lines.
//!
//! One row (line) per customer, keyed by `shopify_id`. Each pull merges into the file: customers
//! pulled before and not changed since keep their row, changed ones are replaced, new ones are
//! added; the whole file is then written atomically. So the file always holds every customer
//! pulled so far, and an incremental run that the POS has not imported yet loses nothing.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Format;
use crate::error::CliError;
use crate::model::Customer;

/// One customer as written to the file. The column order of the CSV is the field order here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerRow {
    pub shopify_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    /// `yes` / `no`, empty when unknown.
    pub accepts_marketing: String,
    pub created_at: String,
    pub updated_at: String,
    pub street: String,
    pub city: String,
    pub zip: String,
    pub province: String,
    pub country: String,
}

impl CustomerRow {
    pub fn from_customer(c: &Customer) -> CustomerRow {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let a = c.address.clone().unwrap_or_default();
        CustomerRow {
            shopify_id: c.id.clone(),
            first_name: s(&c.first_name),
            last_name: s(&c.last_name),
            email: s(&c.email),
            phone: s(&c.phone),
            accepts_marketing: match c.accepts_marketing {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => String::new(),
            },
            created_at: c.created_at.clone(),
            updated_at: c.updated_at.clone(),
            street: s(&a.street),
            city: s(&a.city),
            zip: s(&a.zip),
            province: s(&a.province),
            country: s(&a.country),
        }
    }
}

/// The rows of an existing customer file, by Shopify id; none when the file does not exist.
pub fn read(path: &Path) -> Result<BTreeMap<String, CustomerRow>, CliError> {
    let format = Format::of(path)?;
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => {
            return Err(CliError::run(format!(
                "cannot read the customer file {}: {e}",
                path.display()
            )))
        }
    };
    let damaged = |line: usize, why: String| {
        CliError::run(format!(
            "{}:{line}: the customer file cannot be merged into: {why}",
            path.display()
        ))
        .hint("it was changed by hand or by another program; move it away (the next run with --full writes it anew)")
    };
    let mut out = BTreeMap::new();
    match format {
        Format::Csv => {
            let mut reader = csv::Reader::from_reader(bytes.as_slice());
            for (i, row) in reader.deserialize::<CustomerRow>().enumerate() {
                let row = row.map_err(|e| damaged(i + 2, e.to_string()))?;
                out.insert(row.shopify_id.clone(), row);
            }
        }
        Format::JsonLines => {
            for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let row: CustomerRow =
                    serde_json::from_slice(line).map_err(|e| damaged(i + 1, e.to_string()))?;
                out.insert(row.shopify_id.clone(), row);
            }
        }
    }
    Ok(out)
}

/// Merges `customers` into the file at `path` (see the module doc) and writes it atomically.
/// Returns how many rows were added and how many replaced.
pub fn merge_write(path: &Path, customers: &[Customer]) -> Result<(usize, usize), CliError> {
    let mut rows = read(path)?;
    let (mut added, mut replaced) = (0, 0);
    for c in customers {
        let row = CustomerRow::from_customer(c);
        match rows.insert(row.shopify_id.clone(), row.clone()) {
            None => added += 1,
            Some(old) if old != row => replaced += 1,
            Some(_) => {}
        }
    }
    write(path, rows.values())?;
    Ok((added, replaced))
}

/// Writes exactly these rows, atomically.
pub fn write<'a>(
    path: &Path,
    rows: impl IntoIterator<Item = &'a CustomerRow>,
) -> Result<(), CliError> {
    let bytes = match Format::of(path)? {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let mut any = false;
            for row in rows {
                any = true;
                w.serialize(row)
                    .map_err(|e| CliError::run(format!("cannot encode a customer row: {e}")))?;
            }
            let mut bytes = w.into_inner().unwrap_or_default();
            if !any {
                bytes = b"shopify_id,first_name,last_name,email,phone,accepts_marketing,created_at,updated_at,street,city,zip,province,country\n".to_vec();
            }
            bytes
        }
        Format::JsonLines => {
            let mut out = Vec::new();
            for row in rows {
                out.extend(serde_json::to_vec(row).unwrap_or_default());
                out.push(b'\n');
            }
            out
        }
    };
    crate::atomic_file::write(path, &bytes, crate::atomic_file::Access::Default)
        .map_err(|e| super::write_error(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(id: &str, email: &str, updated: &str) -> Customer {
        Customer {
            id: id.into(),
            email: Some(email.into()),
            first_name: Some("Ann, \"the\" first".into()),
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: updated.into(),
            accepts_marketing: Some(true),
            ..Default::default()
        }
    }

    #[test]
    fn merges_by_id_in_both_formats() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["c.csv", "c.jsonl"] {
            let path = dir.path().join(name);
            let first = [customer("1", "a@x.no", "t1"), customer("2", "b@x.no", "t1")];
            assert_eq!(merge_write(&path, &first).unwrap(), (2, 0));
            let second = [
                customer("2", "b2@x.no", "t2"),
                customer("3", "c@x.no", "t2"),
            ];
            assert_eq!(merge_write(&path, &second).unwrap(), (1, 1));
            let rows = read(&path).unwrap();
            assert_eq!(rows.len(), 3);
            assert_eq!(rows["1"].email, "a@x.no");
            assert_eq!(rows["2"].email, "b2@x.no");
            assert_eq!(rows["1"].first_name, "Ann, \"the\" first");
            assert_eq!(rows["1"].accepts_marketing, "yes");
        }
    }

    #[test]
    fn a_damaged_file_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.csv");
        std::fs::write(&path, "name\nx\n").unwrap();
        let e = merge_write(&path, &[customer("1", "a@x.no", "t")]).unwrap_err();
        assert!(e.message.contains("cannot be merged"), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "name\nx\n");
    }
}
