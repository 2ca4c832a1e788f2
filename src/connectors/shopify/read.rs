//! Reading streams of canonical records out of Shopify.
//!
//! Small and incremental reads page through the connection (oldest change first); a full read
//! of a large stream runs a bulk operation and streams its JSONL file. Records go into a bounded
//! channel, so reading, planning and writing overlap and memory stays flat.

use serde_json::{json, Value};
use tokio::sync::mpsc::Sender;

use super::bulk;
use super::client::{ShopifyClient, ShopifyError};
use super::costs::{RecordCost, MAX_SINGLE_QUERY_COST, PAGE_OVERHEAD};
use super::documents::{self, Document};
use super::mapping;
use super::throttle::Bucket;
use crate::engine::SourceItem;
use crate::model::Record;
use crate::model::Stream;

/// What to read.
#[derive(Debug, Clone)]
pub enum ReadMode {
    /// Every record.
    Full,
    /// Records changed at or after this instant (RFC 3339).
    Since(String),
}

#[derive(Debug, Default, Clone)]
pub struct ReadSummary {
    pub records: u64,
    pub malformed: u64,
    pub used_bulk: bool,
}

/// How one stream will be read: its count, and the bulk export already started for it.
#[derive(Debug, Clone)]
pub struct PlannedRead {
    pub count: u64,
    /// The id of a started bulk operation; `None`: the stream is read in pages.
    pub export: Option<String>,
}

/// Where a read of one stream has got to. Saved as records are checkpointed, so a run stopped
/// part-way (killed, interrupted) resumes there instead of reading everything again.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReadPosition {
    /// Which read this is: `full`, or the instant an incremental read starts at. A position
    /// is only resumed by the same read.
    pub read: String,
    /// When the read began: the next incremental read starts from here (minus a lookback).
    pub started: String,
    /// The run that began it: a full read's records not seen since then were deleted.
    pub run: i64,
    /// The bulk export being read; `None`: pages.
    pub export: Option<String>,
    /// Bulk: every line of the export file before this one has been handled.
    pub lines: u64,
    /// Pages: the cursor after the last page handled.
    pub after: Option<String>,
    /// The stream's records are all handled (the orders' abandoned checkouts, always read
    /// again, may remain).
    pub main_done: bool,
}

impl ReadPosition {
    /// The start of a read.
    pub fn new(mode: &ReadMode, started: &str, run: i64, export: Option<String>) -> ReadPosition {
        ReadPosition {
            read: Self::read_of(mode),
            started: started.to_string(),
            run,
            export,
            lines: 0,
            after: None,
            main_done: false,
        }
    }

    /// The key that tells reads apart.
    pub fn read_of(mode: &ReadMode) -> String {
        match mode {
            ReadMode::Full => "full".into(),
            ReadMode::Since(t) => format!("since {t}"),
        }
    }

    fn item(&self) -> SourceItem {
        SourceItem::Position(serde_json::to_string(self).unwrap_or_default())
    }
}

fn search_query(mode: &ReadMode) -> Option<String> {
    match mode {
        ReadMode::Full => None,
        ReadMode::Since(t) => Some(format!("updated_at:>='{t}'")),
    }
}

fn bulk_document(stream: Stream) -> (Document, &'static str) {
    match stream {
        Stream::Customers => (documents::BULK_CUSTOMERS, "customers"),
        Stream::Products => (documents::BULK_PRODUCTS, "products"),
        Stream::Orders => (documents::BULK_ORDERS, "orders"),
    }
}

/// Page sizes used until Shopify has reported what a record costs: each page stays well under
/// Shopify's 1,000-point cap per query.
fn page_size(stream: Stream) -> u64 {
    match stream {
        Stream::Customers => 200,
        Stream::Products => 50,
        Stream::Orders => 8,
    }
}
const LINE_ITEMS_PER_ORDER: u64 = 25;
const CHECKOUTS_PER_PAGE: u64 = 100;

/// Abandoned checkouts travel in the orders stream; their ids say which they are.
fn is_checkout(id: &str) -> bool {
    id.starts_with("gid://shopify/AbandonedCheckout/")
}

