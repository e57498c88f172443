//! Voximplant account callbacks (the Management API's `AccountCallbacks`).
//!
//! **Authentication.** There is no signature header: each callback in the body carries
//! `hash = md5(salt + account_id + api_key + callback_id)` ([`SaltedMd5`]), where the salt is the
//! "Security salt" configured with the callback URL and the api key is the account's Management
//! API key. A request is accepted only when every callback's hash verifies. The hash proves
//! knowledge of the salt and key; it covers neither the rest of the callback nor a time, so a
//! captured callback stays valid: de-duplicate with [`Callback::idempotency_key`].
//!
//! **Body.** `{"callbacks": [...]}`, one or more callbacks, each with the account fields, a
//! `type`, and a member named after the type holding its data ([`CallbackData`]), accepted flat
//! (`{"sms_inbound": {...}}`) or doubly nested (`{"sms_inbound": {"sms_inbound": {...}}}`), as
//! Voximplant's generated clients describe some kinds.
//!
//! ```
//! use hookproof::voximplant::{CallbackData, Voximplant};
//! use hookproof::{Provider, Secret};
//!
//! let voximplant = Voximplant::new(
//!     Secret::new("my_salt_value")?,
//!     Secret::new("0a1b2c3d-4e5f-6789-abcd-ef0123456789")?,
//! )
//! .expect_account_id(123456);
//! // The spec's worked example: md5 computed with Python's hashlib.
//! let body = br#"{"callbacks":[{"callback_id":42,"type":"min_balance","account_id":123456,
//!   "hash":"7cecbc16d4d16d6c548765bf76a657dd","account_name":"acme","account_email":"ops@example.com",
//!   "language_code":"en","account_first_name":"A","account_last_name":"B","balance":1.5,
//!   "currency":"USD","min_balance":{"is_min_credit":false,"is_repeated":false}}]}"#;
//!
//! let notification = voximplant.verify_and_parse(&[("Content-Type", "application/json")], body)?;
//! let callback = &notification.callbacks[0];
//! assert_eq!(callback.account.balance.as_str(), "1.5");
//! assert_eq!(callback.idempotency_key().as_str(), "123456:42");
//! assert!(matches!(callback.data, CallbackData::MinBalance(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod events;

pub use events::*;

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::Deserialize;

use crate::error::{SignatureLocation, SignatureProblem};
use crate::json::{self, JsonObject, KnownEvents, KnownSeed};
use crate::verify::{FieldSource, FieldValue, Part, SaltedMd5};
use crate::{
    Amount, Delivery, Error, Headers, IdempotencyKey, KeyId, Provenance, Provider, Secret, Verified,
};

/// Receives Voximplant account callbacks.
#[derive(Debug, Clone)]
pub struct Voximplant {
    scheme: SaltedMd5,
    account_id: Option<u64>,
}

/// A verified request: one or more callbacks.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Notification {
    /// The callbacks, in the order sent; never empty.
    pub callbacks: Vec<Callback>,
    provenance: Provenance,
}

/// One verified callback.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Callback {
    /// The callback's sequence number.
    pub callback_id: u64,
    /// The account it concerns.
    pub account_id: u64,
    /// The account's details, as every callback carries them.
    pub account: Account,
    /// What the callback reports.
    pub data: CallbackData,
}

/// The account fields every callback carries.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Account {
    /// The account's name (`account_name`).
    #[serde(rename = "account_name")]
    pub name: Option<String>,
    /// The account's email (`account_email`).
    #[serde(rename = "account_email")]
    pub email: Option<String>,
    /// The notification language, ISO 639-1 (`en`).
    pub language_code: Option<String>,
    /// The account holder's first name (`account_first_name`).
    #[serde(rename = "account_first_name")]
    pub first_name: Option<String>,
    /// The account holder's last name (`account_last_name`).
    #[serde(rename = "account_last_name")]
    pub last_name: Option<String>,
    /// The balance.
    pub balance: Amount,
    /// The balance's currency (`USD`, `RUR`, `EUR`, …).
    pub currency: String,
}

impl Voximplant {
    /// A receiver for callbacks hashed with `salt` (the callback URL's security salt) and
    /// `api_key` (the account's Management API key).
    pub fn new(salt: Secret, api_key: Secret) -> Self {
        Self {
            scheme: SaltedMd5::with_secret_parts([
                Part::Secret(salt),
                Part::field("account_id"),
                Part::Secret(api_key),
                Part::field("callback_id"),
            ]),
            account_id: None,
        }
    }

    /// Refuses callbacks for any other account
    /// ([`UnexpectedAccount`](crate::ErrorKind::UnexpectedAccount)).
    #[must_use]
    pub fn expect_account_id(mut self, account_id: u64) -> Self {
        self.account_id = Some(account_id);
        self
    }

