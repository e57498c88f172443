//! Platfone requests and samples, for either scheme a receiver may configure.

use http::HeaderName;

use super::{Sample, SignedRequest, samples};
use crate::Secret;
use crate::verify::HmacSha256;

/// `body` with `secret` in the header `header`, for a receiver built with
/// [`SharedSecretHeader`](crate::verify::SharedSecretHeader).
pub fn shared_secret_request(
    header: &HeaderName,
    secret: &Secret,
    body: impl Into<Vec<u8>>,
) -> SignedRequest {
    SignedRequest {
        headers: vec![
            (
                header.to_string(),
                String::from_utf8_lossy(secret.expose_secret()).into_owned(),
            ),
            ("content-type".to_owned(), "application/json".to_owned()),
        ],
        body: body.into(),
    }
}

/// `body` signed by `scheme` (its header, prefix, encoding and first key), for a receiver built
/// with the same [`HmacSha256`].
pub fn hmac_signed_request(scheme: &HmacSha256, body: impl Into<Vec<u8>>) -> SignedRequest {
    let body = body.into();
    SignedRequest {
        headers: vec![
            (scheme.header().to_string(), scheme.sign(&body)),
            ("content-type".to_owned(), "application/json".to_owned()),
        ],
        body,
    }
}

/// A sample for each of the eight event types. Platfone documents none, so they are assembled:
/// an `{id, type, data}` envelope, and for activation events a record after Platfone's REST
/// `Activation` object.
pub const SAMPLES: &[Sample] = samples!("platfone", "json";
    Assembled "account.low_balance",
    Assembled "activation.updated",
    Assembled "activation_report.updated",
    Assembled "customer.low_balance",
    Assembled "customer.updated",
    Assembled "customer.activation.updated",
    Assembled "customer.activation_report.updated",
    Assembled "alternative.activation.updated",
);

/// The sample for `event_type`.
pub fn sample(event_type: &str) -> Option<&'static Sample> {
    super::find(SAMPLES, event_type)
}
