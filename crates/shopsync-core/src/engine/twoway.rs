//! Two-way sync of one pair of records: side A (the source, e.g. a shop) and side B (the
//! target, e.g. a marketing list), compared field by field against what was last synced.
//!
//! Both sides are mapped by their connectors into one field namespace (`Fields`). A link
//! ([`crate::state::PairLink`]) remembers the values both sides held after the last sync, so:
//! - a field that differs from the link on one side only changed there, and flows to the other
//!   side (if the field may flow that way);
//! - a field changed on both sides to different values is a conflict, settled by the field's
//!   [`Policy`] and shown in the plan;
//! - our own writes come back as values equal to the link's, so they are never sent back (no
//!   echoes);
//! - a value that became empty on one side does not clear the other side.
//!
//! One field, the *presence* field, says whether the record takes part on side B at all (a
//! consent, a membership): `"1"` or `"0"`. A records with presence `"1"` and no B record get one
//! created; B records whose presence went to `"0"` (or that are gone) pass the `"0"` back to A;
//! A's presence going to `"0"` removes the B record; a B record with presence `"0"` is never
//! updated (only a new one created when A's presence turns `"1"` again).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::state::{Fields, PairLink};

/// Who wins a field changed on both sides since the last sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Side A's value is kept and written to B.
    AWins,
    /// Side B's value is kept and written to A.
    BWins,
    /// The side whose record was updated last wins; A when that cannot be told.
    NewestWins,
}

/// Which fields flow which way, and how conflicts are settled.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Fields written from A to B.
    pub a_to_b: BTreeSet<String>,
    /// Fields written from B back to A (empty: one-way).
    pub b_to_a: BTreeSet<String>,
    /// Per-field policy; fields not named use `default_policy`.
    pub policies: BTreeMap<String, Policy>,
    pub default_policy: Option<Policy>,
    /// The presence field (see the module docs).
    pub presence: String,
}

impl Rules {
    fn policy(&self, field: &str) -> Policy {
        self.policies
            .get(field)
            .copied()
            .or(self.default_policy)
            .unwrap_or(Policy::AWins)
    }

    fn two_way(&self, field: &str) -> bool {
        self.a_to_b.contains(field) && self.b_to_a.contains(field)
    }
}

/// One side's record as its connector maps it.
#[derive(Debug, Clone, PartialEq)]
pub struct SideRecord {
    pub id: String,
    /// A name a person recognises (an e-mail).
    pub label: String,
    pub fields: Fields,
    /// When the record last changed (RFC 3339 or `YYYY-MM-DD HH:MM:SS`, compared as text).
    pub updated_at: Option<String>,
}

impl SideRecord {
    fn present(&self, presence: &str) -> bool {
        self.fields.get(presence).map(String::as_str) == Some("1")
    }
}

/// A field both sides changed to different values, and how it was settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub field: String,
    pub last_synced: Option<String>,
    pub a: Option<String>,
    pub b: Option<String>,
    pub policy: Policy,
    /// `a` or `b`.
    pub winner: &'static str,
}

/// What one side gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum SideOp {
    None,
    Create {
        fields: Fields,
    },
    Update {
        fields: Fields,
    },
    /// The record leaves side B (A's presence went to "0").
    Remove,
}

impl SideOp {
    pub fn is_none(&self) -> bool {
        matches!(self, SideOp::None)
    }
}

/// The plan for one pair.
#[derive(Debug, Clone, Serialize)]
pub struct PairPlan {
    pub entity: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b_id: Option<String>,
    pub to_a: SideOp,
    pub to_b: SideOp,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
    /// Why something that would have been written is not (e.g. B cannot be updated).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
    /// The values both sides hold once the plan is applied: the next link.
    #[serde(skip)]
    pub synced: Fields,
}

impl PairPlan {
    pub fn has_changes(&self) -> bool {
        !self.to_a.is_none() || !self.to_b.is_none()
    }
}

