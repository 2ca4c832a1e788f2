//! Which read position of a stream may be saved: the latest one all of whose records before it
//! are checkpointed (written, failed and queued for retry, unchanged, or skipped).
//!
//! Records are numbered as they arrive. Those queued for the target stay open until their
//! batch is checkpointed; a position that arrived after record N may be saved once no record
//! numbered below N is open or still waiting to be classified.

use std::collections::{BTreeSet, HashMap, VecDeque};

#[derive(Default)]
pub(super) struct ReadProgress {
    next: u64,
    /// Records received but not yet classified, in order.
    unclassified: VecDeque<(String, u64)>,
    /// Numbers of the records queued for the target.
    open: BTreeSet<u64>,
    /// The open numbers of each source id, oldest first.
    by_id: HashMap<String, VecDeque<u64>>,
    /// Positions not saved yet: (records before it, position).
    marks: VecDeque<(u64, String)>,
}

impl ReadProgress {
    pub fn received(&mut self, source_id: &str) {
        self.unclassified
            .push_back((source_id.to_string(), self.next));
        self.next += 1;
    }

    pub fn position(&mut self, position: String) {
        self.marks.push_back((self.next, position));
    }

    /// Whether a copy of this record is queued for the target or being written: another copy
    /// must not race it.
    pub fn is_open(&self, source_id: &str) -> bool {
        self.by_id.contains_key(source_id)
    }

    /// The records received so far were classified; those of `queued` went to the target (the
    /// latest copy of each, when one came twice), the others are done.
    pub fn classified<'a>(&mut self, queued: impl IntoIterator<Item = &'a str>) {
        let queued: std::collections::HashSet<&str> = queued.into_iter().collect();
        let mut latest: HashMap<String, u64> = HashMap::new();
        for (id, n) in self.unclassified.drain(..) {
            if queued.contains(id.as_str()) {
                latest.insert(id, n);
            }
        }
        for (id, n) in latest {
            self.open.insert(n);
            self.by_id.entry(id).or_default().push_back(n);
        }
    }

    /// These queued records are checkpointed.
    pub fn finished<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        for id in ids {
            if let Some(numbers) = self.by_id.get_mut(id) {
                if let Some(n) = numbers.pop_front() {
                    self.open.remove(&n);
                }
                if numbers.is_empty() {
                    self.by_id.remove(id);
                }
            }
        }
    }

    /// The latest position that may be saved now, if a new one may.
    pub fn savable(&mut self) -> Option<String> {
        let first_pending = [
            self.open.first().copied(),
            self.unclassified.front().map(|(_, n)| *n),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(self.next);
        let mut out = None;
        while self
            .marks
            .front()
            .is_some_and(|(before, _)| *before <= first_pending)
        {
            out = self.marks.pop_front().map(|(_, p)| p);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_waits_for_every_record_before_it() {
        let mut p = ReadProgress::default();
        p.received("a");
        p.received("b");
        p.position("after b".into());
        p.received("c");
        p.position("after c".into());
        assert_eq!(p.savable(), None, "nothing classified yet");
        p.classified(["a", "c"]); // b unchanged
        assert_eq!(p.savable(), None, "a is in flight");
        p.finished(["c"]);
        assert_eq!(p.savable(), None, "a is still in flight");
        p.finished(["a"]);
        assert_eq!(p.savable().as_deref(), Some("after c"));
        assert_eq!(p.savable(), None);
    }

    #[test]
    fn a_record_read_twice_is_done_when_its_last_copy_is() {
        let mut p = ReadProgress::default();
        p.received("a");
        p.received("a");
        p.position("after both".into());
        p.classified(["a"]);
        assert_eq!(p.savable(), None);
        p.finished(["a"]);
        assert_eq!(p.savable().as_deref(), Some("after both"));
    }
}
