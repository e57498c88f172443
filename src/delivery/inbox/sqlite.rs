//! The inbox in an SQLite file: no server, one writer thread, one durable commit per round.

mod checkpointer;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::{mpsc, oneshot};

use self::checkpointer::Checkpointer;
use super::{DeadLetter, Filed, Inbox, NewDelivery, StoredDelivery, purge_in_chunks, store_error};
use crate::delivery::store::{StoreError, StoreFuture};

/// An inbox in an SQLite file (feature `sqlite`): what a receiver running as one process needs,
/// with no server.
///
/// SQLite has one writer, so one thread owns the connection and runs every operation: each
/// round takes everything that arrived while the last one ran (deliveries of many requests, the
/// workers' takes and results) into one transaction and one commit, and answers only once that
/// commit is on disk (WAL, `synchronous = FULL`). Each operation runs in a savepoint of its
/// own, so one that fails fails alone. Another thread copies the WAL into the database every
/// second; the WAL starts over even under a load that never pauses, its file written over from
/// the start rather than cut back and grown again, and given back once the load has dropped.
/// It is written with rusqlite, called directly on the writer thread: sqlx's SQLite driver
/// hands every statement to a thread of its own and back, which cost this inbox half its
/// throughput for nothing a single writer needs.
///
/// ```no_run
/// use hookproof::delivery::inbox::{Inbox, SqliteInbox};
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
    jobs: mpsc::Sender<Job>,
    path: PathBuf,
}

/// One operation for the writer thread: run against the round's transaction (`None` when it
/// could not begin), it says whether it succeeded and gives back what to do once the round's
/// commit has succeeded or failed.
type Job = Box<dyn FnOnce(Option<&Connection>) -> (bool, Finish) + Send>;
type Finish = Box<dyn FnOnce(Result<(), &str>) + Send>;

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
CREATE INDEX IF NOT EXISTS hookproof_inbox_handled ON hookproof_inbox (handled_at) WHERE state = 'handled';
CREATE INDEX IF NOT EXISTS hookproof_inbox_dead ON hookproof_inbox (id) WHERE state = 'dead';
";

/// Deletes up to `?2` rows handled before `?1`, the oldest first, found through their index:
/// the writer reads none of the rows it keeps.
const PURGE_CHUNK: &str = "DELETE FROM hookproof_inbox WHERE id IN (SELECT id FROM hookproof_inbox \
    WHERE state = 'handled' AND handled_at < ?1 ORDER BY handled_at LIMIT ?2)";

/// Up to `?1` dead letters, the oldest first, found through their index.
const DEAD_LETTERS: &str = "SELECT id, provider, tenant, attempts, last_error, received_at \
    FROM hookproof_inbox WHERE state = 'dead' ORDER BY id LIMIT ?1";

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
    /// How long the writer waits for another process that holds the file's write lock.
    pub const TIMEOUT: Duration = Duration::from_secs(5);

    /// The most operations one round (one commit) carries.
    const MAX_ROUND: usize = 512;

    /// Opens (creating it if needed) the database file at `path`, and starts its writer thread,
    /// which ends when the last clone of the inbox is dropped.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let (jobs, queue) = mpsc::channel::<Job>(4 * Self::MAX_ROUND);
        let (opened, open_result) = oneshot::channel();
        let thread_path = path.clone();
        std::thread::Builder::new()
            .name("hookproof-sqlite-inbox".into())
            .spawn(move || match open_connection(&thread_path) {
                Ok(connection) => {
                    let checkpointer = Checkpointer::start(&thread_path);
                    let _ = opened.send(Ok(()));
                    write_rounds(connection, queue, &checkpointer);
                    drop(checkpointer);
                }
                Err(error) => {
                    let _ = opened.send(Err(store_error(error)));
                }
            })
            .map_err(store_error)?;
        open_result
            .await
            .map_err(|_| StoreError::new("the SQLite inbox thread ended while opening"))??;
        Ok(Self { jobs, path })
    }

    /// Creates the table and its indexes if they do not exist. Safe to run at every start.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.run(|connection| connection.execute_batch(MIGRATION))
            .await
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `operation` in the writer's next round; its result once the round is committed.
    async fn run<T: Send + 'static>(
        &self,
        operation: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |connection| {
            let result = match connection {
                Some(connection) => operation(connection).map_err(|error| error.to_string()),
                // Not run: the round's error is the answer.
                None => Err(String::new()),
            };
            let succeeded = result.is_ok();
            let finish: Finish = Box::new(move |committed| {
                let _ = reply.send(committed.map_err(str::to_owned).and(result));
            });
            (succeeded, finish)
        });
        let stopped = || StoreError::new("the SQLite inbox thread has stopped");
        self.jobs.send(job).await.map_err(|_| stopped())?;
        answer
            .await
            .map_err(|_| stopped())?
            .map_err(StoreError::new)
    }
}

fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open(path)?;
    connection.busy_handler(Some(wait_for_the_write_lock))?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a commit is on disk (the WAL synced) before the request is answered.
    connection.pragma_update(None, "synchronous", "FULL")?;
    // The checkpointer copies the WAL into the database, off the writer's path, and gives the
    // WAL's file back once the load has dropped: no `journal_size_limit`, which would cut the
    // file back (and make it grow again) each time the WAL starts over.
    connection.pragma_update(None, "wal_autocheckpoint", 0)?;
    Ok(connection)
}

/// How often a writer waiting for another process's write lock tries again.
const LOCK_POLL: Duration = Duration::from_millis(1);

/// How many tries make [`SqliteInbox::TIMEOUT`].
const LOCK_TRIES: i32 = (SqliteInbox::TIMEOUT.as_millis() / LOCK_POLL.as_millis()) as i32;

/// Waits [`SqliteInbox::TIMEOUT`] for another process's write lock, trying again every
/// [`LOCK_POLL`]. SQLite's own wait sleeps up to 100 ms between tries and keeps missing the
/// moments a busy writer lets go: behind another process's steady stream of rounds, a writer
/// waited seconds, longer than a worker's lease.
fn wait_for_the_write_lock(tries: i32) -> bool {
    std::thread::sleep(LOCK_POLL);
    tries < LOCK_TRIES
}

/// The writer: a round is every job waiting, in one transaction, each job in a savepoint; the
/// answers go out after the commit, and then the writer copies what is left of a long WAL, so
/// that the WAL starts over.
fn write_rounds(
    mut connection: Connection,
    mut queue: mpsc::Receiver<Job>,
    checkpointer: &Checkpointer,
) {
    while let Some(first) = queue.blocking_recv() {
        let mut round = vec![first];
        while round.len() < SqliteInbox::MAX_ROUND {
            let Ok(job) = queue.try_recv() else { break };
            round.push(job);
        }
        let transaction = match connection.transaction_with_behavior(TransactionBehavior::Immediate)
        {
            Ok(transaction) => transaction,
            Err(error) => {
                let message = error.to_string();
                for job in round {
                    let (_, finish) = job(None);
                    finish(Err(&message));
                }
                continue;
            }
        };
        let mut finishes = Vec::with_capacity(round.len());
        for job in round {
            // A job that fails leaves nothing behind: its savepoint is rolled back.
            let opened = run_cached(&transaction, "SAVEPOINT job");
            let (succeeded, finish) = job(opened.is_ok().then_some(&*transaction));
            let closed = opened.and_then(|()| {
                if !succeeded {
                    run_cached(&transaction, "ROLLBACK TO job")?;
                }
                run_cached(&transaction, "RELEASE job")
            });
            finishes.push((finish, closed.map_err(|error| error.to_string())));
        }
        let committed = transaction.commit().map_err(|error| error.to_string());
        for (finish, closed) in finishes {
            finish(
                committed
                    .as_ref()
                    .map(drop)
                    .map_err(String::as_str)
                    .and(closed.as_ref().map(drop).map_err(String::as_str)),
            );
        }
        checkpointer.finish_long_wal(&connection);
    }
}

