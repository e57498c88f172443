//! SHA-256 over the text of selected payload fields followed by the secret.

use http::HeaderName;
use sha2::{Digest, Sha256};

use crate::error::{FieldProblem, FieldRef, HeaderProblem, SignatureLocation};
use crate::json::{self, JsonFields, JsonObject};
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
/// - The fields header is split on `,` and each name trimmed. An empty list or an empty name,
///   a name listed twice, more than [`MAX_FIELDS`](Self::MAX_FIELDS) names or a name of more
///   than [`MAX_PATH_PARTS`](Self::MAX_PATH_PARTS) dot-separated parts is
///   [`MalformedHeader`](crate::ErrorKind::MalformedHeader): whatever the header says, verifying
///   costs a small multiple of hashing the body once.
/// - A name is looked up as a top-level key first; when absent and it contains `.`, as a path
///   (`data.id`). A field the body lacks is
///   [`MissingSignedField`](crate::ErrorKind::MissingSignedField). A body in which a name can
///   be read two ways (a literal `"data.id"` key next to `"data": {"id": …}`, at any level) is
///   [`AmbiguousPayload`](crate::ErrorKind::AmbiguousPayload): what was hashed must be what the
///   application reads.
/// - Text: a string as is; an integer as its digits; any other number as JavaScript's
///   `String(number)` prints it (`1.50` → `1.5`); `true`/`false`. `null` is tried both as
///   `"null"` and as the empty string by default, since either may be what the sender writes
///   (the same spelling for every `null` in one request); [`with_null`](Self::with_null) pins
///   one. Objects and arrays cannot be signed.
/// - [`require_fields`](Self::require_fields) rejects a request whose signature does not cover
///   the fields the receiver relies on; the result lists what the signature covered.
///
/// **What the hash cannot tell apart.** The values are joined without separators, and neither
/// the field list nor any field the list leaves out is hashed: the same hash verifies any body
/// whose listed values concatenate to the same text (`"id":1234,"status":"VALID"` and
/// `"id":"1","status":"234VALID"`), under any event name. Require the fields you act on and
/// check each value's shape.
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
    null: NullSpelling,
}

/// One listed field as [`FieldConcatSha256::hashed_fields`] reads it.
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HashedField {
    /// The name, as listed (trimmed).
    pub name: String,
    /// The number as written in the body (`1.50`), when the value is a number.
    pub number_token: Option<String>,
    /// The text hashed; `None` for `null`, which is hashed as `null` or as nothing.
    pub text: Option<String>,
}

/// How a signed `null` is written into the hashed text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum NullSpelling {
    /// Try both `null` and the empty string (the default): the sender's code is not published.
    #[default]
    Either,
    /// `null`, as JavaScript's `String(null)` writes it.
    Word,
    /// The empty string, as a template that skips missing values writes it.
    Empty,
}

/// The fields a verified signature covered, in the order they were hashed, with the text each
/// contributed.
///
/// Anything else in the body was not protected by the signature.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SignedFields {
    /// The names, trimmed, joined with `,` (which no name contains).
    names: String,
    /// Each field's text as hashed, `null` spelled `null`.
    texts: Vec<Box<str>>,
}

impl SignedFields {
    #[cfg(test)]
    fn from_names(names: &[&str]) -> Self {
        Self {
            names: names.join(","),
            texts: Vec::new(),
        }
    }

