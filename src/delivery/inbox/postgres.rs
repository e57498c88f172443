//! The inbox in PostgreSQL, for receivers and workers running as several instances.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgRow};
use sqlx::{Postgres, Row, Transaction};

use super::batch::Batcher;
use super::worker::{Handled, admit, observe_recorded, observed, outcome_of, worker_name};
use super::{
    DeadLetter, Filed, Inbox, NewDelivery, StoredDelivery, outcomes, purge_in_chunks, store_error,
};
use crate::delivery::observe;
use crate::delivery::store::{StoreError, StoreFuture};
use crate::provider::Provider;

/// An inbox in a PostgreSQL table, `hookproof_inbox` (feature `postgres`): receivers and workers
/// on several instances share it. Concurrent deliveries are written together, one `INSERT …
/// ON CONFLICT DO NOTHING` per commit; workers take rows with `FOR UPDATE SKIP LOCKED`, so two
/// never hold the same row. With [`run_once_in_transaction`](Self::run_once_in_transaction) a
/// handler's own writes and "this row is handled" commit together.
///
/// Connect on the tokio runtime that serves the receiver: sqlx drives each connection on
/// the runtime that opened it, and one opened on a runtime since shut down fails its
/// statements.
///
/// ```no_run
/// use hookproof::delivery::inbox::PostgresInbox;
/// use hookproof::{Receiver, Secret, platnova::Platnova};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let inbox = PostgresInbox::connect("postgres://webhooks@127.0.0.1/payments").await?;
/// inbox.migrate().await?;
/// let receiver = Receiver::new(Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?))
///     .with_inbox(inbox.clone());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct PostgresInbox {
    pool: PgPool,
    writer: Batcher,
}

