//! A durable inbox: a verified delivery is stored, then acknowledged, then handled from the
//! store by workers that retry it until it succeeds, so that nothing authentic is lost to a
//! handler that fails halfway or a process that dies.
//!
//! With [`Receiver::with_inbox`](crate::Receiver::with_inbox), a request is verified, parsed
//! (a drifted event is stored with its drift marked), written with its provider, tenant,
//! idempotency key, key id, what the scheme established and the raw body in one durable
//! transaction, and only then answered 200; a delivery whose key is already stored is answered
//! 200 without a second row, and a store that cannot answer gets 503, so the provider retries.
//! Concurrent deliveries share their commit (a writer batches what arrives together), each
//! still durable before its 200.
//!
//! A [`Worker`] handles the stored deliveries: it takes one due row at a time, with a lease
//! (several workers, in several processes, never hold one row at once), parses it again from
//! the stored body (a stored row is the proof of its verification: no secret is needed), and
//! runs the handler. A failure (an error, or a panic) is retried with exponential backoff and
//! jitter; after [`Retry::max_attempts`] the row is dead-lettered with its last error, to be
//! listed and re-queued. Handled rows are kept for the de-duplication window, then purged. No
//! order is promised.
//!
//! | a crash… | what happens |
//! |---|---|
//! | before the row is committed | no 200 was sent: the provider retries |
//! | after the commit, before or after the 200 | the row is there; a worker handles it (a provider retry is a duplicate) |
//! | while a worker handles the row | the row's lease runs out and another worker handles it again |
//! | in every attempt (a row whose handling kills the process) | each death spends an attempt; once all are spent, the row is dead-lettered unhandled |
//! | after the handler succeeded, before the row is marked | the row is handled again after its lease (handlers must be idempotent, or, with PostgreSQL, commit their writes with the row: [`PostgresInbox::run_once_in_transaction`]) |
//!
//! While a handler runs, its worker renews the row's lease every third of it, so a handler
//! slower than the lease keeps its row. A store that cannot renew it (a database restarting,
//! another process holding SQLite's lock) is asked again while the lease holds; when the lease
//! ends first, the handler is dropped unfinished, since another worker may then take the row.
//! A store that cannot record an outcome is asked again the same way. So a lease longer than
//! the store's slowest answer is what keeps a row from being handled twice.
//!
//! Stores: [`SqliteInbox`] (feature `sqlite`: a file, no server) and [`PostgresInbox`]
//! (feature `postgres`: several instances).

#[cfg(feature = "postgres")]
mod batch;
#[cfg(feature = "postgres")]
mod postgres;
mod retry;
#[cfg(feature = "sqlite")]
mod sqlite;
mod worker;

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use postgres::{InTransaction, PostgresInbox};
pub use retry::Retry;
#[cfg(feature = "sqlite")]
#[cfg_attr(docsrs, doc(cfg(feature = "sqlite")))]
pub use sqlite::SqliteInbox;
pub use worker::{Handled, Worker};

use super::store::{StoreError, StoreFuture};
use crate::provider::Provider;

/// A verified delivery on its way into the inbox: one row per item (one per request, but for a
/// batch, one per callback).
#[derive(Clone)]
#[non_exhaustive]
pub struct NewDelivery {
    /// The provider's name.
    pub provider: &'static str,
    /// Whose delivery it is.
    pub tenant: Arc<str>,
    /// The scoped idempotency key; `None` stores it every time.
    pub key: Option<String>,
    /// The item of a batch this row is for (`None` for the whole request).
    pub item: Option<u32>,
    /// The id of the key that verified it.
    pub key_id: String,
    /// What the scheme established, as text ([`Evidence::to_text`](crate::Evidence::to_text)).
    pub evidence: String,
    /// The body exactly as received.
    pub body: Arc<[u8]>,
    /// Whether its payload drifted from the provider's model.
    pub drifted: bool,
}

impl fmt::Debug for NewDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewDelivery")
            .field("provider", &self.provider)
            .field("tenant", &self.tenant)
            .field("item", &self.item)
            .field("key_id", &self.key_id)
            .field("body_len", &self.body.len())
            .field("drifted", &self.drifted)
            .finish_non_exhaustive()
    }
}

/// What filing a delivery came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    /// Stored, durably: it will be handled.
    Stored,
    /// Its key is stored already: nothing was written.
    Duplicate,
}

