//! Voximplant end to end: every callback kind, flat and doubly nested data, batches in which one
//! bad hash fails the request, accounts, and payload shape. The samples' hashes were computed by
//! `tests/vectors/samples.py` with Python's hashlib, not by the crate.

use hookproof::testing::voximplant::{
    SAMPLES, TEST_ACCOUNT_ID, TEST_API_KEY, TEST_SALT, sample, signed_request, test_receiver,
};
use hookproof::voximplant::{CallbackData, Notification, Voximplant};
use hookproof::{ErrorKind, Provider, Secret};

/// `body` with every callback's hash set for `salt` and `api_key`.
fn sign(salt: &Secret, api_key: &Secret, body: &str) -> Result<String, hookproof::Error> {
    let receiver = Voximplant::new(salt.clone(), api_key.clone());
    let signed = signed_request(&receiver, body)?;
    Ok(String::from_utf8(signed.body).expect("signing keeps the body UTF-8"))
}

fn receive(body: &str) -> Result<Notification, hookproof::Error> {
    test_receiver().verify_and_parse(&[("Content-Type", "application/json")], body.as_bytes())
}

/// The one callback object inside a sample's `{"callbacks": [...]}`.
fn callback_text(event_type: &str) -> &'static str {
    let body = sample(event_type).unwrap().body;
    let start = body.find("[").unwrap() + 1;
    let end = body.rfind("]").unwrap();
    body[start..end].trim()
}

