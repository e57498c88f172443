//! One opaque [`Error`] whose [`ErrorKind`] says what went wrong and which HTTP status to answer.
//!
//! Messages name only what hookproof or the receiver defined: header names, the fields of its
//! own models, JSON paths made of those names and indexes, lengths and positions. They never
//! contain a secret, a digest computed from one, or anything the sender chose: a key, a field
//! name listed in a header or a header value is described by its position and length (see
//! [`SentName`]), and serde's messages, which quote the values they reject, are rebuilt from their
//! structure (see [`describe_serde_message`]).

use std::borrow::Cow;
use std::fmt;

use http::{HeaderName, StatusCode};

/// Why a webhook request was rejected.
///
/// Match on [`kind`](Error::kind) to decide what to do; answer the sender with
/// [`status`](Error::status). The [`Display`](fmt::Display) text is meant for the person
/// debugging the integration and is safe to log.
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    detail: Detail,
    /// Where in a batch the error happened, e.g. `callback 2`.
    context: Option<Cow<'static, str>>,
}

/// The category of an [`Error`]; each maps to one HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A header the scheme needs is absent. Status 400.
    MissingHeader,
    /// A header is present but unusable: not text, control bytes, a missing prefix, an empty
    /// field list. Status 400.
    MalformedHeader,
    /// A header that must appear once appears more than once. Status 400.
    DuplicateHeader,
    /// A signature is absent from the body, is not valid hex or base64, or has the wrong length.
    /// Status 400.
    MalformedSignature,
    /// A well-formed signature matches none of the configured keys. Status 401.
    SignatureMismatch,
    /// A field the signature must cover is absent from the body, is not covered by the signature
    /// although the receiver requires it, or cannot be signed (an object or array). Status 401.
    MissingSignedField,
    /// The signed timestamp is older than the configured tolerance. Status 401.
    StaleTimestamp,
    /// The signed timestamp is further in the future than the configured tolerance. Status 401.
    FutureTimestamp,
    /// The request is for an account this receiver was not configured to accept. Status 401.
    UnexpectedAccount,
    /// The body names another event type than the one this receiver was configured to accept
    /// (Cedar's [`expect_event`](crate::cedar::Cedar::expect_event)). Status 401: the name is
    /// not signed, so a mismatch may be a signed body rearranged into another event.
    UnexpectedEvent,
    /// The body is not valid UTF-8, JSON or form data, or exceeds a structural limit. Status 400.
    PayloadSyntax,
    /// The body can be read two ways, e.g. a JSON key given twice. Status 400.
    AmbiguousPayload,
    /// The body is well-formed but a known event's payload does not have the documented shape.
    /// [`Error::event_type`] and [`Error::json_path`] say where. Status 422.
    PayloadData,
    /// The body exceeds the configured size limit. Status 413.
    BodyTooLarge,
    /// The request's `Content-Type` is not the one the provider sends. Status 415.
    UnsupportedContentType,
}

