//! Payload values that a signature covers, and the text each one contributes to the hash.
//!
//! Schemes that sign selected fields ([`FieldConcatSha256`](super::FieldConcatSha256),
//! [`SaltedMd5`](super::SaltedMd5)) read them through [`FieldSource`], so they work over any
//! payload representation, and turn them into text with the sender's rules: the senders' code is
//! JavaScript, so a number is printed as JavaScript's `String(number)` prints it.

use std::borrow::Cow;

use crate::Error;
use crate::error::FieldProblem;

/// A payload value, as a signing scheme sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldValue<'a> {
    /// A string, with JSON escapes already resolved.
    String(Cow<'a, str>),
    /// A number, as the literal token written in the payload (`1.50`, `1e3`).
    Number(Cow<'a, str>),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// An object; present, but it has no text form a scheme could sign.
    Object,
    /// An array; present, but it has no text form a scheme could sign.
    Array,
}

/// A payload from which a scheme reads the fields it signs.
///
/// hookproof implements it for the JSON bodies it parses; implement it to verify a payload you
/// hold in another form.
pub trait FieldSource {
    /// The value at `path`: one segment for a top-level field (`["id"]`), more for a nested one
    /// (`["data", "id"]`). `Ok(None)` when there is no such field.
    fn field(&self, path: &[&str]) -> Result<Option<FieldValue<'_>>, Error>;
}

/// The text a field contributes to a hash. `null` is kept apart because senders write it two ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FieldText<'a> {
    Text(Cow<'a, str>),
    Null,
}

impl<'a> FieldText<'a> {
    /// Applies the sender's rules: a string as is, an integer as its digits, any other number as
    /// JavaScript prints it, `true`/`false`, and `null` left for the caller to spell.
    pub(crate) fn of(value: FieldValue<'a>) -> Result<Self, FieldProblem> {
        Ok(match value {
            FieldValue::String(text) => Self::Text(text),
            FieldValue::Number(token) => {
                Self::Text(javascript_number_text(token).ok_or(FieldProblem::MalformedNumber)?)
            }
            FieldValue::Bool(true) => Self::Text(Cow::Borrowed("true")),
            FieldValue::Bool(false) => Self::Text(Cow::Borrowed("false")),
            FieldValue::Null => Self::Null,
            FieldValue::Object => return Err(FieldProblem::NotScalar { found: "an object" }),
            FieldValue::Array => return Err(FieldProblem::NotScalar { found: "an array" }),
        })
    }
}

/// What `String(JSON.parse(token))` gives in JavaScript, except that an integer token keeps all
/// its digits (the spec's rule: an integer is signed as its decimal digits). `None` if the token
/// is not a number.
fn javascript_number_text(token: Cow<'_, str>) -> Option<Cow<'_, str>> {
    let digits = token.strip_prefix('-').unwrap_or(&token);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        // JavaScript has no negative zero in text: String(-0) is "0".
        if digits.bytes().all(|b| b == b'0') {
            return Some(Cow::Borrowed("0"));
        }
        return Some(token);
    }
    let valid_token = token
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    let number: f64 = token.parse().ok().filter(|_| valid_token)?;
    Some(Cow::Owned(ryu_js::Buffer::new().format(number).to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn js(token: &str) -> Option<String> {
        javascript_number_text(Cow::Borrowed(token)).map(Cow::into_owned)
    }

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        // Expected values are what node prints for String(JSON.parse(token)).
        for (token, expected) in [
            ("1234", "1234"),
            ("-17", "-17"),
            ("-0", "0"),
            ("1.50", "1.5"),
            ("1.0", "1"),
            ("100.00", "100"),
            ("0.1", "0.1"),
            ("1e3", "1000"),
            ("1E+21", "1e+21"),
            ("1e21", "1e+21"),
            ("123e-20", "1.23e-18"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1e-7"),
            ("-2.5e-7", "-2.5e-7"),
            ("1e400", "Infinity"),
            ("0.30000000000000004", "0.30000000000000004"),
        ] {
            assert_eq!(js(token).as_deref(), Some(expected), "{token}");
        }
    }

    #[test]
    fn big_integers_keep_their_digits() {
        assert_eq!(
            js("12345678901234567890").as_deref(),
            Some("12345678901234567890")
        );
    }

    #[test]
    fn non_numbers_are_refused() {
        for token in [
            "", "-", "abc", "1.2.3", "NaN", "inf", "infinity", "0x10", " 1",
        ] {
            assert_eq!(js(token), None, "{token:?}");
        }
    }
}
