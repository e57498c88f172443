//! Platnova's event payloads, one type per payload shape in the documentation.

use serde::Deserialize;

use crate::{Amount, UnknownEvent};

event_enum! {
    /// A Platnova event: one variant per documented event type, holding its `data`.
    pub enum Event (unknown: UnknownEvent) {
        /// A card was created.
        CardCreated(CardLifecycle) = "card.created",
        /// A card was terminated.
        CardTerminated(CardLifecycle) = "card.terminated",
        /// Funds were withdrawn from a card.
        CardWithdrawal(CardTransaction) = "card.withdrawal",
        /// A card was charged (a purchase).
        CardCharged(CardTransaction) = "card.charged",
        /// A card charge was refunded.
        CardRefund(CardRefund) = "card.refund",
        /// A card was funded (a deposit).
        CardFunded(CardFunding) = "card.funded",
        /// A card transaction was declined; `description` holds the reason.
        CardDeclined(CardTransaction) = "card.declined",
        /// A virtual account was issued.
        AccountIssued(VirtualAccount) = "account.issued",
        /// A virtual account received funds.
        AccountFunded(AccountFunding) = "account.funded",
        /// A customer's documents were approved for virtual account creation.
        CustomerApproved(CustomerReview) = "customer.approved",
        /// A customer's documents were rejected; `reason` says why.
        CustomerRejected(CustomerReview) = "customer.rejected",
        /// A transfer completed.
        TransferSuccess(Transfer) = "transfer.success",
        /// A transfer failed; `reason` says why.
        TransferFailed(Transfer) = "transfer.failed",
        /// A payment's status changed (Platnova's payment-verification guide).
        PaymentStatusUpdated(PaymentStatusUpdate) = "payment.status.updated",
    }
}

string_enum! {
    /// A card's status.
    pub enum CardStatus {
        /// The card can be used.
        Active = "active",
        /// The card was terminated.
        Terminated = "terminated",
    }
}

string_enum! {
    /// Where a card transaction happened.
    pub enum Channel {
        /// Online, card not present.
        Online = "online",
        /// At a cash machine.
        Atm = "atm",
        /// At a point-of-sale terminal.
        Pos = "pos",
    }
}

string_enum! {
    /// A transfer's outcome.
    pub enum TransferStatus {
        /// The transfer completed.
        Success = "success",
        /// The transfer failed.
        Failed = "failed",
    }
}

string_enum! {
    /// A payment's status, in `payment.status.updated`.
    pub enum PaymentStatus {
        /// Initiated and being processed.
        Processing = "processing",
        /// Completed: the funds were transferred.
        Success = "success",
        /// Failed.
        Failed = "failed",
    }
}

/// `card.created` and `card.terminated`.
///
/// Only the reference the idempotency key is built from is required; Platnova's own pages leave
/// out some of the rest (`card.terminated` without `card_info`).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CardLifecycle {
    /// The card's id.
    pub card_id: Option<String>,
    /// The cardholder's name.
    pub card_holder_name: Option<String>,
    /// The card's status after the event.
    pub card_status: Option<CardStatus>,
    /// ISO 4217 currency code.
    pub currency: Option<String>,
    /// The amount involved (usually zero for these events).
    pub amount: Option<Amount>,
    /// The card's details.
    pub card_info: Option<Box<CardInfo>>,
    /// The reference of the operation; the idempotency key.
    pub transaction_ref: String,
    /// Where the operation happened.
    pub metadata: Option<CardMetadata>,
}

/// `card.withdrawal`, `card.charged` and `card.declined`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CardTransaction {
    /// The card's id.
    pub card_id: Option<String>,
    /// The cardholder's name.
    pub card_holder_name: Option<String>,
    /// The card's status.
    pub card_status: Option<CardStatus>,
    /// ISO 4217 currency code.
    pub currency: Option<String>,
    /// The transaction amount.
    pub amount: Amount,
    /// The fee charged; `null` and absent are `None`.
    pub fee: Option<Amount>,
    /// The transaction's reference; the idempotency key.
    pub transaction_ref: String,
    /// What was bought (`card.charged`) or why it was declined (`card.declined`).
    pub description: Option<String>,
    /// Merchant, terminal and channel.
    pub metadata: Option<CardMetadata>,
}

/// `card.refund`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CardRefund {
    /// The card's id.
    pub card_id: Option<String>,
    /// The cardholder's name.
    pub card_holder_name: Option<String>,
    /// The card's status.
    pub card_status: Option<CardStatus>,
    /// ISO 4217 currency code.
    pub currency: Option<String>,
    /// The refunded amount.
    pub amount: Amount,
    /// The fee charged.
    pub fee: Option<Amount>,
    /// The reference of the charge being refunded.
    pub original_transaction_ref: Option<String>,
    /// The refund's own reference; the idempotency key.
    pub refund_transaction_ref: String,
    /// Merchant, terminal and channel.
    pub metadata: Option<CardMetadata>,
}

