//! The cases every framework integration must answer the same way, for all five providers.

#![allow(dead_code)] // Each test binary uses the part it needs.

use hookproof::cedar::Cedar;
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::testing::{SignedRequest, cedar, inplayer, platfone, platnova, voximplant};
use hookproof::verify::HmacSha256;
use hookproof::voximplant::Voximplant;
use hookproof::{Delivery, Receiver, Secret};
use http::HeaderName;

/// Small enough that an oversized body is cheap to build.
pub const BODY_LIMIT: usize = 4096;

pub fn secret(text: &str) -> Secret {
    Secret::new(text).unwrap()
}

pub fn platnova() -> Receiver<Platnova> {
    Receiver::new(Platnova::new(secret("pn_test"))).with_body_limit(BODY_LIMIT)
}

pub fn inplayer() -> Receiver<InPlayer> {
    Receiver::new(InPlayer::new(secret("ip_test"))).with_body_limit(BODY_LIMIT)
}

pub fn cedar() -> Receiver<Cedar> {
    Receiver::new(Cedar::new(secret("cedar_test"))).with_body_limit(BODY_LIMIT)
}

pub fn voximplant() -> Receiver<Voximplant> {
    Receiver::new(voximplant::test_receiver()).with_body_limit(BODY_LIMIT)
}

pub fn platfone_scheme() -> HmacSha256 {
    HmacSha256::new(
        HeaderName::from_static("x-platfone-signature"),
        secret("pf_test"),
    )
    .with_prefix("sha256=")
}

pub fn platfone() -> Receiver<Platfone<HmacSha256>> {
    Receiver::new(Platfone::new(platfone_scheme())).with_body_limit(BODY_LIMIT)
}

/// Receivers that refuse drifted payloads (422), as a team might run in development.
pub mod strict {
    use super::*;

    pub fn platnova() -> Receiver<Platnova> {
        Receiver::new(Platnova::new(secret("pn_test")).strict()).with_body_limit(BODY_LIMIT)
    }

    pub fn inplayer() -> Receiver<InPlayer> {
        Receiver::new(InPlayer::new(secret("ip_test")).strict()).with_body_limit(BODY_LIMIT)
    }

    pub fn cedar() -> Receiver<Cedar> {
        Receiver::new(Cedar::new(secret("cedar_test")).strict()).with_body_limit(BODY_LIMIT)
    }

    pub fn voximplant() -> Receiver<Voximplant> {
        Receiver::new(voximplant::test_receiver().strict()).with_body_limit(BODY_LIMIT)
    }

    pub fn platfone() -> Receiver<Platfone<HmacSha256>> {
        Receiver::new(Platfone::new(platfone_scheme()).strict()).with_body_limit(BODY_LIMIT)
    }
}

/// What a test handler answers: the event type(s) and the key that verified the request.
pub fn describe(event_types: &[&str], delivery: &impl Delivery) -> String {
    format!(
        "{} by {}",
        event_types.join(","),
        delivery.provenance().key_id()
    )
}

/// One request and the answer it must get.
pub struct Case {
    pub provider: &'static str,
    pub what: &'static str,
    pub request: SignedRequest,
    pub status: u16,
    /// The body a 200 answer must have.
    pub answer: Option<&'static str>,
}

impl Case {
    pub fn path(&self) -> String {
        format!("/webhooks/{}", self.provider)
    }
}

fn case(provider: &'static str, what: &'static str, request: SignedRequest, status: u16) -> Case {
    Case {
        provider,
        what,
        request,
        status,
        answer: None,
    }
}

fn ok(provider: &'static str, request: SignedRequest, answer: &'static str) -> Case {
    Case {
        provider,
        what: "a valid signed request",
        request,
        status: 200,
        answer: Some(answer),
    }
}

/// A verified known event with one field in a shape hookproof does not model: delivered (200,
/// the handler sees the event type), or refused with 422 by a [`strict`] receiver.
fn drifted(
    provider: &'static str,
    what: &'static str,
    request: SignedRequest,
    answer: &'static str,
) -> Case {
    Case {
        provider,
        what,
        request,
        status: 200,
        answer: Some(answer),
    }
}

