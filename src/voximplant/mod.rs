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
//! assert_eq!(callback.account.balance.as_ref().map(|b| b.as_str()), Some("1.5"));
//! assert_eq!(callback.idempotency_key().as_str(), "123456:42");
//! assert!(matches!(callback.data, CallbackData::MinBalance(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod events;

pub use events::*;

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess};
use serde_json::value::RawValue;

use crate::drift::DriftPolicy;
use crate::error::{SignatureLocation, SignatureProblem};
use crate::json::{
    self, Envelope, EnvelopeSeed, JsonObject, KnownEvents, KnownSeed, Str, set_once,
};
use crate::verify::{FieldSource, FieldValue, Part, SaltedMd5};
use crate::{
    Amount, Delivery, Drifted, Error, Headers, IdempotencyKey, KeyId, Provenance, Provider, Secret,
    Verified,
};

/// Receives Voximplant account callbacks.
#[derive(Debug, Clone)]
pub struct Voximplant {
    scheme: SaltedMd5,
    account_id: Option<u64>,
    drift: DriftPolicy,
    /// Reported for every request: there is one credential pair rather than a ring.
    key_id: KeyId,
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

/// The account fields every callback carries, read leniently: they describe the account but
/// identify nothing, so a field of another shape is `None` rather than a failed delivery (the
/// raw body keeps what was sent).
#[derive(Debug, Clone, Default, Deserialize)]
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
    pub balance: Option<Amount>,
    /// The balance's currency (`USD`, `RUR`, `EUR`, …).
    pub currency: Option<String>,
}

/// A callback's account members, raw as read with it: verifying needs none of them, and they
/// are read leniently once the hash is checked (a malformed one is `None`, so that it never
/// fails a verified callback).
#[derive(Default)]
struct AccountMembers<'a> {
    name: Option<&'a RawValue>,
    email: Option<&'a RawValue>,
    language_code: Option<&'a RawValue>,
    first_name: Option<&'a RawValue>,
    last_name: Option<&'a RawValue>,
    balance: Option<&'a RawValue>,
    currency: Option<&'a RawValue>,
}

