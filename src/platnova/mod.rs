//! Platnova: cards, virtual accounts and transfers.
//!
//! **Authentication.** Platnova sends the secret configured in its dashboard, verbatim, in
//! `X-WEBHOOK-SECRET`. It is compared by hashing both sides with SHA-256 and comparing the
//! digests in constant time ([`SharedSecretHeader`]). Nothing signs the body: the secret proves
//! the sender knows it, not that the body is unaltered, and a captured request can be replayed.
//! De-duplicate with [`Notification::idempotency_key`].
//!
//! **Body.** JSON `{"event", "timestamp", "customer_id", "data"}` (Platnova's guides leave out
//! `timestamp` and `customer_id`); [`Event`] has a variant per documented event type. A field
//! is required only when the event means nothing without it: the reference its idempotency key
//! is made of, a money event's amount, a status event's status. Platnova retries up to five
//! times until it gets **200**, then drops the event, so a known event whose data does not fit
//! arrives as [`Event::Drifted`] rather than being refused ([`Platnova::strict`] refuses it).
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
//! assert_eq!(notification.customer_id.as_deref(), Some("user_id"));
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

use crate::drift::DriftPolicy;
use crate::json::{
    self, Envelope, EnvelopeSeed, JsonObject, KnownEvents, LenientText, Payload, Str, set_once,
};
use crate::verify::SharedSecretHeader;
use crate::{
    Delivery, Drifted, Error, Headers, IdempotencyKey, KeyRing, Provenance, Provider, Verified,
    Verifier,
};

/// Receives Platnova webhooks.
#[derive(Debug, Clone)]
pub struct Platnova {
    scheme: SharedSecretHeader,
    drift: DriftPolicy,
}

/// A verified Platnova webhook.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Notification {
    /// When the event occurred, as sent (ISO 8601); some of Platnova's guides leave it out.
    pub timestamp: Option<String>,
    /// The customer the event concerns; empty or absent for entity-level events such as
    /// transfers.
    pub customer_id: Option<String>,
    /// The event and its data.
    pub event: Event,
    key: Option<IdempotencyKey>,
    provenance: Provenance,
}

impl Platnova {
    /// The header the secret arrives in.
    pub const SECRET_HEADER: HeaderName = HeaderName::from_static("x-webhook-secret");

    /// A receiver that accepts the secret (or, during a rotation, any of the secrets) in `keys`.
    pub fn new(keys: impl Into<KeyRing>) -> Self {
        Self {
            scheme: SharedSecretHeader::new(Self::SECRET_HEADER, keys),
            drift: DriftPolicy::Deliver,
        }
    }

    /// The scheme requests are verified with.
    pub fn scheme(&self) -> &SharedSecretHeader {
        &self.scheme
    }

    /// Refuses a known event whose payload does not have the documented shape
    /// ([`PayloadData`](crate::ErrorKind::PayloadData), 422) instead of delivering it as
    /// [`Event::Drifted`]. Off by default: Platnova retries a refusal five times, then drops
    /// the event. Meant for development.
    #[must_use]
    pub fn strict(mut self) -> Self {
        self.drift = DriftPolicy::Refuse;
        self
    }

    /// The body read into its typed event.
    fn read(text: &str, provenance: Provenance) -> Result<Notification, Error> {
        let known = Cell::new(None);
        let envelope = json::from_str_seed(
            text,
            EnvelopeSeed::<Fields>::new(&known),
            || known.get(),
            "",
        )?;
        let event_type = envelope.event_type.unwrap_or_default();
        let event = match envelope.data {
            Some(data) => data.finish(&event_type, &known, "data")?,
            None => json::absent_payload(&event_type, &known, "data")?,
        };
        Ok(Notification {
            key: event
                .key_parts()
                .map(|parts| key(event.event_type(), &parts)),
            timestamp: envelope.timestamp.into_text(),
            customer_id: envelope.customer_id.into_text(),
            event,
            provenance,
        })
    }

