//! Reading JSON bodies the same way everywhere.
//!
//! - The body is checked as UTF-8 once and then read with `from_str`.
//! - Failures become [`Error`]s that name the JSON path but none of the values.
//! - [`JsonObject`] keeps an object's members as raw text with every key unique: a body that two
//!   JSON readers could read differently (`{"status":"PAID","status":"FAILED"}`) is refused
//!   rather than resolved by "first wins" or "last wins".

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::marker::PhantomData;

use crate::error::repeated_key_message;
use crate::verify::{FieldSource, FieldValue};
use crate::{Error, UnknownEvent};
use serde::Deserialize;
use serde::de::value::MapDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// How deeply a JSON value hookproof keeps unparsed may nest: serde_json's own limit for what it
/// parses, applied to what it only skips over.
pub const MAX_DEPTH: usize = 128;

/// The message of a raw value nested beyond [`MAX_DEPTH`]; [`error`] reports it as syntax.
const TOO_DEEP: &str = "a value nests deeper than 128 levels";

/// Refuses a raw value nested more than [`MAX_DEPTH`] deep, before it is kept: serde_json skips
/// over raw values without a depth limit, and whoever parses a kept value later should not meet
/// one it could not parse.
pub(crate) fn check_depth<E: de::Error>(raw: &RawValue) -> Result<(), E> {
    check_text_depth(raw.get())
}

/// [`check_depth`] of a whole body, before a known event that did not fit its model is
/// delivered with it: the limit holds for what hookproof hands on, parsed or not.
pub(crate) fn check_body_depth(text: &str) -> Result<(), Error> {
    check_text_depth::<serde_json::Error>(text).map_err(|_| Error::payload_syntax("JSON", TOO_DEEP))
}

fn check_text_depth<E: de::Error>(text: &str) -> Result<(), E> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &byte in text.as_bytes() {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') | (false, _, b'"') => in_string = !in_string,
            (false, _, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(E::custom(TOO_DEEP));
                }
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// [`check_depth`] where the caller reports its own errors.
pub(crate) fn check_depth_of(raw: &RawValue) -> Result<(), Error> {
    check_depth::<serde_json::Error>(raw).map_err(|_| Error::payload_syntax("JSON", TOO_DEEP))
}

/// The body as text: JSON is UTF-8 (RFC 8259 §8.1).
pub(crate) fn body_text(body: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(body).map_err(|error| {
        Error::payload_syntax(
            "JSON",
            format!("invalid UTF-8 at byte {}", error.valid_up_to()),
        )
    })
}

/// Maps a serde_json failure to [`ErrorKind::PayloadSyntax`](crate::ErrorKind::PayloadSyntax),
/// [`AmbiguousPayload`](crate::ErrorKind::AmbiguousPayload) or
/// [`PayloadData`](crate::ErrorKind::PayloadData). `prefix` is the path of the value that was
/// being read, when it was read on its own (`data`).
/// `path` is where the failure happened, when it is known.
pub(crate) fn error(
    failure: &serde_json::Error,
    path: Option<&serde_path_to_error::Path>,
    event_type: Option<&'static str>,
    prefix: &str,
) -> Error {
    if failure.classify() != serde_json::error::Category::Data {
        return syntax_error(failure);
    }
    let message = failure.to_string();
    if message.starts_with(TOO_DEEP) {
        return Error::payload_syntax("JSON", TOO_DEEP);
    }
    Error::deserialization(event_type, prefix, path, &message)
}

/// Deserializes with `seed` from `text`, mapping failures with [`error`]; `event_type` is asked
/// after a failure, since the seed may have learnt it while reading.
///
/// Paths are tracked only on failure: the text is read untracked, and read again, tracking
/// where each value sits, only when that fails. Failures are rare; tracking every success would
/// cost every request a copy of every key.
pub(crate) fn from_str_seed<'a, S: DeserializeSeed<'a> + Clone>(
    text: &'a str,
    seed: S,
    event_type: impl FnOnce() -> Option<&'static str>,
    prefix: &str,
) -> Result<S::Value, Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let first = match seed.clone().deserialize(&mut deserializer) {
        Ok(value) => match deserializer.end() {
            Ok(()) => return Ok(value),
            Err(failure) => return Err(syntax_error(&failure)),
        },
        Err(failure) => failure,
    };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let tracked = seed.deserialize(serde_path_to_error::Deserializer::new(
        &mut deserializer,
        &mut track,
    ));
    let path = tracked.is_err().then(|| track.path());
    Err(error(&first, path.as_ref(), event_type(), prefix))
}

