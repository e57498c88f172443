//! Platnova requests and samples.

use super::{Sample, SignedRequest, samples};
use crate::Secret;
use crate::platnova::Platnova;

/// `body` sent with `secret` in `X-WEBHOOK-SECRET`, as Platnova sends it.
pub fn signed_request(secret: &Secret, body: impl Into<Vec<u8>>) -> SignedRequest {
    SignedRequest {
        headers: vec![
            (
                Platnova::SECRET_HEADER.to_string(),
                String::from_utf8_lossy(secret.expose_secret()).into_owned(),
            ),
            ("content-type".to_owned(), "application/json".to_owned()),
        ],
        body: body.into(),
    }
}

/// Every event's example from Platnova's documentation: the webhooks page, and for
/// `payment.status.updated` the payment-verification guide (which sends no `timestamp` or
/// `customer_id`).
pub const SAMPLES: &[Sample] = samples!("platnova", "json";
    Documented "card.created",
    Documented "card.terminated",
    Documented "card.withdrawal",
    Documented "card.charged",
    Documented "card.refund",
    Documented "card.funded",
    Documented "card.declined",
    Documented "account.issued",
    Documented "account.funded",
    Documented "customer.approved",
    Documented "customer.rejected",
    Documented "transfer.success",
    Documented "transfer.failed",
    Documented "payment.status.updated",
);

/// The sample for `event_type`.
pub fn sample(event_type: &str) -> Option<&'static Sample> {
    super::find(SAMPLES, event_type)
}
