//! Parsing and validation of request documents against Shopify's schema, and variable coercion.
//! Errors come out the way Shopify's GraphQL server (graphql-ruby) words them: message,
//! `locations`, `path` (starting with the operation, e.g. `"query CustomersPage"`), and
//! `extensions.code` (`undefinedField`, `argumentNotAccepted`, `missingRequiredArguments`, ...).

use apollo_compiler::ast;
use apollo_compiler::validation::{DiagnosticList, Valid};
use apollo_compiler::{Node, Schema};
use serde_json::{json, Map, Value};

/// Loads the SDL once. Shopify's schema is large (3.7 MB): callers share the result.
pub fn load_schema(path: &std::path::Path) -> anyhow::Result<Valid<Schema>> {
    let sdl = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("reading Shopify schema {}: {e}", path.display()))?;
    match Schema::parse_and_validate(sdl, path) {
        Ok(s) => Ok(s),
        Err(with) => {
            tracing::warn!(
                "Shopify schema {} has {} validation remarks; using it as parsed",
                path.display(),
                with.errors.len()
            );
            Ok(Valid::assume_valid(with.partial))
        }
    }
}

/// A document ready to execute.
pub struct Prepared {
    pub doc: ast::Document,
    /// Index of the selected operation in `doc.definitions`.
    pub op_index: usize,
    pub vars: Map<String, Value>,
}

impl Prepared {
    pub fn operation(&self) -> &Node<ast::OperationDefinition> {
        match &self.doc.definitions[self.op_index] {
            ast::Definition::OperationDefinition(o) => o,
            _ => unreachable!("op_index points at an operation"),
        }
    }
}

fn ticks(msg: &str) -> Vec<String> {
    msg.split('`')
        .skip(1)
        .step_by(2)
        .map(|s| s.to_string())
        .collect()
}

fn op_label(op: &ast::OperationDefinition) -> String {
    let kind = match op.operation_type {
        ast::OperationType::Query => "query",
        ast::OperationType::Mutation => "mutation",
        ast::OperationType::Subscription => "subscription",
    };
    match &op.name {
        Some(n) => format!("{kind} {n}"),
        None => kind.to_string(),
    }
}

/// The graphql-ruby style path of the field starting at (line, column).
fn path_at(doc: &ast::Document, line: usize, column: usize) -> Vec<Value> {
    fn walk(
        doc: &ast::Document,
        sels: &[ast::Selection],
        line: usize,
        column: usize,
        path: &mut Vec<Value>,
    ) -> bool {
        for s in sels {
            match s {
                ast::Selection::Field(f) => {
                    path.push(json!(f.name.as_str()));
                    if let Some(r) = f.line_column_range(&doc.sources) {
                        if r.start.line == line && r.start.column == column {
                            return true;
                        }
                        let inside = (r.start.line, r.start.column) <= (line, column)
                            && (line, column) <= (r.end.line, r.end.column);
                        if inside && walk(doc, &f.selection_set, line, column, path) {
                            return true;
                        }
                        if inside {
                            return true;
                        }
                    }
                    path.pop();
                }
                ast::Selection::InlineFragment(i) => {
                    let label = match &i.type_condition {
                        Some(t) => format!("... on {t}"),
                        None => "...".to_string(),
                    };
                    path.push(json!(label));
                    if walk(doc, &i.selection_set, line, column, path) {
                        return true;
                    }
                    path.pop();
                }
                ast::Selection::FragmentSpread(_) => {}
            }
        }
        false
    }
    for d in &doc.definitions {
        let (label, sels, range) = match d {
            ast::Definition::OperationDefinition(o) => (
                op_label(o),
                &o.selection_set,
                o.line_column_range(&doc.sources),
            ),
            ast::Definition::FragmentDefinition(f) => (
                format!("fragment {}", f.name),
                &f.selection_set,
                f.line_column_range(&doc.sources),
            ),
            _ => continue,
        };
        let Some(r) = range else { continue };
        if (r.start.line, r.start.column) <= (line, column)
            && (line, column) <= (r.end.line, r.end.column)
        {
            let mut path = vec![json!(label)];
            walk(doc, sels, line, column, &mut path);
            return path;
        }
    }
    Vec::new()
}

