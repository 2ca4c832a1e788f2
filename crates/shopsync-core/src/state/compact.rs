//! Schema 6: the compact form of the links table (issue 14: ~650 bytes a record became ~120).
//!
//! A link's fields are what was last written to the target. The engine only ever asks whether a
//! field changed, so for the engine's streams (`products`, `customers`, `orders`) a field's value
//! is kept as a 32-bit hash; values something reads back are kept as they are: links to other
//! records (`@name`), `true`/`false` (free: they are part of the shape, below), and every field
//! of a flow's own streams (`backoffice_prices`, ...), which read old values back.
//!
//! One link's fields are a BLOB: the id of its *shape* (the field names in order, each with how
//! its value is kept; a `link_shapes` row, shared by every link of that shape) as a varint, then
//! each field's hash (4 bytes) or value (varint length, UTF-8). In memory a hashed value is
//! [`HASHED`] followed by 8 hex digits ([`is_hashed`], [`same_value`]): `Fields` stays a map of
//! strings, a link read, changed and written again keeps its hashes, and
//! [`crate::engine::plan::diff`] compares a new value with a hash.
//!
//! Ids: a source or target id made of a prefix and a decimal number (`gid://shop/Customer/
//! 6930000000000`, `1000123`) is stored as that number (an SQLite INTEGER, 1-8 bytes) when the
//! prefix is the one registered for its stream and side (`link_id_prefixes`, set by the first
//! such id); any other id is stored as text. The columns have no type (no affinity), so an id's
//! storage class says which it is and the same id is always stored the same way.

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, Connection};

use super::Fields;

/// Marks a value kept as its hash (followed by 8 lowercase hex digits). No value read from a
/// shop starts with a NUL character.
pub const HASHED: char = '\u{0}';

const KIND_HASH: u8 = b'h';
const KIND_TRUE: u8 = b't';
const KIND_FALSE: u8 = b'f';
const KIND_VALUE: u8 = b'v';

pub(super) const SCHEMA_V6: &str = "
CREATE TABLE IF NOT EXISTS link_shapes (id INTEGER PRIMARY KEY, shape TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS link_id_prefixes (
    stream TEXT NOT NULL,
    side TEXT NOT NULL,
    prefix TEXT NOT NULL,
    PRIMARY KEY (stream, side)
);
-- source_id and target_id have no type on purpose: an INTEGER is a number after the stream's
-- prefix, TEXT an id as it is (see state/compact.rs).
CREATE TABLE links_v6 (
    stream TEXT NOT NULL,
    source_id NOT NULL,
    target_id NOT NULL,
    fields BLOB NOT NULL,
    last_seen_run INTEGER,
    PRIMARY KEY (stream, source_id)
) WITHOUT ROWID;
";

/// The 32-bit hash a value is kept as: FNV-1a (64 bits, stable across versions and machines),
/// folded. Two different values of one field look equal with a chance of 1 in 4.3 billion.
pub fn hash(value: &str) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in value.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h ^ (h >> 32)) as u32
}

fn hashed_text(h: u32) -> String {
    format!("{HASHED}{h:08x}")
}

/// The hash of a value kept as one.
fn parse_hashed(stored: &str) -> Option<u32> {
    let hex = stored.strip_prefix(HASHED)?;
    if hex.len() != 8 {
        return None;
    }
    u32::from_str_radix(hex, 16).ok()
}

/// Whether this stored value is a hash (the value itself was not kept).
pub fn is_hashed(stored: &str) -> bool {
    parse_hashed(stored).is_some()
}

/// Whether `new` is the value that was stored as `stored` (itself or its hash).
pub fn same_value(stored: &str, new: &str) -> bool {
    match parse_hashed(stored) {
        Some(h) => hash(new) == h,
        None => stored == new,
    }
}

/// Whether the links of `stream` keep their values as hashes: the engine's streams, whose links
/// are only compared (`engine::plan::diff`). A flow's own streams keep values.
pub fn hashes_values(stream: &str) -> bool {
    matches!(stream, "products" | "customers" | "orders")
}

/// Which side of a link an id is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Source = 0,
    Target = 1,
}

impl Side {
    fn as_str(self) -> &'static str {
        match self {
            Side::Source => "source",
            Side::Target => "target",
        }
    }
}

type Shape = Arc<Vec<(String, u8)>>;

/// The shapes and id prefixes of one state file, cached (both tables are small).
#[derive(Debug, Default)]
pub struct Codec {
    shape_ids: HashMap<String, i64>,
    shapes: HashMap<i64, Shape>,
    /// By stream: the source side's prefix, the target side's.
    prefixes: HashMap<String, [Option<String>; 2]>,
}