/// The most records one page may ask for (Shopify's cap on `first`).
const MAX_PAGE: u64 = 250;

/// A read by pages is paced by the cost bucket; a bulk export is not, but takes a few seconds to
/// start, run and download. A read whose pages would wait longer than this for the bucket goes
/// by bulk export.
const MAX_PAGE_PACING_SECS: f64 = 5.0;

fn page_document(stream: Stream) -> (Document, &'static str) {
    match stream {
        Stream::Customers => (documents::CUSTOMERS_PAGE, "customers"),
        Stream::Products => (documents::PRODUCTS_PAGE, "products"),
        Stream::Orders => (documents::ORDERS_PAGE, "orders"),
    }
}

/// The largest page whose requested cost stays under Shopify's cap per query.
fn largest_page(per_record: Option<RecordCost>, default: u64) -> u64 {
    match per_record {
        Some(c) => (((MAX_SINGLE_QUERY_COST - PAGE_OVERHEAD) / c.requested).floor() as u64)
            .clamp(1, MAX_PAGE),
        None => default,
    }
}

/// The page to ask for now: no larger than what the bucket holds now, so a page does not wait
/// for a reservation far above what it will cost, and no smaller than half the largest page:
/// once the bucket is low, a page waits for the points the pages before it really spent
/// whatever its size, and smaller pages would only mean more requests.
fn page_for_bucket(per_record: Option<RecordCost>, bucket: Option<Bucket>, largest: u64) -> u64 {
    match (per_record, bucket) {
        (Some(c), Some(b)) => {
            let fits = ((b.available - PAGE_OVERHEAD) / c.requested)
                .floor()
                .max(0.0) as u64;
            fits.clamp((largest / 2).max(1), largest)
        }
        _ => largest,
    }
}

/// Seconds a read of `count` records by pages would wait for the bucket: the bucket gives what
/// it holds above one page's requested cost for free, the rest refills at the restore rate.
fn pacing_secs(count: u64, per_record: RecordCost, bucket: Bucket, page: u64) -> f64 {
    let page_requested = per_record.requested * page as f64 + PAGE_OVERHEAD;
    let free = (bucket.available - page_requested).max(0.0);
    let needed = count as f64 * per_record.actual - free;
    needed.max(0.0) / bucket.restore_rate
}

/// The receiving end went away: the run is stopping.
fn closed() -> ShopifyError {
    ShopifyError::GraphQl {
        document: "read",
        message: "the run stopped reading".into(),
    }
}

