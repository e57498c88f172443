//! Cedar end to end: the four events, the signed-field report, one-URL-per-event receivers,
//! and "what was verified is what is returned". Hash vectors are in `tests/vectors.rs`.

use hookproof::cedar::{Cedar, Event, EventKind, KycStatus, Notification, TransactionStatus};
use hookproof::testing::cedar::{SAMPLES, SIGNED_FIELDS, sample, signed_request_with_fields};
use hookproof::{ErrorKind, Provider, Secret, dangerous};

fn secret() -> Secret {
    Secret::new("my_webhook_secret").unwrap()
}

fn receive_with(
    cedar: &Cedar,
    body: &str,
    fields: &[&str],
) -> Result<Notification, hookproof::Error> {
    let request = signed_request_with_fields(&Cedar::new(secret()), body, fields)?;
    cedar.verify_and_parse(&request.headers, &request.body)
}

fn receive(body: &str) -> Result<Notification, hookproof::Error> {
    receive_with(&Cedar::new(secret()), body, SIGNED_FIELDS)
}

#[test]
fn every_event_parses_into_its_typed_variant_and_reports_what_was_signed() {
    assert_eq!(SAMPLES.len(), Event::KNOWN_TYPES.len());
    for sample in SAMPLES {
        let notification =
            receive(sample.body).unwrap_or_else(|e| panic!("{}: {e}", sample.event_type));
        assert_eq!(notification.event_type(), sample.event_type);
        assert!(!matches!(notification.event, Event::Unknown(_)));
        assert_eq!(
            notification.signed_fields.iter().collect::<Vec<_>>(),
            SIGNED_FIELDS
        );
        assert_eq!(notification.provenance().raw_body(), sample.body.as_bytes());
    }
}

