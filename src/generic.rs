//! A provider hookproof does not know: any [`Verifier`] plus any typed payload, with the event
//! type and the idempotency key read from the verified body (or from the message id the
//! signature covers). It gets everything a built-in provider gets: the [`Receiver`]'s limits,
//! both framework integrations, the delivery guarantees and the drift policy.
//!
//! The body is JSON. The payload type is any `DeserializeOwned` type: a struct, or your own
//! enum (with a fallback variant for types you do not model). A verified body that does not fit
//! it arrives as [`Event::Drifted`], unless the provider is [`strict`](Generic::strict). Keys
//! are read with JSON pointers (`/data/id`) through objects whose keys must be unique, so what
//! is keyed is what the payload holds.
//!
//! ```
//! use hookproof::generic::{Event, Generic};
//! use hookproof::verify::HmacSha256;
//! use hookproof::{Provider, Secret};
//! use http::HeaderName;
//! use serde::Deserialize;
//!
//! #[derive(Debug, Clone, Deserialize)]
//! struct Order {
//!     id: String,
//!     total: hookproof::Amount,
//! }
//!
//! let acme = Generic::<_, Order>::new(
//!     "acme",
//!     HmacSha256::new(HeaderName::from_static("x-acme-signature"), Secret::new("acme_whsec")?),
//! )
//! .event_type_at("/type")
//! .key_at(["/type", "/id"]);
//!
//! let body = br#"{"type":"order.paid","id":"ord_1","total":"12.50"}"#;
//! // hmac.new(b"acme_whsec", body, hashlib.sha256).hexdigest(), computed with Python.
//! let headers = [("x-acme-signature", "1e4f9a282a55b9a3312a064d72b5c93c5de1daef34c07f35ba2cf06f68874ec4")];
//! let notification = acme.verify_and_parse(&headers, body)?;
//! assert_eq!(notification.event_type.as_deref(), Some("order.paid"));
//! assert_eq!(notification.idempotency_key().unwrap().as_str(), "order.paid:ord_1");
//! let Event::Typed(order) = &notification.event else { panic!() };
//! assert_eq!(order.total.as_str(), "12.50");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Receiver`]: crate::Receiver

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use crate::drift::{DriftPolicy, Drifted};
use crate::error::Error;
use crate::headers::Headers;
use crate::idempotency::IdempotencyKey;
use crate::json::{self, JsonFields, JsonObject};
use crate::provider::{Delivery, Provider};
use crate::verified::{Provenance, Verified};
use crate::verify::{FieldSource, FieldValue, Verifier};

/// Receives a provider hookproof does not know: see the [module docs](self).
pub struct Generic<V, T> {
    name: &'static str,
    verifier: V,
    event_type: Option<Pointer>,
    key: KeySource,
    drift: DriftPolicy,
    payload: PhantomData<fn() -> T>,
}

/// A JSON pointer, split into its reference tokens (`/data/id` → `data`, `id`).
#[derive(Debug, Clone)]
struct Pointer(Vec<String>);

impl Pointer {
    fn parse(pointer: &str) -> Self {
        // RFC 6901: `~1` is `/`, `~0` is `~`, in that order.
        Self(
            pointer
                .strip_prefix('/')
                .unwrap_or(pointer)
                .split('/')
                .map(|token| token.replace("~1", "/").replace("~0", "~"))
                .collect(),
        )
    }

    /// The scalar at this pointer in `body`, as text; `None` when absent or not a scalar.
    fn text(&self, body: &JsonFields<'_, '_>) -> Result<Option<String>, Error> {
        let path: Vec<&str> = self.0.iter().map(String::as_str).collect();
        Ok(match body.field(&path)? {
            Some(FieldValue::String(text) | FieldValue::Number(text)) => Some(text.into_owned()),
            Some(FieldValue::Bool(flag)) => Some(flag.to_string()),
            _ => None,
        })
    }
}

/// Where the idempotency key comes from.
#[derive(Debug, Clone)]
enum KeySource {
    None,
    /// The values at these pointers, joined with `:`.
    Pointers(Vec<Pointer>),
    /// The message id the verifier's signature covers.
    MessageId,
}

/// What verifying establishes besides the key: the signed message id, when there is one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Evidence {
    /// The id the signature covers (Standard Webhooks' `webhook-id`).
    pub message_id: Option<String>,
}

impl crate::Evidence for Evidence {
    fn to_text(&self) -> String {
        self.message_id.clone().unwrap_or_default()
    }

    fn from_text(text: &str) -> Self {
        Self {
            message_id: (!text.is_empty()).then(|| text.to_owned()),
        }
    }
}

/// A verified webhook of a provider hookproof does not know.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Notification<T> {
    /// The event type, when the provider was told where to read it and the body has it.
    pub event_type: Option<String>,
    /// The payload.
    pub event: Event<T>,
    /// The id the signature covers, when the scheme signs one.
    pub message_id: Option<String>,
    key: Option<IdempotencyKey>,
    provenance: Provenance,
}

/// A generic provider's payload: typed, or drifted from the type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event<T> {
    /// The body, read as `T`.
    Typed(T),
    /// A verified body that does not fit `T`, kept with the error and the raw body.
    Drifted(Drifted),
}

