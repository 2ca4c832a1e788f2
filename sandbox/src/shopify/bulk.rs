//! Bulk query operations (https://shopify.dev/docs/api/usage/bulk-operations/queries):
//! `bulkOperationRunQuery` validates the inner query, runs it in the background and streams a JSONL
//! file where every connection node is one line; nested connection nodes are separate lines with
//! `__parentId`, after their parent; non-connection nested objects stay inline.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use apollo_compiler::ast;
use apollo_compiler::schema::ExtendedType;
use serde_json::{json, Map, Value};

use super::executor::{BulkChild, Ctx, Executor, Resolved};
use super::store::{now_secs, Page};
use super::validate;
use super::Shared;
use crate::seed::{gid, iso, parse_gid};

/// Concurrent bulk query operations per shop from API 2026-01 on.
pub const MAX_CONCURRENT: usize = 5;
const MAX_CONNECTIONS: usize = 5;
const MAX_DEPTH: usize = 2;
const BULK_ID_BASE: u64 = 4_410_000_000_000;

#[derive(Debug)]
struct Op {
    id: u64,
    status: &'static str,
    error_code: Option<&'static str>,
    created_at: i64,
    completed_at: Option<i64>,
    object_count: u64,
    root_object_count: u64,
    file_size: Option<u64>,
    query: String,
    cancel: Arc<AtomicBool>,
}

pub struct BulkState {
    dir: PathBuf,
    ops: Mutex<Vec<Arc<Mutex<Op>>>>,
    next: AtomicU64,
}

impl Drop for BulkState {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn user_error(message: impl Into<String>, code: &str) -> Value {
    json!({"__typename": "BulkOperationUserError", "field": ["query"], "message": message.into(), "code": code})
}

impl BulkState {
    pub fn new() -> anyhow::Result<BulkState> {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "shopsync-sandbox-bulk-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(BulkState {
            dir,
            ops: Mutex::new(Vec::new()),
            next: AtomicU64::new(1),
        })
    }

    pub fn file_path(&self, id: u64) -> PathBuf {
        self.dir.join(format!("{id}.jsonl"))
    }

    fn find(&self, g: &str) -> Option<Arc<Mutex<Op>>> {
        let (t, id) = parse_gid(g)?;
        if t != "BulkOperation" {
            return None;
        }
        self.ops
            .lock()
            .unwrap()
            .iter()
            .find(|o| o.lock().unwrap().id == id)
            .cloned()
    }

    fn render(op: &Op, base_url: &str) -> Value {
        let url = (op.status == "COMPLETED" && op.object_count > 0)
            .then(|| format!("{base_url}/_sandbox/bulk/{}.jsonl", op.id));
        let partial = (matches!(op.status, "FAILED" | "CANCELED") && op.object_count > 0)
            .then(|| format!("{base_url}/_sandbox/bulk/{}.jsonl", op.id));
        json!({
            "__typename": "BulkOperation",
            "id": gid("BulkOperation", op.id),
            "type": "QUERY",
            "status": op.status,
            "errorCode": op.error_code,
            "createdAt": iso(op.created_at),
            "completedAt": op.completed_at.map(iso),
            "objectCount": op.object_count.to_string(),
            "rootObjectCount": op.root_object_count.to_string(),
            "fileSize": op.file_size.map(|s| s.to_string()),
            "url": url,
            "partialDataUrl": partial,
            "query": op.query,
        })
    }

    pub fn get(&self, g: &str, base_url: &str) -> Option<Value> {
        self.find(g)
            .map(|o| Self::render(&o.lock().unwrap(), base_url))
    }

    /// The most recent operation of `type` (only QUERY operations exist here).
    pub fn current(&self, t: &str, base_url: &str) -> Option<Value> {
        if t != "QUERY" {
            return None;
        }
        let ops = self.ops.lock().unwrap();
        ops.last()
            .map(|o| Self::render(&o.lock().unwrap(), base_url))
    }

    /// Whether the JSONL of operation `id` can be downloaded.
    pub fn downloadable(&self, id: u64) -> bool {
        self.ops.lock().unwrap().iter().any(|o| {
            let o = o.lock().unwrap();
            o.id == id
                && o.object_count > 0
                && matches!(o.status, "COMPLETED" | "FAILED" | "CANCELED")
        })
    }

    pub fn cancel(&self, g: &str, base_url: &str) -> (Value, Vec<Value>) {
        let Some(op) = self.find(g) else {
            return (
                Value::Null,
                vec![
                    json!({"__typename": "UserError", "field": ["id"], "message": "Bulk operation does not exist"}),
                ],
            );
        };
        let mut o = op.lock().unwrap();
        match o.status {
            "CREATED" | "RUNNING" => {
                o.cancel.store(true, Ordering::Relaxed);
                o.status = "CANCELING";
                (Self::render(&o, base_url), Vec::new())
            }
            s => {
                let msg = format!(
                    "A bulk operation cannot be canceled when it is {}",
                    s.to_lowercase()
                );
                (
                    Self::render(&o, base_url),
                    vec![json!({"__typename": "UserError", "field": ["id"], "message": msg})],
                )
            }
        }
    }

    fn running(&self) -> usize {
        self.ops
            .lock()
            .unwrap()
            .iter()
            .filter(|o| {
                matches!(
                    o.lock().unwrap().status,
                    "CREATED" | "RUNNING" | "CANCELING"
                )
            })
            .count()
    }
}

