//! Verify and parse inbound webhooks.
//!
//! hookproof takes a webhook request exactly as it arrived — headers and raw body bytes — and
//! returns either a verified, typed notification or an [`Error`] whose [`kind`](Error::kind)
//! says what was wrong and whose [`status`](Error::status) is the HTTP status to answer with.
//!
//! - **Bytes in, never re-serialized.** Signatures are checked over the bytes received.
//! - **Verification and parsing are separate**, and both are available in one call:
//!   `verify(headers, body) -> Verified`, `parse(Verified) -> Notification`, and
//!   `verify_and_parse(headers, body)`.
//! - **Fail closed.** Empty secrets are refused when configured; a missing or malformed header,
//!   a missing signed field, a wrong length or encoding are errors, never a skipped check.
//!   Parsing without verification lives only in [`dangerous`].
//! - **Constant time.** Digests are decoded to fixed lengths and compared with `subtle`.
//! - **Secrets never leak.** [`Secret`] prints as `[REDACTED]` and is zeroized on drop; no
//!   error message contains a secret, a digest derived from one, or the body.
//! - **No verified delivery is lost to payload drift.** Each provider's `Event` has a variant per
//!   documented event type, `Unknown` for a type hookproof does not know (payload kept), and
//!   `Drifted` for a known type whose payload does not fit its model: it carries the error with
//!   its JSON path and the raw body (see [`Drifted`]) instead of a 422 the provider would retry
//!   and then drop. Each provider's `strict()` refuses it instead, for development.
//! - **Money is never a float.** [`Amount`] keeps the decimal text as sent.
//!
//! # Providers
//!
//! | module | provider | authentication |
//! |---|---|---|
//! | [`platnova`] | Platnova | static secret in `X-WEBHOOK-SECRET` |
//! | [`inplayer`] | InPlayer | `X-InPlayer-Signature: sha256=` HMAC-SHA256 of the body |
//! | [`cedar`] | Cedar Money Partners Platform | SHA-256 of the listed fields' text and the secret |
//! | [`voximplant`] | Voximplant account callbacks | `md5(salt + account_id + api_key + callback_id)` per callback |
//! | [`platfone`] | Platfone (SMS activations) | none published: the receiver chooses a [`Verifier`] |
//!
//! ## Platnova
//!
//! ```
//! use hookproof::{Provider, Secret, platnova::{Event, Platnova}};
//!
//! let platnova = Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?);
//! let headers = [("X-WEBHOOK-SECRET", "pn_live_9f8e7d6c5b4a")];
//! let body = br#"{"event":"transfer.failed","timestamp":"2024-01-01T12:00:00Z","customer_id":"",
//!   "data":{"reference":"TXN123456","amount":1000.00,"currency":"USD","fee":5.00,
//!   "status":"failed","reason":"Insufficient funds","metadata":{"iban":"GB82WEST12345698765432"}}}"#;
//!
//! let notification = platnova.verify_and_parse(&headers, body)?;
//! if let Event::TransferFailed(transfer) = &notification.event {
//!     assert_eq!(transfer.amount.to_minor_units(2)?, 100_000);
//!     assert_eq!(transfer.reason.as_deref(), Some("Insufficient funds"));
//! }
//! assert_eq!(notification.idempotency_key().unwrap().as_str(), "transfer.failed:TXN123456");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## InPlayer
//!
//! ```
//! use hookproof::{ErrorKind, Provider, Secret, inplayer::{Event, InPlayer}};
//!
//! let inplayer = InPlayer::new(Secret::new("secret")?);
//! // The documentation's example body, signed with Python's hmac module.
//! let body = b"created=15475835&id=2333&resource%5Bfoo%5D=bar&type=payment.success";
//! let headers = [(
//!     "X-InPlayer-Signature",
//!     "sha256=f27f8ae41a0d60d823e8c296ec2e3e73c81843e3f9aedab2bdc030c4d6b0b0b8",
//! )];
//!
//! let notification = inplayer.verify_and_parse(&headers, body)?;
//! // `payment.success` is not one of the 27 dashboard types: it is kept, not refused.
//! let Event::Unknown(unknown) = &notification.event else { unreachable!() };
//! assert_eq!(unknown.resource().get("foo").and_then(|v| v.as_text()), Some("bar"));
//!
//! let tampered = b"created=15475835&id=2333&resource%5Bfoo%5D=baz&type=payment.success";
//! let err = inplayer.verify_and_parse(&headers, tampered).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::SignatureMismatch);
//! assert_eq!(err.status(), 401);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Cedar
//!
//! ```
//! use hookproof::{Provider, Secret, cedar::{Cedar, Event}};
//!
//! let cedar = Cedar::new(Secret::new("my_webhook_secret")?).require_fields(["id", "status"]);
//! let headers = [
//!     ("X-Webhook-Security-Fields", "id,status"),
//!     // sha256(b"1234VALIDmy_webhook_secret"), computed with Python's hashlib.
//!     ("X-Webhook-Security-Hash", "b3e490634a0c80364c4511fb6c5d5296de532fd08500ce3873c1a7e1f37bb9e7"),
//! ];
//! let body = br#"{"event":"BusinessKycStatusChanged","id":1234,"status":"VALID"}"#;
//!
//! let notification = cedar.verify_and_parse(&headers, body)?;
//! assert!(matches!(notification.event, Event::BusinessKycStatusChanged(_)));
//! assert!(notification.signed_fields.contains("status"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Voximplant
//!
//! ```
//! use hookproof::{ErrorKind, Provider, Secret, voximplant::Voximplant};
//!
//! let voximplant = Voximplant::new(
//!     Secret::new("my_salt_value")?,
//!     Secret::new("0a1b2c3d-4e5f-6789-abcd-ef0123456789")?,
//! );
//! // md5 of salt, account id, API key and callback id, computed with Python's hashlib.
//! let body = r#"{"callbacks":[{"callback_id":42,"type":"min_balance","account_id":123456,
//!   "hash":"7cecbc16d4d16d6c548765bf76a657dd","balance":1.5,"currency":"USD",
//!   "min_balance":{"is_min_credit":false,"is_repeated":false}}]}"#;
//!
//! let notification = voximplant.verify_and_parse(&[("Content-Type", "application/json")], body.as_bytes())?;
//! assert_eq!(notification.callbacks[0].idempotency_key().as_str(), "123456:42");
//!
//! // The hash binds the callback id: the same hash on another id is refused.
//! let replayed = body.replace(":42,", ":43,");
//! let err = voximplant.verify_and_parse(&[("a", "b")], replayed.as_bytes()).unwrap_err();
//! assert_eq!(err.kind(), ErrorKind::SignatureMismatch);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Platfone
//!
//! ```
//! use hookproof::{Provider, Secret, platfone::Platfone, verify::HmacSha256};
//! use http::HeaderName;
//!
//! // Platfone publishes no signing scheme, so the receiver says what to check.
//! let platfone = Platfone::new(
//!     HmacSha256::new(HeaderName::from_static("x-platfone-signature"), Secret::new("pf_whsec_1")?)
//!         .with_prefix("sha256="),
//! );
//! let body = br#"{"id":"evt_1","type":"activation.updated","data":{"activation_id":"a1","sms_status":"smsReceived","sms_code":"123456","price":0.25,"updated_at":1767225600}}"#;
//! // Computed with Python's hmac module.
//! let headers = [("X-Platfone-Signature", "sha256=b1e5f542bf2234fadc4bf37f9f82e0fa76a3062279be8aab649e43b0e24f43c7")];
//!
//! let notification = platfone.verify_and_parse(&headers, body)?;
//! assert_eq!(notification.event.activation().unwrap().sms_code.as_deref(), Some("123456"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Payload drift
//!
//! A known event whose payload does not fit arrives as `Event::Drifted`; a handler stores it and
//! answers 200, since it is authentic. Authenticity errors are never softened this way.
//!
//! ```
//! use hookproof::{Provider, Secret, platnova::{Event, Platnova}};
//!
//! let platnova = Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?);
//! let headers = [("X-WEBHOOK-SECRET", "pn_live_9f8e7d6c5b4a")];
//! let body = br#"{"event":"transfer.success","data":{"reference":"T1","amount":"lots","status":"success"}}"#;
//! match platnova.verify_and_parse(&headers, body)?.event {
//!     Event::TransferSuccess(transfer) => println!("{}", transfer.amount),
//!     Event::Drifted(drifted) => assert_eq!(drifted.error().json_path(), Some("data.amount")),
//!     _ => {}
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Schemes
//!
//! The verification schemes are public in [`verify`] and work on their own, for providers
//! hookproof does not know yet; [`Verifier`] is the trait to implement for a new one.
//!
//! # Web frameworks
//!
//! With the `axum` or `actix` feature, `hookproof::axum::WebhookLayer` and
//! `hookproof::actix::WebhookMiddleware` receive a provider's webhooks on a route, and the
//! handler takes the verified notification with `Webhook<P>`. Both are thin layers over
//! [`Receiver::accept`], which also serves any other framework: a [`Receiver`] holds a provider,
//! its limits and its store, and a refused request becomes a [`Rejection`] with the status of
//! its [`ErrorKind`] and a short fixed body.
//!
//! # Delivery guarantees
//!
//! With a store ([`delivery`]: memory, Redis or PostgreSQL), a [`Receiver`] claims a delivery's
//! keys before its handler runs and marks them handled only when it succeeded: nothing
//! authentic is lost to a failed, panicked, cancelled or crashed attempt, and nothing handled is
//! handled again as new; see [`Receiver::with_store`].
//!
//! # Testing your handlers
//!
//! With the `testing` feature, the `testing` module builds correctly signed requests for every provider
//! and carries each provider's documented sample payloads.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[macro_use]
mod macros;

