//! JSON kept exactly as sent: objects whose shape nobody documents, and events of unknown types.

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::Error;
use crate::json::{self, Str};

/// A JSON object kept member by member as sent, for payloads whose shape the provider does not
/// document. A key given twice is refused when it is read, so [`get`](RawObject::get) has one
/// answer.
#[derive(Debug, Clone, Default)]
pub struct RawObject {
    /// Sorted by key.
    members: Vec<(Box<str>, Box<RawValue>)>,
}

impl RawObject {
    /// The member `key`'s value as sent.
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.members
            .binary_search_by(|(member, _)| (**member).cmp(key))
            .ok()
            .map(|index| &*self.members[index].1)
    }

    /// The member `key` read as `T`; `Ok(None)` when there is no such member.
    ///
    /// ```
    /// use hookproof::{Amount, RawObject};
    ///
    /// let object: RawObject = serde_json::from_str(r#"{"balance": 4.20, "status": "active"}"#)?;
    /// assert_eq!(object.get_as::<Amount>("balance")?.unwrap().as_str(), "4.20");
    /// assert_eq!(object.get_as::<String>("status")?.as_deref(), Some("active"));
    /// assert!(object.get_as::<u64>("status").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get_as<T: DeserializeOwned>(&self, key: &'static str) -> Result<Option<T>, Error> {
        self.get(key)
            .map(|raw| json::from_str_seed(raw.get(), std::marker::PhantomData, || None, key))
            .transpose()
    }

    /// The members in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.members.iter().map(|(key, value)| (&**key, &**value))
    }
}

impl<'de> Deserialize<'de> for RawObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;

        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = RawObject;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawObject, A::Error> {
                let mut members: Vec<(Box<str>, Box<RawValue>)> = Vec::new();
                while let Some(Str(key)) = map.next_key()? {
                    let value: Box<RawValue> = map.next_value()?;
                    json::check_depth(&value)?;
                    members.push((key.into(), value));
                }
                json::sort_unique(&mut members)?;
                Ok(RawObject { members })
            }
        }

        deserializer.deserialize_map(ObjectVisitor)
    }
}

/// An event of a type this version of hookproof does not know, with its payload as sent.
#[derive(Debug, Clone)]
pub struct UnknownEvent {
    event_type: String,
    data: Box<RawValue>,
}

impl UnknownEvent {
    /// Reads `data` as the payload of `event_type`.
    pub(crate) fn read<'de, D: Deserializer<'de>>(
        event_type: &str,
        data: D,
    ) -> Result<Self, D::Error> {
        let data: Box<RawValue> = Deserialize::deserialize(data)?;
        json::check_depth(&data)?;
        Ok(Self {
            event_type: event_type.to_owned(),
            data,
        })
    }

    /// The event type as sent.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// The event's payload (its `data`) exactly as sent.
    pub fn data(&self) -> &RawValue {
        &self.data
    }
}
