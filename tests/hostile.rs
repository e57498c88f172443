//! Hostile inputs return an error (or a verified notification) in bounded time and memory, never
//! a panic or a hang. Each input runs on its own thread with a generous deadline; the deadline
//! catches a hang, it does not measure speed (that is for the benches).

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use hookproof::cedar::Cedar;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::testing::{SignedRequest, cedar, inplayer, platfone, platnova, voximplant};
use hookproof::verify::HmacSha256;
use hookproof::voximplant::Voximplant;
use hookproof::{Error, ErrorKind, Provider, Receiver, Secret};
use http::HeaderName;

/// Runs `check` on a thread and fails the test if it has not finished within the deadline.
fn promptly<T: Send + 'static>(what: &str, check: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, finished) = mpsc::channel();
    thread::spawn(move || done.send(check()));
    finished
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("{what}: no answer within 30 s"))
}

fn secret(text: &str) -> Secret {
    Secret::new(text).unwrap()
}

fn via_platnova(body: Vec<u8>) -> Result<(), Error> {
    let request = platnova::signed_request(&Platnova::new(secret("s")), body).unwrap();
    Platnova::new(secret("s"))
        .verify_and_parse(&request.headers, &request.body)
        .map(drop)
}

fn via_inplayer(body: Vec<u8>) -> Result<(), Error> {
    let request = inplayer::signed_request(&InPlayer::new(secret("s")), body).unwrap();
    InPlayer::new(secret("s"))
        .verify_and_parse(&request.headers, &request.body)
        .map(drop)
}

fn via_cedar(body: Vec<u8>) -> Result<(), Error> {
    let headers = [
        ("x-webhook-security-fields", "id"),
        ("x-webhook-security-hash", &"0".repeat(64)[..]),
    ];
    Cedar::new(secret("s"))
        .verify_and_parse(&headers, &body)
        .map(drop)
}

fn via_voximplant(body: Vec<u8>) -> Result<(), Error> {
    voximplant::test_receiver()
        .verify_and_parse(&[("a", "b")], &body)
        .map(drop)
}

fn via_platfone(body: Vec<u8>) -> Result<(), Error> {
    let scheme = HmacSha256::new(HeaderName::from_static("x-signature"), secret("s"));
    let request = platfone::signed_request(&scheme, body).unwrap();
    Platfone::new(scheme)
        .verify_and_parse(&request.headers, &request.body)
        .map(drop)
}

type Via = fn(Vec<u8>) -> Result<(), Error>;

const JSON_PROVIDERS: [(&str, Via); 4] = [
    ("platnova", via_platnova),
    ("cedar", via_cedar),
    ("voximplant", via_voximplant),
    ("platfone", via_platfone),
];

