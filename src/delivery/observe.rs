//! One structured event per delivery outcome (feature `tracing`), with the provider, the
//! tenant and the key id, never a secret, a key or body content; without the feature, nothing.
//!
//! Events go to the `hookproof` target: `accepted`, `duplicate` (info, not an error: a retry
//! acknowledged), `in_progress`, `taken_over`, `drifted` (warn), `refused` with the error's kind,
//! `store_failed` with the decision (`bypassed` or `refused`), `released` and `claim_lost`; and
//! for an inbox's rows, with the row's id and attempt: `handled`, `failed` (warn, with the wait
//! before the next attempt), `dead_lettered` (error: it needs someone), `row_lost` (warn: its
//! lease ran out and another worker took it) and `store_failed` (the decision
//! `lease_will_expire`; `none_taken`, without a row, when a worker could not take one at all:
//! a database down, a table never migrated). A handler's error is not logged (it is the
//! application's text, and may hold the body's): the dead letter keeps it.

#[cfg(all(feature = "tracing", any(feature = "sqlite", feature = "postgres")))]
use tracing::error;
#[cfg(feature = "tracing")]
use tracing::{info, warn};

#[cfg(any(feature = "sqlite", feature = "postgres"))]
use std::time::Duration;

use super::reception::Receipt;
use super::store::StoreError;
use crate::error::Error;

#[cfg(feature = "tracing")]
macro_rules! event {
    ($level:ident, $outcome:literal, $receipt:expr $(, $($field:tt)*)?) => {
        $level!(
            target: "hookproof",
            outcome = $outcome,
            provider = $receipt.provider,
            tenant = %$receipt.tenant,
            key_id = %$receipt.key_id,
            guarded = $receipt.guarded,
            $($($field)*)?
        )
    };
}

/// A new delivery goes to the handler.
pub(crate) fn accepted(receipt: &Receipt) {
    #[cfg(feature = "tracing")]
    event!(info, "accepted", receipt);
    #[cfg(not(feature = "tracing"))]
    let _ = receipt;
}

/// A delivery handled before is acknowledged without the handler.
pub(crate) fn duplicate(receipt: &Receipt) {
    #[cfg(feature = "tracing")]
    event!(info, "duplicate", receipt);
    #[cfg(not(feature = "tracing"))]
    let _ = receipt;
}

/// A delivery another attempt is handling is answered "try later".
pub(crate) fn in_progress(receipt: &Receipt) {
    #[cfg(feature = "tracing")]
    event!(info, "in_progress", receipt);
    #[cfg(not(feature = "tracing"))]
    let _ = receipt;
}

/// A claim whose lease ran out was taken over.
pub(crate) fn taken_over(receipt: &Receipt) {
    #[cfg(feature = "tracing")]
    event!(warn, "taken_over", receipt);
    #[cfg(not(feature = "tracing"))]
    let _ = receipt;
}

/// A known event did not fit its model and is delivered as drifted.
pub(crate) fn drifted(receipt: &Receipt, event_type: &str, error: &Error) {
    #[cfg(feature = "tracing")]
    event!(warn, "drifted", receipt, event_type, path = error.json_path().unwrap_or_default(), error = %error);
    #[cfg(not(feature = "tracing"))]
    let _ = (receipt, event_type, error);
}

/// A request was refused before it reached a handler.
pub(crate) fn refused(provider: &'static str, error: &Error) {
    #[cfg(feature = "tracing")]
    info!(target: "hookproof", outcome = "refused", provider, kind = ?error.kind(), status = error.status().as_u16(), error = %error);
    #[cfg(not(feature = "tracing"))]
    let _ = (provider, error);
}

/// A tenant's keys could not be read: the request is refused with 503.
#[cfg(feature = "tenants")]
pub(crate) fn source_failed(provider: &'static str, error: &StoreError) {
    #[cfg(feature = "tracing")]
    warn!(target: "hookproof", outcome = "store_failed", provider, decision = "refused", source = "keys", error = %error);
    #[cfg(not(feature = "tracing"))]
    let _ = (provider, error);
}

