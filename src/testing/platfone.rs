//! Platfone requests and samples, for either scheme a receiver may configure.

pub use super::signed_request;
use super::{Sample, Sign, SignedRequest, samples};
use crate::platfone::Platfone;
use crate::{Error, Verifier};

impl<V: Verifier + Sign> Sign for Platfone<V> {
    /// Signed by the scheme the receiver is built with.
    fn signed_request(&self, body: Vec<u8>) -> Result<SignedRequest, Error> {
        self.verifier().signed_request(body)
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