impl Codec {
    pub fn load(conn: &Connection) -> rusqlite::Result<Codec> {
        let mut codec = Codec::default();
        let mut stmt = conn.prepare("SELECT id, shape FROM link_shapes")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, key) = row?;
            codec.add_shape(id, key);
        }
        let mut stmt = conn.prepare("SELECT stream, side, prefix FROM link_id_prefixes")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (stream, side, prefix) = row?;
            let side = if side == "target" {
                Side::Target
            } else {
                Side::Source
            };
            codec.prefixes.entry(stream).or_default()[side as usize] = Some(prefix);
        }
        Ok(codec)
    }

    fn prefix(&self, stream: &str, side: Side) -> Option<&str> {
        self.prefixes.get(stream)?[side as usize].as_deref()
    }

    fn add_shape(&mut self, id: i64, key: String) {
        // The key: per field, its kind byte, its name and a NUL.
        let shape: Vec<(String, u8)> = key
            .split_terminator('\0')
            .filter(|f| !f.is_empty())
            .map(|f| (f[1..].to_string(), f.as_bytes()[0]))
            .collect();
        self.shapes.insert(id, Arc::new(shape));
        self.shape_ids.insert(key, id);
    }

    /// The stored form of an id (registering the stream's prefix if it has none yet and `conn`
    /// is given: outside a transaction that may roll back, or inside the migration's).
    pub fn encode_id(
        &mut self,
        conn: Option<&Connection>,
        stream: &str,
        side: Side,
        id: &str,
    ) -> rusqlite::Result<Value> {
        let Some((prefix, number)) = split_number(id) else {
            return Ok(Value::Text(id.to_string()));
        };
        match self.prefix(stream, side) {
            Some(p) if p == prefix => Ok(Value::Integer(number)),
            Some(_) => Ok(Value::Text(id.to_string())),
            None => match conn {
                Some(conn) => {
                    conn.execute(
                        "INSERT OR IGNORE INTO link_id_prefixes (stream, side, prefix) VALUES (?1, ?2, ?3)",
                        params![stream, side.as_str(), prefix],
                    )?;
                    let registered: String = conn.query_row(
                        "SELECT prefix FROM link_id_prefixes WHERE stream = ?1 AND side = ?2",
                        params![stream, side.as_str()],
                        |r| r.get(0),
                    )?;
                    let same = registered == prefix;
                    self.prefixes.entry(stream.to_string()).or_default()[side as usize] =
                        Some(registered);
                    Ok(if same {
                        Value::Integer(number)
                    } else {
                        Value::Text(id.to_string())
                    })
                }
                None => Ok(Value::Text(id.to_string())),
            },
        }
    }

    /// An id as stored, read back.
    pub fn decode_id(&self, stream: &str, side: Side, stored: ValueRef<'_>) -> String {
        match stored {
            ValueRef::Integer(n) => {
                let prefix = self.prefix(stream, side).unwrap_or("");
                format!("{prefix}{n}")
            }
            ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
            ValueRef::Real(r) => r.to_string(),
            ValueRef::Null => String::new(),
        }
    }

    /// The stored form of a link's fields (registering its shape if it is new, as
    /// [`encode_id`](Self::encode_id) does its prefix).
    pub fn encode_fields(
        &mut self,
        conn: &Connection,
        stream: &str,
        fields: &Fields,
    ) -> rusqlite::Result<Vec<u8>> {
        let hashes = hashes_values(stream);
        let mut key = String::with_capacity(fields.len() * 16);
        let mut body = Vec::with_capacity(fields.len() * 5 + 4);
        for (name, value) in fields {
            let kind = if name.starts_with('@') {
                KIND_VALUE
            } else if value == "true" {
                KIND_TRUE
            } else if value == "false" {
                KIND_FALSE
            } else if let Some(h) = parse_hashed(value) {
                body.extend_from_slice(&h.to_le_bytes());
                KIND_HASH
            } else if hashes {
                body.extend_from_slice(&hash(value).to_le_bytes());
                KIND_HASH
            } else {
                KIND_VALUE
            };
            if kind == KIND_VALUE {
                put_varint(&mut body, value.len() as u64);
                body.extend_from_slice(value.as_bytes());
            }
            key.push(kind as char);
            key.push_str(name);
            key.push('\0');
        }
        let id = match self.shape_ids.get(&key) {
            Some(id) => *id,
            None => {
                conn.execute(
                    "INSERT OR IGNORE INTO link_shapes (shape) VALUES (?1)",
                    [&key],
                )?;
                let id: i64 =
                    conn.query_row("SELECT id FROM link_shapes WHERE shape = ?1", [&key], |r| {
                        r.get(0)
                    })?;
                self.add_shape(id, key);
                id
            }
        };
        let mut out = Vec::with_capacity(body.len() + 3);
        put_varint(&mut out, id as u64);
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// A link's fields as stored, read back: a BLOB of schema 6, or the JSON text of a file an
    /// older shopsync wrote. Unreadable fields read as none (the record is then written again).
    pub fn decode_fields(&self, stored: ValueRef<'_>) -> Fields {
        match stored {
            ValueRef::Blob(b) => self.decode_blob(b).unwrap_or_default(),
            ValueRef::Text(t) => serde_json::from_slice(t).unwrap_or_default(),
            _ => Fields::new(),
        }
    }

    fn decode_blob(&self, mut b: &[u8]) -> Option<Fields> {
        let id = get_varint(&mut b)? as i64;
        let shape = self.shapes.get(&id)?;
        let mut out = Fields::new();
        for (name, kind) in shape.iter() {
            let value = match *kind {
                KIND_TRUE => "true".to_string(),
                KIND_FALSE => "false".to_string(),
                KIND_HASH => {
                    let (h, rest) = b.split_first_chunk::<4>()?;
                    b = rest;
                    hashed_text(u32::from_le_bytes(*h))
                }
                _ => {
                    let len = get_varint(&mut b)? as usize;
                    if b.len() < len {
                        return None;
                    }
                    let (v, rest) = b.split_at(len);
                    b = rest;
                    String::from_utf8(v.to_vec()).ok()?
                }
            };
            out.insert(name.clone(), value);
        }
        Some(out)
    }
}