    /// The field names, as the fields header listed them.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.names.split(',').filter(|name| !name.is_empty())
    }

    /// The signed names and texts as one key, each text prefixed with its length so that no
    /// two different lists read the same (the hash itself joins them without separators):
    /// `id=4:1234,status=5:VALID`.
    pub(crate) fn key_text(&self) -> String {
        self.iter()
            .zip(&self.texts)
            .map(|(name, text)| format!("{name}={}:{text}", text.len()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Whether the signature covered `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.iter().any(|signed| signed == name)
    }

    /// The names and texts as JSON, to keep with a stored delivery.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "names": self.names, "texts": self.texts })
    }

    /// Back from [`to_json`](Self::to_json).
    pub(crate) fn from_json(value: &serde_json::Value) -> Option<Self> {
        Some(Self {
            names: value.get("names")?.as_str()?.to_owned(),
            texts: value
                .get("texts")?
                .as_array()?
                .iter()
                .map(|text| text.as_str().map(Box::from))
                .collect::<Option<_>>()?,
        })
    }
}

impl std::fmt::Debug for SignedFields {
    /// The names only: the values are body content.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl FieldConcatSha256 {
    /// The most names a fields header may list; Cedar's own example lists two.
    pub const MAX_FIELDS: usize = 32;
    /// The most dot-separated parts a listed name may have (`data.id` has two).
    pub const MAX_PATH_PARTS: usize = 4;

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
            null: NullSpelling::Either,
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

    /// The fields every accepted request's signature must cover.
    pub fn required_fields(&self) -> &[Box<str>] {
        &self.required
    }

    /// Hashes a signed `null` only as `spelling` (default [`NullSpelling::Either`]), once you
    /// know how the sender writes it: fewer bodies verify.
    #[must_use]
    pub fn with_null(mut self, spelling: NullSpelling) -> Self {
        self.null = spelling;
        self
    }

    /// Verifies the headers against a payload already read; returns the matching key and the
    /// fields the signature covers.
    pub fn verify_fields(
        &self,
        headers: &dyn Headers,
        payload: &dyn FieldSource,
    ) -> Result<(KeyId, SignedFields), Error> {
        let names = self.listed_fields(headers.required(&self.fields_header)?)?;
        if let Some(uncovered) = self
            .required
            .iter()
            .find(|required| !names.contains(&&***required))
        {
            return Err(Error::missing_signed_field(
                FieldRef::Named(uncovered.to_string().into()),
                FieldProblem::NotCovered,
            ));
        }
        let tag = Tag::<32>::from_hex(headers.required(&self.hash_header)?)
            .map_err(|problem| Error::malformed_signature(self.location(), problem))?;
        let mut texts = Vec::with_capacity(names.len());
        let prefixes = self.hash_fields(&names, payload, Some(&mut texts))?;
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
        Ok((
            key_id,
            SignedFields {
                names: names.join(","),
                texts,
            },
        ))
    }

    /// Reads `body` as a JSON object (a key given twice is refused) and verifies its fields.
    pub fn verify_body(
        &self,
        headers: &dyn Headers,
        body: &[u8],
    ) -> Result<(KeyId, SignedFields), Error> {
        let object = JsonObject::parse(json::body_text(body)?)?;
        self.verify_fields(headers, &JsonFields::new(&object))
    }

    /// The hash header value for `fields` of `payload` with the first key, `null` spelled as
    /// configured (`null` when either is accepted).
    #[cfg(feature = "testing")]
    #[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
    pub fn sign(&self, fields: &[&str], payload: &dyn FieldSource) -> Result<String, Error> {
        let list = fields.join(",");
        let names = self.listed_fields(&list)?;
        let [first, second] = self.hash_fields(&names, payload, None)?;
        let prefix = first.or(second).unwrap_or_default();
        Ok(hex::encode(with_secret(&prefix, self.secrets.first())))
    }

    /// Each field the request's fields header lists, as the hash reads it from `body`: for a
    /// tool that explains a mismatch (the values are body content: never log them).
    #[cfg(feature = "testing")]
    #[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
    pub fn hashed_fields(
        &self,
        headers: &dyn Headers,
        body: &[u8],
    ) -> Result<Vec<HashedField>, Error> {
        let names = self.listed_fields(headers.required(&self.fields_header)?)?;
        let object = JsonObject::parse(json::body_text(body)?)?;
        let payload = JsonFields::new(&object);
        let mut fields = Vec::with_capacity(names.len());
        for (index, name) in names.iter().enumerate() {
            let field = || FieldRef::Listed {
                header: self.fields_header.clone(),
                position: index + 1,
            };
            let value = resolve(&payload, name, field)?;
            let number_token = match &value {
                FieldValue::Number(token) => Some(token.to_string()),
                _ => None,
            };
            let text = match FieldText::of(value)
                .map_err(|problem| Error::missing_signed_field(field(), problem))?
            {
                FieldText::Text(text) => Some(text.into_owned()),
                FieldText::Null => None,
            };
            fields.push(HashedField {
                name: (*name).to_owned(),
                number_token,
                text,
            });
        }
        Ok(fields)
    }

    /// The names a fields header lists, checked against the limits that keep verification cheap.
    fn listed_fields<'l>(&self, list: &'l str) -> Result<Vec<&'l str>, Error> {
        let malformed = |problem| Err(Error::malformed_header(&self.fields_header, problem));
        if list.trim().is_empty() {
            return malformed(HeaderProblem::NoFields);
        }
        let count = list.split(',').count();
        if count > Self::MAX_FIELDS {
            return malformed(HeaderProblem::TooManyFields {
                count,
                max: Self::MAX_FIELDS,
            });
        }
        let names: Vec<&str> = list.split(',').map(str::trim).collect();
        for (index, name) in names.iter().enumerate() {
            if name.is_empty() {
                return malformed(HeaderProblem::EmptyFieldName);
            }
            if let Some(first) = names[..index].iter().position(|earlier| earlier == name) {
                return malformed(HeaderProblem::RepeatedField {
                    position: index + 1,
                    first: first + 1,
                });
            }
            if name.split('.').count() > Self::MAX_PATH_PARTS {
                return malformed(HeaderProblem::TooDeep {
                    position: index + 1,
                    max: Self::MAX_PATH_PARTS,
                });
            }
        }
        Ok(names)
    }

    /// SHA-256 states over the listed fields' text, before the secret, one per `null` spelling
    /// tried: `null`, and (only when a `null` was met) the empty string. Each field's text goes
    /// to `texts` too, when given.
    fn hash_fields(
        &self,
        names: &[&str],
        payload: &dyn FieldSource,
        mut texts: Option<&mut Vec<Box<str>>>,
    ) -> Result<[Option<Sha256>; 2], Error> {
        let mut word = (self.null != NullSpelling::Empty).then(Sha256::new);
        let mut empty = (self.null == NullSpelling::Empty).then(Sha256::new);
        let mut fork_at_null = self.null == NullSpelling::Either;
        for (index, name) in names.iter().enumerate() {
            let field = || FieldRef::Listed {
                header: self.fields_header.clone(),
                position: index + 1,
            };
            let value = resolve(payload, name, field)?;
            let text = FieldText::of(value)
                .map_err(|problem| Error::missing_signed_field(field(), problem))?;
            if let Some(texts) = texts.as_deref_mut() {
                texts.push(match &text {
                    FieldText::Text(text) => (**text).into(),
                    FieldText::Null => "null".into(),
                });
            }
            let FieldText::Text(text) = text else {
                if std::mem::take(&mut fork_at_null) {
                    empty = word.clone();
                }
                update(&mut word, b"null");
                continue;
            };
            update(&mut word, text.as_bytes());
            update(&mut empty, text.as_bytes());
        }
        Ok([word, empty])
    }

    fn location(&self) -> SignatureLocation {
        SignatureLocation::Header(self.hash_header.clone())
    }
}

fn update(state: &mut Option<Sha256>, bytes: &[u8]) {
    if let Some(state) = state {
        crate::work::hashed(bytes.len());
        state.update(bytes);
    }
}

/// The value `name` reaches: the top-level key of that name or, when there is none, the path its
/// dots describe (`data.id`). Every other way of grouping its parts into keys (a key `"x.y"` in
/// an object the path goes through) is tried too, and a second reading that reaches a value
/// makes the body ambiguous. At most 2³ readings, each walking nested objects the payload
/// parses once.
fn resolve<'p>(
    payload: &'p dyn FieldSource,
    name: &str,
    field: impl Fn() -> FieldRef,
) -> Result<FieldValue<'p>, Error> {
    let dots: Vec<usize> = name.match_indices('.').map(|(at, _)| at).collect();
    let every_split = (1u32 << dots.len()) - 1;
    let mut path = Vec::with_capacity(dots.len() + 1);
    let (mut readings, mut chosen) = (0, None);
    for splits in 0..=every_split {
        path.clear();
        let mut start = 0;
        for (bit, &dot) in dots.iter().enumerate() {
            if splits & (1 << bit) != 0 {
                path.push(&name[start..dot]);
                start = dot + 1;
            }
        }
        path.push(&name[start..]);
        if let Some(value) = payload.field(&path)? {
            readings += 1;
            if readings > 1 {
                return Err(Error::ambiguous_field(field()));
            }
            // The two readings the spec defines: the name as one key, or split at every dot.
            if splits == 0 || splits == every_split {
                chosen = Some(value);
            }
        }
    }
    chosen.ok_or_else(|| Error::missing_signed_field(field(), FieldProblem::Absent))
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
            .field("null", &self.null)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn scheme() -> FieldConcatSha256 {
        FieldConcatSha256::new(
            HeaderName::from_static("x-fields"),
            HeaderName::from_static("x-hash"),
            Secret::new("s").unwrap(),
        )
    }

    #[test]
    fn field_lists_are_trimmed_and_must_name_something() {
        assert_eq!(
            scheme().listed_fields(" id , status").unwrap(),
            ["id", "status"]
        );
        let signed = SignedFields::from_names(&["id", "status"]);
        assert_eq!(signed.iter().collect::<Vec<_>>(), ["id", "status"]);
        assert!(signed.contains("status") && !signed.contains("stat"));
        for bad in ["", "  ", "id,,status", "id,", ",id"] {
            assert_eq!(
                scheme().listed_fields(bad).unwrap_err().kind(),
                ErrorKind::MalformedHeader,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn field_lists_are_bounded() {
        let err = scheme().listed_fields("id,status, id").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MalformedHeader);
        assert_eq!(
            err.to_string(),
            "the `x-fields` header lists its field 1 again as field 3"
        );
        let at_limit = (0..FieldConcatSha256::MAX_FIELDS)
            .map(|n| format!("f{n}"))
            .collect::<Vec<_>>()
            .join(",");
        assert!(scheme().listed_fields(&at_limit).is_ok());
        let over = format!("{at_limit},g");
        assert_eq!(
            scheme().listed_fields(&over).unwrap_err().to_string(),
            "the `x-fields` header lists 33 fields; at most 32 are accepted"
        );
        assert!(scheme().listed_fields("a.b.c.d").is_ok());
        assert_eq!(
            scheme()
                .listed_fields("id,a.b.c.d.e")
                .unwrap_err()
                .to_string(),
            "the `x-fields` header names, as field 2, a path of more than 4 dot-separated parts"
        );
    }

    /// What verifying `body` under `fields` costs: `(error kind, bytes parsed, bytes hashed)`.
    fn work(fields: &str, body: &str) -> (Option<ErrorKind>, usize, usize) {
        let zero_hash = "0".repeat(64);
        let headers = [("x-fields", fields), ("x-hash", zero_hash.as_str())];
        let (outcome, parsed, hashed) =
            crate::work::measure(|| scheme().verify(&headers, body.as_bytes()));
        (outcome.err().map(|error| error.kind()), parsed, hashed)
    }

    /// Counts, not times: whatever the fields header lists, verification parses at most
    /// `MAX_PATH_PARTS` times the body and hashes at most twice its bytes (both `null`
    /// spellings), so it stays within a small multiple of hashing the body once.
    #[test]
    fn verification_work_is_bounded_by_the_body_whatever_the_header() {
        const CHUNK: usize = 8 * 1024;
        let chunk = "x".repeat(CHUNK);
        let big = "x".repeat(32 * CHUNK);
        let names = |prefix: &str| (0..32).map(|n| format!("{prefix}f{n}")).collect::<Vec<_>>();
        let members = |names: &[String]| {
            names
                .iter()
                .map(|name| format!(r#""{name}":"{chunk}""#))
                .collect::<Vec<_>>()
                .join(",")
        };
        let flat = names("");
        let nested = names("");
        let cases = [
            // The reported attack: one field listed 4,000 times.
            (
                "a field listed 4,000 times",
                vec!["a"; 4000].join(","),
                format!(r#"{{"a":"{big}"}}"#),
            ),
            // 32 distinct large fields after a null: both spellings are hashed.
            (
                "32 large fields after a null",
                format!("n,{}", flat[..31].join(",")),
                format!(r#"{{"n":null,{}}}"#, members(&flat)),
            ),
            // 32 dotted names into one large nested object: it is parsed once.
            (
                "32 dotted names into one object",
                nested
                    .iter()
                    .map(|name| format!("x.{name}"))
                    .collect::<Vec<_>>()
                    .join(","),
                format!(r#"{{"x":{{{}}}}}"#, members(&nested)),
            ),
            // The deepest path, with keys that group it every other way.
            (
                "a four-part path through nested objects",
                "a.b.c.d,a.b.c,a.b".to_owned(),
                format!(r#"{{"a":{{"b":{{"c":{{"d":"{big}"}}}}}},"a.b":{{"c.d":1}},"a.b.c":2}}"#),
            ),
        ];
        for (what, fields, body) in cases {
            let (kind, parsed, hashed) = work(&fields, &body);
            assert!(kind.is_some(), "{what}: refused (the hash is zeros)");
            let limit = body.len() * FieldConcatSha256::MAX_PATH_PARTS;
            assert!(
                parsed <= limit,
                "{what}: parsed {parsed} bytes of a {} body",
                body.len()
            );
            assert!(
                hashed <= 2 * body.len(),
                "{what}: hashed {hashed} bytes of a {} body",
                body.len()
            );
        }

        // The repeated name is refused before anything is hashed.
        let (kind, _, hashed) = work(&vec!["a"; 4000].join(","), &format!(r#"{{"a":"{big}"}}"#));
        assert_eq!((kind, hashed), (Some(ErrorKind::MalformedHeader), 0));
        // Each nested object is parsed once: 32 names through `x` parse it once, not 32 times.
        let body = format!(r#"{{"x":{{{}}}}}"#, members(&nested));
        let dotted = nested
            .iter()
            .map(|n| format!("x.{n}"))
            .collect::<Vec<_>>()
            .join(",");
        let (_, parsed, _) = work(&dotted, &body);
        assert!(
            parsed < 2 * body.len() + 64,
            "parsed {parsed} of {}",
            body.len()
        );
    }
}
