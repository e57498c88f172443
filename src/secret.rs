//! Secrets and key rings.
//!
//! A [`Secret`] can only be built non-empty, never prints its bytes and is wiped from memory when
//! dropped. A [`KeyRing`] holds one or more secrets under ids so a receiver can rotate: during a
//! rotation both the old and the new secret verify, and the result says which one did.

use std::fmt;
use std::sync::Arc;

use zeroize::{Zeroize, Zeroizing};

/// A webhook secret.
///
/// `Debug` and `Display` print `Secret([REDACTED])`; there is no `Serialize`; the bytes are
/// zeroized when the last clone is dropped.
///
/// ```
/// use hookproof::Secret;
///
/// let secret = Secret::new("whsec_correct_horse")?;
/// assert_eq!(format!("{secret:?}"), "Secret([REDACTED])");
/// assert!(Secret::new("").is_err());
/// # Ok::<(), hookproof::EmptySecret>(())
/// ```
#[derive(Clone)]
pub struct Secret(Arc<Zeroizing<Box<[u8]>>>);

/// A secret was empty. An empty secret would make every signature trivially forgeable, so it is
/// refused when the receiver is configured rather than discovered in production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a webhook secret must not be empty")]
pub struct EmptySecret;

impl Secret {
    /// Takes the secret's bytes, refusing an empty one.
    ///
    /// The bytes are copied into a buffer of exactly their length and the input buffer is
    /// zeroized, so no copy is left behind in spare capacity.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, EmptySecret> {
        let mut bytes = bytes.into();
        if bytes.is_empty() {
            return Err(EmptySecret);
        }
        let secret = Box::<[u8]>::from(bytes.as_slice());
        bytes.zeroize();
        Ok(Self(Arc::new(Zeroizing::new(secret))))
    }

    /// The secret's bytes, for code that must hash them.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl TryFrom<&str> for Secret {
    type Error = EmptySecret;
    fn try_from(value: &str) -> Result<Self, EmptySecret> {
        Self::new(value)
    }
}

impl TryFrom<String> for Secret {
    type Error = EmptySecret;
    fn try_from(value: String) -> Result<Self, EmptySecret> {
        Self::new(value)
    }
}

impl TryFrom<Vec<u8>> for Secret {
    type Error = EmptySecret;
    fn try_from(value: Vec<u8>) -> Result<Self, EmptySecret> {
        Self::new(value)
    }
}

/// The name of a key in a [`KeyRing`], reported by a successful verification.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(Arc<str>);