/// `prefix` and the number an id ends with, when that number is written the one way SQLite's
/// INTEGER gives back (no leading zero, no sign, at most 18 digits).
fn split_number(id: &str) -> Option<(&str, i64)> {
    let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let (prefix, number) = id.split_at(id.len() - digits);
    if number.starts_with('0') && number.len() > 1 {
        return None;
    }
    Some((prefix, number.parse().ok()?))
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(b: &mut &[u8]) -> Option<u64> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = b.split_first()?;
        *b = rest;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// Schema 6: moves every link of an older file into the compact table, in the migration's
/// transaction.
pub(super) fn migrate_links(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA_V6)?;
    let mut codec = Codec::load(conn)?;
    {
        let mut read = conn.prepare(
            "SELECT stream, source_id, target_id, fields, last_seen_run FROM links ORDER BY stream, source_id",
        )?;
        let mut insert = conn.prepare(
            "INSERT OR REPLACE INTO links_v6 (stream, source_id, target_id, fields, last_seen_run)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let stream: String = row.get(0)?;
            let source: String = row.get(1)?;
            let target: String = row.get(2)?;
            let fields = codec.decode_fields(row.get_ref(3)?);
            let seen: Option<i64> = row.get(4)?;
            let source = codec.encode_id(Some(conn), &stream, Side::Source, &source)?;
            let target = codec.encode_id(Some(conn), &stream, Side::Target, &target)?;
            let fields = codec.encode_fields(conn, &stream, &fields)?;
            insert.execute(params![stream, source, target, fields, seen])?;
        }
    }
    conn.execute_batch(
        "DROP TABLE links;
         ALTER TABLE links_v6 RENAME TO links;
         CREATE INDEX links_by_target ON links (stream, target_id);",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_with_a_number_are_stored_as_the_number() {
        assert_eq!(
            split_number("gid://shop/Customer/6930000000000"),
            Some(("gid://shop/Customer/", 6930000000000))
        );
        assert_eq!(split_number("123"), Some(("", 123)));
        assert_eq!(split_number("0"), Some(("", 0)));
        assert_eq!(split_number("a/007"), None);
        assert_eq!(split_number("abc"), None);
        assert_eq!(split_number("1234567890123456789"), None);
    }

    #[test]
    fn fields_round_trip_with_values_hashed_where_nothing_reads_them() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA_V6).unwrap();
        let mut codec = Codec::load(&conn).unwrap();
        let mut fields = Fields::new();
        fields.insert("email".into(), "ann@example.com".into());
        fields.insert("optin".into(), "true".into());
        fields.insert("vip".into(), "false".into());
        fields.insert("@contact".into(), "gid://shop/Customer/1".into());
        let blob = codec.encode_fields(&conn, "orders", &fields).unwrap();
        // shape id, one hash, the link field's length and value.
        assert_eq!(blob.len(), 1 + 4 + 1 + "gid://shop/Customer/1".len());
        let back = codec.decode_fields(ValueRef::Blob(&blob));
        assert_eq!(back["@contact"], "gid://shop/Customer/1");
        assert_eq!(back["optin"], "true");
        assert_eq!(back["vip"], "false");
        assert!(is_hashed(&back["email"]));
        assert!(same_value(&back["email"], "ann@example.com"));
        assert!(!same_value(&back["email"], "ann@example.org"));
        // Written again as read: the same bytes, and a fresh codec reads the shape from the file.
        assert_eq!(codec.encode_fields(&conn, "orders", &back).unwrap(), blob);
        let fresh = Codec::load(&conn).unwrap();
        assert_eq!(fresh.decode_fields(ValueRef::Blob(&blob)), back);
        // A flow's own stream keeps its values.
        let blob = codec
            .encode_fields(&conn, "backoffice_prices", &fields)
            .unwrap();
        assert_eq!(codec.decode_fields(ValueRef::Blob(&blob)), fields);
    }
}
