//! Signed requests and the providers' documented sample payloads, for testing webhook handlers.
//!
//! Every provider's module offers the same call: `signed_request(&provider, body)` signs `body`
//! as the provider's sender would for a receiver configured like `provider`, and returns a
//! [`SignedRequest`] (or an error, when the body cannot carry a signature, such as a Cedar body
//! without the signed fields).
//!
//! ```
//! use hookproof::platnova::Platnova;
//! use hookproof::testing::platnova::{sample, signed_request};
//! use hookproof::{Provider, Secret};
//!
//! let platnova = Platnova::new(Secret::new("test-secret")?);
//! let request = signed_request(&platnova, sample("card.charged").unwrap().body)?;
//! let notification = platnova.verify_and_parse(&request.headers, &request.body)?;
//! assert_eq!(notification.event_type(), "card.charged");
//!
//! // The same request as an `http::Request`, for a framework's test client (its body works
//! // with axum's `Router::oneshot` as it is).
//! let http_request = request.into_http("/webhooks/platnova")?;
//! assert_eq!(http_request.method(), "POST");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod cedar;
pub mod generic;
pub mod inplayer;
pub mod platfone;
pub mod platnova;
pub mod voximplant;

mod sign;

use bytes::Bytes;
use http_body_util::Full;

pub use sign::{Sign, signed_request};

/// A webhook request as the provider would send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// The headers, including the signature (or secret) and the content type.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl SignedRequest {
    /// `headers`, then `content_type`, and `body`.
    pub(crate) fn new(
        content_type: &str,
        mut headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Self {
        headers.push(("content-type".to_owned(), content_type.to_owned()));
        Self { headers, body }
    }

    /// The request as a `POST` to `uri`, with a body any `http` framework's test client takes
    /// (axum's `Router::oneshot` as it is).
    pub fn into_http(self, uri: &str) -> Result<http::Request<Full<Bytes>>, http::Error> {
        let builder = http::Request::post(uri);
        let builder = self.headers.iter().fold(builder, |builder, (name, value)| {
            builder.header(name, value)
        });
        builder.body(Full::new(Bytes::from(self.body)))
    }

    /// A POSIX-shell `curl` command that sends the request to `url` byte for byte (a body that
    /// is not UTF-8 is shown lossily: sign text bodies for it).
    pub fn to_curl(&self, url: &str) -> String {
        let quote = |text: &str| format!("'{}'", text.replace('\'', r"'\''"));
        let mut command = format!("curl -s -X POST {}", quote(url));
        for (name, value) in &self.headers {
            command.push_str(&format!(" \\\n  -H {}", quote(&format!("{name}: {value}"))));
        }
        let body = String::from_utf8_lossy(&self.body);
        command.push_str(&format!(" \\\n  --data-binary {}", quote(&body)));
        command
    }

    /// The request with one more header, such as Cedar's `X-Webhook-Request-UUID`.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The same headers with another body: a tampered request, for rejection tests.
    #[must_use]
    pub fn with_body(self, body: impl Into<Vec<u8>>) -> Self {
        Self {
            body: body.into(),
            ..self
        }
    }
}

/// A provider's example payload for one event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Sample {
    /// The event type.
    pub event_type: &'static str,
    /// The body as the provider sends it.
    pub body: &'static str,
    /// Where the sample comes from.
    pub origin: Origin,
}

/// Where a [`Sample`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// The provider's documentation shows it.
    Documented,
    /// The provider documents the event type by name only; the sample is assembled from the
    /// fields its documentation gives for events of the same kind.
    Assembled,
}

/// Declares a provider's samples, read from `samples/<provider>/<event type>.<extension>`.
macro_rules! samples {
    ($provider:literal, $extension:literal; $($origin:ident $event_type:literal),+ $(,)?) => {
        &[$(
            $crate::testing::Sample {
                event_type: $event_type,
                body: include_str!(concat!("samples/", $provider, "/", $event_type, ".", $extension)),
                origin: $crate::testing::Origin::$origin,
            },
        )+]
    };
}
use samples;

/// The sample for `event_type` in `samples`.
fn find(samples: &'static [Sample], event_type: &str) -> Option<&'static Sample> {
    samples
        .iter()
        .find(|sample| sample.event_type == event_type)
}