/// The typed payloads of an event enum declared with `event_enum!`.
pub(crate) trait KnownEvents: Sized {
    /// The static name of a known event type.
    fn known_type(event_type: &str) -> Option<&'static str>;

    /// Reads the payload of `event_type`, a name [`known_type`](Self::known_type) returned.
    fn deserialize_known<'de, D: Deserializer<'de>>(
        event_type: &'static str,
        payload: D,
    ) -> Result<Self, D::Error>;
}

/// Reads a payload as the known event type it holds.
pub(crate) struct KnownSeed<E>(pub(crate) &'static str, pub(crate) PhantomData<E>);

impl<E> Clone for KnownSeed<E> {
    fn clone(&self) -> Self {
        Self(self.0, PhantomData)
    }
}

impl<'de, E: KnownEvents> DeserializeSeed<'de> for KnownSeed<E> {
    type Value = E;

    fn deserialize<D: Deserializer<'de>>(self, payload: D) -> Result<E, D::Error> {
        E::deserialize_known(self.0, payload)
    }
}

/// Reads a payload as the event its type names, and records the type for error messages.
pub(crate) struct DispatchSeed<'a, E> {
    event_type: &'a str,
    known: &'a Cell<Option<&'static str>>,
    event: PhantomData<E>,
}

impl<E> Clone for DispatchSeed<'_, E> {
    fn clone(&self) -> Self {
        Self::new(self.event_type, self.known)
    }
}

impl<'a, E> DispatchSeed<'a, E> {
    pub(crate) fn new(event_type: &'a str, known: &'a Cell<Option<&'static str>>) -> Self {
        Self {
            event_type,
            known,
            event: PhantomData,
        }
    }
}

impl<'de, E: KnownEvents + From<UnknownEvent>> DeserializeSeed<'de> for DispatchSeed<'_, E> {
    type Value = E;

    fn deserialize<D: Deserializer<'de>>(self, payload: D) -> Result<E, D::Error> {
        let known = E::known_type(self.event_type);
        self.known.set(known);
        match known {
            Some(known) => E::deserialize_known(known, payload),
            None => UnknownEvent::read(self.event_type, payload).map(E::from),
        }
    }
}

/// An event's payload inside an envelope. When the type comes first (as providers write it) the
/// payload is read straight into its type; otherwise it is kept raw until the type is known and
/// read then, so either order works and the common one costs a single pass.
pub(crate) enum Payload<'de, E> {
    Read(E),
    Deferred(&'de RawValue),
}

impl<'de, E: KnownEvents + From<UnknownEvent>> Payload<'de, E> {
    /// The next map value, read as `E` if `event_type` is already known.
    pub(crate) fn next<A: MapAccess<'de>>(
        map: &mut A,
        event_type: Option<&str>,
        known: &Cell<Option<&'static str>>,
    ) -> Result<Self, A::Error> {
        Ok(match event_type {
            Some(event_type) => {
                Self::Read(map.next_value_seed(DispatchSeed::new(event_type, known))?)
            }
            None => Self::Deferred(map.next_value()?),
        })
    }

    /// The event, reading a deferred payload (found at `path`) now that its type is known.
    pub(crate) fn finish(
        self,
        event_type: &str,
        known: &Cell<Option<&'static str>>,
        path: &str,
    ) -> Result<E, Error> {
        match self {
            Self::Read(event) => Ok(event),
            Self::Deferred(raw) => from_str_seed(
                raw.get(),
                DispatchSeed::new(event_type, known),
                || known.get(),
                path,
            ),
        }
    }
}

