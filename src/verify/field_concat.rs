//! SHA-256 over the text of selected payload fields followed by the secret.

use http::HeaderName;
use sha2::{Digest, Sha256};

use crate::error::{FieldProblem, HeaderProblem, SignatureLocation};
use crate::json::{self, JsonObject};
use crate::secret::DerivedKeys;
use crate::verify::fields::FieldText;
use crate::verify::{FieldSource, FieldValue, Tag, Verifier};
use crate::{Error, Headers, KeyId, KeyRing, Secret};

/// Cedar's scheme: one header lists payload fields, another carries
/// `hex(sha256(text(field₁) ‖ … ‖ text(fieldₙ) ‖ secret))`. This is a plain hash, not an HMAC,
/// and it protects only the listed fields.
///
/// How the fields are read (the spec's Decisions, since the sender's code is not published):
///
/// - The fields header is split on `,` and each name trimmed; an empty list or an empty name is
///   [`MalformedHeader`](crate::ErrorKind::MalformedHeader).
/// - A name is looked up as a top-level key first; when absent and it contains `.`, as a path
///   (`data.id`). A field the body lacks is
///   [`MissingSignedField`](crate::ErrorKind::MissingSignedField).
/// - Text: a string as is; an integer as its digits; any other number as JavaScript's
///   `String(number)` prints it (`1.50` → `1.5`); `true`/`false`. `null` is tried both as
///   `"null"` and as the empty string, since either may be what the sender writes; the same
///   spelling is used for every `null` in one request. Objects and arrays cannot be signed.
/// - [`require_fields`](Self::require_fields) rejects a request whose signature does not cover
///   the fields the receiver relies on; the result lists what the signature covered.
///
/// ```
/// use hookproof::{Secret, Verifier, verify::FieldConcatSha256};
/// use http::HeaderName;
///
/// let scheme = FieldConcatSha256::new(
///     HeaderName::from_static("x-webhook-security-fields"),
///     HeaderName::from_static("x-webhook-security-hash"),
///     Secret::new("my_webhook_secret")?,
/// )
/// .require_fields(["id", "status"]);
/// // sha256(b"1234VALIDmy_webhook_secret"), computed with Python's hashlib.
/// let headers = [
///     ("X-Webhook-Security-Fields", "id,status"),
///     ("X-Webhook-Security-Hash", "b3e490634a0c80364c4511fb6c5d5296de532fd08500ce3873c1a7e1f37bb9e7"),
/// ];
/// scheme.verify(&headers, br#"{"id":1234,"status":"VALID"}"#)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct FieldConcatSha256 {
    fields_header: HeaderName,
    hash_header: HeaderName,
    secrets: DerivedKeys<Secret>,
    required: Vec<Box<str>>,
}

/// The fields a verified signature covered, in the order they were hashed.
///
/// Anything else in the body was not protected by the signature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignedFields(
    /// The names, trimmed, joined with `,` (which no name contains).
    String,
);

impl SignedFields {
    fn from_list(list: &str) -> Self {
        let mut joined = String::with_capacity(list.len());
        for (index, name) in field_names(list).enumerate() {
            if index > 0 {
                joined.push(',');
            }
            joined.push_str(name);
        }
        Self(joined)
    }

    /// The field names, as the fields header listed them.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split(',').filter(|name| !name.is_empty())
    }

    /// Whether the signature covered `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.iter().any(|signed| signed == name)
    }
}

impl FieldConcatSha256 {
    /// Reads the field list from `fields_header` and the hex SHA-256 from `hash_header`.
    pub fn new(
        fields_header: HeaderName,
        hash_header: HeaderName,
        keys: impl Into<KeyRing>,
    ) -> Self {
        Self {
            fields_header,
            hash_header,
            secrets: keys.into().derive(Secret::clone),
            required: Vec::new(),
        }
    }

