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

use crate::drift::DriftPolicy;
use crate::json::{self, Envelope, EnvelopeSeed, JsonObject, KnownEvents, Payload, Str, set_once};
#[cfg(doc)]
use crate::verify::{HmacSha256, SharedSecretHeader};
use crate::{
    Delivery, Drifted, Error, Headers, Id, IdempotencyKey, Provenance, Provider, UnixTime,
    Verified, Verifier,
};

/// Receives Platfone webhooks, authenticated by the verifier it is built with.
#[derive(Debug, Clone)]
pub struct Platfone<V> {
    verifier: V,
    drift: DriftPolicy,
}

/// A verified Platfone webhook.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Notification {
    /// The event's id (`id` or `event_id`), when the body has one.
    pub event_id: Option<Id>,
    /// The event and its data.
    pub event: Event,
    key: Option<IdempotencyKey>,
    provenance: Provenance,
}

impl<V: Verifier> Platfone<V> {
    /// A receiver that accepts requests `verifier` accepts. There is deliberately no constructor
    /// without one: Platfone documents no authentication, so only you know what to check.
    pub fn new(verifier: V) -> Self {
        Self {
            verifier,
            drift: DriftPolicy::Deliver,
        }
    }

    /// The verifier requests are checked with.
    pub fn verifier(&self) -> &V {
        &self.verifier
    }

    /// Refuses a known event whose data does not have the modelled shape
    /// ([`PayloadData`](crate::ErrorKind::PayloadData), 422) instead of delivering it as
    /// [`Event::Drifted`]. Off by default; meant for development.
    #[must_use]
    pub fn strict(mut self) -> Self {
        self.drift = DriftPolicy::Refuse;
        self
    }
}

impl<V> Platfone<V> {
    /// The body read into its typed event.
    fn read(text: &str, provenance: Provenance) -> Result<Notification, Error> {
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
            .unwrap_or_default();
        let event = match envelope.data {
            Some(data) => data.finish(&event_type, &known, "data")?,
            None => json::absent_payload(&event_type, &known, "data")?,
        };
        let event_id = envelope.id.or(envelope.event_id);
        let key = match &event_id {
            Some(id) => Some(IdempotencyKey::new(id.to_string())),
            None => event.activation().and_then(|activation| {
                let status = match &event {
                    Event::ActivationReportUpdated(_)
                    | Event::CustomerActivationReportUpdated(_) => {
                        activation.report_status.as_ref()?.as_str()
                    }
                    _ => activation.sms_status.as_ref()?.as_str(),
                };
                Some(activation_key(
                    event.event_type(),
                    activation.activation_id.as_deref()?,
                    status,
                    activation.updated_at?,
                ))
            }),
        };
        Ok(Notification {
            event_id,
            event,
            key,
            provenance,
        })
    }

    /// A known event whose data did not fit, read again member by member for its id and, where
    /// they can be read, the members its idempotency key is made of. `error` stays the answer
    /// when the body is not a known event at all.
    fn drifted(text: &str, error: Error, provenance: Provenance) -> Result<Notification, Error> {
        json::check_body_depth(text)?;
        let envelope = JsonObject::parse(text)?;
        let event_type = match ["type", "event", "event_type"]
            .into_iter()
            .find_map(|member| envelope.get(member))
        {
            Some(raw) if raw.get().starts_with('"') => json::string_value(raw.get())?,
            _ => return Err(error),
        };
        let Some(known) = Event::known_type(&event_type) else {
            return Err(error);
        };
        let event_id = ["id", "event_id"]
            .into_iter()
            .find_map(|member| envelope.get(member))
            .and_then(|raw| serde_json::from_str::<Id>(raw.get()).ok());
        let key = match &event_id {
            Some(id) => Some(IdempotencyKey::new(id.to_string())),
            None => envelope
                .get("data")
                .and_then(|raw| JsonObject::parse(raw.get()).ok())
                .and_then(|data| {
                    let status = if known.contains("report") {
                        "report_status"
                    } else {
                        "sms_status"
                    };
                    Some(activation_key(
                        known,
                        &json::scalar_text(data.get("activation_id")?)?,
                        &json::scalar_text(data.get(status)?)?,
                        serde_json::from_str(data.get("updated_at")?.get()).ok()?,
                    ))
                }),
        };
        Ok(Notification {
            event_id,
            event: Event::Drifted(Drifted::new(known, error, &provenance)),
            key,
            provenance,
        })
    }
}

/// `type:activation_id:status:updated_at`, an activation event's key when it has no id.
fn activation_key(
    event_type: &str,
    activation_id: &str,
    status: &str,
    updated_at: UnixTime,
) -> IdempotencyKey {
    IdempotencyKey::new(format!(
        "{event_type}:{activation_id}:{status}:{updated_at}"
    ))
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

    /// Reads a verified body; a known event that does not fit its model is
    /// [`Event::Drifted`] unless the receiver is [`strict`](Platfone::strict).
    fn parse(&self, verified: Verified<'_>) -> Result<Notification, Error> {
        let text = json::body_text(verified.body())?;
        let provenance = verified.provenance();
        self.drift
            .apply(Self::read(text, provenance.clone()), |error| {
                Self::drifted(text, error, provenance)
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
    /// for report events) and the update time. `None` when neither is available. A drifted
    /// event keeps its key when those members could be read.
    pub fn idempotency_key(&self) -> Option<IdempotencyKey> {
        self.key.clone()
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
    use crate::testing::platfone::SAMPLES;

    /// The typed key and the one a drifted event's members give are the same, with or without
    /// an event id.
    #[test]
    fn typed_and_drifted_keys_agree() {
        for sample in SAMPLES {
            let without_id = sample.body.replacen("\"id\"", "\"unused_id\"", 1);
            for body in [sample.body, &without_id] {
                let provenance = Verified::new(body.as_bytes(), "default".into(), ()).provenance();
                let typed = Platfone::<()>::read(body, provenance.clone()).unwrap();
                let drift = Error::invalid_payload(None, "data", "for the test");
                let drifted = Platfone::<()>::drifted(body, drift, provenance).unwrap();
                assert_eq!(typed.key, drifted.key, "{body}");
            }
        }
    }
}
