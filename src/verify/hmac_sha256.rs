//! HMAC-SHA256 of the raw body, carried in a header.

use std::borrow::Cow;

use hmac::{Hmac, KeyInit, Mac};
use http::HeaderName;
use sha2::Sha256;

use crate::error::{HeaderProblem, SignatureLocation};
use crate::secret::DerivedKeys;
use crate::verify::{SignatureEncoding, Tag, Verifier};
use crate::{Error, Headers, KeyId, KeyRing};

/// HMAC-SHA256 over the body bytes exactly as received, as InPlayer's
/// `X-InPlayer-Signature: sha256=<hex>`.
///
/// The header must hold the configured prefix (none by default) followed by the 32-byte MAC in
/// the configured encoding (hex by default, either case). The MAC is checked before anything
/// reads the body, and each key's HMAC state is prepared once, when the scheme is built.
///
/// ```
/// use hookproof::{Secret, Verifier, verify::HmacSha256};
/// use http::HeaderName;
///
/// let scheme = HmacSha256::new(HeaderName::from_static("x-inplayer-signature"), Secret::new("secret")?)
///     .with_prefix("sha256=");
/// // Computed with Python: hmac.new(b"secret", body, hashlib.sha256).hexdigest()
/// let body = b"created=15475835&id=2333&resource%5Bfoo%5D=bar&type=payment.success";
/// let signature = "sha256=f27f8ae41a0d60d823e8c296ec2e3e73c81843e3f9aedab2bdc030c4d6b0b0b8";
/// scheme.verify(&[("X-InPlayer-Signature", signature)], body)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct HmacSha256 {
    header: HeaderName,
    prefix: Cow<'static, str>,
    encoding: SignatureEncoding,
    macs: DerivedKeys<Hmac<Sha256>>,
}

impl HmacSha256 {
    /// Expects a hex HMAC-SHA256 of the body, keyed with one of `keys`, in `header`.
    pub fn new(header: HeaderName, keys: impl Into<KeyRing>) -> Self {
        let macs = keys.into().derive(|secret| {
            Hmac::<Sha256>::new_from_slice(secret.expose_secret())
                .expect("HMAC accepts keys of any length")
        });
        Self {
            header,
            prefix: Cow::Borrowed(""),
            encoding: SignatureEncoding::Hex,
            macs,
        }
    }

    /// Requires the header value to start with `prefix` (e.g. `sha256=`), matched exactly.
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<Cow<'static, str>>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Sets how the MAC is written (default: [`SignatureEncoding::Hex`]).
    #[must_use]
    pub fn with_encoding(mut self, encoding: SignatureEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The header the signature is read from.
    pub fn header(&self) -> &HeaderName {
        &self.header
    }

    /// What the header value must start with (empty when nothing).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// How the MAC is written.
    pub fn encoding(&self) -> SignatureEncoding {
        self.encoding
    }

    /// The header value that signs `body` with the first key: prefix and encoded MAC.
    #[cfg(feature = "testing")]
    #[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
    pub fn sign(&self, body: &[u8]) -> String {
        use base64::Engine as _;
        let mac = mac_of(self.macs.first(), body);
        let encoded = match self.encoding {
            SignatureEncoding::Hex => hex::encode(mac),
            SignatureEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(mac),
        };
        format!("{}{encoded}", self.prefix)
    }

    fn location(&self) -> SignatureLocation {
        SignatureLocation::Header(self.header.clone())
    }
}

/// Continues a prepared keyed state over `body`; cloning the state costs a copy, not a rekey.
fn mac_of(keyed: &Hmac<Sha256>, body: &[u8]) -> [u8; 32] {
    let mut mac = keyed.clone();
    mac.update(body);
    mac.finalize().into_bytes().into()
}

impl Verifier for HmacSha256 {
    fn verify(&self, headers: &dyn Headers, body: &[u8]) -> Result<KeyId, Error> {
        let value = headers.required(&self.header)?;
        let encoded = value.strip_prefix(&*self.prefix).ok_or_else(|| {
            Error::malformed_header(
                &self.header,
                HeaderProblem::MissingPrefix(self.prefix.clone()),
            )
        })?;
        let tag = Tag::<32>::decode(encoded, self.encoding)
            .map_err(|problem| Error::malformed_signature(self.location(), problem))?;
        self.macs
            .find(|keyed| tag.matches(&mac_of(keyed, body)))
            .cloned()
            .ok_or_else(|| Error::signature_mismatch(self.location(), self.macs.len()))
    }
}

impl std::fmt::Debug for HmacSha256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HmacSha256")
            .field("header", &self.header)
            .field("prefix", &self.prefix)
            .field("encoding", &self.encoding)
            .field("key_ids", &self.macs.ids().collect::<Vec<_>>())
            .finish()
    }
}
