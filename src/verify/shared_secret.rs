//! A shared secret sent verbatim in a header.

use http::HeaderName;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{HeaderProblem, SignatureLocation};
use crate::secret::DerivedKeys;
use crate::verify::{Tag, Verifier};
use crate::{Error, Headers, KeyId, KeyRing};

/// A static secret carried in a header, as Platnova's `X-WEBHOOK-SECRET`.
///
/// The received value and each configured secret are hashed with SHA-256 and the digests
/// compared in constant time, so neither the secret's content nor its length leaks through
/// timing. Note what this scheme does not do: nothing signs the body, so anyone who sees one
/// request can send any body.
///
/// ```
/// use hookproof::{Secret, Verifier, verify::SharedSecretHeader};
/// use http::HeaderName;
///
/// let scheme = SharedSecretHeader::new(
///     HeaderName::from_static("x-webhook-secret"),
///     Secret::new("s3cret")?,
/// );
/// let key = scheme.verify(&[("X-Webhook-Secret", "s3cret")], b"{}")?;
/// assert_eq!(key, "default");
/// assert!(scheme.verify(&[("X-Webhook-Secret", "guess")], b"{}").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct SharedSecretHeader {
    header: HeaderName,
    digests: DerivedKeys<Zeroizing<[u8; 32]>>,
    /// What a test request sends: the first secret.
    #[cfg(feature = "testing")]
    first: crate::Secret,
}

impl SharedSecretHeader {
    /// Expects one of `keys` in the header `header`.
    pub fn new(header: HeaderName, keys: impl Into<KeyRing>) -> Self {
        let keys = keys.into();
        let digests =
            keys.derive(|secret| Zeroizing::new(Sha256::digest(secret.expose_secret()).into()));
        Self {
            header,
            digests,
            #[cfg(feature = "testing")]
            first: keys.first().clone(),
        }
    }

    /// The header value a sender sends: the first secret, when it is text a header can carry.
    #[cfg(feature = "testing")]
    pub(crate) fn header_value(&self) -> Result<String, Error> {
        std::str::from_utf8(self.first.expose_secret())
            .ok()
            .filter(|text| http::HeaderValue::from_str(text).is_ok())
            .map(str::to_owned)
            .ok_or_else(|| Error::malformed_header(&self.header, HeaderProblem::NotText))
    }

    /// The header the secret is read from.
    pub fn header(&self) -> &HeaderName {
        &self.header
    }
}

impl Verifier for SharedSecretHeader {
    fn verify(&self, headers: &dyn Headers, _body: &[u8]) -> Result<KeyId, Error> {
        let presented = headers.required(&self.header)?;
        if presented.is_empty() {
            return Err(Error::malformed_header(&self.header, HeaderProblem::Empty));
        }
        let presented = Tag::new(Sha256::digest(presented.as_bytes()).into());
        self.digests
            .find(|expected| presented.matches(expected))
            .cloned()
            .ok_or_else(|| {
                Error::signature_mismatch(
                    SignatureLocation::SecretHeader(self.header.clone()),
                    self.digests.len(),
                )
            })
    }
}

impl std::fmt::Debug for SharedSecretHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedSecretHeader")
            .field("header", &self.header)
            .field("key_ids", &self.digests.ids().collect::<Vec<_>>())
            .finish()
    }
}
