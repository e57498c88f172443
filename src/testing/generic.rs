//! Signed requests for any [`Generic`] provider built on a scheme the crate can sign with.
//!
//! ```
//! use hookproof::generic::Generic;
//! use hookproof::testing::generic::signed_request;
//! use hookproof::verify::StandardWebhooks;
//! use hookproof::{Provider, Secret};
//!
//! let scheme = StandardWebhooks::new(Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?)?;
//! let provider = Generic::<_, serde_json::Value>::new("billing", scheme).key_from_message_id();
//! let request = signed_request(&provider, r#"{"type":"invoice.paid"}"#)?;
//! let notification = provider.verify_and_parse(&request.headers, &request.body)?;
//! assert!(notification.idempotency_key().unwrap().as_str().starts_with("msg_"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use super::signed_request;
use super::{Sign, SignedRequest};
use crate::Error;
use crate::generic::Generic;

impl<V: Sign, T> Sign for Generic<V, T> {
    /// Signed by the provider's scheme.
    fn signed_request(&self, body: Vec<u8>) -> Result<SignedRequest, Error> {
        self.verifier().signed_request(body)
    }
}
