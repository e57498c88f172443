//! A provider configured for a web framework: the body limit, and what a refused request is
//! answered with. The framework extractors are thin layers over [`Receiver::receive`].

use std::fmt;
use std::sync::Arc;

use http::StatusCode;
use http::header::CONTENT_LENGTH;

use crate::{Error, ErrorKind, Headers, Provider};

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
        }
    }

    /// Refuses bodies longer than `bytes` ([`BodyTooLarge`](ErrorKind::BodyTooLarge), 413).
    #[must_use]
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
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

impl<P> Clone for Receiver<P> {
    fn clone(&self) -> Self {
        Self {
            provider: Arc::clone(&self.provider),
            body_limit: self.body_limit,
        }
    }
}

impl<P: fmt::Debug> fmt::Debug for Receiver<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("provider", &self.provider)
            .field("body_limit", &self.body_limit)
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
            Self::NotConfigured { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The response body: a fixed phrase that says nothing about secrets or the request.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Invalid(error) => error.kind().reason(),
            Self::BodyUnreadable => "unreadable body",
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
            Self::NotConfigured { provider } => write!(
                f,
                "no webhook receiver for `{provider}` is registered with the framework"
            ),
        }
    }
}

impl std::error::Error for Rejection {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error().map(|error| error as _)
    }
}
