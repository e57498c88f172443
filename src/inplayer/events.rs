//! InPlayer's event resources, grouped by shape.
//!
//! InPlayer documents its resources by example only, and the idempotency key is the envelope's
//! `id`, so every resource field is optional; a field that is present must still have its
//! documented type, or the event arrives as [`Event::Drifted`]. Every value arrives
//! as text and is typed where the meaning is clear: ids and Unix timestamps as numbers, amounts as
//! exact decimals, booleans from `true`/`false`/`1`/`0`.

use serde::Deserialize;

use crate::form::FormValue;
use crate::{Amount, UnixTime};

event_enum! {
    /// An InPlayer event: one variant per event type of the dashboard, holding its `resource`.
    pub enum Event (unknown: UnknownEvent) {
        /// Free access to an asset was given.
        FreemiumGrantSuccess(PaymentResource) = "freemium.grant.success",
        /// Giving free access to an asset failed.
        FreemiumGrantFailed(FailureResource) = "freemium.grant.failed",
        /// A card payment succeeded.
        PaymentCardSuccess(PaymentResource) = "payment.card.success",
        /// A card payment failed.
        PaymentCardFailed(FailureResource) = "payment.card.failed",
        /// A payment was refunded.
        PaymentRefundSuccess(PaymentResource) = "payment.refund.success",
        /// A refund failed.
        PaymentRefundFailed(FailureResource) = "payment.refund.failed",
        /// A billing subscription was created.
        SubscribeSuccess(PaymentResource) = "subscribe.success",
        /// A billing subscription was cancelled.
        SubscribeCancelledSuccess(PaymentResource) = "subscribe.cancelled.success",
        /// Creating a billing subscription failed.
        SubscribeFailed(FailureResource) = "subscribe.failed",
        /// Cancelling a billing subscription failed.
        SubscribeCancelledFailed(FailureResource) = "subscribe.cancelled.failed",
        /// A billing subscription was updated.
        SubscribeUpdated(PaymentResource) = "subscribe.updated",
        /// A billing subscription expired.
        SubscribeExpired(PaymentResource) = "subscribe.expired",
        /// An external (e.g. PayPal) payment succeeded.
        ExternalPaymentSuccess(PaymentResource) = "external.payment.success",
        /// An external payment failed.
        ExternalPaymentFailed(FailureResource) = "external.payment.failed",
        /// An external subscription succeeded.
        ExternalSubscribeSuccess(PaymentResource) = "external.subscribe.success",
        /// An external subscription failed.
        ExternalSubscribeFailed(FailureResource) = "external.subscribe.failed",
        /// An external subscription was updated.
        ExternalSubscribeUpdateSuccess(PaymentResource) = "external.subscribe.update.success",
        /// Updating an external subscription failed.
        ExternalSubscribeUpdateFailed(FailureResource) = "external.subscribe.update.failed",
        /// An external subscription was cancelled.
        ExternalSubscribeCancelSuccess(PaymentResource) = "external.subscribe.cancel.success",
        /// Cancelling an external subscription failed.
        ExternalSubscribeCancelFailed(FailureResource) = "external.subscribe.cancel.failed",
        /// An external payment was refunded.
        ExternalPaymentRefundSuccess(PaymentResource) = "external.payment.refund.success",
        /// Refunding an external payment failed.
        ExternalPaymentRefundFailed(FailureResource) = "external.payment.refund.failed",
        /// A customer was granted access to an asset.
        AssetAccessGranted(AccessResource) = "asset.access.granted",
        /// A customer's access to an asset was revoked.
        AssetAccessRevoked(AccessResource) = "asset.access.revoked",
        /// A customer registered.
        CustomerRegistered(CustomerResource) = "customer.registered",
        /// A customer's data was updated.
        CustomerUpdated(CustomerResource) = "customer.updated",
        /// A customer changed their password.
        CustomerPasswordUpdated(PasswordUpdate) = "customer.password.updated",
        /// A subscription is waiting for its payment to complete (from an unmerged branch of
        /// InPlayer's documentation; not on the dashboard's list).
        SubscribePending(PaymentResource) = "subscribe.pending",
        /// A subscription's recurring charge failed (from an unmerged branch of InPlayer's
        /// documentation; not on the dashboard's list).
        SubscriptionRebillFailed(RebillFailure) = "subscription.rebill.failed",
    }
}

/// An event of a type this version of hookproof does not know.
#[derive(Debug, Clone)]
pub struct UnknownEvent {
    pub(crate) event_type: String,
    pub(crate) resource: FormValue,
}

impl UnknownEvent {
    /// The event type as sent.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The decoded `resource[…]` fields.
    pub fn resource(&self) -> &FormValue {
        &self.resource
    }
}