/// Counts connections and their nesting depth in a bulk query.
fn analyse(
    shared: &Shared,
    doc: &ast::Document,
    sels: &[ast::Selection],
    parent: &str,
    depth: usize,
    count: &mut usize,
    max_depth: &mut usize,
) {
    let frags: std::collections::HashMap<&str, &ast::FragmentDefinition> = doc
        .definitions
        .iter()
        .filter_map(|d| match d {
            ast::Definition::FragmentDefinition(f) => Some((f.name.as_str(), f.as_ref())),
            _ => None,
        })
        .collect();
    for s in sels {
        match s {
            ast::Selection::Field(f) => {
                let named = shared
                    .schema
                    .as_ref()
                    .and_then(|sc| sc.type_field(parent, f.name.as_str()).ok())
                    .map(|d| d.ty.inner_named_type().to_string());
                let is_conn = match (&named, &shared.schema) {
                    (Some(n), Some(sc)) => {
                        n.ends_with("Connection") && !matches!(sc.types.get(n.as_str()), Some(ExtendedType::Scalar(_)))
                    }
                    _ => f.selection_set.iter().any(|c| matches!(c, ast::Selection::Field(x) if x.name == "edges" || x.name == "nodes")),
                };
                let child_parent = named.unwrap_or_default();
                if is_conn {
                    *count += 1;
                    *max_depth = (*max_depth).max(depth + 1);
                    analyse(
                        shared,
                        doc,
                        &f.selection_set,
                        &child_parent,
                        depth + 1,
                        count,
                        max_depth,
                    );
                } else {
                    analyse(
                        shared,
                        doc,
                        &f.selection_set,
                        &child_parent,
                        depth,
                        count,
                        max_depth,
                    );
                }
            }
            ast::Selection::InlineFragment(i) => {
                let p = i
                    .type_condition
                    .as_ref()
                    .map(|t| t.to_string())
                    .unwrap_or(parent.to_string());
                analyse(shared, doc, &i.selection_set, &p, depth, count, max_depth)
            }
            ast::Selection::FragmentSpread(fs) => {
                if let Some(fd) = frags.get(fs.fragment_name.as_str()) {
                    analyse(
                        shared,
                        doc,
                        &fd.selection_set,
                        fd.type_condition.as_str(),
                        depth,
                        count,
                        max_depth,
                    )
                }
            }
        }
    }
}