/// `card.funded`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CardFunding {
    /// The card's id.
    pub card_id: Option<String>,
    /// The cardholder's name.
    pub card_holder_name: Option<String>,
    /// The card's status.
    pub card_status: Option<CardStatus>,
    /// ISO 4217 currency code.
    pub currency: Option<String>,
    /// The amount added.
    pub amount: Amount,
    /// The fee charged.
    pub fee: Option<Amount>,
    /// The deposit's reference; the idempotency key.
    pub transaction_ref: String,
}

/// A card's details, in `card.created` and `card.terminated`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CardInfo {
    /// The card number with all but the last four digits masked.
    pub masked_pan: Option<String>,
    /// The last four digits.
    pub last4: Option<String>,
    /// Expiry month, as sent (`"12"`).
    pub expiry_month: Option<String>,
    /// Expiry year, as sent (`"2025"`).
    pub expiry_year: Option<String>,
    /// `virtual` or `physical`.
    #[serde(rename = "type")]
    pub card_type: Option<String>,
    /// The card network (`visa`).
    pub brand: Option<String>,
    /// The name printed on the card.
    pub name_on_card: Option<String>,
    /// Billing street address.
    pub address: Option<String>,
    /// Billing city.
    pub city: Option<String>,
    /// Billing state.
    pub state: Option<String>,
    /// Billing postal code.
    pub zip_code: Option<String>,
}

/// Where a card operation happened.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CardMetadata {
    /// The merchant; `null` when there is none (a termination).
    pub merchant: Option<Merchant>,
    /// The terminal; `null` when there is none.
    pub terminal: Option<Terminal>,
    /// Online, ATM or point of sale.
    pub channel: Option<Channel>,
    /// A human-readable description.
    pub narration: Option<String>,
    /// The amount charged, sent as a string.
    pub charge_amount: Option<Amount>,
}

/// A merchant in [`CardMetadata`].
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Merchant {
    /// The merchant's name.
    pub name: Option<String>,
    /// The merchant's category (`retail`, `atm`).
    pub category: Option<String>,
}

/// A terminal in [`CardMetadata`].
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Terminal {
    /// The terminal's id.
    pub id: Option<String>,
    /// Where the terminal is.
    pub location: Option<String>,
}

/// `account.issued`: a new virtual account's banking details.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct VirtualAccount {
    /// The virtual account's id; the idempotency key.
    pub virtual_account_id: String,
    /// ISO 4217 currency code.
    pub currency: Option<String>,
    /// The account number.
    pub account_number: Option<String>,
    /// The account holder's name.
    pub account_name: Option<String>,
    /// The bank's name.
    pub bank_name: Option<String>,
    /// The bank's code.
    pub bank_code: Option<String>,
    /// ACH routing number (US).
    pub ach_routing_number: Option<String>,
    /// RTP routing number (US).
    pub rtp_routing_number: Option<String>,
    /// Wire routing number (US).
    pub wire_routing_number: Option<String>,
    /// SWIFT/BIC code.
    pub swift_code: Option<String>,
    /// The bank's address.
    pub bank_address: Option<String>,
}

/// `account.funded`, in either shape Platnova documents: the webhooks page's
/// (`transaction_ref`, `paid_amount`, `fee`) and the receiving-payments guide's
/// (`transaction_id`, `payer_name`, `reference`, `timestamp`, the amount as a string).
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "AccountFundingFields")]
#[non_exhaustive]
pub struct AccountFunding {
    /// The virtual account's id.
    pub virtual_account_id: Option<String>,
    /// The amount credited (after the fee, where there is one).
    pub amount: Amount,
    /// The amount paid in, before the fee.
    pub paid_amount: Option<Amount>,
    /// The fee charged.
    pub fee: Option<Amount>,
    /// ISO 4217 currency code.
    pub currency: Option<String>,
    /// The deposit's reference (the webhooks page's shape).
    pub transaction_ref: Option<String>,
    /// The transaction's id (the receiving-payments guide's shape).
    pub transaction_id: Option<String>,
    /// The payer's payment reference.
    pub reference: Option<String>,
    /// Who paid.
    pub payer_name: Option<String>,
    /// A human-readable description.
    pub description: Option<String>,
    /// When the payment arrived, as sent (ISO 8601).
    pub timestamp: Option<String>,
}

impl AccountFunding {
    /// What identifies the deposit: `transaction_ref`, else `transaction_id`, else `reference`.
    pub fn deposit_reference(&self) -> &str {
        self.transaction_ref
            .as_deref()
            .or(self.transaction_id.as_deref())
            .or(self.reference.as_deref())
            .unwrap_or_default()
    }
}

