//! Voximplant requests and samples.
//!
//! Voximplant's hash is inside the body, so signing rewrites the body: every callback's `hash`
//! member is set, and nothing else changes.

pub use super::signed_request;
use super::{Sample, Sign, SignedRequest, samples};
use crate::voximplant::Voximplant;
use crate::{Error, Secret, json};

/// The salt the samples are hashed with.
pub const TEST_SALT: &str = "hookproof-test-salt";
/// The API key the samples are hashed with.
pub const TEST_API_KEY: &str = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
/// The account the samples are for.
pub const TEST_ACCOUNT_ID: u64 = 123_456;

/// A receiver for the samples: [`TEST_SALT`] and [`TEST_API_KEY`].
pub fn test_receiver() -> Voximplant {
    Voximplant::new(
        Secret::new(TEST_SALT).expect("the test salt is not empty"),
        Secret::new(TEST_API_KEY).expect("the test API key is not empty"),
    )
}

impl Sign for Voximplant {
    /// `body` with every callback's `hash` set for this receiver's salt and API key, nothing
    /// else changed, as JSON. Fails if the body is not a batch of callbacks, each with its
    /// `account_id` and `callback_id`.
    fn signed_request(&self, body: Vec<u8>) -> Result<SignedRequest, Error> {
        let signed = self.sign_callbacks(json::body_text(&body)?)?;
        Ok(SignedRequest::new(
            "application/json",
            Vec::new(),
            signed.into_bytes(),
        ))
    }
}

/// A one-callback request for each of the 40 callback kinds, hashed (by an independent script)
/// with [`TEST_SALT`] and [`TEST_API_KEY`] for account [`TEST_ACCOUNT_ID`]. Voximplant documents
/// fields, not examples, so the samples are assembled from its generated clients' field lists.
pub const SAMPLES: &[Sample] = samples!("voximplant", "json";
    Assembled "account_document_uploaded",
    Assembled "regulation_address_uploaded",
    Assembled "account_document_verified",
    Assembled "account_is_frozen",
    Assembled "account_is_unfrozen",
    Assembled "activate_successful",
    Assembled "call_history_report",
    Assembled "card_expired",
    Assembled "card_expires_in_month",
    Assembled "card_payment",
    Assembled "card_payment_failed",
    Assembled "robokassa_payment",
    Assembled "wire_transfer",
    Assembled "js_fail",
    Assembled "min_balance",
    Assembled "regulation_address_verified",
    Assembled "renewed_subscriptions",
    Assembled "reset_account_password_request",
    Assembled "sip_registration_fail",
    Assembled "sip_registration_recovered",
    Assembled "subscription_is_frozen",
    Assembled "subscription_is_detached",
    Assembled "transaction_history_report",
    Assembled "unverified_subscription_detached",
    Assembled "expiring_callerid",
    Assembled "transcription_complete",
    Assembled "sms_inbound",
    Assembled "phone_number_activation_status_changed",
    Assembled "expiring_agreement",
    Assembled "expired_agreement",
    Assembled "restored_agreement_status",
    Assembled "next_charge_alert",
    Assembled "certificate_expired",
    Assembled "expired_certificates",
    Assembled "expiring_certificates",
    Assembled "account_document_status_updated",
    Assembled "a2p_sms_activated",
    Assembled "regulation_address_documents_requested",
    Assembled "invoice_received",
    Assembled "batch_task_cancelling_completed",
);

/// The sample for `event_type`.
pub fn sample(event_type: &str) -> Option<&'static Sample> {
    super::find(SAMPLES, event_type)
}
