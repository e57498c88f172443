//! Delivery claims in this process's memory.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::store::{Claim, ClaimToken, IdempotencyStore, StoreFuture, run_ready};

/// Claims and handled keys for a receiver running as one process: cheap to clone (clones share
/// the same keys), so one store serves every receiver of an application.
///
/// At most `capacity` keys are kept; when full, the oldest handled key goes first (a repeat of
/// it would then be handled again), so size it above the deliveries expected within the
/// retention time. Claims in progress are never evicted. Each operation is O(1) amortized.
///
/// ```
/// use std::time::Duration;
/// use hookproof::delivery::{Claim, IdempotencyStore, MemoryStore};
///
/// # async fn demo() -> Result<(), hookproof::delivery::StoreError> {
/// let store = MemoryStore::new(100_000);
/// let Claim::Claimed { token, .. } = store.claim("platnova:0::card.charged:T1", Duration::from_secs(60)).await? else {
///     unreachable!()
/// };
/// assert_eq!(store.claim("platnova:0::card.charged:T1", Duration::from_secs(60)).await?, Claim::InProgress);
/// assert!(store.complete("platnova:0::card.charged:T1", &token, Duration::from_secs(3600)).await?);
/// assert_eq!(store.claim("platnova:0::card.charged:T1", Duration::from_secs(60)).await?, Claim::Done);
/// # Ok(()) }
/// # pollster::block_on(demo()).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct MemoryStore {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    capacity: usize,
    next_token: AtomicU64,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    entries: HashMap<Arc<str>, Entry>,
    /// Keys in the order they were last written, with the expiry written then; an entry whose
    /// expiry no longer matches is stale and skipped.
    order: VecDeque<(Instant, Arc<str>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    until: Instant,
    /// `Some` while claimed, with the holder's token; `None` once handled.
    claimed_by: Option<u64>,
}

impl MemoryStore {
    /// Keeps up to `capacity` keys (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            shared: Arc::new(Shared {
                capacity: capacity.max(1),
                next_token: AtomicU64::new(1),
                state: Mutex::default(),
            }),
        }
    }

    /// How many keys are kept now, claimed or handled.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    /// Whether no key is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the map half-updated in a way that matters here.
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn claim_now(&self, key: &str, lease: Duration) -> Claim {
        let now = Instant::now();
        let mut state = self.lock();
        state.drop_expired(now);
        let taken_over = match state.entries.get(key) {
            Some(entry) if entry.until > now => {
                return match entry.claimed_by {
                    Some(_) => Claim::InProgress,
                    None => Claim::Done,
                };
            }
            // Expired, but not yet swept: only a claim can be, since handled keys at the front
            // went in `drop_expired`.
            Some(entry) => entry.claimed_by.is_some(),
            None => false,
        };
        while state.entries.len() >= self.shared.capacity && state.pop_oldest_handled() {}
        let token = self.shared.next_token.fetch_add(1, Ordering::Relaxed);
        state.write(key, now + lease, Some(token));
        Claim::Claimed {
            token: ClaimToken(token.to_string()),
            taken_over,
        }
    }

    /// Applies `change` to `key`'s entry if `token` holds its live claim.
    fn if_held(
        &self,
        key: &str,
        token: &ClaimToken,
        change: impl FnOnce(&mut State, Instant),
    ) -> bool {
        let now = Instant::now();
        let mut state = self.lock();
        let held = state.entries.get(key).is_some_and(|entry| {
            entry.until > now
                && entry
                    .claimed_by
                    .is_some_and(|holder| holder.to_string() == token.0)
        });
        if held {
            change(&mut state, now);
        }
        held
    }
}

impl State {
    fn write(&mut self, key: &str, until: Instant, claimed_by: Option<u64>) {
        let key: Arc<str> = Arc::from(key);
        self.entries
            .insert(Arc::clone(&key), Entry { until, claimed_by });
        self.order.push_back((until, key));
        if self.order.len() > 2 * self.entries.len() + 64 {
            let entries = &self.entries;
            self.order
                .retain(|(until, key)| entries.get(key).is_some_and(|entry| entry.until == *until));
        }
    }

    /// Forgets keys whose time is up, oldest first. An expired claim goes too: its holder is
    /// gone or too slow, and the key is free again.
    fn drop_expired(&mut self, now: Instant) {
        while let Some((until, key)) = self.order.front() {
            if *until > now {
                break;
            }
            if self
                .entries
                .get(key)
                .is_some_and(|entry| entry.until == *until)
            {
                self.entries.remove(key);
            }
            self.order.pop_front();
        }
    }

    /// Forgets the handled key written longest ago; false when every kept key is a live claim.
    fn pop_oldest_handled(&mut self) -> bool {
        let mut claims = Vec::new();
        let mut forgot = false;
        while let Some((until, key)) = self.order.pop_front() {
            match self.entries.get(&key) {
                Some(entry) if entry.until == until && entry.claimed_by.is_none() => {
                    self.entries.remove(&key);
                    forgot = true;
                    break;
                }
                Some(entry) if entry.until == until => claims.push((until, key)),
                _ => {} // Stale: the key was written again, or forgotten.
            }
        }
        for claim in claims.into_iter().rev() {
            self.order.push_front(claim);
        }
        forgot
    }
}

impl IdempotencyStore for MemoryStore {
    fn claim<'a>(&'a self, key: &'a str, lease: Duration) -> StoreFuture<'a, Claim> {
        Box::pin(std::future::ready(Ok(self.claim_now(key, lease))))
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
        retention: Duration,
    ) -> StoreFuture<'a, bool> {
        let done = self.if_held(key, token, |state, now| {
            state.write(key, now + retention, None)
        });
        Box::pin(std::future::ready(Ok(done)))
    }

    fn release<'a>(&'a self, key: &'a str, token: &'a ClaimToken) -> StoreFuture<'a, bool> {
        let released = self.if_held(key, token, |state, _| {
            state.entries.remove(key);
        });
        Box::pin(std::future::ready(Ok(released)))
    }

    fn detach(&self, work: StoreFuture<'static, bool>) {
        let _ = run_ready(work);
    }
}
