//! Verify and parse inbound webhooks.
//!
//! hookproof takes a webhook request exactly as it arrived — headers and raw body bytes — and
//! returns either a verified, typed event or an [`Error`] whose [`kind`](Error::kind) says what
//! was wrong and whose [`status`](Error::status) is the HTTP status to answer with.
//!
//! - **Bytes in, never re-serialized.** Signatures are checked over the bytes received.
//! - **Verification and parsing are separate**, and both are available in one call.
//! - **Fail closed.** Empty secrets are refused when configured; a missing or malformed header,
//!   a missing signed field, a wrong length or encoding are errors, never a skipped check.
//!   Parsing without verification lives only in [`dangerous`].
//! - **Constant time.** Digests are decoded to fixed lengths and compared with `subtle`.
//! - **Secrets never leak.** [`Secret`] prints as `[REDACTED]` and is zeroized on drop; no
//!   error message contains a secret, a digest derived from one, or the body.
//!
//! # Schemes
//!
//! The four verification schemes the supported providers use are public in [`verify`] and work
//! on their own, for providers hookproof does not know yet. A shared secret in a header:
//!
//! ```
//! use hookproof::{Secret, Verifier, verify::SharedSecretHeader};
//! use http::HeaderName;
//!
//! let scheme = SharedSecretHeader::new(
//!     HeaderName::from_static("x-webhook-secret"),
//!     Secret::new("s3cret")?,
//! );
//! let err = scheme.verify(&[("X-Webhook-Secret", "wrong")], b"{}").unwrap_err();
//! assert_eq!(err.status(), 401);
//! assert_eq!(err.to_string(), "the secret in `x-webhook-secret` matches no configured key");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod dangerous;
mod error;
mod headers;
mod json;
mod secret;
mod verified;
pub mod verify;

pub use error::{Error, ErrorKind};
pub use headers::{HeaderLookup, Headers};
pub use secret::{EmptySecret, KeyId, KeyRing, Secret};
pub use verified::{Provenance, Verified};
pub use verify::Verifier;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
