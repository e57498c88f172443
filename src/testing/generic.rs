//! Signed requests for any scheme the crate can sign with, and so for any
//! [`Generic`] provider built on one.

use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::SignedRequest;
use crate::generic::Generic;
use crate::verify::{HmacSha256, StandardWebhooks};

/// A scheme that can sign a body as its sender would, with its first key.
pub trait Sign {
    /// The headers that make `body` verify.
    fn sign_headers(&self, body: &[u8]) -> Vec<(String, String)>;
}

impl Sign for HmacSha256 {
    fn sign_headers(&self, body: &[u8]) -> Vec<(String, String)> {
        vec![(self.header().to_string(), self.sign(body))]
    }
}

impl Sign for StandardWebhooks {
    /// Message id `msg_` and the body's SHA-256 (so a retry of the same body repeats it), sent
    /// now.
    fn sign_headers(&self, body: &[u8]) -> Vec<(String, String)> {
        let id = format!("msg_{}", &hex::encode(Sha256::digest(body))[..24]);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs() as i64);
        vec![
            ("webhook-id".to_owned(), id.clone()),
            ("webhook-timestamp".to_owned(), now.to_string()),
            ("webhook-signature".to_owned(), self.sign(&id, now, body)),
        ]
    }
}

impl<V: Sign, T> Sign for Generic<V, T> {
    fn sign_headers(&self, body: &[u8]) -> Vec<(String, String)> {
        self.verifier().sign_headers(body)
    }
}

/// `body` signed by `signer` (a scheme, or a generic provider built on one), sent as JSON.
///
/// ```
/// use hookproof::generic::Generic;
/// use hookproof::testing::generic::signed_request;
/// use hookproof::verify::StandardWebhooks;
/// use hookproof::{Provider, Secret};
///
/// let scheme = StandardWebhooks::new(Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?)?;
/// let provider = Generic::<_, serde_json::Value>::new("billing", scheme).key_from_message_id();
/// let request = signed_request(&provider, r#"{"type":"invoice.paid"}"#);
/// let notification = provider.verify_and_parse(&request.headers, &request.body)?;
/// assert!(notification.idempotency_key().unwrap().as_str().starts_with("msg_"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn signed_request(signer: &impl Sign, body: impl Into<Vec<u8>>) -> SignedRequest {
    let body = body.into();
    let mut headers = signer.sign_headers(&body);
    headers.push(("content-type".to_owned(), "application/json".to_owned()));
    SignedRequest { headers, body }
}
