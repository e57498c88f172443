//! Why a request may not verify, from what can be seen without printing a secret: per scheme,
//! the facts about the request, and the variants of it (or of the secrets) that would verify.

use hookproof::verify::{HmacSha256, SharedSecretHeader, SignatureEncoding};

use crate::configure::{Configured, Keys, Provider};
use crate::request::Captured;
use crate::verdict;

/// Why `captured` may not verify, one finding per line.
pub fn explain(configured: &Configured, captured: &Captured) -> Vec<String> {
    let mut lines = Vec::new();
    match &configured.provider {
        Provider::Platnova(platnova) => {
            shared_secret(platnova.scheme(), configured, captured, &mut lines)
        }
        Provider::PlatfoneSharedSecret(platfone) => {
            shared_secret(platfone.verifier(), configured, captured, &mut lines)
        }
        Provider::InPlayer(inplayer) => {
            hmac(inplayer.scheme(), configured, captured, &mut lines);
            reencoded_form(captured, &mut lines);
        }
        Provider::PlatfoneHmac(platfone) => {
            hmac(platfone.verifier(), configured, captured, &mut lines);
            reserialized_json(configured, captured, &mut lines);
        }
        Provider::Cedar(cedar) => field_concatenation(cedar, captured, &mut lines),
        Provider::Voximplant(_) => salted_callbacks(configured, captured, &mut lines),
    }
    whitespace_around_secrets(configured, captured, &mut lines);
    lines
}

/// The value of `header`, or a line saying it is missing.
fn sent<'c>(
    captured: &'c Captured,
    header: &http::HeaderName,
    lines: &mut Vec<String>,
) -> Option<&'c str> {
    let value = captured.header(header.as_str());
    if value.is_none() {
        lines.push(format!(
            "the request has no {header} header, or has it twice"
        ));
    }
    value
}

fn verifies(configured: &Configured, captured: &Captured, body: &[u8]) -> bool {
    verdict::check(configured, &captured.headers, body).is_ok()
}

/// The shared secret: lengths and whitespace only.
fn shared_secret(
    scheme: &SharedSecretHeader,
    configured: &Configured,
    captured: &Captured,
    lines: &mut Vec<String>,
) {
    let header = scheme.header();
    let Some(value) = sent(captured, header, lines) else {
        return;
    };
    let Keys::Ring(keys) = &configured.keys else {
        return;
    };
    for key in keys {
        lines.push(format!(
            "the {header} header holds {} bytes; the secret {} is {} bytes",
            value.len(),
            key.id,
            key.secret.expose_secret().len()
        ));
    }
    let trimmed = value.trim();
    if trimmed.len() != value.len() {
        lines.push(format!(
            "the {header} header's value has whitespace around it"
        ));
        if let Some(key) = keys
            .iter()
            .find(|key| key.secret.expose_secret() == trimmed.as_bytes())
        {
            lines.push(format!(
                "without that whitespace it is the secret {}: something on the way added it",
                key.id
            ));
        }
    }
}

/// An HMAC over the body: the header's prefix and encoding, and the body's bytes.
fn hmac(
    scheme: &HmacSha256,
    configured: &Configured,
    captured: &Captured,
    lines: &mut Vec<String>,
) {
    let header = scheme.header();
    let Some(value) = sent(captured, header, lines) else {
        return;
    };
    let prefix = scheme.prefix();
    let signature = match value.strip_prefix(prefix) {
        Some(rest) => rest,
        None => {
            lines.push(format!(
                "the {header} value does not start with `{prefix}`, which the receiver expects"
            ));
            value.split_once('=').map_or(value, |(_, rest)| rest)
        }
    };
    if prefix.is_empty()
        && value.split_once('=').is_some_and(|(head, _)| {
            head.len() < 12 && head.bytes().all(|b| b.is_ascii_alphanumeric())
        })
    {
        lines.push(format!(
            "the {header} value starts with a `…=` prefix the receiver does not expect (--prefix)"
        ));
    }
    let written = if signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        Some(SignatureEncoding::Hex)
    } else if (43..=44).contains(&signature.len())
        && signature
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        Some(SignatureEncoding::Base64)
    } else {
        None
    };
    let name = |encoding| match encoding {
        SignatureEncoding::Hex => "hex",
        _ => "base64",
    };
    match written {
        None => lines.push(format!(
            "the signature is {} characters: neither 64 hex digits nor 44 base64 characters, the \
             two ways to write a SHA-256 MAC",
            signature.len()
        )),
        Some(encoding) if encoding != scheme.encoding() => lines.push(format!(
            "the signature is written in {} but the receiver expects {}",
            name(encoding),
            name(scheme.encoding())
        )),
        Some(_) => {}
    }
    let body = &captured.body;
    lines.push(format!(
        "the signature covers the body's {} bytes exactly as received",
        body.len()
    ));
    let line_break = if body.ends_with(b"\r\n") {
        Some(2)
    } else if body.ends_with(b"\n") {
        Some(1)
    } else {
        None
    };
    if let Some(length) = line_break {
        let kind = if length == 2 { "\\r\\n" } else { "\\n" };
        if verifies(configured, captured, &body[..body.len() - length]) {
            lines.push(format!(
                "without its final {kind} the body verifies: the capture (or an editor) added it"
            ));
        } else {
            lines.push(format!(
                "the body ends with {kind}; senders rarely sign a final line break"
            ));
        }
    }
}

