//! The catalogue file: read (the back office's product export) and written (the first-time
//! link, which imports the shop's products into a file back office).
//!
//! CSV: one row per variant, the product's fields repeated on each of its rows, a header row.
//! Columns (any order, names case-insensitive):
//!
//! | column | |
//! |---|---|
//! | `product` | required: the back office's product number; rows with the same value are one product |
//! | `sku` | required: the variant's item number, unique in the file |
//! | `name` | required |
//! | `status` | `active` (default), `inactive`/`draft` or `archived` |
//! | `online` | `yes` (default) or `no`: whether the product belongs in the web shop |
//! | `description` | text or HTML |
//! | `images` | image URLs separated by `\|` |
//! | `option1_name` ... `option3_name`, `option1_value` ... `option3_value` | variant options |
//! | `barcode` | |
//! | `price` or `price:DEPARTMENT` | the price, for one or more departments (price lists) |
//! | `inventory_tracked` | `yes` (default) or `no` |
//! | `stock:WAREHOUSE` | quantity at that warehouse |
//! | `updated_at` | when the back office last changed the product (RFC 3339) |
//!
//! JSON Lines: one product per line, `{"product", "name", "status", "online", "description",
//! "images": [..], "options": [..], "updated_at", "variants": [{"sku", "barcode", "options":
//! [..], "prices": {DEPT: "199.00"}, "inventory_tracked", "stock": {WAREHOUSE: 5}}]}`.
//!
//! A bad row (missing SKU, malformed price, unknown status, broken image URL, non-UTF-8 bytes,
//! wrong column count, ...) is reported with file, line and reason, and its product is left out
//! whole (pushing a product without one of its variants could remove that variant from the
//! shop); the other products go on. A duplicate SKU takes out every product that has it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Format;
use crate::catalogue::{
    check_image_url, normalize_price, Catalogue, CatalogueProduct, CatalogueVariant, Problem,
    ProductStatus,
};
use crate::error::CliError;

/// The department name used for a plain `price` column (and a JSON `"price"`).
pub const DEFAULT_DEPARTMENT: &str = "default";
/// The warehouse name used for a plain `stock` column.
pub const DEFAULT_WAREHOUSE: &str = "default";

/// Reads the catalogue file at `path`. A file that cannot be opened, or whose header is not a
/// catalogue header, is an error; a bad row is a [`Problem`].
pub fn read(path: &Path) -> Result<Catalogue, CliError> {
    let format = Format::of(path)?;
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::config(format!("cannot read the catalogue {}: {e}", path.display()))
            .hint("check `catalogue` in the profile's [backoffice] table")
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut catalogue = match format {
        Format::Csv => read_csv(&name, &bytes)?,
        Format::JsonLines => read_jsonl(&name, &bytes),
    };
    catalogue.reject_duplicate_skus();
    Ok(catalogue)
}

/// One variant row, as written, before it is checked.
#[derive(Debug, Default, Clone, PartialEq)]
struct RawRow {
    product: String,
    sku: String,
    name: String,
    status: String,
    online: String,
    description: String,
    images: String,
    option_names: [String; 3],
    option_values: [String; 3],
    barcode: String,
    prices: BTreeMap<String, String>,
    inventory_tracked: String,
    stock: BTreeMap<String, String>,
    updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Product,
    Sku,
    Name,
    Status,
    Online,
    Description,
    Images,
    OptionName(usize),
    OptionValue(usize),
    Barcode,
    Price(usize),
    InventoryTracked,
    Stock(usize),
    UpdatedAt,
}

const KNOWN: &str = "product, sku, name, status, online, description, images, option1_name..option3_name, \
option1_value..option3_value, barcode, price, price:DEPARTMENT, inventory_tracked, stock, stock:WAREHOUSE, updated_at";

struct Header {
    columns: Vec<Column>,
    departments: Vec<String>,
    warehouses: Vec<String>,
}

