//! The shop's data: seeded records generated on demand from `(seed, index)`, plus an overlay of
//! every change made since (updates, creations, deletions), plus indexes for the sort keys.
//!
//! Memory: a store of a million customers holds two small vectors per seeded customer (order
//! counts) until someone sorts by `updatedAt`, which builds a sorted key vector once.

use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::OnceLock;

use serde_json::{json, Value};

use super::search::{self, FieldFn, Query};
use crate::seed::{self, gid, iso, parse_gid, Seeder, CHILD_SLOTS};

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Kind {
    Customer,
    Product,
    Order,
    Checkout,
}

pub const KINDS: [Kind; 4] = [Kind::Customer, Kind::Product, Kind::Order, Kind::Checkout];

impl Kind {
    pub fn typename(self) -> &'static str {
        match self {
            Kind::Customer => "Customer",
            Kind::Product => "Product",
            Kind::Order => "Order",
            Kind::Checkout => "AbandonedCheckout",
        }
    }
    pub fn id_base(self) -> u64 {
        match self {
            Kind::Customer => seed::CUSTOMER_BASE,
            Kind::Product => seed::PRODUCT_BASE,
            Kind::Order => seed::ORDER_BASE,
            Kind::Checkout => seed::CHECKOUT_BASE,
        }
    }
    pub fn fields(self) -> FieldFn {
        match self {
            Kind::Customer => search::customer_fields,
            Kind::Product => search::product_fields,
            Kind::Order => search::order_fields,
            Kind::Checkout => search::checkout_fields,
        }
    }
    pub fn from_typename(t: &str) -> Option<Kind> {
        KINDS.into_iter().find(|k| k.typename() == t)
    }
}

/// A sort order over a big collection whose key is a timestamp or the id.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FastSort {
    Id = 0,
    Created = 1,
    Updated = 2,
    Processed = 3,
}

/// How a connection is sorted.
#[derive(Clone, Copy, Debug)]
pub enum Sort {
    Fast(FastSort),
    /// Any other key: the records are sorted by this string, slowly.
    Text(fn(&Value) -> String),
}

/// One page of a connection: items with their cursors, and the page info.
#[derive(Debug, Default, Clone)]
pub struct Page {
    pub items: Vec<(String, Value)>,
    pub has_next: bool,
    pub has_prev: bool,
}

#[derive(Debug, Clone)]
pub struct PageArgs {
    pub first: Option<usize>,
    pub last: Option<usize>,
    pub after: Option<String>,
    pub before: Option<String>,
    pub reverse: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CursorErr;

// ---------------------------------------------------------------------------------------------
// Cursors: base64 of {"last_id": .., "last_value": ..}, like Shopify's opaque cursors.

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

pub fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

pub fn encode_cursor(id: u64, value: &Value) -> String {
    b64_encode(
        json!({"last_id": id, "last_value": value})
            .to_string()
            .as_bytes(),
    )
}

pub fn decode_cursor(c: &str) -> Result<(u64, Value), CursorErr> {
    let bytes = b64_decode(c).ok_or(CursorErr)?;
    let v: Value = serde_json::from_slice(&bytes).map_err(|_| CursorErr)?;
    let id = v.get("last_id").and_then(|x| x.as_u64()).ok_or(CursorErr)?;
    Ok((id, v.get("last_value").cloned().unwrap_or(Value::Null)))
}

fn cursor_key(c: &str) -> Result<(i64, u64), CursorErr> {
    let (id, v) = decode_cursor(c)?;
    let k = match &v {
        Value::Number(n) => n.as_i64().ok_or(CursorErr)?,
        Value::String(s) => s.parse().map_err(|_| CursorErr)?,
        _ => return Err(CursorErr),
    };
    Ok((k, id))
}

// ---------------------------------------------------------------------------------------------

pub struct Collection {
    pub kind: Kind,
    pub base_len: usize,
    /// Changed or created records by id; `None` = deleted.
    overlay: HashMap<u64, Option<Value>>,
    next_index: usize,
    /// Live overlay records per fast sort key.
    sets: [BTreeSet<(i64, u64)>; 4],
    /// Seeded records sorted by (updatedAt, id): built on first use.
    updated_idx: OnceLock<Vec<(i64, u64)>>,
    deleted_base: usize,
    created_live: usize,
}

impl Collection {
    fn new(kind: Kind, base_len: usize) -> Collection {
        Collection {
            kind,
            base_len,
            overlay: HashMap::new(),
            next_index: base_len,
            sets: Default::default(),
            updated_idx: OnceLock::new(),
            deleted_base: 0,
            created_live: 0,
        }
    }

