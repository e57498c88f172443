//! No error message shows what the sender chose: a key, a header value or a listed field name
//! appears in no `Display` or `Debug` of any error, for any provider and error kind.
//!
//! Every request below carries the sender-chosen markers in the place under test and is
//! refused; the test then looks for the markers in everything the error prints.

use std::collections::BTreeSet;

use hookproof::cedar::Cedar;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::testing::{SignedRequest, cedar, inplayer, platfone, platnova, voximplant};
use hookproof::verify::HmacSha256;
use hookproof::voximplant::Voximplant;
use hookproof::{Error, Provider, Receiver, Secret};
use http::HeaderName;

/// What a sender might put in a key or a header: personal data and card numbers.
const EMAIL: &str = "jane.doe@example.com";
const CARD: &str = "card4111111111111111";
/// A harmless-looking token that is still the sender's choice, not one of hookproof's names.
const TOKEN: &str = "zq_sender_token";
const MARKERS: [&str; 3] = [EMAIL, CARD, TOKEN];

fn secret(text: &str) -> Secret {
    Secret::new(text).unwrap()
}

fn platfone_scheme() -> HmacSha256 {
    HmacSha256::new(
        HeaderName::from_static("x-platfone-signature"),
        secret("pf_test"),
    )
    .with_prefix("sha256=")
}

/// Receives `request` with the provider `receiver` holds, through `Receiver::receive`.
fn receive<P: Provider + 'static>(
    receiver: &Receiver<P>,
    request: &SignedRequest,
) -> Result<(), Error> {
    receiver
        .receive(&request.headers, &request.body)
        .map(|_| ())
}

fn replace_header(request: SignedRequest, name: &str, value: &str) -> SignedRequest {
    let mut headers: Vec<_> = request
        .headers
        .into_iter()
        .filter(|(header, _)| !header.eq_ignore_ascii_case(name))
        .collect();
    headers.push((name.to_owned(), value.to_owned()));
    SignedRequest { headers, ..request }
}

