//! The local state store: one SQLite file per profile.
//!
//! It keeps what a later run needs to be correct and cheap:
//! - links: source id <-> target id, with the fields last written (so a run writes only what
//!   changed, and a dry run can show old -> new);
//! - tombstones: records that must never be written again (a contact deleted in HubSpot);
//! - cursors: where the last incremental read of each stream stopped;
//! - retries: records that failed and are read again on the next run;
//! - runs and failures: a log of every run with each record that failed and why.
//!
//! Every applied batch is checkpointed in one transaction, so a run killed at any point resumes
//! without duplicating or losing a record (target writes are idempotent upserts; the links say
//! what is already there).

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Bumped when the schema changes; `open` migrates older files.
pub const SCHEMA_VERSION: i64 = 1;

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
}

/// The fields last written to the target for one record, by field name.
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
    path: String,
    // Held for the life of the store: one run per profile at a time.
    _lock: Arc<File>,
}

impl StateStore {
    /// The default directory: the OS data dir (`~/.local/share/shopsync` on Linux).
    pub fn default_dir() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "shopsync").map(|d| d.data_dir().to_path_buf())
    }

    /// Opens (creating if needed) `DIR/PROFILE.sqlite`, and takes the profile's run lock.
    pub fn open(dir: &Path, profile: &str) -> Result<StateStore, StateError> {
        std::fs::create_dir_all(dir).map_err(|source| StateError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let file = dir.join(format!("{profile}.sqlite"));
        let path = file.display().to_string();
        let lock_path = dir.join(format!("{profile}.lock"));
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| StateError::Io {
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
        let sql = |source| StateError::Sqlite {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&file).map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
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
        conn.execute_batch(SCHEMA).map_err(sql)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(sql)?;
        Ok(StateStore {
            conn: Arc::new(Mutex::new(conn)),
            path,
            _lock: Arc::new(lock),
        })
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    fn err(&self, source: rusqlite::Error) -> StateError {
        StateError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn
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
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(
                "SELECT target_id, fields FROM links WHERE stream = ?1 AND source_id = ?2",
            )
            .map_err(|e| self.err(e))?;
        let mut out = HashMap::with_capacity(source_ids.len());
        for id in source_ids {
            let row: Option<(String, String)> = stmt
                .query_row(params![stream, id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(|e| self.err(e))?;
            if let Some((target_id, fields)) = row {
                let fields = serde_json::from_str(&fields).unwrap_or_default();
                out.insert((*id).to_string(), Link { target_id, fields });
            }
        }
        Ok(out)
    }

    /// Target id of one linked record.
    pub fn target_id(&self, stream: &str, source_id: &str) -> Result<Option<String>, StateError> {
        self.conn()
            .query_row(
                "SELECT target_id FROM links WHERE stream = ?1 AND source_id = ?2",
                params![stream, source_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The tombstoned source ids among these.
    pub fn tombstoned(&self, stream: &str, source_ids: &[&str]) -> Result<Vec<String>, StateError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached("SELECT 1 FROM tombstones WHERE stream = ?1 AND source_id = ?2")
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for id in source_ids {
            if stmt.exists(params![stream, id]).map_err(|e| self.err(e))? {
                out.push((*id).to_string());
            }
        }
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
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let now = now();
        {
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO links (stream, source_id, target_id, fields, last_seen_run, linked_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(stream, source_id) DO UPDATE SET target_id = excluded.target_id,
                       fields = excluded.fields, last_seen_run = excluded.last_seen_run",
                )
                .map_err(|e| self.err(e))?;
            let mut unretry = tx
                .prepare_cached("DELETE FROM retries WHERE stream = ?1 AND source_id = ?2")
                .map_err(|e| self.err(e))?;
            for link in &batch.written {
                let fields = serde_json::to_string(&link.fields).unwrap_or_else(|_| "{}".into());
                upsert
                    .execute(params![
                        stream,
                        link.source_id,
                        link.target_id,
                        fields,
                        run_id,
                        now
                    ])
                    .map_err(|e| self.err(e))?;
                unretry
                    .execute(params![stream, link.source_id])
                    .map_err(|e| self.err(e))?;
            }
            let mut unlink = tx
                .prepare_cached("DELETE FROM links WHERE stream = ?1 AND source_id = ?2")
                .map_err(|e| self.err(e))?;
            for source_id in &batch.deleted {
                unlink
                    .execute(params![stream, source_id])
                    .map_err(|e| self.err(e))?;
                unretry
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
                    .execute(params![stream, source_id])
                    .map_err(|e| self.err(e))?;
                unretry
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
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "UPDATE links SET last_seen_run = ?1 WHERE stream = ?2 AND source_id = ?3",
                )
                .map_err(|e| self.err(e))?;
            for id in source_ids {
                stmt.execute(params![run_id, stream, id])
                    .map_err(|e| self.err(e))?;
            }
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// Linked records a full read of this run did not see: deleted in the source.
    pub fn unseen(&self, run_id: i64, stream: &str) -> Result<Vec<(String, Link)>, StateError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT source_id, target_id, fields FROM links WHERE stream = ?1 AND (last_seen_run IS NULL OR last_seen_run <> ?2)")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![stream, run_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (source_id, target_id, fields) = row.map_err(|e| self.err(e))?;
            out.push((
                source_id,
                Link {
                    target_id,
                    fields: serde_json::from_str(&fields).unwrap_or_default(),
                },
            ));
        }
        Ok(out)
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

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

const SCHEMA: &str = "
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
