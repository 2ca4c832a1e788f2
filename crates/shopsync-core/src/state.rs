//! The local state store: one SQLite file per profile.
//!
//! It keeps what a later run needs to be correct and cheap:
//! - links: source id <-> target id, with the fields last written (so a run writes only what
//!   changed, and a dry run can show which fields change); schema 6 keeps them compactly, most
//!   values as hashes (`compact.rs`: ~114 bytes a contact instead of ~650);
//! - tombstones: records that must never be written again (a contact deleted in HubSpot);
//! - cursors: where the last incremental read of each stream stopped;
//! - retries: records that failed and are read again on the next run;
//! - runs and failures: a log of every run with each record that failed and why;
//! - sku_map (schema 2): a Huddle profile's SKU -> Huddle webhook product and access levels;
//! - huddle_sends (schema 2): every order sent to Huddle by a backfill, `sending` before the
//!   request and `sent` after it, so an order is never sent twice without being asked to;
//! - waiting (schema 4): records written before a record they point at was synced (a deal
//!   before its customer's contact, a line item before its product), linked once it is.
//!
//! Every applied batch is checkpointed in one transaction, so a run killed at any point resumes
//! without duplicating or losing a record (target writes are idempotent upserts; the links say
//! what is already there).

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

mod compact;
mod twoway;
pub use compact::{hashes_values, is_hashed, same_value};
use compact::{Codec, Side};
pub use twoway::{PairLink, QueuedWebhook, WebhookInbox};

use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Bumped when the schema changes; `open` migrates older files.
pub const SCHEMA_VERSION: i64 = 6;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error("cannot create {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is in use by another shopsync run of this profile")]
    Locked { path: String },
    #[error(
        "{path} was written by a newer shopsync (schema {found}, this one knows {SCHEMA_VERSION})"
    )]
    TooNew { path: String, found: i64 },
    /// The file exists but holds no readable state: empty, not a database, or damaged.
    #[error("{path} is not a readable state store: {what}")]
    Unreadable { path: String, what: String },
    /// `--rebuild-state` on a file that reads fine: refused, it would lose the tombstones.
    #[error("{path} is readable, so there is nothing to rebuild")]
    NothingToRebuild { path: String },
}

impl StateError {
    /// The SQLite error of a file that is not a (whole) database, as a person would say it.
    fn unreadable(path: &str, e: &rusqlite::Error) -> Option<StateError> {
        let what = match e.sqlite_error_code()? {
            rusqlite::ErrorCode::NotADatabase => "it is not an SQLite database".to_string(),
            rusqlite::ErrorCode::DatabaseCorrupt => {
                format!("it is damaged (SQLite: {e})")
            }
            _ => return None,
        };
        Some(StateError::Unreadable {
            path: path.to_string(),
            what,
        })
    }
}

/// What to do with a state file that exists but cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// Refuse it (the default): nothing is written anywhere.
    Refuse,
    /// Move it aside and start a new one, which the run re-links by unique keys.
    MoveAside,
}

/// The fields last written to the target for one record, by field name. In a link read from the
/// state store, a value may be kept as its hash only ([`is_hashed`]; compare with
/// [`same_value`]).
pub type Fields = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub target_id: String,
    pub fields: Fields,
}

/// One record written by an applied batch.
#[derive(Debug, Clone)]
pub struct LinkUpdate {
    pub source_id: String,
    pub target_id: String,
    pub fields: Fields,
}

/// One record that failed, kept for the run log and retried on the next run.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub stream: String,
    pub source_id: String,
    pub reason: String,
}

#[derive(Clone)]
pub struct StateStore {
    conn: Arc<Mutex<Connection>>,
    // The links' shapes and id prefixes; locked after `conn`, never before it.
    codec: Arc<Mutex<Codec>>,
    path: String,
    // Held for the life of the store: one run per profile at a time.
    _lock: Arc<File>,
}

