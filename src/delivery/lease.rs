//! A delivery being handled: its claims, and what ends them.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::observe;
use super::store::{ClaimToken, IdempotencyStore, StoreError};

/// The claims a delivery holds while it is handled. [`complete`](Self::complete) it when the
/// handling succeeded; on any other way out (an error, a panic, a cancelled request) it gives
/// its claims up, so the provider's next retry is handled. Dropped without either, it gives
/// them up too.
#[must_use = "a lease dropped unused gives its claims up: complete it once the delivery is handled"]
pub struct Lease {
    store: Option<Arc<dyn IdempotencyStore>>,
    claims: Vec<(String, ClaimToken)>,
    retention: Duration,
}

impl Lease {
    pub(crate) fn new(store: Arc<dyn IdempotencyStore>, retention: Duration) -> Self {
        Self {
            store: Some(store),
            claims: Vec::new(),
            retention,
        }
    }

    /// A lease on nothing: the receiver has no store, or the delivery has no key.
    pub(crate) fn unguarded() -> Self {
        Self {
            store: None,
            claims: Vec::new(),
            retention: Duration::ZERO,
        }
    }

    pub(crate) fn hold(&mut self, key: String, token: ClaimToken) {
        self.claims.push((key, token));
    }

    /// How many keys this lease holds (one per item the delivery carries, for those that have
    /// a key).
    pub fn len(&self) -> usize {
        self.claims.len()
    }

    /// Whether the lease holds no claim.
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }

    /// Marks every claimed key handled. Returns how many were still ours: a claim whose lease
    /// ran out may have been taken over by a retry, which then completes it instead.
    pub async fn complete(mut self) -> Result<usize, StoreError> {
        let Some(store) = self.store.take() else {
            return Ok(0);
        };
        let mut owned = 0;
        for (key, token) in std::mem::take(&mut self.claims) {
            if store.complete(&key, &token, self.retention).await? {
                owned += 1;
            } else {
                observe::claim_lost(&key);
            }
        }
        Ok(owned)
    }

    /// Gives every claim up at once, so the provider's next retry is handled.
    pub async fn release(mut self) -> Result<(), StoreError> {
        let Some(store) = self.store.take() else {
            return Ok(());
        };
        for (key, token) in std::mem::take(&mut self.claims) {
            store.release(&key, &token).await?;
        }
        Ok(())
    }

    /// [`release`](Self::release), logging a failure instead of returning it: the claim then
    /// runs out with its lease.
    pub async fn release_or_log(self) {
        if let Err(error) = self.release().await {
            observe::release_failed(&error);
        }
    }

    /// [`complete`](Self::complete) without waiting: what a framework does once the response
    /// is on its way, so that completing adds no store round trip to the response.
    pub fn complete_detached(mut self) {
        let Some(store) = self.store.take() else {
            return;
        };
        for (key, token) in std::mem::take(&mut self.claims) {
            let target = Arc::clone(&store);
            let retention = self.retention;
            store.detach(Box::pin(async move {
                let owned = target.complete(&key, &token, retention).await?;
                if !owned {
                    observe::claim_lost(&key);
                }
                Ok(owned)
            }));
        }
    }

    /// [`release`](Self::release) without waiting: what dropping a lease does.
    pub fn release_detached(mut self) {
        self.release_now_detached();
    }

    fn release_now_detached(&mut self) {
        let Some(store) = self.store.take() else {
            return;
        };
        for (key, token) in std::mem::take(&mut self.claims) {
            let target = Arc::clone(&store);
            store.detach(Box::pin(async move { target.release(&key, &token).await }));
        }
    }
}

impl Drop for Lease {
    /// Gives the claims up: the delivery was not handled (an error, a panic, a cancelled
    /// request), so its retry must be.
    fn drop(&mut self) {
        if !self.claims.is_empty() {
            observe::released_on_drop(self.claims.len());
        }
        self.release_now_detached();
    }
}

impl fmt::Debug for Lease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lease")
            .field("claims", &self.claims.len())
            .field("retention", &self.retention)
            .finish()
    }
}
