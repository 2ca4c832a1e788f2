//! Query cost and the leaky bucket, as Shopify documents them
//! (https://shopify.dev/docs/api/usage/rate-limits):
//! scalar/enum 0, object 1, connection 2 + first × (cost of one node, the node counting 1 plus its
//! children), mutation 10. The requested cost is taken from the bucket up front, the difference to
//! the actual cost refunded. A single query may cost at most 1000.

use std::collections::HashMap;
use std::time::Instant;

use apollo_compiler::ast;
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{Node, Schema};
use serde_json::{json, Map, Value};

pub const MAX_QUERY_COST: u64 = 1000;
pub const MUTATION_COST: u64 = 10;

pub struct CostCalc<'a> {
    pub schema: Option<&'a Valid<Schema>>,
    pub fragments: HashMap<&'a str, &'a Node<ast::FragmentDefinition>>,
    pub vars: &'a Map<String, Value>,
}

enum Kind {
    Leaf,
    Object,
    Connection,
}

impl<'a> CostCalc<'a> {
    pub fn new(
        schema: Option<&'a Valid<Schema>>,
        doc: &'a ast::Document,
        vars: &'a Map<String, Value>,
    ) -> Self {
        let fragments = doc
            .definitions
            .iter()
            .filter_map(|d| match d {
                ast::Definition::FragmentDefinition(f) => Some((f.name.as_str(), f)),
                _ => None,
            })
            .collect();
        CostCalc {
            schema,
            fragments,
            vars,
        }
    }

    fn arg_int(&self, field: &ast::Field, name: &str) -> Option<i64> {
        let a = field.arguments.iter().find(|a| a.name == name)?;
        match a.value.as_ref() {
            ast::Value::Int(i) => i.as_str().parse().ok(),
            ast::Value::Variable(v) => self.vars.get(v.as_str()).and_then(|x| x.as_i64()),
            _ => None,
        }
    }

    fn arg_list_len(&self, field: &ast::Field, name: &str) -> Option<usize> {
        let a = field.arguments.iter().find(|a| a.name == name)?;
        match a.value.as_ref() {
            ast::Value::List(l) => Some(l.len()),
            ast::Value::Variable(v) => self
                .vars
                .get(v.as_str())
                .and_then(|x| x.as_array())
                .map(|x| x.len()),
            _ => Some(1),
        }
    }

    /// (kind, named type, is list) of a field.
    fn classify(&self, parent: &str, field: &ast::Field) -> (Kind, String, bool) {
        if let Some(s) = self.schema {
            if let Ok(def) = s.type_field(parent, field.name.as_str()) {
                let named = def.ty.inner_named_type().to_string();
                let is_list = def.ty.is_list();
                let kind = match s.types.get(named.as_str()) {
                    Some(ExtendedType::Scalar(_)) | Some(ExtendedType::Enum(_)) | None => {
                        Kind::Leaf
                    }
                    Some(_) if named.ends_with("Connection") => Kind::Connection,
                    Some(_) => Kind::Object,
                };
                return (kind, named, is_list);
            }
        }
        // Without a schema: a field with a selection set is an object; with first/last, a
        // connection.
        if field.selection_set.is_empty() {
            (Kind::Leaf, String::new(), false)
        } else if field
            .arguments
            .iter()
            .any(|a| a.name == "first" || a.name == "last")
        {
            (Kind::Connection, String::new(), false)
        } else {
            (Kind::Object, String::new(), false)
        }
    }

