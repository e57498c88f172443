//! Handling stored deliveries: one due row at a time, retried with backoff, dead-lettered when
//! it keeps failing.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{Inbox, StoredDelivery};
use crate::delivery::reception::Receipt;
use crate::delivery::store::{StoreError, StoreFuture};
use crate::provider::{Delivery, Provider};
use crate::secret::KeyId;
use crate::verified::{Evidence, Verified};

/// How failed deliveries are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Retry {
    /// The wait after the first failure (default 1 s); each next one is twice the last.
    pub first_wait: Duration,
    /// The longest wait (default 1 hour).
    pub max_wait: Duration,
    /// How many attempts before the delivery is dead-lettered (default 8: with the defaults,
    /// about two minutes of retries).
    pub max_attempts: u32,
}

impl Default for Retry {
    fn default() -> Self {
        Self {
            first_wait: Duration::from_secs(1),
            max_wait: Duration::from_secs(3600),
            max_attempts: 8,
        }
    }
}

impl Retry {
    /// Retries waiting `first_wait` after the first failure, doubling up to `max_wait`, and
    /// dead-lettering after `max_attempts` attempts (at least one).
    #[must_use]
    pub fn new(first_wait: Duration, max_wait: Duration, max_attempts: u32) -> Self {
        Self {
            first_wait,
            max_wait: max_wait.max(first_wait),
            max_attempts: max_attempts.max(1),
        }
    }

    /// The wait after failed attempt `attempt` (from 1), with up to a fifth taken off at random
    /// so that failures that happened together do not retry together; `None` when no attempt
    /// is left.
    pub(crate) fn wait(&self, attempt: u32, seed: u64) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let doubled = self.first_wait.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let wait = doubled.min(self.max_wait);
        let jitter = wait.mul_f64((seed % 1000) as f64 / 5000.0);
        Some(wait - jitter)
    }
}

/// One [`Worker::run_once`] in this many purges the rows handled longer ago than the retention.
const PURGE_EVERY: u64 = 1024;

/// A stored delivery handed to a worker's handler.
#[derive(Debug)]
#[non_exhaustive]
pub struct Handled<N> {
    /// The notification, parsed again from the stored body (for a batch, the one item this
    /// row is for).
    pub notification: N,
    /// Whose delivery it is, and the key that verified it.
    pub receipt: Receipt,
    /// Which attempt this is, from 1.
    pub attempt: u32,
    /// The row's id.
    pub id: i64,
}

/// Handles one provider's stored deliveries with `handler`: see the [module docs](super).
pub struct Worker<P, H> {
    inbox: Arc<dyn Inbox>,
    provider: Arc<P>,
    handler: H,
    name: String,
    lease: Duration,
    retry: Retry,
    retention: Duration,
    idle_wait: Duration,
    runs: AtomicU64,
}

/// Tells workers apart in the rows they hold: the process and a counter.
fn worker_name() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "{}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.subsec_nanos())
    )
}