    pub fn live_len(&self) -> usize {
        self.base_len - self.deleted_base + self.created_live
    }

    fn index_of(&self, id: u64) -> Option<usize> {
        let b = self.kind.id_base();
        (id >= b && id < b + self.next_index as u64).then(|| (id - b) as usize)
    }
}

fn time_of(v: &Value, field: &str) -> i64 {
    v.get(field)
        .and_then(|x| x.as_str())
        .and_then(seed::parse_time)
        .unwrap_or(0)
}

fn fast_key(sort: FastSort, id: u64, v: &Value) -> i64 {
    match sort {
        FastSort::Id => id as i64,
        FastSort::Created => time_of(v, "createdAt"),
        FastSort::Updated => time_of(v, "updatedAt"),
        FastSort::Processed => {
            if v.get("processedAt").is_some() {
                time_of(v, "processedAt")
            } else {
                time_of(v, "createdAt")
            }
        }
    }
}

/// The wall clock as Shopify shows it.
pub fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

pub struct Store {
    pub seeder: Seeder,
    pub customers: Collection,
    pub products: Collection,
    pub orders: Collection,
    pub checkouts: Collection,
    /// Orders per seeded customer, and the newest one's index + 1.
    order_counts: Vec<u32>,
    last_order: Vec<u32>,
    order_count_delta: HashMap<u64, i64>,
    pub events: Vec<Value>,
    next_event: u64,
    pub locations: Vec<Value>,
    pub shop: Value,
    /// Objects created by mutations that have no collection of their own, by gid.
    pub extra: HashMap<String, Value>,
    /// Created variants, items and media, and stock levels (see `catalogue`).
    pub catalogue: super::catalogue::CatalogueState,
    /// Which products are on which sales channel (see `publications`).
    pub publications: super::publications::PublicationState,
}

impl Store {
    pub fn new(seeder: Seeder) -> Store {
        let cfg = seeder.cfg.clone();
        let mut order_counts = vec![0u32; cfg.customers];
        let mut last_order = vec![0u32; cfg.customers];
        for i in 0..cfg.orders {
            if let Some(c) = seeder.order_customer(i) {
                order_counts[c] += 1;
                last_order[c] = i as u32 + 1;
            }
        }
        Store {
            customers: Collection::new(Kind::Customer, cfg.customers),
            products: Collection::new(Kind::Product, cfg.products),
            orders: Collection::new(Kind::Order, cfg.orders),
            checkouts: Collection::new(Kind::Checkout, cfg.abandoned_checkouts),
            order_counts,
            last_order,
            order_count_delta: HashMap::new(),
            events: Vec::new(),
            next_event: 98_760_000_000,
            locations: seeder.locations(),
            shop: seeder.shop(),
            extra: HashMap::new(),
            catalogue: Default::default(),
            publications: Default::default(),
            seeder,
        }
    }

    pub fn coll(&self, kind: Kind) -> &Collection {
        match kind {
            Kind::Customer => &self.customers,
            Kind::Product => &self.products,
            Kind::Order => &self.orders,
            Kind::Checkout => &self.checkouts,
        }
    }

    fn coll_mut(&mut self, kind: Kind) -> &mut Collection {
        match kind {
            Kind::Customer => &mut self.customers,
            Kind::Product => &mut self.products,
            Kind::Order => &mut self.orders,
            Kind::Checkout => &mut self.checkouts,
        }
    }

    fn base_customer(&self, i: usize) -> Value {
        let last = self.last_order[i];
        self.seeder.customer(
            i,
            self.order_counts[i] as u64,
            (last > 0).then(|| self.seeder.order_id(last as usize - 1)),
        )
    }

