//! Parsing without verification. Everything here skips the signature check.
//!
//! A provider's `parse` requires a [`Verified`] body, which normally only its `verify` can
//! produce. Use [`assume_verified`] only where the request's authenticity was established some
//! other way — a body you stored after verifying it, a fixture in a test — never on a request
//! that just arrived.

use crate::{KeyId, Verified};

/// The key id a body passed through [`assume_verified`] reports.
pub const UNVERIFIED_KEY_ID: &str = "unverified";

/// Treats `body` as verified without checking anything.
///
/// ```
/// use hookproof::dangerous;
///
/// let stored = br#"{"id":1}"#;
/// let verified = dangerous::assume_verified::<()>(stored);
/// assert_eq!(verified.key_id(), dangerous::UNVERIFIED_KEY_ID);
/// ```
pub fn assume_verified<E: Default>(body: &[u8]) -> Verified<'_, E> {
    Verified::new(body, KeyId::from(UNVERIFIED_KEY_ID), E::default())
}
