//! Verification vectors computed outside the crate, by `tests/vectors/generate.py` with Python's
//! hashlib/hmac, driven through every scheme by one harness.
//!
//! Each case names the outcome: `ok` (with the key id that must be reported) or the
//! [`ErrorKind`] of the rejection. Every rejection's message is also checked for leaks.

use std::path::Path;

use hookproof::cedar::Cedar;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::verify::{
    FieldConcatSha256, FieldSource, FieldValue, HmacSha256, Part, SaltedMd5, SharedSecretHeader,
    SignatureEncoding,
};
use hookproof::{Error, KeyId, KeyRing, Provider, Secret, Verifier};
use http::HeaderName;
use serde::Deserialize;

#[derive(Deserialize)]
struct Vectors<C> {
    #[serde(default)]
    keys: Vec<(String, String)>,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    encoding: Option<String>,
    cases: Vec<C>,
}

#[derive(Deserialize)]
struct RequestCase {
    name: String,
    body: String,
    headers: Vec<(String, String)>,
    expect: String,
    #[serde(default)]
    keys: Option<Vec<(String, String)>>,
    #[serde(default)]
    key_id: Option<String>,
    #[serde(default)]
    prefix: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
    #[serde(default)]
    require: Vec<String>,
    #[serde(default)]
    signed_fields: Option<Vec<String>>,
}

impl RequestCase {
    fn keys<'a>(&'a self, defaults: &'a [(String, String)]) -> &'a [(String, String)] {
        self.keys.as_deref().unwrap_or(defaults)
    }
}

fn load<C: for<'de> Deserialize<'de>>(relative: &str) -> Vectors<C> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vectors")
        .join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn ring(keys: &[(String, String)]) -> KeyRing {
    let mut keys = keys
        .iter()
        .map(|(id, secret)| (id.as_str(), Secret::new(secret.as_str()).unwrap()));
    let (id, secret) = keys.next().expect("at least one key");
    keys.fold(KeyRing::new(id, secret), |ring, (id, secret)| {
        ring.with(id, secret)
    })
}

fn encoding(name: Option<&str>) -> SignatureEncoding {
    match name {
        None | Some("hex") => SignatureEncoding::Hex,
        Some("base64") => SignatureEncoding::Base64,
        Some(other) => panic!("unknown encoding {other}"),
    }
}

/// Checks an outcome against the case's expectation, and that a rejection leaks nothing.
fn check<T>(
    name: &str,
    outcome: &Result<T, Error>,
    expect: &str,
    key_id: Option<&str>,
    secrets: &[&str],
    reported: impl Fn(&T) -> &KeyId,
) {
    match (outcome, expect) {
        (Ok(value), "ok") => {
            if let Some(expected) = key_id {
                assert_eq!(reported(value).as_str(), expected, "{name}: key id");
            }
        }
        (Ok(_), _) => panic!("{name}: accepted, expected {expect}"),
        (Err(error), "ok") => panic!("{name}: rejected with {error:?}, expected ok"),
        (Err(error), _) => {
            assert_eq!(format!("{:?}", error.kind()), expect, "{name}: {error}");
            assert_no_leak(name, error, secrets);
        }
    }
}

