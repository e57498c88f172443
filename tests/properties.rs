//! Properties of every scheme, over generated inputs:
//! arbitrary bytes never panic; what a scheme signs, it verifies; and changing any single byte of
//! a signed input is rejected.

use hookproof::verify::{
    FieldConcatSha256, FieldSource, FieldValue, HmacSha256, Part, SaltedMd5, SharedSecretHeader,
    SignatureEncoding,
};
use hookproof::{Error, ErrorKind, KeyRing, Secret, Verifier};
use http::HeaderName;
use proptest::prelude::*;

const SECRET_HEADER: HeaderName = HeaderName::from_static("x-webhook-secret");
const SIGNATURE: HeaderName = HeaderName::from_static("x-signature");
const FIELDS: HeaderName = HeaderName::from_static("x-fields");
const HASH: HeaderName = HeaderName::from_static("x-hash");

fn secret() -> Secret {
    Secret::new("property-test-secret").unwrap()
}

fn request_schemes() -> Vec<Box<dyn Verifier>> {
    vec![
        Box::new(SharedSecretHeader::new(SECRET_HEADER, secret())),
        Box::new(HmacSha256::new(SIGNATURE, secret()).with_prefix("sha256=")),
        Box::new(HmacSha256::new(SIGNATURE, secret()).with_encoding(SignatureEncoding::Base64)),
        Box::new(FieldConcatSha256::new(FIELDS, HASH, secret())),
    ]
}

fn md5_scheme() -> SaltedMd5 {
    SaltedMd5::new([
        Part::Secret(Secret::new("salt").unwrap()),
        Part::field("account_id"),
        Part::Secret(Secret::new("api-key").unwrap()),
        Part::field("callback_id"),
    ])
    .unwrap()
}

struct Ids {
    account_id: String,
    callback_id: String,
}

impl FieldSource for Ids {
    fn field(&self, path: &[&str]) -> Result<Option<FieldValue<'_>>, Error> {
        Ok(match path {
            ["account_id"] => Some(FieldValue::Number(self.account_id.as_str().into())),
            ["callback_id"] => Some(FieldValue::Number(self.callback_id.as_str().into())),
            _ => None,
        })
    }
}

/// A JSON scalar as it is written in a body. Strings avoid characters JSON escapes, so every
/// byte of the token is part of the value's text.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 éß✓€]{0,12}".prop_map(|s| format!("\"{s}\"")),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
    ]
}

/// A JSON object of signed scalar fields, the byte span of each value, and the fields header.
fn signed_body() -> impl Strategy<Value = (String, Vec<(usize, usize)>, String)> {
    prop::collection::vec(scalar(), 1..6).prop_map(|values| {
        let mut body = String::from("{");
        let mut spans = Vec::new();
        let mut names = Vec::new();
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&format!("\"f{i}\":"));
            spans.push((body.len(), body.len() + value.len()));
            body.push_str(value);
            names.push(format!("f{i}"));
        }
        body.push_str(",\"unsigned\":1}");
        (body, spans, names.join(","))
    })
}

fn field_concat() -> FieldConcatSha256 {
    FieldConcatSha256::new(FIELDS, HASH, KeyRing::from(secret()))
}