/// The event an envelope without its payload member holds: an unknown event keeps `null`; a
/// known one is read from `null`, which fails as data (and so drifts).
pub(crate) fn absent_payload<E: KnownEvents + From<UnknownEvent>>(
    event_type: &str,
    known: &Cell<Option<&'static str>>,
    path: &str,
) -> Result<E, Error> {
    Payload::<E>::Deferred(RawValue::NULL).finish(event_type, known, path)
}

/// An optional envelope member that describes an event without identifying it (a timestamp, a
/// customer id): text as sent, a number as its token, and `None` for `null` or any other shape,
/// so that its drift never fails a delivery. The raw body keeps whatever was sent.
#[derive(Debug, Default)]
pub(crate) struct LenientText {
    seen: bool,
    text: Option<String>,
}

impl LenientText {
    /// Reads the member, refusing it given twice.
    pub(crate) fn set_once<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        field: &'static str,
    ) -> Result<(), A::Error> {
        let raw: &'de RawValue = map.next_value()?;
        if std::mem::replace(&mut self.seen, true) {
            return Err(de::Error::duplicate_field(field));
        }
        self.text = scalar_text(raw).map(Cow::into_owned);
        Ok(())
    }

    /// The text read, if any.
    pub(crate) fn into_text(self) -> Option<String> {
        self.text
    }
}

/// A raw JSON string's text or a number's token; `None` for anything else.
pub(crate) fn scalar_text(raw: &RawValue) -> Option<Cow<'_, str>> {
    match field_value(raw).ok()? {
        FieldValue::String(text) | FieldValue::Number(text) => Some(text),
        _ => None,
    }
}

/// A provider's envelope: the top-level object around an event's payload.
pub(crate) trait Envelope<'de>: Default {
    /// What the envelope is, for messages (`a Platnova webhook object`).
    const EXPECTING: &'static str;

    /// Reads the value of `key`; keys it does not know it skips or keeps.
    fn read<A: MapAccess<'de>>(
        &mut self,
        key: Cow<'de, str>,
        map: &mut A,
        known: &Cell<Option<&'static str>>,
    ) -> Result<(), A::Error>;
}

/// Reads an [`Envelope`], recording the event type it learns for error messages.
pub(crate) struct EnvelopeSeed<'a, T> {
    known: &'a Cell<Option<&'static str>>,
    envelope: PhantomData<T>,
}

impl<T> Clone for EnvelopeSeed<'_, T> {
    fn clone(&self) -> Self {
        Self::new(self.known)
    }
}

impl<'a, T> EnvelopeSeed<'a, T> {
    pub(crate) fn new(known: &'a Cell<Option<&'static str>>) -> Self {
        Self {
            known,
            envelope: PhantomData,
        }
    }
}

impl<'de, T: Envelope<'de>> DeserializeSeed<'de> for EnvelopeSeed<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Envelope<'de>> Visitor<'de> for EnvelopeSeed<'_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut envelope = T::default();
        while let Some(Str(key)) = map.next_key()? {
            envelope.read(key, &mut map, self.known)?;
        }
        Ok(envelope)
    }
}

/// Fills an envelope field, refusing a second occurrence: `{"event":"a","event":"b"}` is
/// ambiguous, not "last wins".
pub(crate) fn set_once<T, E: de::Error>(
    slot: &mut Option<T>,
    field: &'static str,
    value: T,
) -> Result<(), E> {
    if slot.replace(value).is_some() {
        return Err(E::duplicate_field(field));
    }
    Ok(())
}

