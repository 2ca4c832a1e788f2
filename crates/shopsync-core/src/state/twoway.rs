//! Schema 5: two-way links between records of two systems, and the durable queue of received
//! webhooks.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{now, Fields, StateError, StateStore};

/// What was last synced between a record of side A and one of side B, in one entity (e.g. one
/// list). `fields` are the values both sides held after that sync, in the pair's shared names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairLink {
    pub entity: String,
    pub a_id: String,
    pub b_id: String,
    pub a_fingerprint: String,
    pub b_fingerprint: String,
    pub fields: Fields,
}

/// One webhook call as received, waiting to be applied (or applied).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueuedWebhook {
    pub id: i64,
    pub received_at: String,
    pub body: String,
    pub attempts: i64,
}

pub(super) const SCHEMA_V5: &str = "
CREATE TABLE IF NOT EXISTS pair_links (
    pair TEXT NOT NULL,
    entity TEXT NOT NULL,
    a_id TEXT NOT NULL,
    b_id TEXT NOT NULL,
    a_fingerprint TEXT NOT NULL,
    b_fingerprint TEXT NOT NULL,
    fields TEXT NOT NULL,
    synced_at TEXT NOT NULL,
    PRIMARY KEY (pair, entity, a_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS pair_links_b ON pair_links (pair, entity, b_id);
CREATE TABLE IF NOT EXISTS webhook_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    dedup TEXT NOT NULL,
    received_at TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    done_at TEXT
);
CREATE INDEX IF NOT EXISTS webhook_queue_status ON webhook_queue (source, status, id);
";

fn link_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PairLink> {
    let fields: String = r.get(5)?;
    Ok(PairLink {
        entity: r.get(0)?,
        a_id: r.get(1)?,
        b_id: r.get(2)?,
        a_fingerprint: r.get(3)?,
        b_fingerprint: r.get(4)?,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
    })
}

const LINK_COLUMNS: &str = "entity, a_id, b_id, a_fingerprint, b_fingerprint, fields";

impl StateStore {
    /// Every link of `pair`.
    pub fn pair_links(&self, pair: &str) -> Result<Vec<PairLink>, StateError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {LINK_COLUMNS} FROM pair_links WHERE pair = ?1 ORDER BY entity, a_id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([pair], link_row).map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// The link of side B's record `b_id` in `entity`.
    pub fn pair_link_by_b(
        &self,
        pair: &str,
        entity: &str,
        b_id: &str,
    ) -> Result<Option<PairLink>, StateError> {
        self.conn()
            .query_row(
                &format!(
                    "SELECT {LINK_COLUMNS} FROM pair_links WHERE pair = ?1 AND entity = ?2 AND b_id = ?3"
                ),
                params![pair, entity, b_id],
                link_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Saves `link` (replacing the one of the same A record, and any other holding its B id).
    pub fn save_pair_link(&self, pair: &str, link: &PairLink) -> Result<(), StateError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let fields = serde_json::to_string(&link.fields).unwrap_or_default();
        tx.execute(
            "DELETE FROM pair_links WHERE pair = ?1 AND entity = ?2 AND b_id = ?3 AND a_id <> ?4",
            params![pair, link.entity, link.b_id, link.a_id],
        )
        .map_err(|e| self.err(e))?;
        tx.execute(
            "INSERT INTO pair_links (pair, entity, a_id, b_id, a_fingerprint, b_fingerprint, fields, synced_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(pair, entity, a_id) DO UPDATE SET b_id = excluded.b_id,
                 a_fingerprint = excluded.a_fingerprint, b_fingerprint = excluded.b_fingerprint,
                 fields = excluded.fields, synced_at = excluded.synced_at",
            params![
                pair,
                link.entity,
                link.a_id,
                link.b_id,
                link.a_fingerprint,
                link.b_fingerprint,
                fields,
                now()
            ],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))
    }

    /// Forgets the link of A record `a_id` in `entity`.
    pub fn delete_pair_link(&self, pair: &str, entity: &str, a_id: &str) -> Result<(), StateError> {
        self.conn()
            .execute(
                "DELETE FROM pair_links WHERE pair = ?1 AND entity = ?2 AND a_id = ?3",
                params![pair, entity, a_id],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Webhook calls of `source` not yet applied, oldest first.
    pub fn queued_webhooks(&self, source: &str) -> Result<Vec<QueuedWebhook>, StateError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT id, received_at, body, attempts FROM webhook_queue
                 WHERE source = ?1 AND status = 'queued' ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([source], |r| {
                Ok(QueuedWebhook {
                    id: r.get(0)?,
                    received_at: r.get(1)?,
                    body: r.get(2)?,
                    attempts: r.get(3)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    /// Marks a queued call applied.
    pub fn webhook_done(&self, id: i64) -> Result<(), StateError> {
        self.conn()
            .execute(
                "UPDATE webhook_queue SET status = 'done', done_at = ?2, attempts = attempts + 1 WHERE id = ?1",
                params![id, now()],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Keeps a queued call queued, counting the failed attempt.
    pub fn webhook_failed(&self, id: i64, error: &str) -> Result<(), StateError> {
        self.conn()
            .execute(
                "UPDATE webhook_queue SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                params![id, error],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Counts of the queue by status, for `doctor` and tests.
    pub fn webhook_counts(&self, source: &str) -> Result<(u64, u64), StateError> {
        let conn = self.conn();
        let count = |status: &str| {
            conn.query_row(
                "SELECT COUNT(*) FROM webhook_queue WHERE source = ?1 AND status = ?2",
                params![source, status],
                |r| r.get::<_, i64>(0),
            )
        };
        let queued = count("queued").map_err(|e| self.err(e))?;
        let done = count("done").map_err(|e| self.err(e))?;
        Ok((queued as u64, done as u64))
    }
}

/// Adds webhook calls to a profile's state file without taking its run lock: a receiver queues
/// while a sync of the same profile runs (SQLite serialises the writes). The file must exist
/// at schema 5 or later (open it once with [`StateStore::open`] first).
pub struct WebhookInbox {
    conn: Connection,
    path: String,
}

impl WebhookInbox {
    pub fn open(dir: &Path, profile: &str) -> Result<WebhookInbox, StateError> {
        let file = dir.join(format!("{profile}.sqlite"));
        let path = file.display().to_string();
        let sql = |source| StateError::Sqlite {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&file).map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
        Ok(WebhookInbox { conn, path })
    }

    /// Queues `body` durably (FULL sync: the sender is answered 2xx only after this). A call
    /// with the same `dedup` key still queued is not queued twice; returns whether it was added.
    pub fn push(&self, source: &str, dedup: &str, body: &str) -> Result<bool, StateError> {
        let sql = |source| StateError::Sqlite {
            path: self.path.clone(),
            source,
        };
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        let exists: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM webhook_queue WHERE source = ?1 AND dedup = ?2 AND status = 'queued'",
                params![source, dedup],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql)?;
        if exists.is_some() {
            return Ok(false);
        }
        self.conn
            .execute(
                "INSERT INTO webhook_queue (source, dedup, received_at, body) VALUES (?1, ?2, ?3, ?4)",
                params![source, dedup, now(), body],
            )
            .map_err(sql)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_4_file_gains_the_two_way_tables_and_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = StateStore::open(dir.path(), "p").unwrap();
            store.set_meta("kept", "yes").unwrap();
        }
        // Made a schema 4 file: as an older shopsync left it.
        {
            let conn = Connection::open(dir.path().join("p.sqlite")).unwrap();
            conn.execute_batch("DROP TABLE pair_links; DROP TABLE webhook_queue;")
                .unwrap();
            conn.pragma_update(None, "user_version", 4).unwrap();
        }
        let store = StateStore::open(dir.path(), "p").unwrap();
        assert_eq!(store.meta("kept").unwrap().as_deref(), Some("yes"));
        let link = PairLink {
            entity: "7".into(),
            a_id: "1".into(),
            b_id: "m1".into(),
            a_fingerprint: "a".into(),
            b_fingerprint: "b".into(),
            fields: [("email".to_string(), "x@y.dk".to_string())].into(),
        };
        store.save_pair_link("pair", &link).unwrap();
        // Another A record taking the same B record replaces the first link.
        let mut moved = link.clone();
        moved.a_id = "2".into();
        store.save_pair_link("pair", &moved).unwrap();
        assert_eq!(store.pair_links("pair").unwrap(), vec![moved.clone()]);
        assert_eq!(
            store.pair_link_by_b("pair", "7", "m1").unwrap(),
            Some(moved)
        );
        drop(store);
        let inbox = WebhookInbox::open(dir.path(), "p").unwrap();
        assert!(inbox.push("hl", "k1", "{}").unwrap());
        assert!(!inbox.push("hl", "k1", "{}").unwrap(), "queued once");
        let store = StateStore::open(dir.path(), "p").unwrap();
        let queued = store.queued_webhooks("hl").unwrap();
        assert_eq!(queued.len(), 1);
        store.webhook_done(queued[0].id).unwrap();
        assert_eq!(store.webhook_counts("hl").unwrap(), (0, 1));
    }
}
