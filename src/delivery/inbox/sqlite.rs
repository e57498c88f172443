//! The inbox in an SQLite file: no server, one writer, durable commits.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row};

use super::batch::Batcher;
use super::worker::{Handled, Worker};
use super::{DeadLetter, Filed, Inbox, NewDelivery, StoredDelivery, outcomes, store_error};
use crate::delivery::store::{StoreError, StoreFuture};
use crate::provider::Provider;

/// An inbox in an SQLite file (feature `sqlite`): what a receiver running as one process needs,
/// with no server. The file is in WAL mode with `synchronous = FULL`: a commit is on disk
/// before the request is answered. SQLite has one writer, so concurrent deliveries are written
/// by one task that puts everything waiting into the next commit; workers take rows with one
/// atomic `UPDATE … RETURNING`, so two never hold the same row.
///
/// ```no_run
/// use hookproof::delivery::inbox::SqliteInbox;
/// use hookproof::{Receiver, Secret, platnova::Platnova};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let inbox = SqliteInbox::open("webhooks.db").await?;
/// inbox.migrate().await?;
/// let receiver = Receiver::new(Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?))
///     .with_inbox(inbox.clone());
/// let worker = inbox.worker(Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?), |handled| async move {
///     println!("{}", handled.notification.event_type());
///     Ok::<(), std::io::Error>(())
/// });
/// worker.run(std::future::pending()).await;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct SqliteInbox {
    pool: SqlitePool,
    writer: Batcher,
}

const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS hookproof_inbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    provider        TEXT    NOT NULL,
    tenant          TEXT    NOT NULL,
    dedupe_key      TEXT,
    item            INTEGER,
    key_id          TEXT    NOT NULL,
    evidence        TEXT    NOT NULL,
    body            BLOB    NOT NULL,
    drifted         INTEGER NOT NULL,
    received_at     INTEGER NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    locked_by       TEXT,
    locked_until    INTEGER,
    last_error      TEXT,
    handled_at      INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS hookproof_inbox_dedupe ON hookproof_inbox (dedupe_key);
CREATE INDEX IF NOT EXISTS hookproof_inbox_due ON hookproof_inbox (provider, state, next_attempt_at);
";

/// Milliseconds since the epoch: SQLite keeps times as integers.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as i64)
}

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

impl SqliteInbox {
    /// How long a statement may wait for the database before it is a store failure.
    pub const TIMEOUT: Duration = Duration::from_secs(5);

    /// Opens (creating it if needed) the database file at `path`.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Self::TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Self::TIMEOUT)
            .connect_with(options)
            .await
            .map_err(store_error)?;
        Ok(Self::from_pool(pool))
    }

    /// Uses an existing pool (WAL and `synchronous = FULL` are what make a 200 durable).
    pub fn from_pool(pool: SqlitePool) -> Self {
        let writer_pool = pool.clone();
        let writer = Batcher::spawn(Arc::new(move |rows| {
            let pool = writer_pool.clone();
            Box::pin(async move { write_batch(&pool, rows).await })
        }));
        Self { pool, writer }
    }

    /// Creates the table and its indexes if they do not exist. Safe to run at every start.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::raw_sql(MIGRATION)
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(store_error)
    }

    /// A worker handling `provider`'s rows with `handler` (see [`Worker`]).
    pub fn worker<P, H, F, E>(&self, provider: P, handler: H) -> Worker<P, H>
    where
        P: Provider + 'static,
        H: Fn(Handled<P::Notification>) -> F,
        F: std::future::Future<Output = Result<(), E>>,
        E: fmt::Display,
    {
        Worker::new(Arc::new(self.clone()), provider, handler)
    }

    /// The pool, for the application's own queries.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// One transaction for every row waiting: rows whose key is stored already are skipped.
async fn write_batch(pool: &SqlitePool, rows: Vec<NewDelivery>) -> Result<Vec<Filed>, StoreError> {
    let now = now_ms();
    let mut transaction = pool.begin().await.map_err(store_error)?;
    let mut stored = HashSet::new();
    // Bound parameters per statement stay far below SQLite's limit.
    for chunk in rows.chunks(64) {
        let mut insert = QueryBuilder::new(
            "INSERT INTO hookproof_inbox (provider, tenant, dedupe_key, item, key_id, evidence, \
             body, drifted, received_at, next_attempt_at) ",
        );
        insert.push_values(chunk, |mut row, delivery| {
            row.push_bind(delivery.provider)
                .push_bind(delivery.tenant.to_string())
                .push_bind(delivery.key.clone())
                .push_bind(delivery.item.map(i64::from))
                .push_bind(delivery.key_id.clone())
                .push_bind(delivery.evidence.clone())
                .push_bind(delivery.body.to_vec())
                .push_bind(delivery.drifted)
                .push_bind(now)
                .push_bind(now);
        });
        insert.push(" ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key");
        let keys = insert
            .build()
            .fetch_all(&mut *transaction)
            .await
            .map_err(store_error)?;
        stored.extend(
            keys.iter()
                .filter_map(|row| row.get::<Option<String>, _>(0)),
        );
    }
    transaction.commit().await.map_err(store_error)?;
    Ok(outcomes(&rows, &stored))
}