fn parse_header(file: &str, fields: &[String]) -> Result<Header, CliError> {
    let mut header = Header {
        columns: Vec::new(),
        departments: Vec::new(),
        warehouses: Vec::new(),
    };
    let bad = |why: String| {
        CliError::config(format!("{file}:1: {why}")).hint(format!(
            "the catalogue's header row names its columns: {KNOWN}"
        ))
    };
    for raw in fields {
        let name = raw.trim().trim_start_matches('\u{feff}');
        let lower = name.to_ascii_lowercase();
        let column = match lower.as_str() {
            "product" => Column::Product,
            "sku" => Column::Sku,
            "name" => Column::Name,
            "status" => Column::Status,
            "online" => Column::Online,
            "description" => Column::Description,
            "images" => Column::Images,
            "barcode" => Column::Barcode,
            "inventory_tracked" => Column::InventoryTracked,
            "updated_at" => Column::UpdatedAt,
            "price" => {
                header.departments.push(DEFAULT_DEPARTMENT.into());
                Column::Price(header.departments.len() - 1)
            }
            "stock" => {
                header.warehouses.push(DEFAULT_WAREHOUSE.into());
                Column::Stock(header.warehouses.len() - 1)
            }
            _ => {
                if lower.starts_with("price:") {
                    let d = name["price:".len()..].trim();
                    if d.is_empty() {
                        return Err(bad(format!("column `{name}` names no department")));
                    }
                    header.departments.push(d.to_string());
                    Column::Price(header.departments.len() - 1)
                } else if lower.starts_with("stock:") {
                    let w = name["stock:".len()..].trim();
                    if w.is_empty() {
                        return Err(bad(format!("column `{name}` names no warehouse")));
                    }
                    header.warehouses.push(w.to_string());
                    Column::Stock(header.warehouses.len() - 1)
                } else if let Some(n) = option_column(&lower) {
                    n
                } else {
                    return Err(bad(format!("unknown column `{name}`")));
                }
            }
        };
        if header.columns.contains(&column) {
            return Err(bad(format!("column `{name}` appears twice")));
        }
        header.columns.push(column);
    }
    for (col, label) in [
        (Column::Product, "product"),
        (Column::Sku, "sku"),
        (Column::Name, "name"),
    ] {
        if !header.columns.contains(&col) {
            return Err(bad(format!("the required column `{label}` is missing")));
        }
    }
    for list in [&header.departments, &header.warehouses] {
        let mut sorted = list.clone();
        sorted.sort();
        if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
            return Err(bad(format!("`{}` has two columns", w[0])));
        }
    }
    Ok(header)
}

fn option_column(lower: &str) -> Option<Column> {
    for n in 1..=3 {
        if lower == format!("option{n}_name") {
            return Some(Column::OptionName(n - 1));
        }
        if lower == format!("option{n}_value") {
            return Some(Column::OptionValue(n - 1));
        }
    }
    None
}