/// [`AccountFunding`] as read, before checking that something identifies the deposit.
#[derive(Deserialize)]
struct AccountFundingFields {
    virtual_account_id: Option<String>,
    amount: Amount,
    paid_amount: Option<Amount>,
    fee: Option<Amount>,
    currency: Option<String>,
    transaction_ref: Option<String>,
    transaction_id: Option<String>,
    reference: Option<String>,
    payer_name: Option<String>,
    description: Option<String>,
    timestamp: Option<String>,
}

impl TryFrom<AccountFundingFields> for AccountFunding {
    type Error = &'static str;

    fn try_from(fields: AccountFundingFields) -> Result<Self, Self::Error> {
        if fields.transaction_ref.is_none()
            && fields.transaction_id.is_none()
            && fields.reference.is_none()
        {
            return Err("missing field `transaction_ref`");
        }
        Ok(Self {
            virtual_account_id: fields.virtual_account_id,
            amount: fields.amount,
            paid_amount: fields.paid_amount,
            fee: fields.fee,
            currency: fields.currency,
            transaction_ref: fields.transaction_ref,
            transaction_id: fields.transaction_id,
            reference: fields.reference,
            payer_name: fields.payer_name,
            description: fields.description,
            timestamp: fields.timestamp,
        })
    }
}

/// `payment.status.updated`, from Platnova's payment-verification guide.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct PaymentStatusUpdate {
    /// The transaction's id; with the status, the idempotency key.
    pub transaction_id: String,
    /// The payment's reference.
    pub payment_reference: Option<String>,
    /// The new status.
    pub status: PaymentStatus,
    /// When the payment was processed, as sent (ISO 8601).
    pub processed_at: Option<String>,
}

/// `customer.approved` and `customer.rejected`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CustomerReview {
    /// The customer's id; the idempotency key.
    pub id: String,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Why the documents were rejected (`customer.rejected` only).
    pub reason: Option<String>,
}

/// `transfer.success` and `transfer.failed`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Transfer {
    /// The transfer's reference; the idempotency key.
    pub reference: String,
    /// The amount sent.
    pub amount: Amount,
    /// ISO 4217 currency code.
    pub currency: Option<String>,
    /// The fee charged.
    pub fee: Option<Amount>,
    /// The outcome.
    pub status: TransferStatus,
    /// Why the transfer failed (`transfer.failed` only).
    pub reason: Option<String>,
    /// The beneficiary, with the fields of whichever rail the transfer used (boxed: it is large,
    /// and every Platnova event would otherwise be as large as it). `null` or absent reads as
    /// empty.
    #[serde(default, deserialize_with = "crate::json::null_as_default")]
    pub metadata: Box<Beneficiary>,
}

/// A transfer's beneficiary. Each payment rail fills in its own fields, so every one is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Beneficiary {
    /// Bank account number.
    pub account_number: Option<String>,
    /// Phone number.
    pub phone_number: Option<String>,
    /// Bank code.
    pub bank_code: Option<String>,
    /// Bank name.
    pub bank_name: Option<String>,
    /// Name on the account.
    pub account_name: Option<String>,
    /// Beneficiary's name.
    pub beneficiary_name: Option<String>,
    /// Beneficiary's country.
    pub beneficiary_country: Option<String>,
    /// Routing number (US).
    pub routing_number: Option<String>,
    /// SWIFT/BIC code.
    pub swift_code: Option<String>,
    /// Branch code.
    pub branch_code: Option<String>,
    /// Country code.
    pub country_code: Option<String>,
    /// Street address.
    pub street: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or region.
    pub state: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Receiver id (internal transfers).
    pub receiver: Option<String>,
    /// Sender's username (internal transfers).
    pub sender_username: Option<String>,
    /// IBAN.
    pub iban: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Recipient's full address.
    pub recipient_address: Option<String>,
    /// Mobile number (mobile money).
    pub mobile_number: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// A crypto asset (`BTC`).
    pub asset: Option<String>,
    /// A crypto network (`bitcoin`).
    pub network: Option<String>,
    /// Transit number (Canada).
    pub transit_number: Option<String>,
    /// Institution number (Canada).
    pub institution_number: Option<String>,
    /// BSB code (Australia).
    pub bsb_code: Option<String>,
    /// Revolut tag.
    pub revtag: Option<String>,
    /// Zelle id.
    pub zelle_id: Option<String>,
    /// Cash App id.
    pub cashapp_id: Option<String>,
    /// PayPal id.
    pub paypal_id: Option<String>,
    /// A note to the beneficiary.
    pub note: Option<String>,
}