const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS hookproof_inbox (
    id              bigserial PRIMARY KEY,
    provider        text        NOT NULL,
    tenant          text        NOT NULL,
    dedupe_key      text,
    item            integer,
    key_id          text        NOT NULL,
    evidence        text        NOT NULL,
    body            bytea       NOT NULL,
    drifted         boolean     NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    state           text        NOT NULL DEFAULT 'pending',
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_by       text,
    locked_until    timestamptz,
    last_error      text,
    handled_at      timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS hookproof_inbox_dedupe ON hookproof_inbox (dedupe_key);
CREATE INDEX IF NOT EXISTS hookproof_inbox_due ON hookproof_inbox (provider, state, next_attempt_at);
CREATE INDEX IF NOT EXISTS hookproof_inbox_handled ON hookproof_inbox (handled_at) WHERE state = 'handled';
CREATE INDEX IF NOT EXISTS hookproof_inbox_dead ON hookproof_inbox (id) WHERE state = 'dead';
";

/// Deletes up to `$2` rows handled more than `$1` seconds ago, the oldest first, found through
/// their index: no scan of the rows kept.
const PURGE_CHUNK: &str = "DELETE FROM hookproof_inbox WHERE id IN (SELECT id FROM hookproof_inbox \
    WHERE state = 'handled' AND handled_at < now() - make_interval(secs => $1) \
    ORDER BY handled_at LIMIT $2)";

/// The next due row of a provider, locked for this transaction, skipping rows others hold.
const NEXT_DUE: &str = "SELECT id FROM hookproof_inbox WHERE provider = $1 AND state = 'pending' \
    AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until <= now()) \
    ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED";

const RETURNED: &str = "RETURNING id, tenant, key_id, evidence, body, item, attempts";

/// A handler that is given the row's transaction: its writes commit with "handled".
pub type InTransaction<'t, E> = Pin<Box<dyn Future<Output = Result<(), E>> + Send + 't>>;

fn stored(row: &PgRow) -> StoredDelivery {
    StoredDelivery {
        id: row.get("id"),
        tenant: row.get("tenant"),
        key_id: row.get("key_id"),
        evidence: row.get("evidence"),
        body: row.get("body"),
        item: row.get::<Option<i32>, _>("item").map(|item| item as u32),
        attempts: row.get::<i32, _>("attempts") as u32,
    }
}

impl PostgresInbox {
    /// How long acquiring a connection, and then each statement, may take.
    pub const TIMEOUT: Duration = Duration::from_secs(5);

    /// Connects to the database at `url` with a pool of up to 16 connections.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = crate::delivery::postgres_pool::connect(url, Self::TIMEOUT).await?;
        Ok(Self::from_pool(pool))
    }

    /// Uses an existing pool.
    pub fn from_pool(pool: PgPool) -> Self {
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

    /// Handles one due row of `provider` inside one transaction, which `handler` is given: its
    /// own writes and "this row is handled" commit together, or not at all (an exactly-once
    /// effect). A failure (an error or a panic) rolls the handler's writes back and records the
    /// attempt as [`Worker`](super::Worker) does. `Ok(false)` when no row was due.
    ///
    /// The attempt is counted before the handler runs, in a commit of its own, and the row is
    /// then locked for the handler's transaction. A worker that dies in the handler has spent
    /// the attempt, and the row is due again `retry.first_wait` later: a row whose handling
    /// kills the process is dead-lettered once its attempts are spent, rather than killing
    /// every worker that takes it, for ever.
    pub async fn run_once_in_transaction<P, H, E>(
        &self,
        provider: &P,
        retry: super::Retry,
        handler: H,
    ) -> Result<bool, StoreError>
    where
        P: Provider + 'static,
        H: for<'t> FnOnce(
            Handled<P::Notification>,
            &'t mut Transaction<'static, Postgres>,
        ) -> InTransaction<'t, E>,
        E: fmt::Display,
    {
        let worker = worker_name();
        // The lease says only when another worker may take the row should this one die: while
        // the handler runs, the row's lock keeps it.
        let Some(row) = self
            .take(provider.name(), &worker, retry.first_wait)
            .await
            .inspect_err(|error| observe::take_failed(provider.name(), error))?
        else {
            return Ok(false);
        };
        let (id, attempt) = (row.id, row.attempts);
        let observed = observed(provider.name(), &row);
        let (mut transaction, still_held) = self
            .lock_held(id, &worker)
            .await
            .inspect_err(|error| observe::row_store_failed(&observed, error))?;
        if !still_held {
            // Its lease ran out before the lock, and another worker took it.
            observe::row_lost(&observed);
            return Ok(true);
        }
        let outcome = match admit(provider, &retry, row) {
            Ok(handled) => outcome_of(async { handler(handled, &mut transaction).await }).await,
            Err(error) => Err(error),
        };
        let retry_in = retry.wait(attempt, id as u64 ^ u64::from(attempt));
        let recorded = match &outcome {
            Ok(()) => mark_handled(transaction, id).await.map(|()| true),
            Err(error) => match transaction.rollback().await {
                Ok(()) => self.failed(id, &worker, error, retry_in).await,
                Err(rollback) => Err(store_error(rollback)),
            },
        };
        observe_recorded(&observed, outcome.is_ok(), retry_in, &recorded);
        recorded.map(|_| true)
    }

    /// A transaction holding row `id`'s lock, and whether `worker` still held the row when it
    /// was locked.
    async fn lock_held(
        &self,
        id: i64,
        worker: &str,
    ) -> Result<(Transaction<'static, Postgres>, bool), StoreError> {
        let mut transaction = self.pool.begin().await.map_err(store_error)?;
        let held = sqlx::query(
            "SELECT 1 FROM hookproof_inbox WHERE id = $1 AND locked_by = $2 FOR UPDATE",
        )
        .bind(id)
        .bind(worker)
        .fetch_optional(&mut *transaction)
        .await
        .map_err(store_error)?;
        Ok((transaction, held.is_some()))
    }

    /// The pool, for the application's own queries.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Marks row `id` handled in `transaction`, and commits it with the handler's writes.
async fn mark_handled(
    mut transaction: Transaction<'static, Postgres>,
    id: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE hookproof_inbox SET state = 'handled', handled_at = now(), locked_by = NULL, \
         locked_until = NULL WHERE id = $1",
    )
    .bind(id)
    .execute(&mut *transaction)
    .await
    .map_err(store_error)?;
    transaction.commit().await.map_err(store_error)
}