fn read_csv(file: &str, bytes: &[u8]) -> Result<Catalogue, CliError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => {
            return Err(CliError::config(format!("{file} is empty"))
                .hint(format!("a catalogue CSV starts with a header row: {KNOWN}")))
        }
        Some(Err(e)) => return Err(CliError::config(format!("{file}:1: {e}"))),
        Some(Ok(record)) => {
            let fields: Result<Vec<String>, _> = record
                .iter()
                .map(|f| String::from_utf8(f.to_vec()))
                .collect();
            let fields = fields.map_err(|_| {
                CliError::config(format!("{file}:1: the header row is not UTF-8 text"))
                    .hint("save the file as UTF-8")
            })?;
            parse_header(file, &fields)?
        }
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.push(Problem {
                    origin: format!("{file}:{line}"),
                    reason: format!("not readable as CSV: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if record.len() != header.columns.len() {
            problems.push(Problem {
                origin: format!("{file}:{line}"),
                reason: format!(
                    "wrong column count: {} columns, the header has {}",
                    record.len(),
                    header.columns.len()
                ),
            });
            continue;
        }
        let mut row = RawRow::default();
        let mut not_utf8 = None;
        for (i, (field, column)) in record.iter().zip(&header.columns).enumerate() {
            let text = match std::str::from_utf8(field) {
                Ok(t) => t.to_string(),
                Err(e) => {
                    not_utf8 = Some(format!(
                        "not UTF-8 text: byte 0x{:02X} in column {} (save the file as UTF-8)",
                        field[e.valid_up_to()],
                        i + 1
                    ));
                    break;
                }
            };
            match *column {
                Column::Product => row.product = text,
                Column::Sku => row.sku = text,
                Column::Name => row.name = text,
                Column::Status => row.status = text,
                Column::Online => row.online = text,
                Column::Description => row.description = text,
                Column::Images => row.images = text,
                Column::OptionName(n) => row.option_names[n] = text,
                Column::OptionValue(n) => row.option_values[n] = text,
                Column::Barcode => row.barcode = text,
                Column::Price(d) => {
                    row.prices.insert(header.departments[d].clone(), text);
                }
                Column::InventoryTracked => row.inventory_tracked = text,
                Column::Stock(w) => {
                    row.stock.insert(header.warehouses[w].clone(), text);
                }
                Column::UpdatedAt => row.updated_at = text,
            }
        }
        if let Some(reason) = not_utf8 {
            problems.push(Problem {
                origin: format!("{file}:{line}"),
                reason,
            });
            continue;
        }
        rows.push((line, row));
    }
    let mut catalogue = group_rows(file, rows);
    problems.append(&mut catalogue.problems);
    problems.sort_by_key(|p| line_of(&p.origin));
    catalogue.problems = problems;
    Ok(catalogue)
}

fn line_of(origin: &str) -> usize {
    origin
        .rsplit(':')
        .next()
        .and_then(|l| l.parse().ok())
        .unwrap_or(0)
}

/// One checked variant row: the product fields it carries, and its variant.
struct Checked {
    product: CatalogueProduct,
    variant: CatalogueVariant,
}

fn check_row(file: &str, line: usize, row: &RawRow) -> Result<Checked, String> {
    let product_id = row.product.trim();
    if product_id.is_empty() {
        return Err("the product number (column `product`) is empty".into());
    }
    let sku = row.sku.trim();
    if sku.is_empty() {
        return Err("missing SKU".into());
    }
    let name = row.name.trim();
    if name.is_empty() {
        return Err("the product name is empty".into());
    }
    let status = if row.status.trim().is_empty() {
        ProductStatus::Active
    } else {
        ProductStatus::parse(&row.status)?
    };
    let online = yes_no(&row.online, "online", true)?;
    let inventory_tracked = yes_no(&row.inventory_tracked, "inventory_tracked", true)?;
    let images = row
        .images
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(check_image_url)
        .collect::<Result<Vec<_>, _>>()?;
    let mut options = Vec::new();
    let mut option_values = Vec::new();
    for n in 0..3 {
        let (name, value) = (row.option_names[n].trim(), row.option_values[n].trim());
        match (name.is_empty(), value.is_empty()) {
            (true, true) => {}
            (false, false) => {
                options.push(name.to_string());
                option_values.push(value.to_string());
            }
            (true, false) => return Err(format!("option{} has a value but no name", n + 1)),
            (false, true) => return Err(format!("option {name:?} has no value")),
        }
    }
    let mut prices = BTreeMap::new();
    for (dept, text) in &row.prices {
        if text.trim().is_empty() {
            continue;
        }
        let price = normalize_price(text).map_err(|e| format!("{e} (department {dept:?})"))?;
        prices.insert(dept.clone(), price);
    }
    let mut stock = BTreeMap::new();
    for (wh, text) in &row.stock {
        let t = text.trim();
        if t.is_empty() {
            continue;
        }
        let q: i64 = t
            .parse()
            .map_err(|_| format!("malformed stock quantity `{t}` (warehouse {wh:?})"))?;
        stock.insert(wh.clone(), q);
    }
    let updated_at = match row.updated_at.trim() {
        "" => None,
        t => Some(
            chrono::DateTime::parse_from_rfc3339(t)
                .map_err(|_| {
                    format!("malformed updated_at `{t}` (use RFC 3339, e.g. 2026-05-01T12:00:00Z)")
                })?
                .with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ),
    };
    let opt = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_string())
    };
    Ok(Checked {
        product: CatalogueProduct {
            id: product_id.to_string(),
            name: name.to_string(),
            status,
            online,
            description: opt(&row.description),
            images,
            options,
            variants: Vec::new(),
            updated_at,
            origin: format!("{file}:{line}"),
        },
        variant: CatalogueVariant {
            id: None,
            sku: sku.to_string(),
            barcode: opt(&row.barcode),
            option_values,
            prices,
            inventory_tracked,
            stock,
        },
    })
}