    /// A known event whose data did not fit, read again member by member: the envelope, and the
    /// members the idempotency key is made of, wherever they can be read. `error` stays the
    /// answer when the body is not a known event at all.
    fn drifted(text: &str, error: Error, provenance: Provenance) -> Result<Notification, Error> {
        json::check_body_depth(text)?;
        let envelope = JsonObject::parse(text)?;
        let event_type = match envelope.get("event") {
            Some(raw) if raw.get().starts_with('"') => json::string_value(raw.get())?,
            _ => return Err(error),
        };
        let Some(known) = Event::known_type(&event_type) else {
            return Err(error);
        };
        let data = envelope
            .get("data")
            .and_then(|raw| JsonObject::parse(raw.get()).ok());
        let key = data.and_then(|data| {
            let parts = key_members(known).iter().find_map(|members| {
                members
                    .iter()
                    .map(|m| json::scalar_text(data.get(m)?))
                    .collect::<Option<Vec<_>>>()
            })?;
            Some(key(
                known,
                &parts.iter().map(|part| &**part).collect::<Vec<_>>(),
            ))
        });
        let text_of = |member| {
            envelope
                .get(member)
                .and_then(json::scalar_text)
                .map(Cow::into_owned)
        };
        Ok(Notification {
            timestamp: text_of("timestamp"),
            customer_id: text_of("customer_id"),
            event: Event::Drifted(Drifted::new(known, error, &provenance)),
            key,
            provenance,
        })
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

    /// Reads a verified body; a known event that does not fit its model is
    /// [`Event::Drifted`] unless the receiver is [`strict`](Platnova::strict).
    fn parse(&self, verified: Verified<'_>) -> Result<Notification, Error> {
        let text = json::body_text(verified.body())?;
        let provenance = verified.provenance();
        self.drift
            .apply(Self::read(text, provenance.clone()), |error| {
                Self::drifted(text, error, provenance)
            })
    }
}

/// `event_type:part:…`, the shape of every Platnova key.
fn key(event_type: &str, parts: &[&str]) -> IdempotencyKey {
    IdempotencyKey::new(
        std::iter::once(event_type)
            .chain(parts.iter().copied())
            .collect::<Vec<_>>()
            .join(":"),
    )
}

/// The members of `data` each known event's key is made of, as alternatives in order of
/// preference; [`Event::key_parts`] reads the same from typed events (a test checks they agree).
fn key_members(event_type: &str) -> &'static [&'static [&'static str]] {
    match event_type {
        "card.refund" => &[&["refund_transaction_ref"]],
        "account.issued" => &[&["virtual_account_id"]],
        "account.funded" => &[&["transaction_ref"], &["transaction_id"], &["reference"]],
        "customer.approved" | "customer.rejected" => &[&["id"]],
        "transfer.success" | "transfer.failed" => &[&["reference"]],
        "payment.status.updated" => &[&["transaction_id", "status"]],
        _ => &[&["transaction_ref"]],
    }
}

impl Notification {
    /// The event type as sent, such as `card.charged`.
    pub fn event_type(&self) -> &str {
        self.event.event_type()
    }

    /// The event type paired with the reference Platnova's documentation names for it:
    /// `transaction_ref` for card events (`refund_transaction_ref` for a refund), for
    /// `account.funded` its `transaction_ref`, else `transaction_id`, else `reference`,
    /// `reference` for transfers, `virtual_account_id` for `account.issued`, the customer id
    /// for customer events, and the transaction id and status for `payment.status.updated`.
    /// A drifted event keeps its key when those members could be read. `None` for an unknown
    /// event type.
    pub fn idempotency_key(&self) -> Option<IdempotencyKey> {
        self.key.clone()
    }

    /// The key that verified the request and the body as received.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }
}

impl Event {
    /// The values this event's idempotency key is made of, read from the typed payload.
    fn key_parts(&self) -> Option<Vec<&str>> {
        Some(match self {
            Self::CardCreated(card) | Self::CardTerminated(card) => vec![&*card.transaction_ref],
            Self::CardWithdrawal(card) | Self::CardCharged(card) | Self::CardDeclined(card) => {
                vec![&*card.transaction_ref]
            }
            Self::CardRefund(refund) => vec![&*refund.refund_transaction_ref],
            Self::CardFunded(funding) => vec![&*funding.transaction_ref],
            Self::AccountIssued(account) => vec![&*account.virtual_account_id],
            Self::AccountFunded(funding) => vec![funding.deposit_reference()],
            Self::CustomerApproved(customer) | Self::CustomerRejected(customer) => {
                vec![&*customer.id]
            }
            Self::TransferSuccess(transfer) | Self::TransferFailed(transfer) => {
                vec![&*transfer.reference]
            }
            Self::PaymentStatusUpdated(payment) => {
                vec![&*payment.transaction_id, payment.status.as_str()]
            }
            Self::Unknown(_) | Self::Drifted(_) => return None,
        })
    }
}

/// The envelope's fields as read; `data` is read as its event when `event` came first.
/// `timestamp` and `customer_id` are optional and read leniently: they describe the event but
/// identify nothing, so their shape never fails a delivery.
#[derive(Default)]
struct Fields<'de> {
    event_type: Option<Cow<'de, str>>,
    timestamp: LenientText,
    customer_id: LenientText,
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
            "timestamp" => self.timestamp.set_once(map, "timestamp")?,
            "customer_id" => self.customer_id.set_once(map, "customer_id")?,
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

    fn drifted(&self) -> Option<&Drifted> {
        match &self.event {
            Event::Drifted(drifted) => Some(drifted),
            _ => None,
        }
    }

    fn idempotency_key(&self) -> Option<IdempotencyKey> {
        self.idempotency_key()
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use crate::testing::platnova::SAMPLES;

    /// The typed key and the one a drifted event's members give are the same for every sample
    /// and for the receiving-payments guide's `account.funded`.
    #[test]
    fn typed_and_drifted_keys_agree() {
        let guide = r#"{"event":"account.funded","data":{"transaction_id":"txn_123","amount":"1000.00","reference":"PAY1"}}"#;
        let bodies = SAMPLES.iter().map(|sample| sample.body).chain([guide]);
        for body in bodies {
            let provenance = Verified::new(body.as_bytes(), "default".into(), ()).provenance();
            let typed = Platnova::read(body, provenance.clone()).unwrap();
            let drift = Error::invalid_payload(None, "data", "for the test");
            let drifted = Platnova::drifted(body, drift, provenance).unwrap();
            assert!(typed.key.is_some(), "{body}");
            assert_eq!(typed.key, drifted.key, "{body}");
        }
    }
}
