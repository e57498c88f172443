//! What receiving a request with a store comes to.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;

use super::lease::Lease;
use crate::secret::KeyId;

/// What a receiver knows about a delivery besides its notification: whose it is, which key
/// verified it, and whether the store guarded it.
#[derive(Clone, PartialEq, Eq)]
pub struct Receipt {
    pub(crate) provider: &'static str,
    pub(crate) tenant: Arc<str>,
    pub(crate) key_id: KeyId,
    pub(crate) guarded: bool,
    pub(crate) taken_over: bool,
}

impl Receipt {
    /// The provider's name (`platnova`, …).
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// Whose webhook this is, as the receiver maps key ids to tenants (empty when it does not).
    pub fn tenant(&self) -> &str {
        &self.tenant
    }

    /// The id of the key that verified the request.
    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// Whether a store guarded this delivery against a duplicate. `false` when the receiver has
    /// no store, or when its store could not answer and the receiver was set to
    /// [`WhenStoreFails::Accept`](super::WhenStoreFails::Accept): then a retry of it may be
    /// handled twice.
    pub fn guarded(&self) -> bool {
        self.guarded
    }

    /// Whether a claim on this delivery had been held by an earlier attempt whose lease ran out
    /// (a process that crashed mid-way, most likely).
    pub fn taken_over(&self) -> bool {
        self.taken_over
    }
}

impl fmt::Debug for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receipt")
            .field("provider", &self.provider)
            .field("tenant", &self.tenant)
            .field("key_id", &self.key_id)
            .field("guarded", &self.guarded)
            .field("taken_over", &self.taken_over)
            .finish()
    }
}

/// What a verified request comes to once its keys are claimed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Reception<N> {
    /// New (or given up before): handle it, then [`complete`](Lease::complete) the lease on
    /// success. A batch carries only its items not handled before.
    New(Claimed<N>),
    /// Handled before (or, with an inbox, stored before): acknowledge it (200) without
    /// handling it again.
    Duplicate(Receipt),
    /// Stored durably in the receiver's inbox, to be handled by its workers: acknowledge it
    /// (200).
    Stored(Receipt),
    /// Another attempt is handling it now: answer a retryable status (409 with `Retry-After`);
    /// never 200, since that attempt may still fail.
    InProgress {
        /// Whose delivery it is.
        receipt: Receipt,
        /// When to suggest the provider try again.
        retry_after: Duration,
    },
}

impl<N> Reception<N> {
    /// What to answer without running a handler: 200 `already received` for a duplicate, 200
    /// `stored` for a delivery now in the inbox, 409 with `Retry-After` for one in progress;
    /// `None` for a new delivery. What both framework
    /// integrations answer, for any other framework to answer the same.
    pub fn answer(&self) -> Option<Answer> {
        match self {
            Self::New(_) => None,
            Self::Duplicate(_) => Some(Answer {
                status: StatusCode::OK,
                body: "already received",
                retry_after: None,
            }),
            Self::Stored(_) => Some(Answer {
                status: StatusCode::OK,
                body: "stored",
                retry_after: None,
            }),
            Self::InProgress { retry_after, .. } => Some(Answer {
                status: StatusCode::CONFLICT,
                body: "already being handled; retry later",
                retry_after: Some(retry_after.as_secs().max(1)),
            }),
        }
    }
}

/// A fixed answer to a delivery that is not handled now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The body: a fixed phrase.
    pub body: &'static str,
    /// Seconds for a `Retry-After` header, when the provider should come back.
    pub retry_after: Option<u64>,
}

/// A new delivery, with the claims to complete once it is handled.
#[derive(Debug)]
pub struct Claimed<N> {
    /// The verified notification (for a batch, its items not handled before).
    pub notification: N,
    /// Whose it is, and whether a store guards it.
    pub receipt: Receipt,
    /// The claims on its keys.
    pub lease: Lease,
}
