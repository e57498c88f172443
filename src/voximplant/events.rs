//! The data of each Voximplant callback kind, after Voximplant's generated API clients.
//!
//! Dates and times are kept as the text Voximplant sends (`YYYY-MM-DD`, and
//! `YYYY-MM-DD HH:mm:ss` in UTC); amounts are exact decimals. The idempotency key is the
//! callback's account and id, so a field is required only when the callback means nothing
//! without it: a payment's or an invoice's amount, a status change's new status. Every other
//! field is optional (Voximplant's own structure pages mark many of them so); a list that is
//! absent or `null` reads as empty.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::Amount;

event_enum! {
    /// What a callback reports: one variant per kind, named by its `type`, holding the member of
    /// the same name.
    pub enum CallbackData (unknown: UnknownCallback) {
        /// A document was uploaded.
        #[deprecated(note = "Voximplant replaced it with `account_document_status_updated`")]
        AccountDocumentUploaded(AccountDocumentUploaded) = "account_document_uploaded",
        /// A proof of address was uploaded.
        RegulationAddressUploaded(RegulationAddressUploaded) = "regulation_address_uploaded",
        /// A document was verified.
        #[deprecated(note = "Voximplant replaced it with `account_document_status_updated`")]
        AccountDocumentVerified(AccountDocumentVerified) = "account_document_verified",
        /// The account was frozen.
        AccountIsFrozen(NoData) = "account_is_frozen",
        /// The account was unfrozen.
        AccountIsUnfrozen(NoData) = "account_is_unfrozen",
        /// A new (not child) account was created.
        ActivateSuccessful(NoData) = "activate_successful",
        /// A call history report is ready.
        CallHistoryReport(HistoryReport) = "call_history_report",
        /// A card expired.
        CardExpired(NoData) = "card_expired",
        /// A card expires in a month.
        CardExpiresInMonth(NoData) = "card_expires_in_month",
        /// A bank card payment was made.
        CardPayment(Payment) = "card_payment",
        /// A bank card payment failed.
        CardPaymentFailed(NoData) = "card_payment_failed",
        /// A Robokassa payment was made.
        RobokassaPayment(Payment) = "robokassa_payment",
        /// A wire transfer was received.
        WireTransfer(Payment) = "wire_transfer",
        /// A JavaScript error occurred (when `send_js_error` is set).
        JsFail(NoData) = "js_fail",
        /// The balance reached the configured minimum.
        MinBalance(MinBalance) = "min_balance",
        /// A proof of address was verified or declined.
        RegulationAddressVerified(RegulationAddressVerified) = "regulation_address_verified",
        /// Subscriptions were renewed.
        RenewedSubscriptions(Subscriptions) = "renewed_subscriptions",
        /// A password reset was requested.
        ResetAccountPasswordRequest(NoData) = "reset_account_password_request",
        /// SIP registrations failed.
        SipRegistrationFail(SipRegistrationsFailed) = "sip_registration_fail",
        /// SIP registrations recovered.
        SipRegistrationRecovered(SipRegistrationsRecovered) = "sip_registration_recovered",
        /// Subscriptions were frozen.
        SubscriptionIsFrozen(Subscriptions) = "subscription_is_frozen",
        /// Subscriptions were cancelled.
        SubscriptionIsDetached(Subscriptions) = "subscription_is_detached",
        /// A transaction history report is ready.
        TransactionHistoryReport(HistoryReport) = "transaction_history_report",
        /// Unverified subscriptions were cancelled.
        UnverifiedSubscriptionDetached(Subscriptions) = "unverified_subscription_detached",
        /// Caller IDs are about to expire.
        ExpiringCallerid(ExpiringCallerIds) = "expiring_callerid",
        /// A transcription was saved.
        TranscriptionComplete(TranscriptionComplete) = "transcription_complete",
        /// An SMS arrived.
        SmsInbound(InboundSms) = "sms_inbound",
        /// A phone number's activation status changed.
        PhoneNumberActivationStatusChanged(PhoneNumberActivation) = "phone_number_activation_status_changed",
        /// The waiting period for confirmation documents expires in 20, 15, 10, 5 or 1 days.
        ExpiringAgreement(ExpiringAgreement) = "expiring_agreement",
        /// The waiting period for confirmation documents has expired.
        ExpiredAgreement(ExpiredAgreement) = "expired_agreement",
        /// The expiration date of the waiting period changed.
        RestoredAgreementStatus(RestoredAgreementStatus) = "restored_agreement_status",
        /// A plan renews in 3 days and the balance is too low.
        NextChargeAlert(NextChargeAlert) = "next_charge_alert",
        /// An Apple VoIP certificate expired.
        #[deprecated(note = "Voximplant replaced it with `expired_certificates` and `expiring_certificates`")]
        CertificateExpired(NoData) = "certificate_expired",
        /// Apple VoIP certificates expired.
        ExpiredCertificates(Certificates) = "expired_certificates",
        /// Apple VoIP certificates expire within 14 days.
        ExpiringCertificates(Certificates) = "expiring_certificates",
        /// A document's verification status changed.
        AccountDocumentStatusUpdated(AccountDocumentStatusUpdated) = "account_document_status_updated",
        /// A2P SMS were activated.
        A2pSmsActivated(A2pSmsActivated) = "a2p_sms_activated",
        /// A proof of address needs documents (status `PENDING`).
        RegulationAddressDocumentsRequested(RegulationAddressDocumentsRequested) = "regulation_address_documents_requested",
        /// A monthly invoice was sent.
        InvoiceReceived(InvoiceReceived) = "invoice_received",
        /// Cancelling a batch of tasks completed.
        BatchTaskCancellingCompleted(BatchTaskCancellingCompleted) = "batch_task_cancelling_completed",
    }
}