    /// A seeded record as generated, before any change.
    fn base_record(&self, kind: Kind, i: usize) -> Value {
        match kind {
            Kind::Customer => self.base_customer(i),
            Kind::Product => self.seeder.product(i),
            Kind::Order => {
                let c = self
                    .seeder
                    .order_customer(i)
                    .map(|c| self.seeder.customer(c, 0, None));
                self.seeder.order(i, c.as_ref())
            }
            Kind::Checkout => {
                let c = self
                    .seeder
                    .checkout_customer(i)
                    .map(|c| self.seeder.customer(c, 0, None));
                self.seeder.checkout(i, c.as_ref())
            }
        }
    }

    fn base_key(&self, kind: Kind, sort: FastSort, i: usize) -> i64 {
        let s = &self.seeder;
        match (kind, sort) {
            (_, FastSort::Id) => (kind.id_base() + i as u64) as i64,
            (Kind::Customer, FastSort::Created | FastSort::Processed) => s.customer_created(i),
            (Kind::Customer, FastSort::Updated) => s.customer_updated(i),
            (Kind::Product, FastSort::Created | FastSort::Processed) => s.product_created(i),
            (Kind::Product, FastSort::Updated) => s.product_updated(i),
            (Kind::Order, FastSort::Created | FastSort::Processed) => s.order_created(i),
            (Kind::Order, FastSort::Updated) => s.order_status(i).updated,
            (Kind::Checkout, FastSort::Created | FastSort::Processed) => s.checkout_created(i),
            (Kind::Checkout, FastSort::Updated) => s.checkout_times(i).1,
        }
    }

    fn updated_index(&self, kind: Kind) -> &[(i64, u64)] {
        let c = self.coll(kind);
        c.updated_idx.get_or_init(|| {
            let mut v: Vec<(i64, u64)> = (0..c.base_len)
                .map(|i| {
                    (
                        self.base_key(kind, FastSort::Updated, i),
                        kind.id_base() + i as u64,
                    )
                })
                .collect();
            v.sort_unstable();
            v
        })
    }

    /// The record as the API returns it (with `__ref`/`__conn` markers), or None.
    pub fn get(&self, kind: Kind, id: u64) -> Option<Value> {
        let c = self.coll(kind);
        let mut v = match c.overlay.get(&id) {
            Some(Some(v)) => v.clone(),
            Some(None) => return None,
            None => {
                let i = c.index_of(id)?;
                if i >= c.base_len {
                    return None;
                }
                self.base_record(kind, i)
            }
        };
        if kind == Kind::Customer {
            let n = self.customer_order_count(id);
            v["numberOfOrders"] = json!(n.to_string());
            v["canDelete"] = json!(n == 0);
        }
        Some(v)
    }

    pub fn customer_order_count(&self, id: u64) -> u64 {
        let base = self
            .customers
            .index_of(id)
            .filter(|i| *i < self.customers.base_len)
            .map(|i| self.order_counts[i] as i64)
            .unwrap_or(0);
        (base + self.order_count_delta.get(&id).copied().unwrap_or(0)).max(0) as u64
    }

    pub fn exists(&self, kind: Kind, id: u64) -> bool {
        let c = self.coll(kind);
        match c.overlay.get(&id) {
            Some(v) => v.is_some(),
            None => c.index_of(id).is_some_and(|i| i < c.base_len),
        }
    }

    /// Replaces (or creates) a record in the overlay, keeping the sort indexes right.
    pub fn put(&mut self, kind: Kind, id: u64, v: Value) {
        self.remove_keys(kind, id);
        let keys: Vec<i64> = [
            FastSort::Id,
            FastSort::Created,
            FastSort::Updated,
            FastSort::Processed,
        ]
        .iter()
        .map(|s| fast_key(*s, id, &v))
        .collect();
        let c = self.coll_mut(kind);
        let was = c.overlay.get(&id).map(|x| x.is_some());
        let is_base = c.index_of(id).is_some_and(|i| i < c.base_len);
        match (was, is_base) {
            (None, false) => c.created_live += 1,
            (Some(false), true) => c.deleted_base -= 1,
            (Some(false), false) => c.created_live += 1,
            _ => {}
        }
        for (s, k) in keys.into_iter().enumerate() {
            c.sets[s].insert((k, id));
        }
        c.overlay.insert(id, Some(v));
    }

