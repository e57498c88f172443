//! Keys that tell a retried delivery from a new event.

use std::fmt;

/// What identifies one event across retries, as each provider's documentation or the spec's
/// decisions define it (for Platnova, the event type and the transaction reference).
///
/// Compare keys from the same provider only; pair with the provider's name when storing keys of
/// several providers together.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub(crate) fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