fn sign_fields(body: &str, fields: &str) -> String {
    let scheme = field_concat();
    // The signer reads fields through the same verifier-independent JSON view a receiver would.
    struct Json(serde_json::Map<String, serde_json::Value>);
    impl FieldSource for Json {
        fn field(&self, path: &[&str]) -> Result<Option<FieldValue<'_>>, Error> {
            Ok(self.0.get(path[0]).map(|value| match value {
                serde_json::Value::String(s) => FieldValue::String(s.as_str().into()),
                serde_json::Value::Number(n) => FieldValue::Number(n.to_string().into()),
                serde_json::Value::Bool(b) => FieldValue::Bool(*b),
                serde_json::Value::Null => FieldValue::Null,
                serde_json::Value::Object(_) => FieldValue::Object,
                serde_json::Value::Array(_) => FieldValue::Array,
            }))
        }
    }
    let payload = Json(serde_json::from_str(body).unwrap());
    let names: Vec<&str> = fields.split(',').collect();
    scheme.sign(&names, &payload).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        body in prop::collection::vec(any::<u8>(), 0..256),
        value in prop::collection::vec(any::<u8>(), 0..96),
        fields in prop::collection::vec(any::<u8>(), 0..32),
    ) {
        let headers = [
            ("x-webhook-secret", value.clone()),
            ("x-signature", value.clone()),
            ("x-fields", fields),
            ("x-hash", value.clone()),
        ];
        for scheme in request_schemes() {
            let _ = scheme.verify(&headers, &body);
        }
        let text = String::from_utf8_lossy(&value);
        let ids = Ids { account_id: text.to_string(), callback_id: String::from_utf8_lossy(&body).into() };
        let _ = md5_scheme().verify(&ids, &text);
    }

    #[test]
    fn hmac_round_trips_and_rejects_any_changed_byte(
        body in prop::collection::vec(any::<u8>(), 1..512),
        index in any::<prop::sample::Index>(),
        flip in 1u8..=255,
        base64 in any::<bool>(),
    ) {
        let encoding = if base64 { SignatureEncoding::Base64 } else { SignatureEncoding::Hex };
        let scheme = HmacSha256::new(SIGNATURE, secret()).with_prefix("v1=").with_encoding(encoding);
        let signature = scheme.sign(&body);
        prop_assert!(scheme.verify(&[("X-Signature", signature.as_str())], &body).is_ok());

        let mut tampered = body.clone();
        tampered[index.index(body.len())] ^= flip;
        let err = scheme.verify(&[("X-Signature", signature.as_str())], &tampered).unwrap_err();
        prop_assert_eq!(err.kind(), ErrorKind::SignatureMismatch);
    }

    #[test]
    fn shared_secret_round_trips_and_rejects_any_changed_byte(
        presented in "[!-~]{1,64}",
        index in any::<prop::sample::Index>(),
        flip in 1u8..=127,
    ) {
        let scheme = SharedSecretHeader::new(SECRET_HEADER, Secret::new(presented.as_str()).unwrap());
        prop_assert!(scheme.verify(&[("x-webhook-secret", presented.as_str())], b"").is_ok());

        let mut tampered = presented.clone().into_bytes();
        tampered[index.index(presented.len())] ^= flip;
        prop_assert!(scheme.verify(&[("x-webhook-secret", tampered)], b"").is_err());
    }

    #[test]
    fn field_concat_round_trips_and_rejects_any_changed_signed_byte(
        (body, spans, fields) in signed_body(),
        which in any::<prop::sample::Index>(),
        offset in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let hash = sign_fields(&body, &fields);
        let headers = [("x-fields", fields.as_str()), ("x-hash", hash.as_str())];
        let scheme = field_concat();
        let (_, signed) = scheme.verify_body(&headers, body.as_bytes()).unwrap();
        prop_assert_eq!(signed.iter().collect::<Vec<_>>().join(","), fields.clone());

        let (start, end) = spans[which.index(spans.len())];
        let mut tampered = body.clone().into_bytes();
        tampered[start + offset.index(end - start)] ^= flip;
        prop_assert!(scheme.verify_body(&headers, &tampered).is_err());
    }

    #[test]
    fn salted_md5_round_trips_and_rejects_changed_ids(
        account_id in any::<u64>(),
        callback_id in any::<u64>(),
        delta in 1u64..1000,
    ) {
        let scheme = md5_scheme();
        let ids = Ids { account_id: account_id.to_string(), callback_id: callback_id.to_string() };
        let hash = scheme.sign(&ids).unwrap();
        prop_assert!(scheme.verify(&ids, &hash).is_ok());
        prop_assert!(scheme.verify(&ids, &hash.to_uppercase()).is_ok());

        let changed = Ids { account_id: account_id.to_string(), callback_id: callback_id.wrapping_add(delta).to_string() };
        prop_assert_eq!(scheme.verify(&changed, &hash).unwrap_err().kind(), ErrorKind::SignatureMismatch);
    }
}