impl CallbackData {
    /// Whether Voximplant has deprecated this kind in favour of another.
    #[allow(deprecated)]
    pub fn is_deprecated(&self) -> bool {
        matches!(
            self,
            Self::AccountDocumentUploaded(_)
                | Self::AccountDocumentVerified(_)
                | Self::CertificateExpired(_)
        )
    }
}

/// A callback of a kind this version of hookproof does not know.
#[derive(Debug, Clone)]
pub struct UnknownCallback {
    pub(crate) callback_type: String,
    pub(crate) members: Vec<(String, Box<RawValue>)>,
}

impl UnknownCallback {
    /// The callback's `type`.
    pub fn event_type(&self) -> &str {
        &self.callback_type
    }

    /// The callback's members other than the common account fields, as sent: usually one, named
    /// after the type.
    pub fn members(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.members
            .iter()
            .map(|(key, value)| (key.as_str(), &**value))
    }
}

/// A callback kind that carries nothing beyond the account fields.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct NoData {}

string_enum! {
    /// The verification status of an account document.
    pub enum DocumentStatus {
        /// Documents must be uploaded.
        AwaitingDocumentsUploading = "AWAITING_DOCUMENTS_UPLOADING",
        /// The agreement must be uploaded.
        AwaitingAgreementUploading = "AWAITING_AGREEMENT_UPLOADING",
        /// Waiting for verification.
        AwaitingVerification = "AWAITING_VERIFICATION",
        /// Waiting for confirmation documents.
        WaitingForConfirmationDocuments = "WAITING_FOR_CONFIRMATION_DOCUMENTS",
        /// Waiting for confirmation documents (the older spelling).
        WaitingConfirmationDocs = "WAITING_CONFIRMATION_DOCS",
        /// Verified.
        Verified = "VERIFIED",
        /// Rejected.
        Rejected = "REJECTED",
        /// The waiting period expired.
        WaitingPeriodExpired = "WAITING_PERIOD_EXPIRED",
    }
}

string_enum! {
    /// The legal status of the account holder.
    pub enum LegalStatus {
        /// A private person.
        Individual = "INDIVIDUAL",
        /// A sole entrepreneur.
        Entrepreneur = "ENTREPRENEUR",
        /// A company.
        LegalEntity = "LEGAL_ENTITY",
    }
}

string_enum! {
    /// The verification status of a proof of address.
    pub enum RegulationAddressStatus {
        /// Being verified.
        InProgress = "IN_PROGRESS",
        /// Verified.
        Verified = "VERIFIED",
        /// Declined.
        Declined = "DECLINED",
        /// Documents are needed.
        Pending = "PENDING",
    }
}

/// `account_document_uploaded`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct AccountDocumentUploaded {
    /// The document's id.
    pub account_document_id: Option<u64>,
    /// When it was uploaded (UTC).
    pub uploaded: Option<String>,
    /// The verification name (type).
    pub verification_name: Option<String>,
    /// The account holder's legal status, as sent.
    pub legal_status: Option<String>,
}

/// `account_document_verified`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct AccountDocumentVerified {
    /// The document's id.
    pub account_document_id: Option<u64>,
    /// The verification outcome.
    pub account_document_status: DocumentStatus,
    /// When it was uploaded (UTC).
    pub uploaded: Option<String>,
    /// The reviewer's comment.
    pub comment: Option<String>,
    /// The verification name (type).
    pub verification_name: Option<String>,
    /// The account holder's legal status, as sent.
    pub legal_status: Option<String>,
}

