//! MD5 over an ordered list of secrets and payload values.

use std::borrow::Cow;

use md5::{Digest, Md5};

use crate::error::{FieldProblem, FieldRef, SignatureLocation};
use crate::verify::fields::FieldText;
use crate::verify::{FieldSource, Tag};
use crate::{EmptySecret, Error, Secret};

/// One piece of a [`SaltedMd5`] recipe.
#[derive(Clone)]
pub enum Part {
    /// A configured secret's bytes.
    Secret(Secret),
    /// The text of a payload field, read through [`FieldSource`] (a number as its digits).
    Field(Cow<'static, str>),
}

impl Part {
    /// A payload field.
    pub fn field(name: impl Into<Cow<'static, str>>) -> Self {
        Self::Field(name.into())
    }
}

impl std::fmt::Debug for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Secret(_) => f.write_str("Secret([REDACTED])"),
            Self::Field(name) => f.debug_tuple("Field").field(name).finish(),
        }
    }
}

/// `md5(part₁ ‖ part₂ ‖ …)` over secrets and payload values, compared with a hex digest found in
/// the payload: Voximplant's `hash = md5(salt + account_id + api_key + callback_id)`.
///
/// Such a hash proves that the sender knows the secrets; it does not cover the rest of the
/// payload. It is checked per item, so it is not a [`Verifier`](crate::Verifier).
///
/// ```
/// use hookproof::Secret;
/// use hookproof::verify::{FieldSource, FieldValue, Part, SaltedMd5};
///
/// let scheme = SaltedMd5::new([
///     Part::Secret(Secret::new("my_salt_value")?),
///     Part::field("account_id"),
///     Part::Secret(Secret::new("0a1b2c3d-4e5f-6789-abcd-ef0123456789")?),
///     Part::field("callback_id"),
/// ])?;
///
/// struct Callback;
/// impl FieldSource for Callback {
///     fn field(&self, path: &[&str]) -> Result<Option<FieldValue<'_>>, hookproof::Error> {
///         Ok(match path {
///             ["account_id"] => Some(FieldValue::Number("123456".into())),
///             ["callback_id"] => Some(FieldValue::Number("42".into())),
///             _ => None,
///         })
///     }
/// }
/// // md5(b"my_salt_value1234560a1b2c3d-4e5f-6789-abcd-ef012345678942"), computed with Python.
/// scheme.verify(&Callback, "7cecbc16d4d16d6c548765bf76a657dd")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct SaltedMd5 {
    parts: Vec<Part>,
}

impl SaltedMd5 {
    /// A recipe of parts, hashed in order.
    ///
    /// Fails with [`EmptySecret`] when the recipe holds no secret: anyone could compute the hash.
    pub fn new(parts: impl IntoIterator<Item = Part>) -> Result<Self, EmptySecret> {
        let parts: Vec<Part> = parts.into_iter().collect();
        if !parts.iter().any(|part| matches!(part, Part::Secret(_))) {
            return Err(EmptySecret);
        }
        Ok(Self { parts })
    }

    /// A recipe the caller knows holds a secret.
    pub(crate) fn with_secret_parts(parts: impl IntoIterator<Item = Part>) -> Self {
        let parts: Vec<Part> = parts.into_iter().collect();
        debug_assert!(parts.iter().any(|part| matches!(part, Part::Secret(_))));
        Self { parts }
    }

    /// Checks `signature` (hex, either case) against the recipe applied to `payload`.
    pub fn verify(&self, payload: &dyn FieldSource, signature: &str) -> Result<(), Error> {
        let tag = Tag::<16>::from_hex(signature)
            .map_err(|problem| Error::malformed_signature(SignatureLocation::Payload, problem))?;
        if tag.matches(&self.digest(payload)?) {
            Ok(())
        } else {
            Err(Error::signature_mismatch(SignatureLocation::Payload, 1))
        }
    }

    /// The lowercase hex hash of the recipe applied to `payload`.
    #[cfg(feature = "testing")]
    #[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
    pub fn sign(&self, payload: &dyn FieldSource) -> Result<String, Error> {
        self.digest(payload).map(hex::encode)
    }

    fn digest(&self, payload: &dyn FieldSource) -> Result<[u8; 16], Error> {
        let mut hash = Md5::new();
        for part in &self.parts {
            match part {
                Part::Secret(secret) => hash.update(secret.expose_secret()),
                Part::Field(name) => {
                    let unusable = |problem| {
                        Error::missing_signed_field(FieldRef::Named(name.clone()), problem)
                    };
                    let absent = || unusable(FieldProblem::Absent);
                    let value = payload.field(&[name])?.ok_or_else(absent)?;
                    match FieldText::of(value).map_err(unusable)? {
                        FieldText::Text(text) => hash.update(text.as_bytes()),
                        FieldText::Null => return Err(absent()),
                    }
                }
            }
        }
        Ok(hash.finalize().into())
    }
}
