//! What each GraphQL document really costs, as Shopify reported it in `extensions.cost`.
//!
//! Shopify takes a query's `requestedQueryCost` from the bucket when the request arrives and
//! refunds the difference to its `actualQueryCost` when it is answered. The requested cost decides
//! whether a request may be sent now; the actual cost decides how fast the bucket drains, so how
//! long a read by pages takes. Both are remembered per document (and per record for the page
//! documents), kept in the state store between runs, so even a process's first request of a
//! document is paced by its real cost.

use std::collections::HashMap;

use crate::state::StoredQueryCost;

/// The costs of one document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocumentCost {
    /// The requested cost of its last request.
    pub requested: f64,
    /// The actual cost of its last request (the requested cost when Shopify did not say).
    pub actual: f64,
    /// For a page document: the requested and actual cost of one record of a page.
    pub per_record: Option<RecordCost>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordCost {
    pub requested: f64,
    pub actual: f64,
}

/// The cost of one answered request, from its `extensions.cost`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    pub requested: f64,
    pub actual: Option<f64>,
}

/// A page connection's own cost, beside its nodes: the connection (2) and `pageInfo` (1).
pub const PAGE_OVERHEAD: f64 = 3.0;

/// The most a single query may request (Shopify refuses more with MAX_COST_EXCEEDED).
pub const MAX_SINGLE_QUERY_COST: f64 = 1000.0;

/// Costs by document name.
#[derive(Debug, Default, Clone)]
pub struct CostBook {
    by_document: HashMap<String, DocumentCost>,
}

impl CostBook {
    pub fn get(&self, document: &str) -> Option<DocumentCost> {
        self.by_document.get(document).copied()
    }

    /// Records an answer's cost (a THROTTLED answer has no actual cost: the last one stays).
    pub fn observe(&mut self, document: &str, cost: Cost) {
        let entry = self
            .by_document
            .entry(document.to_string())
            .or_insert(DocumentCost {
                requested: cost.requested,
                actual: cost.requested,
                per_record: None,
            });
        entry.requested = cost.requested;
        if let Some(actual) = cost.actual {
            entry.actual = actual;
        }
    }

    /// Records what one record of a page cost: the requested cost is per record asked for
    /// (`first`), the actual cost per record returned (a page of none tells nothing of it).
    pub fn observe_page(&mut self, document: &str, cost: Cost, first: u64, records: usize) {
        let Some(actual) = cost.actual else { return };
        if records == 0 || first == 0 {
            return;
        }
        let per_record = RecordCost {
            requested: ((cost.requested - PAGE_OVERHEAD) / first as f64).max(1.0),
            actual: ((actual - PAGE_OVERHEAD) / records as f64).max(1.0),
        };
        self.observe(document, cost);
        if let Some(entry) = self.by_document.get_mut(document) {
            entry.per_record = Some(per_record);
        }
    }

    /// Every remembered cost, for the state store.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &DocumentCost)> {
        self.by_document.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Costs remembered by an earlier run; what this run has seen already wins.
    pub fn preload(&mut self, entries: impl IntoIterator<Item = (String, DocumentCost)>) {
        for (document, cost) in entries {
            self.by_document.entry(document).or_insert(cost);
        }
    }
}

/// A cost as the state store keeps it.
pub fn to_stored(document: &str, cost: &DocumentCost) -> StoredQueryCost {
    StoredQueryCost {
        document: document.to_string(),
        requested: cost.requested,
        actual: cost.actual,
        per_record: cost.per_record.map(|r| (r.requested, r.actual)),
    }
}

/// A cost the state store kept.
pub fn from_stored(stored: StoredQueryCost) -> (String, DocumentCost) {
    let cost = DocumentCost {
        requested: stored.requested,
        actual: stored.actual,
        per_record: stored
            .per_record
            .map(|(requested, actual)| RecordCost { requested, actual }),
    };
    (stored.document, cost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_tells_the_cost_of_one_record() {
        let mut book = CostBook::default();
        book.observe_page(
            "OrdersPage",
            Cost {
                requested: 923.0,
                actual: Some(195.0),
            },
            8,
            8,
        );
        let cost = book.get("OrdersPage").unwrap();
        assert_eq!(cost.requested, 923.0);
        assert_eq!(cost.actual, 195.0);
        assert_eq!(
            cost.per_record,
            Some(RecordCost {
                requested: 115.0,
                actual: 24.0
            })
        );
        // An empty page changes nothing; what the run saw beats what the store remembered.
        book.observe_page(
            "OrdersPage",
            Cost {
                requested: 3.0,
                actual: Some(3.0),
            },
            8,
            0,
        );
        book.preload([(
            "OrdersPage".to_string(),
            DocumentCost {
                requested: 1.0,
                actual: 1.0,
                per_record: None,
            },
        )]);
        assert_eq!(book.get("OrdersPage").unwrap().requested, 923.0);
    }
}