impl StateStore {
    /// The default directory: the OS data dir (`~/.local/share/shopsync` on Linux).
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "shopsync").map(|d| d.data_dir().to_path_buf())
    }

    /// Opens (creating if needed) `DIR/PROFILE.sqlite`, and takes the profile's run lock. A file
    /// that exists but cannot be read (empty, not a database, damaged) is refused.
    pub fn open(dir: &Path, profile: &str) -> Result<StateStore, StateError> {
        Self::open_with(dir, profile, Broken::Refuse).map(|(store, _)| store)
    }

    /// Like [`open`](Self::open); with [`Broken::MoveAside`] an unreadable file is renamed to
    /// `PROFILE.sqlite.broken-TIMESTAMP` and a new one started (its new name is returned). A
    /// readable file is never moved aside.
    pub fn open_with(
        dir: &Path,
        profile: &str,
        broken: Broken,
    ) -> Result<(StateStore, Option<PathBuf>), StateError> {
        create_private_dir(dir)?;
        let file = dir.join(format!("{profile}.sqlite"));
        let path = file.display().to_string();
        let lock_path = dir.join(format!("{profile}.lock"));
        let lock = private_file(&lock_path).map_err(|source| StateError::Io {
            path: lock_path.display().to_string(),
            source,
        })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(StateError::Locked { path }),
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(StateError::Io {
                    path: lock_path.display().to_string(),
                    source,
                })
            }
        }
        let moved = match (check_readable(&file), broken) {
            (Ok(()), Broken::MoveAside) if file.exists() => {
                return Err(StateError::NothingToRebuild { path })
            }
            (Ok(()), _) => None,
            // Only a file that is not a state store is moved aside; one that cannot be opened
            // (permissions, a full disk) is reported as it is.
            (Err(StateError::Unreadable { .. }), Broken::MoveAside) => Some(move_aside(&file)?),
            (Err(e), _) => return Err(e),
        };
        if !file.exists() {
            create_database(dir, &file)?;
        }
        let sql = |source: rusqlite::Error| {
            StateError::unreadable(&path, &source).unwrap_or(StateError::Sqlite {
                path: path.clone(),
                source,
            })
        };
        let conn = Connection::open(&file).map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        // A crash loses nothing committed (WAL); a power cut may lose the last commits, which
        // the next run redoes. Commits nothing can redo ask for FULL themselves.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sql)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sql)?;
        if version > SCHEMA_VERSION {
            return Err(StateError::TooNew {
                path,
                found: version,
            });
        }
        migrate(&conn, version).map_err(sql)?;
        if (1..6).contains(&version) {
            // The links moved to their compact table: give the space back.
            conn.execute_batch("VACUUM").map_err(sql)?;
        }
        let codec = Codec::load(&conn).map_err(sql)?;
        // The file, its WAL and shared-memory files hold customers' names, e-mails and
        // addresses: readable by their owner only, also when an older shopsync made them.
        for suffix in ["", "-wal", "-shm"] {
            let f = dir.join(format!("{profile}.sqlite{suffix}"));
            if f.exists() {
                make_private(&f).map_err(|source| StateError::Io {
                    path: f.display().to_string(),
                    source,
                })?;
            }
        }
        Ok((
            StateStore {
                conn: Arc::new(Mutex::new(conn)),
                codec: Arc::new(Mutex::new(codec)),
                path,
                _lock: Arc::new(lock),
            },
            moved,
        ))
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether an existing state file can be read as one (a missing file can: it is created).
    pub fn check_file(file: &Path) -> Result<(), StateError> {
        check_readable(file)
    }

    fn err(&self, source: rusqlite::Error) -> StateError {
        StateError::unreadable(&self.path, &source).unwrap_or(StateError::Sqlite {
            path: self.path.clone(),
            source,
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn codec(&self) -> std::sync::MutexGuard<'_, Codec> {
        self.codec
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, StateError> {
        self.conn()
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StateError> {
        self.conn()
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    pub fn delete_meta(&self, key: &str) -> Result<(), StateError> {
        self.conn()
            .execute("DELETE FROM meta WHERE key = ?1", [key])
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Where an unfinished read of `stream` got to (saved by the engine, opaque here).
    pub fn read_position(&self, stream: &str) -> Result<Option<String>, StateError> {
        self.meta(&format!("read_position:{stream}"))
    }

    pub fn set_read_position(&self, stream: &str, position: &str) -> Result<(), StateError> {
        self.set_meta(&format!("read_position:{stream}"), position)
    }

    /// The read of `stream` finished: the next one starts afresh.
    pub fn clear_read_position(&self, stream: &str) -> Result<(), StateError> {
        self.delete_meta(&format!("read_position:{stream}"))
    }

    pub fn cursor(&self, stream: &str) -> Result<Option<String>, StateError> {
        self.conn()
            .query_row(
                "SELECT value FROM cursors WHERE stream = ?1",
                [stream],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn set_cursor(&self, stream: &str, value: &str) -> Result<(), StateError> {
        self.conn()
            .execute(
                "INSERT INTO cursors (stream, value) VALUES (?1, ?2)
                 ON CONFLICT(stream) DO UPDATE SET value = excluded.value",
                params![stream, value],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// The links of the given source ids that exist.
    pub fn links(
        &self,
        stream: &str,
        source_ids: &[&str],
    ) -> Result<HashMap<String, Link>, StateError> {
        let mut conn = self.conn();
        let mut codec = self.codec();
        // One read transaction for the lot: each statement on its own takes and drops the
        // file's locks (4 fcntl calls).
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let mut stmt = tx
            .prepare_cached(
                "SELECT target_id, fields FROM links WHERE stream = ?1 AND source_id = ?2",
            )
            .map_err(|e| self.err(e))?;
        let mut out = HashMap::with_capacity(source_ids.len());
        for id in source_ids {
            let key = codec
                .encode_id(None, stream, Side::Source, id)
                .map_err(|e| self.err(e))?;
            let mut rows = stmt.query(params![stream, key]).map_err(|e| self.err(e))?;
            if let Some(row) = rows.next().map_err(|e| self.err(e))? {
                let target = row.get_ref(0).map_err(|e| self.err(e))?;
                let target_id = codec.decode_id(stream, Side::Target, target);
                let fields = codec.decode_fields(row.get_ref(1).map_err(|e| self.err(e))?);
                out.insert((*id).to_string(), Link { target_id, fields });
            }
        }
        drop(stmt);
        tx.commit().map_err(|e| self.err(e))?;
        Ok(out)
    }

    /// The source id linked to this target id, if one is.
    pub fn source_id_of(
        &self,
        stream: &str,
        target_id: &str,
    ) -> Result<Option<String>, StateError> {
        let conn = self.conn();
        let mut codec = self.codec();
        let key = codec
            .encode_id(None, stream, Side::Target, target_id)
            .map_err(|e| self.err(e))?;
        conn.query_row(
            "SELECT source_id FROM links WHERE stream = ?1 AND target_id = ?2 LIMIT 1",
            params![stream, key],
            |r| Ok(codec.decode_id(stream, Side::Source, r.get_ref(0)?)),
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    /// Target id of one linked record.
    pub fn target_id(&self, stream: &str, source_id: &str) -> Result<Option<String>, StateError> {
        let conn = self.conn();
        let mut codec = self.codec();
        target_id_of(&conn, &mut codec, stream, source_id).map_err(|e| self.err(e))
    }

    /// Remembers records written without a link to another record that had no target id yet
    /// (a deal before its customer's contact, a line item before its product), so the link is
    /// made once that record is synced, although the waiting record itself does not change.
    pub fn add_waiting(&self, waiting: &[Waiting]) -> Result<(), StateError> {
        if waiting.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO waiting (stream, source_id, needs_stream, needs_id, owner, since)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(stream, source_id, needs_stream) DO UPDATE SET
                       needs_id = excluded.needs_id, owner = excluded.owner",
                )
                .map_err(|e| self.err(e))?;
            let now = now();
            for w in waiting {
                insert
                    .execute(params![
                        w.stream,
                        w.source_id,
                        w.needs_stream,
                        w.needs_id,
                        w.owner,
                        now
                    ])
                    .map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Records of `stream` waiting for a record of `needs_stream` that now has a target id.
    pub fn waiting_ready(
        &self,
        stream: &str,
        needs_stream: &str,
    ) -> Result<Vec<Ready>, StateError> {
        let conn = self.conn();
        let mut codec = self.codec();
        let mut stmt = conn
            .prepare(
                "SELECT source_id, needs_id, owner FROM waiting
                 WHERE stream = ?1 AND needs_stream = ?2
                 ORDER BY owner, source_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![stream, needs_stream], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let waiting = rows
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for (source_id, needs_id, owner) in waiting {
            let target = |stream: &str, id: &str, codec: &mut Codec| {
                target_id_of(&conn, codec, stream, id).map_err(|e| self.err(e))
            };
            let Some(target_id) = target(stream, &source_id, &mut codec)? else {
                continue;
            };
            let Some(needs_target_id) = target(needs_stream, &needs_id, &mut codec)? else {
                continue;
            };
            out.push(Ready {
                source_id,
                target_id,
                needs_id,
                needs_target_id,
                owner,
            });
        }
        Ok(out)
    }

    /// These waiting records are now linked in the target: each waits no more, and its owner's
    /// link (a record of `owner_stream`) records the link with `record`, so the next diff sees
    /// the owner as it is in the target. In one transaction.
    pub fn waiting_resolved(
        &self,
        stream: &str,
        needs_stream: &str,
        owner_stream: &str,
        resolved: &[Ready],
        record: impl Fn(&mut Fields, &Ready),
    ) -> Result<(), StateError> {
        let mut conn = self.conn();
        let mut codec = self.codec();
        // Read and encoded first: a new shape is registered outside the transaction.
        let mut owners: BTreeMap<&str, Option<(Value, Fields)>> = BTreeMap::new();
        for ready in resolved {
            if !owners.contains_key(ready.owner.as_str()) {
                let key = codec
                    .encode_id(None, owner_stream, Side::Source, &ready.owner)
                    .map_err(|e| self.err(e))?;
                let fields = conn
                    .query_row(
                        "SELECT fields FROM links WHERE stream = ?1 AND source_id = ?2",
                        params![owner_stream, key],
                        |r| Ok(codec.decode_fields(r.get_ref(0)?)),
                    )
                    .optional()
                    .map_err(|e| self.err(e))?;
                owners.insert(&ready.owner, fields.map(|f| (key, f)));
            }
            if let Some(Some((_, fields))) = owners.get_mut(ready.owner.as_str()) {
                record(fields, ready);
            }
        }
        let mut blobs = Vec::new();
        for (key, fields) in owners.into_values().flatten() {
            let blob = codec
                .encode_fields(&conn, owner_stream, &fields)
                .map_err(|e| self.err(e))?;
            blobs.push((key, blob));
        }
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        for (key, blob) in &blobs {
            tx.execute(
                "UPDATE links SET fields = ?3 WHERE stream = ?1 AND source_id = ?2",
                params![owner_stream, key, blob],
            )
            .map_err(|e| self.err(e))?;
        }
        for ready in resolved {
            tx.execute(
                "DELETE FROM waiting WHERE stream = ?1 AND source_id = ?2 AND needs_stream = ?3",
                params![stream, ready.source_id, needs_stream],
            )
            .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// The tombstoned source ids among these.
    pub fn tombstoned(&self, stream: &str, source_ids: &[&str]) -> Result<Vec<String>, StateError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        {
            let mut stmt = tx
                .prepare_cached("SELECT 1 FROM tombstones WHERE stream = ?1 AND source_id = ?2")
                .map_err(|e| self.err(e))?;
            for id in source_ids {
                if stmt.exists(params![stream, id]).map_err(|e| self.err(e))? {
                    out.push((*id).to_string());
                }
            }
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(out)
    }

    /// The checkpoint of one applied batch, in one transaction: the records written, those now
    /// deleted in the target (links removed), those that must never be written again, and those
    /// that failed (to retry next run). Records written successfully leave the retry list.
    pub fn checkpoint(
        &self,
        run_id: i64,
        stream: &str,
        batch: &Checkpoint,
    ) -> Result<(), StateError> {
        let mut conn = self.conn();
        if batch.tombstones.is_empty() {
            return self.write_checkpoint(&mut conn, run_id, stream, batch);
        }
        // A tombstone is the only trace of a record deleted in the target: on disk before the
        // run goes on, through a power cut too (`synchronous = FULL`; other checkpoints, which a
        // later run can redo, skip that sync: it cost ~6 ms a commit here).
        let previous: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .map_err(|e| self.err(e))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| self.err(e))?;
        let result = self.write_checkpoint(&mut conn, run_id, stream, batch);
        conn.pragma_update(None, "synchronous", previous)
            .map_err(|e| self.err(e))?;
        result
    }

    fn write_checkpoint(
        &self,
        conn: &mut Connection,
        run_id: i64,
        stream: &str,
        batch: &Checkpoint,
    ) -> Result<(), StateError> {
        // Encoded before the transaction: a new shape or id prefix is registered outside it.
        let mut codec = self.codec();
        let mut written = Vec::with_capacity(batch.written.len());
        for link in &batch.written {
            let source = codec
                .encode_id(Some(&*conn), stream, Side::Source, &link.source_id)
                .map_err(|e| self.err(e))?;
            let target = codec
                .encode_id(Some(&*conn), stream, Side::Target, &link.target_id)
                .map_err(|e| self.err(e))?;
            let fields = codec
                .encode_fields(conn, stream, &link.fields)
                .map_err(|e| self.err(e))?;
            written.push((source, target, fields));
        }
        let unlinked = |id: &str, codec: &mut Codec| {
            codec
                .encode_id(None, stream, Side::Source, id)
                .map_err(|e| self.err(e))
        };
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let now = now();
        {
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO links (stream, source_id, target_id, fields, last_seen_run)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(stream, source_id) DO UPDATE SET target_id = excluded.target_id,
                       fields = excluded.fields, last_seen_run = excluded.last_seen_run",
                )
                .map_err(|e| self.err(e))?;
            let mut unretry = tx
                .prepare_cached("DELETE FROM retries WHERE stream = ?1 AND source_id = ?2")
                .map_err(|e| self.err(e))?;
            // The common case, nothing queued, costs one lookup instead of one a record.
            let queued: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM retries WHERE stream = ?1)",
                    [stream],
                    |r| r.get(0),
                )
                .map_err(|e| self.err(e))?;
            for (link, (source, target, fields)) in batch.written.iter().zip(&written) {
                upsert
                    .execute(params![stream, source, target, fields, run_id])
                    .map_err(|e| self.err(e))?;
                if queued {
                    unretry
                        .execute(params![stream, link.source_id])
                        .map_err(|e| self.err(e))?;
                }
            }
            let mut unlink = tx
                .prepare_cached("DELETE FROM links WHERE stream = ?1 AND source_id = ?2")
                .map_err(|e| self.err(e))?;
            // A record gone from the target waits for nothing any more (its link is what
            // `waiting_ready` would need).
            let mut unwait = tx
                .prepare_cached("DELETE FROM waiting WHERE stream = ?1 AND source_id = ?2")
                .map_err(|e| self.err(e))?;
            for source_id in &batch.deleted {
                unlink
                    .execute(params![stream, unlinked(source_id, &mut codec)?])
                    .map_err(|e| self.err(e))?;
                unretry
                    .execute(params![stream, source_id])
                    .map_err(|e| self.err(e))?;
                unwait
                    .execute(params![stream, source_id])
                    .map_err(|e| self.err(e))?;
            }
            let mut tomb = tx
                .prepare_cached(
                    "INSERT INTO tombstones (stream, source_id, target_id, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(stream, source_id) DO NOTHING",
                )
                .map_err(|e| self.err(e))?;
            for (source_id, target_id, reason) in &batch.tombstones {
                tomb.execute(params![stream, source_id, target_id, reason, now])
                    .map_err(|e| self.err(e))?;
                unlink
                    .execute(params![stream, unlinked(source_id, &mut codec)?])
                    .map_err(|e| self.err(e))?;
                unretry
                    .execute(params![stream, source_id])
                    .map_err(|e| self.err(e))?;
                unwait
                    .execute(params![stream, source_id])
                    .map_err(|e| self.err(e))?;
            }
            let mut fail = tx
                .prepare_cached("INSERT INTO failures (run_id, stream, source_id, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)")
                .map_err(|e| self.err(e))?;
            let mut retry = tx
                .prepare_cached(
                    "INSERT INTO retries (stream, source_id, reason, first_failed_at, attempts) VALUES (?1, ?2, ?3, ?4, 1)
                     ON CONFLICT(stream, source_id) DO UPDATE SET reason = excluded.reason, attempts = attempts + 1",
                )
                .map_err(|e| self.err(e))?;
            for (source_id, reason) in &batch.failed {
                fail.execute(params![run_id, stream, source_id, reason, now])
                    .map_err(|e| self.err(e))?;
                retry
                    .execute(params![stream, source_id, reason, now])
                    .map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Marks linked records as seen by a full read, so the ones not seen can be found after it.
    pub fn mark_seen(
        &self,
        run_id: i64,
        stream: &str,
        source_ids: &[&str],
    ) -> Result<(), StateError> {
        let mut conn = self.conn();
        let mut codec = self.codec();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "UPDATE links SET last_seen_run = ?1 WHERE stream = ?2 AND source_id = ?3",
                )
                .map_err(|e| self.err(e))?;
            for id in source_ids {
                let key = codec
                    .encode_id(None, stream, Side::Source, id)
                    .map_err(|e| self.err(e))?;
                stmt.execute(params![run_id, stream, key])
                    .map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Linked records a full read begun by run `since_run` did not see (in that run or the
    /// later ones that resumed it): deleted in the source.
    pub fn unseen(&self, since_run: i64, stream: &str) -> Result<Vec<(String, Link)>, StateError> {
        let conn = self.conn();
        let codec = self.codec();
        let mut stmt = conn
            .prepare("SELECT source_id, target_id, fields FROM links WHERE stream = ?1 AND (last_seen_run IS NULL OR last_seen_run < ?2)")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![stream, since_run], |r| {
                Ok((
                    codec.decode_id(stream, Side::Source, r.get_ref(0)?),
                    Link {
                        target_id: codec.decode_id(stream, Side::Target, r.get_ref(1)?),
                        fields: codec.decode_fields(r.get_ref(2)?),
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Takes these records off the retry list: the target holds them as they are (a linked
    /// record read as unchanged), they are never written (skipped), or the source no longer has
    /// them. A record stays queued only while the target lacks what the source says.
    pub fn drop_retries(&self, stream: &str, source_ids: &[&str]) -> Result<(), StateError> {
        if source_ids.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn();
        // The common case, nothing queued, costs one lookup instead of a write transaction.
        let queued: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM retries WHERE stream = ?1)",
                [stream],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        if !queued {
            return Ok(());
        }
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        {
            let mut stmt = tx
                .prepare_cached("DELETE FROM retries WHERE stream = ?1 AND source_id = ?2")
                .map_err(|e| self.err(e))?;
            for id in source_ids {
                stmt.execute(params![stream, id]).map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Records that failed on an earlier run and are to be tried again.
    pub fn retries(&self, stream: &str) -> Result<Vec<String>, StateError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT source_id FROM retries WHERE stream = ?1 ORDER BY source_id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([stream], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<String>, _>>()
            .map_err(|e| self.err(e))
    }

    pub fn link_count(&self, stream: &str) -> Result<u64, StateError> {
        self.conn()
            .query_row(
                "SELECT COUNT(*) FROM links WHERE stream = ?1",
                [stream],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    pub fn begin_run(
        &self,
        command: &str,
        profile: &str,
        dry_run: bool,
    ) -> Result<i64, StateError> {
        let conn = self.conn();
        // The profile's lock is ours, so no other run is alive: a row still `running` belongs
        // to a run that was killed before it could close it.
        conn.execute(
            "UPDATE runs SET status = 'killed' WHERE status = 'running'",
            [],
        )
        .map_err(|e| self.err(e))?;
        conn.execute(
            "INSERT INTO runs (command, profile, dry_run, started_at, status) VALUES (?1, ?2, ?3, ?4, 'running')",
            params![command, profile, dry_run, now()],
        )
        .map_err(|e| self.err(e))?;
        Ok(conn.last_insert_rowid())
    }

    pub fn finish_run(
        &self,
        run_id: i64,
        status: &str,
        summary: &serde_json::Value,
    ) -> Result<(), StateError> {
        self.conn()
            .execute(
                "UPDATE runs SET finished_at = ?1, status = ?2, summary = ?3 WHERE id = ?4",
                params![now(), status, summary.to_string(), run_id],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// The failures recorded for a run.
    pub fn failures(&self, run_id: i64) -> Result<Vec<Failure>, StateError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT stream, source_id, reason FROM failures WHERE run_id = ?1 ORDER BY rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([run_id], |r| {
                Ok(Failure {
                    stream: r.get(0)?,
                    source_id: r.get(1)?,
                    reason: r.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }
}

/// One run from a profile's run log, as `shopsync runs` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    pub id: i64,
    pub profile: String,
    pub command: String,
    pub dry_run: bool,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// `running` (or killed before it finished), `completed`, `completed with failures`,
    /// `stopped`.
    pub status: String,
    /// What the run wrote into the log when it finished (counts, why it stopped).
    #[serde(skip)]
    pub summary: Option<serde_json::Value>,
    pub failures: Vec<Failure>,
}

impl StateStore {
    /// The last `limit` runs of `DIR/PROFILE.sqlite`, newest first, each with its failures;
    /// empty when the profile has no state store yet. Read-only and without the run lock, so it
    /// works while a run of the profile is going on.
    pub fn read_runs(dir: &Path, profile: &str, limit: u32) -> Result<Vec<RunRecord>, StateError> {
        let file = dir.join(format!("{profile}.sqlite"));
        if !file.exists() {
            return Ok(Vec::new());
        }
        let path = file.display().to_string();
        let sql = |source| StateError::Sqlite {
            path: path.clone(),
            source,
        };
        let conn = Connection::open_with_flags(&file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sql)?;
        let mut runs = {
            let mut stmt = conn
                .prepare(
                    "SELECT id, profile, command, dry_run, started_at, finished_at, status, summary
                     FROM runs ORDER BY id DESC LIMIT ?1",
                )
                .map_err(sql)?;
            let rows = stmt
                .query_map([limit], |r| {
                    let summary: Option<String> = r.get(7)?;
                    Ok(RunRecord {
                        id: r.get(0)?,
                        profile: r.get(1)?,
                        command: r.get(2)?,
                        dry_run: r.get(3)?,
                        started_at: r.get(4)?,
                        finished_at: r.get(5)?,
                        status: r.get(6)?,
                        summary: summary.and_then(|s| serde_json::from_str(&s).ok()),
                        failures: Vec::new(),
                    })
                })
                .map_err(sql)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(sql)?
        };
        let mut stmt = conn
            .prepare(
                "SELECT stream, source_id, reason FROM failures WHERE run_id = ?1 ORDER BY rowid",
            )
            .map_err(sql)?;
        for run in &mut runs {
            let rows = stmt
                .query_map([run.id], |r| {
                    Ok(Failure {
                        stream: r.get(0)?,
                        source_id: r.get(1)?,
                        reason: r.get(2)?,
                    })
                })
                .map_err(sql)?;
            run.failures = rows.collect::<Result<Vec<_>, _>>().map_err(sql)?;
        }
        Ok(runs)
    }
}

/// One row of a Huddle profile's SKU table: buying `sku` in Shopify gives the buyer these
/// access levels of the Huddle webhook product `product` (the product with the same SKU that is
/// set up in Huddle under Settings > Integrations > Webhooks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuMapping {
    pub sku: String,
    pub product: String,
    pub levels: Vec<String>,
}

/// What writing one mapping changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MappingChange {
    Added,
    Updated,
    Unchanged,
    Removed,
}

/// Where an order stands with Huddle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SendStatus {
    /// Recorded just before the request; still there means the run stopped during it, and
    /// nobody knows whether Huddle got it.
    Sending,
    /// Huddle answered 2xx.
    Sent,
    /// Huddle refused it, or it could not be delivered; nothing was created.
    Failed,
    /// Huddle never answered the last attempt (a timeout, a dropped connection after the
    /// request went out); it may or may not have acted.
    Uncertain,
}

impl SendStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SendStatus::Sending => "sending",
            SendStatus::Sent => "sent",
            SendStatus::Failed => "failed",
            SendStatus::Uncertain => "uncertain",
        }
    }

    fn parse(s: &str) -> SendStatus {
        match s {
            "sent" => SendStatus::Sent,
            "failed" => SendStatus::Failed,
            "uncertain" => SendStatus::Uncertain,
            _ => SendStatus::Sending,
        }
    }
}

/// One order's send record.
#[derive(Debug, Clone, Serialize)]
pub struct SendRecord {
    pub order_id: String,
    pub order_name: String,
    pub status: SendStatus,
    /// The `X-Shopify-Webhook-Id` it was (or is being) sent with; a resend reuses it.
    pub webhook_id: String,
    pub attempts: i64,
    pub first_at: String,
    pub updated_at: String,
    pub http_status: Option<i64>,
    pub detail: Option<String>,
}

impl StateStore {
    /// Every SKU mapping, by SKU.
    pub fn sku_mappings(&self) -> Result<Vec<SkuMapping>, StateError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT sku, product, levels FROM sku_map ORDER BY sku")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(SkuMapping {
                    sku: r.get(0)?,
                    product: r.get(1)?,
                    levels: serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default(),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Writes `put` and removes `remove` in one transaction; says what each did, in order
    /// (`put` first, then `remove`).
    pub fn write_sku_mappings(
        &self,
        put: &[SkuMapping],
        remove: &[String],
    ) -> Result<Vec<MappingChange>, StateError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let now = now();
        let mut out = Vec::with_capacity(put.len() + remove.len());
        {
            let mut get = tx
                .prepare_cached("SELECT product, levels FROM sku_map WHERE sku = ?1")
                .map_err(|e| self.err(e))?;
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO sku_map (sku, product, levels, updated_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(sku) DO UPDATE SET product = excluded.product,
                       levels = excluded.levels, updated_at = excluded.updated_at",
                )
                .map_err(|e| self.err(e))?;
            for m in put {
                let levels = serde_json::to_string(&m.levels).unwrap_or_else(|_| "[]".into());
                let old: Option<(String, String)> = get
                    .query_row([&m.sku], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
                    .map_err(|e| self.err(e))?;
                let change = match old {
                    None => MappingChange::Added,
                    Some((p, l)) if p == m.product && l == levels => MappingChange::Unchanged,
                    Some(_) => MappingChange::Updated,
                };
                if change != MappingChange::Unchanged {
                    upsert
                        .execute(params![m.sku, m.product, levels, now])
                        .map_err(|e| self.err(e))?;
                }
                out.push(change);
            }
            let mut delete = tx
                .prepare_cached("DELETE FROM sku_map WHERE sku = ?1")
                .map_err(|e| self.err(e))?;
            for sku in remove {
                let n = delete.execute([sku]).map_err(|e| self.err(e))?;
                out.push(if n > 0 {
                    MappingChange::Removed
                } else {
                    MappingChange::Unchanged
                });
            }
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(out)
    }

    /// The send record of one order.
    pub fn send_record(&self, order_id: &str) -> Result<Option<SendRecord>, StateError> {
        self.conn()
            .query_row(
                "SELECT order_id, order_name, status, webhook_id, attempts, first_at, updated_at,
                        http_status, detail FROM huddle_sends WHERE order_id = ?1",
                [order_id],
                send_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every send record, oldest first.
    pub fn send_records(&self) -> Result<Vec<SendRecord>, StateError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT order_id, order_name, status, webhook_id, attempts, first_at, updated_at,
                        http_status, detail FROM huddle_sends ORDER BY first_at, order_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], send_row).map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Records, durably, that `order_id` is about to be sent with `webhook_id`. Called before
    /// the request: a run that dies during it leaves `sending`, which no later run sends again
    /// on its own.
    pub fn begin_send(
        &self,
        order_id: &str,
        order_name: &str,
        webhook_id: &str,
    ) -> Result<(), StateError> {
        let conn = self.conn();
        // Survive a power cut too, not only a crash: this row is the only thing that stops a
        // second membership e-mail.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| self.err(e))?;
        let now = now();
        conn.execute(
            "INSERT INTO huddle_sends (order_id, order_name, status, webhook_id, attempts, first_at, updated_at)
             VALUES (?1, ?2, 'sending', ?3, 1, ?4, ?4)
             ON CONFLICT(order_id) DO UPDATE SET status = 'sending', order_name = excluded.order_name,
               webhook_id = excluded.webhook_id, attempts = attempts + 1, updated_at = excluded.updated_at,
               http_status = NULL, detail = NULL",
            params![order_id, order_name, webhook_id, now],
        )
        .map(|_| ())
        .map_err(|e| self.err(e))
    }

    /// Records how the send of `order_id` ended.
    pub fn finish_send(
        &self,
        order_id: &str,
        status: SendStatus,
        http_status: Option<u16>,
        detail: Option<&str>,
    ) -> Result<(), StateError> {
        self.conn()
            .execute(
                "UPDATE huddle_sends SET status = ?2, http_status = ?3, detail = ?4, updated_at = ?5
                 WHERE order_id = ?1",
                params![order_id, status.as_str(), http_status, detail, now()],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }
}

fn send_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SendRecord> {
    Ok(SendRecord {
        order_id: r.get(0)?,
        order_name: r.get(1)?,
        status: SendStatus::parse(&r.get::<_, String>(2)?),
        webhook_id: r.get(3)?,
        attempts: r.get(4)?,
        first_at: r.get(5)?,
        updated_at: r.get(6)?,
        http_status: r.get(7)?,
        detail: r.get(8)?,
    })
}

/// A record written without its link to another record, which had no target id yet.
#[derive(Debug, Clone)]
pub struct Waiting {
    /// The waiting record: `orders` (a deal) or `line_items`.
    pub stream: String,
    pub source_id: String,
    /// What it waits for: `customers` (its contact) or `products`.
    pub needs_stream: String,
    pub needs_id: String,
    /// The record whose link fields describe the link (the order, for its deal and line items).
    pub owner: String,
}

/// A waiting record whose other record now has a target id.
#[derive(Debug, Clone)]
pub struct Ready {
    pub source_id: String,
    pub target_id: String,
    pub needs_id: String,
    pub needs_target_id: String,
    pub owner: String,
}

/// What one applied batch changed, checkpointed together.
#[derive(Debug, Default)]
pub struct Checkpoint {
    pub written: Vec<LinkUpdate>,
    pub deleted: Vec<String>,
    /// (source id, target id, reason)
    pub tombstones: Vec<(String, String, String)>,
    /// (source id, reason)
    pub failed: Vec<(String, String)>,
}

/// Brings a file of schema `from` (0 = new) to [`SCHEMA_VERSION`] in one transaction: every
/// table an older shopsync wrote is kept as it is, new ones are added.
fn migrate(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    if from == SCHEMA_VERSION {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        conn.execute_batch(SCHEMA_V1)?;
        if from < 2 {
            conn.execute_batch(SCHEMA_V2)?;
        }
        if from < 3 {
            conn.execute_batch(SCHEMA_V3)?;
        }
        if from < 4 {
            conn.execute_batch(SCHEMA_V4)?;
        }
        if from < 5 {
            conn.execute_batch(twoway::SCHEMA_V5)?;
        }
        if from < 6 {
            compact::migrate_links(conn)?;
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Creates `dir` (and missing parents) readable by its owner only. A directory that exists is
/// left as it is: it may be shared on purpose (a backup group); the files in it are private.
fn create_private_dir(dir: &Path) -> Result<(), StateError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|source| StateError::Io {
        path: dir.display().to_string(),
        source,
    })
}

/// Opens (creating if needed) a file that only its owner may read and write.
fn private_file(path: &Path) -> std::io::Result<File> {
    let mut options = File::options();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    make_private(path)?;
    Ok(file)
}

fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode != 0o600 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Whether an existing state file can be read as one: not empty, an SQLite database, its schema
/// readable. A missing file is fine (a new profile).
fn check_readable(file: &Path) -> Result<(), StateError> {
    let path = file.display().to_string();
    let meta = match std::fs::metadata(file) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(StateError::Io { path, source }),
    };
    if meta.len() == 0 {
        // SQLite would take it for a new database: every link, cursor and tombstone gone.
        return Err(StateError::Unreadable {
            path,
            what: "it is empty (0 bytes)".into(),
        });
    }
    let conn = Connection::open_with_flags(
        file,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|source| StateError::Sqlite {
        path: path.clone(),
        source,
    })?;
    let tables: rusqlite::Result<i64> = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = 'links'",
        [],
        |r| r.get(0),
    );
    match tables {
        Ok(1) => Ok(()),
        Ok(_) => Err(StateError::Unreadable {
            path,
            what: "it is an SQLite database, but not a shopsync state store (no links table)"
                .into(),
        }),
        Err(e) => {
            Err(StateError::unreadable(&path, &e).unwrap_or(StateError::Sqlite { path, source: e }))
        }
    }
}

/// Renames an unreadable state file (and its WAL files) to `NAME.broken-TIMESTAMP`.
fn move_aside(file: &Path) -> Result<PathBuf, StateError> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let aside = PathBuf::from(format!("{}.broken-{stamp}", file.display()));
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", file.display()));
        if from.exists() {
            let to = PathBuf::from(format!("{}{suffix}", aside.display()));
            std::fs::rename(&from, &to).map_err(|source| StateError::Io {
                path: from.display().to_string(),
                source,
            })?;
        }
    }
    Ok(aside)
}

/// Creates a new, empty state store at `file` without ever leaving an empty file there: the
/// schema is written to a temporary file, which is then renamed into place.
fn create_database(dir: &Path, file: &Path) -> Result<(), StateError> {
    let tmp = dir.join(format!(
        ".{}.new",
        file.file_name().unwrap_or_default().to_string_lossy()
    ));
    let path = tmp.display().to_string();
    let io = |source| StateError::Io {
        path: path.clone(),
        source,
    };
    let sql = |source| StateError::Sqlite {
        path: path.clone(),
        source,
    };
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    drop(private_file(&tmp).map_err(io)?);
    {
        let conn = Connection::open(&tmp).map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        migrate(&conn, 0).map_err(sql)?;
    }
    std::fs::rename(&tmp, file).map_err(io)
}

/// The target id linked to `source_id`, with the caller's locks.
fn target_id_of(
    conn: &Connection,
    codec: &mut Codec,
    stream: &str,
    source_id: &str,
) -> rusqlite::Result<Option<String>> {
    let key = codec.encode_id(None, stream, Side::Source, source_id)?;
    conn.prepare_cached("SELECT target_id FROM links WHERE stream = ?1 AND source_id = ?2")?
        .query_row(params![stream, key], |r| {
            Ok(codec.decode_id(stream, Side::Target, r.get_ref(0)?))
        })
        .optional()
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

const SCHEMA_V1: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS links (
    stream TEXT NOT NULL,
    source_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    fields TEXT NOT NULL,
    last_seen_run INTEGER,
    linked_at TEXT,
    PRIMARY KEY (stream, source_id)
);
CREATE INDEX IF NOT EXISTS links_by_target ON links (stream, target_id);
CREATE TABLE IF NOT EXISTS tombstones (
    stream TEXT NOT NULL,
    source_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (stream, source_id)
);
CREATE TABLE IF NOT EXISTS cursors (stream TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS retries (
    stream TEXT NOT NULL,
    source_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    first_failed_at TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    PRIMARY KEY (stream, source_id)
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    profile TEXT NOT NULL,
    dry_run INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS failures (
    run_id INTEGER NOT NULL,
    stream TEXT NOT NULL,
    source_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
";

/// Schema 3: deals written while their customer had no contact yet (an orders-only run before
/// the customers were synced), associated once the contact exists.
const SCHEMA_V3: &str = "
CREATE TABLE IF NOT EXISTS waiting_contacts (
    order_id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    since TEXT NOT NULL
);
";

/// Schema 4: records written without a link to a record not synced yet, of any kind (deals
/// waiting for their contact, line items for their product); the deals schema 3 kept move in.
const SCHEMA_V4: &str = "
CREATE TABLE IF NOT EXISTS waiting (
    stream TEXT NOT NULL,
    source_id TEXT NOT NULL,
    needs_stream TEXT NOT NULL,
    needs_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    since TEXT NOT NULL,
    PRIMARY KEY (stream, source_id, needs_stream)
);
INSERT OR IGNORE INTO waiting (stream, source_id, needs_stream, needs_id, owner, since)
    SELECT 'orders', order_id, 'customers', customer_id, order_id, since FROM waiting_contacts;
DROP TABLE waiting_contacts;
";

/// Schema 2: the Huddle flow's tables.
const SCHEMA_V2: &str = "
CREATE TABLE IF NOT EXISTS sku_map (
    sku TEXT PRIMARY KEY,
    product TEXT NOT NULL,
    levels TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS huddle_sends (
    order_id TEXT PRIMARY KEY,
    order_name TEXT NOT NULL,
    status TEXT NOT NULL,
    webhook_id TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    first_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    http_status INTEGER,
    detail TEXT
);
";

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn checkpoint_links_tombstones_and_retries() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::open(dir.path(), "p").unwrap();
        let run = store.begin_run("initial-sync", "p", false).unwrap();
        let batch = Checkpoint {
            written: vec![LinkUpdate {
                source_id: "s1".into(),
                target_id: "t1".into(),
                fields: fields(&[("a", "1")]),
            }],
            failed: vec![("s2".into(), "bad email".into())],
            ..Default::default()
        };
        store.checkpoint(run, "contacts", &batch).unwrap();
        let links = store.links("contacts", &["s1", "s2"]).unwrap();
        assert_eq!(links["s1"].target_id, "t1");
        assert!(!links.contains_key("s2"));
        assert_eq!(store.retries("contacts").unwrap(), vec!["s2".to_string()]);
        assert_eq!(store.failures(run).unwrap().len(), 1);

        // s2 succeeds later: leaves the retry list. s1 is deleted in the target: tombstoned.
        let batch = Checkpoint {
            written: vec![LinkUpdate {
                source_id: "s2".into(),
                target_id: "t2".into(),
                fields: Fields::new(),
            }],
            tombstones: vec![("s1".into(), "t1".into(), "deleted in HubSpot".into())],
            ..Default::default()
        };
        store.checkpoint(run, "contacts", &batch).unwrap();
        assert!(store.retries("contacts").unwrap().is_empty());
        assert_eq!(
            store.tombstoned("contacts", &["s1", "s2"]).unwrap(),
            vec!["s1".to_string()]
        );
        assert!(store.links("contacts", &["s1"]).unwrap().is_empty());
    }

    /// A waiting record deleted in the source, or in the target, waits no more.
    #[test]
    fn a_deleted_or_tombstoned_record_leaves_the_waiting_list() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::open(dir.path(), "p").unwrap();
        let run = store.begin_run("initial-sync", "p", false).unwrap();
        let waits = |id: &str| Waiting {
            stream: "line_items".into(),
            source_id: id.into(),
            needs_stream: "products".into(),
            needs_id: "prod".into(),
            owner: "order".into(),
        };
        store
            .add_waiting(&[waits("li1"), waits("li2"), waits("li3")])
            .unwrap();
        let count = || -> i64 {
            store
                .conn()
                .query_row("SELECT count(*) FROM waiting", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(count(), 3);
        let batch = Checkpoint {
            deleted: vec!["li1".into()],
            tombstones: vec![("li2".into(), "t2".into(), "deleted in the target".into())],
            ..Default::default()
        };
        store.checkpoint(run, "line_items", &batch).unwrap();
        assert_eq!(count(), 1, "only li3 still waits");
    }

    #[test]
    fn deals_waiting_in_a_schema_3_file_keep_waiting_and_resolve() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join("p.sqlite")).unwrap();
            conn.execute_batch(SCHEMA_V1).unwrap();
            conn.execute_batch(SCHEMA_V2).unwrap();
            conn.execute_batch(SCHEMA_V3).unwrap();
            conn.execute(
                "INSERT INTO waiting_contacts (order_id, customer_id, since) VALUES ('o1', 'c1', 'x')",
                [],
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 3).unwrap();
        }
        let store = StateStore::open(dir.path(), "p").unwrap();
        let run = store.begin_run("x", "p", false).unwrap();
        let link = |id: &str, target: &str| LinkUpdate {
            source_id: id.into(),
            target_id: target.into(),
            fields: Fields::new(),
        };
        let written = |links| Checkpoint {
            written: links,
            ..Default::default()
        };
        store
            .checkpoint(run, "orders", &written(vec![link("o1", "d1")]))
            .unwrap();
        assert!(store
            .waiting_ready("orders", "customers")
            .unwrap()
            .is_empty());
        store
            .checkpoint(run, "customers", &written(vec![link("c1", "k1")]))
            .unwrap();
        let ready = store.waiting_ready("orders", "customers").unwrap();
        assert_eq!(ready.len(), 1);
        assert_eq!(
            (
                ready[0].target_id.as_str(),
                ready[0].needs_target_id.as_str()
            ),
            ("d1", "k1")
        );
        store
            .waiting_resolved("orders", "customers", "orders", &ready, |f, r| {
                f.insert("@contact".into(), r.needs_id.clone());
            })
            .unwrap();
        assert!(store
            .waiting_ready("orders", "customers")
            .unwrap()
            .is_empty());
        let links = store.links("orders", &["o1"]).unwrap();
        assert_eq!(links["o1"].fields["@contact"], "c1");
    }

    #[test]
    fn a_schema_5_file_moves_its_links_into_the_compact_table() {
        let dir = tempfile::tempdir().unwrap();
        let json = |pairs: &[(&str, &str)]| serde_json::to_string(&fields(pairs)).unwrap();
        {
            // A file as shopsync with schema 5 left it: fields as JSON text, ids as text.
            let conn = Connection::open(dir.path().join("p.sqlite")).unwrap();
            conn.execute_batch(SCHEMA_V1).unwrap();
            conn.execute_batch(SCHEMA_V2).unwrap();
            conn.execute_batch(SCHEMA_V3).unwrap();
            conn.execute_batch(SCHEMA_V4).unwrap();
            conn.execute_batch(twoway::SCHEMA_V5).unwrap();
            let mut insert = conn
                .prepare(
                    "INSERT INTO links (stream, source_id, target_id, fields, last_seen_run, linked_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'x')",
                )
                .unwrap();
            let contact = json(&[
                ("email", "ann@example.com"),
                ("firstname", "Ann"),
                ("shopify_accepts_marketing", "true"),
            ]);
            insert
                .execute(params![
                    "customers",
                    "gid://shopify/Customer/7",
                    "1001",
                    contact,
                    3
                ])
                .unwrap();
            insert
                .execute(params!["customers", "guest-1", "1002", "{}", 3])
                .unwrap();
            let deal = json(&[
                ("dealname", "#1001"),
                ("@contact", "gid://shopify/Customer/7"),
            ]);
            insert
                .execute(params!["orders", "gid://shopify/Order/9", "5001", deal, 2])
                .unwrap();
            let price = json(&[("bo_price", "199.00")]);
            insert
                .execute(params![
                    "backoffice_prices",
                    "TS-S",
                    "gid://shopify/ProductVariant/3",
                    price,
                    3
                ])
                .unwrap();
            conn.execute(
                "INSERT INTO waiting (stream, source_id, needs_stream, needs_id, owner, since)
                 VALUES ('orders', 'gid://shopify/Order/9', 'customers', 'gid://shopify/Customer/7', 'gid://shopify/Order/9', 'x')",
                [],
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 5).unwrap();
        }
        let store = StateStore::open(dir.path(), "p").unwrap();
        let version: i64 = store
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);

        let customers = store
            .links(
                "customers",
                &["gid://shopify/Customer/7", "guest-1", "nope"],
            )
            .unwrap();
        assert_eq!(customers.len(), 2);
        let ann = &customers["gid://shopify/Customer/7"];
        assert_eq!(ann.target_id, "1001");
        assert_eq!(customers["guest-1"].target_id, "1002");
        // Values nothing reads back are hashes now, and still compare.
        assert!(is_hashed(&ann.fields["email"]));
        assert!(same_value(&ann.fields["email"], "ann@example.com"));
        assert_eq!(ann.fields["shopify_accepts_marketing"], "true");
        let mut changed = fields(&[("email", "ann@example.com"), ("firstname", "Anna")]);
        let diff = crate::engine::plan::diff(&ann.fields, &changed);
        assert_eq!(diff.len(), 1);
        assert_eq!(diff[0].field, "firstname");
        assert!(diff[0].old_not_kept);
        changed.remove("firstname");
        assert!(crate::engine::plan::unchanged(&ann.fields, &changed));

        // Links to other records and a flow's own values are kept as they were.
        let deal =
            &store.links("orders", &["gid://shopify/Order/9"]).unwrap()["gid://shopify/Order/9"];
        assert_eq!(deal.fields["@contact"], "gid://shopify/Customer/7");
        let price = &store.links("backoffice_prices", &["TS-S"]).unwrap()["TS-S"];
        assert_eq!(price.target_id, "gid://shopify/ProductVariant/3");
        assert_eq!(price.fields, fields(&[("bo_price", "199.00")]));

        // Lookups by target id, waiting records, unseen links and the run marks still work.
        assert_eq!(
            store.source_id_of("customers", "1001").unwrap().as_deref(),
            Some("gid://shopify/Customer/7")
        );
        let ready = store.waiting_ready("orders", "customers").unwrap();
        assert_eq!(ready.len(), 1);
        assert_eq!(
            (
                ready[0].target_id.as_str(),
                ready[0].needs_target_id.as_str()
            ),
            ("5001", "1001")
        );
        store
            .mark_seen(4, "customers", &["gid://shopify/Customer/7"])
            .unwrap();
        let unseen = store.unseen(4, "customers").unwrap();
        assert_eq!(unseen.len(), 1);
        assert_eq!(unseen[0].0, "guest-1");

        // The numbered ids are stored as numbers, in a table without rowids.
        let kinds: Vec<(String, String)> = {
            let conn = store.conn();
            let mut stmt = conn
                .prepare("SELECT typeof(source_id), typeof(target_id) FROM links WHERE stream = 'customers' ORDER BY source_id")
                .unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(
            kinds,
            vec![
                ("integer".to_string(), "integer".to_string()),
                ("text".to_string(), "integer".to_string())
            ]
        );
        let sql: String = store
            .conn()
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'links'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(sql.contains("WITHOUT ROWID"), "{sql}");
    }

    #[test]
    fn a_linked_record_leaves_the_retry_list() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::open(dir.path(), "p").unwrap();
        let run = store.begin_run("x", "p", false).unwrap();
        let failed = Checkpoint {
            failed: vec![("a".into(), "r".into()), ("b".into(), "r".into())],
            ..Default::default()
        };
        store.checkpoint(run, "customers", &failed).unwrap();
        store.drop_retries("customers", &["a", "zz"]).unwrap();
        assert_eq!(store.retries("customers").unwrap(), vec!["b".to_string()]);
        store.drop_retries("products", &["b"]).unwrap();
        assert_eq!(store.retries("customers").unwrap(), vec!["b".to_string()]);
    }

    #[test]
    fn a_schema_1_file_is_migrated_and_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        {
            // A file as shopsync with schema 1 left it.
            let conn = Connection::open(dir.path().join("p.sqlite")).unwrap();
            conn.execute_batch(SCHEMA_V1).unwrap();
            conn.execute(
                "INSERT INTO cursors (stream, value) VALUES ('orders', '2026-01-01T00:00:00Z')",
                [],
            )
            .unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let store = StateStore::open(dir.path(), "p").unwrap();
        assert_eq!(
            store.cursor("orders").unwrap().as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        let version: i64 = store
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        assert!(store.sku_mappings().unwrap().is_empty());
        assert!(store.send_records().unwrap().is_empty());
    }

    #[test]
    fn sku_mappings_say_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::open(dir.path(), "p").unwrap();
        let m = |sku: &str, levels: &[&str]| SkuMapping {
            sku: sku.into(),
            product: "Jaar".into(),
            levels: levels.iter().map(|l| l.to_string()).collect(),
        };
        let changes = store
            .write_sku_mappings(&[m("A", &["x"]), m("B", &["y"])], &[])
            .unwrap();
        assert_eq!(changes, vec![MappingChange::Added, MappingChange::Added]);
        let changes = store
            .write_sku_mappings(&[m("A", &["x"]), m("B", &["y", "z"])], &["C".into()])
            .unwrap();
        assert_eq!(
            changes,
            vec![
                MappingChange::Unchanged,
                MappingChange::Updated,
                MappingChange::Unchanged
            ]
        );
        let changes = store.write_sku_mappings(&[], &["A".into()]).unwrap();
        assert_eq!(changes, vec![MappingChange::Removed]);
        assert_eq!(store.sku_mappings().unwrap(), vec![m("B", &["y", "z"])]);
    }

    #[test]
    fn a_send_is_recorded_before_and_after() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::open(dir.path(), "p").unwrap();
        store
            .begin_send("gid://shopify/Order/1", "#1001", "w1")
            .unwrap();
        let r = store.send_record("gid://shopify/Order/1").unwrap().unwrap();
        assert_eq!(r.status, SendStatus::Sending);
        store
            .finish_send("gid://shopify/Order/1", SendStatus::Sent, Some(200), None)
            .unwrap();
        drop(store);
        let store = StateStore::open(dir.path(), "p").unwrap();
        let r = store.send_record("gid://shopify/Order/1").unwrap().unwrap();
        assert_eq!(r.status, SendStatus::Sent);
        assert_eq!(r.http_status, Some(200));
        assert_eq!(r.webhook_id, "w1");
    }

    #[test]
    fn second_open_of_a_profile_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let _first = StateStore::open(dir.path(), "p").unwrap();
        assert!(matches!(
            StateStore::open(dir.path(), "p"),
            Err(StateError::Locked { .. })
        ));
    }

    #[test]
    fn unseen_links_after_a_full_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::open(dir.path(), "p").unwrap();
        let run1 = store.begin_run("x", "p", false).unwrap();
        let written = ["a", "b"]
            .iter()
            .map(|id| LinkUpdate {
                source_id: id.to_string(),
                target_id: format!("t{id}"),
                fields: Fields::new(),
            })
            .collect();
        store
            .checkpoint(
                run1,
                "products",
                &Checkpoint {
                    written,
                    ..Default::default()
                },
            )
            .unwrap();
        let run2 = store.begin_run("x", "p", false).unwrap();
        store.mark_seen(run2, "products", &["a"]).unwrap();
        let unseen = store.unseen(run2, "products").unwrap();
        assert_eq!(unseen.len(), 1);
        assert_eq!(unseen[0].0, "b");
    }
}

/// What one Shopify GraphQL document cost when it was last sent (from `extensions.cost`), so a
/// new process paces its first requests by it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredQueryCost {
    pub document: String,
    pub requested: f64,
    pub actual: f64,
    /// For a page document: requested and actual points per record.
    pub per_record: Option<(f64, f64)>,
}

/// The table of [`StoredQueryCost`]s: created on first use, on its own (not part of the numbered
/// schema: an older shopsync ignores it, and losing it only costs one probe request).
const QUERY_COSTS_TABLE: &str = "
CREATE TABLE IF NOT EXISTS shopify_query_costs (
    document TEXT PRIMARY KEY,
    requested REAL NOT NULL,
    actual REAL NOT NULL,
    record_requested REAL,
    record_actual REAL,
    updated_at TEXT NOT NULL
);";

impl StateStore {
    /// Every Shopify query cost an earlier run remembered.
    pub fn shopify_query_costs(&self) -> Result<Vec<StoredQueryCost>, StateError> {
        let conn = self.conn();
        conn.execute_batch(QUERY_COSTS_TABLE)
            .map_err(|e| self.err(e))?;
        let mut stmt = conn
            .prepare(
                "SELECT document, requested, actual, record_requested, record_actual
                 FROM shopify_query_costs ORDER BY document",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                let per_record = match (r.get::<_, Option<f64>>(3)?, r.get::<_, Option<f64>>(4)?) {
                    (Some(requested), Some(actual)) => Some((requested, actual)),
                    _ => None,
                };
                Ok(StoredQueryCost {
                    document: r.get(0)?,
                    requested: r.get(1)?,
                    actual: r.get(2)?,
                    per_record,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Remembers these costs (replacing what was kept for the same documents).
    pub fn set_shopify_query_costs(&self, costs: &[StoredQueryCost]) -> Result<(), StateError> {
        let mut conn = self.conn();
        conn.execute_batch(QUERY_COSTS_TABLE)
            .map_err(|e| self.err(e))?;
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let at = now();
        for c in costs {
            tx.execute(
                "INSERT INTO shopify_query_costs
                     (document, requested, actual, record_requested, record_actual, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(document) DO UPDATE SET requested = excluded.requested,
                     actual = excluded.actual, record_requested = excluded.record_requested,
                     record_actual = excluded.record_actual, updated_at = excluded.updated_at",
                params![
                    c.document,
                    c.requested,
                    c.actual,
                    c.per_record.map(|p| p.0),
                    c.per_record.map(|p| p.1),
                    at
                ],
            )
            .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod query_cost_tests {
    use super::*;

    #[test]
    fn query_costs_outlive_the_process() {
        let dir = tempfile::tempdir().unwrap();
        let page = StoredQueryCost {
            document: "orders_page.graphql".into(),
            requested: 923.0,
            actual: 195.0,
            per_record: Some((115.0, 24.0)),
        };
        let shop = StoredQueryCost {
            document: "shop.graphql".into(),
            requested: 1.0,
            actual: 1.0,
            per_record: None,
        };
        {
            let store = StateStore::open(dir.path(), "p").unwrap();
            assert!(store.shopify_query_costs().unwrap().is_empty());
            store
                .set_shopify_query_costs(&[page.clone(), shop.clone()])
                .unwrap();
        }
        let store = StateStore::open(dir.path(), "p").unwrap();
        assert_eq!(store.shopify_query_costs().unwrap(), vec![page, shop]);
    }
}