/// Runs a statement without parameters, prepared once per connection.
fn run_cached(connection: &Connection, statement: &str) -> rusqlite::Result<()> {
    connection.prepare_cached(statement)?.execute([]).map(drop)
}

/// Inserts one request's rows, all or none (the job's savepoint); a row whose key is stored
/// already (or earlier in this round) is a duplicate.
fn file_rows(connection: &Connection, rows: &[NewDelivery]) -> rusqlite::Result<Vec<Filed>> {
    let now = now_ms();
    let mut insert = connection.prepare_cached(
        "INSERT INTO hookproof_inbox (provider, tenant, dedupe_key, item, key_id, evidence, \
         body, drifted, received_at, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, \
         ?9, ?9) ON CONFLICT (dedupe_key) DO NOTHING",
    )?;
    rows.iter()
        .map(|row| {
            let inserted = insert.execute(params![
                row.provider,
                &*row.tenant,
                row.key,
                row.item,
                row.key_id,
                row.evidence,
                &*row.body,
                row.drifted,
                now,
            ])?;
            Ok(if inserted == 1 {
                Filed::Stored
            } else {
                Filed::Duplicate
            })
        })
        .collect()
}

impl Inbox for SqliteInbox {
    fn file<'a>(&'a self, deliveries: Vec<NewDelivery>) -> StoreFuture<'a, Vec<Filed>> {
        Box::pin(self.run(move |connection| file_rows(connection, &deliveries)))
    }

    fn take<'a>(
        &'a self,
        provider: &'a str,
        worker: &'a str,
        lease: Duration,
    ) -> StoreFuture<'a, Option<StoredDelivery>> {
        let (provider, worker) = (provider.to_owned(), worker.to_owned());
        Box::pin(self.run(move |connection| {
            let now = now_ms();
            connection
                .prepare_cached(
                    "UPDATE hookproof_inbox SET locked_by = ?1, locked_until = ?2, \
                     attempts = attempts + 1 WHERE id = (SELECT id FROM hookproof_inbox \
                     WHERE provider = ?3 AND state = 'pending' AND next_attempt_at <= ?4 \
                     AND (locked_until IS NULL OR locked_until <= ?4) \
                     ORDER BY next_attempt_at, id LIMIT 1) \
                     RETURNING id, tenant, key_id, evidence, body, item, attempts",
                )?
                .query_row(params![worker, now + ms(lease), provider, now], |row| {
                    Ok(StoredDelivery {
                        id: row.get(0)?,
                        tenant: row.get(1)?,
                        key_id: row.get(2)?,
                        evidence: row.get(3)?,
                        body: row.get(4)?,
                        item: row.get(5)?,
                        attempts: row.get(6)?,
                    })
                })
                .optional()
        }))
    }

    fn extend<'a>(&'a self, id: i64, worker: &'a str, lease: Duration) -> StoreFuture<'a, bool> {
        let worker = worker.to_owned();
        Box::pin(self.run(move |connection| {
            connection
                .prepare_cached(
                    "UPDATE hookproof_inbox SET locked_until = ?1 \
                     WHERE id = ?2 AND locked_by = ?3 AND state = 'pending'",
                )?
                .execute(params![now_ms() + ms(lease), id, worker])
                .map(|changed| changed == 1)
        }))
    }

    fn handled<'a>(&'a self, id: i64, worker: &'a str) -> StoreFuture<'a, bool> {
        let worker = worker.to_owned();
        Box::pin(self.run(move |connection| {
            connection
                .prepare_cached(
                    "UPDATE hookproof_inbox SET state = 'handled', handled_at = ?1, \
                     locked_by = NULL, locked_until = NULL WHERE id = ?2 AND locked_by = ?3",
                )?
                .execute(params![now_ms(), id, worker])
                .map(|changed| changed == 1)
        }))
    }

    fn failed<'a>(
        &'a self,
        id: i64,
        worker: &'a str,
        error: &'a str,
        retry_in: Option<Duration>,
    ) -> StoreFuture<'a, bool> {
        let (worker, error) = (worker.to_owned(), error.to_owned());
        Box::pin(self.run(move |connection| {
            let state = if retry_in.is_some() {
                "pending"
            } else {
                "dead"
            };
            connection
                .prepare_cached(
                    "UPDATE hookproof_inbox SET state = ?1, next_attempt_at = ?2, last_error = ?3, \
                     locked_by = NULL, locked_until = NULL WHERE id = ?4 AND locked_by = ?5",
                )?
                .execute(params![
                    state,
                    now_ms() + retry_in.map_or(0, ms),
                    error,
                    id,
                    worker
                ])
                .map(|changed| changed == 1)
        }))
    }

    fn dead_letters<'a>(&'a self, limit: u32) -> StoreFuture<'a, Vec<DeadLetter>> {
        Box::pin(self.run(move |connection| {
            connection
                .prepare_cached(DEAD_LETTERS)?
                .query_map(params![limit], |row| {
                    Ok(DeadLetter {
                        id: row.get(0)?,
                        provider: row.get(1)?,
                        tenant: row.get(2)?,
                        attempts: row.get(3)?,
                        last_error: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
                        received_at: UNIX_EPOCH
                            + Duration::from_millis(row.get::<_, i64>(5)?.max(0) as u64),
                    })
                })?
                .collect()
        }))
    }

    fn requeue<'a>(&'a self, id: i64) -> StoreFuture<'a, bool> {
        Box::pin(self.run(move |connection| {
            connection
                .prepare_cached(
                    "UPDATE hookproof_inbox SET state = 'pending', attempts = 0, \
                     next_attempt_at = ?1, last_error = NULL WHERE id = ?2 AND state = 'dead'",
                )?
                .execute(params![now_ms(), id])
                .map(|changed| changed == 1)
        }))
    }

    fn purge<'a>(&'a self, retention: Duration) -> StoreFuture<'a, u64> {
        let before = now_ms() - ms(retention);
        Box::pin(purge_in_chunks(move |rows| {
            self.run(move |connection| {
                connection
                    .prepare_cached(PURGE_CHUNK)?
                    .execute(params![before, rows])
                    .map(|deleted| deleted as u64)
            })
        }))
    }
}