impl Inbox for SqliteInbox {
    fn file<'a>(&'a self, deliveries: Vec<NewDelivery>) -> StoreFuture<'a, Vec<Filed>> {
        Box::pin(self.writer.file(deliveries))
    }

    fn take<'a>(
        &'a self,
        provider: &'a str,
        worker: &'a str,
        lease: Duration,
    ) -> StoreFuture<'a, Option<StoredDelivery>> {
        Box::pin(async move {
            let now = now_ms();
            let row = sqlx::query(
                "UPDATE hookproof_inbox SET locked_by = ?1, locked_until = ?2, attempts = attempts + 1 \
                 WHERE id = (SELECT id FROM hookproof_inbox WHERE provider = ?3 AND state = 'pending' \
                 AND next_attempt_at <= ?4 AND (locked_until IS NULL OR locked_until <= ?4) \
                 ORDER BY next_attempt_at, id LIMIT 1) \
                 RETURNING id, tenant, key_id, evidence, body, item, attempts",
            )
            .bind(worker)
            .bind(now + ms(lease))
            .bind(provider)
            .bind(now)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
            Ok(row.map(|row| StoredDelivery {
                id: row.get("id"),
                tenant: row.get("tenant"),
                key_id: row.get("key_id"),
                evidence: row.get("evidence"),
                body: row.get("body"),
                item: row.get::<Option<i64>, _>("item").map(|item| item as u32),
                attempts: row.get::<i64, _>("attempts") as u32,
            }))
        })
    }

    fn handled<'a>(&'a self, id: i64, worker: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            sqlx::query(
                "UPDATE hookproof_inbox SET state = 'handled', handled_at = ?1, locked_by = NULL, \
                 locked_until = NULL WHERE id = ?2 AND locked_by = ?3",
            )
            .bind(now_ms())
            .bind(id)
            .bind(worker)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected() == 1)
            .map_err(store_error)
        })
    }

    fn failed<'a>(
        &'a self,
        id: i64,
        worker: &'a str,
        error: &'a str,
        retry_in: Option<Duration>,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let now = now_ms();
            sqlx::query(
                "UPDATE hookproof_inbox SET state = ?1, next_attempt_at = ?2, last_error = ?3, \
                 locked_by = NULL, locked_until = NULL WHERE id = ?4 AND locked_by = ?5",
            )
            .bind(if retry_in.is_some() {
                "pending"
            } else {
                "dead"
            })
            .bind(now + retry_in.map_or(0, ms))
            .bind(error)
            .bind(id)
            .bind(worker)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected() == 1)
            .map_err(store_error)
        })
    }

    fn dead_letters<'a>(&'a self, limit: u32) -> StoreFuture<'a, Vec<DeadLetter>> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT id, provider, tenant, attempts, last_error, received_at FROM hookproof_inbox \
                 WHERE state = 'dead' ORDER BY id LIMIT ?1",
            )
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
            Ok(rows
                .into_iter()
                .map(|row| DeadLetter {
                    id: row.get("id"),
                    provider: row.get("provider"),
                    tenant: row.get("tenant"),
                    attempts: row.get::<i64, _>("attempts") as u32,
                    last_error: row
                        .get::<Option<String>, _>("last_error")
                        .unwrap_or_default(),
                    received_at: UNIX_EPOCH
                        + Duration::from_millis(row.get::<i64, _>("received_at").max(0) as u64),
                })
                .collect())
        })
    }

    fn requeue<'a>(&'a self, id: i64) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            sqlx::query(
                "UPDATE hookproof_inbox SET state = 'pending', attempts = 0, next_attempt_at = ?1, \
                 last_error = NULL WHERE id = ?2 AND state = 'dead'",
            )
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected() == 1)
            .map_err(store_error)
        })
    }

    fn purge<'a>(&'a self, retention: Duration) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            sqlx::query("DELETE FROM hookproof_inbox WHERE state = 'handled' AND handled_at < ?1")
                .bind(now_ms() - ms(retention))
                .execute(&self.pool)
                .await
                .map(|done| done.rows_affected())
                .map_err(store_error)
        })
    }
}

impl fmt::Debug for SqliteInbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteInbox")
            .field("table", &"hookproof_inbox")
            .finish_non_exhaustive()
    }
}