/// Sorts an object's members by key, refusing a key given twice.
pub(crate) fn sort_unique<K: Ord + std::ops::Deref<Target = str>, V, E: de::Error>(
    members: &mut [(K, V)],
) -> Result<(), E> {
    members.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    match members.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        Some(pair) => Err(repeated_key(&pair[0].0)),
        None => Ok(()),
    }
}

/// A key given twice in one free-form object, described by its length (the key is request
/// content); it becomes [`AmbiguousPayload`](crate::ErrorKind::AmbiguousPayload) with the
/// object's path.
pub(crate) fn repeated_key<E: de::Error>(key: &str) -> E {
    E::custom(repeated_key_message(key))
}

/// Reads an optional value whose `null` means the same as its absence: the type's default.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Syntax messages from serde_json are fixed texts with a position; they quote no input.
pub(crate) fn syntax_error(failure: &serde_json::Error) -> Error {
    Error::payload_syntax("JSON", failure.to_string())
}

/// A JSON string (a key or a value), borrowed from the body when it has no escapes.
pub(crate) struct Str<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;

        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(text)))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(text.to_owned())))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(text)))
            }
        }

        deserializer.deserialize_str(StrVisitor)
    }
}

/// A JSON object's members, each value kept as its raw text, every key unique.
pub(crate) struct JsonObject<'a> {
    /// Sorted by key, so lookups are a binary search and duplicates are neighbours.
    members: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> JsonObject<'a> {
    /// Reads a whole body as one object.
    pub(crate) fn parse(text: &'a str) -> Result<Self, Error> {
        Self::parse_at(text, "")
    }

    /// Reads `text`, the object found at `path`.
    fn parse_at(text: &'a str, path: &str) -> Result<Self, Error> {
        crate::work::parsed(text.len());
        from_str_seed(text, PhantomData::<Self>, || None, path)
    }

    /// The members, in key order.
    pub(crate) fn members(&self) -> impl Iterator<Item = (&str, &'a RawValue)> {
        self.members.iter().map(|(key, value)| (&**key, *value))
    }

    /// The raw value of the member `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.members
            .binary_search_by(|(member, _)| member.as_ref().cmp(key))
            .ok()
            .map(|index| self.members[index].1)
    }

    /// Reads the object with `seed` from the members' raw text. A struct is handed only the
    /// members it names, so the rest of the body, already checked once, is not read again.
    /// `path` is where the object sits, for errors.
    /// Paths are tracked only on failure, as in [`from_str_seed`].
    pub(crate) fn deserialize_seed<S: DeserializeSeed<'a> + Clone>(
        &self,
        seed: S,
        event_type: Option<&'static str>,
    ) -> Result<S::Value, Error> {
        let first = match seed.clone().deserialize(ObjectDeserializer(&self.members)) {
            Ok(value) => return Ok(value),
            Err(failure) => failure,
        };
        let mut track = serde_path_to_error::Track::new();
        let tracked = seed.deserialize(serde_path_to_error::Deserializer::new(
            ObjectDeserializer(&self.members),
            &mut track,
        ));
        let path = tracked.is_err().then(|| track.path());
        Err(error(&first, path.as_ref(), event_type, ""))
    }
}

/// An object as a signing scheme reads it: the fields it names, nested ones included, with each
/// nested object on the way parsed at most once however many fields go through it, so that the
/// work a fields header can cause stays proportional to the body.
pub(crate) struct JsonFields<'o, 'a> {
    root: &'o JsonObject<'a>,
    /// Nested objects already parsed, by the path of keys that leads to them.
    nested: RefCell<Vec<(Vec<Box<str>>, JsonObject<'a>)>>,
}

impl<'o, 'a> JsonFields<'o, 'a> {
    pub(crate) fn new(root: &'o JsonObject<'a>) -> Self {
        Self {
            root,
            nested: RefCell::new(Vec::new()),
        }
    }