#[test]
fn the_spec_worked_example_verifies_through_the_provider() {
    let headers = [
        ("X-Webhook-Security-Fields", "id,status"),
        (
            "X-Webhook-Security-Hash",
            "b3e490634a0c80364c4511fb6c5d5296de532fd08500ce3873c1a7e1f37bb9e7",
        ),
    ];
    let cedar = Cedar::new(secret()).expect_event(EventKind::BusinessKycStatusChanged);
    let notification = cedar
        .verify_and_parse(&headers, br#"{"id":1234,"status":"VALID"}"#)
        .unwrap();
    let Event::BusinessKycStatusChanged(kyc) = &notification.event else {
        panic!()
    };
    assert_eq!(kyc.id.as_ref().and_then(|id| id.as_u64()), Some(1234));
    assert_eq!(kyc.status, KycStatus::Valid);
    assert_eq!(
        notification.idempotency_key().unwrap().as_str(),
        "BusinessKycStatusChanged:id=4:1234,status=5:VALID"
    );
}

#[test]
fn statuses_are_typed_and_unknown_values_are_kept() {
    let Event::BusinessRequestStatusChanged(transaction) =
        receive(sample("BusinessRequestStatusChanged").unwrap().body)
            .unwrap()
            .event
    else {
        panic!()
    };
    assert_eq!(transaction.status, TransactionStatus::Completed);
    let body = r#"{"event":"BusinessKycStatusChanged","id":"m_77","status":"SUSPENDED"}"#;
    let Event::BusinessKycStatusChanged(kyc) = receive(body).unwrap().event else {
        panic!()
    };
    assert_eq!(kyc.status, KycStatus::Other("SUSPENDED".into()));
    let id = kyc.id.unwrap();
    assert_eq!(id.to_string(), "m_77");
    assert_eq!(id.as_u64(), None);
}

#[test]
fn the_event_type_is_read_from_the_first_key_present() {
    for key in ["event", "type", "eventType", "event_type", "webhookType"] {
        let body = format!(r#"{{"{key}":"BusinessRequestStatusChanged","id":1,"status":"NONE"}}"#);
        assert_eq!(
            receive(&body).unwrap().event_type(),
            "BusinessRequestStatusChanged",
            "{key}"
        );
    }
    let both = r#"{"type":"BusinessKycStatusChanged","event":"BusinessRequestStatusChanged","id":1,"status":"NONE"}"#;
    assert_eq!(
        receive(both).unwrap().event_type(),
        "BusinessRequestStatusChanged"
    );
    let not_text = r#"{"event":7,"id":1,"status":"NONE"}"#;
    let err = receive(not_text).unwrap_err();
    assert_eq!(
        (err.kind(), err.json_path()),
        (ErrorKind::PayloadData, Some("event"))
    );
}

#[test]
fn a_body_without_a_known_type_is_unknown_with_its_raw_body() {
    let body = r#"{"id":1,"status":"VALID","amount":"10.00"}"#;
    let notification = receive(body).unwrap();
    let Event::Unknown(unknown) = &notification.event else {
        panic!()
    };
    assert_eq!(unknown.event_type(), "");
    assert_eq!(unknown.body().get(), body);
    // The key is still what the hash covers, under no event name.
    assert_eq!(
        notification.idempotency_key().unwrap().as_str(),
        ":id=1:1,status=5:VALID"
    );

    let named = receive(r#"{"event":"BusinessInvoicePaid","id":1,"status":"PAID"}"#).unwrap();
    assert_eq!(named.event_type(), "BusinessInvoicePaid");
}

#[test]
fn a_receiver_per_url_reads_the_expected_event() {
    let cedar = Cedar::new(secret())
        .expect_event(EventKind::BusinessRequestPayoutConfirmationStatusChanged);
    let notification =
        receive_with(&cedar, r#"{"id":9,"status":"COMPLETED"}"#, SIGNED_FIELDS).unwrap();
    let Event::BusinessRequestPayoutConfirmationStatusChanged(payout) = &notification.event else {
        panic!()
    };
    assert_eq!(payout.status, "COMPLETED");

    let other = sample("BusinessKycStatusChanged").unwrap().body;
    let err = receive_with(&cedar, other, SIGNED_FIELDS).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedEvent);
    assert_eq!(err.status(), 401);
}

#[test]
fn what_is_returned_is_what_was_hashed() {
    // The hash covers `status` = VALID; a second `status` must not be what the event exposes.
    let body =
        r#"{"event":"BusinessKycStatusChanged","id":1234,"status":"VALID","status":"FLAGGED"}"#;
    let err = receive(body).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AmbiguousPayload);
    // The event type is read from the same members: given twice, it is ambiguous too.
    let body = r#"{"event":"BusinessKycStatusChanged","event":"BusinessRequestStatusChanged","id":1,"status":"NONE"}"#;
    assert_eq!(
        receive(body).unwrap_err().kind(),
        ErrorKind::AmbiguousPayload
    );
    // And so is any object a signed path goes through.
    let body = r#"{"event":"BusinessKycStatusChanged","id":1,"status":"VALID","data":{"ref":"a","ref":"b"}}"#;
    let err = receive_with(&Cedar::new(secret()), body, &["id", "status", "data.ref"]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AmbiguousPayload);
}

#[test]
fn unsigned_fields_are_reported_and_can_be_required() {
    let body = r#"{"event":"BusinessKycStatusChanged","id":1234,"status":"VALID"}"#;
    let notification = receive_with(&Cedar::new(secret()), body, &["id"]).unwrap();
    assert!(!notification.signed_fields.contains("status"));
    let strict = Cedar::new(secret()).require_fields(["id", "status"]);
    let err = receive_with(&strict, body, &["id"]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingSignedField);
    assert_eq!(err.field(), Some("status"));
    assert_eq!(err.status(), 401);
}

#[test]
fn the_key_is_what_the_hash_covers_never_the_request_uuid() {
    let body = sample("BusinessKycStatusChanged").unwrap().body;
    let receive_with_uuid = |uuid: &str| {
        let request = signed_request_with_fields(&Cedar::new(secret()), body, SIGNED_FIELDS)
            .unwrap()
            .with_header("X-Webhook-Request-UUID", uuid);
        Cedar::new(secret())
            .verify_and_parse(&request.headers, &request.body)
            .unwrap()
    };
    let first = receive_with_uuid("fa8ff1ec-8eed-44fc-a84b-5a6ffc2b531f");
    assert_eq!(
        first.request_uuid.as_deref(),
        Some("fa8ff1ec-8eed-44fc-a84b-5a6ffc2b531f"),
        "kept for logs"
    );
    assert_eq!(
        first.idempotency_key().unwrap().as_str(),
        "BusinessKycStatusChanged:id=4:1234,status=5:VALID"
    );
    // The same signed request replayed with a fresh (unsigned) UUID is the same delivery.
    let replay = receive_with_uuid("00000000-0000-4000-8000-000000000000");
    assert_eq!(replay.idempotency_key(), first.idempotency_key());
    // Regrouped values that hash alike do not share a key: each text carries its length.
    let regrouped = receive_with(
        &Cedar::new(secret()),
        r#"{"event":"BusinessKycStatusChanged","id":"1","status":"234VALID"}"#,
        SIGNED_FIELDS,
    )
    .unwrap();
    assert_ne!(regrouped.idempotency_key(), first.idempotency_key());
}

#[test]
fn verify_then_parse_gives_the_same_notification() {
    let cedar = Cedar::new(secret());
    let request = signed_request_with_fields(
        &Cedar::new(secret()),
        sample("BusinessRequestStatusChanged").unwrap().body,
        SIGNED_FIELDS,
    )
    .unwrap();
    let verified = cedar.verify(&request.headers, &request.body).unwrap();
    assert_eq!(
        verified.evidence().signed_fields.iter().collect::<Vec<_>>(),
        SIGNED_FIELDS
    );
    let notification = cedar.parse(verified).unwrap();
    assert_eq!(
        notification.signed_fields.iter().collect::<Vec<_>>(),
        SIGNED_FIELDS
    );
    assert_eq!(notification.event_type(), "BusinessRequestStatusChanged");

    let unverified = cedar
        .parse(dangerous::assume_verified(&request.body))
        .unwrap();
    assert_eq!(
        unverified.signed_fields.iter().count(),
        0,
        "nothing was verified"
    );
}

#[test]
fn shape_content_type_and_tampering() {
    let err =
        receive(r#"{"event":"BusinessKycStatusChanged","id":[1],"status":"VALID"}"#).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::MissingSignedField,
        "an array cannot be signed"
    );

    // A status of the wrong type drifts: delivered with the error, or refused when strict.
    let body = r#"{"event":"BusinessKycStatusChanged","id":1,"status":2}"#;
    let drifted = receive_with(&Cedar::new(secret()), body, &["id"]).unwrap();
    let Event::Drifted(drift) = &drifted.event else {
        panic!("{drifted:?}")
    };
    assert_eq!(drift.error().json_path(), Some("status"));
    assert_eq!(drift.raw_body(), body.as_bytes());
    assert_eq!(
        drifted.idempotency_key().unwrap().as_str(),
        "BusinessKycStatusChanged:id=1:1"
    );
    let err = receive_with(&Cedar::new(secret()).strict(), body, &["id"]).unwrap_err();
    assert_eq!(
        (err.kind(), err.json_path(), err.event_type()),
        (
            ErrorKind::PayloadData,
            Some("status"),
            Some("BusinessKycStatusChanged")
        )
    );

    let mut request = signed_request_with_fields(
        &Cedar::new(secret()),
        sample("BusinessKycStatusChanged").unwrap().body,
        SIGNED_FIELDS,
    )
    .unwrap();
    request
        .headers
        .iter_mut()
        .filter(|(name, _)| name == "content-type")
        .for_each(|(_, value)| *value = "text/plain".into());
    let err = Cedar::new(secret())
        .verify_and_parse(&request.headers, &request.body)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedContentType);

    let request = signed_request_with_fields(
        &Cedar::new(secret()),
        sample("BusinessKycStatusChanged").unwrap().body,
        SIGNED_FIELDS,
    )
    .unwrap();
    let tampered = String::from_utf8(request.body.clone())
        .unwrap()
        .replace("VALID", "FLAGGED");
    let err = Cedar::new(secret())
        .verify_and_parse(&request.headers, tampered.as_bytes())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureMismatch);
}

