//! Declarations every provider repeats, written once.

/// A text field's documented values as an enum, plus `Other` keeping any value the provider adds
/// later, so a new status never fails a whole event. Equality and hashing follow the text:
/// `Other("active".into())` equals the documented `active` variant.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )+
            /// A value this version of hookproof does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// The value as sent.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(other) => other,
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                match text {
                    $( $wire => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl Eq for $name {}

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct TextVisitor;

                impl serde::de::Visitor<'_> for TextVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }

                    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$name, E> {
                        Ok($name::from(text))
                    }
                }

                deserializer.deserialize_str(TextVisitor)
            }
        }
    };
}

/// A provider's event enum: one variant per documented event type, each holding its typed
/// payload, plus `Unknown` holding the type named in `(unknown: …)`. Generates `event_type()`, the list of known types and the dispatch
/// from a type name to the payload's `Deserialize`, so the wire names are written once.
macro_rules! event_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident (unknown: $unknown:ty) {
            $( $(#[$variant_meta:meta])* $variant:ident($payload:ty) = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* #[doc = concat!("\n\nWire name: `", $wire, "`.")] $variant($payload), )+
            /// An event type this version of hookproof does not know, kept with its payload
            /// as sent, so nothing is lost and a new type never fails the request.
            Unknown($unknown),
            /// A known event type whose payload does not have the documented shape: verified,
            /// kept with the error and the raw body rather than refused (see
            /// [`Drifted`](crate::Drifted)).
            Drifted(crate::Drifted),
        }

        #[allow(deprecated)] // Deprecated variants are still parsed.
        impl $name {
            /// Every event type this version of hookproof parses into a typed variant.
            pub const KNOWN_TYPES: &'static [&'static str] = &[$($wire),+];

            /// The event type as sent.
            pub fn event_type(&self) -> &str {
                match self {
                    $( Self::$variant(_) => $wire, )+
                    Self::Unknown(unknown) => unknown.event_type(),
                    Self::Drifted(drifted) => drifted.event_type(),
                }
            }
        }

        impl From<$unknown> for $name {
            fn from(unknown: $unknown) -> Self {
                Self::Unknown(unknown)
            }
        }

        #[allow(deprecated)]
        impl crate::json::KnownEvents for $name {
            fn known_type(event_type: &str) -> Option<&'static str> {
                Self::KNOWN_TYPES.iter().copied().find(|known| *known == event_type)
            }

            fn deserialize_known<'de, D: serde::Deserializer<'de>>(
                event_type: &'static str,
                payload: D,
            ) -> Result<Self, D::Error> {
                match event_type {
                    $( $wire => <$payload as serde::Deserialize>::deserialize(payload).map(Self::$variant), )+
                    _ => Err(serde::de::Error::custom("not a known event type")),
                }
            }
        }
    };
}
