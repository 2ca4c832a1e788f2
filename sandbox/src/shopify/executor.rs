//! A generic GraphQL executor: walks the operation's selection set (fields, aliases, arguments
//! with variables, inline fragments and named fragments with type conditions, `@skip`/`@include`,
//! `__typename`) over the store's JSON objects and returns exactly the fields asked for, in order.
//!
//! What a field resolves to is decided, in this order, by:
//! 1. a root resolver (`QueryRoot.customers`, `Mutation.bulkOperationRunQuery`, ...),
//! 2. a type resolver registered for `(type, field)` (computed fields),
//! 3. the stored object's own value, where `{"__ref": gid}` is a link followed on demand and
//!    `{"__conn": [...]}` a nested connection paged with the field's arguments.
//!
//! New mutations and fields are added to [`Resolvers`] without touching this file.

use std::collections::HashMap;
use std::sync::Arc;

use apollo_compiler::ast;
use apollo_compiler::validation::Valid;
use apollo_compiler::{Node, Schema};
use serde_json::{json, Map, Value};

use super::search::{self, FieldFn, Query};
use super::store::{page_vec, Page, PageArgs};
use super::Shared;

/// The largest page a connection serves (https://shopify.dev/docs/api/usage/pagination-graphql).
pub const MAX_PAGE: i64 = 250;

/// What a resolver produced.
pub enum Resolved {
    /// Any JSON: an object with its `__typename` (and `__ref`/`__conn` markers), a scalar, a list.
    Value(Value),
    /// One page of a connection.
    Page(Page),
}

#[derive(Debug, Clone)]
pub struct FieldError {
    pub message: String,
    pub extensions: Option<Value>,
}

impl FieldError {
    pub fn new(message: impl Into<String>) -> FieldError {
        FieldError {
            message: message.into(),
            extensions: None,
        }
    }
    pub fn with_code(message: impl Into<String>, code: &str) -> FieldError {
        FieldError {
            message: message.into(),
            extensions: Some(json!({"code": code})),
        }
    }
}

pub type RootFn = fn(&mut Ctx<'_>, &Map<String, Value>) -> Result<Resolved, FieldError>;
pub type TypeFieldFn =
    fn(&mut Ctx<'_>, &Value, &Map<String, Value>) -> Result<Resolved, FieldError>;

/// The resolvers of the fake: root query fields, root mutation fields, computed type fields.
#[derive(Default)]
pub struct Resolvers {
    pub query: HashMap<&'static str, RootFn>,
    pub mutation: HashMap<&'static str, RootFn>,
    pub fields: HashMap<(&'static str, &'static str), TypeFieldFn>,
}

/// What a resolver can reach: the shared state, and the request's extensions.
pub struct Ctx<'a> {
    pub shared: &'a Arc<Shared>,
    /// The response key path of the field being resolved.
    pub path: Vec<Value>,
    /// `extensions.search` warnings.
    pub search_warnings: Vec<Value>,
    /// In a bulk operation: connections are not paged (no `first:` needed).
    pub bulk: bool,
    /// The `@idempotent(key:)` of the root field being resolved, if it has one.
    pub idempotency_key: Option<String>,
}

impl Ctx<'_> {
    /// Parses a `query:` argument, recording warnings for fields the resource cannot be
    /// searched by.
    pub fn search(&mut self, args: &Map<String, Value>, fields: FieldFn) -> Option<Query> {
        let q = args.get("query").and_then(|v| v.as_str())?;
        let parsed = search::parse(q);
        let unknown = search::unknown_fields(&parsed, fields);
        if !unknown.is_empty() {
            self.search_warnings.push(json!({
                "path": self.path,
                "query": q,
                "warnings": unknown.iter().map(|f| json!({"field": f, "message": "Invalid search field for this query."})).collect::<Vec<_>>(),
            }));
        }
        Some(parsed)
    }
}

