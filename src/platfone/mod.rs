//! Platfone: SMS activations through the Activation, Retail and Alternative APIs.
//!
//! **Authentication: you choose it.** Platfone publishes no way to sign or authenticate its
//! webhooks. hookproof will not guess one, and will not receive unauthenticated requests either:
//! a [`Platfone`] receiver can only be built with a [`Verifier`], so every request is checked
//! against something you configured with Platfone or in front of it. Use the shared-secret header
//! scheme ([`SharedSecretHeader`]) or HMAC-SHA256 of the body ([`HmacSha256`]) with the header,
//! prefix and encoding you set up, or your own [`Verifier`]. Parsing without verification is
//! possible only through [`dangerous`](crate::dangerous).
//!
//! **Envelope.** Also undocumented; the event type is read from the first present of `type`,
//! `event` and `event_type`, the event id from `id` or `event_id`, and the payload from `data`.
//!
//! ```
//! use hookproof::platfone::{Event, Platfone, SmsStatus};
//! use hookproof::verify::{HmacSha256, SignatureEncoding};
//! use hookproof::{Provider, Secret};
//! use http::HeaderName;
//!
//! let platfone = Platfone::new(
//!     HmacSha256::new(HeaderName::from_static("x-platfone-signature"), Secret::new("pf_whsec_1")?)
//!         .with_prefix("sha256=")
//!         .with_encoding(SignatureEncoding::Hex),
//! );
//! let body = br#"{"id":"evt_1","type":"activation.updated","data":{"activation_id":"a1","sms_status":"smsReceived","sms_code":"123456","price":0.25,"updated_at":1767225600}}"#;
//! // hmac.new(b"pf_whsec_1", body, hashlib.sha256).hexdigest(), computed with Python.
//! let headers = [(
//!     "X-Platfone-Signature",
//!     "sha256=b1e5f542bf2234fadc4bf37f9f82e0fa76a3062279be8aab649e43b0e24f43c7",
//! )];
//!
//! let notification = platfone.verify_and_parse(&headers, body)?;
//! let activation = notification.event.activation().unwrap();
//! assert_eq!(activation.sms_status, Some(SmsStatus::SmsReceived));
//! assert_eq!(activation.price.as_ref().unwrap().as_str(), "0.25");
//! assert_eq!(notification.idempotency_key().unwrap().as_str(), "evt_1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod events;

pub use events::*;

use std::borrow::Cow;
use std::cell::Cell;

use serde::de::{IgnoredAny, MapAccess};

use crate::json::{self, Envelope, EnvelopeSeed, Payload, Str, set_once};
#[cfg(doc)]
use crate::verify::{HmacSha256, SharedSecretHeader};
use crate::{
    Delivery, Error, Headers, Id, IdempotencyKey, Provenance, Provider, Verified, Verifier,
};

/// Receives Platfone webhooks, authenticated by the verifier it is built with.
#[derive(Debug, Clone)]
pub struct Platfone<V> {
    verifier: V,
}

/// A verified Platfone webhook.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Notification {
    /// The event's id (`id` or `event_id`), when the body has one.
    pub event_id: Option<Id>,
    /// The event and its data.
    pub event: Event,
    provenance: Provenance,
}

impl<V: Verifier> Platfone<V> {
    /// A receiver that accepts requests `verifier` accepts. There is deliberately no constructor
    /// without one: Platfone documents no authentication, so only you know what to check.
    pub fn new(verifier: V) -> Self {
        Self { verifier }
    }
}

impl<V: Verifier> Provider for Platfone<V> {
    type Evidence = ();
    type Notification = Notification;

    const NAME: &'static str = "platfone";

    /// Runs the configured verifier.
    fn verify<'a, H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &'a [u8],
    ) -> Result<Verified<'a>, Error> {
        let key_id = self.verifier.verify(&headers, body)?;
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
        let event_type = envelope
            .type_
            .or(envelope.event)
            .or(envelope.event_type)
            .ok_or_else(|| Error::missing_field(None, "type"))?;
        let data = envelope
            .data
            .ok_or_else(|| Error::missing_field(None, "data"))?;
        Ok(Notification {
            event_id: envelope.id.or(envelope.event_id),
            event: data.finish(&event_type, &known, "data")?,
            provenance: verified.provenance(),
        })
    }
}

impl Notification {
    /// The event type as sent, such as `activation.updated`.
    pub fn event_type(&self) -> &str {
        self.event.event_type()
    }

    /// The event id when the body has one; else, for an activation event, the event type, the
    /// activation id, the status the event reports a change of (`sms_status`, or `report_status`
    /// for report events) and the update time. `None` when neither is available.
    pub fn idempotency_key(&self) -> Option<IdempotencyKey> {
        if let Some(id) = &self.event_id {
            return Some(IdempotencyKey::new(id.to_string()));
        }
        let activation = self.event.activation()?;
        let status = match &self.event {
            Event::ActivationReportUpdated(_) | Event::CustomerActivationReportUpdated(_) => {
                activation.report_status.as_ref()?.as_str()
            }
            _ => activation.sms_status.as_ref()?.as_str(),
        };
        Some(IdempotencyKey::new(format!(
            "{}:{}:{status}:{}",
            self.event_type(),
            activation.activation_id.as_ref()?,
            activation.updated_at?,
        )))
    }

    /// The key that verified the request and the body as received.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }
}

/// The envelope's members as read; `data` is read as its event when `type` came first.
#[derive(Default)]
struct Fields<'de> {
    type_: Option<Cow<'de, str>>,
    event: Option<Cow<'de, str>>,
    event_type: Option<Cow<'de, str>>,
    id: Option<Id>,
    event_id: Option<Id>,
    data: Option<Payload<'de, Event>>,
}

impl<'de> Envelope<'de> for Fields<'de> {
    const EXPECTING: &'static str = "a Platfone webhook object";

    fn read<A: MapAccess<'de>>(
        &mut self,
        key: Cow<'de, str>,
        map: &mut A,
        known: &Cell<Option<&'static str>>,
    ) -> Result<(), A::Error> {
        match &*key {
            "type" => set_once(&mut self.type_, "type", map.next_value::<Str<'de>>()?.0)?,
            "event" => set_once(&mut self.event, "event", map.next_value::<Str<'de>>()?.0)?,
            "event_type" => set_once(
                &mut self.event_type,
                "event_type",
                map.next_value::<Str<'de>>()?.0,
            )?,
            "id" => set_once(&mut self.id, "id", map.next_value()?)?,
            "event_id" => set_once(&mut self.event_id, "event_id", map.next_value()?)?,
            "data" => {
                // Only `type`, the first spelling looked up, is certain to be the one used;
                // with another, `data` waits until every spelling has been seen.
                let data = Payload::next(map, self.type_.as_deref(), known)?;
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