    /// The raw member `key` of the object at `parents` (the root when empty).
    fn member(&self, parents: &[&str], key: &str) -> Result<Option<&'a RawValue>, Error> {
        if parents.is_empty() {
            return Ok(self.root.get(key));
        }
        let cached = |nested: &Vec<(Vec<Box<str>>, JsonObject<'a>)>| {
            nested
                .iter()
                .find(|(path, _)| path.iter().map(|part| &**part).eq(parents.iter().copied()))
                .map(|(_, object)| object.get(key))
        };
        if let Some(found) = cached(&self.nested.borrow()) {
            return Ok(found);
        }
        let (last, above) = parents.split_last().expect("parents is not empty");
        let Some(raw) = self.member(above, last)? else {
            return Ok(None);
        };
        if !raw.get().starts_with('{') {
            return Ok(None);
        }
        // Keys on a signed path are request content: the path shows their places, not names.
        let here = vec!["?"; parents.len()].join(".");
        let object = JsonObject::parse_at(raw.get(), &here)?;
        let found = object.get(key);
        let path = parents.iter().map(|part| Box::from(*part)).collect();
        self.nested.borrow_mut().push((path, object));
        Ok(found)
    }
}

impl FieldSource for JsonFields<'_, '_> {
    fn field(&self, path: &[&str]) -> Result<Option<FieldValue<'_>>, Error> {
        let Some((key, parents)) = path.split_last() else {
            return Ok(None);
        };
        self.member(parents, key)?.map(field_value).transpose()
    }
}

/// Presents an object's members to serde; see [`JsonObject::deserialize`].
struct ObjectDeserializer<'m, 'a>(&'m [(Cow<'a, str>, &'a RawValue)]);

impl<'m, 'de> ObjectDeserializer<'m, 'de> {
    fn members(
        self,
        only: Option<&'static [&'static str]>,
    ) -> MapDeserializer<
        'de,
        impl Iterator<Item = (MemberKey<'m, 'de>, &'de RawValue)>,
        serde_json::Error,
    > {
        MapDeserializer::new(
            self.0
                .iter()
                .filter(move |(key, _)| only.is_none_or(|fields| fields.contains(&&**key)))
                .map(|(key, value)| (MemberKey(key), *value)),
        )
    }
}

impl<'de> Deserializer<'de> for ObjectDeserializer<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self.members(None))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self.members(Some(fields)))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// A member's key, handed to serde borrowed from the body when it had no escapes, so that
/// `&'de str` fields deserialize.
struct MemberKey<'m, 'de>(&'m Cow<'de, str>);

impl<'de> de::IntoDeserializer<'de, serde_json::Error> for MemberKey<'_, 'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for MemberKey<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Cow::Borrowed(key) => visitor.visit_borrowed_str(key),
            Cow::Owned(key) => visitor.visit_str(key),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// What a raw JSON value is, for a signing scheme.
fn field_value(raw: &RawValue) -> Result<FieldValue<'_>, Error> {
    let text = raw.get();
    Ok(match text.as_bytes().first() {
        Some(b'"') => FieldValue::String(string_value(text)?),
        Some(b't') => FieldValue::Bool(true),
        Some(b'f') => FieldValue::Bool(false),
        Some(b'n') => FieldValue::Null,
        Some(b'{') => FieldValue::Object,
        Some(b'[') => FieldValue::Array,
        _ => FieldValue::Number(Cow::Borrowed(text)),
    })
}