/// The drifted cases, each to be refused with 422 by a [`strict`] receiver.
pub fn drifted_cases() -> Vec<Case> {
    cases()
        .into_iter()
        .filter(|case| case.what.starts_with("drift: "))
        .collect()
}

fn without(mut request: SignedRequest, header: &str) -> SignedRequest {
    request
        .headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case(header));
    request
}

fn with_content_type(mut request: SignedRequest, value: &str) -> SignedRequest {
    request
        .headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
    request.with_header("content-type", value)
}

/// A signed request whose body exceeds [`BODY_LIMIT`].
pub fn oversized(provider: &'static str) -> SignedRequest {
    let padding = " ".repeat(2 * BODY_LIMIT);
    match provider {
        "platnova" => {
            platnova::signed_request(&Platnova::new(secret("pn_test")), format!("{{{padding}}}"))
                .unwrap()
        }
        "inplayer" => inplayer::signed_request(
            &InPlayer::new(secret("ip_test")),
            format!("id=1&x={padding}"),
        )
        .unwrap(),
        "cedar" => cedar::signed_request_with_fields(
            &Cedar::new(secret("cedar_test")),
            format!(r#"{{"id":1,"status":"NEW"{padding}}}"#),
            &["id"],
        )
        .unwrap(),
        "voximplant" => SignedRequest {
            headers: vec![],
            body: format!("{{{padding}}}").into_bytes(),
        },
        _ => platfone::signed_request(&platfone_scheme(), format!("{{{padding}}}")).unwrap(),
    }
}

pub const PROVIDERS: [&str; 5] = ["platnova", "inplayer", "cedar", "voximplant", "platfone"];

pub fn cases() -> Vec<Case> {
    let card_charged = platnova::sample("card.charged").unwrap().body;
    let payment = inplayer::sample("payment.card.success").unwrap().body;
    let kyc = cedar::sample("BusinessKycStatusChanged").unwrap().body;
    let sms = voximplant::sample("sms_inbound").unwrap().body;
    let activation = platfone::sample("activation.updated").unwrap().body;
    let (salt, api_key) = (
        secret(voximplant::TEST_SALT),
        secret(voximplant::TEST_API_KEY),
    );
    let vox = |body: &str| {
        voximplant::signed_request(&Voximplant::new(salt.clone(), api_key.clone()), body).unwrap()
    };
    vec![
        ok(
            "platnova",
            platnova::signed_request(&Platnova::new(secret("pn_test")), card_charged).unwrap(),
            "card.charged by default",
        ),
        case(
            "platnova",
            "a wrong secret",
            platnova::signed_request(&Platnova::new(secret("pn_guess")), card_charged).unwrap(),
            401,
        ),
        case(
            "platnova",
            "no secret header",
            without(
                platnova::signed_request(&Platnova::new(secret("pn_test")), card_charged).unwrap(),
                "x-webhook-secret",
            ),
            400,
        ),
        case(
            "platnova",
            "malformed JSON",
            platnova::signed_request(&Platnova::new(secret("pn_test")), "{\"event\":").unwrap(),
            400,
        ),
        drifted(
            "platnova",
            "drift: a mistyped amount",
            platnova::signed_request(
                &Platnova::new(secret("pn_test")),
                card_charged.replace(r#""amount": 50.00"#, r#""amount": "fifty""#),
            )
            .unwrap(),
            "card.charged by default",
        ),
        ok(
            "inplayer",
            inplayer::signed_request(&InPlayer::new(secret("ip_test")), payment).unwrap(),
            "payment.card.success by default",
        ),
        case(
            "inplayer",
            "a wrong secret",
            inplayer::signed_request(&InPlayer::new(secret("ip_guess")), payment).unwrap(),
            401,
        ),
        case(
            "inplayer",
            "no signature header",
            without(
                inplayer::signed_request(&InPlayer::new(secret("ip_test")), payment).unwrap(),
                "x-inplayer-signature",
            ),
            400,
        ),
        case(
            "inplayer",
            "malformed form keys",
            inplayer::signed_request(
                &InPlayer::new(secret("ip_test")),
                "id=1&created=1&type=x&resource[a=1",
            )
            .unwrap(),
            400,
        ),
        drifted(
            "inplayer",
            "drift: a mistyped amount",
            inplayer::signed_request(
                &InPlayer::new(secret("ip_test")),
                payment.replace("amount%5D=10.00", "amount%5D=ten"),
            )
            .unwrap(),
            "payment.card.success by default",
        ),
        case(
            "inplayer",
            "a JSON content type",
            with_content_type(
                inplayer::signed_request(&InPlayer::new(secret("ip_test")), payment).unwrap(),
                "application/json",
            ),
            415,
        ),
        ok(
            "cedar",
            cedar::signed_request_with_fields(
                &Cedar::new(secret("cedar_test")),
                kyc,
                cedar::SIGNED_FIELDS,
            )
            .unwrap(),
            "BusinessKycStatusChanged by default",
        ),
        case(
            "cedar",
            "a wrong secret",
            cedar::signed_request_with_fields(
                &Cedar::new(secret("cedar_guess")),
                kyc,
                cedar::SIGNED_FIELDS,
            )
            .unwrap(),
            401,
        ),
        case(
            "cedar",
            "no fields header",
            without(
                cedar::signed_request_with_fields(
                    &Cedar::new(secret("cedar_test")),
                    kyc,
                    cedar::SIGNED_FIELDS,
                )
                .unwrap(),
                "x-webhook-security-fields",
            ),
            400,
        ),
        case(
            "cedar",
            "malformed JSON",
            cedar::signed_request_with_fields(
                &Cedar::new(secret("cedar_test")),
                kyc,
                cedar::SIGNED_FIELDS,
            )
            .unwrap()
            .with_body(&b"{\"id\":"[..]),
            400,
        ),
        drifted(
            "cedar",
            "drift: a mistyped status",
            cedar::signed_request_with_fields(
                &Cedar::new(secret("cedar_test")),
                r#"{"event":"BusinessKycStatusChanged","id":1,"status":2}"#,
                cedar::SIGNED_FIELDS,
            )
            .unwrap(),
            "BusinessKycStatusChanged by default",
        ),
        case(
            "cedar",
            "a text content type",
            with_content_type(
                cedar::signed_request_with_fields(
                    &Cedar::new(secret("cedar_test")),
                    kyc,
                    cedar::SIGNED_FIELDS,
                )
                .unwrap(),
                "text/plain",
            ),
            415,
        ),
        ok("voximplant", vox(sms), "sms_inbound by default"),
        drifted(
            "voximplant",
            "drift: a mistyped SMS body",
            vox(&sms.replace("\"Hello ✓\"", "{\"text\":1}")),
            "sms_inbound by default",
        ),
        case(
            "voximplant",
            "a hash for another callback",
            vox(sms).with_body(sms.replacen("1026", "1027", 1)),
            401,
        ),
        case(
            "voximplant",
            "no hash in the callback",
            SignedRequest {
                headers: vec![],
                body: sms.replacen("\"hash\":", "\"hush\":", 1).into_bytes(),
            },
            400,
        ),
        case(
            "voximplant",
            "malformed JSON",
            SignedRequest {
                headers: vec![],
                body: b"{\"callbacks\":[".to_vec(),
            },
            400,
        ),
        case(
            "voximplant",
            "an empty batch",
            SignedRequest {
                headers: vec![],
                body: br#"{"callbacks":[]}"#.to_vec(),
            },
            422,
        ),
        ok(
            "platfone",
            platfone::signed_request(&platfone_scheme(), activation).unwrap(),
            "activation.updated by default",
        ),
        case(
            "platfone",
            "a tampered body",
            platfone::signed_request(&platfone_scheme(), activation)
                .unwrap()
                .with_body(activation.replace("123456", "654321")),
            401,
        ),
        case(
            "platfone",
            "no signature header",
            without(
                platfone::signed_request(&platfone_scheme(), activation).unwrap(),
                "x-platfone-signature",
            ),
            400,
        ),
        case(
            "platfone",
            "malformed JSON",
            platfone::signed_request(&platfone_scheme(), "{\"type\"").unwrap(),
            400,
        ),
        drifted(
            "platfone",
            "drift: a mistyped price",
            platfone::signed_request(&platfone_scheme(), activation.replace("0.25", "\"cheap\""))
                .unwrap(),
            "activation.updated by default",
        ),
    ]
}