    /// Reads the body's callbacks and checks each one's hash and account; the data of each
    /// callback is left unread.
    fn verified_callbacks<'a>(&self, body: &'a [u8]) -> Result<Vec<Head<'a>>, Error> {
        let Body { callbacks } =
            json::from_str_seed(json::body_text(body)?, PhantomData::<Body<'_>>, || None, "")?;
        if callbacks.is_empty() {
            return Err(Error::invalid_payload(
                None,
                "callbacks",
                "the batch holds no callback",
            ));
        }
        callbacks
            .into_iter()
            .enumerate()
            .map(|(index, object)| {
                let head = Head::read(object, index)?;
                self.check(&head)
                    .map_err(|error| error.context(format!("callbacks[{index}]")))?;
                Ok(head)
            })
            .collect()
    }

    fn check(&self, head: &Head<'_>) -> Result<(), Error> {
        let hash = head.common.hash.as_deref().ok_or_else(|| {
            Error::malformed_signature(SignatureLocation::Payload, SignatureProblem::Absent)
        })?;
        self.scheme.verify(head, hash)?;
        match self.account_id {
            Some(expected) if expected != head.common.account_id => {
                Err(Error::unexpected_account(head.common.account_id, expected))
            }
            _ => Ok(()),
        }
    }

    fn notification(heads: Vec<Head<'_>>, verified: &Verified<'_>) -> Result<Notification, Error> {
        Ok(Notification {
            callbacks: heads
                .into_iter()
                .map(Head::into_callback)
                .collect::<Result<_, _>>()?,
            provenance: verified.provenance(),
        })
    }
}

/// The key reported for Voximplant requests, which have one credential pair rather than a ring.
const KEY_ID: &str = "default";

impl Provider for Voximplant {
    type Evidence = ();
    type Notification = Notification;

    const NAME: &'static str = "voximplant";

    /// Checks every callback's hash (and account, if one is expected).
    fn verify<'a, H: Headers + ?Sized>(
        &self,
        _headers: &H,
        body: &'a [u8],
    ) -> Result<Verified<'a>, Error> {
        self.verified_callbacks(body)?;
        Ok(Verified::new(body, KeyId::from(KEY_ID), ()))
    }

    /// Reads a verified body.
    fn parse(&self, verified: Verified<'_>) -> Result<Notification, Error> {
        let Body { callbacks } = json::from_str_seed(
            json::body_text(verified.body())?,
            PhantomData::<Body<'_>>,
            || None,
            "",
        )?;
        let heads = callbacks
            .into_iter()
            .enumerate()
            .map(|(index, object)| Head::read(object, index))
            .collect::<Result<_, _>>()?;
        Self::notification(heads, &verified)
    }

    /// Verifies every callback, then reads their data, reading the body once.
    fn verify_and_parse<H: Headers + ?Sized>(
        &self,
        _headers: &H,
        body: &[u8],
    ) -> Result<Notification, Error> {
        let heads = self.verified_callbacks(body)?;
        Self::notification(heads, &Verified::new(body, KeyId::from(KEY_ID), ()))
    }
}

#[cfg(feature = "testing")]
impl Voximplant {
    /// `body` with every callback's `hash` set for this receiver's credentials; everything else
    /// is left byte for byte as it was. A callback without a `hash` member gets one.
    pub(crate) fn sign_callbacks(&self, body: &str) -> Result<String, Error> {
        use serde_json::value::RawValue;

        #[derive(Deserialize)]
        struct Callbacks<'a> {
            #[serde(borrow)]
            callbacks: Vec<&'a RawValue>,
        }

        let offset = |inner: &str| inner.as_ptr() as usize - body.as_ptr() as usize;
        let Callbacks { callbacks } = json::from_str_seed(body, PhantomData, || None, "")?;
        let mut edits = Vec::new();
        for (index, raw) in callbacks.into_iter().enumerate() {
            let object = json::from_str_seed(raw.get(), PhantomData, || None, "")?;
            let head = Head::read(object, index)?;
            let hash = format!("\"{}\"", self.scheme.sign(&head)?);
            edits.push(match head.object.get("hash") {
                Some(old) => (offset(old.get()), old.get().len(), hash),
                None => (offset(raw.get()) + 1, 0, format!("\"hash\":{hash},")),
            });
        }
        let mut signed = String::with_capacity(body.len() + 48 * edits.len());
        let mut copied = 0;
        for (at, len, text) in edits {
            signed.push_str(&body[copied..at]);
            signed.push_str(&text);
            copied = at + len;
        }
        signed.push_str(&body[copied..]);
        Ok(signed)
    }
}

impl Notification {
    /// The key that verified the request and the body as received.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }
}

impl Delivery for Notification {
    fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    /// Every callback's `account_id:callback_id`, joined with `,`.
    fn idempotency_key(&self) -> Option<IdempotencyKey> {
        let keys: Vec<String> = self
            .callbacks
            .iter()
            .map(|callback| callback.idempotency_key().as_str().to_owned())
            .collect();
        Some(IdempotencyKey::new(keys.join(",")))
    }
}