/// One statement, one commit, for every row waiting: rows whose key is stored already are
/// skipped.
async fn write_batch(pool: &PgPool, rows: Vec<NewDelivery>) -> Result<Vec<Filed>, StoreError> {
    let column = |pick: &dyn Fn(&NewDelivery) -> Option<String>| -> Vec<Option<String>> {
        rows.iter().map(pick).collect()
    };
    let returned = sqlx::query(
        "INSERT INTO hookproof_inbox (provider, tenant, dedupe_key, item, key_id, evidence, body, drifted) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::integer[], $5::text[], \
         $6::text[], $7::bytea[], $8::boolean[]) \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING dedupe_key",
    )
    .bind(column(&|row| Some(row.provider.to_owned())))
    .bind(column(&|row| Some(row.tenant.to_string())))
    .bind(column(&|row| row.key.clone()))
    .bind(rows.iter().map(|row| row.item.map(|item| item as i32)).collect::<Vec<_>>())
    .bind(column(&|row| Some(row.key_id.clone())))
    .bind(column(&|row| Some(row.evidence.clone())))
    .bind(rows.iter().map(|row| row.body.to_vec()).collect::<Vec<_>>())
    .bind(rows.iter().map(|row| row.drifted).collect::<Vec<_>>())
    .fetch_all(pool)
    .await
    .map_err(store_error)?;
    let stored: HashSet<String> = returned
        .iter()
        .filter_map(|row| row.get::<Option<String>, _>(0))
        .collect();
    Ok(outcomes(&rows, &stored))
}

impl Inbox for PostgresInbox {
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
            let row = sqlx::query(&format!(
                "UPDATE hookproof_inbox SET locked_by = $2, \
                 locked_until = now() + make_interval(secs => $3), attempts = attempts + 1 \
                 WHERE id = ({NEXT_DUE}) {RETURNED}"
            ))
            .bind(provider)
            .bind(worker)
            .bind(lease.as_secs_f64())
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
            Ok(row.as_ref().map(stored))
        })
    }

    fn extend<'a>(&'a self, id: i64, worker: &'a str, lease: Duration) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            sqlx::query(
                "UPDATE hookproof_inbox SET locked_until = now() + make_interval(secs => $3) \
                 WHERE id = $1 AND locked_by = $2 AND state = 'pending'",
            )
            .bind(id)
            .bind(worker)
            .bind(lease.as_secs_f64())
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected() == 1)
            .map_err(store_error)
        })
    }

    fn handled<'a>(&'a self, id: i64, worker: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            sqlx::query(
                "UPDATE hookproof_inbox SET state = 'handled', handled_at = now(), locked_by = NULL, \
                 locked_until = NULL WHERE id = $1 AND locked_by = $2",
            )
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
            sqlx::query(
                "UPDATE hookproof_inbox SET state = $3, last_error = $4, \
                 next_attempt_at = now() + make_interval(secs => $5), locked_by = NULL, \
                 locked_until = NULL WHERE id = $1 AND locked_by = $2",
            )
            .bind(id)
            .bind(worker)
            .bind(if retry_in.is_some() {
                "pending"
            } else {
                "dead"
            })
            .bind(error)
            .bind(retry_in.map_or(0.0, |wait| wait.as_secs_f64()))
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected() == 1)
            .map_err(store_error)
        })
    }

    fn dead_letters<'a>(&'a self, limit: u32) -> StoreFuture<'a, Vec<DeadLetter>> {
        Box::pin(async move {
            let rows = sqlx::query(
                "SELECT id, provider, tenant, attempts, last_error, \
                 (extract(epoch from received_at) * 1000)::bigint AS received_ms \
                 FROM hookproof_inbox WHERE state = 'dead' ORDER BY id LIMIT $1",
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
                    attempts: row.get::<i32, _>("attempts") as u32,
                    last_error: row
                        .get::<Option<String>, _>("last_error")
                        .unwrap_or_default(),
                    received_at: std::time::UNIX_EPOCH
                        + Duration::from_millis(row.get::<i64, _>("received_ms").max(0) as u64),
                })
                .collect())
        })
    }

    fn requeue<'a>(&'a self, id: i64) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            sqlx::query(
                "UPDATE hookproof_inbox SET state = 'pending', attempts = 0, next_attempt_at = now(), \
                 last_error = NULL WHERE id = $1 AND state = 'dead'",
            )
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected() == 1)
            .map_err(store_error)
        })
    }

    fn purge<'a>(&'a self, retention: Duration) -> StoreFuture<'a, u64> {
        Box::pin(purge_in_chunks(move |rows| async move {
            sqlx::query(PURGE_CHUNK)
                .bind(retention.as_secs_f64())
                .bind(i64::from(rows))
                .execute(&self.pool)
                .await
                .map(|done| done.rows_affected())
                .map_err(store_error)
        }))
    }
}

impl fmt::Debug for PostgresInbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresInbox")
            .field("table", &"hookproof_inbox")
            .finish_non_exhaustive()
    }
}