fn kind_of(what: &str, via: Via, body: Vec<u8>) -> Option<ErrorKind> {
    promptly(what, move || via(body).err().map(|error| error.kind()))
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn deeply_nested_json() {
    for depth in [1_000, 100_000] {
        let bodies = [
            // Where a typed field is read, in a member nothing reads, and unclosed.
            format!(
                r#"{{"event":"card.charged","type":"activation.updated","data":{},"callbacks":{}}}"#,
                nested(depth),
                nested(depth)
            ),
            format!(
                r#"{{"id":1,"ignored":{},"callbacks":[{{"x":{}}}],"data":{{"y":{}}}}}"#,
                nested(depth),
                nested(depth),
                nested(depth)
            ),
            format!(
                r#"{{"event":"x","timestamp":"t","customer_id":"","type":"x","data":{}"#,
                "[".repeat(depth)
            ),
        ];
        for (provider, via) in JSON_PROVIDERS {
            for body in &bodies {
                let kind = kind_of(provider, via, body.clone().into_bytes());
                assert!(
                    matches!(
                        kind,
                        Some(
                            ErrorKind::PayloadSyntax
                                | ErrorKind::PayloadData
                                | ErrorKind::SignatureMismatch
                                | ErrorKind::MissingSignedField
                        )
                    ),
                    "{provider}, depth {depth}: {kind:?}"
                );
            }
        }
    }
    // Unknown events keep their payload raw; a deep one is refused rather than kept, for every
    // provider that keeps raw JSON. These requests are signed, so the check is reached.
    let deep = nested(100_000);
    let unknown = format!(r#"{{"event":"x","timestamp":"t","customer_id":"","data":{deep}}}"#);
    assert_eq!(
        kind_of("platnova", via_platnova, unknown.into_bytes()),
        Some(ErrorKind::PayloadSyntax)
    );
    let unknown = format!(r#"{{"type":"x","data":{deep}}}"#);
    assert_eq!(
        kind_of("platfone", via_platfone, unknown.into_bytes()),
        Some(ErrorKind::PayloadSyntax)
    );
    let shape = format!(r#"{{"type":"customer.updated","data":{{"status":{deep}}}}}"#);
    assert_eq!(
        kind_of("platfone", via_platfone, shape.into_bytes()),
        Some(ErrorKind::PayloadSyntax)
    );
    let request = cedar::signed_request_with_fields(
        &Cedar::new(secret("s")),
        format!(r#"{{"id":1,"status":"x","deep":{deep}}}"#),
        &["id"],
    )
    .unwrap();
    let kind = promptly("cedar", move || {
        Cedar::new(secret("s"))
            .verify_and_parse(&request.headers, &request.body)
            .err()
            .map(|e| e.kind())
    });
    assert_eq!(kind, Some(ErrorKind::PayloadSyntax));
    let (salt, api_key) = (
        secret(voximplant::TEST_SALT),
        secret(voximplant::TEST_API_KEY),
    );
    let callback = format!(
        r#"{{"callbacks":[{{"callback_id":1,"account_id":1,"type":"new_kind","hash":"","balance":0,"currency":"EUR","new_kind":{deep}}}]}}"#
    );
    let signed = voximplant::signed_request(&Voximplant::new(salt, api_key), callback)
        .unwrap()
        .body;
    assert_eq!(
        kind_of("voximplant", via_voximplant, signed),
        Some(ErrorKind::PayloadSyntax)
    );
    // Within the limit, raw data is kept as sent.
    let shallow = format!(
        r#"{{"event":"x","timestamp":"t","customer_id":"","data":{}}}"#,
        nested(100)
    );
    assert_eq!(
        kind_of("platnova", via_platnova, shallow.into_bytes()),
        None
    );
}

#[test]
fn deeply_nested_bracket_keys() {
    for body in [
        format!("id=1&created=1&type=x&resource{}=1", "[".repeat(100_000)),
        format!("id=1&created=1&type=x&resource{}=1", "[a]".repeat(100_000)),
        format!("id=1&created=1&type=x&resource{}=1", "[]".repeat(100_000)),
        format!("id=1&created=1&type=x&{}a=1", "]".repeat(100_000)),
    ] {
        assert_eq!(
            kind_of("inplayer", via_inplayer, body.into_bytes()),
            Some(ErrorKind::PayloadSyntax)
        );
    }
}

#[test]
fn a_hundred_thousand_form_pairs() {
    let body = format!("id=1&created=1&type=x{}", "&resource[k]=v".repeat(100_000));
    assert_eq!(
        kind_of("inplayer", via_inplayer, body.into_bytes()),
        Some(ErrorKind::PayloadSyntax)
    );
    let distinct: String = (0..100_000).map(|i| format!("&resource[k{i}]=v")).collect();
    let body = format!("id=1&created=1&type=x{distinct}");
    assert_eq!(
        kind_of("inplayer", via_inplayer, body.into_bytes()),
        Some(ErrorKind::PayloadSyntax)
    );
}

/// A known event whose amount is a number no decimal type holds: delivered as drifted by
/// default (its raw body intact), refused as data by a strict receiver.
fn drifts_or_is_refused_as_data(
    what: &str,
    provider: impl Provider + 'static,
    strict: impl Provider + 'static,
    request: SignedRequest,
) {
    let delivered = provider.verify_and_parse(&request.headers, &request.body);
    assert!(delivered.is_ok(), "{what}: {:?}", delivered.err());
    let refused = strict
        .verify_and_parse(&request.headers, &request.body)
        .err();
    assert_eq!(
        refused.map(|error| error.kind()),
        Some(ErrorKind::PayloadData),
        "{what}"
    );
}

#[test]
fn huge_numbers() {
    let charge = platnova::sample("card.charged")
        .unwrap()
        .body
        .replace("50.00", "1e400");
    drifts_or_is_refused_as_data(
        "platnova",
        Platnova::new(secret("s")),
        Platnova::new(secret("s")).strict(),
        platnova::signed_request(&Platnova::new(secret("s")), charge).unwrap(),
    );
    let payment = inplayer::sample("payment.card.success")
        .unwrap()
        .body
        .replace("amount%5D=10.00", "amount%5D=1e400");
    drifts_or_is_refused_as_data(
        "inplayer",
        InPlayer::new(secret("s")),
        InPlayer::new(secret("s")).strict(),
        inplayer::signed_request(&InPlayer::new(secret("s")), payment).unwrap(),
    );
    // Valid JSON, but not a callback id: the number is kept as text and rejected as data.
    let callback = voximplant::sample("min_balance")
        .unwrap()
        .body
        .replace("\"callback_id\": 1014", "\"callback_id\": 1e400");
    assert_eq!(
        kind_of("voximplant", via_voximplant, callback.into_bytes()),
        Some(ErrorKind::PayloadData)
    );
    let activation = platfone::sample("activation.updated")
        .unwrap()
        .body
        .replace("0.25", "1e400");
    let scheme = HmacSha256::new(HeaderName::from_static("x-signature"), secret("s"));
    drifts_or_is_refused_as_data(
        "platfone",
        Platfone::new(scheme.clone()),
        Platfone::new(scheme.clone()).strict(),
        platfone::signed_request(&scheme, activation).unwrap(),
    );
    let digits = format!(r#"{{"id":1{},"status":"NEW"}}"#, "0".repeat(100_000));
    assert_eq!(
        kind_of("cedar", via_cedar, digits.into_bytes()),
        Some(ErrorKind::SignatureMismatch)
    );
    // A signed number JavaScript would print as Infinity is hashed that way, not refused.
    let request = cedar::signed_request_with_fields(
        &Cedar::new(secret("s")),
        r#"{"id":1e400,"status":"NEW"}"#,
        &["id", "status"],
    )
    .unwrap();
    let outcome = promptly("cedar", move || {
        Cedar::new(secret("s"))
            .verify_and_parse(&request.headers, &request.body)
            .map(drop)
    });
    assert!(outcome.is_ok(), "{outcome:?}");
}

#[test]
fn invalid_utf8() {
    for (provider, via) in JSON_PROVIDERS {
        let body = b"{\"event\":\"\xff\xfe\",\"id\":1}".to_vec();
        assert_eq!(
            kind_of(provider, via, body),
            Some(ErrorKind::PayloadSyntax),
            "{provider}"
        );
    }
    for body in [
        &b"id=%FF&created=1&type=x"[..],
        b"id=\xff&created=1&type=x",
        b"resource[\xc3]=1",
    ] {
        assert_eq!(
            kind_of("inplayer", via_inplayer, body.to_vec()),
            Some(ErrorKind::PayloadSyntax)
        );
    }
}

#[test]
fn multi_megabyte_strings() {
    let huge = "x".repeat(5 * 1024 * 1024);
    let body = platnova::sample("card.charged")
        .unwrap()
        .body
        .replace("John Doe", &huge);
    // Read directly, a long string is just a string...
    assert_eq!(
        kind_of("platnova", via_platnova, body.clone().into_bytes()),
        None
    );
    // ...and through a receiver it is over the body limit.
    let receiver = Receiver::new(Platnova::new(secret("s")));
    let request = platnova::signed_request(&Platnova::new(secret("s")), body).unwrap();
    let kind = promptly("receiver", move || {
        receiver
            .receive(&request.headers, &request.body)
            .err()
            .map(|e| e.kind())
    });
    assert_eq!(kind, Some(ErrorKind::BodyTooLarge));

    let form = format!("id={huge}&created=1&type=x");
    assert_eq!(kind_of("inplayer", via_inplayer, form.into_bytes()), None);
    let unknown_kind = format!(
        r#"{{"callbacks":[{{"callback_id":1,"account_id":1,"type":"{huge}","hash":"00000000000000000000000000000000","balance":0,"currency":"EUR"}}]}}"#
    );
    assert_eq!(
        kind_of("voximplant", via_voximplant, unknown_kind.into_bytes()),
        Some(ErrorKind::SignatureMismatch)
    );
}

#[test]
fn header_values_with_control_bytes() {
    let body = platnova::sample("card.funded").unwrap().body.as_bytes();
    for value in [
        &b"s\n"[..],
        b"s\r\nx-injected: 1",
        b"\0s",
        b"s\x7f",
        b"\x1b[31ms",
    ] {
        let headers = [("x-webhook-secret", value)];
        let err = Platnova::new(secret("s"))
            .verify_and_parse(&headers, body)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MalformedHeader, "{value:?}");
        assert!(!err.to_string().contains('\n'));
    }
    let form = inplayer::sample("payment.card.success")
        .unwrap()
        .body
        .as_bytes();
    let headers = [("x-inplayer-signature", &b"sha256=\x00"[..])];
    let err = InPlayer::new(secret("s"))
        .verify_and_parse(&headers, form)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MalformedHeader);
    let headers = [
        ("x-webhook-security-fields", &b"id,\x07status"[..]),
        ("x-webhook-security-hash", b"00"),
    ];
    let err = Cedar::new(secret("s"))
        .verify_and_parse(&headers, br#"{"id":1}"#)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MalformedHeader);
}

/// `body` with `count` distinct extra members added at the start of the object at `at`.
fn widened(body: &str, at: &str, count: usize) -> String {
    let extra: String = (0..count).map(|i| format!("\"extra{i}\":0,")).collect();
    let open = body.find(at).expect("the marker is in the sample") + at.len();
    format!("{}{extra}{}", &body[..open], &body[open..])
}

/// Unknown members are read once each: a wide object costs linear time, even where duplicates
/// among them must be refused.
#[test]
fn a_hundred_thousand_json_members() {
    let charge = platnova::sample("card.charged").unwrap().body;
    let wide = widened(charge, "{", 100_000);
    assert_eq!(kind_of("platnova", via_platnova, wide.into_bytes()), None);
    let activation = platfone::sample("activation.updated").unwrap().body;
    let wide = widened(activation, "{", 100_000);
    assert_eq!(kind_of("platfone", via_platfone, wide.into_bytes()), None);
    // The all-zero hash is wrong, and is only compared once the whole body has been read.
    let status = cedar::sample("BusinessKycStatusChanged").unwrap().body;
    let wide = widened(status, "{", 100_000);
    assert_eq!(
        kind_of("cedar", via_cedar, wide.into_bytes()),
        Some(ErrorKind::SignatureMismatch)
    );
    // Voximplant keeps a callback's unknown members, so it checks them for duplicates.
    let callback = voximplant::sample("min_balance").unwrap().body;
    let wide = widened(callback, "\"callback_id\": 1014,", 100_000);
    assert_eq!(
        kind_of("voximplant", via_voximplant, wide.clone().into_bytes()),
        None
    );
    let repeated = widened(&wide, "\"callback_id\": 1014,", 1);
    assert_eq!(
        kind_of("voximplant", via_voximplant, repeated.into_bytes()),
        Some(ErrorKind::AmbiguousPayload)
    );
}
