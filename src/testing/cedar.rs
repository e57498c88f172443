//! Cedar requests and samples.

pub use super::signed_request;
use super::{Sample, Sign, SignedRequest, samples};
use crate::Error;
use crate::cedar::Cedar;
use crate::json::{self, JsonFields, JsonObject};

/// The fields Cedar's documentation shows in `X-Webhook-Security-Fields`.
pub const SIGNED_FIELDS: &[&str] = &["id", "status"];

impl Sign for Cedar {
    /// `body` with [`SIGNED_FIELDS`] (or the fields the receiver requires, when it requires
    /// some) listed and hashed with the first secret, as Cedar sends it. Fails if the body is
    /// not a JSON object holding the fields.
    fn signed_request(&self, body: Vec<u8>) -> Result<SignedRequest, Error> {
        let required = self.scheme().required_fields();
        let fields: Vec<&str> = if required.is_empty() {
            SIGNED_FIELDS.to_vec()
        } else {
            required.iter().map(|field| &**field).collect()
        };
        signed_request_with_fields(self, body, &fields)
    }
}

/// `body` with `X-Webhook-Security-Fields` listing `fields` and the hash of their values made
/// with `cedar`'s first secret. Fails if the body is not a JSON object holding the fields.
pub fn signed_request_with_fields(
    cedar: &Cedar,
    body: impl Into<Vec<u8>>,
    fields: &[&str],
) -> Result<SignedRequest, Error> {
    let body = body.into();
    let payload = JsonObject::parse(json::body_text(&body)?)?;
    let hash = cedar.scheme().sign(fields, &JsonFields::new(&payload))?;
    let headers = vec![
        (Cedar::FIELDS_HEADER.to_string(), fields.join(",")),
        (Cedar::HASH_HEADER.to_string(), hash),
    ];
    Ok(SignedRequest::new(Cedar::CONTENT_TYPE, headers, body))
}

/// A sample for each of the four events. Cedar documents no webhook body, so these are assembled
/// from what it does document: the event's technical name and the signed `id` and `status`.
pub const SAMPLES: &[Sample] = samples!("cedar", "json";
    Assembled "BusinessKycStatusChanged",
    Assembled "BusinessExternalAccountStatusChanged",
    Assembled "BusinessRequestStatusChanged",
    Assembled "BusinessRequestPayoutConfirmationStatusChanged",
);

/// The sample for `event_type`.
pub fn sample(event_type: &str) -> Option<&'static Sample> {
    super::find(SAMPLES, event_type)
}
