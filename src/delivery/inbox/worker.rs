//! Handling stored deliveries: one due row at a time, retried with backoff, dead-lettered when
//! it keeps failing.

use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::FutureExt;
use futures_util::future::OptionFuture;

use super::{Inbox, Retry, StoredDelivery};
use crate::delivery::observe::{self, InboxRow};
use crate::delivery::reception::Receipt;
use crate::delivery::store::{StoreError, StoreFuture};
use crate::provider::{Delivery, Provider};
use crate::secret::KeyId;
use crate::verified::{Evidence, Verified};

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
pub(crate) fn worker_name() -> String {
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
    /// How long a worker holds a row at a time unless [`with_lease`](Self::with_lease) says
    /// otherwise: 60 s. A worker that dies holding a row delays it this long at most.
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

    /// Holds each row this long at a time (default [`DEFAULT_LEASE`](Self::DEFAULT_LEASE)),
    /// renewed every third of it while the handler runs: longer than the store's slowest
    /// answer (a handler may take longer). A worker that dies holds its row this long at most.
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
    /// While the handler runs, the row's lease is renewed every third of it, so that a handler
    /// slower than the lease keeps its row. Should the row stop being this worker's (its lease
    /// ran out and another worker took it), or the store not answer a renewal before the lease
    /// ends, the handler is dropped unfinished: past that point another worker may hold the
    /// row, and two never handle it at once.
    ///
    /// The outcome is recorded at once; a store that cannot record it (another process holding
    /// SQLite's lock, a database restarting) is asked again while the row's lease holds, so that
    /// a handled row is not handled again when its lease runs out.
    pub async fn run_once(&self) -> Result<bool, StoreError> {
        // Before taking a row: a purge that fails (or takes long) holds no row and spends
        // none of its attempts.
        if self.runs.fetch_add(1, Ordering::Relaxed) % PURGE_EVERY == PURGE_EVERY - 1 {
            self.inbox
                .purge(self.retention)
                .await
                .inspect_err(|error| observe::take_failed(self.provider.name(), error))?;
        }
        let mut lease_ends = Instant::now() + self.lease;
        let Some(row) = self
            .inbox
            .take(self.provider.name(), &self.name, self.lease)
            .await
            .inspect_err(|error| observe::take_failed(self.provider.name(), error))?
        else {
            return Ok(false);
        };
        let (id, attempt) = (row.id, row.attempts);
        let observed = observed(self.provider.name(), &row);
        let handling = async {
            match admit(&*self.provider, &self.retry, row) {
                Ok(handled) => outcome_of(async { (self.handler)(handled).await }).await,
                Err(error) => Err(error),
            }
        };
        let outcome = match self.holding(id, &mut lease_ends, handling).await {
            Ok(Some(outcome)) => outcome,
            Ok(None) => {
                // Another worker took it: its outcome is that worker's to record.
                observe::row_lost(&observed);
                return Ok(true);
            }
            Err(error) => {
                observe::row_store_failed(&observed, &error);
                return Err(error);
            }
        };
        let retry_in = self.retry.wait(attempt, id as u64 ^ u64::from(attempt));
        let recorded = match &outcome {
            Ok(()) => {
                record_within(lease_ends, id as u64, || self.inbox.handled(id, &self.name)).await
            }
            Err(error) => {
                record_within(lease_ends, id as u64, || {
                    self.inbox.failed(id, &self.name, error, retry_in)
                })
                .await
            }
        };
        observe_recorded(&observed, outcome.is_ok(), retry_in, &recorded);
        recorded.map(|_| true)
    }

    /// Runs `handling` while renewing the lease on row `id`, which ends at `lease_ends` (moved
    /// on by each renewal). `Ok(None)` once the row is another worker's, and `Err` once the
    /// lease ends before the store answers a renewal: the handling is then dropped unfinished.
    async fn holding<T>(
        &self,
        id: i64,
        lease_ends: &mut Instant,
        handling: impl Future<Output = T>,
    ) -> Result<Option<T>, StoreError> {
        let mut handling = pin!(handling);
        let every = (self.lease / 3).max(Duration::from_millis(1));
        let mut next_renewal = Instant::now() + every;
        // A renewal under way, and when it was asked for (what the new lease counts from).
        let mut renewal: Option<StoreFuture<'_, bool>> = None;
        let mut asked_at = Instant::now();
        let mut last_error = None;
        loop {
            tokio::select! {
                biased;
                outcome = &mut handling => return Ok(Some(outcome)),
                Some(answer) = OptionFuture::from(renewal.as_mut()), if renewal.is_some() => {
                    renewal = None;
                    match answer {
                        Ok(true) => {
                            *lease_ends = asked_at + self.lease;
                            next_renewal = asked_at + every;
                        }
                        Ok(false) => return Ok(None),
                        Err(error) => {
                            next_renewal = Instant::now() + every / 4;
                            last_error = Some(error);
                        }
                    }
                }
                () = tokio::time::sleep_until((*lease_ends).into()) => {
                    return Err(last_error.unwrap_or_else(|| {
                        StoreError::new("the row's lease ran out before the store renewed it")
                    }));
                }
                () = tokio::time::sleep_until(next_renewal.into()), if renewal.is_none() => {
                    asked_at = Instant::now();
                    renewal = Some(self.inbox.extend(id, &self.name, self.lease));
                }
            }
        }
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
    ///
    /// A row in hand when `stop` resolves is finished first, its outcome recorded: stopping (a
    /// deploy, a scale-down) does not cut a handler off mid-way and leave its row to be handled
    /// again after its lease. Put a timeout around `run` if a handler may hang.
    pub async fn run(&self, stop: impl Future<Output = ()>) {
        let mut stop = pin!(stop);
        loop {
            if stop.as_mut().now_or_never().is_some() {
                return;
            }
            if !matches!(self.run_once().await, Ok(true)) {
                tokio::select! {
                    () = &mut stop => return,
                    () = tokio::time::sleep(self.idle_wait) => {}
                }
            }
        }
    }
}

/// A taken row, as the events about it name it.
pub(crate) fn observed(provider: &'static str, row: &StoredDelivery) -> InboxRow {
    InboxRow {
        provider,
        tenant: row.tenant.clone(),
        key_id: row.key_id.clone(),
        id: row.id,
        attempt: row.attempts,
    }
}

/// Says what recording an attempt's outcome came to: `recorded` is the store's answer to
/// "handled" (when the attempt `succeeded`) or to "failed, due again in `retry_in`" (or dead).
pub(crate) fn observe_recorded(
    row: &InboxRow,
    succeeded: bool,
    retry_in: Option<Duration>,
    recorded: &Result<bool, StoreError>,
) {
    match recorded {
        Ok(true) if succeeded => observe::row_handled(row),
        Ok(true) => observe::row_failed(row, retry_in),
        Ok(false) => observe::row_lost(row),
        Err(error) => observe::row_store_failed(row, error),
    }
}

/// Why a row taken for its `attempt`th time is dead-lettered unhandled: its attempts are spent,
/// the last ones without an outcome recorded (their worker stopped, or the store could not
/// record it). A row whose handling kills the process would otherwise kill every worker that
/// takes it, for ever.
const NO_ATTEMPT_LEFT: &str = "no attempt left: its last attempts ended without an outcome \
    (the worker stopped, or the store could not record it)";

/// A taken row, ready for its handler: parsed again from its stored body, unless it is out of
/// attempts or no longer parses (both failures, and the first dead-letters it).
pub(crate) fn admit<P: Provider>(
    provider: &P,
    retry: &Retry,
    row: StoredDelivery,
) -> Result<Handled<P::Notification>, String> {
    if row.attempts > retry.max_attempts {
        return Err(NO_ATTEMPT_LEFT.to_owned());
    }
    parse_stored(provider, row)
}

/// What one handling came to: the handler's error, or its panic, is a failed attempt like any
/// other, so that a panicking handler neither ends the worker nor leaves its row held.
pub(crate) async fn outcome_of<E: fmt::Display>(
    handling: impl Future<Output = Result<(), E>>,
) -> Result<(), String> {
    match AssertUnwindSafe(handling).catch_unwind().await {
        Ok(result) => result.map_err(|error| error.to_string()),
        Err(panic) => Err(
            match panic
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
            {
                Some(message) => format!("the handler panicked: {message}"),
                None => "the handler panicked".to_owned(),
            },
        ),
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
fn parse_stored<P: Provider>(
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

    /// What a worker recorded for a row.
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Outcome {
        Handled,
        Failed { error: String, dead: bool },
    }

    /// How the store answers a lease's renewal.
    #[derive(Debug, Default, Clone, Copy)]
    enum Renewal {
        #[default]
        Granted,
        /// The row is another worker's.
        Refused,
        /// The store does not answer.
        Failing,
    }

    /// An inbox with one row, due at every take (a Platnova `card.charged`), taken `attempts`
    /// times before; it records the outcomes, answers renewals with `renewal`, and cannot
    /// purge.
    #[derive(Default)]
    struct OneRowAlwaysDue {
        attempts: AtomicU32,
        outcomes: std::sync::Mutex<Vec<Outcome>>,
        renewal: Renewal,
        renewals_asked: AtomicU32,
    }

    impl OneRowAlwaysDue {
        fn taken_before(attempts: u32) -> Arc<Self> {
            Arc::new(Self {
                attempts: AtomicU32::new(attempts),
                ..Self::default()
            })
        }

        fn renewing(renewal: Renewal) -> Arc<Self> {
            Arc::new(Self {
                renewal,
                ..Self::default()
            })
        }

        fn outcomes(&self) -> Vec<Outcome> {
            self.outcomes.lock().unwrap().clone()
        }
    }

    impl Inbox for OneRowAlwaysDue {
        fn file<'a>(&'a self, _: Vec<NewDelivery>) -> StoreFuture<'a, Vec<Filed>> {
            Box::pin(async { Err(StoreError::new("not used")) })
        }
        fn take<'a>(
            &'a self,
            _: &'a str,
            _: &'a str,
            _: Duration,
        ) -> StoreFuture<'a, Option<StoredDelivery>> {
            let row = StoredDelivery {
                id: 1,
                tenant: String::new(),
                key_id: String::new(),
                evidence: String::new(),
                body: include_bytes!("../../testing/samples/platnova/card.charged.json").to_vec(),
                item: None,
                attempts: self.attempts.fetch_add(1, Ordering::SeqCst) + 1,
            };
            Box::pin(async { Ok(Some(row)) })
        }
        fn extend<'a>(&'a self, _: i64, _: &'a str, _: Duration) -> StoreFuture<'a, bool> {
            self.renewals_asked.fetch_add(1, Ordering::SeqCst);
            let answer = match self.renewal {
                Renewal::Granted => Ok(true),
                Renewal::Refused => Ok(false),
                Renewal::Failing => Err(StoreError::new("connection refused")),
            };
            Box::pin(async { answer })
        }
        fn handled<'a>(&'a self, _: i64, _: &'a str) -> StoreFuture<'a, bool> {
            self.outcomes.lock().unwrap().push(Outcome::Handled);
            Box::pin(async { Ok(true) })
        }
        fn failed<'a>(
            &'a self,
            _: i64,
            _: &'a str,
            error: &'a str,
            retry_in: Option<Duration>,
        ) -> StoreFuture<'a, bool> {
            self.outcomes.lock().unwrap().push(Outcome::Failed {
                error: error.to_owned(),
                dead: retry_in.is_none(),
            });
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

    fn platnova() -> Platnova {
        Platnova::new(crate::Secret::new("pn_worker").unwrap())
    }

    #[tokio::test]
    async fn a_purge_that_fails_holds_no_row() {
        let inbox = OneRowAlwaysDue::taken_before(0);
        let worker = Worker::new(inbox.clone(), platnova(), |_| async {
            Ok::<(), String>(())
        });
        let mut failed_runs = 0;
        for _ in 0..2 * PURGE_EVERY {
            if worker.run_once().await.is_err() {
                failed_runs += 1;
            }
        }
        assert_eq!(failed_runs, 2, "the purge was tried, and failed, twice");
        assert_eq!(
            inbox.outcomes().len(),
            inbox.attempts.load(Ordering::SeqCst) as usize,
            "every row taken had its outcome recorded"
        );
    }

    /// A panic is the handler failing: the attempt is recorded, retried, dead-lettered after
    /// the last, and the worker goes on (a panic out of `run` would end a spawned worker, and
    /// the next worker to take the row would end too).
    #[tokio::test]
    async fn a_handler_that_panics_fails_its_attempt() {
        let inbox = OneRowAlwaysDue::taken_before(0);
        let retry = Retry::new(Duration::ZERO, Duration::ZERO, 2);
        let worker = Worker::new(inbox.clone(), platnova(), |_| async {
            if true {
                panic!("the ledger client met a None");
            }
            Ok::<(), String>(())
        })
        .with_retry(retry);
        assert!(worker.run_once().await.unwrap());
        assert!(worker.run_once().await.unwrap());
        let failed = |dead| Outcome::Failed {
            error: "the handler panicked: the ledger client met a None".into(),
            dead,
        };
        assert_eq!(inbox.outcomes(), [failed(false), failed(true)]);
    }

    /// A row taken once more than it has attempts: each of its last takers stopped (a crash,
    /// a kill) before recording anything. Handling it again would crash again, for ever: it
    /// is dead-lettered, unhandled.
    #[tokio::test]
    async fn a_row_whose_attempts_all_ended_without_an_outcome_is_dead_lettered() {
        let retry = Retry::new(Duration::ZERO, Duration::ZERO, 3);
        let inbox = OneRowAlwaysDue::taken_before(3);
        let handled = Arc::new(AtomicU32::new(0));
        let counter = Arc::clone(&handled);
        let worker = Worker::new(inbox.clone(), platnova(), move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok::<(), String>(()) }
        })
        .with_retry(retry);
        assert!(worker.run_once().await.unwrap());
        assert_eq!(handled.load(Ordering::SeqCst), 0, "not handled again");
        assert_eq!(
            inbox.outcomes(),
            [Outcome::Failed {
                error: "no attempt left: its last attempts ended without an outcome (the worker \
                        stopped, or the store could not record it)"
                    .into(),
                dead: true
            }]
        );
        // One attempt short of that, it is handled.
        let inbox = OneRowAlwaysDue::taken_before(2);
        let worker = Worker::new(inbox.clone(), platnova(), |_| async {
            Ok::<(), String>(())
        })
        .with_retry(retry);
        assert!(worker.run_once().await.unwrap());
        assert_eq!(inbox.outcomes(), [Outcome::Handled]);
    }

    /// How a slow handler's run ended, as the handler saw it.
    type Ending = Arc<std::sync::Mutex<&'static str>>;

    type Handling = std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

    /// Says "dropped" unless the handler got to its end.
    struct EndingGuard(Ending);

    impl Drop for EndingGuard {
        fn drop(&mut self) {
            let mut ending = self.0.lock().unwrap();
            if *ending != "finished" {
                *ending = "dropped";
            }
        }
    }

    /// A handler that says when it has started, then takes `handling`; and how its run ended.
    fn slow_handler(
        handling: Duration,
        started: Arc<tokio::sync::Notify>,
    ) -> (
        Ending,
        impl Fn(Handled<crate::platnova::Notification>) -> Handling,
    ) {
        let ending: Ending = Arc::new(std::sync::Mutex::new("never started"));
        let seen = Arc::clone(&ending);
        let handler = move |_| {
            let guard = EndingGuard(Arc::clone(&seen));
            started.notify_one();
            Box::pin(async move {
                tokio::time::sleep(handling).await;
                *guard.0.lock().unwrap() = "finished";
                Ok(())
            }) as Handling
        };
        (ending, handler)
    }

    /// A worker whose handler takes `handling`, under a 300 ms lease, on `inbox`: whether the
    /// handler finished or was dropped unfinished, how long `run_once` took, and its answer.
    async fn handle_slowly(
        inbox: Arc<OneRowAlwaysDue>,
        handling: Duration,
    ) -> (&'static str, Duration, Result<bool, StoreError>) {
        let (ending, handler) = slow_handler(handling, Arc::default());
        let worker = Worker::new(inbox, platnova(), handler).with_lease(Duration::from_millis(300));
        let started = Instant::now();
        let answer = worker.run_once().await;
        let ending = *ending.lock().unwrap();
        (ending, started.elapsed(), answer)
    }

    /// Stopping lets the row in hand finish: its handler runs to its end and its outcome is
    /// recorded, rather than being cut off and handled again after its lease.
    #[tokio::test]
    async fn stopping_finishes_the_row_in_hand() {
        let inbox = OneRowAlwaysDue::renewing(Renewal::Granted);
        let started = Arc::new(tokio::sync::Notify::new());
        let (ending, handler) = slow_handler(Duration::from_millis(300), Arc::clone(&started));
        let worker = Worker::new(inbox.clone(), platnova(), handler);
        worker.run(async move { started.notified().await }).await;
        assert_eq!(*ending.lock().unwrap(), "finished");
        assert_eq!(inbox.outcomes(), [Outcome::Handled], "and no row after it");
    }

    #[tokio::test]
    async fn a_handler_slower_than_its_lease_keeps_its_row() {
        let inbox = OneRowAlwaysDue::renewing(Renewal::Granted);
        let (ending, _, answer) = handle_slowly(inbox.clone(), Duration::from_secs(1)).await;
        assert_eq!(ending, "finished");
        assert!(answer.unwrap());
        assert_eq!(inbox.outcomes(), [Outcome::Handled]);
        // Leases of 300 ms cover one second only with three renewals at least.
        let asked = inbox.renewals_asked.load(Ordering::SeqCst);
        assert!(asked >= 3, "{asked} renewals");
    }

    /// The row's lease ran out and another worker took it: this one stops, and records nothing
    /// (the row's outcome is the other worker's).
    #[tokio::test]
    async fn a_row_another_worker_took_is_let_go() {
        let inbox = OneRowAlwaysDue::renewing(Renewal::Refused);
        let (ending, took, answer) = handle_slowly(inbox.clone(), Duration::from_secs(10)).await;
        assert_eq!(ending, "dropped");
        assert!(took < Duration::from_secs(2), "{took:?}");
        assert!(answer.unwrap());
        assert_eq!(inbox.outcomes(), []);
    }

    /// Past the lease another worker may hold the row: the handling stops there.
    #[tokio::test]
    async fn a_lease_the_store_cannot_renew_ends_the_handling_with_it() {
        let inbox = OneRowAlwaysDue::renewing(Renewal::Failing);
        let (ending, took, answer) = handle_slowly(inbox.clone(), Duration::from_secs(10)).await;
        assert_eq!(ending, "dropped");
        assert!(
            took >= Duration::from_millis(300) && took < Duration::from_secs(2),
            "{took:?}"
        );
        assert_eq!(
            answer.unwrap_err().to_string(),
            "the store did not answer: connection refused"
        );
        assert_eq!(inbox.outcomes(), []);
        assert!(
            inbox.renewals_asked.load(Ordering::SeqCst) >= 2,
            "asked again"
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
}