/// A stored delivery a worker took, with its lease.
#[derive(Clone)]
#[non_exhaustive]
pub struct StoredDelivery {
    /// The row's id.
    pub id: i64,
    /// Whose delivery it is.
    pub tenant: String,
    /// The id of the key that verified it.
    pub key_id: String,
    /// What the scheme established, as text.
    pub evidence: String,
    /// The body exactly as received.
    pub body: Vec<u8>,
    /// The item of a batch this row is for.
    pub item: Option<u32>,
    /// How many times it has been taken, this one included.
    pub attempts: u32,
}

impl fmt::Debug for StoredDelivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredDelivery")
            .field("id", &self.id)
            .field("tenant", &self.tenant)
            .field("key_id", &self.key_id)
            .field("body_len", &self.body.len())
            .field("item", &self.item)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// A delivery that failed every attempt, kept with its last error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeadLetter {
    /// The row's id, to [`requeue`](Inbox::requeue) it.
    pub id: i64,
    /// The provider's name.
    pub provider: String,
    /// Whose delivery it is.
    pub tenant: String,
    /// How many times it was taken: its attempts, and one more when its last attempts ended
    /// without an outcome (their worker died).
    pub attempts: u32,
    /// The handler's last error, as it displayed it.
    pub last_error: String,
    /// When it was received.
    pub received_at: SystemTime,
}

/// Where stored deliveries live. Every write is durable when its future resolves.
pub trait Inbox: Send + Sync {
    /// Stores `deliveries` (one request's rows) in one transaction, unless their keys are stored
    /// already; one answer per row.
    fn file<'a>(&'a self, deliveries: Vec<NewDelivery>) -> StoreFuture<'a, Vec<Filed>>;

    /// Takes the next due row of `provider` for `lease` on behalf of `worker`: one that no other
    /// worker holds, whose retry time has come.
    fn take<'a>(
        &'a self,
        provider: &'a str,
        worker: &'a str,
        lease: Duration,
    ) -> StoreFuture<'a, Option<StoredDelivery>>;

    /// Holds the row for `lease` from now, if `worker` still holds it (and it is not handled
    /// or dead): a worker renews its lease while a handler runs.
    fn extend<'a>(&'a self, id: i64, worker: &'a str, lease: Duration) -> StoreFuture<'a, bool>;

    /// Marks the row handled, if `worker` still holds it.
    fn handled<'a>(&'a self, id: i64, worker: &'a str) -> StoreFuture<'a, bool>;

    /// Records a failed attempt, if `worker` still holds the row: due again in `retry_in`, or
    /// dead-lettered when `None`.
    fn failed<'a>(
        &'a self,
        id: i64,
        worker: &'a str,
        error: &'a str,
        retry_in: Option<Duration>,
    ) -> StoreFuture<'a, bool>;

    /// Up to `limit` dead letters, oldest first.
    fn dead_letters<'a>(&'a self, limit: u32) -> StoreFuture<'a, Vec<DeadLetter>>;

    /// Puts a dead letter back in line, due now, with its attempts reset.
    fn requeue<'a>(&'a self, id: i64) -> StoreFuture<'a, bool>;

    /// Deletes the rows handled more than `retention` ago (their keys with them); how many.
    ///
    /// The stores find them through an index and delete them a few hundred per transaction, so
    /// that a long backlog never holds up receiving.
    fn purge<'a>(&'a self, retention: Duration) -> StoreFuture<'a, u64>;

    /// A worker handling `provider`'s rows in this inbox with `handler` (see [`Worker`]).
    fn worker<P, H, F, E>(&self, provider: P, handler: H) -> Worker<P, H>
    where
        Self: Sized + Clone + 'static,
        P: Provider + 'static,
        H: Fn(Handled<P::Notification>) -> F,
        F: Future<Output = Result<(), E>>,
        E: fmt::Display,
    {
        Worker::new(Arc::new(self.clone()), provider, handler)
    }
}