/// No secret, and nothing that looks like a digest (a long run of hex digits), in the message.
fn assert_no_leak(name: &str, error: &Error, secrets: &[&str]) {
    let shown = format!("{error} {error:?}");
    for secret in secrets {
        assert!(
            !shown.contains(secret),
            "{name}: message contains a secret: {shown}"
        );
    }
    let longest_hex_run = shown
        .split(|c: char| !c.is_ascii_hexdigit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(
        longest_hex_run < 16,
        "{name}: message contains a digest: {shown}"
    );
}

fn secrets_of(keys: &[(String, String)]) -> Vec<&str> {
    keys.iter().map(|(_, secret)| secret.as_str()).collect()
}

#[test]
fn platnova_shared_secret() {
    let vectors: Vectors<RequestCase> = load("platnova/shared_secret.json");
    let header = HeaderName::from_static("x-webhook-secret");
    for case in &vectors.cases {
        let keys = case.keys(&vectors.keys);
        let secrets = secrets_of(keys);
        let expected_key = case.key_id.as_deref();
        let scheme = SharedSecretHeader::new(header.clone(), ring(keys));
        let outcome = scheme.verify(&case.headers, case.body.as_bytes());
        check(
            &case.name,
            &outcome,
            &case.expect,
            expected_key,
            &secrets,
            |id| id,
        );

        let provider = Platnova::new(ring(keys));
        let outcome = provider.verify(&case.headers, case.body.as_bytes());
        check(
            &case.name,
            &outcome,
            &case.expect,
            expected_key,
            &secrets,
            |v| v.key_id(),
        );
    }
}

#[test]
fn inplayer_hmac_sha256() {
    let vectors: Vectors<RequestCase> = load("inplayer/hmac_sha256.json");
    let header = HeaderName::from_static("x-inplayer-signature");
    for case in &vectors.cases {
        let keys = case.keys(&vectors.keys);
        let secrets = secrets_of(keys);
        let expected_key = case.key_id.as_deref();
        let scheme = HmacSha256::new(header.clone(), ring(keys))
            .with_prefix(
                case.prefix
                    .clone()
                    .unwrap_or_else(|| vectors.prefix.clone()),
            )
            .with_encoding(encoding(
                case.encoding.as_deref().or(vectors.encoding.as_deref()),
            ));
        let outcome = scheme.verify(&case.headers, case.body.as_bytes());
        check(
            &case.name,
            &outcome,
            &case.expect,
            expected_key,
            &secrets,
            |id| id,
        );

        // The provider is InPlayer's configuration of the scheme: `sha256=` and hex.
        if case.prefix.is_none() && case.encoding.is_none() {
            let provider = InPlayer::new(ring(keys));
            let outcome = provider.verify(&case.headers, case.body.as_bytes());
            check(
                &case.name,
                &outcome,
                &case.expect,
                expected_key,
                &secrets,
                |v| v.key_id(),
            );
        }
    }
}

#[test]
fn cedar_field_concat() {
    let vectors: Vectors<RequestCase> = load("cedar/field_concat.json");
    for case in &vectors.cases {
        let keys = case.keys(&vectors.keys);
        let scheme = FieldConcatSha256::new(
            HeaderName::from_static("x-webhook-security-fields"),
            HeaderName::from_static("x-webhook-security-hash"),
            ring(keys),
        )
        .require_fields(case.require.clone());
        let outcome = scheme.verify_body(&case.headers, case.body.as_bytes());
        check(
            &case.name,
            &outcome,
            &case.expect,
            case.key_id.as_deref(),
            &secrets_of(keys),
            |(id, _)| id,
        );
        if let (Ok((_, signed)), Some(expected)) = (&outcome, &case.signed_fields) {
            assert_eq!(
                signed.iter().collect::<Vec<_>>(),
                *expected,
                "{}: signed fields",
                case.name
            );
        }
        // The standalone `Verifier` agrees with `verify_body`.
        let plain = scheme.verify(&case.headers, case.body.as_bytes());
        assert_eq!(plain.is_ok(), outcome.is_ok(), "{}", case.name);

        let provider = Cedar::new(ring(keys)).require_fields(case.require.clone());
        let outcome = provider.verify(&case.headers, case.body.as_bytes());
        check(
            &case.name,
            &outcome,
            &case.expect,
            case.key_id.as_deref(),
            &secrets_of(keys),
            |v| v.key_id(),
        );
        if let (Ok(verified), Some(expected)) = (&outcome, &case.signed_fields) {
            let signed: Vec<_> = verified.evidence().signed_fields.iter().collect();
            assert_eq!(signed, *expected, "{}: signed fields", case.name);
        }
    }
}

/// How a Platfone receiver was configured, in `platfone/configured_schemes.json`.
#[derive(Deserialize)]
struct PlatfoneScheme {
    kind: String,
    header: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    encoding: Option<String>,
}

#[derive(Deserialize)]
struct PlatfoneCase {
    name: String,
    scheme: PlatfoneScheme,
    body: String,
    headers: Vec<(String, String)>,
    expect: String,
    #[serde(default)]
    keys: Option<Vec<(String, String)>>,
    #[serde(default)]
    key_id: Option<String>,
}

#[test]
fn platfone_configured_schemes() {
    let vectors: Vectors<PlatfoneCase> = load("platfone/configured_schemes.json");
    for case in &vectors.cases {
        let keys = case.keys.as_deref().unwrap_or(&vectors.keys);
        let header = HeaderName::from_bytes(case.scheme.header.as_bytes()).unwrap();
        let verifier: Box<dyn Verifier> = match case.scheme.kind.as_str() {
            "hmac" => Box::new(
                HmacSha256::new(header, ring(keys))
                    .with_prefix(case.scheme.prefix.clone())
                    .with_encoding(encoding(case.scheme.encoding.as_deref())),
            ),
            "shared_secret" => Box::new(SharedSecretHeader::new(header, ring(keys))),
            other => panic!("unknown scheme {other}"),
        };
        let platfone = Platfone::new(verifier);
        let outcome = platfone.verify_and_parse(&case.headers, case.body.as_bytes());
        check(
            &case.name,
            &outcome,
            &case.expect,
            case.key_id.as_deref(),
            &secrets_of(keys),
            |n| n.provenance().key_id(),
        );
        if let Ok(notification) = &outcome {
            assert_eq!(
                notification.event_type(),
                "activation.updated",
                "{}",
                case.name
            );
        }
    }
}

#[derive(Deserialize)]
struct CallbackCase {
    name: String,
    salt: String,
    api_key: String,
    account_id: String,
    callback_id: String,
    hash: String,
    expect: String,
}

/// A callback's signed values as the JSON number tokens they arrive as.
struct Callback<'a> {
    account_id: &'a str,
    callback_id: &'a str,
}

impl FieldSource for Callback<'_> {
    fn field(&self, path: &[&str]) -> Result<Option<FieldValue<'_>>, Error> {
        Ok(match path {
            ["account_id"] => Some(FieldValue::Number(self.account_id.into())),
            ["callback_id"] => Some(FieldValue::Number(self.callback_id.into())),
            _ => None,
        })
    }
}

#[test]
fn voximplant_salted_md5() {
    let vectors: Vectors<CallbackCase> = load("voximplant/salted_md5.json");
    for case in &vectors.cases {
        let scheme = SaltedMd5::new([
            Part::Secret(Secret::new(case.salt.as_str()).unwrap()),
            Part::field("account_id"),
            Part::Secret(Secret::new(case.api_key.as_str()).unwrap()),
            Part::field("callback_id"),
        ])
        .unwrap();
        let callback = Callback {
            account_id: &case.account_id,
            callback_id: &case.callback_id,
        };
        let outcome = scheme
            .verify(&callback, &case.hash)
            .map(|()| KeyId::from("default"));
        check(
            &case.name,
            &outcome,
            &case.expect,
            None,
            &[&case.salt, &case.api_key],
            |id| id,
        );
    }
}
