//! `application/x-www-form-urlencoded` bodies with PHP-style bracket keys, as InPlayer sends.
//!
//! The rules (the spec's Decisions): pairs are split on `&` and `=` first; then `+` becomes a
//! space and percent-escapes are decoded (by the `percent-encoding` crate), and the result must be
//! UTF-8; `resource[a][b]` nests to any depth up to [`MAX_DEPTH`]; `key[]` appends to a list; a
//! key given again keeps its last value. A key that is both a value and a group
//! (`a=1&a[b]=2`) cannot be read one way and is refused.

use std::collections::BTreeMap;

use percent_encoding::percent_decode;
use serde::de::value::{Error as ValueError, MapDeserializer, SeqDeserializer};
use serde::de::{self, Deserializer, IntoDeserializer, Visitor};

use crate::Error;
use crate::amount::AMOUNT_TOKEN;

/// How deeply bracket keys may nest: `a[b][c]` is depth 3. InPlayer uses 2.
pub const MAX_DEPTH: usize = 32;

/// How many `key=value` pairs a body may hold. InPlayer sends about twenty.
pub const MAX_PAIRS: usize = 1000;

/// A decoded form value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormValue {
    /// Text, decoded.
    Text(String),
    /// A group of keys: `resource[amount]=…&resource[email]=…`.
    Map(BTreeMap<String, FormValue>),
    /// A list: `tags[]=a&tags[]=b`.
    List(Vec<FormValue>),
}

impl FormValue {
    /// The value under `key`, if this is a group that has it.
    pub fn get(&self, key: &str) -> Option<&FormValue> {
        match self {
            Self::Map(map) => map.get(key),
            _ => None,
        }
    }

    /// The text, if this is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            _ => None,
        }
    }
}

impl<'de> de::Deserialize<'de> for FormValue {
    /// Text stays text; groups and lists keep their shape.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = FormValue;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("form data")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<FormValue, E> {
                Ok(FormValue::Text(text.to_owned()))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<FormValue, E> {
                Ok(FormValue::Text(text))
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<FormValue, A::Error> {
                let mut group = BTreeMap::new();
                while let Some((key, value)) = map.next_entry()? {
                    group.insert(key, value);
                }
                Ok(FormValue::Map(group))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<FormValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(FormValue::List(items))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}

/// One step of a bracket key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step<'k> {
    Key(&'k str),
    Push,
}

/// The steps of a key after its name: `[a][][b]` → `Key(a)`, `Push`, `Key(b)`.
#[derive(Debug, Clone, Copy)]
struct Steps<'k>(&'k str);

impl<'k> Iterator for Steps<'k> {
    type Item = Result<Step<'k>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.0.is_empty() {
            return None;
        }
        // `[`, then a segment without brackets, then `]`.
        let bytes = self.0.as_bytes();
        let close = bytes
            .iter()
            .skip(1)
            .position(|&b| b == b'[' || b == b']')
            .map(|at| at + 1)
            .filter(|&at| bytes[0] == b'[' && bytes[at] == b']');
        let Some(close) = close else {
            self.0 = "";
            return Some(Err(malformed_key()));
        };
        let segment = &self.0[1..close];
        self.0 = &self.0[close + 1..];
        Some(Ok(match segment {
            "" => Step::Push,
            key => Step::Key(key),
        }))
    }
}

fn malformed_key() -> Error {
    Error::payload_syntax("form data", "a key has malformed brackets")
}