/// Every provider: what the `testing` feature signs verifies and comes back as it went in, and
/// changing any single signed byte is rejected.
mod providers {
    use hookproof::cedar::{Cedar, Event as CedarEvent};
    use hookproof::inplayer::{Event as InPlayerEvent, InPlayer};
    use hookproof::platfone::Platfone;
    use hookproof::platnova::{Event as PlatnovaEvent, Platnova};
    use hookproof::testing::{cedar, inplayer, platfone, platnova, voximplant};
    use hookproof::verify::HmacSha256;
    use hookproof::{Provider, Secret};
    use http::HeaderName;
    use proptest::prelude::*;

    fn secret() -> Secret {
        Secret::new("provider-property-secret").unwrap()
    }

    /// Money as providers write it.
    fn amount() -> impl Strategy<Value = String> {
        (0u32..1_000_000, 0u32..100).prop_map(|(units, cents)| format!("{units}.{cents:02}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn platnova(name in "[A-Za-z][A-Za-z ]{0,30}", amount in amount(), index in any::<prop::sample::Index>(), flip in 1u8..=127) {
            let body = platnova::sample("card.charged").unwrap().body
                .replace("John Doe", &name)
                .replace(r#""amount": 50.00"#, &format!(r#""amount": {amount}"#));
            let request = platnova::signed_request(&Platnova::new(secret()), body.clone()).unwrap();
            let notification = Platnova::new(secret()).verify_and_parse(&request.headers, &request.body).unwrap();
            let PlatnovaEvent::CardCharged(charge) = notification.event else { panic!() };
            prop_assert_eq!(charge.card_holder_name, Some(name.clone()));
            prop_assert_eq!(charge.amount.as_str(), amount.as_str());

            // The secret is what Platnova signs with: any changed byte of it is refused.
            let mut presented = request.headers[0].1.clone().into_bytes();
            let at = index.index(presented.len());
            presented[at] ^= flip;
            let headers = [("x-webhook-secret", presented)];
            prop_assert!(Platnova::new(secret()).verify_and_parse(&headers, body.as_bytes()).is_err());
        }

        #[test]
        fn inplayer(email in "[a-z]{1,12}@[a-z]{1,8}\\.com", amount in amount(), index in any::<prop::sample::Index>(), flip in 1u8..=255) {
            let body = inplayer::form_body([
                ("id", "WHE-property"), ("created", "1700000000"), ("type", "payment.card.success"),
                ("resource[email]", email.as_str()), ("resource[amount]", amount.as_str()),
            ]);
            let request = inplayer::signed_request(&InPlayer::new(secret()), body).unwrap();
            let notification = InPlayer::new(secret()).verify_and_parse(&request.headers, &request.body).unwrap();
            let InPlayerEvent::PaymentCardSuccess(payment) = notification.event else { panic!() };
            prop_assert_eq!(payment.email.as_deref(), Some(email.as_str()));
            let paid = payment.amount.unwrap();
            prop_assert_eq!(paid.as_str(), amount.as_str());

            let mut tampered = request.body.clone();
            let at = index.index(tampered.len());
            tampered[at] ^= flip;
            prop_assert!(InPlayer::new(secret()).verify_and_parse(&request.headers, &tampered).is_err());
        }

        #[test]
        fn cedar(id in any::<u64>(), status in "[A-Z_]{1,20}", offset in any::<prop::sample::Index>(), flip in 1u8..=127) {
            let body = format!(r#"{{"event":"BusinessKycStatusChanged","id":{id},"status":"{status}","note":"unsigned"}}"#);
            let request = cedar::signed_request_with_fields(&Cedar::new(secret()), body.clone(), cedar::SIGNED_FIELDS).unwrap();
            let notification = Cedar::new(secret()).verify_and_parse(&request.headers, &request.body).unwrap();
            let CedarEvent::BusinessKycStatusChanged(kyc) = notification.event else { panic!() };
            prop_assert_eq!(kyc.id.as_ref().and_then(|id| id.as_u64()), Some(id));
            prop_assert_eq!(kyc.status.as_str(), status.as_str());

            // Any byte of the signed values `id` and `status`.
            let id_at = body.find(&format!(":{id},")).unwrap() + 1;
            let status_at = body.find(&format!("\"{status}\"")).unwrap() + 1;
            let signed: Vec<usize> = (id_at..id_at + id.to_string().len()).chain(status_at..status_at + status.len()).collect();
            let mut tampered = body.into_bytes();
            tampered[signed[offset.index(signed.len())]] ^= flip;
            prop_assert!(Cedar::new(secret()).verify_and_parse(&request.headers, &tampered).is_err());
        }

        #[test]
        fn voximplant(account_id in 1u64..u64::MAX, callback_id in any::<u64>(), which in any::<bool>(), offset in any::<prop::sample::Index>(), digit in 0u8..10) {
            let (salt, api_key) = (Secret::new(voximplant::TEST_SALT).unwrap(), Secret::new(voximplant::TEST_API_KEY).unwrap());
            let body = format!(r#"{{"callbacks":[{{"callback_id":{callback_id},"type":"js_fail","account_id":{account_id},"hash":"","balance":1,"currency":"USD"}}]}}"#);
            let signed = String::from_utf8(voximplant::signed_request(&hookproof::voximplant::Voximplant::new(salt, api_key), body).unwrap().body).unwrap();
            let notification = voximplant::test_receiver().verify_and_parse(&[("a", "b")], signed.as_bytes()).unwrap();
            prop_assert_eq!((notification.callbacks[0].account_id, notification.callbacks[0].callback_id), (account_id, callback_id));

            // Any digit of the signed account or callback id, changed to another digit.
            let (field, value) = if which { ("account_id", account_id) } else { ("callback_id", callback_id) };
            let start = signed.find(&format!("\"{field}\":{value}")).unwrap() + field.len() + 3;
            let at = start + offset.index(value.to_string().len());
            let mut tampered = signed.into_bytes();
            let replacement = b'0' + digit;
            prop_assume!(tampered[at] != replacement && !(at == start && replacement == b'0'));
            tampered[at] = replacement;
            prop_assert!(voximplant::test_receiver().verify_and_parse(&[("a", "b")], &tampered).is_err());
        }

        #[test]
        fn platfone(code in "[0-9]{4,8}", price in amount(), index in any::<prop::sample::Index>(), flip in 1u8..=255) {
            let scheme = HmacSha256::new(HeaderName::from_static("x-platfone-signature"), secret()).with_prefix("sha256=");
            let body = format!(r#"{{"id":"e","type":"activation.updated","data":{{"sms_code":"{code}","price":{price}}}}}"#);
            let request = platfone::signed_request(&scheme, body).unwrap();
            let notification = Platfone::new(scheme.clone()).verify_and_parse(&request.headers, &request.body).unwrap();
            let activation = notification.event.activation().unwrap();
            prop_assert_eq!(activation.sms_code.as_deref(), Some(code.as_str()));
            prop_assert_eq!(activation.price.as_ref().unwrap().as_str(), price.as_str());

            let mut tampered = request.body.clone();
            let at = index.index(tampered.len());
            tampered[at] ^= flip;
            prop_assert!(Platfone::new(scheme).verify_and_parse(&request.headers, &tampered).is_err());
        }
    }
}

/// Cedar's fields header against bodies with literal dotted keys: generated lists with repeats,
/// long lists and dotted names get the verdict an independent model of the spec's rules gives,
/// and whatever the signer signs verifies.
mod cedar_field_lists {
    use hookproof::cedar::Cedar;
    use hookproof::testing::cedar::signed_request_with_fields;
    use hookproof::{ErrorKind, Provider, Secret};
    use proptest::prelude::*;
    use serde_json::Value;

    /// Members a body may hold: plain, nested, and keys with dots that regroup nested paths.
    const MEMBERS: &[(&str, &str)] = &[
        ("id", "1"),
        ("status", r#""VALID""#),
        ("note", "null"),
        ("data", r#"{"id":2,"x":{"y":3},"x.y":6,"list":[1]}"#),
        ("data.id", "5"),
        ("x.y", "4"),
        ("x", r#"{"y":7}"#),
        ("a", r#"{"b":{"c":{"d":"v"}}}"#),
        ("a.b", r#"{"c":{"d":"w"},"x":1}"#),
    ];
    /// Names a header may list.
    const NAMES: &[&str] = &[
        "id",
        "status",
        "note",
        "data",
        "data.id",
        "data.x.y",
        "data.list",
        "x.y",
        "a.b.c.d",
        "a.b.c",
        "a.b",
        "missing",
        "data.missing",
        "a.b.c.d.e",
    ];

    /// The readings of `name` in `body`: every grouping of its dot-separated parts into keys.
    fn readings<'v>(body: &'v Value, name: &str) -> (usize, Option<&'v Value>) {
        let parts: Vec<&str> = name.split('.').collect();
        let splits = parts.len() - 1;
        let (mut count, mut chosen) = (0, None);
        for mask in 0u32..(1 << splits) {
            let mut keys = vec![parts[0].to_owned()];
            for (at, part) in parts[1..].iter().enumerate() {
                if mask & (1 << at) != 0 {
                    keys.push((*part).to_owned());
                } else {
                    let last = keys.last_mut().unwrap();
                    last.push('.');
                    last.push_str(part);
                }
            }
            let found = keys.iter().try_fold(body, |value, key| value.get(key));
            if let Some(found) = found {
                count += 1;
                if mask == 0 || mask == (1 << splits) - 1 {
                    chosen = Some(found);
                }
            }
        }
        (count, chosen)
    }

    /// What the spec's rules say of `names` over `body`: `None` when it verifies.
    fn expected(names: &[&str], body: &Value) -> Option<ErrorKind> {
        if names.len() > 32
            || names.iter().any(|n| n.split('.').count() > 4)
            || names
                .iter()
                .enumerate()
                .any(|(i, n)| names[..i].contains(n))
        {
            return Some(ErrorKind::MalformedHeader);
        }
        for name in names {
            match readings(body, name) {
                (count, _) if count > 1 => return Some(ErrorKind::AmbiguousPayload),
                (_, Some(Value::Object(_) | Value::Array(_))) | (_, None) => {
                    return Some(ErrorKind::MissingSignedField);
                }
                _ => {}
            }
        }
        None
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn verdicts_follow_the_rules(
            members in proptest::sample::subsequence(MEMBERS.to_vec(), 1..=MEMBERS.len()),
            names in proptest::collection::vec(proptest::sample::select(NAMES.to_vec()), 1..40),
        ) {
            let body = format!(
                "{{{}}}",
                members.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect::<Vec<_>>().join(",")
            );
            let model: Value = serde_json::from_str(&body).unwrap();
            let secret = Secret::new("cedar-property-secret").unwrap();
            let cedar = Cedar::new(secret.clone());
            let expected = expected(&names, &model);
            match signed_request_with_fields(&cedar, body.clone(), &names) {
                Ok(request) => {
                    prop_assert_eq!(expected, None, "signed although the rules refuse it");
                    prop_assert!(cedar.verify(&request.headers, &request.body).is_ok());
                }
                Err(error) => prop_assert_eq!(Some(error.kind()), expected),
            }
            let headers = [
                ("X-Webhook-Security-Fields", names.join(",")),
                ("X-Webhook-Security-Hash", "0".repeat(64)),
            ];
            let error = cedar.verify(&headers, body.as_bytes()).unwrap_err();
            prop_assert_eq!(Some(error.kind()), expected.or(Some(ErrorKind::SignatureMismatch)));
        }
    }
}