impl<P, H, F, E> Worker<P, H>
where
    P: Provider + 'static,
    H: Fn(Handled<P::Notification>) -> F,
    F: Future<Output = Result<(), E>>,
    E: fmt::Display,
{
    /// How long a worker holds a row unless [`with_lease`](Self::with_lease) says otherwise:
    /// 60 s. A worker that dies holding a row delays it this long.
    pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);

    /// A worker parsing rows with `provider` (its keys are not used: a stored row was verified
    /// when it was received) and handling them with `handler`.
    pub fn new(inbox: Arc<dyn Inbox>, provider: P, handler: H) -> Self {
        Self {
            inbox,
            provider: Arc::new(provider),
            handler,
            name: worker_name(),
            lease: Self::DEFAULT_LEASE,
            retry: Retry::default(),
            retention: crate::delivery::Receiver::<P>::DEFAULT_RETENTION,
            idle_wait: Duration::from_millis(200),
            runs: AtomicU64::new(0),
        }
    }

    /// Holds each row this long while handling it (default [`DEFAULT_LEASE`](Self::DEFAULT_LEASE)):
    /// longer than the slowest handler.
    #[must_use]
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How failures are retried (default [`Retry::default`]).
    #[must_use]
    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// How long handled rows are kept, as the de-duplication window (default 7 days).
    #[must_use]
    pub fn with_retention(mut self, retention: Duration) -> Self {
        self.retention = retention;
        self
    }

    /// How long [`run`](Self::run) waits when no row is due (default 200 ms).
    #[must_use]
    pub fn with_idle_wait(mut self, wait: Duration) -> Self {
        self.idle_wait = wait;
        self
    }

    /// Takes one due row and handles it; `Ok(false)` when none was due.
    ///
    /// The outcome is recorded at once; a store that cannot record it (another process holding
    /// SQLite's lock, a database restarting) is asked again while the row's lease holds, so that
    /// a handled row is not handled again when its lease runs out.
    pub async fn run_once(&self) -> Result<bool, StoreError> {
        // Before taking a row: a purge that fails (or takes long) holds no row and spends
        // none of its attempts.
        if self.runs.fetch_add(1, Ordering::Relaxed) % PURGE_EVERY == PURGE_EVERY - 1 {
            self.inbox.purge(self.retention).await?;
        }
        let lease_ends = Instant::now() + self.lease;
        let Some(row) = self
            .inbox
            .take(self.provider.name(), &self.name, self.lease)
            .await?
        else {
            return Ok(false);
        };
        let (id, attempt) = (row.id, row.attempts);
        let outcome = match self.parse(row) {
            Ok(handled) => (self.handler)(handled)
                .await
                .map_err(|error| error.to_string()),
            Err(error) => Err(error),
        };
        match outcome {
            Ok(()) => {
                record_within(lease_ends, id as u64, || self.inbox.handled(id, &self.name)).await?;
            }
            Err(error) => {
                let retry_in = self.retry.wait(attempt, id as u64 ^ u64::from(attempt));
                record_within(lease_ends, id as u64, || {
                    self.inbox.failed(id, &self.name, &error, retry_in)
                })
                .await?;
            }
        }
        Ok(true)
    }

    /// Handles rows until none is due.
    pub async fn drain(&self) -> Result<u64, StoreError> {
        let mut handled = 0;
        while self.run_once().await? {
            handled += 1;
        }
        Ok(handled)
    }

    /// Handles rows until `stop` resolves, waiting a moment whenever none is due; a store that
    /// cannot answer is waited out the same way.
    pub async fn run(&self, stop: impl Future<Output = ()>) {
        let mut stop = std::pin::pin!(stop);
        loop {
            let worked = tokio::select! {
                biased;
                () = &mut stop => return,
                worked = self.run_once() => worked,
            };
            if !matches!(worked, Ok(true)) {
                tokio::select! {
                    () = &mut stop => return,
                    () = tokio::time::sleep(self.idle_wait) => {}
                }
            }
        }
    }

    fn parse(&self, row: StoredDelivery) -> Result<Handled<P::Notification>, String> {
        parse_stored(&*self.provider, row)
    }
}

/// Runs `record` until the store answers, waiting as [`Retry`] does (10 ms doubling to 1 s,
/// jittered by `seed`) while the next try still falls before `lease_ends`; the last error once
/// it would not.
async fn record_within<'a>(
    lease_ends: Instant,
    seed: u64,
    mut record: impl FnMut() -> StoreFuture<'a, bool>,
) -> Result<bool, StoreError> {
    let again = Retry::new(Duration::from_millis(10), Duration::from_secs(1), u32::MAX);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let error = match record().await {
            Err(error) => error,
            answer => return answer,
        };
        match again.wait(attempt, seed ^ u64::from(attempt)) {
            Some(wait) if Instant::now() + wait < lease_ends => tokio::time::sleep(wait).await,
            _ => return Err(error),
        }
    }
}

/// A stored row as its notification: verified when it was received, so parsed without a key;
/// for a batch, narrowed to the row's item.
pub(crate) fn parse_stored<P: Provider>(
    provider: &P,
    row: StoredDelivery,
) -> Result<Handled<P::Notification>, String> {
    let evidence = P::Evidence::from_text(&row.evidence);
    let key_id = KeyId::from(row.key_id.as_str());
    let verified = Verified::new(&row.body, key_id.clone(), evidence);
    let mut notification = provider
        .parse(verified)
        .map_err(|error| format!("the stored body no longer parses: {error}"))?;
    if let Some(item) = row.item {
        let items = notification.item_keys().len();
        let keep: Vec<bool> = (0..items).map(|index| index == item as usize).collect();
        notification.retain_items(&keep);
    }
    Ok(Handled {
        notification,
        receipt: Receipt {
            provider: provider.name(),
            tenant: Arc::from(row.tenant),
            key_id,
            guarded: true,
            taken_over: row.attempts > 1,
        },
        attempt: row.attempts,
        id: row.id,
    })
}

