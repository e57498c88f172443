//! Cedar requests and samples.

use super::{Sample, SignedRequest, samples};
use crate::cedar::Cedar;
use crate::json::{self, JsonFields, JsonObject};
use crate::verify::FieldConcatSha256;
use crate::{Error, Secret};

/// The fields Cedar's documentation shows in `X-Webhook-Security-Fields`.
pub const SIGNED_FIELDS: &[&str] = &["id", "status"];

/// `body` with `X-Webhook-Security-Fields` listing `fields` and the hash of their values made
/// with `secret`, as Cedar sends it. Fails if the body is not a JSON object holding the fields.
pub fn signed_request(
    secret: &Secret,
    body: impl Into<Vec<u8>>,
    fields: &[&str],
) -> Result<SignedRequest, Error> {
    let body = body.into();
    let payload = JsonObject::parse(json::body_text(&body)?)?;
    let scheme = FieldConcatSha256::new(Cedar::FIELDS_HEADER, Cedar::HASH_HEADER, secret.clone());
    let hash = scheme.sign(fields, &JsonFields::new(&payload))?;
    Ok(SignedRequest {
        headers: vec![
            ("content-type".to_owned(), Cedar::CONTENT_TYPE.to_owned()),
            (Cedar::FIELDS_HEADER.to_string(), fields.join(",")),
            (Cedar::HASH_HEADER.to_string(), hash),
        ],
        body,
    })
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