impl<I: Inbox + ?Sized> Inbox for Arc<I> {
    fn file<'a>(&'a self, deliveries: Vec<NewDelivery>) -> StoreFuture<'a, Vec<Filed>> {
        (**self).file(deliveries)
    }
    fn take<'a>(
        &'a self,
        provider: &'a str,
        worker: &'a str,
        lease: Duration,
    ) -> StoreFuture<'a, Option<StoredDelivery>> {
        (**self).take(provider, worker, lease)
    }
    fn extend<'a>(&'a self, id: i64, worker: &'a str, lease: Duration) -> StoreFuture<'a, bool> {
        (**self).extend(id, worker, lease)
    }
    fn handled<'a>(&'a self, id: i64, worker: &'a str) -> StoreFuture<'a, bool> {
        (**self).handled(id, worker)
    }
    fn failed<'a>(
        &'a self,
        id: i64,
        worker: &'a str,
        error: &'a str,
        retry_in: Option<Duration>,
    ) -> StoreFuture<'a, bool> {
        (**self).failed(id, worker, error, retry_in)
    }
    fn dead_letters<'a>(&'a self, limit: u32) -> StoreFuture<'a, Vec<DeadLetter>> {
        (**self).dead_letters(limit)
    }
    fn requeue<'a>(&'a self, id: i64) -> StoreFuture<'a, bool> {
        (**self).requeue(id)
    }
    fn purge<'a>(&'a self, retention: Duration) -> StoreFuture<'a, u64> {
        (**self).purge(retention)
    }
}

#[cfg(feature = "postgres")]
/// Which rows of a batch were stored: a row whose key the store reports stored is `Stored`
/// the first time it appears (a batch can repeat a key), `Duplicate` otherwise; a row without a
/// key is always stored.
pub(crate) fn outcomes(
    deliveries: &[NewDelivery],
    stored_keys: &std::collections::HashSet<String>,
) -> Vec<Filed> {
    let mut seen = std::collections::HashSet::new();
    deliveries
        .iter()
        .map(|delivery| match &delivery.key {
            None => Filed::Stored,
            Some(key) if stored_keys.contains(key) && seen.insert(key.clone()) => Filed::Stored,
            Some(_) => Filed::Duplicate,
        })
        .collect()
}

/// The most rows one transaction of a purge deletes: a few milliseconds of SQLite's one writer,
/// which receiving waits for.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) const PURGE_CHUNK_ROWS: u32 = 256;

/// Runs `delete_chunk` (delete up to this many rows, in a transaction of its own; how many it
/// deleted) with [`PURGE_CHUNK_ROWS`] until a chunk comes back short; how many were deleted in
/// all.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) async fn purge_in_chunks<F>(
    mut delete_chunk: impl FnMut(u32) -> F,
) -> Result<u64, StoreError>
where
    F: Future<Output = Result<u64, StoreError>>,
{
    let mut deleted = 0;
    loop {
        let chunk = delete_chunk(PURGE_CHUNK_ROWS).await?;
        deleted += chunk;
        if chunk < u64::from(PURGE_CHUNK_ROWS) {
            return Ok(deleted);
        }
    }
}

/// `StoreError` from any driver error.
pub(crate) fn store_error(error: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::new(error)
}

#[cfg(all(test, any(feature = "sqlite", feature = "postgres")))]
mod tests {
    use super::*;

    /// A purge of `backlog` old rows, chunk after chunk: how many it deleted, and the chunks.
    async fn purge(backlog: u64) -> (u64, Vec<u64>) {
        let mut left = backlog;
        let mut chunks = Vec::new();
        let deleted = purge_in_chunks(|rows| {
            let chunk = left.min(u64::from(rows));
            left -= chunk;
            chunks.push(chunk);
            std::future::ready(Ok(chunk))
        })
        .await
        .unwrap();
        (deleted, chunks)
    }

    #[tokio::test]
    async fn a_backlog_is_purged_a_chunk_at_a_time() {
        assert_eq!(purge(600).await, (600, vec![256, 256, 88]));
        assert_eq!(purge(512).await, (512, vec![256, 256, 0]));
        assert_eq!(purge(0).await, (0, vec![0]));
    }

    #[tokio::test]
    async fn a_chunk_that_fails_ends_the_purge() {
        let mut asked = 0;
        let failed = purge_in_chunks(|rows| {
            asked += 1;
            std::future::ready(if asked == 1 {
                Ok(u64::from(rows))
            } else {
                Err(StoreError::new("the database is restarting"))
            })
        })
        .await;
        assert!(failed.is_err());
        assert_eq!(asked, 2);
    }
}