impl<P, H> fmt::Debug for Worker<P, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Worker")
            .field("name", &self.name)
            .field("lease", &self.lease)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery::inbox::{DeadLetter, Filed, NewDelivery};
    use crate::platnova::Platnova;
    use std::sync::atomic::AtomicU32;

    /// An inbox that always has a row due and cannot purge: it counts the rows taken and the
    /// outcomes recorded.
    #[derive(Default)]
    struct AlwaysDueNeverPurged {
        taken: AtomicU32,
        recorded: AtomicU32,
    }

    impl Inbox for AlwaysDueNeverPurged {
        fn file<'a>(&'a self, _: Vec<NewDelivery>) -> StoreFuture<'a, Vec<Filed>> {
            Box::pin(async { Err(StoreError::new("not used")) })
        }
        fn take<'a>(
            &'a self,
            _: &'a str,
            _: &'a str,
            _: Duration,
        ) -> StoreFuture<'a, Option<StoredDelivery>> {
            self.taken.fetch_add(1, Ordering::SeqCst);
            let row = StoredDelivery {
                id: 1,
                tenant: String::new(),
                key_id: String::new(),
                evidence: String::new(),
                body: Vec::new(),
                item: None,
                attempts: 1,
            };
            Box::pin(async { Ok(Some(row)) })
        }
        fn handled<'a>(&'a self, _: i64, _: &'a str) -> StoreFuture<'a, bool> {
            self.recorded.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(true) })
        }
        fn failed<'a>(
            &'a self,
            _: i64,
            _: &'a str,
            _: &'a str,
            _: Option<Duration>,
        ) -> StoreFuture<'a, bool> {
            self.recorded.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(true) })
        }
        fn dead_letters<'a>(&'a self, _: u32) -> StoreFuture<'a, Vec<DeadLetter>> {
            Box::pin(async { Ok(Vec::new()) })
        }
        fn requeue<'a>(&'a self, _: i64) -> StoreFuture<'a, bool> {
            Box::pin(async { Ok(false) })
        }
        fn purge<'a>(&'a self, _: Duration) -> StoreFuture<'a, u64> {
            Box::pin(async { Err(StoreError::new("the database is restarting")) })
        }
    }

    #[tokio::test]
    async fn a_purge_that_fails_holds_no_row() {
        let inbox = Arc::new(AlwaysDueNeverPurged::default());
        let provider = Platnova::new(crate::Secret::new("pn_worker").unwrap());
        let worker = Worker::new(inbox.clone(), provider, |_| async { Ok::<(), String>(()) });
        let mut failed_runs = 0;
        for _ in 0..2 * PURGE_EVERY {
            if worker.run_once().await.is_err() {
                failed_runs += 1;
            }
        }
        assert_eq!(failed_runs, 2, "the purge was tried, and failed, twice");
        assert_eq!(
            inbox.recorded.load(Ordering::SeqCst),
            inbox.taken.load(Ordering::SeqCst),
            "every row taken had its outcome recorded"
        );
    }

    /// A store that fails its first `failures` answers, then answers `answer`; and how often
    /// it was asked.
    fn store_failing(
        failures: u32,
        answer: bool,
    ) -> (Arc<AtomicU32>, impl FnMut() -> StoreFuture<'static, bool>) {
        let asked = Arc::new(AtomicU32::new(0));
        let counter = Arc::clone(&asked);
        let record = move || -> StoreFuture<'static, bool> {
            let asked = counter.fetch_add(1, Ordering::SeqCst) + 1;
            Box::pin(async move {
                if asked <= failures {
                    Err(StoreError::new("connection refused"))
                } else {
                    Ok(answer)
                }
            })
        };
        (asked, record)
    }

    #[tokio::test]
    async fn an_outcome_is_recorded_once_the_store_answers_within_the_lease() {
        let (asked, record) = store_failing(3, true);
        let lease_ends = Instant::now() + Duration::from_secs(30);
        assert!(record_within(lease_ends, 7, record).await.unwrap());
        assert_eq!(asked.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn a_lost_lease_is_an_answer_not_a_failure_to_retry() {
        let (asked, record) = store_failing(0, false);
        let lease_ends = Instant::now() + Duration::from_secs(30);
        assert!(!record_within(lease_ends, 7, record).await.unwrap());
        assert_eq!(asked.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_store_that_stays_down_past_the_lease_is_the_last_error() {
        let (asked, record) = store_failing(u32::MAX, true);
        let lease_ends = Instant::now() + Duration::from_millis(100);
        let error = record_within(lease_ends, 7, record).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "the store did not answer: connection refused"
        );
        // Asked again while the lease held (waits of 10, 20, 40 ms fit in 100 ms), then given up.
        let asked = asked.load(Ordering::SeqCst);
        assert!((2..=5).contains(&asked), "asked {asked} times");
    }

    #[test]
    fn waits_double_up_to_the_cap_with_a_fifth_of_jitter_then_stop() {
        let retry = Retry::default();
        let no_jitter = 0;
        assert_eq!(retry.wait(1, no_jitter), Some(Duration::from_secs(1)));
        assert_eq!(retry.wait(2, no_jitter), Some(Duration::from_secs(2)));
        assert_eq!(retry.wait(7, no_jitter), Some(Duration::from_secs(64)));
        assert_eq!(
            retry.wait(8, no_jitter),
            None,
            "the eighth failure is the last"
        );
        let most = retry.wait(3, 999).unwrap();
        assert!(
            most < Duration::from_secs(4) && most > Duration::from_millis(3200),
            "{most:?}"
        );
        let capped = Retry {
            max_attempts: 100,
            ..Retry::default()
        };
        assert_eq!(capped.wait(40, no_jitter), Some(Duration::from_secs(3600)));
    }
}