mod amount;
pub mod dangerous;
pub mod delivery;
mod drift;
mod error;
mod form;
pub mod generic;
mod headers;
mod id;
mod idempotency;
mod json;
mod names;
mod provider;
mod raw;
mod secret;
mod time;
mod verified;
pub mod verify;
mod work;

pub mod cedar;
pub mod inplayer;
pub mod platfone;
pub mod platnova;
pub mod voximplant;

#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

#[cfg(feature = "actix")]
#[cfg_attr(docsrs, doc(cfg(feature = "actix")))]
pub mod actix;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;

pub use amount::{Amount, AmountError};
pub use delivery::{Receipt, Receiver, Rejection};
pub use drift::Drifted;
pub use error::{Error, ErrorKind};
pub use headers::{HeaderLookup, Headers};
pub use id::Id;
pub use idempotency::IdempotencyKey;
pub use provider::{Delivery, Provider};
pub use raw::{RawObject, UnknownEvent};
pub use secret::{EmptySecret, KeyId, KeyRing, Secret};
pub use time::{Clock, SystemClock, UnixTime};
pub use verified::{Evidence, Provenance, Verified};
pub use verify::Verifier;

/// The README's examples, compiled and run as doctests.
#[cfg(all(
    doctest,
    feature = "testing",
    feature = "axum",
    feature = "actix",
    feature = "sqlite",
    feature = "tenants"
))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