/// `regulation_address_uploaded`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct RegulationAddressUploaded {
    /// The proof of address's id.
    pub regulation_address_id: Option<u64>,
    /// When it was uploaded (UTC).
    pub uploaded: Option<String>,
    /// Whether the account belongs to an individual.
    pub is_individual: Option<bool>,
    /// The address's name.
    pub regulation_address_name: Option<String>,
}

/// `regulation_address_verified`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct RegulationAddressVerified {
    /// The proof of address's id.
    pub regulation_address_id: Option<u64>,
    /// `VERIFIED` or `DECLINED`.
    pub regulation_address_status: RegulationAddressStatus,
    /// When it was uploaded (UTC).
    pub uploaded: Option<String>,
    /// Whether the account belongs to an individual.
    pub is_individual: Option<bool>,
    /// The reviewer's comment.
    pub comment: Option<String>,
    /// The address's name.
    pub regulation_address_name: Option<String>,
}

/// `regulation_address_documents_requested`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct RegulationAddressDocumentsRequested {
    /// The proof of address's id.
    pub regulation_address_id: Option<u64>,
    /// The address's name.
    pub regulation_address_name: Option<String>,
    /// The verification status.
    pub regulation_address_status: RegulationAddressStatus,
    /// When the status changed (UTC).
    pub update_time: Option<String>,
    /// Whether the account belongs to an individual.
    pub is_individual: Option<bool>,
    /// The reviewer's comment.
    pub comment: Option<String>,
}

/// `call_history_report` and `transaction_history_report`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct HistoryReport {
    /// The report's id.
    pub history_report_id: Option<u64>,
    /// Whether the report was built.
    pub success: Option<bool>,
    /// When it was ordered (UTC).
    pub order_date: Option<String>,
}

/// `card_payment`, `robokassa_payment` and `wire_transfer`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Payment {
    /// The transaction's id.
    pub transaction_id: Option<u64>,
    /// The transaction's type.
    pub transaction_type: Option<String>,
    /// The amount, in the account's currency.
    pub amount: Amount,
}

/// `min_balance`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct MinBalance {
    /// Whether the credit threshold (credit limit minus the notification minimum) was exceeded.
    pub is_min_credit: Option<bool>,
    /// Whether this callback repeats an earlier one.
    pub is_repeated: Option<bool>,
}

/// `renewed_subscriptions`, `subscription_is_frozen`, `subscription_is_detached` and
/// `unverified_subscription_detached`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Subscriptions {
    /// The subscriptions concerned.
    #[serde(default, deserialize_with = "crate::json::null_as_default")]
    pub subscriptions: Vec<Subscription>,
}

/// One subscription in [`Subscriptions`].
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Subscription {
    /// `PHONE_NUM`, `SIP_REGISTRATION`, `PLAN`, …
    #[serde(rename = "type")]
    pub subscription_type: Option<String>,
    /// What is subscribed, e.g. the phone number.
    pub name: Option<String>,
    /// The cost (renewed and frozen subscriptions).
    pub cost: Option<Amount>,
    /// The next renewal date (renewed subscriptions).
    pub next_renewal: Option<String>,
    /// The phone numbers or SIP registrations the subscription is attached to.
    #[serde(default, deserialize_with = "crate::json::null_as_default")]
    pub details: Vec<SubscriptionDetails>,
}

/// What a [`Subscription`] is attached to.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct SubscriptionDetails {
    /// `PHONE` or `SIP_REGISTRATION`.
    #[serde(rename = "type")]
    pub details_type: Option<String>,
    /// The phone numbers, for `PHONE`.
    #[serde(default, deserialize_with = "crate::json::null_as_default")]
    pub phone_numbers: Vec<SubscribedPhoneNumber>,
    /// The SIP registrations, for `SIP_REGISTRATION`.
    #[serde(default, deserialize_with = "crate::json::null_as_default")]
    pub sip_registrations: Vec<SipRegistration>,
}

/// A phone number in [`SubscriptionDetails`].
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct SubscribedPhoneNumber {
    /// The phone number's id.
    pub phone_id: Option<u64>,
    /// The phone number.
    pub phone_number: Option<String>,
}

/// A SIP registration, by id.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct SipRegistration {
    /// The SIP registration's id.
    pub sip_registration_id: Option<u64>,
}

/// `sip_registration_fail`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct SipRegistrationsFailed {
    /// The failed registrations.
    #[serde(default, deserialize_with = "crate::json::null_as_default")]
    pub sip_registrations: Vec<FailedSipRegistration>,
}

