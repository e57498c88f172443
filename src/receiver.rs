//! A provider configured for a web framework: the body limit, and what a refused request is
//! answered with. The framework extractors are thin layers over [`Receiver::receive`].

use std::fmt;
use std::sync::Arc;

use http::StatusCode;
use http::header::CONTENT_LENGTH;

use crate::replay::{ReplayGuard, Sighting, StoreError, WhenStoreFails};
use crate::{Delivery, Error, ErrorKind, Headers, Provider};

/// A provider with the limits a receiving endpoint needs. Cheap to clone: the provider is shared.
///
/// ```
/// use hookproof::{ErrorKind, Receiver, Secret, platnova::Platnova};
///
/// let receiver = Receiver::new(Platnova::new(Secret::new("s3cret")?)).with_body_limit(64 * 1024);
/// let err = receiver.receive(&[("X-WEBHOOK-SECRET", "s3cret")], &[b' '; 65 * 1024]).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::BodyTooLarge);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Receiver<P> {
    provider: Arc<P>,
    body_limit: usize,
    replay: Option<Replay>,
}

#[derive(Clone)]
struct Replay {
    guard: Arc<dyn ReplayGuard>,
    when_store_fails: WhenStoreFails,
}

impl<P: Provider> Receiver<P> {
    /// The largest body accepted unless [`with_body_limit`](Self::with_body_limit) says
    /// otherwise: 1 MiB, far above any documented webhook.
    pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

    /// Receives with `provider`, bodies up to [`DEFAULT_BODY_LIMIT`](Self::DEFAULT_BODY_LIMIT).
    pub fn new(provider: P) -> Self {
        Self {
            provider: Arc::new(provider),
            body_limit: Self::DEFAULT_BODY_LIMIT,
            replay: None,
        }
    }

    /// Refuses bodies longer than `bytes` ([`BodyTooLarge`](ErrorKind::BodyTooLarge), 413).
    #[must_use]
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Acknowledges a notification whose idempotency key `guard` has seen, without handing it
    /// on ([`Rejection::Duplicate`], answered 200). Keys are recorded as `provider:key`. A
    /// notification without an idempotency key (an unknown event type, for most providers) always
    /// passes. `when_store_fails` decides what happens when the guard cannot answer.
    #[must_use]
    pub fn with_replay_guard(
        mut self,
        guard: impl ReplayGuard + 'static,
        when_store_fails: WhenStoreFails,
    ) -> Self {
        self.replay = Some(Replay {
            guard: Arc::new(guard),
            when_store_fails,
        });
        self
    }

    /// The largest body accepted, in bytes.
    pub fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// The provider.
    pub fn provider(&self) -> &P {
        &self.provider
    }

    /// Verifies and parses a request whose body has been read whole.
    pub fn receive<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<P::Notification, Error> {
        if body.len() > self.body_limit {
            return Err(Error::body_too_large(self.body_limit));
        }
        self.provider.verify_and_parse(headers, body)
    }

    /// [`receive`](Self::receive), then the replay guard, if there is one: what the extractors
    /// call once they have read the body.
    pub async fn accept<H: Headers + Sync + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<P::Notification, Rejection> {
        let notification = self.receive(headers, body)?;
        let (Some(replay), Some(key)) = (&self.replay, guard_key::<P>(&notification)) else {
            return Ok(notification);
        };
        match replay.guard.check(&key).await {
            Ok(Sighting::First) => Ok(notification),
            Ok(Sighting::Repeat) => Err(Rejection::Duplicate),
            Err(_) if replay.when_store_fails == WhenStoreFails::Accept => Ok(notification),
            Err(error) => Err(Rejection::StoreUnavailable(error)),
        }
    }

    /// Lets the provider's next retry of `notification` through again: call it when handling a
    /// notification the guard recorded failed. Does nothing without a guard.
    pub async fn release(&self, notification: &P::Notification) -> Result<(), StoreError> {
        match (&self.replay, guard_key::<P>(notification)) {
            (Some(replay), Some(key)) => replay.guard.forget(&key).await,
            _ => Ok(()),
        }
    }