fn camel(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn op_name_for(doc: &ast::Document, path: &[Value]) -> String {
    let label = path.first().and_then(|v| v.as_str()).unwrap_or("");
    let name = label.split_once(' ').map(|x| x.1).unwrap_or("");
    if name.is_empty() {
        doc.definitions
            .iter()
            .find_map(|d| match d {
                ast::Definition::OperationDefinition(o) => o.name.as_ref().map(|n| n.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| "anonymous query".into())
    } else {
        name.to_string()
    }
}

/// Maps apollo-compiler diagnostics to Shopify-style errors.
pub fn map_diagnostics(doc: &ast::Document, list: &DiagnosticList) -> Vec<Value> {
    let mut out = Vec::new();
    for d in list.iter() {
        let range = d.line_column_range();
        let (line, column) = range
            .as_ref()
            .map(|r| (r.start.line, r.start.column))
            .unwrap_or((0, 0));
        let path = if range.is_some() {
            path_at(doc, line, column)
        } else {
            Vec::new()
        };
        let msg = d.error.to_string();
        let t = ticks(&msg);
        let name = d.error.unstable_error_name().unwrap_or("");
        let (message, ext) = match name {
            "UndefinedField" if t.len() >= 2 => (
                format!("Field '{}' doesn't exist on type '{}'", t[1], t[0]),
                json!({"code": "undefinedField", "typeName": t[0], "fieldName": t[1]}),
            ),
            "UndefinedArgument" if t.len() >= 2 => {
                let field = t[1].rsplit('.').next().unwrap_or(&t[1]).to_string();
                let is_dir = t[1].starts_with('@');
                (
                    format!(
                        "{} '{}' doesn't accept argument '{}'",
                        if is_dir { "Directive" } else { "Field" },
                        field.trim_start_matches('@'),
                        t[0]
                    ),
                    json!({"code": "argumentNotAccepted", "name": field, "typeName": if is_dir { "Directive" } else { "Field" }, "argumentName": t[0]}),
                )
            }
            "RequiredArgument" if !t.is_empty() => {
                // `Type.field(arg:)`
                let coord = &t[0];
                let field = coord
                    .split('(')
                    .next()
                    .unwrap_or("")
                    .rsplit('.')
                    .next()
                    .unwrap_or("")
                    .to_string();
                let arg = coord
                    .split('(')
                    .nth(1)
                    .unwrap_or("")
                    .trim_end_matches(')')
                    .trim_end_matches(':')
                    .to_string();
                (
                    format!("Field '{field}' is missing required arguments: {arg}"),
                    json!({"code": "missingRequiredArguments", "className": "Field", "name": field, "arguments": arg}),
                )
            }
            "UndefinedVariable" if !t.is_empty() => {
                let v = t[0].trim_start_matches('$').to_string();
                (
                    format!(
                        "Variable ${v} is used by {} but not declared",
                        op_name_for(doc, &path)
                    ),
                    json!({"code": "variableNotDefined", "variableName": v}),
                )
            }
            "UnusedVariable" if !t.is_empty() => {
                let v = t[0].trim_start_matches('$').to_string();
                (
                    format!(
                        "Variable ${v} is declared by {} but not used",
                        op_name_for(doc, &path)
                    ),
                    json!({"code": "variableNotUsed", "variableName": v}),
                )
            }
            "UndefinedFragment" if !t.is_empty() => (
                format!("Fragment {} was used, but not defined", t[0]),
                json!({"code": "useAndDefineFragment", "fragmentName": t[0]}),
            ),
            "UnusedFragment" if !t.is_empty() => (
                format!("Fragment {} was defined, but not used", t[0]),
                json!({"code": "useAndDefineFragment", "fragmentName": t[0]}),
            ),
            "UndefinedDefinition"
            | "UndefinedTypeInNamedFragmentTypeCondition"
            | "UndefinedTypeInInlineFragmentTypeCondition"
                if !t.is_empty() =>
            {
                (
                    format!("No such type {}, so it can't be a fragment condition", t[0]),
                    json!({"code": "undefinedType", "typeName": t[0]}),
                )
            }
            "MissingSubselection" => {
                let field = path
                    .last()
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string();
                (
                    format!("Field '{field}' returns an object but has no selections. Did you mean '{field} {{ ... }}'?"),
                    json!({"code": "selectionMismatch", "nodeName": format!("field '{field}'")}),
                )
            }
            "SubselectionOnScalarType" | "SubselectionOnEnumType" => {
                let field = path
                    .last()
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string();
                (
                    format!("Selections can't be made on scalars (field '{field}' has selections)"),
                    json!({"code": "selectionMismatch", "nodeName": format!("field '{field}'")}),
                )
            }
            "UndefinedEnumValue"
            | "UnsupportedValueType"
            | "IntCoercionError"
            | "FloatCoercionError"
            | "UndefinedInputValue"
            | "RequiredField" => (
                format!("Argument has an invalid value: {msg}"),
                json!({"code": "argumentLiteralsIncompatible"}),
            ),
            "DisallowedVariableUsage" => (msg.clone(), json!({"code": "variableMismatch"})),
            "InvalidFragmentSpread" => (msg.clone(), json!({"code": "fragmentSpreadTypeMismatch"})),
            "" => (msg.clone(), Value::Null),
            other => (msg.clone(), json!({"code": camel(other)})),
        };
        let mut e = json!({"message": message});
        if range.is_some() {
            e["locations"] = json!([{"line": line, "column": column}]);
        }
        if !path.is_empty() {
            e["path"] = json!(path);
        }
        if !ext.is_null() {
            e["extensions"] = ext;
        }
        out.push(e);
    }
    out
}

fn syntax_errors(list: &DiagnosticList) -> Vec<Value> {
    list.iter()
        .map(|d| {
            let mut e = json!({"message": format!("Parse error: {}", d.error)});
            if let Some(r) = d.line_column_range() {
                e["locations"] = json!([{"line": r.start.line, "column": r.start.column}]);
            }
            e
        })
        .collect()
}

/// Parses, validates, selects the operation and coerces the variables.
pub fn prepare(
    schema: Option<&Valid<Schema>>,
    query: &str,
    operation_name: Option<&str>,
    variables: &Value,
) -> Result<Prepared, Vec<Value>> {
    let doc = match ast::Document::parse(query, "query.graphql") {
        Ok(d) => d,
        Err(w) => return Err(syntax_errors(&w.errors)),
    };
    let executable = match schema {
        Some(s) => match doc.to_executable_validate(s) {
            Ok(e) => Some(e),
            Err(w) => return Err(map_diagnostics(&doc, &w.errors)),
        },
        None => {
            if let Err(list) = doc.validate_standalone_executable() {
                // Without a schema the built-in directives are unknown to the validator.
                let errors: Vec<Value> = map_diagnostics(&doc, &list)
                    .into_iter()
                    .filter(|e| e.pointer("/extensions/code") != Some(&json!("undefinedDirective")))
                    .collect();
                if !errors.is_empty() {
                    return Err(errors);
                }
            }
            None
        }
    };
    // The operation.
    let ops: Vec<(usize, &Node<ast::OperationDefinition>)> = doc
        .definitions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match d {
            ast::Definition::OperationDefinition(o) => Some((i, o)),
            _ => None,
        })
        .collect();
    let chosen = match operation_name.filter(|n| !n.is_empty()) {
        Some(name) => ops
            .iter()
            .find(|(_, o)| o.name.as_ref().is_some_and(|n| n == name)),
        None if ops.len() == 1 => ops.first(),
        None => return Err(vec![json!({"message": "An operation name is required"})]),
    };
    let Some((op_index, op)) = chosen.copied() else {
        return Err(vec![
            json!({"message": format!("No operation named \"{}\"", operation_name.unwrap_or(""))}),
        ]);
    };
    if op.operation_type == ast::OperationType::Subscription {
        return Err(vec![
            json!({"message": "Subscriptions are not supported by the Admin API"}),
        ]);
    }
    let provided = match variables {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        Value::String(s) if s.trim().is_empty() => Map::new(),
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        },
        _ => Map::new(),
    };
    // Required variables, in graphql-ruby's words.
    let mut errors = Vec::new();
    for vd in &op.variables {
        let name = vd.name.as_str();
        let given = provided.get(name);
        if vd.ty.is_non_null() && vd.default_value.is_none() && given.is_none_or(|v| v.is_null()) {
            let loc = vd.line_column_range(&doc.sources);
            let mut e = json!({
                "message": format!("Variable ${name} of type {} was provided invalid value", vd.ty),
                "extensions": {"value": given.cloned().unwrap_or(Value::Null), "problems": [{"path": [], "explanation": "Expected value to not be null"}]},
            });
            if let Some(r) = loc {
                e["locations"] = json!([{"line": r.start.line, "column": r.start.column}]);
            }
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let vars = match (schema, executable.as_ref()) {
        (Some(s), Some(exe)) => {
            let name = op.name.as_ref().map(|n| n.as_str());
            let operation = exe
                .operations
                .get(name)
                .map_err(|_| vec![json!({"message": "No such operation"})])?;
            let input: apollo_compiler::response::JsonMap =
                serde_json::from_value(Value::Object(provided.clone())).unwrap_or_default();
            match apollo_compiler::request::coerce_variable_values(s, operation, &input) {
                Ok(v) => match serde_json::to_value(v.into_inner()) {
                    Ok(Value::Object(m)) => m,
                    _ => provided.clone(),
                },
                Err(e) => {
                    let msg = e.message().to_string();
                    let var = op
                        .variables
                        .iter()
                        .find(|vd| {
                            msg.contains(&format!("${}", vd.name))
                                || msg.contains(&format!("`{}`", vd.name))
                                || msg.contains(&format!("'{}'", vd.name))
                        })
                        .or_else(|| op.variables.first());
                    let mut err = match var {
                        Some(vd) => json!({
                            "message": format!("Variable ${} of type {} was provided invalid value", vd.name, vd.ty),
                            "extensions": {"value": provided.get(vd.name.as_str()).cloned().unwrap_or(Value::Null), "problems": [{"path": [], "explanation": msg}]},
                        }),
                        None => json!({"message": msg}),
                    };
                    if let Some(r) = var.and_then(|vd| vd.line_column_range(&doc.sources)) {
                        err["locations"] =
                            json!([{"line": r.start.line, "column": r.start.column}]);
                    }
                    return Err(vec![err]);
                }
            }
        }
        _ => {
            let mut m = provided.clone();
            for vd in &op.variables {
                if !m.contains_key(vd.name.as_str()) {
                    if let Some(d) = &vd.default_value {
                        m.insert(vd.name.to_string(), const_value(d));
                    }
                }
            }
            m
        }
    };
    Ok(Prepared {
        doc,
        op_index,
        vars,
    })
}

fn const_value(v: &ast::Value) -> Value {
    match v {
        ast::Value::Null | ast::Value::Variable(_) => Value::Null,
        ast::Value::Enum(n) => json!(n.as_str()),
        ast::Value::String(s) => json!(s),
        ast::Value::Float(f) => json!(f.try_to_f64().unwrap_or(0.0)),
        ast::Value::Int(i) => json!(i.as_str().parse::<i64>().unwrap_or(0)),
        ast::Value::Boolean(b) => json!(b),
        ast::Value::List(l) => Value::Array(l.iter().map(|x| const_value(x)).collect()),
        ast::Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.to_string(), const_value(x)))
                .collect(),
        ),
    }
}
