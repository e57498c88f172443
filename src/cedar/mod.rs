//! Cedar Money's Partners Platform: merchant KYC, receiver accounts, transactions, payout
//! confirmations.
//!
//! **Authentication.** `X-Webhook-Security-Fields` lists payload fields;
//! `X-Webhook-Security-Hash` is `hex(sha256(text of each field ‖ secret))`, a plain hash, not
//! an HMAC ([`FieldConcatSha256`], where the text rules are documented). Only the listed fields
//! are protected: [`Notification::signed_fields`] says which, and
//! [`Cedar::require_fields`] refuses requests that do not cover the fields you rely on. There
//! is no timestamp or nonce, so de-duplicate with [`Notification::idempotency_key`], which is
//! made of what the hash covers (never the unsigned `X-Webhook-Request-UUID`).
//!
//! **What was verified is what is returned.** The body is read once into its members, with a
//! key given twice refused (at the top level and inside any object a signed path goes through);
//! the hash is computed from those members and the typed event is read from the same members.
//!
//! **What the hash cannot tell apart.** Cedar joins the listed values without separators and
//! signs neither the field list, nor the event name, nor any field the list leaves out. So the
//! hash Cedar made for one body also verifies every body whose listed values join to the same
//! text, whatever its event: hookproof cannot prevent this, only narrow it. Require the fields
//! you act on ([`Cedar::require_fields`]), serve each event type on its own URL and say which
//! ([`Cedar::expect_event`]), and check that each value has the shape you expect.
//!
//! ```
//! use hookproof::cedar::{Cedar, Event, EventKind};
//! use hookproof::{ErrorKind, Provider, Secret};
//!
//! // sha256(b"1234VALIDmy_webhook_secret"), computed with Python's hashlib, made by Cedar for
//! // {"event":"BusinessKycStatusChanged","id":1234,"status":"VALID"}.
//! let headers = [
//!     ("X-Webhook-Security-Fields", "id,status"),
//!     ("X-Webhook-Security-Hash", "b3e490634a0c80364c4511fb6c5d5296de532fd08500ce3873c1a7e1f37bb9e7"),
//! ];
//! // Another event, other values: "1" + "234VALID" is the same text as 1234 + "VALID".
//! let forged = br#"{"event":"BusinessExternalAccountStatusChanged","id":"1","status":"234VALID"}"#;
//!
//! let cedar = Cedar::new(Secret::new("my_webhook_secret")?).require_fields(["id", "status"]);
//! let notification = cedar.verify_and_parse(&headers, forged)?; // verifies
//! assert!(matches!(notification.event, Event::BusinessExternalAccountStatusChanged(_)));
//!
//! // One URL per event type catches this one: the body names another event.
//! let kyc_only = cedar.expect_event(EventKind::BusinessKycStatusChanged);
//! let err = kyc_only.verify_and_parse(&headers, forged).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::UnexpectedEvent);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **Event type.** Cedar does not document where the body names its event; the first present of
//! `event`, `type`, `eventType`, `event_type` and `webhookType` is used. A body that names none
//! is [`Event::Unknown`]; a receiver that serves one URL per event names the event it expects
//! with [`Cedar::expect_event`].
//!
//! ```
//! use hookproof::cedar::{Cedar, Event, KycStatus};
//! use hookproof::{Provider, Secret};
//!
//! let cedar = Cedar::new(Secret::new("my_webhook_secret")?).require_fields(["id", "status"]);
//! let body = br#"{"event":"BusinessKycStatusChanged","id":1234,"status":"VALID"}"#;
//! // sha256(b"1234VALIDmy_webhook_secret"), computed with Python's hashlib.
//! let headers = [
//!     ("Content-Type", "application/json"),
//!     ("X-Webhook-Security-Fields", "id,status"),
//!     ("X-Webhook-Security-Hash", "b3e490634a0c80364c4511fb6c5d5296de532fd08500ce3873c1a7e1f37bb9e7"),
//!     ("X-Webhook-Request-UUID", "fa8ff1ec-8eed-44fc-a84b-5a6ffc2b531f"),
//! ];
//!
//! let notification = cedar.verify_and_parse(&headers, body)?;
//! let Event::BusinessKycStatusChanged(kyc) = &notification.event else { panic!() };
//! assert_eq!(kyc.status, KycStatus::Valid);
//! assert_eq!(notification.signed_fields.iter().collect::<Vec<_>>(), ["id", "status"]);
//! assert!(!notification.signed_fields.contains("event"), "the event name is not signed");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod events;

pub use events::*;

use std::borrow::Cow;
use std::marker::PhantomData;

