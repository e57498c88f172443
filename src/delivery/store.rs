//! Where delivery claims live: the interface every store implements.
//!
//! A delivery's key goes through three states. **Claimed**: someone is handling it, until its
//! lease runs out. **Done**: it was handled, and stays so for the retention time. **Free**:
//! never seen, given up, or expired. Claiming is atomic: of two attempts at one key, exactly
//! one gets the claim; only the holder of a claim's token can complete it or give it up, so a
//! claim taken over after its lease ran out cannot be completed by the attempt that lost it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A future a store returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key was free (or its claim's lease had run out): it is now claimed by `token`.
    Claimed {
        /// What proves the claim is ours when completing or giving it up.
        token: ClaimToken,
        /// Whether the key was claimed before by an attempt whose lease ran out (a crashed
        /// process, most likely).
        taken_over: bool,
    },
    /// Another attempt holds the claim and its lease has not run out: answer "try later".
    InProgress,
    /// The key was handled: acknowledge without handling it again.
    Done,
}

/// Proof of holding a claim: unique among every claim a store hands out.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClaimToken(pub(crate) String);

impl ClaimToken {
    /// A token from a store's own unique text.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClaimToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClaimToken({})", self.0)
    }
}

/// A store of delivery claims: in memory, Redis (feature `redis`) or PostgreSQL (feature
/// `postgres`), or your own.
///
/// Every method is atomic per key. `complete` and `release` change a key only while `token`
/// still holds its claim, and say whether it did.
pub trait IdempotencyStore: Send + Sync {
    /// Claims `key` for `lease` unless another attempt holds a live claim on it or it was
    /// handled within the retention time.
    fn claim<'a>(&'a self, key: &'a str, lease: Duration) -> StoreFuture<'a, Claim>;

    /// Marks `key` handled for `retention`, if `token` still holds its claim.
    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a ClaimToken,
        retention: Duration,
    ) -> StoreFuture<'a, bool>;

    /// Frees `key` at once, if `token` still holds its claim, so that the next retry is handled.
    fn release<'a>(&'a self, key: &'a str, token: &'a ClaimToken) -> StoreFuture<'a, bool>;

    /// Runs `work` (a completion or a release) without waiting for it: from a destructor, or
    /// after the response has been sent. Stores that answer at once run it now; stores on a
    /// network spawn it on the current runtime.
    fn detach(&self, work: StoreFuture<'static, bool>);
}

/// What a receiver does when its store cannot answer.
///
/// [`Refuse`](Self::Refuse) (fail closed, the default) answers 503 so that the provider retries
/// later: no duplicate gets through, but nothing does until the store is back, and a provider
/// that gives up after a few retries (Platnova: five) may drop events.
/// [`Accept`](Self::Accept) (fail open) keeps receiving while the store is down: the delivery
/// is handled unguarded, marked as such ([`Receipt::guarded`](crate::Receipt::guarded)) and
/// logged, and a retry may then be handled twice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum WhenStoreFails {
    /// Handle the delivery without a claim.
    Accept,
    /// Refuse the delivery with 503 Service Unavailable.
    #[default]
    Refuse,
}

/// A store could not answer (unreachable, timed out, or it answered nonsense).
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
        // Shared by the claim stores and the inboxes: it names neither.
        write!(f, "the store did not answer: {}", self.0)
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// Runs a future that is ready at once (a memory store's), without a runtime.
pub(crate) fn run_ready<T>(mut work: StoreFuture<'_, T>) -> Option<Result<T, StoreError>> {
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match work.as_mut().poll(&mut context) {
        std::task::Poll::Ready(result) => Some(result),
        std::task::Poll::Pending => None,
    }
}

/// A random claim token: 128 bits from the operating system, for stores shared by processes.
#[cfg(any(feature = "redis", feature = "postgres"))]
pub(crate) fn new_token() -> Result<ClaimToken, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| StoreError::new(error.to_string()))?;
    Ok(ClaimToken(hex::encode(bytes)))
}

/// Spawns `work` on the current tokio runtime, if there is one; a release that cannot run is
/// not lost, only late: the claim's lease runs out.
#[cfg(any(feature = "redis", feature = "postgres"))]
pub(crate) fn spawn_on_runtime(work: StoreFuture<'static, bool>) {
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => {
            runtime.spawn(async move {
                if let Err(error) = work.await {
                    crate::delivery::observe::detached_failed(&error);
                }
            });
        }
        Err(_) => crate::delivery::observe::no_runtime(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_error_names_no_kind_of_store_it_may_not_be() {
        let error = StoreError::new("connection refused");
        assert_eq!(
            error.to_string(),
            "the store did not answer: connection refused"
        );
    }
}
