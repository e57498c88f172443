//! Identifiers that providers send as numbers or strings.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// An identifier sent as a JSON number or string. Its [`Display`](fmt::Display) is the text a
/// signature over it covers: a number's digits, or the string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Id {
    /// Sent as a JSON integer.
    Number(u64),
    /// Sent as a JSON string.
    Text(String),
}

impl Id {
    /// The id as a number: a JSON integer, or a string of digits.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Number(number) => Some(*number),
            Self::Text(text) => text.parse().ok(),
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(number) => number.fmt(f),
            Self::Text(text) => f.write_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;

        impl Visitor<'_> for IdVisitor {
            type Value = Id;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative integer or a string")
            }

            fn visit_u64<E: de::Error>(self, id: u64) -> Result<Id, E> {
                Ok(Id::Number(id))
            }

            fn visit_str<E: de::Error>(self, id: &str) -> Result<Id, E> {
                Ok(Id::Text(id.to_owned()))
            }

            fn visit_string<E: de::Error>(self, id: String) -> Result<Id, E> {
                Ok(Id::Text(id))
            }
        }

        deserializer.deserialize_any(IdVisitor)
    }
}