fn batch(callbacks: &[&str]) -> String {
    format!(r#"{{"callbacks":[{}]}}"#, callbacks.join(","))
}

fn credentials() -> (Secret, Secret) {
    (
        Secret::new(TEST_SALT).unwrap(),
        Secret::new(TEST_API_KEY).unwrap(),
    )
}

#[test]
#[allow(deprecated)]
fn every_callback_kind_verifies_and_parses_into_its_typed_variant() {
    assert_eq!(SAMPLES.len(), 40);
    assert_eq!(CallbackData::KNOWN_TYPES.len(), 40);
    for sample in SAMPLES {
        let notification =
            receive(sample.body).unwrap_or_else(|e| panic!("{}: {e}", sample.event_type));
        let [callback] = notification.callbacks.as_slice() else {
            panic!()
        };
        assert_eq!(callback.event_type(), sample.event_type);
        assert!(
            !matches!(callback.data, CallbackData::Unknown(_)),
            "{}",
            sample.event_type
        );
        assert_eq!(callback.account_id, TEST_ACCOUNT_ID);
        assert_eq!(callback.account.balance.as_ref().unwrap().as_str(), "12.50");
        assert_eq!(
            callback
                .account
                .balance
                .as_ref()
                .unwrap()
                .to_minor_units(2)
                .unwrap(),
            1250
        );
        assert_eq!(callback.account.currency.as_deref(), Some("USD"));
        assert_eq!(callback.account.email.as_deref(), Some("ops@example.com"));
        assert_eq!(
            callback.idempotency_key().as_str(),
            format!("123456:{}", callback.callback_id)
        );
        let deprecated = matches!(
            sample.event_type,
            "account_document_uploaded" | "account_document_verified" | "certificate_expired"
        );
        assert_eq!(
            callback.data.is_deprecated(),
            deprecated,
            "{}",
            sample.event_type
        );
    }
}

#[test]
fn the_spec_worked_example_verifies() {
    let voximplant = Voximplant::new(
        Secret::new("my_salt_value").unwrap(),
        Secret::new("0a1b2c3d-4e5f-6789-abcd-ef0123456789").unwrap(),
    );
    let body = r#"{"callbacks":[{"callback_id":42,"type":"min_balance","account_id":123456,"hash":"7cecbc16d4d16d6c548765bf76a657dd","account_name":"acme","account_email":"ops@example.com","language_code":"en","account_first_name":"A","account_last_name":"B","balance":1.5,"currency":"USD","min_balance":{"is_min_credit":false,"is_repeated":false}}]}"#;
    let notification = voximplant
        .verify_and_parse(&[("a", "b")], body.as_bytes())
        .unwrap();
    let CallbackData::MinBalance(min) = &notification.callbacks[0].data else {
        panic!()
    };
    assert_eq!(min.is_min_credit, Some(false));
    let upper = body.replace(
        "7cecbc16d4d16d6c548765bf76a657dd",
        "7CECBC16D4D16D6C548765BF76A657DD",
    );
    assert!(
        voximplant
            .verify_and_parse(&[("a", "b")], upper.as_bytes())
            .is_ok()
    );
}

#[test]
fn typed_data_spot_checks() {
    let CallbackData::CardPayment(payment) = &receive(sample("card_payment").unwrap().body)
        .unwrap()
        .callbacks[0]
        .data
    else {
        panic!()
    };
    assert_eq!(
        (payment.transaction_id, payment.amount.as_str()),
        (Some(987654), "100.00")
    );

    let CallbackData::RenewedSubscriptions(renewed) =
        &receive(sample("renewed_subscriptions").unwrap().body)
            .unwrap()
            .callbacks[0]
            .data
    else {
        panic!()
    };
    assert_eq!(
        renewed.subscriptions[0].cost.as_ref().unwrap().as_str(),
        "1.00"
    );
    assert_eq!(
        renewed.subscriptions[0].details[0].phone_numbers[0]
            .phone_number
            .as_deref(),
        Some("15551234567")
    );
    assert_eq!(
        renewed.subscriptions[1].details[0].sip_registrations[0].sip_registration_id,
        Some(9001)
    );

    let CallbackData::TranscriptionComplete(transcription) =
        &receive(sample("transcription_complete").unwrap().body)
            .unwrap()
            .callbacks[0]
            .data
    else {
        panic!()
    };
    assert_eq!(
        transcription.transcription_cost.as_ref().unwrap().as_str(),
        "0.0200"
    );

    let CallbackData::InvoiceReceived(invoice) = &receive(sample("invoice_received").unwrap().body)
        .unwrap()
        .callbacks[0]
        .data
    else {
        panic!()
    };
    assert_eq!(invoice.amount.to_minor_units(2).unwrap(), 12_000);

    let CallbackData::AccountDocumentStatusUpdated(document) =
        &receive(sample("account_document_status_updated").unwrap().body)
            .unwrap()
            .callbacks[0]
            .data
    else {
        panic!()
    };
    assert_eq!(document.account_document_status.as_str(), "VERIFIED");
}

#[test]
fn data_is_accepted_flat_and_doubly_nested() {
    let (salt, api_key) = credentials();
    // The sample is doubly nested, as Voximplant's clients describe it; the flat form puts the
    // inner object directly under `sms_inbound`.
    let nested = sample("sms_inbound").unwrap().body;
    let inner_start = nested.find("\"source_number\"").unwrap();
    let inner_end = nested[inner_start..].find('}').unwrap() + inner_start;
    let flat_body = format!(
        r#"{{"callbacks":[{{"callback_id":7,"type":"sms_inbound","account_id":123456,"hash":"","balance":1,"currency":"USD","sms_inbound":{{{}}}}}]}}"#,
        &nested[inner_start..inner_end]
    );
    for body in [
        nested.to_owned(),
        sign(&salt, &api_key, &flat_body).unwrap(),
    ] {
        let notification = receive(&body).unwrap();
        let CallbackData::SmsInbound(sms) = &notification.callbacks[0].data else {
            panic!("{body}")
        };
        assert_eq!(sms.sms_body.as_deref(), Some("Hello ✓"));
        assert_eq!(sms.source_number.as_deref(), Some("15557654321"));
    }
    // A kind the clients describe flat is accepted nested too.
    let body = r#"{"callbacks":[{"callback_id":8,"type":"min_balance","account_id":123456,"hash":"","balance":1,"currency":"USD","min_balance":{"min_balance":{"is_min_credit":true}}}]}"#;
    let CallbackData::MinBalance(min) = &receive(&sign(&salt, &api_key, body).unwrap())
        .unwrap()
        .callbacks[0]
        .data
    else {
        panic!()
    };
    assert_eq!(min.is_min_credit, Some(true));
}

#[test]
fn a_batch_is_accepted_only_when_every_hash_verifies() {
    let good = batch(&[
        callback_text("card_payment"),
        callback_text("min_balance"),
        callback_text("sms_inbound"),
    ]);
    let notification = receive(&good).unwrap();
    let kinds: Vec<_> = notification
        .callbacks
        .iter()
        .map(|c| c.event_type())
        .collect();
    assert_eq!(kinds, ["card_payment", "min_balance", "sms_inbound"]);

    // The second callback's id no longer matches the hash Python computed for it.
    let tampered_id =
        callback_text("min_balance").replacen("\"callback_id\": 1014", "\"callback_id\": 1015", 1);
    assert_ne!(tampered_id, callback_text("min_balance"));
    let bad = batch(&[
        callback_text("card_payment"),
        &tampered_id,
        callback_text("sms_inbound"),
    ]);
    let err = receive(&bad).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureMismatch);
    assert!(err.to_string().starts_with("callbacks[1]: "), "{err}");

    let last_bad = batch(&[
        callback_text("card_payment"),
        callback_text("min_balance"),
        &tampered_id,
    ]);
    assert_eq!(
        receive(&last_bad).unwrap_err().kind(),
        ErrorKind::SignatureMismatch
    );
}

