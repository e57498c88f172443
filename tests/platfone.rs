//! Platfone end to end: receiver-chosen verification, the three envelope spellings, typed
//! activations whose enums keep unknown values, and undocumented shapes kept as objects.
//! Signature vectors for both schemes are in `tests/vectors.rs`.

use hookproof::platfone::{
    ActivationStatus, BillingStatus, Event, Notification, Platfone, ReportStatus, SmsStatus,
};
use hookproof::testing::platfone::{SAMPLES, sample, signed_request};
use hookproof::verify::{HmacSha256, SharedSecretHeader, SignatureEncoding};
use hookproof::{
    Amount, Error, ErrorKind, Headers, KeyId, Provider, Secret, UnixTime, Verifier, dangerous,
};
use http::HeaderName;

const SIGNATURE: HeaderName = HeaderName::from_static("x-platfone-signature");

fn hmac() -> HmacSha256 {
    HmacSha256::new(SIGNATURE, Secret::new("pf_whsec_4e1f9c").unwrap()).with_prefix("sha256=")
}

fn receive(body: &str) -> Result<Notification, Error> {
    let request = signed_request(&hmac(), body).unwrap();
    Platfone::new(hmac()).verify_and_parse(&request.headers, &request.body)
}

#[test]
fn every_event_type_parses_under_either_scheme() {
    assert_eq!(SAMPLES.len(), 8);
    let secret = Secret::new("shared-platfone-secret").unwrap();
    let header = HeaderName::from_static("x-platfone-secret");
    let shared = Platfone::new(SharedSecretHeader::new(header.clone(), secret.clone()));
    let base64 = hmac().with_encoding(SignatureEncoding::Base64);
    for sample in SAMPLES {
        let by_hmac = receive(sample.body).unwrap_or_else(|e| panic!("{}: {e}", sample.event_type));
        let request = signed_request(
            &SharedSecretHeader::new(header.clone(), secret.clone()),
            sample.body,
        )
        .unwrap();
        let by_secret = shared
            .verify_and_parse(&request.headers, &request.body)
            .unwrap();
        let request = signed_request(&base64, sample.body).unwrap();
        let by_base64 = Platfone::new(base64.clone())
            .verify_and_parse(&request.headers, &request.body)
            .unwrap();
        for notification in [by_hmac, by_secret, by_base64] {
            assert_eq!(notification.event_type(), sample.event_type);
            assert!(!matches!(notification.event, Event::Unknown(_)));
            assert!(notification.event_id.is_some());
        }
    }
}

#[test]
fn activations_are_typed() {
    let notification = receive(sample("activation.updated").unwrap().body).unwrap();
    let Event::ActivationUpdated(activation) = &notification.event else {
        panic!()
    };
    assert_eq!(activation.activation_id.as_deref(), Some("act_7"));
    assert_eq!(activation.sms_status, Some(SmsStatus::SmsReceived));
    assert_eq!(activation.activation_status, Some(ActivationStatus::Active));
    assert_eq!(activation.billing_status, Some(BillingStatus::Billed));
    assert_eq!(activation.report_status, None, "null is no report");
    assert_eq!(activation.sms_code.as_deref(), Some("123456"));
    assert_eq!(activation.price.as_ref().map(Amount::as_str), Some("0.25"));
    assert_eq!(
        activation.updated_at,
        Some(UnixTime::from_secs(1_767_225_600))
    );
    assert_eq!(activation.is_retriable, Some(true));
    assert_eq!(activation.cancelable_after, None);

    let report = receive(sample("customer.activation_report.updated").unwrap().body).unwrap();
    assert_eq!(
        report.event.activation().unwrap().report_status,
        Some(ReportStatus::InReview)
    );
}