/// A JSON string token's text with escapes resolved, borrowed when there are none.
pub(crate) fn string_value(token: &str) -> Result<Cow<'_, str>, Error> {
    match token.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) if !inner.contains('\\') => Ok(Cow::Borrowed(inner)),
        _ => serde_json::from_str::<String>(token)
            .map(Cow::Owned)
            .map_err(|failure| syntax_error(&failure)),
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for JsonObject<'a> {
    /// Reads an object's members raw, refusing a key given twice.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;

        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = JsonObject<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonObject<'de>, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(8).min(64));
                while let Some(Str(key)) = map.next_key()? {
                    members.push((key, map.next_value()?));
                }
                sort_unique(&mut members)?;
                Ok(JsonObject { members })
            }
        }

        deserializer.deserialize_map(MembersVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn duplicate_keys_are_ambiguous_at_any_depth_read() {
        let err = JsonObject::parse(r#"{"id":1,"status":"A","status":"B"}"#)
            .err()
            .unwrap();
        assert_eq!(err.kind(), ErrorKind::AmbiguousPayload);
        assert_eq!(
            err.to_string(),
            "the key `status` appears more than once at the top level"
        );

        let object = JsonObject::parse(r#"{"data":{"id":1,"id":2}}"#).unwrap();
        let err = JsonFields::new(&object).field(&["data", "id"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AmbiguousPayload);
        assert_eq!(
            err.to_string(),
            "the key `id` appears more than once in `?`"
        );
    }

    #[test]
    fn fields_keep_their_exact_tokens() {
        let object =
            JsonObject::parse(r#"{"n": 1.50 ,"s":"caf\u00e9","b":true,"z":null,"o":{},"a":[]}"#)
                .unwrap();
        let object = JsonFields::new(&object);
        let field = |name| object.field(&[name]).unwrap().unwrap();
        assert_eq!(field("n"), FieldValue::Number("1.50".into()));
        assert_eq!(field("s"), FieldValue::String("café".into()));
        assert_eq!(field("b"), FieldValue::Bool(true));
        assert_eq!(field("z"), FieldValue::Null);
        assert_eq!(field("o"), FieldValue::Object);
        assert_eq!(field("a"), FieldValue::Array);
        assert_eq!(object.field(&["missing"]).unwrap(), None);
        assert_eq!(object.field(&["n", "deeper"]).unwrap(), None);
    }

    #[test]
    fn non_objects_and_trailing_data_are_refused() {
        assert_eq!(
            JsonObject::parse("[1]").err().unwrap().kind(),
            ErrorKind::PayloadData
        );
        assert_eq!(
            JsonObject::parse("{} {}").err().unwrap().kind(),
            ErrorKind::PayloadSyntax
        );
        assert_eq!(
            JsonObject::parse("\u{feff}{}").err().unwrap().kind(),
            ErrorKind::PayloadSyntax
        );
    }

    #[test]
    fn data_errors_name_the_path_not_the_value() {
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            amount: u64,
        }
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            data: Vec<Inner>,
        }
        let text = r#"{"data":[{"amount":1},{"amount":"jane@example.com"}]}"#;
        let failure = serde_path_to_error::deserialize::<_, Outer>(
            &mut serde_json::Deserializer::from_str(text),
        )
        .unwrap_err();
        let err = error(failure.inner(), Some(failure.path()), Some("x.y"), "");
        assert_eq!(err.kind(), ErrorKind::PayloadData);
        assert_eq!(err.json_path(), Some("data[1].amount"));
        assert_eq!(err.event_type(), Some("x.y"));
        assert!(!err.to_string().contains("jane"), "{err}");
    }

    #[test]
    fn depth_counts_only_structure() {
        let raw = |text: &str| serde_json::from_str::<Box<RawValue>>(text).unwrap();
        let at_limit = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(check_depth::<serde_json::Error>(&raw(&at_limit)).is_ok());
        let over = format!("[{at_limit}]");
        assert!(check_depth::<serde_json::Error>(&raw(&over)).is_err());
        // Brackets in strings, escaped quotes included, are text.
        let quoted = format!(r#"["\"{}", {{"k": "]]]"}}]"#, "[".repeat(500));
        assert!(check_depth::<serde_json::Error>(&raw(&quoted)).is_ok());
    }

    #[test]
    fn invalid_utf8_is_a_syntax_error_with_its_offset() {
        let err = body_text(b"{\"a\":\"\xff\"}").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PayloadSyntax);
        assert_eq!(
            err.to_string(),
            "the body is not valid JSON: invalid UTF-8 at byte 6"
        );
    }
}
