//! Verification schemes, each knowing nothing of any provider.
//!
//! | scheme | used by | what is compared |
//! |---|---|---|
//! | [`SharedSecretHeader`] | Platnova, Platfone (option) | SHA-256 of the header value against SHA-256 of each secret |
//! | [`HmacSha256`] | InPlayer, Platfone (option) | HMAC-SHA256 of the raw body, hex or base64, optional prefix |
//! | [`FieldConcatSha256`] | Cedar | SHA-256 of the named payload fields' text followed by the secret |
//! | [`SaltedMd5`] | Voximplant | MD5 of an ordered list of secrets and payload values |
//! | [`StandardWebhooks`] | Svix and every Standard Webhooks sender | HMAC-SHA256 of `id.timestamp.body`, `v1,` base64 signatures, a timestamp window |
//!
//! The first three read a whole request and implement [`Verifier`], the trait a provider that
//! lets the receiver choose its scheme (Platfone) accepts. [`SaltedMd5`] signs individual items
//! inside a body, so it is called per item with the item's values.

mod field_concat;
mod fields;
mod hmac_sha256;
mod salted_md5;
mod shared_secret;
mod standard_webhooks;
mod tag;

#[cfg(feature = "testing")]
pub use field_concat::HashedField;
pub use field_concat::{FieldConcatSha256, NullSpelling, SignedFields};
pub use fields::{FieldSource, FieldValue};
pub use hmac_sha256::HmacSha256;
pub use salted_md5::{Part, SaltedMd5};
pub use shared_secret::SharedSecretHeader;
pub use standard_webhooks::{InvalidSecret, StandardWebhooks};
pub use tag::SignatureEncoding;

pub(crate) use tag::Tag;

use crate::{Error, Headers, KeyId};

/// Decides whether a request comes from the holder of a configured secret.
///
/// Implementations read the headers and the body exactly as received and return the id of the
/// key that matched. Any failure is an [`Error`] whose kind says why; there is no "skip".
///
/// A custom scheme, for a provider or a configuration hookproof does not know:
///
/// ```
/// use hookproof::{Error, ErrorKind, Headers, KeyId, Verifier};
/// use http::HeaderName;
///
/// /// Accepts requests that carry a static bearer token.
/// struct BearerToken(hookproof::verify::SharedSecretHeader);
///
/// impl Verifier for BearerToken {
///     fn verify(&self, headers: &dyn Headers, body: &[u8]) -> Result<KeyId, Error> {
///         if body.is_empty() {
///             return Err(Error::new(ErrorKind::PayloadSyntax, "the body is empty"));
///         }
///         self.0.verify(headers, body)
///     }
/// }
/// ```
pub trait Verifier: Send + Sync {
    /// Verifies a request; returns the id of the key that matched.
    fn verify(&self, headers: &dyn Headers, body: &[u8]) -> Result<KeyId, Error>;

    /// The message id the signature covers, for a scheme that signs one (Standard Webhooks'
    /// `webhook-id`): an idempotency key a retry repeats. `None` for schemes that sign none
    /// (the default). Asked only of a request that verified.
    fn message_id(&self, headers: &dyn Headers) -> Option<String> {
        let _ = headers;
        None
    }
}

/// Forwards both methods, so that a reference, a box or an `Arc` is a verifier too.
macro_rules! forward_verifier {
    ($($wrapper:ty),+) => {$(
        impl<V: Verifier + ?Sized> Verifier for $wrapper {
            fn verify(&self, headers: &dyn Headers, body: &[u8]) -> Result<KeyId, Error> {
                (**self).verify(headers, body)
            }

            fn message_id(&self, headers: &dyn Headers) -> Option<String> {
                (**self).message_id(headers)
            }
        }
    )+};
}

forward_verifier!(&V, Box<V>, std::sync::Arc<V>);