/// One failed registration in [`SipRegistrationsFailed`].
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct FailedSipRegistration {
    /// The SIP registration's id.
    pub sip_registration_id: Option<u64>,
    /// The SIP status code.
    pub status_code: Option<String>,
    /// The error message.
    pub error_message: Option<String>,
}

/// `sip_registration_recovered`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct SipRegistrationsRecovered {
    /// The recovered registrations.
    #[serde(default, deserialize_with = "crate::json::null_as_default")]
    pub sip_registrations: Vec<SipRegistration>,
}

/// `expiring_callerid`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct ExpiringCallerIds {
    /// The caller IDs about to expire.
    #[serde(default, deserialize_with = "crate::json::null_as_default")]
    pub callerids: Vec<String>,
    /// When they expire (`YYYY-MM-DD`).
    pub expiration_date: Option<String>,
}

/// `transcription_complete`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct TranscriptionComplete {
    /// The recording's URL.
    pub record_url: Option<String>,
    /// The transcription's URL (needs authorization parameters and `record_id` to open).
    pub transcription_url: Option<String>,
    /// The call session history id.
    pub call_session_history_id: Option<u64>,
    /// What the transcription cost.
    pub transcription_cost: Option<Amount>,
}

/// `sms_inbound`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct InboundSms {
    /// The sender's number.
    pub source_number: Option<String>,
    /// The receiving number.
    pub destination_number: Option<String>,
    /// The message.
    pub sms_body: Option<String>,
}

/// `phone_number_activation_status_changed`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct PhoneNumberActivation {
    /// The phone number.
    pub phone_number: Option<String>,
    /// The new activation status, as sent.
    pub activation_status: String,
}

/// `expiring_agreement`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct ExpiringAgreement {
    /// When the waiting period ends (`YYYY-MM-DD`).
    pub expiration_date: Option<String>,
    /// Days left.
    pub until_expiration: Option<i64>,
}

/// `expired_agreement`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct ExpiredAgreement {
    /// The expired agreements' document ids.
    #[serde(default, deserialize_with = "crate::json::null_as_default")]
    pub document_ids: Vec<u64>,
}

/// `restored_agreement_status`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct RestoredAgreementStatus {
    /// The agreement document's id.
    pub document_id: Option<u64>,
    /// The new end of the waiting period (`YYYY-MM-DD`).
    pub expiration_date: Option<String>,
}

/// `next_charge_alert`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct NextChargeAlert {
    /// The price of all plans renewing on the 1st of the month, in the account's currency.
    pub required_money: Option<Amount>,
    /// The money missing to renew them.
    pub insufficient_funds_amount: Option<Amount>,
}

/// `expired_certificates` and `expiring_certificates`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Certificates {
    /// The certificates concerned.
    #[serde(default, deserialize_with = "crate::json::null_as_default")]
    pub certificates: Vec<Certificate>,
}

/// One certificate in [`Certificates`].
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Certificate {
    /// The push credential's id.
    pub push_credential_id: Option<u64>,
    /// The certificate's file name.
    pub cert_file_name: Option<String>,
    /// When it expires (`YYYY-MM-DD`).
    pub expiration_date: Option<String>,
    /// The applications using it.
    #[serde(default, deserialize_with = "crate::json::null_as_default")]
    pub applications: Vec<String>,
}

/// `account_document_status_updated`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct AccountDocumentStatusUpdated {
    /// The document's id.
    pub account_document_id: Option<u64>,
    /// The status before.
    pub previous_account_document_status: Option<DocumentStatus>,
    /// The status now.
    pub account_document_status: DocumentStatus,
    /// When it changed (UTC).
    pub update_time: Option<String>,
    /// The reviewer's comment.
    pub comment: Option<String>,
    /// The account holder's legal status.
    pub legal_status: Option<LegalStatus>,
}

/// `a2p_sms_activated`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct A2pSmsActivated {
    /// Whether A2P messages are allowed.
    pub a2p_enabled: Option<bool>,
}

/// `invoice_received`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct InvoiceReceived {
    /// The invoice's id.
    pub invoice_id: Option<u64>,
    /// When the invoice was created.
    pub invoice_date: Option<String>,
    /// When it was received.
    pub receival_date: Option<String>,
    /// The amount before taxes.
    pub amount: Amount,
    /// The tax.
    pub tax_amount: Option<Amount>,
    /// The invoice's currency.
    pub currency: Option<String>,
}

/// `batch_task_cancelling_completed`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct BatchTaskCancellingCompleted {
    /// The batch's id.
    pub batch_id: Option<u64>,
    /// How many tasks were cancelled.
    pub cancelled_tasks_number: Option<u64>,
}