impl ErrorKind {
    /// A short fixed phrase for the kind, safe to send back as a response body.
    pub const fn reason(self) -> &'static str {
        match self {
            Self::MissingHeader => "missing header",
            Self::MalformedHeader => "malformed header",
            Self::DuplicateHeader => "duplicate header",
            Self::MalformedSignature => "malformed signature",
            Self::SignatureMismatch => "signature mismatch",
            Self::MissingSignedField => "missing signed field",
            Self::StaleTimestamp => "stale timestamp",
            Self::FutureTimestamp => "timestamp in the future",
            Self::UnexpectedAccount => "unexpected account",
            Self::UnexpectedEvent => "unexpected event",
            Self::PayloadSyntax => "malformed payload",
            Self::AmbiguousPayload => "ambiguous payload",
            Self::PayloadData => "unexpected payload",
            Self::BodyTooLarge => "payload too large",
            Self::UnsupportedContentType => "unsupported content type",
        }
    }

    /// The HTTP status a receiver should answer with.
    pub const fn status(self) -> StatusCode {
        match self {
            Self::MissingHeader
            | Self::MalformedHeader
            | Self::DuplicateHeader
            | Self::MalformedSignature
            | Self::PayloadSyntax
            | Self::AmbiguousPayload => StatusCode::BAD_REQUEST,
            Self::SignatureMismatch
            | Self::MissingSignedField
            | Self::StaleTimestamp
            | Self::FutureTimestamp
            | Self::UnexpectedAccount
            | Self::UnexpectedEvent => StatusCode::UNAUTHORIZED,
            Self::PayloadData => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
enum Detail {
    #[error("the `{0}` header is missing")]
    MissingHeader(HeaderName),
    #[error("the `{0}` header is given more than once; exactly one is expected")]
    DuplicateHeader(HeaderName),
    #[error("the `{header}` header {problem}")]
    MalformedHeader {
        header: HeaderName,
        problem: HeaderProblem,
    },
    #[error("{location} {problem}")]
    MalformedSignature {
        location: SignatureLocation,
        problem: SignatureProblem,
    },
    #[error("{location} matches {keys}")]
    SignatureMismatch {
        location: SignatureLocation,
        keys: KeyCount,
    },
    #[error("{}", FieldMessage(.field, .problem))]
    MissingSignedField {
        field: FieldRef,
        problem: FieldProblem,
    },
    #[error("the signed timestamp is {age_secs} s old; the tolerance is {tolerance_secs} s")]
    StaleTimestamp { age_secs: u64, tolerance_secs: u64 },
    #[error(
        "the signed timestamp is {ahead_secs} s in the future; the tolerance is {tolerance_secs} s"
    )]
    FutureTimestamp {
        ahead_secs: u64,
        tolerance_secs: u64,
    },
    #[error(
        "the request is for account {found}, but this receiver accepts only account {expected}"
    )]
    UnexpectedAccount { found: u64, expected: u64 },
    #[error("the body names `{found}`, but this receiver accepts only `{expected}`")]
    UnexpectedEvent {
        found: &'static str,
        expected: &'static str,
    },
    #[error("the body is not valid {format}: {message}")]
    PayloadSyntax {
        format: &'static str,
        message: Cow<'static, str>,
    },
    #[error("{key} appears more than once {}", Within(.format, .path))]
    AmbiguousPayload {
        key: KeyName,
        format: &'static str,
        path: String,
    },
    #[error("the form gives {key} both as a value and as a group")]
    FormConflict { key: SentName },
    #[error(
        "{field} can be read two ways: the body holds both a key with a dot in it and the nested \
         value the same name reaches"
    )]
    AmbiguousField { field: FieldRef },
    #[error("callbacks[{index}] is the same callback as callbacks[{first}]")]
    RepeatedItem { index: usize, first: usize },
    #[error("{} does not match {}: {message}", EventLabel(*.event_type), PathLabel(.path))]
    PayloadData {
        event_type: Option<&'static str>,
        path: String,
        message: String,
    },
    #[error("the body is larger than the {limit}-byte limit")]
    BodyTooLarge { limit: usize },
    #[error("the content type ({found}) is not `{expected}`")]
    UnsupportedContentType {
        found: SentName,
        expected: &'static str,
    },
    #[error("{message}")]
    Custom {
        kind: ErrorKind,
        message: Cow<'static, str>,
    },
}

/// What is wrong with a header's value.
#[derive(Debug, Clone)]
pub(crate) enum HeaderProblem {
    NotText,
    ControlCharacter,
    Empty,
    MissingPrefix(Cow<'static, str>),
    NoFields,
    EmptyFieldName,
    TooManyFields { count: usize, max: usize },
    RepeatedField { position: usize, first: usize },
    TooDeep { position: usize, max: usize },
    NotAnInteger,
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotText => f.write_str("is not valid UTF-8 text"),
            Self::ControlCharacter => f.write_str("contains control characters"),
            Self::Empty => f.write_str("is empty"),
            Self::MissingPrefix(prefix) => write!(f, "does not start with `{prefix}`"),
            Self::NoFields => f.write_str("lists no fields"),
            Self::EmptyFieldName => f.write_str("names an empty field (two commas in a row?)"),
            Self::TooManyFields { count, max } => {
                write!(f, "lists {count} fields; at most {max} are accepted")
            }
            Self::RepeatedField { position, first } => {
                write!(f, "lists its field {first} again as field {position}")
            }
            Self::NotAnInteger => f.write_str("is not an integer"),
            Self::TooDeep { position, max } => write!(
                f,
                "names, as field {position}, a path of more than {max} dot-separated parts"
            ),
        }
    }
}

