//! Verified events of a known type whose payload does not have the documented shape.
//!
//! Providers change their payloads without notice, and retry a refused delivery until they give
//! up: refusing an authentic event because one field moved would lose it. So a known event that
//! does not fit its model reaches the application as [`Drifted`], carrying what it could not
//! read and the body as received; a provider's `strict()` refuses it instead (422), for
//! development. Nothing about authenticity is softened this way: only
//! [`PayloadData`](crate::ErrorKind::PayloadData) errors of a verified body become drift.

use std::fmt;
use std::sync::Arc;

use crate::error::{Error, ErrorKind};
use crate::verified::Provenance;

/// A verified event of a known type whose payload does not match hookproof's model of it.
///
/// It is neither a typed event nor an unknown one: store it (the raw body is here) and look at
/// [`error`](Self::error) to see which field moved.
#[derive(Clone)]
pub struct Drifted {
    event_type: std::borrow::Cow<'static, str>,
    error: Error,
    body: Arc<[u8]>,
}

impl Drifted {
    pub(crate) fn new(
        event_type: impl Into<std::borrow::Cow<'static, str>>,
        error: Error,
        provenance: &Provenance,
    ) -> Self {
        debug_assert_eq!(error.kind(), ErrorKind::PayloadData);
        Self {
            event_type: event_type.into(),
            error,
            body: provenance.shared_body(),
        }
    }

    /// The event type as sent: one the provider's model knows.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// What did not fit: a [`PayloadData`](ErrorKind::PayloadData) error whose
    /// [`json_path`](Error::json_path) says where.
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// The whole request body exactly as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.body
    }
}

impl fmt::Debug for Drifted {
    /// Shows the body's length, not its content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Drifted")
            .field("event_type", &self.event_type)
            .field("error", &self.error)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// What a provider does with a verified known event that does not fit its model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum DriftPolicy {
    /// Hand it on as [`Drifted`] (the default).
    #[default]
    Deliver,
    /// Refuse it with its [`PayloadData`](ErrorKind::PayloadData) error.
    Refuse,
}

impl DriftPolicy {
    /// `read`'s event, or, when its payload did not fit and the policy allows, the drifted
    /// outcome `drifted` makes of the error (which may still find the body unreadable, and say
    /// why). Errors of any other kind stay errors.
    pub(crate) fn apply<E>(
        self,
        read: Result<E, Error>,
        drifted: impl FnOnce(Error) -> Result<E, Error>,
    ) -> Result<E, Error> {
        match read {
            Err(error) if self == Self::Deliver && error.kind() == ErrorKind::PayloadData => {
                drifted(error)
            }
            other => other,
        }
    }
}