impl<'de> AccountMembers<'de> {
    /// Reads `key`'s value when it is an account member; `Ok(false)` for any other key.
    fn read<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        let (slot, field) = match key {
            "account_name" => (&mut self.name, "account_name"),
            "account_email" => (&mut self.email, "account_email"),
            "language_code" => (&mut self.language_code, "language_code"),
            "account_first_name" => (&mut self.first_name, "account_first_name"),
            "account_last_name" => (&mut self.last_name, "account_last_name"),
            "balance" => (&mut self.balance, "balance"),
            "currency" => (&mut self.currency, "currency"),
            _ => return Ok(false),
        };
        set_once(slot, field, map.next_value()?)?;
        Ok(true)
    }

    fn into_account(self) -> Account {
        let text = |raw: Option<&RawValue>| raw.and_then(json::scalar_text).map(Cow::into_owned);
        Account {
            name: text(self.name),
            email: text(self.email),
            language_code: text(self.language_code),
            first_name: text(self.first_name),
            last_name: text(self.last_name),
            balance: self
                .balance
                .and_then(|raw| serde_json::from_str(raw.get()).ok()),
            currency: text(self.currency),
        }
    }
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
            drift: DriftPolicy::Deliver,
            key_id: KeyId::from(KeyId::DEFAULT),
        }
    }

    /// Refuses a request in which a known callback's data does not have the modelled shape
    /// ([`PayloadData`](crate::ErrorKind::PayloadData), 422) instead of delivering that callback
    /// as [`CallbackData::Drifted`]. Off by default; meant for development.
    #[must_use]
    pub fn strict(mut self) -> Self {
        self.drift = DriftPolicy::Refuse;
        self
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
        require_distinct(&callbacks)?;
        for (index, head) in callbacks.iter().enumerate() {
            self.check(head)
                .map_err(|error| error.context(Head::path(index)))?;
        }
        Ok(callbacks)
    }

    fn check(&self, head: &Head<'_>) -> Result<(), Error> {
        let hash = head.hash.as_deref().ok_or_else(|| {
            Error::malformed_signature(SignatureLocation::Payload, SignatureProblem::Absent)
        })?;
        self.scheme.verify(head, hash)?;
        match self.account_id {
            Some(expected) if expected != head.account_id() => {
                Err(Error::unexpected_account(head.account_id(), expected))
            }
            _ => Ok(()),
        }
    }

    fn notification(
        &self,
        heads: Vec<Head<'_>>,
        verified: &Verified<'_>,
    ) -> Result<Notification, Error> {
        let provenance = verified.provenance();
        Ok(Notification {
            callbacks: heads
                .into_iter()
                .enumerate()
                .map(|(index, head)| head.into_callback(index, self.drift, &provenance))
                .collect::<Result<_, _>>()?,
            provenance,
        })
    }
}

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
        Ok(Verified::new(body, self.key_id.clone(), ()))
    }

    /// Reads a verified body.
    fn parse(&self, verified: Verified<'_>) -> Result<Notification, Error> {
        let Body { callbacks } = json::from_str_seed(
            json::body_text(verified.body())?,
            PhantomData::<Body<'_>>,
            || None,
            "",
        )?;
        require_distinct(&callbacks)?;
        self.notification(callbacks, &verified)
    }

    /// Verifies every callback, then reads their data, reading the body once.
    fn verify_and_parse<H: Headers + ?Sized>(
        &self,
        _headers: &H,
        body: &[u8],
    ) -> Result<Notification, Error> {
        let heads = self.verified_callbacks(body)?;
        self.notification(heads, &Verified::new(body, self.key_id.clone(), ()))
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
            let head: Head<'_> = json::from_str_seed(raw.get(), PhantomData, || None, "")?;
            head.require(index)?;
            let hash = format!("\"{}\"", self.scheme.sign(&head)?);
            // The hash member's value, found as the text after `"hash":` in this callback.
            let old_hash = match head.hash {
                Some(_) => {
                    let object: JsonObject<'_> =
                        json::from_str_seed(raw.get(), PhantomData, || None, "")?;
                    object.get("hash").map(RawValue::get)
                }
                None => None,
            };
            edits.push(match old_hash {
                Some(old) => (offset(old), old.len(), hash),
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

    fn drifted(&self) -> Option<&Drifted> {
        self.callbacks
            .iter()
            .find_map(|callback| match &callback.data {
                CallbackData::Drifted(drifted) => Some(drifted),
                _ => None,
            })
    }

    /// Each callback's key: a batch is de-duplicated callback by callback.
    fn item_keys(&self) -> Vec<Option<IdempotencyKey>> {
        self.callbacks
            .iter()
            .map(|callback| Some(callback.idempotency_key()))
            .collect()
    }

    /// Keeps the callbacks not handled before.
    fn retain_items(&mut self, keep: &[bool]) {
        let mut keep = keep.iter();
        self.callbacks
            .retain(|_| keep.next().copied().unwrap_or(true));
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

/// The body, each callback read in one pass.
#[derive(Deserialize)]
struct Body<'a> {
    #[serde(borrow)]
    callbacks: Vec<Head<'a>>,
}

/// An unsigned integer as sent: its value, and its token, which is the text the hash covers.
#[derive(Clone, Copy)]
struct Number<'a> {
    value: u64,
    token: &'a str,
}

impl<'de: 'a, 'a> Deserialize<'de> for Number<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let token = <&'de RawValue>::deserialize(deserializer)?.get();
        let value = token
            .parse()
            .map_err(|_| de::Error::custom("expected an unsigned integer"))?;
        Ok(Number { value, token })
    }
}

/// A callback as read in one pass: what identifies it typed, every other member (the account
/// fields and the data among them) kept raw until the hash is checked.
#[derive(Default)]
struct Head<'a> {
    callback_id: Option<Number<'a>>,
    account_id: Option<Number<'a>>,
    hash: Option<Cow<'a, str>>,
    callback_type: Option<Cow<'a, str>>,
    account: AccountMembers<'a>,
    /// Every other member, the data among them.
    members: BTreeMap<Cow<'a, str>, &'a RawValue>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Head<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let unused = Cell::new(None);
        EnvelopeSeed::<Head<'de>>::new(&unused).deserialize(deserializer)
    }
}

impl<'de> Envelope<'de> for Head<'de> {
    const EXPECTING: &'static str = "a Voximplant callback";

    fn read<A: MapAccess<'de>>(
        &mut self,
        key: Cow<'de, str>,
        map: &mut A,
        _known: &Cell<Option<&'static str>>,
    ) -> Result<(), A::Error> {
        match &*key {
            "callback_id" => set_once(&mut self.callback_id, "callback_id", map.next_value()?),
            "account_id" => set_once(&mut self.account_id, "account_id", map.next_value()?),
            "hash" => set_once(&mut self.hash, "hash", map.next_value::<Str<'de>>()?.0),
            "type" => set_once(
                &mut self.callback_type,
                "type",
                map.next_value::<Str<'de>>()?.0,
            ),
            _ if self.account.read(&key, map)? => Ok(()),
            _ => match self.members.entry(key) {
                Entry::Vacant(member) => {
                    member.insert(map.next_value()?);
                    Ok(())
                }
                Entry::Occupied(member) => Err(json::repeated_key(member.key())),
            },
        }
    }
}

