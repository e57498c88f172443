//! Signing a body as a sender would: the one call every provider's module offers, and the
//! schemes it is built on.

use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::SignedRequest;
use crate::Error;
use crate::verify::{HmacSha256, SharedSecretHeader, StandardWebhooks};

/// Signs a body as a sender would for a receiver configured like `self`: implemented by every
/// provider, and by the schemes a [`Generic`](crate::generic::Generic) or a
/// [`Platfone`](crate::platfone::Platfone) provider can be built on.
pub trait Sign {
    /// `body` with the headers that make it verify (and, for a scheme that hashes inside the
    /// body, the body rewritten), signed with the first key.
    fn signed_request(&self, body: Vec<u8>) -> Result<SignedRequest, Error>;
}

/// `body` signed by `signer` (a provider, or a scheme), as its sender would send it. Every
/// provider's module re-exports it.
pub fn signed_request(
    signer: &impl Sign,
    body: impl Into<Vec<u8>>,
) -> Result<SignedRequest, Error> {
    signer.signed_request(body.into())
}

const JSON: &str = "application/json";

impl Sign for SharedSecretHeader {
    /// The first secret in the scheme's header, as JSON.
    fn signed_request(&self, body: Vec<u8>) -> Result<SignedRequest, Error> {
        let header = (self.header().to_string(), self.header_value()?);
        Ok(SignedRequest::new(JSON, vec![header], body))
    }
}

impl Sign for HmacSha256 {
    /// The scheme's header, prefix and encoding, as JSON.
    fn signed_request(&self, body: Vec<u8>) -> Result<SignedRequest, Error> {
        let header = (self.header().to_string(), self.sign(&body));
        Ok(SignedRequest::new(JSON, vec![header], body))
    }
}

impl Sign for StandardWebhooks {
    /// Message id `msg_` and the body's SHA-256 (so a retry of the same body repeats it), sent
    /// now, as JSON.
    fn signed_request(&self, body: Vec<u8>) -> Result<SignedRequest, Error> {
        let id = format!("msg_{}", &hex::encode(Sha256::digest(&body))[..24]);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs() as i64);
        let signature = self.sign(&id, now, &body);
        let headers = vec![
            ("webhook-id".to_owned(), id),
            ("webhook-timestamp".to_owned(), now.to_string()),
            ("webhook-signature".to_owned(), signature),
        ];
        Ok(SignedRequest::new(JSON, headers, body))
    }
}