    /// Refuses a request before reading its body when its `Content-Length` already exceeds the
    /// limit. A smaller `Content-Length` proves nothing: the body is still read under the limit.
    pub fn check_declared_length<H: Headers + ?Sized>(&self, headers: &H) -> Result<(), Error> {
        let declared = headers
            .optional(&CONTENT_LENGTH)?
            .and_then(|length| length.parse::<u64>().ok());
        match declared {
            Some(length) if length > self.body_limit as u64 => {
                Err(Error::body_too_large(self.body_limit))
            }
            _ => Ok(()),
        }
    }
}

/// The key a notification is recorded under: the provider's name and its idempotency key.
fn guard_key<P: Provider>(notification: &P::Notification) -> Option<String> {
    let key = notification.idempotency_key()?;
    Some(format!("{}:{key}", P::NAME))
}

impl<P> Clone for Receiver<P> {
    fn clone(&self) -> Self {
        Self {
            provider: Arc::clone(&self.provider),
            body_limit: self.body_limit,
            replay: self.replay.clone(),
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for Receiver<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("provider", &self.provider)
            .field("body_limit", &self.body_limit)
            .field(
                "replay_guard",
                &self.replay.as_ref().map(|r| r.when_store_fails),
            )
            .finish()
    }
}

/// Why an extractor refused a request. The response carries the status and a short fixed body
/// ([`reason`](Rejection::reason)); log [`Display`](fmt::Display) for the details.
#[derive(Debug)]
#[non_exhaustive]
pub enum Rejection {
    /// Verification or parsing failed; the status follows the [`ErrorKind`].
    Invalid(Error),
    /// The body could not be read to its end (the connection failed). Status 400.
    BodyUnreadable,
    /// The notification verified, but its idempotency key was seen already: a retry or a replay.
    /// Answered **200**, so the provider stops retrying, without calling the handler.
    Duplicate,
    /// The replay store could not answer and the receiver was set to
    /// [`WhenStoreFails::Refuse`]. Status 503, so that the provider retries later.
    StoreUnavailable(StoreError),
    /// No [`Receiver`] for the provider is registered with the framework: a setup mistake.
    /// Status 500.
    NotConfigured {
        /// The provider's name.
        provider: &'static str,
    },
}

impl Rejection {
    /// The status to answer with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Invalid(error) => error.status(),
            Self::BodyUnreadable => StatusCode::BAD_REQUEST,
            Self::Duplicate => StatusCode::OK,
            Self::StoreUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::NotConfigured { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The response body: a fixed phrase that says nothing about secrets or the request.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Invalid(error) => error.kind().reason(),
            Self::BodyUnreadable => "unreadable body",
            Self::Duplicate => "already received",
            Self::StoreUnavailable(_) => "temporarily unavailable",
            Self::NotConfigured { .. } => "webhook receiver not configured",
        }
    }

    /// The verification or parsing error, if that is what this is.
    pub fn error(&self) -> Option<&Error> {
        match self {
            Self::Invalid(error) => Some(error),
            _ => None,
        }
    }

    /// The error's kind, if this is a verification or parsing error.
    pub fn kind(&self) -> Option<ErrorKind> {
        self.error().map(Error::kind)
    }
}

impl From<Error> for Rejection {
    fn from(error: Error) -> Self {
        Self::Invalid(error)
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid(error) => error.fmt(f),
            Self::BodyUnreadable => f.write_str("the request body could not be read"),
            Self::Duplicate => f.write_str("the notification was received before"),
            Self::StoreUnavailable(error) => error.fmt(f),
            Self::NotConfigured { provider } => write!(
                f,
                "no webhook receiver for `{provider}` is registered with the framework"
            ),
        }
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Invalid(error) => Some(error),
            Self::StoreUnavailable(error) => Some(error),
            _ => None,
        }
    }
}