impl ShopifyClient {
    /// A cheap authenticated read: the shop's name, proving the token and the domain.
    pub async fn shop_name(&self) -> Result<String, ShopifyError> {
        let data = self.query(documents::SHOP, json!({})).await?;
        Ok(data["shop"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// How many records a read of `stream` with this search query would return.
    pub async fn count(&self, stream: Stream, query: Option<&str>) -> Result<u64, ShopifyError> {
        let (key, field) = match stream {
            Stream::Customers => ("customersQuery", "customersCount"),
            Stream::Products => ("productsQuery", "productsCount"),
            Stream::Orders => ("ordersQuery", "ordersCount"),
        };
        let data = self
            .query(documents::STORE_COUNTS, json!({ key: query }))
            .await?;
        Ok(data[field]["count"].as_u64().unwrap_or(0))
    }

    /// How many records a read of `stream` in `mode` will return.
    pub async fn count_read(&self, stream: Stream, mode: &ReadMode) -> Result<u64, ShopifyError> {
        self.count(stream, search_query(mode).as_deref()).await
    }

    /// Seconds a read of `count` records of `stream` by pages would wait for the cost bucket,
    /// from what a record of its page document costs. When no run has seen that yet, a page of
    /// one record tells it (and the bucket).
    async fn page_pacing_secs(
        &self,
        stream: Stream,
        query: Option<&str>,
        count: u64,
    ) -> Result<f64, ShopifyError> {
        let (document, connection) = page_document(stream);
        if count <= 1 {
            return Ok(0.0);
        }
        if self
            .document_cost(document.name)
            .and_then(|c| c.per_record)
            .is_none()
        {
            let variables = json!({
                "first": 1, "after": null, "query": query, "lineItems": LINE_ITEMS_PER_ORDER,
            });
            let (data, cost) = self.query_costed(document, variables, None).await?;
            if let Some(cost) = cost {
                let records = data[connection]["nodes"].as_array().map_or(0, Vec::len);
                self.observe_page_cost(document.name, cost, 1, records);
            }
        }
        let per_record = self.document_cost(document.name).and_then(|c| c.per_record);
        Ok(match (per_record, self.bucket()) {
            (Some(c), Some(bucket)) => {
                let page = largest_page(Some(c), page_size(stream));
                pacing_secs(count, c, bucket, page)
            }
            _ => 0.0,
        })
    }

    /// Streams `stream` into `tx`. A full read of more than `bulk_threshold` records uses a bulk
    /// operation. The orders stream also carries open abandoned checkouts.
    pub async fn read(
        &self,
        stream: Stream,
        mode: &ReadMode,
        bulk_threshold: u64,
        known_count: Option<u64>,
        tx: &Sender<SourceItem>,
    ) -> Result<ReadSummary, ShopifyError> {
        let plan = self
            .plan_read(stream, mode, bulk_threshold, known_count)
            .await?;
        self.read_planned(stream, mode, plan, tx).await
    }

    /// Counts what a read of `stream` will return and, when that is more than `bulk_threshold`,
    /// starts its bulk export now, so several streams' exports can run while earlier streams are
    /// still being written (Shopify runs up to five bulk queries per shop at once).
    pub async fn plan_read(
        &self,
        stream: Stream,
        mode: &ReadMode,
        bulk_threshold: u64,
        known_count: Option<u64>,
    ) -> Result<PlannedRead, ShopifyError> {
        self.plan_read_from(stream, mode, bulk_threshold, known_count, None)
            .await
    }

    /// Like [`plan_read`](Self::plan_read), resuming `resume` (the same read, stopped part-way):
    /// its bulk export, if Shopify still has it, or its pages.
    pub async fn plan_read_from(
        &self,
        stream: Stream,
        mode: &ReadMode,
        bulk_threshold: u64,
        known_count: Option<u64>,
        resume: Option<&ReadPosition>,
    ) -> Result<PlannedRead, ShopifyError> {
        let query = search_query(mode);
        let count = match known_count {
            Some(n) => n,
            None => self.count_read(stream, mode).await?,
        };
        if let Some(position) = resume {
            match &position.export {
                Some(id) if position.main_done || bulk::usable(self, id).await? => {
                    return Ok(PlannedRead {
                        count,
                        export: Some(id.clone()),
                    })
                }
                Some(_) => {} // expired or failed: a new export below
                None => {
                    return Ok(PlannedRead {
                        count,
                        export: None,
                    })
                }
            }
        }
        // Pages are paced by the cost bucket; a bulk export is not, so large reads, full or
        // incremental, and reads whose pages would wait long for the bucket go that way.
        let export = if count > bulk_threshold
            || (self.bulk_when_pages_are_slow
                && self
                    .page_pacing_secs(stream, query.as_deref(), count)
                    .await?
                    > MAX_PAGE_PACING_SECS)
        {
            let (document, connection) = bulk_document(stream);
            let text = match &query {
                None => document.text.to_string(),
                Some(q) => with_search(document.text, connection, q),
            };
            Some(bulk::start(self, document.name, &text).await?)
        } else {
            None
        };
        Ok(PlannedRead { count, export })
    }

    /// Streams `stream` into `tx` as `plan` decided.
    pub async fn read_planned(
        &self,
        stream: Stream,
        mode: &ReadMode,
        plan: PlannedRead,
        tx: &Sender<SourceItem>,
    ) -> Result<ReadSummary, ShopifyError> {
        self.read_planned_from(stream, mode, plan, None, tx).await
    }

    /// Like [`read_planned`](Self::read_planned), starting at `position` (where an earlier
    /// run of the same read stopped, or its start) and sending the position reached into `tx`
    /// as the read goes on (`SourceItem::Position`), for the engine to save once every record
    /// before it is checkpointed. `None`: from the start, no positions.
    pub async fn read_planned_from(
        &self,
        stream: Stream,
        mode: &ReadMode,
        plan: PlannedRead,
        position: Option<ReadPosition>,
        tx: &Sender<SourceItem>,
    ) -> Result<ReadSummary, ShopifyError> {
        let mut summary = ReadSummary::default();
        let main_done = position.as_ref().is_some_and(|p| p.main_done);
        match &plan.export {
            _ if main_done => summary.used_bulk = plan.export.is_some(),
            Some(id) => {
                summary.used_bulk = true;
                let (document, _) = bulk_document(stream);
                // A position of another export (this one replaced an expired one) starts at 0.
                let mut position = position.clone().map(|mut p| {
                    if p.export.as_ref() != Some(id) {
                        p.export = Some(id.clone());
                        p.lines = 0;
                    }
                    p
                });
                let skip = position.as_ref().map_or(0, |p| p.lines);
                let mut count = |item: SourceItem| {
                    count_item(&mut summary, &item);
                    item
                };
                bulk::stream_result_from(
                    self,
                    document.name,
                    id,
                    skip,
                    |root, children| count(line_to_item(stream, root, &children)),
                    |lines| {
                        position.as_mut().map(|p| {
                            p.lines = lines;
                            p.item()
                        })
                    },
                    tx,
                )
                .await?;
            }
            None => {
                let query = search_query(mode);
                self.read_pages(
                    stream,
                    query.as_deref(),
                    position.as_ref(),
                    tx,
                    &mut summary,
                )
                .await?;
            }
        }
        if let Some(mut p) = position.filter(|p| !p.main_done) {
            p.main_done = true;
            p.export = plan.export.clone();
            tx.send(p.item()).await.map_err(|_| closed())?;
        }
        if stream == Stream::Orders {
            self.read_checkouts(mode, tx, &mut summary).await?;
        }
        Ok(summary)
    }

    async fn read_pages(
        &self,
        stream: Stream,
        query: Option<&str>,
        position: Option<&ReadPosition>,
        tx: &Sender<SourceItem>,
        summary: &mut ReadSummary,
    ) -> Result<(), ShopifyError> {
        let (document, connection) = page_document(stream);
        let mut after: Option<String> = position.and_then(|p| p.after.clone());
        loop {
            let variables = json!({
                "after": after, "query": query, "lineItems": LINE_ITEMS_PER_ORDER,
            });
            let data = self
                .paced_page(document, connection, variables, page_size(stream))
                .await?;
            let page = &data[connection];
            for node in page["nodes"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let node = self.complete_line_items(node).await?;
                let item = to_item(stream, &node, &[]);
                count_item(summary, &item);
                tx.send(item).await.map_err(|_| closed())?;
            }
            match next_page(page) {
                Some(cursor) => {
                    if let Some(p) = position {
                        let reached = ReadPosition {
                            after: Some(cursor.clone()),
                            ..p.clone()
                        };
                        tx.send(reached.item()).await.map_err(|_| closed())?;
                    }
                    after = Some(cursor);
                }
                None => return Ok(()),
            }
        }
    }

    /// One page of `document` (whose connection is at `connection`; `variables` without
    /// `first`), as large as what a record costs lets it be under Shopify's cap per query and
    /// no larger than what the bucket holds now; `default_size` until a page told the cost.
    pub(crate) async fn paced_page(
        &self,
        document: Document,
        connection: &str,
        mut variables: Value,
        default_size: u64,
    ) -> Result<Value, ShopifyError> {
        let mut cap = MAX_PAGE;
        loop {
            let per_record = self.document_cost(document.name).and_then(|c| c.per_record);
            let largest = largest_page(per_record, default_size).min(cap);
            let first = page_for_bucket(per_record, self.bucket(), largest);
            let requested = per_record.map(|c| c.requested * first as f64 + PAGE_OVERHEAD);
            variables["first"] = json!(first);
            match self
                .query_costed(document, variables.clone(), requested)
                .await
            {
                Ok((data, cost)) => {
                    if let Some(cost) = cost {
                        let records = data[connection]["nodes"].as_array().map_or(0, Vec::len);
                        self.observe_page_cost(document.name, cost, first, records);
                    }
                    return Ok(data);
                }
                // Shopify's cost rules may differ from our estimate: halve the page and go on.
                Err(ShopifyError::MaxCostExceeded { .. }) if first > 1 => cap = first / 2,
                Err(e) => return Err(e),
            }
        }
    }

    /// Open abandoned checkouts that changed since the cursor, plus every one created in the
    /// last two days, so a checkout turns from "pending" into "abandoned" after 24 hours even
    /// though nothing in it changed.
    async fn read_checkouts(
        &self,
        mode: &ReadMode,
        tx: &Sender<SourceItem>,
        summary: &mut ReadSummary,
    ) -> Result<(), ShopifyError> {
        let now = chrono::Utc::now();
        let query = match mode {
            ReadMode::Full => None,
            ReadMode::Since(t) => {
                let recent = (now - chrono::Duration::hours(48))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
                Some(format!("updated_at:>='{t}' OR created_at:>='{recent}'"))
            }
        };
        let mut after: Option<String> = None;
        loop {
            let variables = json!({ "first": CHECKOUTS_PER_PAGE, "after": after, "query": query });
            let data = self
                .query(documents::ABANDONED_CHECKOUTS_PAGE, variables)
                .await?;
            let page = &data["abandonedCheckouts"];
            for node in page["nodes"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let Some(item) = checkout_item(node, now) else {
                    continue;
                };
                count_item(summary, &item);
                tx.send(item).await.map_err(|_| closed())?;
            }
            match next_page(page) {
                Some(cursor) => after = Some(cursor),
                None => return Ok(()),
            }
        }
    }

    /// Reads these records again by id (those that failed on an earlier run), each with the
    /// document of its kind: the orders stream carries abandoned checkouts too. Returns the ids
    /// that were not read: Shopify no longer has them, or they are no longer records of the
    /// stream (a checkout completed since, which its order now stands for).
    pub async fn read_ids(
        &self,
        stream: Stream,
        ids: &[String],
        tx: &Sender<SourceItem>,
    ) -> Result<Vec<String>, ShopifyError> {
        let (checkouts, records): (Vec<String>, Vec<String>) = ids
            .iter()
            .cloned()
            .partition(|id| stream == Stream::Orders && is_checkout(id));
        let document: Document = match stream {
            Stream::Customers => documents::CUSTOMERS_BY_IDS,
            Stream::Products => documents::PRODUCTS_BY_IDS,
            Stream::Orders => documents::ORDERS_BY_IDS,
        };
        let mut missing = Vec::new();
        for chunk in records.chunks(page_size(stream) as usize) {
            let data = self
                .query(
                    document,
                    json!({ "ids": chunk, "lineItems": LINE_ITEMS_PER_ORDER }),
                )
                .await?;
            let nodes = nodes_for(&data, chunk.len(), document)?;
            for (id, node) in chunk.iter().zip(nodes) {
                if node.get("id").is_none() {
                    missing.push(id.clone());
                    continue;
                }
                let node = self.complete_line_items(node).await?;
                tx.send(to_item(stream, &node, &[]))
                    .await
                    .map_err(|_| closed())?;
            }
        }
        let now = chrono::Utc::now();
        for chunk in checkouts.chunks(CHECKOUTS_PER_PAGE as usize) {
            let data = self
                .query(documents::CHECKOUTS_BY_IDS, json!({ "ids": chunk }))
                .await?;
            let nodes = nodes_for(&data, chunk.len(), documents::CHECKOUTS_BY_IDS)?;
            for (id, node) in chunk.iter().zip(nodes) {
                if node.get("id").is_none() {
                    missing.push(id.clone());
                    continue;
                }
                let Some(item) = checkout_item(node, now) else {
                    missing.push(id.clone());
                    continue;
                };
                tx.send(item).await.map_err(|_| closed())?;
            }
        }
        Ok(missing)
    }

    /// An order read by pages carries its first page of line items; this reads the rest, so
    /// no line item is ever left out.
    pub(crate) async fn complete_line_items(&self, node: &Value) -> Result<Value, ShopifyError> {
        self.complete_line_items_with(documents::ORDER_LINE_ITEMS, node)
            .await
    }

    /// The same, with `document` (an order's `lineItems` page by `$id` and `$after`) choosing
    /// the line item fields.
    pub(crate) async fn complete_line_items_with(
        &self,
        document: Document,
        node: &Value,
    ) -> Result<Value, ShopifyError> {
        let (Some(id), Some(mut after)) = (node["id"].as_str(), next_page(&node["lineItems"]))
        else {
            return Ok(node.clone());
        };
        let mut node = node.clone();
        loop {
            let data = self
                .query(document, json!({ "id": id, "after": after }))
                .await?;
            let page = &data["order"]["lineItems"];
            if let (Some(more), Some(list)) = (
                page["nodes"].as_array(),
                node["lineItems"]["nodes"].as_array_mut(),
            ) {
                list.extend(more.iter().cloned());
            }
            match next_page(page) {
                Some(cursor) => after = cursor,
                None => return Ok(node),
            }
        }
    }

    /// Products and orders deleted at or after `since`: (stream, source id).
    pub async fn deletions_since(
        &self,
        since: &str,
    ) -> Result<Vec<(Stream, String)>, ShopifyError> {
        let query = format!("action:destroy AND created_at:>='{since}' AND (subject_type:PRODUCT OR subject_type:ORDER)");
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let data = self
                .query(
                    documents::DELETION_EVENTS,
                    json!({ "first": 250, "after": after, "query": query }),
                )
                .await?;
            let page = &data["events"];
            for node in page["nodes"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let stream = match node["subjectType"].as_str() {
                    Some("PRODUCT") => Stream::Products,
                    Some("ORDER") => Stream::Orders,
                    _ => continue,
                };
                if node["action"].as_str() != Some("destroy") {
                    continue;
                }
                if let Some(id) = node["subjectId"].as_str() {
                    out.push((stream, id.to_string()));
                }
            }
            match next_page(page) {
                Some(cursor) => after = Some(cursor),
                None => return Ok(out),
            }
        }
    }
}

/// The cursor of the next page of a connection, if there is one.
pub(crate) fn next_page(connection: &Value) -> Option<String> {
    let info = &connection["pageInfo"];
    match (info["hasNextPage"].as_bool(), info["endCursor"].as_str()) {
        (Some(true), Some(cursor)) => Some(cursor.to_string()),
        _ => None,
    }
}

fn to_item(stream: Stream, node: &Value, children: &[Value]) -> SourceItem {
    let record = match stream {
        Stream::Customers => mapping::customer(node).map(Record::Customer),
        Stream::Products => mapping::product(node, children).map(Record::Product),
        Stream::Orders => mapping::order(node, children).map(Record::Order),
    };
    match record {
        Ok(r) => SourceItem::Record(Box::new(r)),
        Err(reason) => SourceItem::Malformed {
            source_id: node["id"].as_str().map(String::from),
            reason,
        },
    }
}

/// A root line of a bulk export (valid JSON) as an item: customers read typed, the others
/// through their JSON value.
fn line_to_item(stream: Stream, line: &[u8], children: &[Value]) -> SourceItem {
    if stream != Stream::Customers {
        return match serde_json::from_slice::<Value>(line) {
            Ok(node) => to_item(stream, &node, children),
            Err(e) => SourceItem::Malformed {
                source_id: None,
                reason: format!("a line of the bulk export is not JSON: {e}"),
            },
        };
    }
    match mapping::customer_from_json(line) {
        Ok(c) => SourceItem::Record(Box::new(Record::Customer(c))),
        Err(reason) => SourceItem::Malformed {
            source_id: serde_json::from_slice::<Value>(line)
                .ok()
                .and_then(|v| v["id"].as_str().map(String::from)),
            reason,
        },
    }
}

/// The answer of a `nodes(ids:)` query: one node (or null) per id asked, in order. Anything
/// else is an error, never "these ids are gone".
fn nodes_for(data: &Value, asked: usize, document: Document) -> Result<&[Value], ShopifyError> {
    match data["nodes"].as_array() {
        Some(nodes) if nodes.len() == asked => Ok(nodes),
        _ => Err(ShopifyError::GraphQl {
            document: document.name,
            message: format!("the answer does not hold one node for each of the {asked} ids"),
        }),
    }
}

/// An open abandoned checkout as an item of the orders stream; `None` once it was completed.
fn checkout_item(node: &Value, now: chrono::DateTime<chrono::Utc>) -> Option<SourceItem> {
    match mapping::abandoned_checkout(node, now) {
        Ok(Some(order)) => Some(SourceItem::Record(Box::new(Record::Order(order)))),
        Ok(None) => None,
        Err(reason) => Some(SourceItem::Malformed {
            source_id: node["id"].as_str().map(String::from),
            reason,
        }),
    }
}

fn count_item(summary: &mut ReadSummary, item: &SourceItem) {
    match item {
        SourceItem::Record(_) => summary.records += 1,
        SourceItem::Malformed { .. } => summary.malformed += 1,
        SourceItem::Position(_) => {}
    }
}

/// A bulk document's top-level connection, filtered by a search query:
/// `customers {` becomes `customers(query: "updated_at:>='...'") {`.
fn with_search(text: &str, connection: &str, query: &str) -> String {
    let quoted = serde_json::to_string(query).unwrap_or_default();
    text.replacen(
        &format!("{connection} {{"),
        &format!("{connection}(query: {quoted}) {{"),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDER: RecordCost = RecordCost {
        requested: 115.0,
        actual: 24.0,
    };

    fn bucket(available: f64) -> Bucket {
        Bucket {
            available,
            maximum: 2000.0,
            restore_rate: 100.0,
        }
    }

    #[test]
    fn pages_are_sized_by_what_a_record_costs_and_what_the_bucket_holds() {
        // Under the 1,000-point cap: 8 orders of 115 requested points.
        assert_eq!(largest_page(Some(ORDER), 3), 8);
        assert_eq!(largest_page(None, 3), 3);
        assert_eq!(
            largest_page(
                Some(RecordCost {
                    requested: 1.0,
                    actual: 1.0
                }),
                3
            ),
            250
        );
        // A full bucket: the largest page; a low one: what fits, down to half a page.
        assert_eq!(page_for_bucket(Some(ORDER), Some(bucket(2000.0)), 8), 8);
        assert_eq!(page_for_bucket(Some(ORDER), Some(bucket(700.0)), 8), 6);
        assert_eq!(page_for_bucket(Some(ORDER), Some(bucket(10.0)), 8), 4);
        assert_eq!(page_for_bucket(None, Some(bucket(10.0)), 8), 8);
    }

    #[test]
    fn pacing_counts_the_actual_cost_and_the_free_bucket() {
        // 300 orders of 24 points: 7,200 points; the full bucket gives 2,000 - 923 for free.
        let secs = pacing_secs(300, ORDER, bucket(2000.0), 8);
        assert!((61.0..62.0).contains(&secs), "{secs}");
        assert!(
            secs > MAX_PAGE_PACING_SECS,
            "a read this large goes by bulk export"
        );
        // An incremental read of 40 orders waits for nothing.
        assert_eq!(pacing_secs(40, ORDER, bucket(2000.0), 8), 0.0);
    }

    #[test]
    fn bulk_documents_take_a_search_filter() {
        let text = documents::BULK_CUSTOMERS.text;
        let filtered = with_search(text, "customers", "updated_at:>='2026-01-01T00:00:00Z'");
        assert!(
            filtered.contains(r#"customers(query: "updated_at:>='2026-01-01T00:00:00Z'") {"#),
            "{filtered}"
        );
        assert_eq!(filtered.matches("query:").count(), 1);
    }
}
