//! What a successful verification establishes.
//!
//! [`Verified`] is the proof a provider's `verify` returns and its `parse` requires, so an
//! unverified body cannot reach the typed parser by accident; the only other way to make one is
//! [`dangerous::assume_verified`](crate::dangerous::assume_verified). [`Provenance`] is the owned
//! record of the same facts that every parsed notification carries.

use std::fmt;
use std::sync::Arc;

use crate::error::Error;
use crate::headers::Headers;
use crate::secret::KeyId;
use crate::verify::Verifier;

/// What a provider's verification establishes besides the key (Cedar: the signed fields),
/// written as text so that a delivery kept in an inbox can be parsed again, verified, without
/// its secret.
pub trait Evidence: Default + Send + Sync + 'static {
    /// The evidence as text (empty for a provider that establishes nothing more).
    fn to_text(&self) -> String {
        String::new()
    }

    /// The evidence back from [`to_text`](Self::to_text); the default when the text does not
    /// read (a row written by another version).
    fn from_text(text: &str) -> Self {
        let _ = text;
        Self::default()
    }
}

impl Evidence for () {}

/// A body that passed verification, with the key that verified it and whatever else the scheme
/// established (`E`; for example the list of signed fields).
pub struct Verified<'a, E = ()> {
    body: &'a [u8],
    key_id: KeyId,
    evidence: E,
}

impl<'a> Verified<'a> {
    /// Runs `verifier` on the request and, when it accepts, the proof that it did: what a
    /// [`Provider`](crate::Provider) implemented outside hookproof returns from `verify`. (The
    /// only other way to make one is [`dangerous::assume_verified`](crate::dangerous).)
    ///
    /// ```
    /// use hookproof::{Secret, Verified, verify::SharedSecretHeader};
    /// use http::HeaderName;
    ///
    /// let scheme = SharedSecretHeader::new(HeaderName::from_static("x-token"), Secret::new("t0ken")?);
    /// let verified = Verified::by(&scheme, &[("x-token", "t0ken")], b"{}")?;
    /// assert_eq!(verified.key_id(), "default");
    /// assert!(Verified::by(&scheme, &[("x-token", "guess")], b"{}").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn by<V: Verifier + ?Sized, H: Headers + ?Sized>(
        verifier: &V,
        headers: &H,
        body: &'a [u8],
    ) -> Result<Self, Error> {
        let key_id = verifier.verify(&headers, body)?;
        Ok(Self::new(body, key_id, ()))
    }

    /// The same proof with what the verification established besides the key (a provider's
    /// `Evidence`), read by the caller from the verified request.
    pub fn with_evidence<E>(self, evidence: E) -> Verified<'a, E> {
        Verified::new(self.body, self.key_id, evidence)
    }
}

impl<'a, E> Verified<'a, E> {
    pub(crate) fn new(body: &'a [u8], key_id: KeyId, evidence: E) -> Self {
        Self {
            body,
            key_id,
            evidence,
        }
    }

    /// The body exactly as received.
    pub fn body(&self) -> &'a [u8] {
        self.body
    }

    /// The id of the key that verified the body.
    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// What the scheme established beyond the key, such as which fields were signed.
    pub fn evidence(&self) -> &E {
        &self.evidence
    }

    /// Splits off the evidence, keeping the proof.
    pub(crate) fn into_parts(self) -> (Verified<'a>, E) {
        (Verified::new(self.body, self.key_id, ()), self.evidence)
    }

    /// The owned record a parsed notification keeps (what [`Delivery::provenance`] returns).
    ///
    /// [`Delivery::provenance`]: crate::Delivery::provenance
    pub fn provenance(&self) -> Provenance {
        Provenance {
            key_id: self.key_id.clone(),
            body: self.body.into(),
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for Verified<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("key_id", &self.key_id)
            .field("body_len", &self.body.len())
            .field("evidence", &self.evidence)
            .finish()
    }
}

/// Where a parsed notification came from: the key that verified it and the body exactly as
/// received, so nothing the provider sent is lost even when the typed event ignores it.
#[derive(Clone, PartialEq, Eq)]
pub struct Provenance {
    key_id: KeyId,
    body: Arc<[u8]>,
}

impl Provenance {
    /// The id of the key that verified the request.
    pub fn key_id(&self) -> &KeyId {
        &self.key_id
    }

    /// The body exactly as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.body
    }

    /// The body, shared rather than copied.
    pub(crate) fn shared_body(&self) -> Arc<[u8]> {
        Arc::clone(&self.body)
    }
}

impl fmt::Debug for Provenance {
    /// Shows the body's length, not its content, which may hold personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Provenance")
            .field("key_id", &self.key_id)
            .field("body_len", &self.body.len())
            .finish()
    }
}