/// Reads the paging arguments of a connection field, with Shopify's rules.
pub fn page_args(args: &Map<String, Value>, bulk: bool) -> Result<PageArgs, FieldError> {
    let int = |k: &str| args.get(k).and_then(|v| v.as_i64());
    let s = |k: &str| args.get(k).and_then(|v| v.as_str()).map(|x| x.to_string());
    let (first, last) = (int("first"), int("last"));
    let reverse = args
        .get("reverse")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if bulk {
        return Ok(PageArgs {
            first: Some(usize::MAX / 2),
            last: None,
            after: None,
            before: None,
            reverse,
        });
    }
    if first.is_none() && last.is_none() {
        return Err(FieldError::new("you must provide one of first or last"));
    }
    for (name, v) in [("first", first), ("last", last)] {
        if let Some(v) = v {
            if v < 0 {
                return Err(FieldError::new(format!(
                    "{name} must be a non-negative integer"
                )));
            }
            if v > MAX_PAGE {
                return Err(FieldError::with_code(
                    format!("The maximum number of items you can request with `{name}` is {MAX_PAGE}; {v} requested."),
                    "BAD_REQUEST",
                ));
            }
        }
    }
    if last.is_some() && first.is_none() && args.get("before").is_none_or(|b| b.is_null()) {
        return Err(FieldError::new(
            "using last without before is not supported",
        ));
    }
    Ok(PageArgs {
        first: first.map(|v| v as usize),
        last: if first.is_some() {
            None
        } else {
            last.map(|v| v as usize)
        },
        after: s("after"),
        before: s("before"),
        reverse,
    })
}

/// Pages an in-memory list (a nested connection): natural order is the list's order.
pub fn page_list(items: &[Value], args: &PageArgs) -> Result<Page, FieldError> {
    let all = items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let id = v
                .get("id")
                .and_then(|x| x.as_str())
                .and_then(crate::seed::parse_gid)
                .map(|(_, id)| id)
                .unwrap_or(i as u64);
            (json!(i), id, v.clone())
        })
        .collect();
    page_vec(all, args).map_err(|_| FieldError::new("Invalid cursor."))
}

/// Object types the fake knows, by the abstract types they belong to (used without a schema).
fn builtin_subtype(abstract_type: &str, object: &str) -> bool {
    match abstract_type {
        "Node" => true,
        "Event" => object.ends_with("Event"),
        "Media" | "File" => object == "MediaImage",
        "HasEvents" => matches!(object, "Customer" | "Product" | "Order" | "ProductVariant"),
        "HasMetafields" => matches!(
            object,
            "Customer" | "Product" | "Order" | "ProductVariant" | "Shop" | "Location"
        ),
        "DisplayableError" => object.ends_with("Error"),
        _ => false,
    }
}

pub struct Executor<'a> {
    pub ctx: Ctx<'a>,
    schema: Option<&'a Valid<Schema>>,
    doc: &'a ast::Document,
    fragments: HashMap<&'a str, &'a Node<ast::FragmentDefinition>>,
    vars: &'a Map<String, Value>,
    pub errors: Vec<Value>,
    /// Bulk mode: connections met below the root, to be written as separate lines.
    pub children: Vec<BulkChild<'a>>,
}

/// A nested connection collected in bulk mode.
pub struct BulkChild<'a> {
    pub parent_id: Value,
    pub items: Vec<Value>,
    /// The connection field's selection (`edges { node { .. } }` / `nodes { .. }`).
    pub selection: Vec<&'a ast::Selection>,
    /// The connection type (`LineItemConnection`).
    pub type_name: String,
}

type Fields<'s> = Vec<(String, Vec<&'s Node<ast::Field>>)>;