    fn remove_keys(&mut self, kind: Kind, id: u64) {
        let old = match self.coll(kind).overlay.get(&id) {
            Some(Some(v)) => Some(v.clone()),
            _ => None,
        };
        if let Some(old) = old {
            let c = self.coll_mut(kind);
            for s in [
                FastSort::Id,
                FastSort::Created,
                FastSort::Updated,
                FastSort::Processed,
            ] {
                c.sets[s as usize].remove(&(fast_key(s, id, &old), id));
            }
        }
    }

    /// Deletes a record. Returns the record as it was.
    pub fn delete(&mut self, kind: Kind, id: u64) -> Option<Value> {
        let old = self.get(kind, id)?;
        self.remove_keys(kind, id);
        let c = self.coll_mut(kind);
        let is_base = c.index_of(id).is_some_and(|i| i < c.base_len);
        if is_base {
            c.deleted_base += 1;
        } else {
            c.created_live -= 1;
        }
        c.overlay.insert(id, None);
        if kind == Kind::Order {
            if let Some(cid) = old
                .pointer("/customer/__ref")
                .and_then(|g| g.as_str())
                .and_then(parse_gid)
            {
                *self.order_count_delta.entry(cid.1).or_default() -= 1;
            }
        }
        Some(old)
    }

    /// Allocates the id of a new record of `kind`.
    pub fn next_id(&mut self, kind: Kind) -> (u64, usize) {
        let c = self.coll_mut(kind);
        let i = c.next_index;
        c.next_index += 1;
        (kind.id_base() + i as u64, i)
    }

    pub fn adjust_order_count(&mut self, customer_id: u64, delta: i64) {
        *self.order_count_delta.entry(customer_id).or_default() += delta;
    }

    pub fn record_event(
        &mut self,
        action: &str,
        subject_type: &str,
        subject_gid: &str,
        message: String,
    ) -> Value {
        self.next_event += 1;
        let ev = json!({
            "__typename": "BasicEvent",
            "id": gid("BasicEvent", self.next_event),
            "action": action,
            "subjectType": subject_type,
            "subjectId": subject_gid,
            "subject": Value::Null,
            "createdAt": iso(now_secs()),
            "message": message,
            "secondaryMessage": Value::Null,
            "appTitle": Value::Null,
            "attributeToApp": false,
            "attributeToUser": true,
            "criticalAlert": false,
            "author": "Sanne de Vries",
            "arguments": [],
            "additionalContent": Value::Null,
            "additionalData": Value::Null,
            "hasAdditionalContent": false,
        });
        self.events.push(ev.clone());
        ev
    }

    // ----- ordered scans -----------------------------------------------------------------------

    fn base_at(&self, kind: Kind, sort: FastSort, pos: usize) -> (i64, u64) {
        match sort {
            FastSort::Updated => self.updated_index(kind)[pos],
            _ => (self.base_key(kind, sort, pos), kind.id_base() + pos as u64),
        }
    }