impl<V: Verifier, T: DeserializeOwned> Generic<V, T> {
    /// A provider named `name` (scoping its delivery keys: give each provider its own),
    /// authenticated by `verifier`, whose body is read as `T`. No event type and no key until
    /// told where to read them.
    pub fn new(name: &'static str, verifier: V) -> Self {
        Self {
            name,
            verifier,
            event_type: None,
            key: KeySource::None,
            drift: DriftPolicy::Deliver,
            payload: PhantomData,
        }
    }

    /// Reads the event type at the JSON pointer `pointer` (`/type`).
    #[must_use]
    pub fn event_type_at(mut self, pointer: &str) -> Self {
        self.event_type = Some(Pointer::parse(pointer));
        self
    }

    /// Makes the idempotency key of the values at these JSON pointers, joined with `:`: what a
    /// retry repeats and a new event does not (`["/type", "/data/id"]`). A body missing one of
    /// them has no key.
    #[must_use]
    pub fn key_at<I, S>(mut self, pointers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.key = KeySource::Pointers(
            pointers
                .into_iter()
                .map(|pointer| Pointer::parse(pointer.as_ref()))
                .collect(),
        );
        self
    }

    /// Makes the idempotency key the message id the verifier's signature covers (Standard
    /// Webhooks' `webhook-id`). With a verifier that signs no id, there is no key.
    #[must_use]
    pub fn key_from_message_id(mut self) -> Self {
        self.key = KeySource::MessageId;
        self
    }

    /// Refuses a verified body that does not fit `T` ([`PayloadData`](crate::ErrorKind::PayloadData),
    /// 422) instead of delivering it as [`Event::Drifted`]. Off by default; meant for
    /// development.
    #[must_use]
    pub fn strict(mut self) -> Self {
        self.drift = DriftPolicy::Refuse;
        self
    }
}

impl<V: Verifier, T: DeserializeOwned> Provider for Generic<V, T> {
    type Evidence = Evidence;
    type Notification = Notification<T>;

    /// Every generic provider's type name; [`name`](Provider::name) is the one it was built with.
    const NAME: &'static str = "generic";

    fn name(&self) -> &'static str {
        self.name
    }

    /// Runs the verifier, and keeps the message id it signs, if the key is made of it.
    fn verify<'a, H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &'a [u8],
    ) -> Result<Verified<'a, Evidence>, Error> {
        let verified = Verified::by(&self.verifier, headers, body)?;
        let message_id = match self.key {
            KeySource::MessageId => self.verifier.message_id(&headers),
            _ => None,
        };
        Ok(verified.with_evidence(Evidence { message_id }))
    }

    /// Reads the body: the event type and key from their pointers, the payload as `T`.
    fn parse(&self, verified: Verified<'_, Evidence>) -> Result<Notification<T>, Error> {
        let text = json::body_text(verified.body())?;
        let object = JsonObject::parse(text)?;
        let fields = JsonFields::new(&object);
        let event_type = match &self.event_type {
            Some(pointer) => pointer.text(&fields)?,
            None => None,
        };
        let provenance = verified.provenance();
        let (_, Evidence { message_id }) = verified.into_parts();
        let key = match &self.key {
            KeySource::None => None,
            KeySource::MessageId => message_id.clone().map(IdempotencyKey::new),
            KeySource::Pointers(pointers) => pointers
                .iter()
                .map(|pointer| pointer.text(&fields))
                .collect::<Result<Option<Vec<_>>, _>>()?
                .map(|parts| IdempotencyKey::new(parts.join(":"))),
        };
        let read = json::from_str_seed(text, PhantomData::<T>, || None, "").map(Event::Typed);
        let event = self.drift.apply(read, |error| {
            json::check_body_depth(text)?;
            let event_type = event_type.clone().unwrap_or_default();
            Ok(Event::Drifted(Drifted::new(event_type, error, &provenance)))
        })?;
        Ok(Notification {
            event_type,
            event,
            message_id,
            key,
            provenance,
        })
    }
}

impl<T> Notification<T> {
    /// The key made as the provider was told: from the body's pointers, or the signed message
    /// id. `None` when the provider was told neither, or the body lacks a part of it.
    pub fn idempotency_key(&self) -> Option<IdempotencyKey> {
        self.key.clone()
    }

    /// The key that verified the request and the body as received.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }
}

impl<T> Delivery for Notification<T> {
    fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    fn idempotency_key(&self) -> Option<IdempotencyKey> {
        self.key.clone()
    }

    fn drifted(&self) -> Option<&Drifted> {
        match &self.event {
            Event::Drifted(drifted) => Some(drifted),
            Event::Typed(_) => None,
        }
    }

    fn evidence_text(&self) -> String {
        crate::Evidence::to_text(&Evidence {
            message_id: self.message_id.clone(),
        })
    }
}

impl<V, T> Generic<V, T> {
    /// The verifier.
    pub fn verifier(&self) -> &V {
        &self.verifier
    }
}

impl<V: Clone, T> Clone for Generic<V, T> {
    fn clone(&self) -> Self {
        Self {
            name: self.name,
            verifier: self.verifier.clone(),
            event_type: self.event_type.clone(),
            key: self.key.clone(),
            drift: self.drift,
            payload: PhantomData,
        }
    }
}

impl<V: fmt::Debug, T> fmt::Debug for Generic<V, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generic")
            .field("name", &self.name)
            .field("verifier", &self.verifier)
            .field("event_type", &self.event_type)
            .field("key", &self.key)
            .field("drift", &self.drift)
            .finish()
    }
}