/// Decodes a whole body into its top-level group. The top-level keys in `once` may not be
/// repeated: they say what the body is (an event's id and type), and must have one reading.
pub(crate) fn parse(
    body: &[u8],
    once: &[&'static str],
) -> Result<BTreeMap<String, FormValue>, Error> {
    let mut root = BTreeMap::new();
    // Keys are decoded into one buffer: they are only looked up, or copied where new.
    let mut key_buffer = Vec::new();
    for (count, pair) in pairs(body).enumerate() {
        if count == MAX_PAIRS {
            return Err(Error::payload_syntax(
                "form data",
                format!("it holds more than {MAX_PAIRS} pairs"),
            ));
        }
        let (key, value) = match memchr::memchr(b'=', pair) {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &b""[..]),
        };
        let (name, steps) = parse_key(decode_key(key, &mut key_buffer)?)?;
        if let Some(envelope_key) = once.iter().find(|key| **key == name)
            && steps.0.is_empty()
            && root.contains_key(name)
        {
            return Err(Error::ambiguous_form(envelope_key));
        }
        insert(&mut root, name, steps, decode_value(value)?)?;
    }
    Ok(root)
}

/// The `&`-separated pairs of a body, empty ones skipped.
fn pairs(body: &[u8]) -> impl Iterator<Item = &[u8]> {
    let ends = memchr::memchr_iter(b'&', body).chain([body.len()]);
    let mut start = 0;
    ends.map(move |end| {
        let pair = &body[start..end];
        start = end + 1;
        pair
    })
    .filter(|pair| !pair.is_empty())
}

/// Whether `raw` needs decoding at all.
fn is_escaped(raw: &[u8]) -> bool {
    memchr::memchr2(b'%', b'+', raw).is_some()
}

/// Appends `raw` to `decoded` with `+` read as a space, then percent-escapes decoded; a `+`
/// written as `%2B` stays a plus.
fn unescape(raw: &[u8], decoded: &mut Vec<u8>) {
    for (index, part) in raw.split(|&b| b == b'+').enumerate() {
        if index > 0 {
            decoded.push(b' ');
        }
        decoded.extend(percent_decode(part));
    }
}

fn decode_key<'k>(raw: &'k [u8], buffer: &'k mut Vec<u8>) -> Result<&'k str, Error> {
    let decoded = if is_escaped(raw) {
        buffer.clear();
        unescape(raw, buffer);
        buffer
    } else {
        raw
    };
    std::str::from_utf8(decoded).map_err(|_| not_utf8())
}

fn decode_value(raw: &[u8]) -> Result<String, Error> {
    let decoded = if is_escaped(raw) {
        let mut decoded = Vec::with_capacity(raw.len());
        unescape(raw, &mut decoded);
        decoded
    } else {
        raw.to_vec()
    };
    String::from_utf8(decoded).map_err(|_| not_utf8())
}

fn not_utf8() -> Error {
    Error::payload_syntax("form data", "a key or value is not UTF-8 once decoded")
}

/// `name[a][][b]` → (`name`, its steps); the steps are checked as they are read.
fn parse_key(key: &str) -> Result<(&str, Steps<'_>), Error> {
    let bytes = key.as_bytes();
    let name_end = bytes
        .iter()
        .position(|&b| b == b'[' || b == b']')
        .unwrap_or(key.len());
    if name_end == 0 || bytes.get(name_end) == Some(&b']') {
        return Err(malformed_key());
    }
    let brackets = &key[name_end..];
    if brackets.bytes().filter(|&b| b == b'[').count() >= MAX_DEPTH {
        return Err(Error::payload_syntax(
            "form data",
            format!("a key nests deeper than {MAX_DEPTH} levels"),
        ));
    }
    Ok((&key[..name_end], Steps(brackets)))
}

/// Puts `value` in `group` at the key `name` followed by `steps`.
fn insert(
    group: &mut BTreeMap<String, FormValue>,
    name: &str,
    mut steps: Steps<'_>,
    value: String,
) -> Result<(), Error> {
    let Some(step) = steps.next().transpose()? else {
        return match group.get_mut(name) {
            Some(FormValue::Map(_) | FormValue::List(_)) => Err(Error::form_conflict(name)),
            Some(existing) => {
                *existing = FormValue::Text(value);
                Ok(())
            }
            None => {
                group.insert(name.to_owned(), FormValue::Text(value));
                Ok(())
            }
        };
    };
    // A group or list seen before is found without allocating its name.
    if let Some(slot) = group.get_mut(name) {
        return descend(slot, name, step, steps, value);
    }
    let empty = match step {
        Step::Key(_) => FormValue::Map(BTreeMap::new()),
        Step::Push => FormValue::List(Vec::new()),
    };
    let slot = group.entry(name.to_owned()).or_insert(empty);
    descend(slot, name, step, steps, value)
}