/// The resource of a successful payment, subscription or refund.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct PaymentResource {
    /// The transaction's id (`C-…-SC` card sale, `S-…-ST` subscription, `…-PP` PayPal).
    pub transaction: Option<String>,
    /// The price's description.
    pub description: Option<String>,
    /// The customer's email.
    pub email: Option<String>,
    /// The customer's id.
    pub customer_id: Option<u64>,
    /// The asset's id.
    pub item_id: Option<u64>,
    /// The asset's title (sent as `previewTitle`).
    #[serde(rename = "previewTitle")]
    pub preview_title: Option<String>,
    /// The amount with its currency symbol, for display (`€10.00`).
    pub formatted_amount: Option<String>,
    /// The amount.
    pub amount: Option<Amount>,
    /// ISO 4217 currency code.
    pub currency_iso: Option<String>,
    /// `success`.
    pub status: Option<String>,
    /// When the operation happened.
    pub timestamp: Option<UnixTime>,
    /// An HTTP-like result code (`200`).
    pub code: Option<u16>,
    /// The id of the price (access fee) paid.
    pub access_fee_id: Option<u64>,
    /// How the customer paid.
    pub payment_method: Option<String>,
    /// When a subscription renews next.
    pub next_rebill_date: Option<UnixTime>,
    /// The page the customer came from.
    pub referrer: Option<String>,
    /// For refunds: whether only part of the amount was refunded.
    pub is_partial: Option<bool>,
    /// For refunds: the merchant's note.
    pub note: Option<String>,
    /// The voucher used: a code, or `0` or empty when none was.
    pub voucher_code: Option<String>,
    /// The price before a voucher's discount.
    pub full_amount: Option<Amount>,
    /// The voucher's discount, in percent.
    pub discount_percent: Option<Amount>,
    /// The customer's id, as some events name it.
    pub consumer_id: Option<u64>,
}

/// The resource of `subscription.rebill.failed`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct RebillFailure {
    /// The amount the charge tried to take.
    pub attempted_charge_amount: Option<Amount>,
    /// The price before any discount.
    pub full_amount: Option<Amount>,
    /// The subscription's token.
    pub subscription_token: Option<String>,
    /// The merchant's id.
    pub merchant_id: Option<u64>,
    /// The customer's id.
    pub consumer_id: Option<u64>,
    /// When the charge failed (InPlayer sends milliseconds here).
    pub timestamp: Option<UnixTime>,
}

/// The resource of a failed operation.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct FailureResource {
    /// The customer's account id.
    pub account_id: Option<u64>,
    /// An HTTP-like error code (`422`).
    pub code: Option<u16>,
    /// A short explanation.
    pub explain: Option<String>,
    /// Further details; InPlayer sometimes sends them as a JSON string.
    pub extras: Option<FormValue>,
    /// The error message (free text).
    pub message: Option<String>,
}

/// The resource of `asset.access.granted` and `asset.access.revoked`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct AccessResource {
    /// `purchased` for a grant, `revoked` for a revocation.
    #[serde(rename = "type")]
    pub access_type: Option<String>,
    /// The merchant's id.
    pub merchant_id: Option<u64>,
    /// The customer's id.
    pub consumer_id: Option<u64>,
    /// The customer's email.
    pub consumer_email: Option<String>,
    /// The asset's id.
    pub item_id: Option<u64>,
    /// The asset's title.
    pub item_title: Option<String>,
    /// The access record's id.
    pub item_access_id: Option<u64>,
    /// The price's id.
    pub access_fee_id: Option<u64>,
    /// When the access record was created.
    pub created_at: Option<UnixTime>,
    /// When the access was granted or revoked, as sent (ISO 8601).
    pub date: Option<String>,
    /// When access starts.
    pub starts_at: Option<UnixTime>,
    /// When access ends.
    pub expires_at: Option<UnixTime>,
    /// When access was originally due to end.
    pub original_expires_at: Option<UnixTime>,
    /// Whether access was extended.
    pub extended: Option<bool>,
    /// Whether this is a trial.
    pub is_trial: Option<bool>,
    /// Whether access is revoked.
    pub revoked: Option<bool>,
    /// The transaction that paid for the access.
    pub parent_resource_id: Option<String>,
    /// How the customer paid (`Card`).
    pub payment_method: Option<String>,
    /// The payment instrument (`Visa 1111`).
    pub payment_tool: Option<String>,
    /// The purchased price's description.
    pub purchased_access_fee_description: Option<String>,
    /// The purchased price's id.
    pub purchased_access_fee_id: Option<u64>,
    /// The purchased price's type (`ppv`).
    pub purchased_access_fee_type: Option<String>,
    /// The amount paid.
    pub purchased_amount: Option<Amount>,
    /// The currency paid in.
    pub purchased_currency_iso: Option<String>,
    /// The voucher used, if any.
    pub voucher_code: Option<String>,
}

/// The resource of `customer.registered` and `customer.updated`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CustomerResource {
    /// The customer's id.
    pub id: Option<u64>,
    /// The customer's email.
    pub email: Option<String>,
    /// Whether the account is active.
    pub active: Option<bool>,
    /// Whether registration is complete.
    pub completed: Option<bool>,
    /// When the account was created.
    pub created_at: Option<UnixTime>,
    /// When the account was last updated.
    pub updated_at: Option<UnixTime>,
    /// Date of birth.
    pub date_of_birth: Option<UnixTime>,
    /// Full name.
    pub full_name: Option<String>,
    /// The merchant's id.
    pub merchant_id: Option<u64>,
    /// The merchant's UUID.
    pub merchant_uuid: Option<String>,
    /// The page the customer registered from.
    pub referrer: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// The customer's UUID.
    pub uuid: Option<String>,
}

/// The resource of `customer.password.updated`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct PasswordUpdate {
    /// The customer's id.
    pub customer_id: Option<u64>,
    /// The merchant's id.
    pub merchant_id: Option<u64>,
    /// The customer's email.
    pub email: Option<String>,
    /// When the password changed.
    pub timestamp: Option<UnixTime>,
}