fn yes_no(text: &str, column: &str, default: bool) -> Result<bool, String> {
    if text.trim().is_empty() {
        return Ok(default);
    }
    super::parse_bool(text).ok_or_else(|| format!("`{column}` is `{}`; use yes or no", text.trim()))
}

/// Groups checked rows into products (in the order products first appear). A bad row takes its
/// product out, reported once per bad row and once for the product's other rows.
fn group_rows(file: &str, rows: Vec<(usize, RawRow)>) -> Catalogue {
    struct Group {
        product: Option<CatalogueProduct>,
        first_line: usize,
        bad: Vec<(usize, String)>,
        lines: Vec<usize>,
    }
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut problems = Vec::new();
    for (line, row) in rows {
        let key = row.product.trim().to_string();
        if key.is_empty() {
            problems.push(Problem {
                origin: format!("{file}:{line}"),
                reason: "the product number (column `product`) is empty".into(),
            });
            continue;
        }
        let group = groups.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            Group {
                product: None,
                first_line: line,
                bad: Vec::new(),
                lines: Vec::new(),
            }
        });
        group.lines.push(line);
        match check_row(file, line, &row) {
            Err(reason) => group.bad.push((line, reason)),
            Ok(checked) => match &mut group.product {
                None => {
                    let mut p = checked.product;
                    p.variants.push(checked.variant);
                    group.product = Some(p);
                }
                Some(p) => {
                    if let Some(field) = differing_field(p, &checked.product) {
                        group.bad.push((
                            line,
                            format!(
                                "the product's `{field}` differs from line {} (product fields are repeated on every variant row and must agree)",
                                group.first_line
                            ),
                        ));
                    } else if p.options.len() != checked.variant.option_values.len() {
                        group.bad.push((
                            line,
                            "the variant's options differ from the product's first row".into(),
                        ));
                    } else {
                        p.variants.push(checked.variant);
                    }
                }
            },
        }
    }
    let mut products = Vec::new();
    for key in order {
        let group = groups.remove(&key).expect("grouped");
        if group.bad.is_empty() {
            if let Some(mut p) = group.product {
                if p.options.is_empty() && p.variants.len() > 1 {
                    problems.push(Problem {
                        origin: p.origin.clone(),
                        reason: format!(
                            "product {key:?} has {} variants but no option columns to tell them apart",
                            p.variants.len()
                        ),
                    });
                    continue;
                }
                p.origin = format!("{file}:{}", group.first_line);
                products.push(p);
            }
            continue;
        }
        let bad_lines: Vec<usize> = group.bad.iter().map(|(l, _)| *l).collect();
        for (line, reason) in &group.bad {
            problems.push(Problem {
                origin: format!("{file}:{line}"),
                reason: reason.clone(),
            });
        }
        for line in group.lines.iter().filter(|l| !bad_lines.contains(l)) {
            problems.push(Problem {
                origin: format!("{file}:{line}"),
                reason: format!(
                    "skipped with its product {key:?}, which has a bad row at line {}",
                    bad_lines[0]
                ),
            });
        }
    }
    Catalogue { products, problems }
}