impl Callback {
    /// The callback's `type`, such as `min_balance`.
    pub fn event_type(&self) -> &str {
        self.data.event_type()
    }

    /// `account_id:callback_id`: callback ids are a sequence per account.
    pub fn idempotency_key(&self) -> IdempotencyKey {
        IdempotencyKey::new(format!("{}:{}", self.account_id, self.callback_id))
    }
}

/// The body, each callback read into its members.
#[derive(Deserialize)]
struct Body<'a> {
    #[serde(borrow)]
    callbacks: Vec<JsonObject<'a>>,
}

/// The members that identify and authenticate a callback.
#[derive(Deserialize)]
struct Common {
    callback_id: u64,
    account_id: u64,
    hash: Option<String>,
    #[serde(rename = "type")]
    callback_type: String,
}

/// The members a callback's data is not found in.
const COMMON_MEMBERS: [&str; 11] = [
    "callback_id",
    "account_id",
    "hash",
    "type",
    "account_name",
    "account_email",
    "language_code",
    "account_first_name",
    "account_last_name",
    "balance",
    "currency",
];

/// A callback's common members, read, and the object holding its data, not yet read.
struct Head<'a> {
    index: usize,
    common: Common,
    object: JsonObject<'a>,
}

impl<'a> Head<'a> {
    fn read(object: JsonObject<'a>, index: usize) -> Result<Self, Error> {
        let common = object
            .deserialize_seed(PhantomData::<Common>, None)
            .map_err(|error| error.under(&Self::path(index)))?;
        Ok(Self {
            index,
            common,
            object,
        })
    }

    fn path(index: usize) -> String {
        format!("callbacks[{index}]")
    }

    fn into_callback(self) -> Result<Callback, Error> {
        Ok(Callback {
            callback_id: self.common.callback_id,
            account_id: self.common.account_id,
            account: self
                .object
                .deserialize_seed(PhantomData, None)
                .map_err(|error| error.under(&Self::path(self.index)))?,
            data: self.data()?,
        })
    }

    /// Reads the member named after the type, flat or doubly nested; an absent member reads as
    /// `{}`, which is all the kinds without data need.
    fn data(&self) -> Result<CallbackData, Error> {
        let callback_type = self.common.callback_type.as_str();
        let Some(known) = CallbackData::known_type(callback_type) else {
            let members = self
                .object
                .members()
                .filter(|(key, _)| !COMMON_MEMBERS.contains(key))
                .map(|(key, value)| {
                    json::check_depth_of(value)?;
                    Ok((key.to_owned(), value.to_owned()))
                })
                .collect::<Result<_, Error>>()?;
            return Ok(CallbackData::Unknown(UnknownCallback {
                callback_type: callback_type.to_owned(),
                members,
            }));
        };
        let member = self.object.get(known).map_or("{}", |raw| raw.get());
        let (text, doubled) = match nested(member, known) {
            Ok(Some(inner)) => (inner, true),
            Ok(None) => (member, false),
            Err(error) => return Err(error.under(&self.data_path(known, false))),
        };
        let seed = KnownSeed::<CallbackData>(known, PhantomData);
        json::from_str_seed(text, seed, || Some(known), "")
            .map_err(|error| error.under(&self.data_path(known, doubled)))
    }

    /// `callbacks[i].<kind>`, or `callbacks[i].<kind>.<kind>` for the doubly nested form.
    fn data_path(&self, kind: &str, doubled: bool) -> String {
        let path = format!("{}.{kind}", Self::path(self.index));
        if doubled {
            format!("{path}.{kind}")
        } else {
            path
        }
    }
}

/// The inner object of `{"<kind>": {...}}`, the doubly nested form; `None` for the flat form.
fn nested<'t>(text: &'t str, kind: &str) -> Result<Option<&'t str>, Error> {
    // Only an object whose first key is the kind can be the nested form; others need no look.
    let first_key = text.trim_start_matches(['{', ' ', '\t', '\n', '\r']);
    let names_kind = first_key
        .strip_prefix('"')
        .and_then(|rest| rest.strip_prefix(kind))
        .is_some_and(|rest| rest.starts_with('"'));
    if !names_kind {
        return Ok(None);
    }
    let object: JsonObject<'t> = json::from_str_seed(text, PhantomData, || None, "")?;
    let mut members = object.members();
    Ok(match (members.next(), members.next()) {
        (Some((key, inner)), None) if key == kind && inner.get().starts_with('{') => {
            Some(inner.get())
        }
        _ => None,
    })
}

impl FieldSource for Head<'_> {
    /// The values the hash covers, as their decimal text.
    fn field(&self, path: &[&str]) -> Result<Option<FieldValue<'_>>, Error> {
        let number = match path {
            ["account_id"] => self.common.account_id,
            ["callback_id"] => self.common.callback_id,
            _ => return Ok(None),
        };
        Ok(Some(FieldValue::Number(Cow::Owned(number.to_string()))))
    }
}
