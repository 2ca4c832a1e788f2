//! The plan: what a run will (or, in a dry run, would) change, record by record and field by
//! field, and the counts per stream.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::state::{is_hashed, same_value, Fields};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Update,
    Delete,
    Unchanged,
    Skip,
}

impl Action {
    /// Terraform's symbols, which many readers know.
    pub fn symbol(self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update => "~",
            Action::Delete => "-",
            Action::Unchanged => "=",
            Action::Skip => "!",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// The field had a value, but the state store kept only its hash (`old` is then none).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub old_not_kept: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub stream: String,
    pub action: Action,
    pub source_id: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub create: u64,
    pub update: u64,
    pub delete: u64,
    pub unchanged: u64,
    pub skip: u64,
    pub failed: u64,
}

impl Counts {
    pub fn add(&mut self, action: Action) {
        match action {
            Action::Create => self.create += 1,
            Action::Update => self.update += 1,
            Action::Delete => self.delete += 1,
            Action::Unchanged => self.unchanged += 1,
            Action::Skip => self.skip += 1,
        }
    }

    pub fn changes(&self) -> u64 {
        self.create + self.update + self.delete
    }
}

/// Counts per stream, and the changes themselves when asked for (`--diff`, `--json`).
#[derive(Debug, Default, Serialize)]
pub struct Plan {
    pub streams: BTreeMap<String, Counts>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

impl Plan {
    pub fn has_changes(&self) -> bool {
        self.streams.values().any(|c| c.changes() > 0)
    }
}

/// The fields of `new` that differ from `old`. Fields missing from `new` are not cleared: a
/// value that is empty in the source never overwrites one in the target.
///
/// `old` may hold values kept as hashes (a link read from the state store): such a field
/// changed when the new value's hash differs, and its change has no old value to show.
pub fn diff(old: &Fields, new: &Fields) -> Vec<FieldChange> {
    new.iter()
        .filter(|(k, v)| !old.get(*k).is_some_and(|o| same_value(o, v)))
        .map(|(k, v)| {
            let was = old.get(k);
            let not_kept = was.is_some_and(|o| is_hashed(o));
            FieldChange {
                field: k.clone(),
                old: was.filter(|_| !not_kept).cloned(),
                new: Some(v.clone()),
                old_not_kept: not_kept,
            }
        })
        .collect()
}

/// Whether `diff(old, new)` is empty, without building it.
pub fn unchanged(old: &Fields, new: &Fields) -> bool {
    new.iter()
        .all(|(k, v)| old.get(k).is_some_and(|o| same_value(o, v)))
}

/// `new` over `old`: what the target holds after `new` was written.
pub fn merged(old: &Fields, new: &Fields) -> Fields {
    let mut out = old.clone();
    out.extend(new.iter().map(|(k, v)| (k.clone(), v.clone())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn diff_reports_changed_and_new_fields_only() {
        let old = f(&[("a", "1"), ("b", "2"), ("gone", "x")]);
        let new = f(&[("a", "1"), ("b", "3"), ("c", "4")]);
        let d = diff(&old, &new);
        assert_eq!(
            d,
            vec![
                FieldChange {
                    field: "b".into(),
                    old: Some("2".into()),
                    new: Some("3".into()),
                    old_not_kept: false,
                },
                FieldChange {
                    field: "c".into(),
                    old: None,
                    new: Some("4".into()),
                    old_not_kept: false,
                },
            ]
        );
        assert_eq!(merged(&old, &new)["gone"], "x");
    }
}
