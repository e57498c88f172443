//! A request as captured on the wire: the raw HTTP/1.1 text `verify` reads and `sign` writes.

use hookproof::testing::SignedRequest;

use crate::UsageError;

/// A captured request: its headers and its body, with what reading them noticed.
pub struct Captured {
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Facts about the capture itself (bytes past `Content-Length`, a short body).
    pub notes: Vec<String>,
}

impl Captured {
    /// Reads a request line, headers, a blank line and the body. With a `Content-Length`, the
    /// body is that many bytes (what a server reads); without, everything after the blank line.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let mut slots = [httparse::EMPTY_HEADER; 128];
        let mut request = httparse::Request::new(&mut slots);
        let head = match request.parse(bytes) {
            Ok(httparse::Status::Complete(head)) => head,
            Ok(httparse::Status::Partial) => {
                return Err("the request ends before the blank line after its headers".into());
            }
            Err(error) => return Err(format!("the request's head cannot be read: {error}")),
        };
        let mut headers = Vec::with_capacity(request.headers.len());
        for header in request.headers.iter() {
            let value = std::str::from_utf8(header.value).map_err(|_| {
                format!("the value of the header {} is not UTF-8 text", header.name)
            })?;
            headers.push((header.name.to_owned(), value.to_owned()));
        }
        let value_of = |wanted: &str| {
            headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
                .map(|(_, value)| value.trim())
        };
        if value_of("transfer-encoding").is_some_and(|value| value.contains("chunked")) {
            return Err(
                "the body is chunked: capture the body as the server received it, whole".into(),
            );
        }
        let mut body = bytes[head..].to_vec();
        let mut notes = Vec::new();
        if let Some(length) = value_of("content-length") {
            let length: usize = length
                .parse()
                .map_err(|_| "the Content-Length is not a number".to_owned())?;
            if body.len() > length {
                notes.push(format!(
                    "{} bytes after the body's Content-Length ({length}) were left out, as a \
                     server leaves them out",
                    body.len() - length
                ));
                body.truncate(length);
            } else if body.len() < length {
                notes.push(format!(
                    "the body is {} bytes, fewer than its Content-Length ({length}): the capture \
                     is cut short",
                    body.len()
                ));
            }
        }
        Ok(Self {
            headers,
            body,
            notes,
        })
    }

    /// The value of the header `name`, if sent once.
    pub fn header(&self, name: &str) -> Option<&str> {
        let mut values = self
            .headers
            .iter()
            .filter(|(header, _)| header.eq_ignore_ascii_case(name));
        let first = values.next()?;
        values.next().is_none().then_some(first.1.as_str())
    }
}

/// `signed` as raw HTTP/1.1 to `url`: what `verify` reads, byte for byte.
pub fn to_http(signed: &SignedRequest, url: &str) -> Result<Vec<u8>, UsageError> {
    let uri: http::Uri = url
        .parse()
        .map_err(|_| UsageError(format!("--url {url} is not a URL")))?;
    let host = uri
        .authority()
        .map_or("localhost", |authority| authority.as_str());
    let path = uri.path_and_query().map_or("/", |path| path.as_str());
    let mut text = format!("POST {path} HTTP/1.1\r\nhost: {host}\r\n");
    for (name, value) in &signed.headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!("content-length: {}\r\n\r\n", signed.body.len()));
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(&signed.body);
    Ok(bytes)
}