/// Where a signature was read from.
#[derive(Debug, Clone)]
pub(crate) enum SignatureLocation {
    Header(HeaderName),
    /// A header carrying the secret itself rather than a signature.
    SecretHeader(HeaderName),
    /// Inside the payload; the caller's context says which item.
    Payload,
}

impl fmt::Display for SignatureLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Header(name) => write!(f, "the signature in `{name}`"),
            Self::SecretHeader(name) => write!(f, "the secret in `{name}`"),
            Self::Payload => f.write_str("the signature in the payload"),
        }
    }
}

/// Why a signature could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureProblem {
    Absent,
    HexLength { found: usize, expected: usize },
    NotHex,
    Base64Length { found: usize, expected: usize },
    NotBase64,
}

impl fmt::Display for SignatureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Absent => f.write_str("is absent"),
            Self::HexLength { found, expected } => {
                write!(f, "has {found} hex digits, expected {expected}")
            }
            Self::NotHex => f.write_str("is not valid hex"),
            Self::Base64Length { found, expected } => {
                write!(f, "decodes to {found} bytes, expected {expected}")
            }
            Self::NotBase64 => f.write_str("is not valid base64"),
        }
    }
}

/// Why a field the signature must cover is unusable.
#[derive(Debug, Clone)]
pub(crate) enum FieldProblem {
    /// Listed in a header (or required by the scheme) but absent from the body.
    Absent,
    /// Required by the receiver but not listed as signed.
    NotCovered,
    /// An object or array, which no scheme can turn into text.
    NotScalar { found: &'static str },
    /// Given as a number, but not a valid one.
    MalformedNumber,
}

/// Which signed field an error is about.
#[derive(Debug, Clone)]
pub(crate) enum FieldRef {
    /// A name the receiver or the scheme defined (`require_fields`, Voximplant's `callback_id`).
    Named(Cow<'static, str>),
    /// A name the sender listed in a header, known by its position there (from 1).
    Listed { header: HeaderName, position: usize },
}

impl fmt::Display for FieldRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Named(name) => write!(f, "the field `{name}`"),
            Self::Listed { header, position } => {
                write!(f, "the field {position} listed in `{header}`")
            }
        }
    }
}

/// Renders [`Detail::MissingSignedField`], whose wording depends on both parts.
struct FieldMessage<'a>(&'a FieldRef, &'a FieldProblem);

impl fmt::Display for FieldMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let FieldMessage(field, problem) = self;
        match problem {
            FieldProblem::Absent => {
                write!(
                    f,
                    "the body does not contain {field}, which the signature covers"
                )
            }
            FieldProblem::NotCovered => write!(
                f,
                "the receiver requires {field} to be signed, but the signature does not cover it"
            ),
            FieldProblem::NotScalar { found } => write!(
                f,
                "{field} is {found}; only strings, numbers, booleans and null can be signed"
            ),
            FieldProblem::MalformedNumber => write!(f, "{field} is not a valid number"),
        }
    }
}

/// A name the sender chose (a JSON key, a form key, a content type), described by its length
/// only: it may be an email address, a card number or any other body content.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SentName {
    len: usize,
}

impl SentName {
    pub(crate) fn of(text: &str) -> Self {
        Self { len: text.len() }
    }
}

impl fmt::Display for SentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.len {
            1 => f.write_str("a key of 1 byte"),
            len => write!(f, "a key of {len} bytes"),
        }
    }
}

/// A key in a message: a field of hookproof's own models, shown, or one the sender chose.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KeyName {
    Defined(&'static str),
    Sent(SentName),
}

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Defined(name) => write!(f, "the key `{name}`"),
            Self::Sent(name) => name.fmt(f),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct KeyCount(usize);