impl<'a> Executor<'a> {
    pub fn new(
        ctx: Ctx<'a>,
        schema: Option<&'a Valid<Schema>>,
        doc: &'a ast::Document,
        vars: &'a Map<String, Value>,
    ) -> Executor<'a> {
        let fragments = doc
            .definitions
            .iter()
            .filter_map(|d| match d {
                ast::Definition::FragmentDefinition(f) => Some((f.name.as_str(), f)),
                _ => None,
            })
            .collect();
        Executor {
            ctx,
            schema,
            doc,
            fragments,
            vars,
            errors: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn root_type(&self, op: ast::OperationType) -> String {
        if let Some(s) = self.schema {
            if let Some(t) = s.root_operation(op) {
                return t.to_string();
            }
        }
        match op {
            ast::OperationType::Query => "QueryRoot".into(),
            ast::OperationType::Mutation => "Mutation".into(),
            ast::OperationType::Subscription => "Subscription".into(),
        }
    }

    /// Executes an operation: returns `data` (None when null propagated to the top).
    pub fn execute(&mut self, op: &'a ast::OperationDefinition) -> Option<Value> {
        let root = self.root_type(op.operation_type);
        let root_obj = json!({"__typename": root});
        let sels: Vec<&ast::Selection> = op.selection_set.iter().collect();
        self.exec_selection(&sels, &root_obj, &root, &mut Vec::new())
            .ok()
    }

    fn location(&self, field: &Node<ast::Field>) -> Value {
        match field.line_column_range(&self.doc.sources) {
            Some(r) => json!([{"line": r.start.line, "column": r.start.column}]),
            None => json!([]),
        }
    }

    pub fn applies(&self, object_type: &str, condition: &str) -> bool {
        if object_type == condition {
            return true;
        }
        match self.schema {
            Some(s) => s.is_subtype(condition, object_type),
            None => builtin_subtype(condition, object_type),
        }
    }

    fn directives_allow(&self, directives: &ast::DirectiveList) -> bool {
        for d in directives.iter() {
            let arg = d
                .arguments
                .iter()
                .find(|a| a.name == "if")
                .map(|a| self.value(&a.value))
                .and_then(|v| v.as_bool());
            match d.name.as_str() {
                "skip" if arg == Some(true) => return false,
                "include" if arg == Some(false) => return false,
                _ => {}
            }
        }
        true
    }

    /// Evaluates an argument value with the request's variables.
    pub fn value(&self, v: &ast::Value) -> Value {
        match v {
            ast::Value::Null => Value::Null,
            ast::Value::Enum(n) => json!(n.as_str()),
            ast::Value::Variable(n) => self.vars.get(n.as_str()).cloned().unwrap_or(Value::Null),
            ast::Value::String(s) => json!(s),
            ast::Value::Float(f) => json!(f.try_to_f64().unwrap_or(0.0)),
            ast::Value::Int(i) => match i.as_str().parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) => json!(i.try_to_f64().unwrap_or(0.0)),
            },
            ast::Value::Boolean(b) => json!(b),
            ast::Value::List(items) => Value::Array(items.iter().map(|x| self.value(x)).collect()),
            ast::Value::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, x)| (k.to_string(), self.value(x)))
                    .collect(),
            ),
        }
    }

    /// A field's arguments with variables substituted and the schema's defaults filled in.
    pub fn field_args(&self, field: &ast::Field, parent_type: &str) -> Map<String, Value> {
        let mut out = Map::new();
        for a in &field.arguments {
            if let ast::Value::Variable(n) = a.value.as_ref() {
                if !self.vars.contains_key(n.as_str()) {
                    continue; // absent variable: the argument's default applies
                }
            }
            out.insert(a.name.to_string(), self.value(&a.value));
        }
        if let Some(s) = self.schema {
            if let Ok(def) = s.type_field(parent_type, field.name.as_str()) {
                for arg in &def.arguments {
                    if !out.contains_key(arg.name.as_str()) {
                        if let Some(d) = &arg.default_value {
                            out.insert(arg.name.to_string(), self.value(d));
                        }
                    }
                }
            }
        }
        out
    }

    /// The node type of a connection type (`LineItemConnection` -> `LineItem`).
    pub fn node_type_of(&self, conn_type: &str) -> String {
        if let Some(s) = self.schema {
            if let Ok(def) = s.type_field(conn_type, "nodes") {
                return def.ty.inner_named_type().to_string();
            }
        }
        conn_type
            .strip_suffix("Connection")
            .unwrap_or(conn_type)
            .to_string()
    }

    /// (named output type, non-null?) of a field, from the schema.
    fn field_type(&self, parent_type: &str, name: &str) -> (Option<String>, bool) {
        match self
            .schema
            .and_then(|s| s.type_field(parent_type, name).ok())
        {
            Some(def) => (
                Some(def.ty.inner_named_type().to_string()),
                def.ty.is_non_null(),
            ),
            None => (None, false),
        }
    }

    /// Runs a selection set over one object. `Err(())`: a non-null field was null, so the
    /// object is null (the errors are in `self.errors`).
    #[allow(clippy::result_unit_err)]
    pub fn exec_selection(
        &mut self,
        sels: &[&'a ast::Selection],
        obj: &Value,
        object_type: &str,
        path: &mut Vec<Value>,
    ) -> Result<Value, ()> {
        let mut fields: Fields<'a> = Vec::new();
        self.collect_a(sels, object_type, &mut fields);
        let mut out = Map::new();
        for (key, group) in fields {
            path.push(json!(key));
            let v = self.resolve_field(object_type, obj, &group, path);
            path.pop();
            match v {
                Ok(v) => {
                    if self.ctx.bulk && v == Value::String(BULK_OMIT.into()) {
                        continue;
                    }
                    out.insert(key, v);
                }
                Err(()) => return Err(()),
            }
        }
        Ok(Value::Object(out))
    }

    fn collect_a(&self, sels: &[&'a ast::Selection], object_type: &str, out: &mut Fields<'a>) {
        for sel in sels {
            match sel {
                ast::Selection::Field(f) => {
                    if !self.directives_allow(&f.directives) {
                        continue;
                    }
                    let key = f.alias.as_ref().unwrap_or(&f.name).to_string();
                    match out.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, v)) => v.push(f),
                        None => out.push((key, vec![f])),
                    }
                }
                ast::Selection::InlineFragment(inl) => {
                    if !self.directives_allow(&inl.directives) {
                        continue;
                    }
                    if let Some(tc) = &inl.type_condition {
                        if !self.applies(object_type, tc.as_str()) {
                            continue;
                        }
                    }
                    let inner: Vec<&'a ast::Selection> = inl.selection_set.iter().collect();
                    self.collect_a(&inner, object_type, out);
                }
                ast::Selection::FragmentSpread(fs) => {
                    if !self.directives_allow(&fs.directives) {
                        continue;
                    }
                    if let Some(frag) = self.fragments.get(fs.fragment_name.as_str()).copied() {
                        if !self.applies(object_type, frag.type_condition.as_str()) {
                            continue;
                        }
                        let inner: Vec<&'a ast::Selection> = frag.selection_set.iter().collect();
                        self.collect_a(&inner, object_type, out);
                    }
                }
            }
        }
    }

    fn field_error(&mut self, field: &Node<ast::Field>, path: &[Value], e: FieldError) {
        let mut err =
            json!({"message": e.message, "locations": self.location(field), "path": path});
        if let Some(ext) = e.extensions {
            err["extensions"] = ext;
        }
        self.errors.push(err);
    }

    fn resolve_field(
        &mut self,
        object_type: &str,
        obj: &Value,
        group: &[&'a Node<ast::Field>],
        path: &mut Vec<Value>,
    ) -> Result<Value, ()> {
        let field = group[0];
        let name = field.name.as_str();
        if name == "__typename" {
            return Ok(json!(obj
                .get("__typename")
                .and_then(|t| t.as_str())
                .unwrap_or(object_type)));
        }
        let (declared, non_null) = self.field_type(object_type, name);
        let args = self.field_args(field, object_type);
        let sub: Vec<&'a ast::Selection> =
            group.iter().flat_map(|f| f.selection_set.iter()).collect();
        let shared = self.ctx.shared.clone();
        let is_query_root = object_type == self.root_type(ast::OperationType::Query);
        let is_mutation_root = object_type == self.root_type(ast::OperationType::Mutation);
        self.ctx.path = path.clone();
        let resolved: Result<Resolved, FieldError> = if is_query_root || is_mutation_root {
            self.ctx.idempotency_key = field
                .directives
                .iter()
                .find(|d| d.name == "idempotent")
                .and_then(|d| d.arguments.iter().find(|a| a.name == "key"))
                .and_then(|a| self.value(&a.value).as_str().map(str::to_string));
            let table = if is_mutation_root {
                &shared.resolvers.mutation
            } else {
                &shared.resolvers.query
            };
            match table.get(name) {
                Some(f) => f(&mut self.ctx, &args),
                None => Err(FieldError::with_code(
                    format!("The sandbox does not implement `{object_type}.{name}` yet."),
                    "NOT_IMPLEMENTED",
                )),
            }
        } else if let Some(f) = shared
            .resolvers
            .fields
            .get(&(object_type_static(object_type, obj), name))
        {
            f(&mut self.ctx, obj, &args)
        } else {
            match obj.get(name) {
                Some(Value::Object(m)) if m.contains_key("__conn") => {
                    let items = m["__conn"].as_array().cloned().unwrap_or_default();
                    if self.ctx.bulk {
                        // Written as separate lines with __parentId.
                        let type_name = declared.clone().unwrap_or_default();
                        self.children.push(BulkChild {
                            parent_id: obj.get("id").cloned().unwrap_or(Value::Null),
                            items,
                            selection: sub.clone(),
                            type_name,
                        });
                        return Ok(Value::String(BULK_OMIT.into()));
                    }
                    page_args(&args, false)
                        .and_then(|pa| page_list(&items, &pa))
                        .map(Resolved::Page)
                }
                Some(v) => Ok(Resolved::Value(v.clone())),
                None => Ok(Resolved::Value(Value::Null)),
            }
        };
        let resolved = match resolved {
            Ok(r) => r,
            Err(e) => {
                self.field_error(field, path, e);
                return if non_null { Err(()) } else { Ok(Value::Null) };
            }
        };
        if self.ctx.bulk {
            if let Resolved::Page(p) = &resolved {
                self.children.push(BulkChild {
                    parent_id: obj.get("id").cloned().unwrap_or(Value::Null),
                    items: p.items.iter().map(|x| x.1.clone()).collect(),
                    selection: sub.clone(),
                    type_name: declared.clone().unwrap_or_default(),
                });
                return Ok(Value::String(BULK_OMIT.into()));
            }
        }
        let value = match resolved {
            Resolved::Page(p) => connection_object(p, declared.as_deref()),
            Resolved::Value(v) => v,
        };
        let r = self.complete(value, &sub, declared.as_deref(), path);
        match r {
            Ok(Value::Null) if non_null => Err(()),
            Ok(v) => Ok(v),
            Err(()) => {
                if non_null {
                    Err(())
                } else {
                    Ok(Value::Null)
                }
            }
        }
    }

    fn complete(
        &mut self,
        value: Value,
        sub: &[&'a ast::Selection],
        declared: Option<&str>,
        path: &mut Vec<Value>,
    ) -> Result<Value, ()> {
        match value {
            Value::Null => Ok(Value::Null),
            Value::Object(ref m) if m.contains_key("__ref") => {
                let g = m["__ref"].as_str().unwrap_or("").to_string();
                let target = self.ctx.shared.node(&g);
                match target {
                    Some(t) => self.complete(t, sub, declared, path),
                    None => Ok(Value::Null),
                }
            }
            Value::Object(_) if sub.is_empty() => Ok(value),
            Value::Object(ref m) => {
                let t = m
                    .get("__typename")
                    .and_then(|t| t.as_str())
                    .map(|s| s.to_string())
                    .or_else(|| declared.map(|d| d.to_string()))
                    .unwrap_or_default();
                self.exec_selection(sub, &value, &t, path)
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    path.push(json!(i));
                    let v = self
                        .complete(item, sub, declared, path)
                        .unwrap_or(Value::Null);
                    path.pop();
                    out.push(v);
                }
                Ok(Value::Array(out))
            }
            scalar => Ok(scalar),
        }
    }
}