fn differing_field(a: &CatalogueProduct, b: &CatalogueProduct) -> Option<&'static str> {
    if a.name != b.name {
        Some("name")
    } else if a.status != b.status {
        Some("status")
    } else if a.online != b.online {
        Some("online")
    } else if a.description != b.description {
        Some("description")
    } else if a.images != b.images {
        Some("images")
    } else if a.options != b.options {
        Some("option names")
    } else if a.updated_at != b.updated_at {
        Some("updated_at")
    } else {
        None
    }
}

/// One product line of a JSON Lines catalogue.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonProduct {
    product: String,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    online: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    images: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<String>,
    variants: Vec<JsonVariant>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonVariant {
    #[serde(default)]
    sku: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    barcode: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    options: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    prices: BTreeMap<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    price: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    inventory_tracked: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    stock: BTreeMap<String, i64>,
}

fn price_text(v: &serde_json::Value) -> Result<String, String> {
    match v {
        serde_json::Value::String(s) => Ok(s.clone()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(format!("malformed price {other} (write it as \"199.50\")")),
    }
}

fn read_jsonl(file: &str, bytes: &[u8]) -> Catalogue {
    let mut catalogue = Catalogue::default();
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = i + 1;
        let origin = format!("{file}:{line}");
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t,
            Err(e) => {
                catalogue.problems.push(Problem {
                    origin,
                    reason: format!(
                        "not UTF-8 text: byte 0x{:02X} at column {} (save the file as UTF-8)",
                        raw[e.valid_up_to()],
                        e.valid_up_to() + 1
                    ),
                });
                continue;
            }
        };
        let parsed: JsonProduct = match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
            Ok(p) => p,
            Err(e) => {
                catalogue.problems.push(Problem {
                    origin,
                    reason: format!("not a catalogue product: {e}"),
                });
                continue;
            }
        };
        match json_product(file, line, parsed) {
            Ok(p) => catalogue.products.push(p),
            Err(reason) => catalogue.problems.push(Problem { origin, reason }),
        }
    }
    catalogue
}

fn json_product(file: &str, line: usize, p: JsonProduct) -> Result<CatalogueProduct, String> {
    if p.variants.is_empty() {
        return Err("the product has no variants".into());
    }
    if p.options.len() > 3 {
        return Err("a product has at most three options".into());
    }
    if p.options.is_empty() && p.variants.len() > 1 {
        return Err(format!(
            "the product has {} variants but no `options` to tell them apart",
            p.variants.len()
        ));
    }
    let mut product: Option<CatalogueProduct> = None;
    for (n, v) in p.variants.into_iter().enumerate() {
        let mut prices = BTreeMap::new();
        if let Some(price) = &v.price {
            prices.insert(DEFAULT_DEPARTMENT.to_string(), price_text(price)?);
        }
        for (dept, value) in &v.prices {
            prices.insert(dept.clone(), price_text(value)?);
        }
        if v.options.len() != p.options.len() {
            return Err(format!(
                "variant {} has {} option values; the product has {} options",
                n + 1,
                v.options.len(),
                p.options.len()
            ));
        }
        let mut row = RawRow {
            product: p.product.clone(),
            sku: v.sku.clone().unwrap_or_default(),
            name: p.name.clone(),
            status: p.status.clone().unwrap_or_default(),
            online: p
                .online
                .map(|b| if b { "yes" } else { "no" }.to_string())
                .unwrap_or_default(),
            description: p.description.clone().unwrap_or_default(),
            images: p.images.join("|"),
            barcode: v.barcode.clone().unwrap_or_default(),
            prices,
            inventory_tracked: v
                .inventory_tracked
                .map(|b| if b { "yes" } else { "no" }.to_string())
                .unwrap_or_default(),
            stock: v
                .stock
                .iter()
                .map(|(k, q)| (k.clone(), q.to_string()))
                .collect(),
            updated_at: p.updated_at.clone().unwrap_or_default(),
            ..Default::default()
        };
        for (i, name) in p.options.iter().enumerate() {
            row.option_names[i] = name.clone();
            row.option_values[i] = v.options[i].clone();
        }
        // A URL with `|` in it would be split by the row check: check the list as given.
        for u in &p.images {
            check_image_url(u)?;
        }
        let checked = check_row(file, line, &row).map_err(|e| format!("variant {}: {e}", n + 1))?;
        match &mut product {
            None => {
                let mut first = checked.product;
                first.variants.push(checked.variant);
                product = Some(first);
            }
            Some(prod) => prod.variants.push(checked.variant),
        }
    }
    Ok(product.expect("at least one variant"))
}

