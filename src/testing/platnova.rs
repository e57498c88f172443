//! Platnova requests and samples.

pub use super::signed_request;
use super::{Sample, Sign, SignedRequest, samples};
use crate::Error;
use crate::platnova::Platnova;

impl Sign for Platnova {
    /// `body` with the first secret in `X-WEBHOOK-SECRET`, as Platnova sends it.
    fn signed_request(&self, body: Vec<u8>) -> Result<SignedRequest, Error> {
        self.scheme().signed_request(body)
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
