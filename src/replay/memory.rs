//! Recently seen keys, in this process's memory.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::{GuardFuture, ReplayGuard, Sighting};

/// Keys seen in the last `ttl`, at most `capacity` of them, for a receiver running as one
/// process.
///
/// A check costs O(1) (amortized): keys expire in the order they were recorded, so expired ones
/// are dropped from the front of a queue. When full, the oldest key is dropped early: a repeat
/// of it would then pass as new, so size the capacity above the number of events expected within
/// the time to live.
///
/// ```
/// use std::time::Duration;
/// use hookproof::replay::{MemoryGuard, ReplayGuard, Sighting};
///
/// # async fn demo() -> Result<(), hookproof::replay::StoreError> {
/// let guard = MemoryGuard::new(Duration::from_secs(24 * 3600), 100_000);
/// assert_eq!(guard.check("platnova:card.charged:TXN1").await?, Sighting::First);
/// assert_eq!(guard.check("platnova:card.charged:TXN1").await?, Sighting::Repeat);
/// # Ok(()) }
/// # tokio::runtime::Runtime::new().unwrap().block_on(demo()).unwrap();
/// ```
#[derive(Debug)]
pub struct MemoryGuard {
    ttl: Duration,
    capacity: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Each recorded key and when it expires.
    expiries: HashMap<Arc<str>, Instant>,
    /// Keys in the order recorded (so in expiry order); an entry whose expiry no longer matches
    /// the map's (the key was forgotten, or recorded again) is stale and skipped.
    order: VecDeque<(Instant, Arc<str>)>,
}

impl MemoryGuard {
    /// Remembers up to `capacity` keys (at least one) for `ttl` each.
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity: capacity.max(1),
            state: Mutex::default(),
        }
    }

    /// How many keys are remembered now.
    pub fn len(&self) -> usize {
        self.lock().expiries.len()
    }

    /// Whether no key is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic elsewhere cannot leave the maps half-updated in a way that matters here.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn record(&self, key: &str) -> Sighting {
        let now = Instant::now();
        let mut state = self.lock();
        state.drop_expired(now);
        if state.expiries.get(key).is_some_and(|expiry| *expiry > now) {
            return Sighting::Repeat;
        }
        while state.expiries.len() >= self.capacity && state.pop_oldest() {}
        let expiry = now + self.ttl;
        let key: Arc<str> = Arc::from(key);
        state.expiries.insert(Arc::clone(&key), expiry);
        state.order.push_back((expiry, key));
        if state.order.len() > 2 * self.capacity {
            state.drop_stale();
        }
        Sighting::First
    }
}

impl State {
    fn drop_expired(&mut self, now: Instant) {
        while self.order.front().is_some_and(|(expiry, _)| *expiry <= now) {
            self.pop_oldest();
        }
    }

    /// Pops the oldest queue entry and forgets its key unless the entry is stale; false when
    /// the queue is empty. Every remembered key has an entry, so popping until the map is small
    /// enough always ends.
    fn pop_oldest(&mut self) -> bool {
        let Some((expiry, key)) = self.order.pop_front() else {
            return false;
        };
        if self.expiries.get(&key) == Some(&expiry) {
            self.expiries.remove(&key);
        }
        true
    }

    fn drop_stale(&mut self) {
        let expiries = &self.expiries;
        self.order
            .retain(|(expiry, key)| expiries.get(key) == Some(expiry));
    }
}

impl ReplayGuard for MemoryGuard {
    fn check<'a>(&'a self, key: &'a str) -> GuardFuture<'a, Sighting> {
        Box::pin(std::future::ready(Ok(self.record(key))))
    }

    fn forget<'a>(&'a self, key: &'a str) -> GuardFuture<'a, ()> {
        self.lock().expiries.remove(key);
        Box::pin(std::future::ready(Ok(())))
    }
}