/// The store could not answer; `bypassed` says whether the delivery went on unguarded.
pub(crate) fn store_failed(receipt: &Receipt, error: &StoreError, bypassed: bool) {
    #[cfg(feature = "tracing")]
    {
        let decision = if bypassed { "bypassed" } else { "refused" };
        event!(warn, "store_failed", receipt, decision, error = %error);
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (receipt, error, bypassed);
}

/// A lease was dropped with its claims: the delivery was not handled, and they were given up.
pub(crate) fn released_on_drop(claims: usize) {
    #[cfg(feature = "tracing")]
    info!(target: "hookproof", outcome = "released", claims);
    #[cfg(not(feature = "tracing"))]
    let _ = claims;
}

/// Completing found the claim no longer ours: its lease ran out and a retry took it over.
pub(crate) fn claim_lost(key: &str) {
    #[cfg(feature = "tracing")]
    warn!(target: "hookproof", outcome = "claim_lost", key_len = key.len());
    #[cfg(not(feature = "tracing"))]
    let _ = key;
}

/// Giving a claim up failed; its lease will run out.
pub(crate) fn release_failed(error: &StoreError) {
    #[cfg(feature = "tracing")]
    warn!(target: "hookproof", outcome = "store_failed", decision = "lease_will_expire", error = %error);
    #[cfg(not(feature = "tracing"))]
    let _ = error;
}

/// A completion or release run without waiting failed; the claim's lease will run out.
#[cfg(any(feature = "redis", feature = "postgres"))]
pub(crate) fn detached_failed(error: &StoreError) {
    #[cfg(feature = "tracing")]
    warn!(target: "hookproof", outcome = "store_failed", decision = "lease_will_expire", error = %error);
    #[cfg(not(feature = "tracing"))]
    let _ = error;
}

/// A completion or release had no runtime to run on; the claim's lease will run out.
#[cfg(any(feature = "redis", feature = "postgres"))]
pub(crate) fn no_runtime() {
    #[cfg(feature = "tracing")]
    warn!(target: "hookproof", outcome = "store_failed", decision = "lease_will_expire", error = "no tokio runtime to run it on");
}

/// A row of an inbox, as a worker's events name it.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) struct InboxRow {
    pub(crate) provider: &'static str,
    pub(crate) tenant: String,
    pub(crate) key_id: String,
    pub(crate) id: i64,
    pub(crate) attempt: u32,
}

#[cfg(all(feature = "tracing", any(feature = "sqlite", feature = "postgres")))]
macro_rules! row_event {
    ($level:ident, $outcome:literal, $row:expr $(, $($field:tt)*)?) => {
        $level!(
            target: "hookproof",
            outcome = $outcome,
            provider = $row.provider,
            tenant = %$row.tenant,
            key_id = %$row.key_id,
            row = $row.id,
            attempt = $row.attempt,
            $($($field)*)?
        )
    };
}

/// A worker's handler succeeded, and the row is marked handled.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn row_handled(row: &InboxRow) {
    #[cfg(feature = "tracing")]
    row_event!(info, "handled", row);
    #[cfg(not(feature = "tracing"))]
    let _ = row;
}

/// A worker's attempt failed and is recorded: due again in `retry_in`, or dead-lettered.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn row_failed(row: &InboxRow, retry_in: Option<Duration>) {
    #[cfg(feature = "tracing")]
    match retry_in {
        Some(wait) => row_event!(warn, "failed", row, retry_in_ms = wait.as_millis() as u64),
        None => row_event!(error, "dead_lettered", row),
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (row, retry_in);
}

/// The row is no longer this worker's: its lease ran out and another worker took it.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn row_lost(row: &InboxRow) {
    #[cfg(feature = "tracing")]
    row_event!(warn, "row_lost", row);
    #[cfg(not(feature = "tracing"))]
    let _ = row;
}

/// A worker could not purge or take a row: it holds none, and asks again at its next run.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn take_failed(provider: &'static str, error: &StoreError) {
    #[cfg(feature = "tracing")]
    warn!(target: "hookproof", outcome = "store_failed", provider, decision = "none_taken", error = %error);
    #[cfg(not(feature = "tracing"))]
    let _ = (provider, error);
}

/// The store could not renew the row's lease or record its outcome: once the lease runs out,
/// the row is due again.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn row_store_failed(row: &InboxRow, error: &StoreError) {
    #[cfg(feature = "tracing")]
    row_event!(warn, "store_failed", row, decision = "lease_will_expire", error = %error);
    #[cfg(not(feature = "tracing"))]
    let _ = (row, error);
}
