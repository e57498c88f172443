//! Telling a retry or a replayed request from a new event.
//!
//! Providers deliver at least once (Platnova retries up to five times) and most of their schemes
//! carry no timestamp, so a captured request stays valid. A [`ReplayGuard`] remembers the
//! idempotency keys of accepted notifications for a while and answers, atomically, whether a key
//! is new: of two deliveries of the same event processed at the same moment, exactly one is
//! [`Sighting::First`]. Give one to a [`Receiver`](crate::Receiver) with
//! [`with_replay_guard`](crate::Receiver::with_replay_guard) and the extractors acknowledge a
//! repeat without calling the handler.
//!
//! Two stores: [`MemoryGuard`] for a single process, and `RedisGuard` (feature `redis`) for
//! receivers running as several instances.

mod memory;
#[cfg(feature = "redis")]
mod redis;

pub use memory::MemoryGuard;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis::RedisGuard;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A future a [`ReplayGuard`] returns.
pub type GuardFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Whether a key was seen before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sighting {
    /// Not seen within the time to live; now recorded.
    First,
    /// Already recorded: a retry, or a replay.
    Repeat,
}

/// A store of recently seen idempotency keys.
pub trait ReplayGuard: Send + Sync {
    /// Records `key` unless it is recorded already, and says which it was. Atomic: of concurrent
    /// calls with the same key, exactly one gets [`Sighting::First`].
    fn check<'a>(&'a self, key: &'a str) -> GuardFuture<'a, Sighting>;

    /// Forgets `key`, so that the provider's next retry is let through: call it when handling a
    /// notification failed after the guard recorded it.
    fn forget<'a>(&'a self, key: &'a str) -> GuardFuture<'a, ()>;
}

/// What a receiver does when its replay store cannot answer.
///
/// [`Accept`](Self::Accept) (fail open) keeps receiving while the store is down, at the price of
/// letting duplicates through to handlers that must then be idempotent themselves.
/// [`Refuse`](Self::Refuse) (fail closed) answers 503 so that the provider retries later: no
/// duplicate gets through, but nothing does until the store is back, and a provider that gives
/// up after a few retries (Platnova: five) may drop events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenStoreFails {
    /// Let the request through as if the key were new.
    Accept,
    /// Refuse the request with 503 Service Unavailable.
    Refuse,
}

/// The replay store could not answer (Redis unreachable, for instance).
#[derive(Debug)]
pub struct StoreError(Box<dyn std::error::Error + Send + Sync>);

impl StoreError {
    /// Wraps the store's own error.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self(error.into())
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the replay store did not answer: {}", self.0)
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}
