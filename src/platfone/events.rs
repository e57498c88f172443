//! Platfone's eight event types.
//!
//! Platfone documents the event types but not their `data`. The activation events carry a record
//! typed after Platfone's own REST `Activation` object (from its open-source web client and MCP
//! server); since nothing promises that a webhook carries every field, each is optional. The
//! other three keep their `data` as a [`RawObject`] to read by name.

use serde::Deserialize;

use crate::{Amount, RawObject, UnixTime, UnknownEvent};

event_enum! {
    /// A Platfone event: one variant per documented event type, holding its `data`.
    pub enum Event (unknown: UnknownEvent) {
        /// The merchant's balance is low (Activation API).
        AccountLowBalance(RawObject) = "account.low_balance",
        /// An activation's `sms_status` changed (Activation API).
        ActivationUpdated(Activation) = "activation.updated",
        /// An activation's `report_status` changed (Activation API).
        ActivationReportUpdated(Activation) = "activation_report.updated",
        /// A customer's balance is below its threshold (Retail API).
        CustomerLowBalance(RawObject) = "customer.low_balance",
        /// A customer's status changed (Retail API).
        CustomerUpdated(RawObject) = "customer.updated",
        /// A customer's activation's `sms_status` changed (Retail API).
        CustomerActivationUpdated(Activation) = "customer.activation.updated",
        /// A customer's activation's `report_status` changed (Retail API).
        CustomerActivationReportUpdated(Activation) = "customer.activation_report.updated",
        /// An activation's `sms_status` changed (Alternative API).
        AlternativeActivationUpdated(Activation) = "alternative.activation.updated",
    }
}

impl Event {
    /// The activation record, for the five activation events.
    pub fn activation(&self) -> Option<&Activation> {
        match self {
            Self::ActivationUpdated(activation)
            | Self::ActivationReportUpdated(activation)
            | Self::CustomerActivationUpdated(activation)
            | Self::CustomerActivationReportUpdated(activation)
            | Self::AlternativeActivationUpdated(activation) => Some(activation),
            _ => None,
        }
    }
}

string_enum! {
    /// Where an activation stands with its SMS.
    pub enum SmsStatus {
        /// Waiting for the SMS.
        SmsRequested = "smsRequested",
        /// The SMS arrived.
        SmsReceived = "smsReceived",
        /// Another SMS was requested.
        RetryRequested = "retryRequested",
        /// The other SMS arrived.
        RetryReceived = "retryReceived",
    }
}

string_enum! {
    /// An activation's lifecycle.
    pub enum ActivationStatus {
        /// The number is in use.
        Active = "active",
        /// Completed.
        Finalized = "finalized",
        /// Timed out.
        Expired = "expired",
        /// Cancelled.
        Canceled = "canceled",
    }
}

string_enum! {
    /// What the activation costs the account.
    pub enum BillingStatus {
        /// The price is held.
        Reserved = "reserved",
        /// The hold was released.
        Released = "released",
        /// The price was charged.
        Billed = "billed",
        /// The charge was refunded.
        Refunded = "refunded",
    }
}

string_enum! {
    /// The state of a problem report about an activation.
    pub enum ReportStatus {
        /// Being reviewed.
        InReview = "inReview",
        /// Accepted.
        Approved = "approved",
        /// Rejected.
        Declined = "declined",
    }
}

/// An activation: a temporary number rented to receive an SMS for a service.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Activation {
    /// The activation's id.
    pub activation_id: Option<String>,
    /// The phone number.
    pub phone: Option<String>,
    /// The country's id.
    pub country_id: Option<String>,
    /// The service's id.
    pub service_id: Option<String>,
    /// Where the activation stands with its SMS.
    pub sms_status: Option<SmsStatus>,
    /// The activation's lifecycle.
    pub activation_status: Option<ActivationStatus>,
    /// What it costs the account.
    pub billing_status: Option<BillingStatus>,
    /// The problem report's state; `null` when there is no report.
    pub report_status: Option<ReportStatus>,
    /// The code read from the SMS.
    pub sms_code: Option<String>,
    /// The SMS's text.
    pub sms_text: Option<String>,
    /// The price.
    pub price: Option<Amount>,
    /// When the number stops receiving.
    pub expire_at: Option<UnixTime>,
    /// When the activation last changed.
    pub updated_at: Option<UnixTime>,
    /// When it was created.
    pub created_at: Option<UnixTime>,
    /// Whether another SMS can be requested.
    pub is_retriable: Option<bool>,
    /// When the activation can be cancelled, as sent: Platfone does not say whether this is a
    /// time or a number of seconds.
    pub cancelable_after: Option<i64>,
}