/// Writes `products` as a catalogue file (CSV or JSON Lines by the name), atomically.
pub fn write(path: &Path, products: &[CatalogueProduct]) -> Result<(), CliError> {
    let bytes = match Format::of(path)? {
        Format::Csv => to_csv(products),
        Format::JsonLines => to_jsonl(products),
    };
    crate::atomic_file::write(path, &bytes, crate::atomic_file::Access::Default)
        .map_err(|e| super::write_error(path, e))
}

fn to_jsonl(products: &[CatalogueProduct]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in products {
        let line = JsonProduct {
            product: p.id.clone(),
            name: p.name.clone(),
            status: Some(p.status.as_str().to_string()),
            online: Some(p.online),
            description: p.description.clone(),
            images: p.images.clone(),
            options: p.options.clone(),
            updated_at: p.updated_at.clone(),
            variants: p
                .variants
                .iter()
                .map(|v| JsonVariant {
                    sku: Some(v.sku.clone()),
                    barcode: v.barcode.clone(),
                    options: v.option_values.clone(),
                    prices: v
                        .prices
                        .iter()
                        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                        .collect(),
                    price: None,
                    inventory_tracked: Some(v.inventory_tracked),
                    stock: v.stock.clone(),
                })
                .collect(),
        };
        out.extend(serde_json::to_vec(&line).unwrap_or_default());
        out.push(b'\n');
    }
    out
}