#[test]
fn unknown_enum_values_are_kept_and_no_field_is_required() {
    let body = r#"{"type":"activation.updated","data":{"sms_status":"smsExpired","billing_status":"disputed"}}"#;
    let notification = receive(body).unwrap();
    let activation = notification.event.activation().unwrap();
    assert_eq!(
        activation.sms_status,
        Some(SmsStatus::Other("smsExpired".into()))
    );
    assert_eq!(
        activation.sms_status.as_ref().unwrap().as_str(),
        "smsExpired"
    );
    assert_eq!(
        activation.billing_status.as_ref().unwrap().to_string(),
        "disputed"
    );
    assert_eq!(activation.activation_id, None);
    assert!(receive(r#"{"type":"alternative.activation.updated","data":{}}"#).is_ok());
}

#[test]
fn each_envelope_spelling_and_the_order_among_them() {
    let data = r#"{"activation_id":"a","sms_status":"smsRequested","updated_at":5}"#;
    for (body, id) in [
        (
            format!(r#"{{"id":"e1","type":"activation.updated","data":{data}}}"#),
            Some("e1"),
        ),
        (
            format!(r#"{{"event_id":7,"event":"activation.updated","data":{data}}}"#),
            Some("7"),
        ),
        (
            format!(r#"{{"data":{data},"event_type":"activation.updated"}}"#),
            None,
        ),
    ] {
        let notification = receive(&body).unwrap();
        assert_eq!(notification.event_type(), "activation.updated", "{body}");
        assert_eq!(
            notification
                .event_id
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            id
        );
    }
    // `type` is looked up first, even when `event` and `data` come before it.
    let body = format!(
        r#"{{"event":"customer.activation.updated","data":{data},"type":"activation.updated"}}"#
    );
    assert_eq!(receive(&body).unwrap().event_type(), "activation.updated");
    let twice =
        format!(r#"{{"type":"activation.updated","type":"customer.updated","data":{data}}}"#);
    assert_eq!(
        receive(&twice).unwrap_err().kind(),
        ErrorKind::AmbiguousPayload
    );
}

#[test]
fn idempotency_prefers_the_event_id_and_falls_back_to_the_activation() {
    let with_id = receive(sample("activation.updated").unwrap().body).unwrap();
    assert_eq!(with_id.idempotency_key().unwrap().as_str(), "evt_0002");

    let body = r#"{"type":"activation.updated","data":{"activation_id":"act_7","sms_status":"smsReceived","updated_at":1767225600}}"#;
    assert_eq!(
        receive(body).unwrap().idempotency_key().unwrap().as_str(),
        "activation.updated:act_7:smsReceived:1767225600"
    );
    let body = r#"{"type":"activation_report.updated","data":{"activation_id":"act_7","sms_status":"smsReceived","report_status":"approved","updated_at":9}}"#;
    assert_eq!(
        receive(body).unwrap().idempotency_key().unwrap().as_str(),
        "activation_report.updated:act_7:approved:9"
    );
    let body = r#"{"type":"customer.updated","data":{"customer_id":"cus_42"}}"#;
    assert_eq!(receive(body).unwrap().idempotency_key(), None);
}

#[test]
fn undocumented_shapes_are_objects_read_by_name() {
    let Event::AccountLowBalance(data) = receive(sample("account.low_balance").unwrap().body)
        .unwrap()
        .event
    else {
        panic!()
    };
    assert_eq!(
        data.get_as::<Amount>("balance").unwrap().unwrap().as_str(),
        "4.20"
    );
    assert_eq!(data.get_as::<Amount>("missing").unwrap(), None);
    let err = data.get_as::<u64>("balance").unwrap_err();
    assert_eq!(
        (err.kind(), err.json_path()),
        (ErrorKind::PayloadData, Some("balance"))
    );

    let Event::CustomerUpdated(data) = receive(sample("customer.updated").unwrap().body)
        .unwrap()
        .event
    else {
        panic!()
    };
    assert_eq!(
        data.get_as::<String>("status").unwrap().as_deref(),
        Some("blocked")
    );
    assert_eq!(
        data.iter().map(|(key, _)| key).collect::<Vec<_>>(),
        ["customer_id", "status"]
    );

    let body = r#"{"type":"customer.updated","data":{"status":"a","status":"b"}}"#;
    assert_eq!(
        receive(body).unwrap_err().kind(),
        ErrorKind::AmbiguousPayload
    );
}

#[test]
fn unknown_types_are_kept_and_known_ones_must_match() {
    let notification = receive(r#"{"type":"number.ported","data":{"phone":"+1"}}"#).unwrap();
    let Event::Unknown(unknown) = &notification.event else {
        panic!()
    };
    assert_eq!(
        (unknown.event_type(), unknown.data().get()),
        ("number.ported", r#"{"phone":"+1"}"#)
    );

    for body in [
        r#"{"type":"activation.updated","data":{"price":"free"}}"#,
        r#"{"data":{"price":"free"},"type":"activation.updated"}"#,
    ] {
        // Delivered as drifted by default, with the error; refused by a strict receiver.
        let notification = receive(body).unwrap();
        let Event::Drifted(drifted) = &notification.event else {
            panic!("{notification:?}")
        };
        assert_eq!(drifted.error().json_path(), Some("data.price"));
        let request = signed_request(&hmac(), body).unwrap();
        let err = Platfone::new(hmac())
            .strict()
            .verify_and_parse(&request.headers, &request.body)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PayloadData);
        assert_eq!(err.event_type(), Some("activation.updated"));
        assert_eq!(err.json_path(), Some("data.price"));
    }
    // A known type without `data` drifts; a body without a type is kept as an unknown event
    // with an empty type; a body that is not an object is refused.
    assert!(matches!(
        receive(r#"{"type":"activation.updated"}"#).unwrap().event,
        Event::Drifted(_)
    ));
    let untyped = receive(r#"{"id":"e","data":{}}"#).unwrap();
    assert_eq!(untyped.event_type(), "");
    assert_eq!(untyped.idempotency_key().unwrap().as_str(), "e");
    assert_eq!(receive("[]").unwrap_err().kind(), ErrorKind::PayloadData);
}

/// A verifier of the receiver's own: a token issued by a gateway in front of the receiver.
struct GatewayToken;

impl Verifier for GatewayToken {
    fn verify(&self, headers: &dyn Headers, _body: &[u8]) -> Result<KeyId, Error> {
        match headers.required(&HeaderName::from_static("x-gateway-token"))? {
            "let-me-in" => Ok(KeyId::from("gateway")),
            _ => Err(Error::new(
                ErrorKind::SignatureMismatch,
                "the gateway token is not the one issued",
            )),
        }
    }
}

#[test]
fn any_verifier_can_authenticate_platfone() {
    let platfone = Platfone::new(GatewayToken);
    let body = sample("customer.low_balance").unwrap().body.as_bytes();
    let notification = platfone
        .verify_and_parse(&[("X-Gateway-Token", "let-me-in")], body)
        .unwrap();
    assert_eq!(notification.provenance().key_id(), "gateway");
    let err = platfone
        .verify_and_parse(&[("X-Gateway-Token", "guess")], body)
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.status().as_u16()),
        (ErrorKind::SignatureMismatch, 401)
    );
    let headers: [(&str, &str); 0] = [];
    assert_eq!(
        platfone
            .verify_and_parse(&headers, body)
            .unwrap_err()
            .kind(),
        ErrorKind::MissingHeader
    );

    let boxed: Platfone<Box<dyn Verifier>> = Platfone::new(Box::new(GatewayToken));
    assert!(boxed.parse(dangerous::assume_verified(body)).is_ok());
}