use http::HeaderName;
use serde_json::value::RawValue;

use crate::drift::DriftPolicy;
use crate::headers::expect_content_type;
use crate::json::{self, JsonFields, JsonObject, KnownEvents, KnownSeed};
use crate::verify::{FieldConcatSha256, NullSpelling, SignedFields};
use crate::{
    Delivery, Drifted, Error, Headers, IdempotencyKey, KeyRing, Provenance, Provider, Verified,
};

/// Receives Cedar webhooks.
#[derive(Debug, Clone)]
pub struct Cedar {
    scheme: FieldConcatSha256,
    expected: Option<EventKind>,
    drift: DriftPolicy,
}

/// What verifying a Cedar request establishes besides the key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Evidence {
    /// The fields the hash covered, in order.
    pub signed_fields: SignedFields,
    /// `X-Webhook-Request-UUID`, when sent.
    pub request_uuid: Option<String>,
}

impl crate::Evidence for Evidence {
    fn to_text(&self) -> String {
        serde_json::json!({
            "signed_fields": self.signed_fields.to_json(),
            "request_uuid": self.request_uuid,
        })
        .to_string()
    }

    fn from_text(text: &str) -> Self {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            return Self::default();
        };
        Self {
            signed_fields: SignedFields::from_json(&value["signed_fields"]).unwrap_or_default(),
            request_uuid: value["request_uuid"].as_str().map(str::to_owned),
        }
    }
}

/// A verified Cedar webhook.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Notification {
    /// The event.
    pub event: Event,
    /// The fields the hash covered; nothing else in the body is protected.
    pub signed_fields: SignedFields,
    /// `X-Webhook-Request-UUID`, Cedar's id for the request in its webhook log, when sent.
    pub request_uuid: Option<String>,
    provenance: Provenance,
}

/// Where the body may name its event, in the order they are looked up.
const EVENT_TYPE_KEYS: [&str; 5] = ["event", "type", "eventType", "event_type", "webhookType"];

impl Cedar {
    /// The header listing the signed fields.
    pub const FIELDS_HEADER: HeaderName = HeaderName::from_static("x-webhook-security-fields");
    /// The header carrying the hash.
    pub const HASH_HEADER: HeaderName = HeaderName::from_static("x-webhook-security-hash");
    /// The header carrying Cedar's id for the request.
    pub const REQUEST_UUID_HEADER: HeaderName = HeaderName::from_static("x-webhook-request-uuid");
    /// The content type Cedar sends; another one is refused with 415.
    pub const CONTENT_TYPE: &'static str = "application/json";

    /// A receiver that accepts hashes made with the webhook secret (or any secret) in `keys`.
    pub fn new(keys: impl Into<KeyRing>) -> Self {
        Self {
            scheme: FieldConcatSha256::new(Self::FIELDS_HEADER, Self::HASH_HEADER, keys),
            expected: None,
            drift: DriftPolicy::Deliver,
        }
    }

    /// The scheme requests are verified with.
    pub fn scheme(&self) -> &FieldConcatSha256 {
        &self.scheme
    }

