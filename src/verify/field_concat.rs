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
pub struct SignedFields(Vec<Box<str>>);

impl SignedFields {
    /// The field names, as the fields header listed them.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|name| &**name)
    }

    /// Whether the signature covered `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.0.iter().any(|signed| &**signed == name)
    }
}

/// The only `null` spellings tried; see the type's documentation.
const NULL_SPELLINGS: [&str; 2] = ["null", ""];

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
        let names = parse_field_list(&self.fields_header, headers.required(&self.fields_header)?)?;
        if let Some(uncovered) = self.required.iter().find(|r| !names.contains(&&***r)) {
            return Err(Error::missing_signed_field(
                uncovered,
                FieldProblem::NotCovered,
            ));
        }
        let tag = Tag::<32>::from_hex(headers.required(&self.hash_header)?)
            .map_err(|problem| Error::malformed_signature(self.location(), problem))?;
        let texts = self.texts(&names, payload)?;
        let spellings = if texts.contains(&FieldText::Null) {
            &NULL_SPELLINGS[..]
        } else {
            &NULL_SPELLINGS[..1]
        };
        let key_id = self
            .secrets
            .find(|secret| {
                spellings
                    .iter()
                    .any(|null| tag.matches(&digest(&texts, null, secret)))
            })
            .cloned()
            .ok_or_else(|| Error::signature_mismatch(self.location(), self.secrets.len()))?;
        let signed = names.into_iter().map(Box::from).collect();
        Ok((key_id, SignedFields(signed)))
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
        let texts = self.texts(fields, payload)?;
        Ok(hex::encode(digest(
            &texts,
            NULL_SPELLINGS[0],
            self.secrets.first(),
        )))
    }

    fn texts<'p>(
        &self,
        names: &[&str],
        payload: &'p dyn FieldSource,
    ) -> Result<Vec<FieldText<'p>>, Error> {
        names
            .iter()
            .map(|name| {
                let value = lookup(payload, name)?.ok_or_else(|| {
                    Error::missing_signed_field(
                        name,
                        FieldProblem::Absent {
                            listed_in: Some(self.fields_header.clone()),
                        },
                    )
                })?;
                FieldText::of(name, value)
            })
            .collect()
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

fn parse_field_list<'h>(header: &HeaderName, value: &'h str) -> Result<Vec<&'h str>, Error> {
    if value.trim().is_empty() {
        return Err(Error::malformed_header(header, HeaderProblem::NoFields));
    }
    let names: Vec<&str> = value.split(',').map(str::trim).collect();
    if names.iter().any(|name| name.is_empty()) {
        return Err(Error::malformed_header(
            header,
            HeaderProblem::EmptyFieldName,
        ));
    }
    Ok(names)
}

fn digest(texts: &[FieldText<'_>], null: &str, secret: &Secret) -> [u8; 32] {
    let mut hash = Sha256::new();
    for text in texts {
        match text {
            FieldText::Text(text) => hash.update(text.as_bytes()),
            FieldText::Null => hash.update(null.as_bytes()),
        }
    }
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
        assert_eq!(
            parse_field_list(&FIELDS, " id , status").unwrap(),
            ["id", "status"]
        );
        for bad in ["", "  ", "id,,status", "id,", ",id"] {
            assert_eq!(
                parse_field_list(&FIELDS, bad).unwrap_err().kind(),
                ErrorKind::MalformedHeader,
                "{bad:?}"
            );
        }
    }
}