#[test]
fn batches_must_hold_callbacks() {
    for (body, kind) in [
        (r#"{"callbacks":[]}"#, ErrorKind::PayloadData),
        (r#"{}"#, ErrorKind::PayloadData),
        (r#"{"callbacks":{}}"#, ErrorKind::PayloadData),
        (r#"{"callbacks":[1]}"#, ErrorKind::PayloadData),
        (
            r#"{"callbacks":[],"callbacks":[]}"#,
            ErrorKind::AmbiguousPayload,
        ),
        (r#"{"callbacks":["#, ErrorKind::PayloadSyntax),
    ] {
        assert_eq!(receive(body).unwrap_err().kind(), kind, "{body}");
    }
}

#[test]
fn callbacks_for_another_account_are_refused() {
    let body = sample("card_payment").unwrap().body;
    let receiver = test_receiver().expect_account_id(TEST_ACCOUNT_ID);
    assert!(
        receiver
            .verify_and_parse(&[("a", "b")], body.as_bytes())
            .is_ok()
    );
    let other = test_receiver().expect_account_id(777);
    let err = other
        .verify_and_parse(&[("a", "b")], body.as_bytes())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedAccount);
    assert_eq!(err.status(), 401);
    assert_eq!(
        err.to_string(),
        "callbacks[0]: the request is for account 123456, but this receiver accepts only account 777"
    );
}

#[test]
fn hashes_must_be_present_and_well_formed() {
    let body = sample("card_payment").unwrap().body;
    let hash_at = body.find("\"hash\": \"").unwrap() + 9;
    let hash = &body[hash_at..hash_at + 32];
    for (replacement, kind) in [
        (&hash[..31], ErrorKind::MalformedSignature),
        ("", ErrorKind::MalformedSignature),
        ("zz", ErrorKind::MalformedSignature),
        (
            "00000000000000000000000000000000",
            ErrorKind::SignatureMismatch,
        ),
    ] {
        let changed = body.replace(hash, replacement);
        assert_eq!(
            receive(&changed).unwrap_err().kind(),
            kind,
            "{replacement:?}"
        );
    }
    let without = body.replace(&format!("\"hash\": \"{hash}\","), "");
    let err = receive(&without).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MalformedSignature);
    assert_eq!(
        err.to_string(),
        "callbacks[0]: the signature in the payload is absent"
    );
}

#[test]
fn an_unknown_kind_is_kept_with_its_members() {
    let (salt, api_key) = credentials();
    let body = r#"{"callbacks":[{"callback_id":9,"type":"number_ported","account_id":123456,"hash":"","balance":0,"currency":"EUR","number_ported":{"phone_number":"4930123"}}]}"#;
    let notification = receive(&sign(&salt, &api_key, body).unwrap()).unwrap();
    let CallbackData::Unknown(unknown) = &notification.callbacks[0].data else {
        panic!()
    };
    assert_eq!(unknown.event_type(), "number_ported");
    let members: Vec<_> = unknown
        .members()
        .map(|(key, value)| (key, value.get()))
        .collect();
    assert_eq!(
        members,
        [("number_ported", r#"{"phone_number":"4930123"}"#)]
    );
}

#[test]
fn a_known_kind_with_the_wrong_shape_names_the_kind_and_path() {
    let (salt, api_key) = credentials();
    let body = r#"{"callbacks":[{"callback_id":1,"type":"card_payment","account_id":123456,"hash":"","balance":0,"currency":"EUR","card_payment":{"transaction_id":1,"transaction_type":"payment","amount":"lots"}}]}"#;
    // Delivered as drifted (the callback keeps its key); refused only by a strict receiver.
    let signed = sign(&salt, &api_key, body).unwrap();
    let notification = receive(&signed).unwrap();
    let CallbackData::Drifted(drifted) = &notification.callbacks[0].data else {
        panic!("{notification:?}")
    };
    assert_eq!(drifted.event_type(), "card_payment");
    assert_eq!(
        notification.callbacks[0].idempotency_key().as_str(),
        "123456:1"
    );
    let strict = test_receiver().strict();
    let strictly = |body: &str| strict.verify_and_parse(&[("a", "b")], body.as_bytes());
    let err = strictly(&signed).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PayloadData);
    assert_eq!(err.event_type(), Some("card_payment"));
    assert_eq!(err.json_path(), Some("callbacks[0].card_payment.amount"));

    let missing = body.replace(
        r#","card_payment":{"transaction_id":1,"transaction_type":"payment","amount":"lots"}"#,
        "",
    );
    let err = strictly(&sign(&salt, &api_key, &missing).unwrap()).unwrap_err();
    assert_eq!(err.json_path(), Some("callbacks[0].card_payment"));

    let no_data_needed = r#"{"callbacks":[{"callback_id":2,"type":"js_fail","account_id":123456,"hash":"","balance":0,"currency":"EUR"}]}"#;
    assert!(receive(&sign(&salt, &api_key, no_data_needed).unwrap()).is_ok());

    let bad_common = r#"{"callbacks":[{"callback_id":"two","type":"js_fail","account_id":123456,"hash":"00000000000000000000000000000000","balance":0,"currency":"EUR"}]}"#;
    let err = receive(bad_common).unwrap_err();
    assert_eq!(err.json_path(), Some("callbacks[0].callback_id"));

    let twice = r#"{"callbacks":[{"callback_id":2,"callback_id":3,"type":"js_fail","account_id":123456,"hash":"00000000000000000000000000000000","balance":0,"currency":"EUR"}]}"#;
    let err = receive(twice).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AmbiguousPayload);
    assert!(err.to_string().contains("callbacks[0]"), "{err}");

    // An account member given twice is as ambiguous as any other, even though none is hashed.
    let body = r#"{"callbacks":[{"callback_id":2,"type":"js_fail","account_id":123456,"hash":"","account_name":"a","balance":1,"currency":"EUR"}]}"#;
    let signed = sign(&salt, &api_key, body).unwrap();
    for member in [
        r#""balance":0"#,
        r#""account_name":"b""#,
        r#""currency":"USD""#,
    ] {
        let repeated = signed.replace(r#""EUR""#, &format!(r#""EUR",{member}"#));
        let err = receive(&repeated).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AmbiguousPayload, "{member}: {err}");
    }
}

#[test]
fn signing_changes_only_the_hashes() {
    let (salt, api_key) = credentials();
    let sample = sample("card_payment").unwrap().body;
    assert_eq!(
        sign(&salt, &api_key, sample).unwrap(),
        sample,
        "the samples are already signed"
    );
    let other_key = Secret::new("another-api-key").unwrap();
    let resigned = sign(&salt, &other_key, sample).unwrap();
    assert_eq!(resigned.len(), sample.len());
    let differing = resigned
        .bytes()
        .zip(sample.bytes())
        .filter(|(a, b)| a != b)
        .count();
    assert!(differing > 0 && differing <= 32);
}

#[test]
fn verify_then_parse_matches_verify_and_parse() {
    let receiver = test_receiver();
    let body = batch(&[
        callback_text("wire_transfer"),
        callback_text("sip_registration_fail"),
    ]);
    let verified = receiver.verify(&[("a", "b")], body.as_bytes()).unwrap();
    let notification = receiver.parse(verified).unwrap();
    assert_eq!(notification.callbacks.len(), 2);
    assert_eq!(notification.provenance().raw_body(), body.as_bytes());
}

#[test]
fn a_batch_that_repeats_a_callback_is_ambiguous() {
    // The issue's probe: a captured callback, its data altered (the hash does not cover data),
    // sent twice in a new batch. Each copy verifies on its own; together they are refused.
    let (salt, api_key) = credentials();
    let captured = sign(&salt, &api_key, &batch(&[callback_text("min_balance")])).unwrap();
    let callback = {
        let start = captured.find('[').unwrap() + 1;
        captured[start..captured.rfind(']').unwrap()].to_owned()
    };
    let altered = callback.replace("\"balance\": 12.50", "\"balance\": 99999.00");
    assert_ne!(altered, callback, "the data was altered");
    assert!(
        receive(&batch(&[&altered])).is_ok(),
        "one altered copy verifies"
    );

    let err = receive(&batch(&[&altered, &altered])).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AmbiguousPayload);
    assert_eq!(
        err.to_string(),
        "callbacks[1] is the same callback as callbacks[0]"
    );
    let err = receive(&batch(&[&callback, &altered])).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AmbiguousPayload);
}