/// A stable fingerprint of a side's fields (FNV-1a over `name=value` lines), to tell quickly that
/// nothing changed since the link was written.
pub fn fingerprint(fields: &Fields) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for (k, v) in fields {
        for b in k.bytes().chain([b'=']).chain(v.bytes()).chain([b'\n']) {
            h ^= b as u64;
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// Decides what to write to each side for one pair. `a` or `b` is `None` when that side has no
/// record (not yet created, or gone).
pub fn reconcile(
    entity: &str,
    a: Option<&SideRecord>,
    b: Option<&SideRecord>,
    link: Option<&PairLink>,
    rules: &Rules,
) -> PairPlan {
    let label = a
        .map(|r| r.label.clone())
        .or_else(|| b.map(|r| r.label.clone()))
        .unwrap_or_default();
    let mut plan = PairPlan {
        entity: entity.to_string(),
        label,
        a_id: a.map(|r| r.id.clone()),
        b_id: b.map(|r| r.id.clone()),
        to_a: SideOp::None,
        to_b: SideOp::None,
        conflicts: Vec::new(),
        skipped: Vec::new(),
        synced: link.map(|l| l.fields.clone()).unwrap_or_default(),
    };
    let p = rules.presence.as_str();
    let empty = Fields::new();
    let last = link.map(|l| &l.fields).unwrap_or(&empty);
    // Unchanged on both sides since the last sync: nothing to do.
    if let (Some(a), Some(b), Some(l)) = (a, b, link) {
        if fingerprint(&a.fields) == l.a_fingerprint && fingerprint(&b.fields) == l.b_fingerprint {
            return plan;
        }
    }
    let b_present = b.is_some_and(|r| r.present(p));
    let a_present = a.is_some_and(|r| r.present(p));
    let mut to_a = Fields::new();
    let mut to_b = Fields::new();

    match (a, b) {
        (None, None) => return plan,
        // Only in A: created in B when A's record takes part. A linked B record that is gone
        // without a word (a bulk delete on side B) comes back when A's record next changes; a
        // removal side B reports comes as a B record with presence "0" instead.
        (Some(a), None) => {
            let changed = link.is_none_or(|l| fingerprint(&a.fields) != l.a_fingerprint);
            if a_present && changed {
                let fields = pick(&a.fields, &rules.a_to_b);
                plan.synced = fields.clone();
                plan.to_b = SideOp::Create { fields };
            }
        }
        // Only in B: a new B record becomes an A record when fields flow back.
        (None, Some(b)) => {
            if b_present && !rules.b_to_a.is_empty() && link.is_none() {
                let fields = pick(&b.fields, &rules.b_to_a);
                plan.synced = fields.clone();
                plan.to_a = SideOp::Create { fields };
            }
        }
        (Some(a), Some(b)) => {
            let fields: BTreeSet<&String> =
                rules.a_to_b.iter().chain(rules.b_to_a.iter()).collect();
            for f in fields {
                let (av, bv, lv) = (a.fields.get(f), b.fields.get(f), last.get(f));
                if av == bv {
                    if let Some(v) = av {
                        plan.synced.insert(f.clone(), v.clone());
                    }
                    continue;
                }
                let a_changed = link.is_some() && av.is_some() && av != lv;
                let b_changed = link.is_some() && bv.is_some() && bv != lv;
                let winner = if f == p && link.is_none() {
                    // A first pairing never withdraws a consent either side holds.
                    if av.map(String::as_str) == Some("1") {
                        Some('a')
                    } else {
                        Some('b')
                    }
                } else if rules.two_way(f) {
                    match (a_changed, b_changed) {
                        (true, false) => Some('a'),
                        (false, true) => Some('b'),
                        (true, true) => {
                            let policy = rules.policy(f);
                            let w = match policy {
                                Policy::AWins => 'a',
                                Policy::BWins => 'b',
                                Policy::NewestWins => {
                                    if b.updated_at > a.updated_at {
                                        'b'
                                    } else {
                                        'a'
                                    }
                                }
                            };
                            plan.conflicts.push(Conflict {
                                field: f.clone(),
                                last_synced: lv.cloned(),
                                a: av.cloned(),
                                b: bv.cloned(),
                                policy,
                                winner: if w == 'a' { "a" } else { "b" },
                            });
                            Some(w)
                        }
                        // Never synced (a first pairing) or unchanged on both sides but different:
                        // A's value where it has one, else B's.
                        (false, false) => {
                            if av.is_some() {
                                Some('a')
                            } else {
                                Some('b')
                            }
                        }
                    }
                } else if rules.a_to_b.contains(f) {
                    av.is_some().then_some('a')
                } else {
                    // Flows back only: B's value where it changed or A has none.
                    (bv.is_some() && (b_changed || av.is_none() || link.is_none())).then_some('b')
                };
                match winner {
                    Some('a') if av.is_some() => {
                        to_b.insert(f.clone(), av.unwrap().clone());
                        plan.synced.insert(f.clone(), av.unwrap().clone());
                    }
                    Some('b') if bv.is_some() && rules.b_to_a.contains(f) => {
                        to_a.insert(f.clone(), bv.unwrap().clone());
                        plan.synced.insert(f.clone(), bv.unwrap().clone());
                    }
                    _ => {
                        if let Some(v) = lv.or(av) {
                            plan.synced.insert(f.clone(), v.clone());
                        }
                    }
                }
            }
            // Presence: B's record left (unsubscribed) or A's consent changed.
            if let Some(v) = to_b.remove(p) {
                if v == "1" && !b_present {
                    // A's consent is back: a new B record (updating the old one is refused).
                    let fields = pick(&a.fields, &rules.a_to_b);
                    plan.synced = fields.clone();
                    plan.to_b = SideOp::Create { fields };
                    plan.b_id = None;
                    to_b.clear();
                } else if v == "0" && b_present {
                    plan.to_b = SideOp::Remove;
                    to_b.clear();
                }
            }
            if !b_present && !to_b.is_empty() && matches!(plan.to_b, SideOp::None) {
                plan.skipped.push(format!(
                    "{} field(s) not written to side B: its record is inactive there and an update would re-activate it",
                    to_b.len()
                ));
                to_b.clear();
            }
            if !a_present && !b_present && to_a.keys().any(|k| k != p) {
                // Neither side takes part: nothing else flows back.
                to_a.retain(|k, _| k == p);
            }
        }
    }
    if !to_a.is_empty() {
        plan.to_a = SideOp::Update { fields: to_a };
    }
    if !to_b.is_empty() && matches!(plan.to_b, SideOp::None) {
        plan.to_b = SideOp::Update { fields: to_b };
    }
    plan
}

fn pick(fields: &Fields, names: &BTreeSet<String>) -> Fields {
    fields
        .iter()
        .filter(|(k, _)| names.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
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

    fn rules(policy: Policy) -> Rules {
        Rules {
            a_to_b: ["email", "first_name", "city", "total_orders", "permission"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            b_to_a: ["email", "first_name", "city", "permission"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            policies: BTreeMap::new(),
            default_policy: Some(policy),
            presence: "permission".into(),
        }
    }

    fn rec(id: &str, fields: Fields, at: &str) -> SideRecord {
        SideRecord {
            id: id.into(),
            label: "x@y.dk".into(),
            fields,
            updated_at: Some(at.into()),
        }
    }

    fn link(fields: Fields) -> PairLink {
        PairLink {
            entity: "l".into(),
            a_id: "1".into(),
            b_id: "m".into(),
            a_fingerprint: String::new(),
            b_fingerprint: String::new(),
            fields,
        }
    }

    const BASE: &[(&str, &str)] = &[
        ("email", "x@y.dk"),
        ("first_name", "Ann"),
        ("city", "Aarhus"),
        ("total_orders", "1"),
        ("permission", "1"),
    ];

    #[test]
    fn a_change_flows_to_b_and_b_change_flows_to_a() {
        let l = link(f(BASE));
        let mut a = f(BASE);
        a.insert("first_name".into(), "Anna".into());
        let mut b = f(BASE);
        b.insert("city".into(), "Odense".into());
        let plan = reconcile(
            "l",
            Some(&rec("1", a, "1")),
            Some(&rec("m", b, "2")),
            Some(&l),
            &rules(Policy::AWins),
        );
        assert_eq!(
            plan.to_b,
            SideOp::Update {
                fields: f(&[("first_name", "Anna")])
            }
        );
        assert_eq!(
            plan.to_a,
            SideOp::Update {
                fields: f(&[("city", "Odense")])
            }
        );
        assert!(plan.conflicts.is_empty());
        assert_eq!(plan.synced["first_name"], "Anna");
        assert_eq!(plan.synced["city"], "Odense");
    }

    #[test]
    fn our_own_write_is_no_change() {
        let l = link(f(BASE));
        let plan = reconcile(
            "l",
            Some(&rec("1", f(BASE), "1")),
            Some(&rec("m", f(BASE), "2")),
            Some(&l),
            &rules(Policy::AWins),
        );
        assert!(!plan.has_changes());
    }

    #[test]
    fn conflicts_follow_the_policy() {
        let l = link(f(BASE));
        let mut a = f(BASE);
        a.insert("city".into(), "Vejle".into());
        let mut b = f(BASE);
        b.insert("city".into(), "Odense".into());
        for (policy, a_at, b_at, winner) in [
            (Policy::AWins, "1", "2", "a"),
            (Policy::BWins, "2", "1", "b"),
            (
                Policy::NewestWins,
                "2026-01-01 10:00:00",
                "2026-01-02 10:00:00",
                "b",
            ),
            (
                Policy::NewestWins,
                "2026-01-03 10:00:00",
                "2026-01-02 10:00:00",
                "a",
            ),
        ] {
            let plan = reconcile(
                "l",
                Some(&rec("1", a.clone(), a_at)),
                Some(&rec("m", b.clone(), b_at)),
                Some(&l),
                &rules(policy),
            );
            assert_eq!(plan.conflicts.len(), 1);
            assert_eq!(plan.conflicts[0].winner, winner);
            if winner == "a" {
                assert_eq!(
                    plan.to_b,
                    SideOp::Update {
                        fields: f(&[("city", "Vejle")])
                    }
                );
                assert!(plan.to_a.is_none());
            } else {
                assert_eq!(
                    plan.to_a,
                    SideOp::Update {
                        fields: f(&[("city", "Odense")])
                    }
                );
                assert!(plan.to_b.is_none());
            }
        }
    }

    #[test]
    fn unsubscribe_flows_back_and_inactive_b_is_never_updated() {
        let l = link(f(BASE));
        let mut a = f(BASE);
        a.insert("first_name".into(), "Anna".into());
        let mut b = f(BASE);
        b.insert("permission".into(), "0".into());
        let plan = reconcile(
            "l",
            Some(&rec("1", a, "1")),
            Some(&rec("m", b, "2")),
            Some(&l),
            &rules(Policy::AWins),
        );
        assert_eq!(
            plan.to_a,
            SideOp::Update {
                fields: f(&[("permission", "0")])
            }
        );
        assert!(plan.to_b.is_none());
        assert_eq!(plan.skipped.len(), 1);
    }

    #[test]
    fn a_gone_from_b_loses_presence_and_new_b_becomes_a() {
        let l = link(f(BASE));
        // Removed in B with a word (a record with presence "0"): the consent flows back.
        let gone = rec("m", f(&[("permission", "0")]), "2");
        let plan = reconcile(
            "l",
            Some(&rec("1", f(BASE), "1")),
            Some(&gone),
            Some(&l),
            &rules(Policy::AWins),
        );
        assert_eq!(
            plan.to_a,
            SideOp::Update {
                fields: f(&[("permission", "0")])
            }
        );
        // Gone without a word (bulk delete): nothing until A changes, then it comes back.
        let mut l = link(f(BASE));
        l.a_fingerprint = fingerprint(&f(BASE));
        let plan = reconcile(
            "l",
            Some(&rec("1", f(BASE), "1")),
            None,
            Some(&l),
            &rules(Policy::AWins),
        );
        assert!(!plan.has_changes());
        let mut a = f(BASE);
        a.insert("total_orders".into(), "2".into());
        let plan = reconcile(
            "l",
            Some(&rec("1", a, "1")),
            None,
            Some(&l),
            &rules(Policy::AWins),
        );
        assert!(matches!(plan.to_b, SideOp::Create { .. }));
        let plan = reconcile(
            "l",
            None,
            Some(&rec("m", f(BASE), "1")),
            None,
            &rules(Policy::AWins),
        );
        assert!(matches!(plan.to_a, SideOp::Create { .. }));
        let mut one_way = rules(Policy::AWins);
        one_way.b_to_a.clear();
        let plan = reconcile("l", None, Some(&rec("m", f(BASE), "1")), None, &one_way);
        assert!(!plan.has_changes());
    }

    #[test]
    fn a_first_pairing_keeps_the_consent_of_either_side() {
        let mut a = f(BASE);
        a.insert("permission".into(), "0".into());
        let plan = reconcile(
            "l",
            Some(&rec("1", a, "1")),
            Some(&rec("m", f(BASE), "1")),
            None,
            &rules(Policy::AWins),
        );
        assert_eq!(
            plan.to_a,
            SideOp::Update {
                fields: f(&[("permission", "1")])
            }
        );
        assert!(plan.to_b.is_none());
    }

    #[test]
    fn a_without_consent_is_not_created_and_consent_removed_removes_b() {
        let mut a = f(BASE);
        a.insert("permission".into(), "0".into());
        let plan = reconcile(
            "l",
            Some(&rec("1", a.clone(), "1")),
            None,
            None,
            &rules(Policy::AWins),
        );
        assert!(!plan.has_changes());
        let l = link(f(BASE));
        let plan = reconcile(
            "l",
            Some(&rec("1", a, "1")),
            Some(&rec("m", f(BASE), "1")),
            Some(&l),
            &rules(Policy::AWins),
        );
        assert_eq!(plan.to_b, SideOp::Remove);
    }
}