impl fmt::Display for KeyCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("no configured key"),
            n => write!(f, "none of the {n} configured keys"),
        }
    }
}

struct EventLabel(Option<&'static str>);

impl fmt::Display for EventLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(event_type) => write!(f, "the `{event_type}` payload"),
            None => f.write_str("the payload"),
        }
    }
}

struct PathLabel<'a>(&'a str);

impl fmt::Display for PathLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            "" | "." => f.write_str("at the top level"),
            path => write!(f, "at `{path}`"),
        }
    }
}

impl Error {
    fn from_detail(detail: Detail) -> Self {
        Self(Box::new(Inner {
            detail,
            context: None,
        }))
    }

    /// Creates an error of the given kind, for use by custom [`Verifier`](crate::Verifier)s.
    ///
    /// The message is shown to whoever reads logs: never put a secret, a digest computed from
    /// one, or request content in it.
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self::from_detail(Detail::Custom {
            kind,
            message: message.into(),
        })
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        match &self.0.detail {
            Detail::MissingHeader(_) => ErrorKind::MissingHeader,
            Detail::DuplicateHeader(_) => ErrorKind::DuplicateHeader,
            Detail::MalformedHeader { .. } => ErrorKind::MalformedHeader,
            Detail::MalformedSignature { .. } => ErrorKind::MalformedSignature,
            Detail::SignatureMismatch { .. } => ErrorKind::SignatureMismatch,
            Detail::MissingSignedField { .. } => ErrorKind::MissingSignedField,
            Detail::StaleTimestamp { .. } => ErrorKind::StaleTimestamp,
            Detail::FutureTimestamp { .. } => ErrorKind::FutureTimestamp,
            Detail::UnexpectedAccount { .. } => ErrorKind::UnexpectedAccount,
            Detail::UnexpectedEvent { .. } => ErrorKind::UnexpectedEvent,
            Detail::PayloadSyntax { .. } => ErrorKind::PayloadSyntax,
            Detail::AmbiguousPayload { .. }
            | Detail::FormConflict { .. }
            | Detail::AmbiguousField { .. }
            | Detail::RepeatedItem { .. } => ErrorKind::AmbiguousPayload,
            Detail::PayloadData { .. } => ErrorKind::PayloadData,
            Detail::BodyTooLarge { .. } => ErrorKind::BodyTooLarge,
            Detail::UnsupportedContentType { .. } => ErrorKind::UnsupportedContentType,
            Detail::Custom { kind, .. } => *kind,
        }
    }

    /// The HTTP status a receiver should answer with (400, 401, 413, 415 or 422).
    pub fn status(&self) -> StatusCode {
        self.kind().status()
    }

    /// The header the error is about, if any.
    pub fn header(&self) -> Option<&HeaderName> {
        match &self.0.detail {
            Detail::MissingHeader(name)
            | Detail::DuplicateHeader(name)
            | Detail::MalformedHeader { header: name, .. }
            | Detail::MalformedSignature {
                location: SignatureLocation::Header(name),
                ..
            }
            | Detail::SignatureMismatch {
                location: SignatureLocation::Header(name) | SignatureLocation::SecretHeader(name),
                ..
            } => Some(name),
            _ => None,
        }
    }

    /// The signed field the error is about, for [`ErrorKind::MissingSignedField`], when the
    /// receiver or the scheme named it (a field the sender listed in a header is not repeated
    /// here: its name is request content).
    pub fn field(&self) -> Option<&str> {
        match &self.0.detail {
            Detail::MissingSignedField {
                field: FieldRef::Named(name),
                ..
            } => Some(name),
            _ => None,
        }
    }

    /// The event type whose payload did not match, for [`ErrorKind::PayloadData`].
    pub fn event_type(&self) -> Option<&str> {
        match &self.0.detail {
            Detail::PayloadData { event_type, .. } => *event_type,
            _ => None,
        }
    }

    /// Where in the payload the mismatch is, e.g. `data.amount` or `callbacks[2].type`,
    /// for [`ErrorKind::PayloadData`].
    pub fn json_path(&self) -> Option<&str> {
        match &self.0.detail {
            Detail::PayloadData { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Prefixes the message with where in a batch the error happened, e.g. `callbacks[2]`.
    pub(crate) fn context(mut self, context: impl Into<Cow<'static, str>>) -> Self {
        self.0.context = Some(context.into());
        self
    }

    pub(crate) fn missing_header(header: &HeaderName) -> Self {
        Self::from_detail(Detail::MissingHeader(header.clone()))
    }

    pub(crate) fn duplicate_header(header: &HeaderName) -> Self {
        Self::from_detail(Detail::DuplicateHeader(header.clone()))
    }

    pub(crate) fn malformed_header(header: &HeaderName, problem: HeaderProblem) -> Self {
        Self::from_detail(Detail::MalformedHeader {
            header: header.clone(),
            problem,
        })
    }

    pub(crate) fn malformed_signature(
        location: SignatureLocation,
        problem: SignatureProblem,
    ) -> Self {
        Self::from_detail(Detail::MalformedSignature { location, problem })
    }

    pub(crate) fn signature_mismatch(location: SignatureLocation, keys: usize) -> Self {
        Self::from_detail(Detail::SignatureMismatch {
            location,
            keys: KeyCount(keys),
        })
    }

    pub(crate) fn missing_signed_field(field: FieldRef, problem: FieldProblem) -> Self {
        Self::from_detail(Detail::MissingSignedField { field, problem })
    }

    /// A listed field that more than one reading of the body reaches.
    pub(crate) fn ambiguous_field(field: FieldRef) -> Self {
        Self::from_detail(Detail::AmbiguousField { field })
    }

    /// Item `index` of a batch repeats item `first`.
    pub(crate) fn repeated_item(index: usize, first: usize) -> Self {
        Self::from_detail(Detail::RepeatedItem { index, first })
    }

    pub(crate) fn stale_timestamp(age_secs: u64, tolerance_secs: u64) -> Self {
        Self::from_detail(Detail::StaleTimestamp {
            age_secs,
            tolerance_secs,
        })
    }

    pub(crate) fn future_timestamp(ahead_secs: u64, tolerance_secs: u64) -> Self {
        Self::from_detail(Detail::FutureTimestamp {
            ahead_secs,
            tolerance_secs,
        })
    }

    pub(crate) fn unexpected_account(found: u64, expected: u64) -> Self {
        Self::from_detail(Detail::UnexpectedAccount { found, expected })
    }

    pub(crate) fn body_too_large(limit: usize) -> Self {
        Self::from_detail(Detail::BodyTooLarge { limit })
    }

    pub(crate) fn unsupported_content_type(found: &str, expected: &'static str) -> Self {
        Self::from_detail(Detail::UnsupportedContentType {
            found: SentName::of(found),
            expected,
        })
    }

    pub(crate) fn payload_syntax(
        format: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::from_detail(Detail::PayloadSyntax {
            format,
            message: message.into(),
        })
    }

    /// A key given twice in the JSON object at `path` (empty for the top level).
    pub(crate) fn ambiguous_json(key: KeyName, path: impl Into<String>) -> Self {
        Self::from_detail(Detail::AmbiguousPayload {
            key,
            format: "JSON",
            path: path.into(),
        })
    }

    /// One of the envelope's own form keys given twice.
    pub(crate) fn ambiguous_form(key: &'static str) -> Self {
        Self::from_detail(Detail::AmbiguousPayload {
            key: KeyName::Defined(key),
            format: "form",
            path: String::new(),
        })
    }

    /// A form key given both as a value and as a group (`a=1&a[b]=2`).
    pub(crate) fn form_conflict(key: &str) -> Self {
        Self::from_detail(Detail::FormConflict {
            key: SentName::of(key),
        })
    }

    /// Places a payload error found while reading a part of the body on its own under that
    /// part's path, e.g. `callbacks[2]`, computed only now that there is an error.
    pub(crate) fn under(mut self, prefix: &str) -> Self {
        if let Detail::PayloadData { path, .. } | Detail::AmbiguousPayload { path, .. } =
            &mut self.0.detail
        {
            *path = match path.as_str() {
                "" => prefix.to_owned(),
                rest if rest.starts_with('[') => format!("{prefix}{rest}"),
                rest => format!("{prefix}.{rest}"),
            };
        }
        self
    }

    /// A payload rule hookproof checks itself was broken at `path`; `message` is written here
    /// and names no value.
    pub(crate) fn invalid_payload(
        event_type: Option<&'static str>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::from_detail(Detail::PayloadData {
            event_type,
            path: path.into(),
            message: message.into(),
        })
    }

    /// A required top-level field is absent.
    pub(crate) fn missing_field(event_type: Option<&'static str>, field: &'static str) -> Self {
        Self::invalid_payload(event_type, "", format!("missing field `{field}`"))
    }

    /// A top-level field has the wrong shape.
    pub(crate) fn field_type(field: &'static str, expected: &'static str) -> Self {
        Self::invalid_payload(None, field, format!("wrong type: expected {expected}"))
    }

    /// The body names one known event type where the receiver expects another.
    pub(crate) fn event_mismatch(found: &'static str, expected: &'static str) -> Self {
        Self::from_detail(Detail::UnexpectedEvent { found, expected })
    }

    /// A deserialization failure at `path`, below `prefix` when the value was read on its own
    /// (`data`), while reading the payload of `event_type`. A field given twice is an ambiguity
    /// (serde's derived structs report it by its name, which is theirs; a key of a free-form
    /// object is reported by [`repeated_key_message`], by its length); anything else is a
    /// shape mismatch.
    pub(crate) fn deserialization(
        event_type: Option<&'static str>,
        prefix: &str,
        path: Option<&serde_path_to_error::Path>,
        serde_message: &str,
    ) -> Self {
        let path = path.map_or_else(|| prefix.to_owned(), |path| path_text(prefix, path));
        if let Some(len) = serde_message
            .strip_prefix(REPEATED_KEY)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|len| len.parse().ok())
        {
            return Self::ambiguous_json(KeyName::Sent(SentName { len }), path);
        }
        if let Some(field) = serde_message
            .strip_prefix("duplicate field `")
            .and_then(|rest| rest.split('`').next())
        {
            let key = match defined_field_name(field) {
                Some(name) => KeyName::Defined(name),
                None => KeyName::Sent(SentName::of(field)),
            };
            return Self::ambiguous_json(key, path);
        }
        Self::from_detail(Detail::PayloadData {
            event_type,
            path,
            message: describe_serde_message(serde_message),
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(context) = &self.0.context {
            write!(f, "{context}: ")?;
        }
        self.0.detail.fmt(f)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind())
            .field("message", &self.to_string())
            .finish()
    }
}