/// One refused request per place a sender-chosen name can reach an error.
fn cases() -> Vec<(&'static str, Result<(), Error>)> {
    // Strict, so that payloads of the wrong shape are refused: a drifted event carries the
    // same error, which must not leak either.
    let pn = Receiver::new(Platnova::new(secret("pn_test")).strict());
    let ip = Receiver::new(InPlayer::new(secret("ip_test")).strict());
    let cd = Receiver::new(Cedar::new(secret("cedar_test")).strict());
    let vx = Receiver::new(voximplant::test_receiver().strict());
    let pf = Receiver::new(Platfone::new(platfone_scheme()).strict());
    let salt = secret(voximplant::TEST_SALT);
    let api_key = secret(voximplant::TEST_API_KEY);
    let pn_signed =
        |body: String| platnova::signed_request(&Platnova::new(secret("pn_test")), body).unwrap();
    let ip_signed =
        |body: String| inplayer::signed_request(&InPlayer::new(secret("ip_test")), body).unwrap();
    let cd_signed = |body: &str, fields: &[&str]| {
        cedar::signed_request_with_fields(
            &Cedar::new(secret("cedar_test")),
            body.to_owned(),
            fields,
        )
        .unwrap()
    };
    let vx_signed = |body: String| {
        voximplant::signed_request(
            &Voximplant::new(salt.clone(), api_key.clone()),
            body.as_str(),
        )
        .unwrap()
    };
    let pf_signed = |body: String| platfone::signed_request(&platfone_scheme(), body).unwrap();
    let card_charged = platnova::sample("card.charged").unwrap().body;
    let kyc = r#"{"event":"BusinessKycStatusChanged","id":1,"status":"VALID"}"#;
    let min_balance = voximplant::sample("min_balance").unwrap().body;

    vec![
        // Platnova
        (
            "platnova: a wrong secret",
            receive(
                &pn,
                &replace_header(pn_signed(card_charged.into()), "x-webhook-secret", EMAIL),
            ),
        ),
        (
            "platnova: a value of the wrong type under a sender's key",
            receive(
                &pn,
                &pn_signed(
                    card_charged
                        .replacen("\"amount\"", &format!("\"{CARD}\":1,\"amount\""), 1)
                        .replace("50.00", &format!("\"{TOKEN}\"")),
                ),
            ),
        ),
        (
            "platnova: a duplicate envelope key",
            receive(
                &pn,
                &pn_signed(format!(
                    r#"{{"event":"{TOKEN}","event":"{EMAIL}","data":{{}}}}"#
                )),
            ),
        ),
        // InPlayer
        (
            "inplayer: a wrong signature",
            receive(
                &ip,
                &replace_header(
                    ip_signed("id=1&created=1&type=x".into()),
                    "x-inplayer-signature",
                    &format!("sha256={CARD}"),
                ),
            ),
        ),
        (
            "inplayer: a content type the sender chose",
            receive(
                &ip,
                &replace_header(
                    ip_signed("id=1&created=1&type=x".into()),
                    "content-type",
                    &format!("text/{EMAIL}"),
                ),
            ),
        ),
        (
            "inplayer: a key both a value and a group",
            receive(
                &ip,
                &ip_signed(format!(
                    "id=1&created=1&type=x&resource[{TOKEN}]=1&resource[{TOKEN}][{CARD}]=2"
                )),
            ),
        ),
        (
            "inplayer: a typed value that does not parse",
            receive(
                &ip,
                &ip_signed(format!(
                    "id=1&created=1&type=customer.registered&resource[id]={CARD}&resource[email]={EMAIL}"
                )),
            ),
        ),
        // Cedar
        (
            "cedar: a listed field the body lacks",
            receive(
                &cd,
                &replace_header(cd_signed(kyc, &["id"]), "x-webhook-security-fields", CARD),
            ),
        ),
        (
            "cedar: a listed field named twice",
            receive(
                &cd,
                &replace_header(
                    cd_signed(kyc, &["id"]),
                    "x-webhook-security-fields",
                    &format!("{CARD},{CARD}"),
                ),
            ),
        ),
        (
            "cedar: a dotted name read two ways",
            receive(
                &cd,
                &replace_header(
                    cd_signed(
                        &format!(r#"{{"{TOKEN}.{CARD}":1,"{TOKEN}":{{"{CARD}":2}},"id":1}}"#),
                        &["id"],
                    ),
                    "x-webhook-security-fields",
                    &format!("{TOKEN}.{CARD}"),
                ),
            ),
        ),
        (
            "cedar: a key given twice",
            receive(
                &cd,
                &cd_signed(kyc, &["id"])
                    .with_body(format!(r#"{{"id":1,"{EMAIL}":1,"{EMAIL}":2}}"#)),
            ),
        ),
        (
            "cedar: a key given twice inside a signed path",
            receive(
                &cd,
                &replace_header(
                    cd_signed(kyc, &["id"]).with_body(format!(
                        r#"{{"id":1,"{TOKEN}":{{"{EMAIL}":1,"{EMAIL}":2,"x":1}}}}"#
                    )),
                    "x-webhook-security-fields",
                    &format!("{TOKEN}.x"),
                ),
            ),
        ),
        (
            "cedar: an object listed as a signed field",
            receive(
                &cd,
                &replace_header(
                    cd_signed(kyc, &["id"]).with_body(format!(r#"{{"id":1,"{CARD}":{{}}}}"#)),
                    "x-webhook-security-fields",
                    CARD,
                ),
            ),
        ),
        (
            "cedar: a content type the sender chose",
            receive(
                &cd,
                &replace_header(
                    cd_signed(kyc, &["id"]),
                    "content-type",
                    &format!("application/{EMAIL}"),
                ),
            ),
        ),
        (
            "cedar: a hash that is not hex",
            receive(
                &cd,
                &replace_header(cd_signed(kyc, &["id"]), "x-webhook-security-hash", CARD),
            ),
        ),
        (
            "cedar: a wrong hash, a sender's request id",
            receive(
                &cd,
                &replace_header(
                    cd_signed(kyc, &["id"]),
                    "x-webhook-security-hash",
                    &"ab".repeat(32),
                )
                .with_header("X-Webhook-Request-UUID", EMAIL),
            ),
        ),
        // Voximplant
        (
            "voximplant: a member given twice",
            receive(
                &vx,
                &vx_signed(min_balance.into()).with_body(min_balance.replacen(
                    "\"type\"",
                    &format!("\"{EMAIL}\":1,\"{EMAIL}\":2,\"type\""),
                    1,
                )),
            ),
        ),
        (
            "voximplant: a hash that is not hex",
            receive(
                &vx,
                &SignedRequest {
                    headers: vec![],
                    body: min_balance
                        .replacen("\"type\"", &format!("\"hash\":\"{CARD}\",\"type\""), 1)
                        .into_bytes(),
                },
            ),
        ),
        (
            "voximplant: a typed value that does not parse",
            receive(&vx, &{
                // The hash covers ids only: the request stays signed with other data.
                let signed = vx_signed(min_balance.into());
                let body = String::from_utf8(signed.body.clone()).unwrap();
                signed.with_body(body.replace(
                    "\"is_min_credit\": false",
                    &format!("\"is_min_credit\": {{\"{TOKEN}\":\"{EMAIL}\"}}"),
                ))
            }),
        ),
        // Platfone
        (
            "platfone: a wrong signature",
            receive(
                &pf,
                &replace_header(
                    pf_signed(r#"{"type":"x","data":{}}"#.into()),
                    "x-platfone-signature",
                    &format!("sha256={TOKEN}"),
                ),
            ),
        ),
        (
            "platfone: a key given twice in an undocumented payload",
            receive(
                &pf,
                &pf_signed(format!(
                    r#"{{"type":"account.low_balance","data":{{"{EMAIL}":1,"{EMAIL}":2}}}}"#
                )),
            ),
        ),
        (
            "platfone: a typed value that does not parse",
            receive(
                &pf,
                &pf_signed(format!(
                    r#"{{"type":"activation.updated","data":{{"price":"{CARD}","{TOKEN}":1}}}}"#
                )),
            ),
        ),
    ]
}

#[test]
fn no_error_shows_a_sender_chosen_name() {
    let mut kinds = BTreeSet::new();
    for (what, outcome) in cases() {
        let error = match outcome {
            Err(error) => error,
            Ok(()) => panic!("{what}: accepted; the case must be refused"),
        };
        let shown = format!("{error}\n{error:?}");
        for marker in MARKERS {
            for part in [
                marker,
                &marker[..marker.len() / 2],
                &marker[marker.len() / 2..],
            ] {
                assert!(!shown.contains(part), "{what}: `{part}` in {shown}");
            }
        }
        kinds.insert(format!("{:?}", error.kind()));
    }
    // The cases reach every kind a sender's names can flow into.
    for kind in [
        "SignatureMismatch",
        "MalformedSignature",
        "MalformedHeader",
        "MissingSignedField",
        "AmbiguousPayload",
        "PayloadData",
        "UnsupportedContentType",
    ] {
        assert!(kinds.contains(kind), "no case reaches {kind}: {kinds:?}");
    }
}