    fn fields_of<'s>(
        &'s self,
        sels: &'s [ast::Selection],
        out: &mut Vec<&'s Node<ast::Field>>,
        depth: usize,
    ) {
        if depth > 30 {
            return;
        }
        for s in sels {
            match s {
                ast::Selection::Field(f) => out.push(f),
                ast::Selection::InlineFragment(i) => {
                    self.fields_of(&i.selection_set, out, depth + 1)
                }
                ast::Selection::FragmentSpread(fs) => {
                    if let Some(f) = self.fragments.get(fs.fragment_name.as_str()) {
                        self.fields_of(&f.selection_set, out, depth + 1)
                    }
                }
            }
        }
    }

    /// The requested cost of a selection set on `parent`; with `data`, the actual cost of the
    /// response `data` (connections count the nodes returned).
    pub fn cost(&self, sels: &[ast::Selection], parent: &str, data: Option<&Value>) -> u64 {
        let mut fields = Vec::new();
        self.fields_of(sels, &mut fields, 0);
        let mut total = 0u64;
        for f in fields {
            if f.name == "__typename" {
                continue;
            }
            let key = f.alias.as_ref().unwrap_or(&f.name).as_str();
            let d = match data {
                Some(d) => match d.get(key) {
                    None | Some(Value::Null) => continue,
                    Some(v) => Some(v),
                },
                None => None,
            };
            let (kind, named, is_list) = self.classify(parent, f);
            match kind {
                Kind::Leaf => {}
                Kind::Object => {
                    let mult = match d {
                        Some(Value::Array(a)) => a.len() as u64,
                        Some(_) => 1,
                        None if is_list => self
                            .arg_list_len(f, "ids")
                            .or(self.arg_int(f, "first").map(|x| x.max(0) as usize))
                            .unwrap_or(1) as u64,
                        None => 1,
                    };
                    let per = match d {
                        Some(Value::Array(a)) => return_sum(
                            a.iter()
                                .map(|x| 1 + self.cost(&f.selection_set, &named, Some(x))),
                        ),
                        _ => mult * (1 + self.cost(&f.selection_set, &named, d)),
                    };
                    total += per;
                }
                Kind::Connection => {
                    total += 2 + self.connection_nodes_cost(f, &named, d);
                }
            }
        }
        total
    }

    fn connection_nodes_cost(&self, f: &ast::Field, conn_type: &str, data: Option<&Value>) -> u64 {
        let node_type = conn_type
            .strip_suffix("Connection")
            .unwrap_or("")
            .to_string();
        let edge_type = format!("{node_type}Edge");
        // Children of one node, from `nodes { .. }` and `edges { node { .. } }`.
        let mut fields = Vec::new();
        self.fields_of(&f.selection_set, &mut fields, 0);
        let mut nodes_sel: Vec<(&str, &[ast::Selection], bool)> = Vec::new();
        for c in &fields {
            let key = c.alias.as_ref().unwrap_or(&c.name).as_str();
            match c.name.as_str() {
                "nodes" => nodes_sel.push((key, &c.selection_set, false)),
                "edges" => nodes_sel.push((key, &c.selection_set, true)),
                _ => {}
            }
        }
        let resolve_node_type = |s: &Self| -> String {
            if let Some(sc) = s.schema {
                if let Ok(def) = sc.type_field(conn_type, "nodes") {
                    return def.ty.inner_named_type().to_string();
                }
            }
            node_type.clone()
        };
        let nt = resolve_node_type(self);
        match data {
            None => {
                let n = self
                    .arg_int(f, "first")
                    .or(self.arg_int(f, "last"))
                    .unwrap_or(0)
                    .max(0) as u64;
                let mut per_node = 0u64;
                for (_, sel, is_edges) in &nodes_sel {
                    let c = if *is_edges {
                        let mut inner = Vec::new();
                        self.fields_of(sel, &mut inner, 0);
                        inner
                            .iter()
                            .filter(|x| x.name == "node")
                            .map(|x| self.cost(&x.selection_set, &nt, None))
                            .max()
                            .unwrap_or(0)
                    } else {
                        self.cost(sel, &nt, None)
                    };
                    per_node = per_node.max(c);
                }
                let _ = edge_type;
                n * (1 + per_node)
            }
            Some(d) => {
                // Actual: one entry per node returned.
                let mut best = 0u64;
                for (key, sel, is_edges) in &nodes_sel {
                    let Some(arr) = d.get(*key).and_then(|x| x.as_array()) else {
                        continue;
                    };
                    let mut sum = 0u64;
                    for item in arr {
                        if *is_edges {
                            let mut inner = Vec::new();
                            self.fields_of(sel, &mut inner, 0);
                            let mut c = 0;
                            for x in inner.iter().filter(|x| x.name == "node") {
                                let k = x.alias.as_ref().unwrap_or(&x.name).as_str();
                                c = c.max(self.cost(&x.selection_set, &nt, item.get(k)));
                            }
                            sum += 1 + c;
                        } else {
                            sum += 1 + self.cost(sel, &nt, Some(item));
                        }
                    }
                    best = best.max(sum);
                }
                best
            }
        }
    }

    /// Cost of an operation: mutations cost 10 per root field.
    pub fn operation_cost(
        &self,
        op: &ast::OperationDefinition,
        root: &str,
        data: Option<&Value>,
    ) -> u64 {
        match op.operation_type {
            ast::OperationType::Mutation => {
                let mut fields = Vec::new();
                self.fields_of(&op.selection_set, &mut fields, 0);
                fields.iter().filter(|f| f.name != "__typename").count() as u64 * MUTATION_COST
            }
            _ => self.cost(&op.selection_set, root, data),
        }
    }
}

fn return_sum(it: impl Iterator<Item = u64>) -> u64 {
    it.sum()
}

/// Shopify's leaky bucket. Points restore continuously at `rate` per real second (the vendor rate
/// times the time scale).
#[derive(Debug)]
pub struct Bucket {
    pub max: f64,
    pub rate: f64,
    available: f64,
    last: Instant,
}

impl Bucket {
    pub fn new(max: f64, rate: f64) -> Bucket {
        Bucket {
            max,
            rate,
            available: max,
            last: Instant::now(),
        }
    }

    fn refill(&mut self) {
        let now = Instant::now();
        let dt = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.available = (self.available + dt * self.rate).min(self.max);
    }

    /// Takes `cost` points when the bucket holds them.
    pub fn try_take(&mut self, cost: f64) -> bool {
        self.refill();
        if self.available >= cost {
            self.available -= cost;
            true
        } else {
            false
        }
    }

    pub fn refund(&mut self, points: f64) {
        self.refill();
        self.available = (self.available + points).min(self.max);
    }

    pub fn reset(&mut self) {
        self.available = self.max;
        self.last = Instant::now();
    }

    pub fn status(&mut self) -> Value {
        self.refill();
        json!({
            "maximumAvailable": self.max,
            "currentlyAvailable": self.available.floor() as i64,
            "restoreRate": self.rate,
        })
    }
}
