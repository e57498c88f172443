//! Cedar's four events.
//!
//! Cedar publishes no webhook body; what is known is that the signed fields are named `id` and
//! `status` (the fields header in its documentation), and the names and status values of its
//! REST API. Each event carries its status (required: a status event means nothing without it)
//! and its id, read from the same members the hash covered.

use std::fmt;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::{Amount, Id, UnixTime};

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
#[serde(try_from = "StatusFields<KycStatus>")]
#[non_exhaustive]
pub struct KycStatusChanged {
    /// The merchant's id.
    pub id: Option<Id>,
    /// The new KYC status: `status`, or the REST API's `kycStatus` when `status` is absent.
    pub status: KycStatus,
}

/// `BusinessExternalAccountStatusChanged`.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "StatusFields<String>")]
#[non_exhaustive]
pub struct ExternalAccountStatusChanged {
    /// The receiver account's id.
    pub id: Option<Id>,
    /// The new verification status; Cedar does not document its values.
    pub status: String,
}

/// `BusinessRequestStatusChanged`. Cedar's webhook bodies are undocumented; besides the hashed
/// names `id` and `status`, the names of its REST transaction object are read
/// (`businessRequestId`, `clientStatus`, amounts and times), which some bodies use instead.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "TransactionFields")]
#[non_exhaustive]
pub struct TransactionStatusChanged {
    /// The transaction's id: `id`, or `businessRequestId` when `id` is absent.
    pub id: Option<Id>,
    /// The new client status: `status`, or `clientStatus` when `status` is absent.
    pub status: TransactionStatus,
    /// When the transaction was created (`creationTime`).
    pub creation_time: Option<UnixTime>,
    /// When it last changed (`lastUpdateTime`).
    pub last_update_time: Option<UnixTime>,
    /// The amount paid out (`toAmount`).
    pub to_amount: Option<Amount>,
    /// The amount paid in (`fromAmount`).
    pub from_amount: Option<Amount>,
    /// The currency paid in (`fromCurrencySymbol`).
    pub from_currency: Option<String>,
    /// The currency paid out (`toCurrencySymbol`).
    pub to_currency: Option<String>,
    /// Why the money moves (`purpose`: `GOODS_PURCHASED`, `PAYMENT_OF_SERVICES`, …).
    pub purpose: Option<String>,
}

/// `BusinessRequestPayoutConfirmationStatusChanged`.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "StatusFields<String>")]
#[non_exhaustive]
pub struct PayoutConfirmationStatusChanged {
    /// The transaction's id.
    pub id: Option<Id>,
    /// The new status of the payout confirmation request; Cedar does not document its values.
    pub status: String,
}

/// A status event as read: the hashed names, and the REST API's names for the same values.
#[derive(Deserialize)]
#[serde(bound = "S: Deserialize<'de>")]
struct StatusFields<S> {
    id: Option<Id>,
    status: Option<S>,
    #[serde(rename = "kycStatus")]
    kyc_status: Option<S>,
}

impl<S> StatusFields<S> {
    fn status(self) -> Result<(Option<Id>, S), &'static str> {
        match self.status.or(self.kyc_status) {
            Some(status) => Ok((self.id, status)),
            None => Err("missing field `status`"),
        }
    }
}

impl TryFrom<StatusFields<KycStatus>> for KycStatusChanged {
    type Error = &'static str;

    fn try_from(fields: StatusFields<KycStatus>) -> Result<Self, Self::Error> {
        let (id, status) = fields.status()?;
        Ok(Self { id, status })
    }
}

impl TryFrom<StatusFields<String>> for ExternalAccountStatusChanged {
    type Error = &'static str;

    fn try_from(fields: StatusFields<String>) -> Result<Self, Self::Error> {
        let (id, status) = fields.status()?;
        Ok(Self { id, status })
    }
}

impl TryFrom<StatusFields<String>> for PayoutConfirmationStatusChanged {
    type Error = &'static str;

    fn try_from(fields: StatusFields<String>) -> Result<Self, Self::Error> {
        let (id, status) = fields.status()?;
        Ok(Self { id, status })
    }
}

/// A transaction event as read, in either naming.
#[derive(Deserialize)]
struct TransactionFields {
    id: Option<Id>,
    #[serde(rename = "businessRequestId")]
    business_request_id: Option<Id>,
    status: Option<TransactionStatus>,
    #[serde(rename = "clientStatus")]
    client_status: Option<TransactionStatus>,
    #[serde(rename = "creationTime")]
    creation_time: Option<UnixTime>,
    #[serde(rename = "lastUpdateTime")]
    last_update_time: Option<UnixTime>,
    #[serde(rename = "toAmount")]
    to_amount: Option<Amount>,
    #[serde(rename = "fromAmount")]
    from_amount: Option<Amount>,
    #[serde(rename = "fromCurrencySymbol")]
    from_currency: Option<String>,
    #[serde(rename = "toCurrencySymbol")]
    to_currency: Option<String>,
    purpose: Option<String>,
}

impl TryFrom<TransactionFields> for TransactionStatusChanged {
    type Error = &'static str;

    fn try_from(fields: TransactionFields) -> Result<Self, Self::Error> {
        Ok(Self {
            id: fields.id.or(fields.business_request_id),
            status: fields
                .status
                .or(fields.client_status)
                .ok_or("missing field `status`")?,
            creation_time: fields.creation_time,
            last_update_time: fields.last_update_time,
            to_amount: fields.to_amount,
            from_amount: fields.from_amount,
            from_currency: fields.from_currency,
            to_currency: fields.to_currency,
            purpose: fields.purpose,
        })
    }
}