impl<'a> Head<'a> {
    fn path(index: usize) -> String {
        format!("callbacks[{index}]")
    }

    /// The members every callback must have, for the hash to be checked at all.
    fn require(&self, index: usize) -> Result<(), Error> {
        let missing = |field| Err(Error::missing_field(None, field).under(&Self::path(index)));
        match (&self.callback_id, &self.account_id, &self.callback_type) {
            (None, _, _) => missing("callback_id"),
            (_, None, _) => missing("account_id"),
            (_, _, None) => missing("type"),
            _ => Ok(()),
        }
    }

    fn account_id(&self) -> u64 {
        self.account_id.map_or(0, |id| id.value)
    }

    /// The verified callback, its data typed; a known kind whose data does not fit is
    /// [`CallbackData::Drifted`] unless `drift` refuses it.
    fn into_callback(
        self,
        index: usize,
        drift: DriftPolicy,
        provenance: &Provenance,
    ) -> Result<Callback, Error> {
        let data = drift.apply(self.data(index), |error| {
            match CallbackData::known_type(self.callback_type.as_deref().unwrap_or_default()) {
                Some(known) => {
                    json::check_body_depth(json::body_text(provenance.raw_body())?)?;
                    Ok(CallbackData::Drifted(Drifted::new(
                        known, error, provenance,
                    )))
                }
                None => Err(error),
            }
        })?;
        Ok(Callback {
            callback_id: self.callback_id.map_or(0, |id| id.value),
            account_id: self.account_id(),
            account: self.account.into_account(),
            data,
        })
    }

    /// Reads the member named after the type, flat or doubly nested; an absent member reads as
    /// `{}`, which is all the kinds without data need.
    fn data(&self, index: usize) -> Result<CallbackData, Error> {
        let callback_type = self.callback_type.as_deref().unwrap_or_default();
        let Some(known) = CallbackData::known_type(callback_type) else {
            let members = self
                .members
                .iter()
                .map(|(key, value)| {
                    json::check_depth_of(value)?;
                    Ok((key.clone().into_owned(), (*value).to_owned()))
                })
                .collect::<Result<_, Error>>()?;
            return Ok(CallbackData::Unknown(UnknownCallback {
                callback_type: callback_type.to_owned(),
                members,
            }));
        };
        let member = self.members.get(known).map_or("{}", |raw| raw.get());
        let path = |doubled: bool| {
            let path = format!("{}.{known}", Self::path(index));
            if doubled {
                format!("{path}.{known}")
            } else {
                path
            }
        };
        let (text, doubled) = match nested(member, known) {
            Ok(Some(inner)) => (inner, true),
            Ok(None) => (member, false),
            Err(error) => return Err(error.under(&path(false))),
        };
        let seed = KnownSeed::<CallbackData>(known, PhantomData);
        json::from_str_seed(text, seed, || Some(known), "")
            .map_err(|error| error.under(&path(doubled)))
    }
}

/// Checks that every callback has what its hash needs and that no callback appears twice: the
/// hash does not cover a callback's data, so a batch repeating a captured callback with other
/// data would otherwise reach the handler twice under one idempotency key.
fn require_distinct(callbacks: &[Head<'_>]) -> Result<(), Error> {
    for (index, head) in callbacks.iter().enumerate() {
        head.require(index)?;
    }
    if callbacks.len() < 2 {
        return Ok(());
    }
    let mut seen = std::collections::HashMap::with_capacity(callbacks.len());
    for (index, head) in callbacks.iter().enumerate() {
        let identity = (head.account_id(), head.callback_id.map_or(0, |id| id.value));
        if let Some(first) = seen.insert(identity, index) {
            return Err(Error::repeated_item(index, first));
        }
    }
    Ok(())
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
    /// The values the hash covers: the integers' tokens, that is, their decimal digits.
    fn field(&self, path: &[&str]) -> Result<Option<FieldValue<'_>>, Error> {
        let number = match path {
            ["account_id"] => self.account_id,
            ["callback_id"] => self.callback_id,
            _ => return Ok(None),
        };
        Ok(number.map(|number| FieldValue::Number(Cow::Borrowed(number.token))))
    }
}
