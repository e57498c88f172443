//! The field names hookproof's own models define: the only keys an error message may show.
//!
//! Keys that reach an error come from the request. One that is also the name of a field
//! hookproof defines says nothing the crate's source does not; any other may be an email
//! address or a card number and is described by its length instead.

/// Every model field name and envelope key, sorted. The test below reads each model's field list
/// from serde and fails when one is missing here.
pub(crate) const DEFINED: &[&str] = &[
    "a2p_enabled",
    "access_fee_id",
    "account_document_id",
    "account_document_status",
    "account_email",
    "account_first_name",
    "account_id",
    "account_last_name",
    "account_name",
    "account_number",
    "ach_routing_number",
    "activation_id",
    "activation_status",
    "active",
    "address",
    "amount",
    "applications",
    "asset",
    "balance",
    "bank_address",
    "bank_code",
    "bank_name",
    "batch_id",
    "beneficiary_country",
    "beneficiary_name",
    "billing_status",
    "branch_code",
    "brand",
    "bsb_code",
    "businessRequestId",
    "call_session_history_id",
    "callback_id",
    "callbacks",
    "callerids",
    "cancelable_after",
    "cancelled_tasks_number",
    "card_holder_name",
    "card_id",
    "card_info",
    "card_status",
    "cashapp_id",
    "category",
    "cert_file_name",
    "certificates",
    "channel",
    "charge_amount",
    "city",
    "clientStatus",
    "code",
    "comment",
    "completed",
    "consumer_email",
    "consumer_id",
    "cost",
    "country_code",
    "country_id",
    "created",
    "created_at",
    "creationTime",
    "currency",
    "currency_iso",
    "customer_id",
    "data",
    "date",
    "date_of_birth",
    "description",
    "destination_number",
    "details",
    "discount_percent",
    "document_id",
    "document_ids",
    "email",
    "error_message",
    "event",
    "event_id",
    "event_type",
    "expiration_date",
    "expire_at",
    "expires_at",
    "expiry_month",
    "expiry_year",
    "explain",
    "extended",
    "extras",
    "fee",
    "first_name",
    "formatted_amount",
    "fromAmount",
    "fromCurrencySymbol",
    "full_amount",
    "full_name",
    "hash",
    "history_report_id",
    "iban",
    "id",
    "institution_number",
    "insufficient_funds_amount",
    "invoice_date",
    "invoice_id",
    "is_individual",
    "is_min_credit",
    "is_partial",
    "is_repeated",
    "is_retriable",
    "is_trial",
    "item_access_id",
    "item_id",
    "item_title",
    "kycStatus",
    "language_code",
    "last4",
    "lastUpdateTime",
    "last_name",
    "legal_status",
    "location",
    "masked_pan",
    "merchant",
    "merchant_id",
    "merchant_uuid",
    "message",
    "metadata",
    "mobile_number",
    "name",
    "name_on_card",
    "narration",
    "network",
    "next_rebill_date",
    "next_renewal",
    "note",
    "order_date",
    "original_expires_at",
    "original_transaction_ref",
    "paid_amount",
    "parent_resource_id",
    "payer_name",
    "payment_method",
    "payment_tool",
    "paypal_id",
    "phone",
    "phone_id",
    "phone_number",
    "phone_numbers",
    "postal_code",
    "previewTitle",
    "previous_account_document_status",
    "price",
    "purchased_access_fee_description",
    "purchased_access_fee_id",
    "purchased_access_fee_type",
    "purchased_amount",
    "purchased_currency_iso",
    "purpose",
    "push_credential_id",
    "reason",
    "receival_date",
    "receiver",
    "recipient_address",
    "record_url",
    "reference",
    "referrer",
    "refund_transaction_ref",
    "regulation_address_id",
    "regulation_address_name",
    "regulation_address_status",
    "report_status",
    "required_money",
    "resource",
    "revoked",
    "revtag",
    "routing_number",
    "rtp_routing_number",
    "sender_username",
    "service_id",
    "sip_registration_id",
    "sip_registrations",
    "sms_body",
    "sms_code",
    "sms_status",
    "sms_text",
    "source_number",
    "starts_at",
    "state",
    "status",
    "status_code",
    "street",
    "subscriptions",
    "success",
    "swift_code",
    "tax_amount",
    "terminal",
    "timestamp",
    "toAmount",
    "toCurrencySymbol",
    "transaction",
    "transaction_id",
    "transaction_ref",
    "transaction_type",
    "transcription_cost",
    "transcription_url",
    "transit_number",
    "type",
    "until_expiration",
    "update_time",
    "updated_at",
    "uploaded",
    "username",
    "uuid",
    "verification_name",
    "version",
    "virtual_account_id",
    "voucher_code",
    "wire_routing_number",
    "zelle_id",
    "zip_code",
];