/// Inserts the rest of a key into `slot`, the group or list that `name` holds.
fn descend(
    slot: &mut FormValue,
    name: &str,
    step: Step<'_>,
    rest: Steps<'_>,
    value: String,
) -> Result<(), Error> {
    match (slot, step) {
        (FormValue::Map(inner), Step::Key(key)) => insert(inner, key, rest, value),
        (FormValue::List(items), Step::Push) => {
            // Like PHP, each `[]` starts a new element; `a[][b]=1` appends a group.
            let mut element = BTreeMap::new();
            insert(&mut element, "", rest, value)?;
            items.extend(element.remove(""));
            Ok(())
        }
        _ => Err(Error::form_conflict(name)),
    }
}

/// Reads a [`FormValue`] as any `Deserialize` type. Text converts on demand: numbers parse,
/// booleans accept `true`/`false`/`1`/`0`, and empty text is `None` for an `Option`.
pub(crate) struct FormDeserializer(pub(crate) FormValue);

impl<'de> IntoDeserializer<'de, ValueError> for FormDeserializer {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl FormDeserializer {
    fn text(self) -> Result<String, ValueError> {
        match self.0 {
            FormValue::Text(text) => Ok(text),
            FormValue::Map(_) => Err(de::Error::invalid_type(de::Unexpected::Map, &"text")),
            FormValue::List(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &"text")),
        }
    }
}

macro_rules! parse_number {
    ($($method:ident => $visit:ident),+ $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
            let text = self.text()?;
            match text.parse() {
                Ok(number) => visitor.$visit(number),
                Err(_) => Err(de::Error::invalid_value(de::Unexpected::Str(&text), &visitor)),
            }
        }
    )+};
}

impl<'de> Deserializer<'de> for FormDeserializer {
    type Error = ValueError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match self.0 {
            FormValue::Text(text) => visitor.visit_string(text),
            FormValue::Map(map) => visitor.visit_map(MapDeserializer::new(
                map.into_iter()
                    .map(|(key, value)| (key, FormDeserializer(value))),
            )),
            FormValue::List(items) => visitor.visit_seq(SeqDeserializer::new(
                items.into_iter().map(FormDeserializer),
            )),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        let text = self.text()?;
        match text.as_str() {
            "true" | "1" => visitor.visit_bool(true),
            "false" | "0" => visitor.visit_bool(false),
            _ => Err(de::Error::invalid_value(
                de::Unexpected::Str(&text),
                &visitor,
            )),
        }
    }

