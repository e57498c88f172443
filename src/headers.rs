//! Case-insensitive header lookup that notices a header given twice.
//!
//! hookproof reads headers through its own small trait so that the core is not tied to one `http`
//! major version or one framework: it is implemented for [`http::HeaderMap`] and for lists of
//! `(name, value)` pairs, and any other header type needs only [`Headers::lookup`].

use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName};

use crate::error::{Error, HeaderProblem};

/// What a header lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderLookup<'a> {
    /// The header is not present.
    Absent,
    /// The header is present exactly once, with these bytes.
    Once(&'a [u8]),
    /// The header is present more than once, which is ambiguous for a signature.
    Repeated,
}

/// Request headers, as a verifier reads them.
///
/// Implement [`lookup`](Headers::lookup); the provided methods turn its answer into text or a
/// precise [`Error`].
///
/// ```
/// use hookproof::{Headers, HeaderLookup};
/// use http::HeaderName;
///
/// let name = HeaderName::from_static("x-webhook-secret");
/// let pairs = [("X-Webhook-Secret", "s3cret"), ("Content-Type", "application/json")];
/// assert_eq!(pairs.lookup(&name), HeaderLookup::Once(b"s3cret"));
/// assert_eq!(pairs.required(&name)?, "s3cret");
/// # Ok::<(), hookproof::Error>(())
/// ```
pub trait Headers {
    /// Finds the header `name`, ignoring ASCII case.
    fn lookup(&self, name: &HeaderName) -> HeaderLookup<'_>;

    /// The header's value as text, trimmed of surrounding spaces and tabs.
    ///
    /// Errors: [`MissingHeader`](crate::ErrorKind::MissingHeader),
    /// [`DuplicateHeader`](crate::ErrorKind::DuplicateHeader), and
    /// [`MalformedHeader`](crate::ErrorKind::MalformedHeader) for a value that is not UTF-8 or
    /// holds control bytes.
    fn required(&self, name: &HeaderName) -> Result<&str, Error> {
        self.optional(name)?
            .ok_or_else(|| Error::missing_header(name))
    }

    /// Like [`required`](Headers::required), but an absent header is `Ok(None)`.
    fn optional(&self, name: &HeaderName) -> Result<Option<&str>, Error> {
        match self.lookup(name) {
            HeaderLookup::Absent => Ok(None),
            HeaderLookup::Repeated => Err(Error::duplicate_header(name)),
            HeaderLookup::Once(bytes) => header_text(name, bytes).map(Some),
        }
    }
}

/// A header value as text: UTF-8, no control bytes other than tab, surrounding whitespace removed.
fn header_text<'a>(name: &HeaderName, bytes: &'a [u8]) -> Result<&'a str, Error> {
    // Counted, not searched: the loop has no early exit, so it compiles to vector code.
    let controls = bytes
        .iter()
        .filter(|&&b| (b < b' ' && b != b'\t') || b == 0x7f)
        .count();
    if controls > 0 {
        return Err(Error::malformed_header(
            name,
            HeaderProblem::ControlCharacter,
        ));
    }
    let is_text = |b: &u8| *b != b' ' && *b != b'\t';
    let start = bytes.iter().position(is_text).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(is_text)
        .map_or(start, |last| last + 1);
    std::str::from_utf8(&bytes[start..end])
        .map_err(|_| Error::malformed_header(name, HeaderProblem::NotText))
}

/// Checks the media type of `Content-Type` (parameters such as `charset` aside) when the header
/// is present. An absent header is accepted: the check catches misrouted requests, and a
/// forger can always send the expected value, so refusing its absence would add nothing.
pub(crate) fn expect_content_type(
    headers: &(impl Headers + ?Sized),
    expected: &'static str,
) -> Result<(), Error> {
    let Some(value) = headers.optional(&CONTENT_TYPE)? else {
        return Ok(());
    };
    let media_type = value
        .split_once(';')
        .map_or(value, |(media_type, _)| media_type);
    let media_type = media_type.trim_ascii_end();
    if media_type.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(Error::unsupported_content_type(media_type, expected))
    }
}

impl Headers for HeaderMap {
    fn lookup(&self, name: &HeaderName) -> HeaderLookup<'_> {
        let mut values = self.get_all(name).iter();
        match (values.next(), values.next()) {
            (None, _) => HeaderLookup::Absent,
            (Some(value), None) => HeaderLookup::Once(value.as_bytes()),
            (Some(_), Some(_)) => HeaderLookup::Repeated,
        }
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for [(K, V)] {
    fn lookup(&self, name: &HeaderName) -> HeaderLookup<'_> {
        let mut values = self
            .iter()
            .filter(|(key, _)| key.as_ref().eq_ignore_ascii_case(name.as_str()))
            .map(|(_, value)| value.as_ref());
        match (values.next(), values.next()) {
            (None, _) => HeaderLookup::Absent,
            (Some(value), None) => HeaderLookup::Once(value),
            (Some(_), Some(_)) => HeaderLookup::Repeated,
        }
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> Headers for [(K, V); N] {
    fn lookup(&self, name: &HeaderName) -> HeaderLookup<'_> {
        self.as_slice().lookup(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for Vec<(K, V)> {
    fn lookup(&self, name: &HeaderName) -> HeaderLookup<'_> {
        self.as_slice().lookup(name)
    }
}

impl<H: Headers + ?Sized> Headers for &H {
    fn lookup(&self, name: &HeaderName) -> HeaderLookup<'_> {
        (**self).lookup(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use http::HeaderValue;

    const NAME: HeaderName = HeaderName::from_static("x-signature");

    #[test]
    fn header_map_lookup_ignores_case_and_counts() {
        let mut map = HeaderMap::new();
        assert_eq!(map.lookup(&NAME), HeaderLookup::Absent);
        map.insert("X-Signature", HeaderValue::from_static(" abc\t"));
        assert_eq!(map.required(&NAME).unwrap(), "abc");
        map.append("x-SIGNATURE", HeaderValue::from_static("def"));
        assert_eq!(map.lookup(&NAME), HeaderLookup::Repeated);
        assert_eq!(
            map.required(&NAME).unwrap_err().kind(),
            ErrorKind::DuplicateHeader
        );
    }

    #[test]
    fn pair_lists_behave_like_header_maps() {
        let pairs = vec![("X-SIGNATURE".to_owned(), "abc".to_owned())];
        assert_eq!(pairs.required(&NAME).unwrap(), "abc");
        let twice = [("x-signature", "a"), ("X-Signature", "b")];
        assert_eq!(
            twice.optional(&NAME).unwrap_err().kind(),
            ErrorKind::DuplicateHeader
        );
        let none: [(&str, &str); 0] = [];
        let err = none.required(&NAME).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MissingHeader);
        assert_eq!(err.to_string(), "the `x-signature` header is missing");
        assert_eq!(none.optional(&NAME).unwrap(), None);
    }

    #[test]
    fn control_bytes_and_invalid_utf8_are_malformed() {
        for value in [&b"ab\0c"[..], b"ab\nc", b"\x7f", b"\xff\xfe"] {
            let pairs = [("x-signature", value)];
            let err = pairs.required(&NAME).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::MalformedHeader, "{value:?}");
            assert_eq!(err.header(), Some(&NAME));
        }
    }
}