    /// First base position whose key is > `k` (when `strict`) or >= `k`.
    fn base_bound(&self, kind: Kind, sort: FastSort, k: (i64, u64), strict: bool) -> usize {
        let n = self.coll(kind).base_len;
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let at = self.base_at(kind, sort, mid);
            let before = if strict { at <= k } else { at < k };
            if before {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Visits the live records of `kind` in (key, id) order: ascending from just after `from`,
    /// or descending from just before `from`. `visit` returns false to stop.
    pub fn scan(
        &self,
        kind: Kind,
        sort: FastSort,
        asc: bool,
        from: Option<(i64, u64)>,
        visit: &mut dyn FnMut((i64, u64)) -> bool,
    ) {
        let c = self.coll(kind);
        if sort == FastSort::Updated && c.base_len > 0 {
            let _ = self.updated_index(kind);
        }
        let set = &c.sets[sort as usize];
        let n = c.base_len;
        let skip = |id: u64| c.overlay.contains_key(&id);
        if asc {
            let mut pos = from
                .map(|k| self.base_bound(kind, sort, k, true))
                .unwrap_or(0);
            let mut it = match from {
                Some(k) => set.range((Bound::Excluded(k), Bound::Unbounded)),
                None => set.range(..),
            }
            .peekable();
            loop {
                while pos < n && skip(self.base_at(kind, sort, pos).1) {
                    pos += 1;
                }
                let a = (pos < n).then(|| self.base_at(kind, sort, pos));
                let b = it.peek().copied().copied();
                let next = match (a, b) {
                    (None, None) => return,
                    (Some(a), None) => {
                        pos += 1;
                        a
                    }
                    (None, Some(b)) => {
                        it.next();
                        b
                    }
                    (Some(a), Some(b)) => {
                        if a < b {
                            pos += 1;
                            a
                        } else {
                            it.next();
                            b
                        }
                    }
                };
                if !visit(next) {
                    return;
                }
            }
        } else {
            let mut pos = from
                .map(|k| self.base_bound(kind, sort, k, false))
                .unwrap_or(n);
            let mut it = match from {
                Some(k) => set.range((Bound::Unbounded, Bound::Excluded(k))),
                None => set.range(..),
            }
            .rev()
            .peekable();
            loop {
                while pos > 0 && skip(self.base_at(kind, sort, pos - 1).1) {
                    pos -= 1;
                }
                let a = (pos > 0).then(|| self.base_at(kind, sort, pos - 1));
                let b = it.peek().copied().copied();
                let next = match (a, b) {
                    (None, None) => return,
                    (Some(a), None) => {
                        pos -= 1;
                        a
                    }
                    (None, Some(b)) => {
                        it.next();
                        b
                    }
                    (Some(a), Some(b)) => {
                        if a > b {
                            pos -= 1;
                            a
                        } else {
                            it.next();
                            b
                        }
                    }
                };
                if !visit(next) {
                    return;
                }
            }
        }
    }

    /// One page of a big collection.
    pub fn page(
        &self,
        kind: Kind,
        sort: Sort,
        query: Option<&Query>,
        args: &PageArgs,
    ) -> Result<Page, CursorErr> {
        let sort = match sort {
            Sort::Fast(s) => s,
            Sort::Text(f) => return self.page_text(kind, f, query, args),
        };
        let fields = kind.fields();
        let q_all = Query::All;
        let q = query.unwrap_or(&q_all);
        // Narrow the scan with a range on the sort key's own field.
        let bounds = match sort {
            FastSort::Updated => search::time_bounds(q, "updated_at"),
            FastSort::Created => search::time_bounds(q, "created_at"),
            FastSort::Processed if kind == Kind::Order => search::time_bounds(q, "processed_at"),
            _ => (None, None),
        };
        let after = args.after.as_deref().map(cursor_key).transpose()?;
        let before = args.before.as_deref().map(cursor_key).transpose()?;
        // Connection order: ascending keys unless `reverse`.
        let forward_asc = !args.reverse;
        let in_bounds =
            |k: i64| bounds.0.is_none_or(|lo| k >= lo) && bounds.1.is_none_or(|hi| k <= hi);
        let lower_start = bounds.0.map(|lo| (lo - 1, u64::MAX));
        let upper_start = bounds.1.map(|hi| (hi + 1, 0));
        let clamp_asc = |from: Option<(i64, u64)>| match (from, lower_start) {
            (Some(f), Some(l)) => Some(f.max(l)),
            (f, l) => f.or(l),
        };
        let clamp_desc = |from: Option<(i64, u64)>| match (from, upper_start) {
            (Some(f), Some(u)) => Some(f.min(u)),
            (f, u) => f.or(u),
        };
        let collect =
            |asc: bool, from: Option<(i64, u64)>, stop: Option<(i64, u64)>, want: usize| {
                let mut out: Vec<((i64, u64), Value)> = Vec::new();
                let from = if asc {
                    clamp_asc(from)
                } else {
                    clamp_desc(from)
                };
                self.scan(kind, sort, asc, from, &mut |k| {
                    if let Some(s) = stop {
                        if (asc && k >= s) || (!asc && k <= s) {
                            return false;
                        }
                    }
                    if !in_bounds(k.0) {
                        // Past the range in scan direction: stop; before it: skip.
                        let past = if asc {
                            bounds.1.is_some_and(|hi| k.0 > hi)
                        } else {
                            bounds.0.is_some_and(|lo| k.0 < lo)
                        };
                        return !past;
                    }
                    if let Some(rec) = self.get(kind, k.1) {
                        if search::matches(q, &rec, fields) {
                            out.push((k, rec));
                        }
                    }
                    out.len() < want
                });
                out
            };
        let mut page = Page::default();
        let to_items = |v: Vec<((i64, u64), Value)>| -> Vec<(String, Value)> {
            v.into_iter()
                .map(|((k, id), rec)| (encode_cursor(id, &json!(k.to_string())), rec))
                .collect()
        };
        if let Some(first) = args.first {
            let mut got = collect(forward_asc, after, before, first + 1);
            page.has_next = got.len() > first;
            got.truncate(first);
            page.has_prev = match after {
                Some(a) => !collect(
                    !forward_asc,
                    Some(if forward_asc {
                        (a.0, a.1.saturating_add(1))
                    } else {
                        (a.0, a.1.saturating_sub(1))
                    }),
                    None,
                    1,
                )
                .is_empty(),
                None => false,
            };
            page.items = to_items(got);
        } else if let Some(last) = args.last {
            let mut got = collect(!forward_asc, before, after, last + 1);
            page.has_prev = got.len() > last;
            got.truncate(last);
            got.reverse();
            page.has_next = match before {
                Some(b) => !collect(
                    forward_asc,
                    Some(if forward_asc {
                        (b.0, b.1.saturating_sub(1))
                    } else {
                        (b.0, b.1.saturating_add(1))
                    }),
                    None,
                    1,
                )
                .is_empty(),
                None => false,
            };
            page.items = to_items(got);
        }
        Ok(page)
    }

    /// Slow path for text sort keys: materialises the matching records.
    fn page_text(
        &self,
        kind: Kind,
        key: fn(&Value) -> String,
        query: Option<&Query>,
        args: &PageArgs,
    ) -> Result<Page, CursorErr> {
        let fields = kind.fields();
        let mut all: Vec<(Value, u64, Value)> = Vec::new();
        self.scan(kind, FastSort::Id, true, None, &mut |(_, id)| {
            if let Some(rec) = self.get(kind, id) {
                if query.is_none_or(|q| search::matches(q, &rec, fields)) {
                    all.push((json!(key(&rec)), id, rec));
                }
            }
            true
        });
        page_vec(all, args)
    }

    /// How many live records match; stops counting at `limit` (precision AT_LEAST).
    pub fn count(&self, kind: Kind, query: Option<&Query>, limit: Option<usize>) -> (usize, bool) {
        let fields = kind.fields();
        let total = self.coll(kind).live_len();
        let q = match query {
            None | Some(Query::All) => {
                return match limit {
                    Some(l) if total > l => (l, false),
                    _ => (total, true),
                }
            }
            Some(q) => q,
        };
        // A pure time range on updated_at/created_at is counted from the index alone.
        for (field, sort) in [
            ("updated_at", FastSort::Updated),
            ("created_at", FastSort::Created),
        ] {
            let only_range = match q {
                Query::Term { field: Some(f), op, .. } => f == field && *op != search::Op::Eq,
                Query::And(p) => p.iter().all(|t| matches!(t, Query::Term { field: Some(f), op, .. } if f == field && *op != search::Op::Eq)),
                _ => false,
            };
            if only_range {
                let (lo, hi) = search::time_bounds(q, field);
                let mut n = 0usize;
                self.scan(kind, sort, true, lo.map(|l| (l - 1, u64::MAX)), &mut |k| {
                    if hi.is_some_and(|h| k.0 > h) {
                        return false;
                    }
                    n += 1;
                    limit.is_none_or(|l| n <= l)
                });
                return match limit {
                    Some(l) if n > l => (l, false),
                    _ => (n, true),
                };
            }
        }
        let mut n = 0usize;
        self.scan(kind, FastSort::Id, true, None, &mut |(_, id)| {
            if let Some(rec) = self.get(kind, id) {
                if search::matches(q, &rec, fields) {
                    n += 1;
                }
            }
            limit.is_none_or(|l| n <= l)
        });
        match limit {
            Some(l) if n > l => (l, false),
            _ => (n, true),
        }
    }

    /// Any object by its gid, as the `node(id:)` field finds it.
    pub fn node(&self, g: &str) -> Option<Value> {
        if let Some(v) = self.extra.get(g) {
            return Some(v.clone());
        }
        let (t, id) = parse_gid(g)?;
        if let Some(kind) = Kind::from_typename(t) {
            return self.get(kind, id);
        }
        let child = |base: u64, parent: Kind, conn: &str| -> Option<Value> {
            let pid = match self.catalogue.owner(t, id) {
                Some(pid) => pid,
                None if id < base => return None,
                None => parent.id_base() + (id - base) / CHILD_SLOTS,
            };
            let p = self.get(parent, pid)?;
            p.pointer(&format!("/{conn}/__conn"))?
                .as_array()?
                .iter()
                .find(|x| x.get("id").and_then(|i| i.as_str()) == Some(g))
                .cloned()
        };
        match t {
            "ProductVariant" => child(seed::VARIANT_BASE, Kind::Product, "variants"),
            "MediaImage" => child(seed::MEDIA_BASE, Kind::Product, "media"),
            "LineItem" => child(seed::LINE_ITEM_BASE, Kind::Order, "lineItems"),
            "InventoryItem" => {
                let vgid = match self.catalogue.item_variant(id) {
                    Some(v) => gid("ProductVariant", v),
                    None if id < seed::INVENTORY_ITEM_BASE => return None,
                    None => {
                        let slot = (id - seed::INVENTORY_ITEM_BASE) % CHILD_SLOTS;
                        let pidx = (id - seed::INVENTORY_ITEM_BASE) / CHILD_SLOTS;
                        gid(
                            "ProductVariant",
                            seed::VARIANT_BASE + pidx * CHILD_SLOTS + slot,
                        )
                    }
                };
                let v = self.node(&vgid)?;
                let mut item = v.get("inventoryItem")?.clone();
                item["variant"] = json!({"__ref": vgid});
                Some(item)
            }
            "Location" => self.locations.iter().find(|l| l["id"] == json!(g)).cloned(),
            "BasicEvent" => self.events.iter().find(|e| e["id"] == json!(g)).cloned(),
            "Shop" => (self.shop["id"] == json!(g)).then(|| self.shop.clone()),
            _ => None,
        }
    }
}

/// Sorts a small in-memory set by `(key, id)` and pages it. Items are `(key, id, record)`;
/// keys are numbers or strings.
pub fn page_vec(mut all: Vec<(Value, u64, Value)>, args: &PageArgs) -> Result<Page, CursorErr> {
    fn cmp(a: &(Value, u64), b: &(Value, u64)) -> std::cmp::Ordering {
        let ka = match (&a.0, &b.0) {
            (Value::Number(x), Value::Number(y)) => x
                .as_f64()
                .unwrap_or(0.0)
                .partial_cmp(&y.as_f64().unwrap_or(0.0))
                .unwrap_or(std::cmp::Ordering::Equal),
            (x, y) => x
                .as_str()
                .unwrap_or("")
                .to_lowercase()
                .cmp(&y.as_str().unwrap_or("").to_lowercase()),
        };
        ka.then(a.1.cmp(&b.1))
    }
    all.sort_by(|a, b| cmp(&(a.0.clone(), a.1), &(b.0.clone(), b.1)));
    if args.reverse {
        all.reverse();
    }
    let ord = |a: &(Value, u64), b: &(Value, u64)| {
        let o = cmp(a, b);
        if args.reverse {
            o.reverse()
        } else {
            o
        }
    };
    let after = args
        .after
        .as_deref()
        .map(decode_cursor)
        .transpose()?
        .map(|(id, v)| (v, id));
    let before = args
        .before
        .as_deref()
        .map(decode_cursor)
        .transpose()?
        .map(|(id, v)| (v, id));
    let start = match &after {
        Some(a) => {
            all.partition_point(|x| ord(&(x.0.clone(), x.1), a) != std::cmp::Ordering::Greater)
        }
        None => 0,
    };
    let end = match &before {
        Some(b) => all.partition_point(|x| ord(&(x.0.clone(), x.1), b) == std::cmp::Ordering::Less),
        None => all.len(),
    };
    let end = end.max(start);
    let (mut s, mut e) = (start, end);
    if let Some(f) = args.first {
        e = e.min(s + f);
    }
    if let Some(l) = args.last {
        s = s.max(e.saturating_sub(l));
    }
    let page = Page {
        has_next: e < all.len() && (args.first.is_some() && e < end || before.is_some()),
        has_prev: s > 0 && (args.last.is_some() && s > start || after.is_some()),
        items: all[s..e]
            .iter()
            .map(|(k, id, v)| (encode_cursor(*id, k), v.clone()))
            .collect(),
    };
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::SeedConfig;

    fn store(n: usize) -> Store {
        Store::new(Seeder::new(
            SeedConfig {
                customers: n,
                orders: n,
                products: 5,
                abandoned_checkouts: 3,
                seed: 3,
            },
            "t.myshopify.com",
        ))
    }

    #[test]
    fn base64_round_trip() {
        for s in ["", "a", "ab", "abc", "abcd", "{\"last_id\":1}"] {
            assert_eq!(b64_decode(&b64_encode(s.as_bytes())).unwrap(), s.as_bytes());
        }
    }

    fn all_ids(st: &Store, sort: FastSort, reverse: bool, page: usize) -> Vec<u64> {
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let p = st
                .page(
                    Kind::Customer,
                    Sort::Fast(sort),
                    None,
                    &PageArgs {
                        first: Some(page),
                        last: None,
                        after: after.clone(),
                        before: None,
                        reverse,
                    },
                )
                .unwrap();
            for (_, v) in &p.items {
                out.push(parse_gid(v["id"].as_str().unwrap()).unwrap().1);
            }
            if !p.has_next {
                break;
            }
            after = Some(p.items.last().unwrap().0.clone());
        }
        out
    }

    #[test]
    fn pages_cover_everything_once_in_every_order() {
        let mut st = store(57);
        // Change a few records so the overlay is exercised.
        let id = st.seeder.customer_id(3);
        let mut v = st.get(Kind::Customer, id).unwrap();
        v["updatedAt"] = json!(iso(now_secs()));
        st.put(Kind::Customer, id, v);
        st.delete(Kind::Customer, st.seeder.customer_id(10));
        for sort in [FastSort::Id, FastSort::Created, FastSort::Updated] {
            for reverse in [false, true] {
                let ids = all_ids(&st, sort, reverse, 7);
                assert_eq!(ids.len(), 56, "{sort:?} {reverse}");
                let mut d = ids.clone();
                d.sort();
                d.dedup();
                assert_eq!(d.len(), 56);
            }
        }
        let ids = all_ids(&st, FastSort::Updated, false, 5);
        assert_eq!(*ids.last().unwrap(), id, "the updated record comes last");
    }

    #[test]
    fn backward_paging() {
        let st = store(20);
        let fwd = st
            .page(
                Kind::Customer,
                Sort::Fast(FastSort::Id),
                None,
                &PageArgs {
                    first: Some(10),
                    last: None,
                    after: None,
                    before: None,
                    reverse: false,
                },
            )
            .unwrap();
        let cur = fwd.items.last().unwrap().0.clone();
        let back = st
            .page(
                Kind::Customer,
                Sort::Fast(FastSort::Id),
                None,
                &PageArgs {
                    first: None,
                    last: Some(3),
                    after: None,
                    before: Some(cur),
                    reverse: false,
                },
            )
            .unwrap();
        let a: Vec<_> = fwd.items[6..9].iter().map(|x| x.1["id"].clone()).collect();
        let b: Vec<_> = back.items.iter().map(|x| x.1["id"].clone()).collect();
        assert_eq!(a, b);
        assert!(back.has_prev);
        assert!(back.has_next);
    }
}