    /// Refuses requests whose hash does not cover all of `fields` (default: none), with
    /// [`MissingSignedField`](crate::ErrorKind::MissingSignedField). `["id", "status"]` is
    /// what the typed events expose.
    #[must_use]
    pub fn require_fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scheme = self.scheme.require_fields(fields);
        self
    }

    /// Hashes a signed `null` only as `spelling` (default: both `null` and the empty string are
    /// tried), once you know how Cedar writes it.
    #[must_use]
    pub fn with_null(mut self, spelling: NullSpelling) -> Self {
        self.scheme = self.scheme.with_null(spelling);
        self
    }

    /// Refuses a known event whose payload does not have the modelled shape
    /// ([`PayloadData`](crate::ErrorKind::PayloadData), 422) instead of delivering it as
    /// [`Event::Drifted`]. Off by default; meant for development.
    #[must_use]
    pub fn strict(mut self) -> Self {
        self.drift = DriftPolicy::Refuse;
        self
    }

    /// Reads every body as `kind`, for a receiver that gives each event type its own URL. A body
    /// that names a different one of the four technical names is refused
    /// ([`UnexpectedEvent`](crate::ErrorKind::UnexpectedEvent)); one that names none, or a name
    /// Cedar does not document, is read as `kind`.
    #[must_use]
    pub fn expect_event(mut self, kind: EventKind) -> Self {
        self.expected = Some(kind);
        self
    }

    fn check(
        &self,
        headers: &(impl Headers + ?Sized),
        payload: &JsonObject<'_>,
    ) -> Result<(crate::KeyId, Evidence), Error> {
        expect_content_type(headers, Self::CONTENT_TYPE)?;
        let (key_id, signed_fields) = self
            .scheme
            .verify_fields(&headers, &JsonFields::new(payload))?;
        let request_uuid = headers
            .optional(&Self::REQUEST_UUID_HEADER)?
            .map(str::to_owned);
        Ok((
            key_id,
            Evidence {
                signed_fields,
                request_uuid,
            },
        ))
    }

    fn notification(
        &self,
        payload: &JsonObject<'_>,
        verified: Verified<'_, Evidence>,
    ) -> Result<Notification, Error> {
        let provenance = verified.provenance();
        let event = self.event(payload, verified.body(), &provenance)?;
        let (_, evidence) = verified.into_parts();
        Ok(Notification {
            event,
            signed_fields: evidence.signed_fields,
            request_uuid: evidence.request_uuid,
            provenance,
        })
    }

    fn event(
        &self,
        payload: &JsonObject<'_>,
        body: &[u8],
        provenance: &Provenance,
    ) -> Result<Event, Error> {
        let named = EVENT_TYPE_KEYS
            .into_iter()
            .find_map(|key| payload.get(key).map(|raw| (key, raw)))
            .map(|(key, raw)| {
                if !raw.get().starts_with('"') {
                    return Err(Error::field_type(key, "a string"));
                }
                json::string_value(raw.get()).map(Cow::into_owned)
            })
            .transpose()?;
        let known = named.as_deref().and_then(Event::known_type);
        let kind = match (self.expected, known) {
            (Some(expected), Some(named)) if named != expected.as_str() => {
                return Err(Error::event_mismatch(named, expected.as_str()));
            }
            (Some(expected), _) => expected.as_str(),
            (None, Some(named)) => named,
            (None, None) => {
                let body = RawValue::from_string(json::body_text(body)?.to_owned())
                    .map_err(|failure| json::syntax_error(&failure))?;
                json::check_depth_of(&body)?;
                return Ok(Event::Unknown(UnknownEvent {
                    event_type: named,
                    body,
                }));
            }
        };
        let read = payload.deserialize_seed(KnownSeed::<Event>(kind, PhantomData), Some(kind));
        self.drift.apply(read, |error| {
            json::check_body_depth(json::body_text(body)?)?;
            Ok(Event::Drifted(Drifted::new(kind, error, provenance)))
        })
    }
}

impl Provider for Cedar {
    type Evidence = Evidence;
    type Notification = Notification;

    const NAME: &'static str = "cedar";

    /// Checks the content type and the hash of the signed fields.
    fn verify<'a, H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &'a [u8],
    ) -> Result<Verified<'a, Evidence>, Error> {
        let payload = JsonObject::parse(json::body_text(body)?)?;
        let (key_id, evidence) = self.check(headers, &payload)?;
        Ok(Verified::new(body, key_id, evidence))
    }

    /// Reads a verified body.
    fn parse(&self, verified: Verified<'_, Evidence>) -> Result<Notification, Error> {
        let payload = JsonObject::parse(json::body_text(verified.body())?)?;
        self.notification(&payload, verified)
    }

    /// Verifies and parses, reading the body once.
    fn verify_and_parse<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
    ) -> Result<Notification, Error> {
        let payload = JsonObject::parse(json::body_text(body)?)?;
        let (key_id, evidence) = self.check(headers, &payload)?;
        self.notification(&payload, Verified::new(body, key_id, evidence))
    }
}

impl Notification {
    /// The event type: a technical name, or what an unknown body names (empty if nothing).
    pub fn event_type(&self) -> &str {
        self.event.event_type()
    }

    /// The event type and the signed fields' names and values as hashed
    /// (`BusinessKycStatusChanged:id=4:1234,status=5:VALID`): what the hash covers, and so what a
    /// retry or a replay repeats. `X-Webhook-Request-UUID` is not signed and plays no part: a
    /// replay with a fresh UUID is the same delivery. `None` only for a notification parsed
    /// without verification, which has no signed fields.
    pub fn idempotency_key(&self) -> Option<IdempotencyKey> {
        self.signed_fields.iter().next()?;
        Some(IdempotencyKey::new(format!(
            "{}:{}",
            self.event_type(),
            self.signed_fields.key_text()
        )))
    }

    /// The key that verified the request and the body as received.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
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

    fn evidence_text(&self) -> String {
        crate::Evidence::to_text(&Evidence {
            signed_fields: self.signed_fields.clone(),
            request_uuid: self.request_uuid.clone(),
        })
    }
}