impl KeyId {
    /// The id a ring built from a single [`Secret`] gives its key.
    pub const DEFAULT: &'static str = "default";

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for KeyId {
    fn from(id: &str) -> Self {
        Self(id.into())
    }
}

impl From<String> for KeyId {
    fn from(id: String) -> Self {
        Self(id.into())
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for KeyId {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for KeyId {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

/// One or more secrets, each under a [`KeyId`], tried in order.
///
/// Every provider accepts `impl Into<KeyRing>`, so a single [`Secret`] is enough for the usual
/// case; it gets the id [`KeyId::DEFAULT`]. To rotate, configure both secrets until the sender
/// uses only the new one:
///
/// ```
/// use hookproof::{KeyRing, Secret};
///
/// let keys = KeyRing::new("2026-01", Secret::new("old secret")?)
///     .with("2026-11", Secret::new("new secret")?);
/// assert_eq!(keys.ids().map(|id| id.as_str()).collect::<Vec<_>>(), ["2026-01", "2026-11"]);
/// # Ok::<(), hookproof::EmptySecret>(())
/// ```
///
/// Each key costs one more digest on a mismatch, so keep only the keys in use.
#[derive(Clone)]
pub struct KeyRing {
    /// Never empty.
    keys: Vec<(KeyId, Secret)>,
}

impl KeyRing {
    /// A ring with one key.
    pub fn new(id: impl Into<KeyId>, secret: Secret) -> Self {
        Self {
            keys: vec![(id.into(), secret)],
        }
    }

    /// Adds a key, tried after the ones already in the ring. Ids should be unique: the first
    /// key that matches is the one reported.
    #[must_use]
    pub fn with(mut self, id: impl Into<KeyId>, secret: Secret) -> Self {
        self.keys.push((id.into(), secret));
        self
    }

    /// The ids, in the order keys are tried.
    pub fn ids(&self) -> impl Iterator<Item = &KeyId> {
        self.keys.iter().map(|(id, _)| id)
    }

    /// The keys, in the order they are tried.
    pub fn iter(&self) -> impl Iterator<Item = (&KeyId, &Secret)> {
        self.keys.iter().map(|(id, secret)| (id, secret))
    }

    /// The first key's secret: the one signatures are made with.
    #[cfg(feature = "testing")]
    pub(crate) fn first(&self) -> &Secret {
        &self.keys[0].1
    }

    /// Precomputes per-key state (a digest of the secret, a keyed MAC) once, at configuration.
    pub(crate) fn derive<T>(&self, state: impl Fn(&Secret) -> T) -> DerivedKeys<T> {
        DerivedKeys(
            self.keys
                .iter()
                .map(|(id, secret)| (id.clone(), state(secret)))
                .collect(),
        )
    }
}

impl From<Secret> for KeyRing {
    fn from(secret: Secret) -> Self {
        Self::new(KeyId::DEFAULT, secret)
    }
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing")
            .field("ids", &self.ids().collect::<Vec<_>>())
            .finish()
    }
}

/// Per-key state derived from a [`KeyRing`], in the ring's order; never empty.
#[derive(Clone)]
pub(crate) struct DerivedKeys<T>(Vec<(KeyId, T)>);

impl<T> DerivedKeys<T> {
    /// The first key whose state passes `matches`.
    pub(crate) fn find(&self, mut matches: impl FnMut(&T) -> bool) -> Option<&KeyId> {
        self.0
            .iter()
            .find(|(_, state)| matches(state))
            .map(|(id, _)| id)
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The state signatures are made with: the first key's.
    #[cfg(feature = "testing")]
    pub(crate) fn first(&self) -> &T {
        &self.0[0].1
    }

    pub(crate) fn ids(&self) -> impl Iterator<Item = &KeyId> {
        self.0.iter().map(|(id, _)| id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print_their_bytes() {
        let secret = Secret::new("hunter2hunter2").unwrap();
        for shown in [
            format!("{secret:?}"),
            format!("{secret}"),
            format!("{secret:#?}"),
        ] {
            assert!(!shown.contains("hunter2"), "{shown}");
        }
        let ring = KeyRing::new("k1", secret);
        assert!(!format!("{ring:?}").contains("hunter2"));
        assert_eq!(format!("{ring:?}"), r#"KeyRing { ids: ["k1"] }"#);
    }

    #[test]
    fn empty_secrets_are_refused() {
        assert_eq!(Secret::new(Vec::new()).unwrap_err(), EmptySecret);
        assert_eq!(Secret::try_from(String::new()).unwrap_err(), EmptySecret);
        assert_eq!(Secret::try_from("").unwrap_err(), EmptySecret);
    }

    #[test]
    fn a_single_secret_becomes_a_ring_with_the_default_id() {
        let ring = KeyRing::from(Secret::new("s").unwrap());
        assert_eq!(ring.ids().collect::<Vec<_>>(), [&KeyId::from("default")]);
    }

    #[test]
    fn derived_keys_report_the_first_match_in_order() {
        let ring = KeyRing::new("a", Secret::new("1").unwrap())
            .with("b", Secret::new("2").unwrap())
            .with("c", Secret::new("2").unwrap());
        let derived = ring.derive(|s| s.expose_secret().to_vec());
        assert_eq!(derived.find(|k| k == b"2"), Some(&KeyId::from("b")));
        assert_eq!(derived.find(|k| k == b"3"), None);
        assert_eq!(derived.len(), 3);
    }
}