    /// Rejects any request whose signature does not cover all of `fields` (default: none).
    #[must_use]
    pub fn require_fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.required = fields
            .into_iter()
            .map(|f| f.into().into_boxed_str())
            .collect();
        self
    }

    /// Verifies the headers against a payload already read; returns the matching key and the
    /// fields the signature covers.
    pub fn verify_fields(
        &self,
        headers: &dyn Headers,
        payload: &dyn FieldSource,
    ) -> Result<(KeyId, SignedFields), Error> {
        let list = headers.required(&self.fields_header)?;
        check_field_list(&self.fields_header, list)?;
        if let Some(uncovered) = self
            .required
            .iter()
            .find(|required| !field_names(list).any(|name| name == &***required))
        {
            return Err(Error::missing_signed_field(
                uncovered,
                FieldProblem::NotCovered,
            ));
        }
        let tag = Tag::<32>::from_hex(headers.required(&self.hash_header)?)
            .map_err(|problem| Error::malformed_signature(self.location(), problem))?;
        let prefixes = self.hash_fields(list, payload)?;
        let key_id = self
            .secrets
            .find(|secret| {
                prefixes
                    .iter()
                    .flatten()
                    .any(|prefix| tag.matches(&with_secret(prefix, secret)))
            })
            .cloned()
            .ok_or_else(|| Error::signature_mismatch(self.location(), self.secrets.len()))?;
        Ok((key_id, SignedFields::from_list(list)))
    }

    /// Reads `body` as a JSON object (a key given twice is refused) and verifies its fields.
    pub fn verify_body(
        &self,
        headers: &dyn Headers,
        body: &[u8],
    ) -> Result<(KeyId, SignedFields), Error> {
        self.verify_fields(headers, &JsonObject::parse(json::body_text(body)?)?)
    }

    /// The hash header value for `fields` of `payload` with the first key, `null` spelled `null`.
    #[cfg(feature = "testing")]
    #[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
    pub fn sign(&self, fields: &[&str], payload: &dyn FieldSource) -> Result<String, Error> {
        let [null_word, _] = self.hash_fields(&fields.join(","), payload)?;
        let prefix = null_word.unwrap_or_default();
        Ok(hex::encode(with_secret(&prefix, self.secrets.first())))
    }

    /// SHA-256 states over the listed fields' text, before the secret: with `null` spelled
    /// `null`, and (only when a `null` was met) spelled as the empty string.
    fn hash_fields(
        &self,
        list: &str,
        payload: &dyn FieldSource,
    ) -> Result<[Option<Sha256>; 2], Error> {
        let mut null_word = Sha256::new();
        let mut null_empty: Option<Sha256> = None;
        for name in field_names(list) {
            let value = lookup(payload, name)?.ok_or_else(|| {
                Error::missing_signed_field(
                    name,
                    FieldProblem::Absent {
                        listed_in: Some(self.fields_header.clone()),
                    },
                )
            })?;
            match FieldText::of(name, value)? {
                FieldText::Text(text) => {
                    null_word.update(text.as_bytes());
                    if let Some(empty) = &mut null_empty {
                        empty.update(text.as_bytes());
                    }
                }
                FieldText::Null => {
                    null_empty.get_or_insert_with(|| null_word.clone());
                    null_word.update(b"null");
                }
            }
        }
        Ok([Some(null_word), null_empty])
    }

    fn location(&self) -> SignatureLocation {
        SignatureLocation::Header(self.hash_header.clone())
    }
}

/// A top-level key first; a dotted path only when that is absent.
fn lookup<'p>(payload: &'p dyn FieldSource, name: &str) -> Result<Option<FieldValue<'p>>, Error> {
    match payload.field(&[name])? {
        None if name.contains('.') => payload.field(&name.split('.').collect::<Vec<_>>()),
        found => Ok(found),
    }
}

/// The names in a fields header: split on `,`, each trimmed.
fn field_names(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').map(str::trim)
}

/// A fields header must name at least one field, and no empty one.
fn check_field_list(header: &HeaderName, list: &str) -> Result<(), Error> {
    if list.trim().is_empty() {
        return Err(Error::malformed_header(header, HeaderProblem::NoFields));
    }
    if field_names(list).any(str::is_empty) {
        return Err(Error::malformed_header(
            header,
            HeaderProblem::EmptyFieldName,
        ));
    }
    Ok(())
}

/// Finishes a prefix state with the secret.
fn with_secret(prefix: &Sha256, secret: &Secret) -> [u8; 32] {
    let mut hash = prefix.clone();
    hash.update(secret.expose_secret());
    hash.finalize().into()
}

impl Verifier for FieldConcatSha256 {
    /// See [`verify_body`](Self::verify_body), which also reports the signed fields.
    fn verify(&self, headers: &dyn Headers, body: &[u8]) -> Result<KeyId, Error> {
        self.verify_body(headers, body).map(|(key_id, _)| key_id)
    }
}

impl std::fmt::Debug for FieldConcatSha256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FieldConcatSha256")
            .field("fields_header", &self.fields_header)
            .field("hash_header", &self.hash_header)
            .field("key_ids", &self.secrets.ids().collect::<Vec<_>>())
            .field("required", &self.required)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    const FIELDS: HeaderName = HeaderName::from_static("x-fields");

    #[test]
    fn field_lists_are_trimmed_and_must_name_something() {
        assert!(check_field_list(&FIELDS, " id , status").is_ok());
        assert_eq!(
            field_names(" id , status").collect::<Vec<_>>(),
            ["id", "status"]
        );
        let signed = SignedFields::from_list(" id , status");
        assert_eq!(signed.iter().collect::<Vec<_>>(), ["id", "status"]);
        assert!(signed.contains("status") && !signed.contains("stat"));
        for bad in ["", "  ", "id,,status", "id,", ",id"] {
            assert_eq!(
                check_field_list(&FIELDS, bad).unwrap_err().kind(),
                ErrorKind::MalformedHeader,
                "{bad:?}"
            );
        }
    }
}