impl std::error::Error for Error {}

/// `data.card_info.last4`, `callbacks[2].type`: the names of hookproof's own fields and indices;
/// any other key came from the request and is shown as `?`.
fn path_text(prefix: &str, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    use std::fmt::Write as _;

    let mut text = String::from(prefix);
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                let _ = write!(text, "[{index}]");
            }
            Segment::Map { key } => {
                if !text.is_empty() {
                    text.push('.');
                }
                text.push_str(defined_field_name(key).unwrap_or("?"));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    text
}

/// Where in a body a duplicate key is: ``in `data` `` or `at the top level` of JSON, `in the
/// form`.
struct Within<'a>(&'a str, &'a str);

impl fmt::Display for Within<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Within("form", _) => f.write_str("in the form"),
            Within(_, "") => f.write_str("at the top level"),
            Within(_, path) => write!(f, "in `{path}`"),
        }
    }
}

/// How [`repeated_key_message`] begins; [`Error::deserialization`] recognises it.
const REPEATED_KEY: &str = "repeated key of ";

/// The message for a key given twice in a free-form object: the key when it is one of
/// hookproof's own field names, else only its length.
pub(crate) fn repeated_key_message(key: &str) -> String {
    match defined_field_name(key) {
        Some(name) => format!("duplicate field `{name}`"),
        None => format!("{REPEATED_KEY}{} bytes", key.len()),
    }
}

