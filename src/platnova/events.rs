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

/// `card.created` and `card.terminated`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CardLifecycle {
    /// The card's id.
    pub card_id: String,
    /// The cardholder's name.
    pub card_holder_name: String,
    /// The card's status after the event.
    pub card_status: CardStatus,
    /// ISO 4217 currency code.
    pub currency: String,
    /// The amount involved (usually zero for these events).
    pub amount: Amount,
    /// The card's details.
    pub card_info: Box<CardInfo>,
    /// The reference of the operation; the idempotency key.
    pub transaction_ref: String,
    /// Where the operation happened.
    pub metadata: CardMetadata,
}

/// `card.withdrawal`, `card.charged` and `card.declined`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CardTransaction {
    /// The card's id.
    pub card_id: String,
    /// The cardholder's name.
    pub card_holder_name: String,
    /// The card's status.
    pub card_status: CardStatus,
    /// ISO 4217 currency code.
    pub currency: String,
    /// The transaction amount.
    pub amount: Amount,
    /// The fee charged.
    pub fee: Amount,
    /// The transaction's reference; the idempotency key.
    pub transaction_ref: String,
    /// What was bought (`card.charged`) or why it was declined (`card.declined`).
    pub description: Option<String>,
    /// Merchant, terminal and channel.
    pub metadata: CardMetadata,
}

/// `card.refund`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CardRefund {
    /// The card's id.
    pub card_id: String,
    /// The cardholder's name.
    pub card_holder_name: String,
    /// The card's status.
    pub card_status: CardStatus,
    /// ISO 4217 currency code.
    pub currency: String,
    /// The refunded amount.
    pub amount: Amount,
    /// The fee charged.
    pub fee: Amount,
    /// The reference of the charge being refunded.
    pub original_transaction_ref: String,
    /// The refund's own reference; the idempotency key.
    pub refund_transaction_ref: String,
    /// Merchant, terminal and channel.
    pub metadata: CardMetadata,
}

/// `card.funded`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CardFunding {
    /// The card's id.
    pub card_id: String,
    /// The cardholder's name.
    pub card_holder_name: String,
    /// The card's status.
    pub card_status: CardStatus,
    /// ISO 4217 currency code.
    pub currency: String,
    /// The amount added.
    pub amount: Amount,
    /// The fee charged.
    pub fee: Amount,
    /// The deposit's reference; the idempotency key.
    pub transaction_ref: String,
}

/// A card's details, in `card.created` and `card.terminated`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CardInfo {
    /// The card number with all but the last four digits masked.
    pub masked_pan: String,
    /// The last four digits.
    pub last4: String,
    /// Expiry month, as sent (`"12"`).
    pub expiry_month: String,
    /// Expiry year, as sent (`"2025"`).
    pub expiry_year: String,
    /// `virtual` or `physical`.
    #[serde(rename = "type")]
    pub card_type: String,
    /// The card network (`visa`).
    pub brand: String,
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
    pub channel: Channel,
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
    pub name: String,
    /// The merchant's category (`retail`, `atm`).
    pub category: Option<String>,
}

/// A terminal in [`CardMetadata`].
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Terminal {
    /// The terminal's id.
    pub id: String,
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
    pub currency: String,
    /// The account number.
    pub account_number: String,
    /// The account holder's name.
    pub account_name: String,
    /// The bank's name.
    pub bank_name: String,
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

/// `account.funded`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct AccountFunding {
    /// The virtual account's id.
    pub virtual_account_id: String,
    /// The amount credited after the fee.
    pub amount: Amount,
    /// The amount paid in, before the fee.
    pub paid_amount: Amount,
    /// The fee charged.
    pub fee: Amount,
    /// ISO 4217 currency code.
    pub currency: String,
    /// The deposit's reference; the idempotency key.
    pub transaction_ref: String,
    /// A human-readable description.
    pub description: Option<String>,
}

/// `customer.approved` and `customer.rejected`.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CustomerReview {
    /// The customer's id; the idempotency key.
    pub id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Email address.
    pub email: String,
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
    pub currency: String,
    /// The fee charged.
    pub fee: Amount,
    /// The outcome.
    pub status: TransferStatus,
    /// Why the transfer failed (`transfer.failed` only).
    pub reason: Option<String>,
    /// The beneficiary, with the fields of whichever rail the transfer used (boxed: it is large,
    /// and every Platnova event would otherwise be as large as it).
    #[serde(default)]
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
