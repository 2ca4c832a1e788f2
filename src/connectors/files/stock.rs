//! The stock file: the shop's stock levels for a POS that imports files, CSV or JSON Lines.
//!
//! One row per SKU and warehouse: `sku,warehouse,quantity`. Each pull writes the whole file
//! anew (a complete snapshot), atomically.

use std::path::Path;

use super::Format;
use crate::catalogue::StockLevel;
use crate::error::CliError;

pub fn write(path: &Path, levels: &[StockLevel]) -> Result<(), CliError> {
    let mut levels = levels.to_vec();
    levels.sort_by(|a, b| (&a.sku, &a.warehouse).cmp(&(&b.sku, &b.warehouse)));
    let bytes = match Format::of(path)? {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record(["sku", "warehouse", "quantity"]);
            for l in &levels {
                let _ = w.write_record([
                    l.sku.as_str(),
                    l.warehouse.as_str(),
                    &l.quantity.to_string(),
                ]);
            }
            w.into_inner().unwrap_or_default()
        }
        Format::JsonLines => {
            let mut out = Vec::new();
            for l in &levels {
                out.extend(serde_json::to_vec(l).unwrap_or_default());
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

    #[test]
    fn writes_a_sorted_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let levels = [
            StockLevel {
                sku: "B".into(),
                warehouse: "Oslo".into(),
                quantity: 2,
            },
            StockLevel {
                sku: "A".into(),
                warehouse: "Oslo".into(),
                quantity: -1,
            },
        ];
        let csv = dir.path().join("s.csv");
        write(&csv, &levels).unwrap();
        assert_eq!(
            std::fs::read_to_string(&csv).unwrap(),
            "sku,warehouse,quantity\nA,Oslo,-1\nB,Oslo,2\n"
        );
        let jsonl = dir.path().join("s.jsonl");
        write(&jsonl, &levels).unwrap();
        assert_eq!(
            std::fs::read_to_string(&jsonl).unwrap(),
            "{\"sku\":\"A\",\"warehouse\":\"Oslo\",\"quantity\":-1}\n{\"sku\":\"B\",\"warehouse\":\"Oslo\",\"quantity\":2}\n"
        );
    }
}
