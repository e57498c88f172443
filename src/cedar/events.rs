//! Cedar's four events.
//!
//! Cedar publishes no webhook body; what is known is that the signed fields are named `id` and
//! `status` (the fields header in its documentation), and the status values of its REST API.
//! Each event therefore carries `id` and `status`, read from the same members the hash covered.

use std::fmt;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::Id;

event_enum! {
    /// A Cedar event, named by its technical name.
    pub enum Event (unknown: UnknownEvent) {
        /// A merchant's KYC status changed.
        BusinessKycStatusChanged(KycStatusChanged) = "BusinessKycStatusChanged",
        /// A receiver account's verification status changed.
        BusinessExternalAccountStatusChanged(ExternalAccountStatusChanged) = "BusinessExternalAccountStatusChanged",
        /// A transaction's status changed.
        BusinessRequestStatusChanged(TransactionStatusChanged) = "BusinessRequestStatusChanged",
        /// A payout confirmation (telex) request's status changed; when completed, the document
        /// is available.
        BusinessRequestPayoutConfirmationStatusChanged(PayoutConfirmationStatusChanged) = "BusinessRequestPayoutConfirmationStatusChanged",
    }
}

/// A body whose event type is missing or not one of the four technical names.
#[derive(Debug, Clone)]
pub struct UnknownEvent {
    pub(crate) event_type: Option<String>,
    pub(crate) body: Box<RawValue>,
}

impl UnknownEvent {
    /// The event type the body names, or the empty string when it names none.
    pub fn event_type(&self) -> &str {
        self.event_type.as_deref().unwrap_or_default()
    }

    /// The whole body as sent.
    pub fn body(&self) -> &RawValue {
        &self.body
    }
}

/// The four technical names, for a receiver that serves one URL per event type
/// ([`Cedar::expect_event`](super::Cedar::expect_event)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// `BusinessKycStatusChanged`
    BusinessKycStatusChanged,
    /// `BusinessExternalAccountStatusChanged`
    BusinessExternalAccountStatusChanged,
    /// `BusinessRequestStatusChanged`
    BusinessRequestStatusChanged,
    /// `BusinessRequestPayoutConfirmationStatusChanged`
    BusinessRequestPayoutConfirmationStatusChanged,
}

impl EventKind {
    /// The technical name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BusinessKycStatusChanged => "BusinessKycStatusChanged",
            Self::BusinessExternalAccountStatusChanged => "BusinessExternalAccountStatusChanged",
            Self::BusinessRequestStatusChanged => "BusinessRequestStatusChanged",
            Self::BusinessRequestPayoutConfirmationStatusChanged => {
                "BusinessRequestPayoutConfirmationStatusChanged"
            }
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

string_enum! {
    /// A merchant's KYC status.
    pub enum KycStatus {
        /// Created, nothing submitted.
        New = "NEW",
        /// Submitted, waiting.
        Pending = "PENDING",
        /// Waiting for review.
        PendingReview = "PENDING_REVIEW",
        /// Being reviewed.
        UnderReview = "UNDER_REVIEW",
        /// The merchant must act.
        ActionNeeded = "ACTION_NEEDED",
        /// Verified.
        Valid = "VALID",
        /// Flagged by compliance.
        Flagged = "FLAGGED",
        /// Abandoned.
        Abandoned = "ABANDONED",
    }
}

string_enum! {
    /// A transaction's client status, as far as Cedar's REST documentation lists them.
    pub enum TransactionStatus {
        /// No status yet.
        None = "NONE",
        /// Created, waiting.
        Pending = "OnOff_PENDING",
        /// Waiting for the quote to be approved.
        AwaitingQuoteApproval = "OnOff_AWAITING_QUOTE_APPROVAL",
        /// Waiting for the deposit.
        AwaitingDeposit = "OnOff_AWAITING_DEPOSIT",
        /// Being processed.
        InProgress = "OnOff_IN_PROGRESS",
        /// Completed.
        Completed = "OnOff_COMPLETED",
    }
}

/// `BusinessKycStatusChanged`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct KycStatusChanged {
    /// The merchant's id.
    pub id: Id,
    /// The new KYC status.
    pub status: KycStatus,
}

/// `BusinessExternalAccountStatusChanged`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct ExternalAccountStatusChanged {
    /// The receiver account's id.
    pub id: Id,
    /// The new verification status; Cedar does not document its values.
    pub status: String,
}

/// `BusinessRequestStatusChanged`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct TransactionStatusChanged {
    /// The transaction's id.
    pub id: Id,
    /// The new client status.
    pub status: TransactionStatus,
}

/// `BusinessRequestPayoutConfirmationStatusChanged`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct PayoutConfirmationStatusChanged {
    /// The transaction's id.
    pub id: Id,
    /// The new status of the payout confirmation request; Cedar does not document its values.
    pub status: String,
}

impl Event {
    /// The event's `id` and `status`, as the hash covers them; `None` for an unknown event.
    pub(crate) fn id_and_status(&self) -> Option<(&Id, &str)> {
        match self {
            Self::BusinessKycStatusChanged(event) => Some((&event.id, event.status.as_str())),
            Self::BusinessExternalAccountStatusChanged(event) => Some((&event.id, &event.status)),
            Self::BusinessRequestStatusChanged(event) => Some((&event.id, event.status.as_str())),
            Self::BusinessRequestPayoutConfirmationStatusChanged(event) => {
                Some((&event.id, &event.status))
            }
            Self::Unknown(_) => None,
        }
    }
}