/// Validates and starts a bulk query; returns the operation or Shopify's userErrors.
pub fn start(shared: &Arc<Shared>, query: &str, _group_objects: bool) -> Result<Value, Vec<Value>> {
    let schema = shared.schema.as_deref();
    let prepared = match validate::prepare(schema, query, None, &Value::Null) {
        Ok(p) => p,
        Err(errs) => {
            let msg = errs
                .first()
                .and_then(|e| e["message"].as_str())
                .unwrap_or("invalid query")
                .to_string();
            return Err(vec![user_error(
                format!("Invalid bulk query: {msg}"),
                "INVALID",
            )]);
        }
    };
    let op = prepared.operation();
    if op.operation_type != ast::OperationType::Query {
        return Err(vec![user_error(
            "Invalid bulk query: the query must be a query operation.",
            "INVALID",
        )]);
    }
    let root = "QueryRoot";
    let (mut count, mut depth) = (0usize, 0usize);
    analyse(
        shared,
        &prepared.doc,
        &op.selection_set,
        root,
        0,
        &mut count,
        &mut depth,
    );
    if count == 0 {
        return Err(vec![user_error(
            "Bulk queries must contain at least one connection.",
            "INVALID",
        )]);
    }
    if count > MAX_CONNECTIONS {
        return Err(vec![user_error(
            format!("Bulk queries cannot contain more than {MAX_CONNECTIONS} connections."),
            "INVALID",
        )]);
    }
    if depth > MAX_DEPTH {
        return Err(vec![user_error(
            format!("Bulk queries cannot contain connections with a nesting depth greater than {MAX_DEPTH}."),
            "INVALID",
        )]);
    }
    let root_fields: Vec<&ast::Field> = op
        .selection_set
        .iter()
        .filter_map(|s| match s {
            ast::Selection::Field(f) if f.name != "__typename" => Some(f.as_ref()),
            _ => None,
        })
        .collect();
    if root_fields.len() != 1
        || !shared
            .resolvers
            .query
            .contains_key(root_fields[0].name.as_str())
    {
        return Err(vec![user_error(
            "Invalid bulk query: the sandbox runs bulk queries with one top-level connection field.",
            "INVALID",
        )]);
    }
    if shared.bulk.running() >= MAX_CONCURRENT {
        return Err(vec![user_error(
            format!(
                "A bulk query operation for this app and shop is already in progress: {MAX_CONCURRENT} bulk query operations are running; wait for one to finish."
            ),
            "OPERATION_IN_PROGRESS",
        )]);
    }
    let id = BULK_ID_BASE + shared.bulk.next.fetch_add(1, Ordering::Relaxed);
    let op = Arc::new(Mutex::new(Op {
        id,
        status: "CREATED",
        error_code: None,
        created_at: now_secs(),
        completed_at: None,
        object_count: 0,
        root_object_count: 0,
        file_size: None,
        query: query.to_string(),
        cancel: Arc::new(AtomicBool::new(false)),
    }));
    shared.bulk.ops.lock().unwrap().push(op.clone());
    shared
        .counters
        .bulk_operations
        .fetch_add(1, Ordering::Relaxed);
    let rendered = BulkState::render(&op.lock().unwrap(), &shared.base_url());
    let sh = shared.clone();
    let q = query.to_string();
    let job = move || run(sh, op, q);
    match tokio::runtime::Handle::try_current() {
        Ok(h) => {
            h.spawn_blocking(job);
        }
        Err(_) => {
            std::thread::spawn(job);
        }
    }
    Ok(rendered)
}