/// A form decoded and encoded again on the way is not the form that was signed.
fn reencoded_form(captured: &Captured, lines: &mut Vec<String>) {
    let Ok(text) = std::str::from_utf8(&captured.body) else {
        return;
    };
    let keys: Vec<&str> = text
        .split('&')
        .map(|pair| pair.split_once('=').map_or(pair, |(key, _)| key))
        .collect();
    if keys.len() >= 3 && keys.is_sorted() {
        lines.push(
            "the form's pairs are in alphabetical order, as a re-encoder writes them: if a \
             framework decoded and encoded the form again, the signature covers the original"
                .into(),
        );
    }
    if text.contains("%20") {
        lines.push(
            "a space is written %20 where a form encoder writes +: was the form encoded again?"
                .into(),
        );
    }
}

/// JSON pretty-printed after it was signed.
fn reserialized_json(configured: &Configured, captured: &Captured, lines: &mut Vec<String>) {
    let body = &captured.body;
    let looks_like_json = body
        .trim_ascii_start()
        .first()
        .is_some_and(|first| matches!(first, b'{' | b'['));
    if !looks_like_json || !body.trim_ascii().contains(&b'\n') {
        return;
    }
    if verifies(configured, captured, &compact(body)) {
        lines.push(
            "with the whitespace between its JSON tokens removed the body verifies: it was \
             pretty-printed after it was signed"
                .into(),
        );
    } else {
        lines.push(
            "the JSON spreads over several lines; senders sign compact bytes: was it \
             re-serialized on the way (a proxy, a framework, a logger)?"
                .into(),
        );
    }
}

/// `json` without whitespace outside strings, every byte of every token kept.
fn compact(json: &[u8]) -> Vec<u8> {
    let (mut out, mut in_string, mut escaped) = (Vec::with_capacity(json.len()), false, false);
    for &byte in json {
        if in_string {
            out.push(byte);
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if byte == b'"' {
            in_string = true;
            out.push(byte);
        } else if !byte.is_ascii_whitespace() {
            out.push(byte);
        }
    }
    out
}

/// Cedar: each listed field's text as hashed, and the concatenation with `<secret>`.
fn field_concatenation(
    cedar: &hookproof::cedar::Cedar,
    captured: &Captured,
    lines: &mut Vec<String>,
) {
    let fields = match cedar
        .scheme()
        .hashed_fields(&captured.headers, &captured.body)
    {
        Ok(fields) => fields,
        Err(error) => {
            lines.push(format!("the listed fields cannot be read: {error}"));
            return;
        }
    };
    let names: Vec<&str> = fields.iter().map(|field| field.name.as_str()).collect();
    lines.push(format!("the fields header lists {}", names.join(", ")));
    for field in &fields {
        lines.push(match (&field.text, &field.number_token) {
            (Some(text), Some(token)) if token != text => format!(
                "`{}` is the number {token}, hashed as JavaScript prints it: {text}",
                field.name
            ),
            (Some(text), _) => format!("`{}` is hashed as `{text}`", field.name),
            (None, _) => format!(
                "`{}` is null, hashed as `null` or as nothing (--null says which)",
                field.name
            ),
        });
    }
    let joined = |null: &str| -> String {
        fields
            .iter()
            .map(|field| field.text.as_deref().unwrap_or(null))
            .collect()
    };
    lines.push(format!(
        "the hash is hex(sha256(\"{}<secret>\"))",
        joined("null")
    ));
    if fields.iter().any(|field| field.text.is_none()) {
        lines.push(format!(
            "or, with null written as nothing, hex(sha256(\"{}<secret>\"))",
            joined("")
        ));
    }
    if let Some(hash) = captured.header(hookproof::cedar::Cedar::HASH_HEADER.as_str())
        && (hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        lines.push(format!(
            "the hash header is {} characters, not the 64 hex digits of a SHA-256",
            hash.len()
        ));
    }
}

/// Voximplant: which callback's hash does not match, and what entered it.
fn salted_callbacks(configured: &Configured, captured: &Captured, lines: &mut Vec<String>) {
    let received: serde_json::Value = match serde_json::from_slice(&captured.body) {
        Ok(value) => value,
        Err(_) => {
            lines.push("the body is not JSON; Voximplant sends {\"callbacks\": [...]}".into());
            return;
        }
    };
    let expected = match configured.sign(captured.body.clone()) {
        Ok(signed) => serde_json::from_slice::<serde_json::Value>(&signed.body).unwrap_or_default(),
        Err(error) => {
            lines.push(format!("the callbacks cannot be hashed: {error}"));
            return;
        }
    };
    let empty = Vec::new();
    let callbacks = received["callbacks"].as_array().unwrap_or(&empty);
    for (index, callback) in callbacks.iter().enumerate() {
        let kind = callback["type"].as_str().unwrap_or("no type");
        let matches = callback["hash"] == expected["callbacks"][index]["hash"];
        lines.push(if matches {
            format!("callback {} ({kind}): its hash matches", index + 1)
        } else {
            format!(
                "callback {} ({kind}): its hash is not md5(<salt> ‖ {} ‖ <api key> ‖ {}), \
                 its account_id and callback_id with the salt and API key",
                index + 1,
                callback["account_id"],
                callback["callback_id"]
            )
        });
    }
}

/// A secret read with whitespace around it (a file written with an editor, a quoted variable).
fn whitespace_around_secrets(
    configured: &Configured,
    captured: &Captured,
    lines: &mut Vec<String>,
) {
    let Some(trimmed) = configured.keys.trimmed() else {
        return;
    };
    let again = configured.with_keys(trimmed);
    lines.push(if verifies(&again, captured, &captured.body) {
        "a secret has whitespace around it (from its file or variable); without it, the request \
         verifies"
            .into()
    } else {
        "a secret has whitespace around it (from its file or variable); without it, the request \
         does not verify either"
            .into()
    });
}