impl fmt::Debug for SqliteInbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteInbox")
            .field("path", &self.path)
            .field("table", &"hookproof_inbox")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How SQLite would run `statement` on a migrated database: one line per step.
    fn plan(statement: &str) -> Vec<String> {
        let connection = Connection::open_in_memory().unwrap();
        connection.execute_batch(MIGRATION).unwrap();
        let mut explain = connection
            .prepare(&format!("EXPLAIN QUERY PLAN {statement}"))
            .unwrap();
        // Its parameters unbound: the plan does not depend on their values.
        let mut rows = explain.raw_query();
        let mut steps = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            steps.push(row.get::<_, String>(3).unwrap());
        }
        steps
    }

    /// Asserts that SQLite runs `statement` through `index`, and never reads the whole table.
    fn assert_reads_through(statement: &str, index: &str) {
        let steps = plan(statement);
        assert!(
            steps
                .iter()
                .any(|step| step.contains(&format!("INDEX {index}"))),
            "{steps:?}"
        );
        assert!(
            !steps.contains(&"SCAN hookproof_inbox".to_owned()),
            "{steps:?}"
        );
    }

    /// Each worker purges once every 1,024 runs, on the writer that receiving waits for: reading
    /// the whole table (every body kept for the retention) would stall receiving longer the more
    /// the inbox holds.
    #[test]
    fn purging_reads_only_the_rows_it_deletes() {
        assert_reads_through(PURGE_CHUNK, "hookproof_inbox_handled");
    }

    #[test]
    fn listing_dead_letters_reads_only_dead_letters() {
        assert_reads_through(DEAD_LETTERS, "hookproof_inbox_dead");
    }
}