    parse_number! {
        deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64,
        deserialize_i8 => visit_i8,
        deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64,
        deserialize_f64 => visit_f64,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        match &self.0 {
            FormValue::Text(text) if text.is_empty() => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        if name == AMOUNT_TOKEN {
            visitor.visit_string(self.text()?)
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ValueError> {
        visitor.visit_enum(self.text()?.into_deserializer())
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ValueError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i128 u128 f32 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map
        struct identifier
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn parse_all(body: &[u8]) -> Result<BTreeMap<String, FormValue>, Error> {
        parse(body, &[])
    }

    fn text(s: &str) -> FormValue {
        FormValue::Text(s.to_owned())
    }

    #[test]
    fn decodes_plus_percent_and_brackets() {
        let form = parse_all(
            b"id=WHE-1&resource%5Bamount%5D=10.00&resource%5Bformatted_amount%5D=%E2%82%AC10.00\
              &resource[item_title]=For+Paywall+03&resource[note]=a%2Bb",
        )
        .unwrap();
        assert_eq!(form["id"], text("WHE-1"));
        let resource = &form["resource"];
        assert_eq!(resource.get("amount"), Some(&text("10.00")));
        assert_eq!(resource.get("formatted_amount"), Some(&text("€10.00")));
        assert_eq!(resource.get("item_title"), Some(&text("For Paywall 03")));
        assert_eq!(resource.get("note"), Some(&text("a+b")));
    }

    #[test]
    fn nests_to_any_depth_and_builds_lists() {
        let form =
            parse_all(b"a[b][c][d]=deep&tags[]=x&tags[]=y&rows[][n]=1&rows[][n]=2&flag").unwrap();
        let deep = form["a"]
            .get("b")
            .and_then(|b| b.get("c"))
            .and_then(|c| c.get("d"));
        assert_eq!(deep, Some(&text("deep")));
        assert_eq!(form["tags"], FormValue::List(vec![text("x"), text("y")]));
        let rows = FormValue::List(vec![
            FormValue::Map([("n".to_owned(), text("1"))].into()),
            FormValue::Map([("n".to_owned(), text("2"))].into()),
        ]);
        assert_eq!(form["rows"], rows);
        assert_eq!(form["flag"], text(""));
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value() {
        let form =
            parse_all(b"resource[previewTitle]=first&resource[previewTitle]=second").unwrap();
        assert_eq!(form["resource"].get("previewTitle"), Some(&text("second")));
    }

    #[test]
    fn ambiguous_or_malformed_keys_are_refused() {
        for body in [&b"a=1&a[b]=2"[..], b"a[b]=2&a=1", b"a[]=1&a[b]=2"] {
            assert_eq!(
                parse_all(body).unwrap_err().kind(),
                ErrorKind::AmbiguousPayload,
                "{body:?}"
            );
        }
        for body in [
            &b"a[b=1"[..],
            b"a]=1",
            b"[a]=1",
            b"=1",
            b"a[b]c=1",
            b"a[[b]]=1",
        ] {
            assert_eq!(
                parse_all(body).unwrap_err().kind(),
                ErrorKind::PayloadSyntax,
                "{body:?}"
            );
        }
        assert_eq!(
            parse_all(b"a=%FF").unwrap_err().kind(),
            ErrorKind::PayloadSyntax
        );
        let deep = format!("a{}=1", "[x]".repeat(MAX_DEPTH));
        assert_eq!(
            parse_all(deep.as_bytes()).unwrap_err().kind(),
            ErrorKind::PayloadSyntax
        );
        let ok = format!("a{}=1", "[x]".repeat(MAX_DEPTH - 1));
        assert!(parse_all(ok.as_bytes()).is_ok());
    }

    #[test]
    fn limits_hold() {
        let many = "a=1&".repeat(MAX_PAIRS + 1);
        assert_eq!(
            parse_all(many.as_bytes()).unwrap_err().kind(),
            ErrorKind::PayloadSyntax
        );
        assert!(parse_all("a=1&".repeat(MAX_PAIRS).as_bytes()).is_ok());
        let err = parse(b"id=1&type=a&type=b", &["id", "type"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AmbiguousPayload);
        assert!(parse(b"id=1&other=a&other=b", &["id", "type"]).is_ok());
    }

    #[test]
    fn typed_reads_convert_text() {
        #[derive(serde::Deserialize, Debug)]
        struct Resource {
            id: u64,
            active: bool,
            trial: bool,
            note: Option<String>,
            rebill: Option<u64>,
            tags: Vec<String>,
        }
        let mut form =
            parse_all(b"r[id]=29237&r[active]=1&r[trial]=false&r[rebill]=&r[tags][]=a").unwrap();
        let resource: Resource =
            serde::Deserialize::deserialize(FormDeserializer(form.remove("r").unwrap())).unwrap();
        assert_eq!(resource.id, 29237);
        assert!(resource.active);
        assert!(!resource.trial);
        assert_eq!(resource.note, None);
        assert_eq!(resource.rebill, None);
        assert_eq!(resource.tags, ["a"]);
    }
}