/// `name` as the `'static` name of one of hookproof's own model fields, if it is one; `None` for
/// anything else, which came from the request and must not be shown.
pub(crate) fn defined_field_name(name: &str) -> Option<&'static str> {
    crate::names::DEFINED
        .binary_search(&name)
        .ok()
        .map(|index| crate::names::DEFINED[index])
}

/// Rebuilds a serde error message so that it keeps the shape of the problem but none of the
/// values: serde writes `invalid type: string "jane@example.com", expected u64`, which would put
/// body content into logs.
pub(crate) fn describe_serde_message(message: &str) -> String {
    // serde_json appends the position; it is useful and contains no content.
    let (message, position) = match message.rfind(" at line ") {
        Some(at) => message.split_at(at),
        None => (message, ""),
    };
    let described = if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let kind = if message.starts_with("invalid type") {
            "wrong type"
        } else {
            "invalid value"
        };
        // The expectation comes last and is written by our types; what was found comes first
        // and may quote the body, so only its leading type word survives.
        match rest.rfind(", expected ") {
            Some(at) => {
                let found = rest[..at]
                    .split(['`', '"'])
                    .next()
                    .unwrap_or_default()
                    .trim();
                let expected = &rest[at + ", expected ".len()..];
                format!("{kind}: expected {expected}, found {found}")
            }
            None => kind.to_owned(),
        }
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        match rest.find(", expected ") {
            Some(at) => format!(
                "unknown variant, expected {}",
                &rest[at + ", expected ".len()..]
            ),
            None => "unknown variant".to_owned(),
        }
    } else if message.starts_with("unknown field ") {
        "unknown field".to_owned()
    } else if message.starts_with("missing field ")
        || message.starts_with("duplicate field ")
        || message.starts_with("invalid length ")
    {
        // Field names here are the struct's own; lengths are numbers.
        message.to_owned()
    } else {
        // Messages of our own types name no values; anything else is cut before any quote.
        match message.find(['`', '"']) {
            Some(at) => format!("{}…", message[..at].trim_end()),
            None => message.to_owned(),
        }
    };
    format!("{described}{position}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_lose_their_values() {
        assert_eq!(
            describe_serde_message(
                "invalid type: string \"jane@example.com\", expected u64 at line 1 column 42"
            ),
            "wrong type: expected u64, found string at line 1 column 42"
        );
        assert_eq!(
            describe_serde_message("invalid value: integer `-3`, expected a decimal amount"),
            "invalid value: expected a decimal amount, found integer"
        );
        assert_eq!(
            describe_serde_message("unknown variant `hunter2`, expected `a` or `b`"),
            "unknown variant, expected `a` or `b`"
        );
        assert_eq!(
            describe_serde_message("missing field `amount`"),
            "missing field `amount`"
        );
        assert_eq!(
            describe_serde_message("custom text with \"quoted body\" inside"),
            "custom text with…"
        );
    }

    #[test]
    fn only_defined_names_are_shown() {
        assert_eq!(
            defined_field_name("transaction_ref"),
            Some("transaction_ref")
        );
        assert_eq!(defined_field_name("card4111111111111111"), None);
        assert_eq!(
            Error::ambiguous_json(KeyName::Sent(SentName::of("jane@example.com")), "data")
                .to_string(),
            "a key of 16 bytes appears more than once in `data`"
        );
        let err = Error::deserialization(None, "", None, &repeated_key_message("jane@x.io"));
        assert_eq!(err.kind(), ErrorKind::AmbiguousPayload);
        assert_eq!(
            err.to_string(),
            "a key of 9 bytes appears more than once at the top level"
        );
    }

    #[test]
    fn every_kind_has_a_client_error_status() {
        for kind in [
            ErrorKind::MissingHeader,
            ErrorKind::SignatureMismatch,
            ErrorKind::PayloadData,
            ErrorKind::BodyTooLarge,
            ErrorKind::UnsupportedContentType,
        ] {
            assert!(kind.status().is_client_error());
        }
        assert_eq!(ErrorKind::PayloadData.status().as_u16(), 422);
        assert_eq!(ErrorKind::BodyTooLarge.status().as_u16(), 413);
    }
}