/// Marker for a field left out of a bulk line (it becomes separate lines).
const BULK_OMIT: &str = "\u{0}__bulk_omit__";

fn object_type_static(object_type: &str, obj: &Value) -> &'static str {
    // Type resolvers are keyed by static names; map the few we register.
    let t = obj
        .get("__typename")
        .and_then(|t| t.as_str())
        .unwrap_or(object_type);
    match t {
        "Customer" => "Customer",
        "Product" => "Product",
        "Order" => "Order",
        "ProductVariant" => "ProductVariant",
        "Shop" => "Shop",
        "Location" => "Location",
        "InventoryItem" => "InventoryItem",
        "InventoryLevel" => "InventoryLevel",
        "AbandonedCheckout" => "AbandonedCheckout",
        _ => "",
    }
}

/// Turns a page into a connection object that selections run over.
pub fn connection_object(p: Page, declared: Option<&str>) -> Value {
    let node_type = p
        .items
        .first()
        .and_then(|(_, v)| v.get("__typename"))
        .and_then(|t| t.as_str())
        .unwrap_or("Node")
        .to_string();
    let conn_type = declared
        .map(|d| d.to_string())
        .unwrap_or(format!("{node_type}Connection"));
    let edge_type = conn_type
        .strip_suffix("Connection")
        .map(|b| format!("{b}Edge"))
        .unwrap_or("Edge".into());
    let start = p
        .items
        .first()
        .map(|(c, _)| json!(c))
        .unwrap_or(Value::Null);
    let end = p.items.last().map(|(c, _)| json!(c)).unwrap_or(Value::Null);
    let edges: Vec<Value> = p
        .items
        .iter()
        .map(|(c, v)| json!({"__typename": edge_type, "cursor": c, "node": v}))
        .collect();
    let nodes: Vec<Value> = p.items.into_iter().map(|(_, v)| v).collect();
    json!({
        "__typename": conn_type,
        "edges": edges,
        "nodes": nodes,
        "pageInfo": {
            "__typename": "PageInfo",
            "hasNextPage": p.has_next,
            "hasPreviousPage": p.has_prev,
            "startCursor": start,
            "endCursor": end,
        },
    })
}

/// Removes the fake's internal markers: what the API would show for the whole record.
pub fn api_view(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            if let Some(g) = m.get("__ref") {
                return json!({"id": g});
            }
            if let Some(items) = m.get("__conn") {
                return json!({"nodes": items.as_array().map(|a| a.iter().map(api_view).collect::<Vec<_>>()).unwrap_or_default()});
            }
            Value::Object(
                m.iter()
                    .filter(|(k, _)| !k.starts_with("__"))
                    .map(|(k, v)| (k.clone(), api_view(v)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(api_view).collect()),
        other => other.clone(),
    }
}