/// The selections under a connection's `nodes` or `edges { node }`.
fn node_selection<'a>(
    sels: impl IntoIterator<Item = &'a ast::Selection>,
) -> Vec<&'a ast::Selection> {
    let mut out = Vec::new();
    for s in sels {
        if let ast::Selection::Field(f) = s {
            match f.name.as_str() {
                "nodes" => out.extend(f.selection_set.iter()),
                "edges" => {
                    for e in &f.selection_set {
                        if let ast::Selection::Field(n) = e {
                            if n.name == "node" {
                                out.extend(n.selection_set.iter());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn run(shared: Arc<Shared>, op: Arc<Mutex<Op>>, query: String) {
    let (id, cancel) = {
        let mut o = op.lock().unwrap();
        if o.status == "CREATED" {
            o.status = "RUNNING";
        }
        (o.id, o.cancel.clone())
    };
    let path = shared.bulk.file_path(id);
    let result = write_jsonl(&shared, &op, &query, &path, &cancel);
    let mut o = op.lock().unwrap();
    o.completed_at = Some(now_secs());
    o.file_size = std::fs::metadata(&path)
        .ok()
        .map(|m| m.len())
        .filter(|_| o.object_count > 0);
    match result {
        Ok(()) if cancel.load(Ordering::Relaxed) => o.status = "CANCELED",
        Ok(()) => o.status = "COMPLETED",
        Err(e) => {
            tracing::warn!("bulk operation {id} failed: {e}");
            o.status = "FAILED";
            o.error_code = Some("INTERNAL_SERVER_ERROR");
        }
    }
}

fn write_jsonl(
    shared: &Arc<Shared>,
    op: &Arc<Mutex<Op>>,
    query: &str,
    path: &std::path::Path,
    cancel: &AtomicBool,
) -> anyhow::Result<()> {
    let prepared = validate::prepare(shared.schema.as_deref(), query, None, &Value::Null)
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let operation = prepared.operation();
    let root_field = operation
        .selection_set
        .iter()
        .find_map(|s| match s {
            ast::Selection::Field(f) if f.name != "__typename" => Some(f),
            _ => None,
        })
        .ok_or_else(|| anyhow::anyhow!("no root field"))?;
    let resolver = *shared
        .resolvers
        .query
        .get(root_field.name.as_str())
        .ok_or_else(|| anyhow::anyhow!("no resolver"))?;
    let empty = Map::new();
    let ctx = Ctx {
        shared,
        path: Vec::new(),
        search_warnings: Vec::new(),
        bulk: true,
        idempotency_key: None,
    };
    let mut exec = Executor::new(ctx, shared.schema.as_deref(), &prepared.doc, &empty);
    let mut args = exec.field_args(root_field, "QueryRoot");
    args.remove("last");
    args.remove("before");
    args.insert("first".into(), json!(250));
    let node_sels = node_selection(root_field.selection_set.iter());
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    // Records are produced (read from the store, paged by the resolver) on one thread and
    // rendered to JSONL on this one: Shopify runs its exports in the background at its own pace,
    // and here the two halves of the work take about as long each.
    let (pages_tx, pages_rx) = std::sync::mpsc::sync_channel::<anyhow::Result<Page>>(4);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        scope.spawn(move || {
            let mut ctx = Ctx {
                shared,
                path: Vec::new(),
                search_warnings: Vec::new(),
                bulk: false,
                idempotency_key: None,
            };
            let mut after: Option<String> = None;
            while !cancel.load(Ordering::Relaxed) {
                let mut a = args.clone();
                if let Some(c) = &after {
                    a.insert("after".into(), json!(c));
                }
                let page = match resolver(&mut ctx, &a) {
                    Ok(Resolved::Page(p)) => Ok(p),
                    Ok(Resolved::Value(_)) => {
                        Err(anyhow::anyhow!("top-level field is not a connection"))
                    }
                    Err(e) => Err(anyhow::anyhow!("{}", e.message)),
                };
                let (next, last) = match &page {
                    Ok(p) => (p.items.last().map(|x| x.0.clone()), !p.has_next),
                    Err(_) => (None, true),
                };
                if pages_tx.send(page).is_err() || last {
                    break;
                }
                after = next;
            }
        });
        for page in pages_rx {
            let page = page?;
            let (mut objects, mut roots) = (0u64, 0u64);
            for (_, item) in &page.items {
                let t = item
                    .get("__typename")
                    .and_then(|t| t.as_str())
                    .unwrap_or("")
                    .to_string();
                let line = exec
                    .exec_selection(&node_sels, item, &t, &mut Vec::new())
                    .unwrap_or(Value::Null);
                serde_json::to_writer(&mut out, &line)?;
                out.write_all(b"\n")?;
                objects += 1;
                roots += 1;
                // Nested connections: their nodes follow as lines with __parentId.
                let mut pending: Vec<BulkChild> = std::mem::take(&mut exec.children);
                while let Some(child) = pending.pop() {
                    let sels = node_selection(child.selection.iter().copied());
                    let node_type = exec.node_type_of(&child.type_name);
                    for it in &child.items {
                        let t = it
                            .get("__typename")
                            .and_then(|t| t.as_str())
                            .map(|s| s.to_string())
                            .unwrap_or(node_type.clone());
                        let mut line = exec
                            .exec_selection(&sels, it, &t, &mut Vec::new())
                            .unwrap_or(Value::Null);
                        if let Value::Object(m) = &mut line {
                            m.insert("__parentId".into(), child.parent_id.clone());
                        }
                        serde_json::to_writer(&mut out, &line)?;
                        out.write_all(b"\n")?;
                        objects += 1;
                        let mut more = std::mem::take(&mut exec.children);
                        more.reverse();
                        pending.extend(more);
                    }
                }
            }
            {
                let mut o = op.lock().unwrap();
                o.object_count += objects;
                o.root_object_count += roots;
            }
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}
