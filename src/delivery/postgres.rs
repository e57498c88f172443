//! Delivery claims in PostgreSQL, for receivers whose instances already share a database.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::PgPool;

use super::store::{
    Claim, ClaimToken, IdempotencyStore, StoreError, StoreFuture, new_token, spawn_on_runtime,
};

/// Claims and handled keys in a PostgreSQL table, `hookproof_deliveries`, created by
/// [`migrate`](Self::migrate).
///
/// The connection is an sqlx pool of up to 16 connections. A connection that broke (the server
/// restarted) is replaced: one idle for a tenth of a second or more is checked before it is
/// used, and one the restart caught in use fails its statement. A connection is awaited at most
/// [`TIMEOUT`](Self::TIMEOUT) and a statement runs at most as long, so a store failure is prompt
/// and follows the receiver's [`WhenStoreFails`](super::WhenStoreFails). Claiming is one
/// statement (an `INSERT … ON CONFLICT DO UPDATE` that takes a row only when it is free or its
/// lease ran out); completing and giving up are owner-checked `UPDATE` and `DELETE` statements.
/// Rows past their retention are deleted now and then as claims come in, or by
/// [`purge`](Self::purge).
///
/// Connect on the tokio runtime that serves the receiver: sqlx drives each connection on
/// the runtime that opened it, and one opened on a runtime since shut down fails its
/// statements.
///
/// ```no_run
/// use hookproof::delivery::PostgresStore;
/// use hookproof::{Receiver, Secret, platnova::Platnova};
///
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let store = PostgresStore::connect("postgres://webhooks@127.0.0.1/payments").await?;
/// store.migrate().await?;
/// let receiver = Receiver::new(Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?)).with_store(store);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
    claims: Arc<AtomicU64>,
}

/// The table, and the index the purge uses.
const MIGRATION: &str = "
CREATE TABLE IF NOT EXISTS hookproof_deliveries (
    key         text PRIMARY KEY,
    token       text,
    lease_until timestamptz,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS hookproof_deliveries_expires_at ON hookproof_deliveries (expires_at);
";

/// `$1` key, `$2` token, `$3` lease (s), `$4` how long an abandoned claim's row is kept (s).
/// Takes the row when it is absent, past its retention, or a claim whose lease ran out; says
/// whether it did, and what was there before (from the statement's snapshot).
const CLAIM: &str = "
WITH previous AS (
    SELECT token FROM hookproof_deliveries WHERE key = $1
), claimed AS (
    INSERT INTO hookproof_deliveries AS d (key, token, lease_until, expires_at)
    VALUES ($1, $2, now() + make_interval(secs => $3), now() + make_interval(secs => $4))
    ON CONFLICT (key) DO UPDATE
        SET token = EXCLUDED.token,
            lease_until = EXCLUDED.lease_until,
            expires_at = EXCLUDED.expires_at
        WHERE d.expires_at <= now() OR (d.token IS NOT NULL AND d.lease_until <= now())
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM claimed),
       EXISTS (SELECT 1 FROM previous WHERE token IS NOT NULL),
       EXISTS (SELECT 1 FROM previous WHERE token IS NULL)
";

/// `$1` key, `$2` token, `$3` retention (s): marks the row handled while the token holds it.
const COMPLETE: &str = "
UPDATE hookproof_deliveries
SET token = NULL, lease_until = NULL, expires_at = now() + make_interval(secs => $3)
WHERE key = $1 AND token = $2 AND lease_until > now()
";

/// `$1` key, `$2` token: frees the row while the token holds it.
const RELEASE: &str = "DELETE FROM hookproof_deliveries WHERE key = $1 AND token = $2";

const PURGE: &str = "DELETE FROM hookproof_deliveries WHERE expires_at <= now()";

impl PostgresStore {
    /// How long acquiring a connection, and then each statement, may take.
    pub const TIMEOUT: Duration = Duration::from_secs(2);
    /// Claims between two purges of rows past their retention.
    const PURGE_EVERY: u64 = 1024;
    /// How long an abandoned claim's row is kept (its lease decides when it can be taken over).
    const ABANDONED_CLAIM_RETENTION: Duration = Duration::from_secs(24 * 3600);

    /// Connects to the database at `url` (`postgres://user:password@host:port/database`) with a
    /// pool of up to 16 connections.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = super::postgres_pool::connect(url, Self::TIMEOUT).await?;
        Ok(Self::from_pool(pool))
    }

    /// Uses an existing pool (set its timeouts: a store failure should be prompt).
    pub fn from_pool(pool: PgPool) -> Self {
        Self {
            pool,
            claims: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Creates the table and its index if they do not exist. Safe to run at every start.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::raw_sql(MIGRATION)
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(StoreError::new)
    }

    /// Deletes the rows past their retention; returns how many.
    pub async fn purge(&self) -> Result<u64, StoreError> {
        sqlx::query(PURGE)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected())
            .map_err(StoreError::new)
    }

    /// The pool, for the application's own queries.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

fn seconds(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

impl IdempotencyStore for PostgresStore {
    fn claim<'a>(&'a self, key: &'a str, lease: Duration) -> StoreFuture<'a, Claim> {
        Box::pin(async move {
            if self.claims.fetch_add(1, Ordering::Relaxed) % Self::PURGE_EVERY
                == Self::PURGE_EVERY - 1
            {
                let store = self.clone();
                spawn_on_runtime(Box::pin(async move { store.purge().await.map(|_| true) }));
            }
            let token = new_token()?;
            let (claimed, was_claimed, was_done): (bool, bool, bool) = sqlx::query_as(CLAIM)
                .bind(key)
                .bind(token.as_str())
                .bind(seconds(lease))
                .bind(seconds(lease.max(Self::ABANDONED_CLAIM_RETENTION)))
                .fetch_one(&self.pool)
                .await
                .map_err(StoreError::new)?;
            Ok(match (claimed, was_done) {
                (true, _) => Claim::Claimed {
                    token,
                    taken_over: was_claimed,
                },
                (false, true) => Claim::Done,
                // Held by a live claim, or inserted by a concurrent claim after this
                // statement's snapshot: either way, someone is handling it.
                (false, false) => Claim::InProgress,
            })
        })
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
        retention: Duration,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            sqlx::query(COMPLETE)
                .bind(key)
                .bind(token.as_str())
                .bind(seconds(retention))
                .execute(&self.pool)
                .await
                .map(|done| done.rows_affected() == 1)
                .map_err(StoreError::new)
        })
    }

    fn release<'a>(&'a self, key: &'a str, token: &'a ClaimToken) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            sqlx::query(RELEASE)
                .bind(key)
                .bind(token.as_str())
                .execute(&self.pool)
                .await
                .map(|done| done.rows_affected() == 1)
                .map_err(StoreError::new)
        })
    }

    fn detach(&self, work: StoreFuture<'static, bool>) {
        spawn_on_runtime(work);
    }
}

impl fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresStore")
            .field("table", &"hookproof_deliveries")
            .finish_non_exhaustive()
    }
}