#[cfg(test)]
mod tests {
    use serde::de::{self, Deserialize, Deserializer, Visitor};

    use super::DEFINED;

    /// A deserializer that records the field list a derived struct hands it, then stops.
    struct FieldList(Vec<&'static str>);

    impl<'de> Deserializer<'de> for &mut FieldList {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.extend_from_slice(fields);
            Err(de::Error::custom("recorded"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }

    fn fields_of<T: for<'de> Deserialize<'de>>(list: &mut FieldList) {
        let _ = T::deserialize(&mut *list);
    }

    /// The envelope keys and batch members the providers read by hand.
    const ENVELOPES: &[&str] = &[
        "account_email",
        "account_first_name",
        "account_id",
        "account_last_name",
        "account_name",
        "balance",
        "callback_id",
        "callbacks",
        "created",
        "currency",
        "customer_id",
        "data",
        "event",
        "event_id",
        "event_type",
        "hash",
        "id",
        "language_code",
        "resource",
        "timestamp",
        "type",
        "version",
    ];

    fn recorded() -> Vec<&'static str> {
        use crate::{cedar, inplayer, platfone, platnova, voximplant};
        let mut list = FieldList(ENVELOPES.to_vec());
        macro_rules! models {
            ($($model:ty),+ $(,)?) => { $( fields_of::<$model>(&mut list); )+ };
        }
        models!(
            cedar::KycStatusChanged,
            cedar::ExternalAccountStatusChanged,
            cedar::TransactionStatusChanged,
            cedar::PayoutConfirmationStatusChanged,
            inplayer::PaymentResource,
            inplayer::FailureResource,
            inplayer::AccessResource,
            inplayer::CustomerResource,
            inplayer::PasswordUpdate,
            platfone::Activation,
            platnova::CardLifecycle,
            platnova::CardTransaction,
            platnova::CardRefund,
            platnova::CardFunding,
            platnova::CardInfo,
            platnova::CardMetadata,
            platnova::Merchant,
            platnova::Terminal,
            platnova::VirtualAccount,
            platnova::AccountFunding,
            platnova::CustomerReview,
            platnova::Transfer,
            platnova::Beneficiary,
            voximplant::Account,
            voximplant::AccountDocumentUploaded,
            voximplant::AccountDocumentVerified,
            voximplant::RegulationAddressUploaded,
            voximplant::RegulationAddressVerified,
            voximplant::HistoryReport,
            voximplant::Payment,
            voximplant::MinBalance,
            voximplant::Subscriptions,
            voximplant::Subscription,
            voximplant::SubscriptionDetails,
            voximplant::SubscribedPhoneNumber,
            voximplant::SipRegistration,
            voximplant::SipRegistrationsFailed,
            voximplant::FailedSipRegistration,
            voximplant::SipRegistrationsRecovered,
            voximplant::ExpiringCallerIds,
            voximplant::TranscriptionComplete,
            voximplant::InboundSms,
            voximplant::PhoneNumberActivation,
            voximplant::ExpiringAgreement,
            voximplant::ExpiredAgreement,
            voximplant::RestoredAgreementStatus,
            voximplant::NextChargeAlert,
            voximplant::Certificates,
            voximplant::Certificate,
            voximplant::AccountDocumentStatusUpdated,
            voximplant::A2pSmsActivated,
            voximplant::RegulationAddressDocumentsRequested,
            voximplant::InvoiceReceived,
            voximplant::BatchTaskCancellingCompleted,
        );
        let mut names = list.0;
        names.sort_unstable();
        names.dedup();
        names
    }

    #[test]
    fn every_model_field_is_defined_and_the_list_is_sorted() {
        let recorded = recorded();
        assert!(recorded.len() > 100, "the recorder reads the models");
        let missing: Vec<_> = recorded.iter().filter(|n| !DEFINED.contains(n)).collect();
        assert!(missing.is_empty(), "add to DEFINED: {missing:?}");
        let stale: Vec<_> = DEFINED.iter().filter(|n| !recorded.contains(n)).collect();
        assert!(stale.is_empty(), "remove from DEFINED: {stale:?}");
        assert!(DEFINED.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
