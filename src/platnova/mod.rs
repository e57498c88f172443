//! Platnova: cards, virtual accounts and transfers.
//!
//! **Authentication.** Platnova sends the secret configured in its dashboard, verbatim, in
//! `X-WEBHOOK-SECRET`. It is compared by hashing both sides with SHA-256 and comparing the
//! digests in constant time ([`SharedSecretHeader`]). Nothing signs the body: the secret proves
//! the sender knows it, not that the body is unaltered, and a captured request can be replayed.
//! De-duplicate with [`Notification::idempotency_key`].
//!
//! **Body.** JSON `{"event", "timestamp", "customer_id", "data"}`; [`Event`] has a variant per
//! documented event type. Platnova retries up to five times until it gets **200**, so answer 200
//! once the notification is verified and stored.
//!
//! ```
//! use hookproof::platnova::{Event, Platnova};
//! use hookproof::{Provider, Secret};
//!
//! let platnova = Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?);
//! let body = br#"{"event":"card.funded","timestamp":"2024-01-01T12:00:00Z","customer_id":"user_id",
//!     "data":{"card_id":"card_uid","card_holder_name":"John Doe","card_status":"active",
//!     "currency":"USD","amount":200.00,"fee":0.00,"transaction_ref":"TR_N123456"}}"#;
//! let headers = [("X-WEBHOOK-SECRET", "pn_live_9f8e7d6c5b4a")];
//!
//! let notification = platnova.verify_and_parse(&headers, body)?;
//! assert_eq!(notification.customer_id, "user_id");
//! assert_eq!(notification.idempotency_key().unwrap().as_str(), "card.funded:TR_N123456");
//! match &notification.event {
//!     Event::CardFunded(funding) => {
//!         assert_eq!(funding.amount.as_str(), "200.00");
//!         assert_eq!(funding.amount.to_minor_units(2)?, 20_000);
//!     }
//!     other => panic!("unexpected {}", other.event_type()),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod events;

pub use events::*;

use std::borrow::Cow;
use std::cell::Cell;

use http::HeaderName;
use serde::de::{IgnoredAny, MapAccess};

use crate::json::{self, Envelope, EnvelopeSeed, Payload, Str, set_once};
use crate::verify::SharedSecretHeader;
use crate::{
    Delivery, Error, Headers, IdempotencyKey, KeyRing, Provenance, Provider, Verified, Verifier,
};

/// Receives Platnova webhooks.
#[derive(Debug, Clone)]
pub struct Platnova {
    scheme: SharedSecretHeader,
}

/// A verified Platnova webhook.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Notification {
    /// When the event occurred, as sent (ISO 8601).
    pub timestamp: String,
    /// The customer the event concerns; empty for entity-level events such as transfers.
    pub customer_id: String,
    /// The event and its data.
    pub event: Event,
    provenance: Provenance,
}

impl Platnova {
    /// The header the secret arrives in.
    pub const SECRET_HEADER: HeaderName = HeaderName::from_static("x-webhook-secret");

    /// A receiver that accepts the secret (or, during a rotation, any of the secrets) in `keys`.
    pub fn new(keys: impl Into<KeyRing>) -> Self {
        Self {
            scheme: SharedSecretHeader::new(Self::SECRET_HEADER, keys),
        }
    }
}

impl Provider for Platnova {
    type Evidence = ();
    type Notification = Notification;

    const NAME: &'static str = "platnova";

    /// Checks `X-WEBHOOK-SECRET`.
    fn verify<'a, H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &'a [u8],
    ) -> Result<Verified<'a>, Error> {
        let key_id = self.scheme.verify(&headers, body)?;
        Ok(Verified::new(body, key_id, ()))
    }

    /// Reads a verified body.
    fn parse(&self, verified: Verified<'_>) -> Result<Notification, Error> {
        let text = json::body_text(verified.body())?;
        let known = Cell::new(None);
        let envelope = json::from_str_seed(
            text,
            EnvelopeSeed::<Fields>::new(&known),
            || known.get(),
            "",
        )?;
        let event_type = envelope.event_type.ok_or_else(|| missing("event"))?;
        Ok(Notification {
            event: envelope.data.ok_or_else(|| missing("data"))?.finish(
                &event_type,
                &known,
                "data",
            )?,
            timestamp: envelope.timestamp.ok_or_else(|| missing("timestamp"))?,
            customer_id: envelope.customer_id.ok_or_else(|| missing("customer_id"))?,
            provenance: verified.provenance(),
        })
    }
}

fn missing(field: &'static str) -> Error {
    Error::missing_field(None, field)
}

impl Notification {
    /// The event type as sent, such as `card.charged`.
    pub fn event_type(&self) -> &str {
        self.event.event_type()
    }

    /// The event type paired with the reference Platnova's documentation names for it:
    /// `transaction_ref` for card and account funding events (`refund_transaction_ref` for a
    /// refund), `reference` for transfers, `virtual_account_id` for `account.issued` and the
    /// customer id for customer events. `None` for an unknown event type.
    pub fn idempotency_key(&self) -> Option<IdempotencyKey> {
        let reference = match &self.event {
            Event::CardCreated(card) | Event::CardTerminated(card) => &card.transaction_ref,
            Event::CardWithdrawal(card) | Event::CardCharged(card) | Event::CardDeclined(card) => {
                &card.transaction_ref
            }
            Event::CardRefund(refund) => &refund.refund_transaction_ref,
            Event::CardFunded(funding) => &funding.transaction_ref,
            Event::AccountIssued(account) => &account.virtual_account_id,
            Event::AccountFunded(funding) => &funding.transaction_ref,
            Event::CustomerApproved(customer) | Event::CustomerRejected(customer) => &customer.id,
            Event::TransferSuccess(transfer) | Event::TransferFailed(transfer) => {
                &transfer.reference
            }
            Event::Unknown(_) => return None,
        };
        Some(IdempotencyKey::scoped(self.event_type(), reference))
    }

    /// The key that verified the request and the body as received.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }
}

/// The envelope's fields as read; `data` is read as its event when `event` came first.
#[derive(Default)]
struct Fields<'de> {
    event_type: Option<Cow<'de, str>>,
    timestamp: Option<String>,
    customer_id: Option<String>,
    data: Option<Payload<'de, Event>>,
}

impl<'de> Envelope<'de> for Fields<'de> {
    const EXPECTING: &'static str = "a Platnova webhook object";

    fn read<A: MapAccess<'de>>(
        &mut self,
        key: Cow<'de, str>,
        map: &mut A,
        known: &Cell<Option<&'static str>>,
    ) -> Result<(), A::Error> {
        match &*key {
            "event" => set_once(
                &mut self.event_type,
                "event",
                map.next_value::<Str<'de>>()?.0,
            )?,
            "timestamp" => set_once(&mut self.timestamp, "timestamp", map.next_value()?)?,
            "customer_id" => set_once(&mut self.customer_id, "customer_id", map.next_value()?)?,
            "data" => {
                let data = Payload::next(map, self.event_type.as_deref(), known)?;
                set_once(&mut self.data, "data", data)?;
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl Delivery for Notification {
    fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    fn idempotency_key(&self) -> Option<IdempotencyKey> {
        self.idempotency_key()
    }
}