/// Found by fuzzing: the testing signer once hashed `st    ` where the verifier, trimming names
/// as the spec decides, hashes `st`.
#[test]
fn the_signer_reads_a_padded_field_list_as_the_verifier_does() {
    let body = r#"{"id":1.34, "st":1.34, "st    ": "\tB"}"#;
    let notification = receive_with(&Cedar::new(secret()), body, &["id", "st    "]).unwrap();
    assert_eq!(
        notification.signed_fields.iter().collect::<Vec<_>>(),
        ["id", "st"]
    );
}

#[test]
fn a_null_spelling_can_be_pinned() {
    use hookproof::verify::NullSpelling;
    let body = br#"{"id":1,"note":null}"#;
    // sha256(b"1nullmy_webhook_secret") and sha256(b"1my_webhook_secret"), computed with Python's hashlib.
    let word = "d7352240e002c4b402e038f8199d5bbfdab1690823fcbaae028e5b8b4c029a16";
    let empty = "ca2b6a85de69c3db07629dc590a5ac88c7de7498efed92bafb55be24b73d61e3";
    let headers = |hash| {
        [
            ("X-Webhook-Security-Fields", "id,note"),
            ("X-Webhook-Security-Hash", hash),
        ]
    };
    let either = Cedar::new(secret());
    assert!(either.verify(&headers(word), body).is_ok());
    assert!(either.verify(&headers(empty), body).is_ok());
    let pinned_word = Cedar::new(secret()).with_null(NullSpelling::Word);
    assert!(pinned_word.verify(&headers(word), body).is_ok());
    assert_eq!(
        pinned_word
            .verify(&headers(empty), body)
            .unwrap_err()
            .kind(),
        ErrorKind::SignatureMismatch
    );
    let pinned_empty = Cedar::new(secret()).with_null(NullSpelling::Empty);
    assert!(pinned_empty.verify(&headers(empty), body).is_ok());
    assert_eq!(
        pinned_empty
            .verify(&headers(word), body)
            .unwrap_err()
            .kind(),
        ErrorKind::SignatureMismatch
    );
}

#[test]
fn a_dotted_key_beside_the_value_it_names_is_ambiguous() {
    // The issue's probe: `data.status` covered, while the body also holds a conflicting value.
    let body = r#"{"event":"BusinessKycStatusChanged","id":1,"data.status":"VALID","data":{"status":"REJECTED"}}"#;
    let err = receive_with(&Cedar::new(secret()), body, &["id", "data.status"]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AmbiguousPayload);
    assert_eq!(
        err.to_string(),
        "the field 2 listed in `x-webhook-security-fields` can be read two ways: the body holds \
         both a key with a dot in it and the nested value the same name reaches"
    );
}