fn to_csv(products: &[CatalogueProduct]) -> Vec<u8> {
    let mut departments: Vec<&String> = products
        .iter()
        .flat_map(|p| p.variants.iter().flat_map(|v| v.prices.keys()))
        .collect();
    departments.sort();
    departments.dedup();
    let mut warehouses: Vec<&String> = products
        .iter()
        .flat_map(|p| p.variants.iter().flat_map(|v| v.stock.keys()))
        .collect();
    warehouses.sort();
    warehouses.dedup();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = [
        "product",
        "sku",
        "name",
        "status",
        "online",
        "description",
        "images",
        "option1_name",
        "option1_value",
        "option2_name",
        "option2_value",
        "option3_name",
        "option3_value",
        "barcode",
        "inventory_tracked",
        "updated_at",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(departments.iter().map(|d| format!("price:{d}")));
    header.extend(warehouses.iter().map(|d| format!("stock:{d}")));
    let _ = w.write_record(&header);
    for p in products {
        for v in &p.variants {
            let opt = |n: usize| -> (String, String) {
                (
                    p.options.get(n).cloned().unwrap_or_default(),
                    v.option_values.get(n).cloned().unwrap_or_default(),
                )
            };
            let (o1, v1) = opt(0);
            let (o2, v2) = opt(1);
            let (o3, v3) = opt(2);
            let mut row = vec![
                p.id.clone(),
                v.sku.clone(),
                p.name.clone(),
                p.status.as_str().to_string(),
                if p.online { "yes" } else { "no" }.to_string(),
                p.description.clone().unwrap_or_default(),
                p.images.join("|"),
                o1,
                v1,
                o2,
                v2,
                o3,
                v3,
                v.barcode.clone().unwrap_or_default(),
                if v.inventory_tracked { "yes" } else { "no" }.to_string(),
                p.updated_at.clone().unwrap_or_default(),
            ];
            row.extend(
                departments
                    .iter()
                    .map(|d| v.prices.get(*d).cloned().unwrap_or_default()),
            );
            row.extend(
                warehouses
                    .iter()
                    .map(|wh| v.stock.get(*wh).map(|q| q.to_string()).unwrap_or_default()),
            );
            let _ = w.write_record(&row);
        }
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "product,sku,name,status,images,option1_name,option1_value,price:Oslo,price:Web,inventory_tracked,stock:Lager\n\
1001,TS-S,T-shirt,active,https://cdn.example.com/ts.jpg,Size,S,199,179.5,yes,4\n\
1001,TS-M,T-shirt,active,https://cdn.example.com/ts.jpg,Size,M,199,179.5,yes,7\n\
1002,MUG,Mug,inactive,,,,89.00,,no,\n";

    #[test]
    fn reads_a_csv_catalogue() {
        let c = read_csv("c.csv", GOOD.as_bytes()).unwrap();
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.products.len(), 2);
        let ts = &c.products[0];
        assert_eq!(ts.origin, "c.csv:2");
        assert_eq!(ts.options, ["Size"]);
        assert_eq!(ts.variants.len(), 2);
        assert_eq!(ts.variants[1].prices["Web"], "179.50");
        assert_eq!(ts.variants[1].stock["Lager"], 7);
        let mug = &c.products[1];
        assert_eq!(mug.status, ProductStatus::Draft);
        assert!(!mug.variants[0].inventory_tracked);
        assert!(!mug.variants[0].prices.contains_key("Web"));
    }

    #[test]
    fn bad_rows_are_reported_with_line_and_reason_and_the_rest_goes_on() {
        let mut bytes = GOOD.as_bytes().to_vec();
        bytes.extend(b"2001,,Cap,active,,,,10,,yes,1\n"); // 5 missing SKU
        bytes.extend(b"2002,CAP-2,Cap 2,active,,,,ten,,yes,1\n"); // 6 price
        bytes.extend(b"2003,CAP-3,Cap 3,sold,,,,10,,yes,1\n"); // 7 status
        bytes.extend(b"2004,CAP-4,Cap 4,active,notaurl,,,10,,yes,1\n"); // 8 image
        bytes.extend(b"2005,CAP-5,Caf\xE9,active,,,,10,,yes,1\n"); // 9 non-UTF-8
        bytes.extend(b"2006,CAP-6,Cap 6,active\n"); // 10 column count
        bytes.extend(b"2007,TS-S,Dup,active,,,,10,,yes,1\n"); // 11 duplicate of line 2
        bytes.extend(b"2008,CAP-8,Cap 8,active,,,,10,,yes,1\n"); // 12 good
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cat.csv");
        std::fs::write(&path, &bytes).unwrap();
        let c = read(&path).unwrap();
        let names: Vec<&str> = c.products.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(names, ["1002", "2008"]);
        let got: Vec<String> = c.problems.iter().map(|p| p.to_string()).collect();
        let expect = [
            ("cat.csv:5", "missing SKU"),
            ("cat.csv:6", "malformed price `ten`"),
            ("cat.csv:7", "unknown status `sold`"),
            ("cat.csv:8", "broken image URL `notaurl`"),
            ("cat.csv:9", "not UTF-8 text: byte 0xE9 in column 3"),
            (
                "cat.csv:10",
                "wrong column count: 4 columns, the header has 11",
            ),
        ];
        for (origin, reason) in expect {
            assert!(
                got.iter()
                    .any(|g| g.starts_with(origin) && g.contains(reason)),
                "{origin} {reason} not in {got:#?}"
            );
        }
        // The duplicate SKU takes out both products that have it.
        assert!(
            got.iter()
                .any(|g| g.starts_with("cat.csv:2: duplicate SKU `TS-S`: also at cat.csv:11")),
            "{got:#?}"
        );
        assert!(
            got.iter()
                .any(|g| g.starts_with("cat.csv:11: duplicate SKU `TS-S`")),
            "{got:#?}"
        );
    }

    #[test]
    fn header_errors_stop_the_read() {
        let e = read_csv("c.csv", b"product,sku,name,colour\n").unwrap_err();
        assert!(
            e.message.contains("c.csv:1: unknown column `colour`"),
            "{e}"
        );
        let e = read_csv("c.csv", b"product,name\n").unwrap_err();
        assert!(e.message.contains("`sku` is missing"), "{e}");
    }

    #[test]
    fn a_product_with_one_bad_variant_row_is_left_out_whole() {
        let text = "product,sku,name,option1_name,option1_value,price\n\
1,A-S,A,Size,S,10\n1,A-M,A,Size,M,x\n";
        let c = read_csv("c.csv", text.as_bytes()).unwrap();
        assert!(c.products.is_empty());
        assert_eq!(c.problems.len(), 2);
        assert!(c.problems[0]
            .to_string()
            .starts_with("c.csv:2: skipped with its product"));
        assert!(c.problems[1]
            .to_string()
            .starts_with("c.csv:3: malformed price"));
    }

    #[test]
    fn jsonl_round_trip_and_bad_lines() {
        let c = read_csv("c.csv", GOOD.as_bytes()).unwrap();
        let mut bytes = to_jsonl(&c.products);
        bytes.extend(b"{\"product\":\"9\",\"name\":\"X\",\"variants\":[{\"sku\":\"X\",\"price\":\"1,5\"}]}\n");
        bytes.extend(b"{\"product\":\"10\",\"name\":\"Y\",\"colour\":1,\"variants\":[]}\n");
        bytes.extend(b"\xFF\n");
        let back = read_jsonl("c.jsonl", &bytes);
        assert_eq!(back.products.len(), 2);
        assert_eq!(back.products[0].variants, c.products[0].variants);
        assert_eq!(back.products[1].origin, "c.jsonl:2");
        let got: Vec<String> = back.problems.iter().map(|p| p.to_string()).collect();
        assert!(
            got[0].starts_with("c.jsonl:3: variant 1: malformed price `1,5`"),
            "{got:?}"
        );
        assert!(
            got[1].starts_with("c.jsonl:4: not a catalogue product: unknown field `colour`"),
            "{got:?}"
        );
        assert!(got[2].starts_with("c.jsonl:5: not UTF-8"), "{got:?}");
    }

    #[test]
    fn csv_round_trip() {
        let c = read_csv("c.csv", GOOD.as_bytes()).unwrap();
        let bytes = to_csv(&c.products);
        let back = read_csv("c.csv", &bytes).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        let strip = |p: &CatalogueProduct| (p.id.clone(), p.variants.clone(), p.images.clone());
        assert_eq!(
            back.products.iter().map(strip).collect::<Vec<_>>(),
            c.products.iter().map(strip).collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_example_files_read_clean_and_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let csv = read(&root.join("catalogue.csv")).unwrap();
        let jsonl = read(&root.join("catalogue.jsonl")).unwrap();
        assert!(csv.problems.is_empty(), "{:?}", csv.problems);
        assert!(jsonl.problems.is_empty(), "{:?}", jsonl.problems);
        assert_eq!(csv.products.len(), 3);
        let key = |p: &CatalogueProduct| {
            (
                p.id.clone(),
                p.name.clone(),
                p.status,
                p.online,
                p.description.clone(),
                p.images.clone(),
                p.options.clone(),
                p.variants.clone(),
            )
        };
        assert_eq!(
            csv.products.iter().map(key).collect::<Vec<_>>(),
            jsonl.products.iter().map(key).collect::<Vec<_>>()
        );
    }
}
