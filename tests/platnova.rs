//! Platnova end to end: every documented sample, the envelope, unknown events and every way a
//! payload can be wrong. Signature vectors are in `tests/vectors.rs`.

use hookproof::platnova::{CardStatus, Channel, Event, Notification, Platnova, TransferStatus};
use hookproof::testing::platnova::{SAMPLES, sample, signed_request};
use hookproof::{ErrorKind, Provider, Secret, dangerous};

fn secret() -> Secret {
    Secret::new("pn_live_9f8e7d6c5b4a").unwrap()
}

fn receive(body: &str) -> Result<Notification, hookproof::Error> {
    let request = signed_request(&secret(), body);
    Platnova::new(secret()).verify_and_parse(&request.headers, &request.body)
}

fn sample_notification(event_type: &str) -> Notification {
    receive(sample(event_type).unwrap().body).unwrap()
}

#[test]
fn every_documented_sample_parses_into_its_typed_variant() {
    assert_eq!(SAMPLES.len(), Event::KNOWN_TYPES.len());
    for sample in SAMPLES {
        let notification =
            receive(sample.body).unwrap_or_else(|e| panic!("{}: {e}", sample.event_type));
        assert_eq!(notification.event_type(), sample.event_type);
        assert!(
            !matches!(notification.event, Event::Unknown(_)),
            "{}",
            sample.event_type
        );
        assert_eq!(notification.timestamp, "2024-01-01T12:00:00Z");
        assert!(
            notification.idempotency_key().is_some(),
            "{}",
            sample.event_type
        );
        assert_eq!(notification.provenance().raw_body(), sample.body.as_bytes());
        assert_eq!(notification.provenance().key_id(), "default");
    }
}

#[test]
fn card_created_keeps_amounts_exact_and_nests_merchant_and_terminal() {
    let notification = sample_notification("card.created");
    assert_eq!(notification.customer_id, "user_id");
    let Event::CardCreated(card) = &notification.event else {
        panic!("{notification:?}")
    };
    assert_eq!(card.amount.as_str(), "0.00");
    assert!(card.amount.is_zero());
    assert_eq!(card.card_status, CardStatus::Active);
    assert_eq!(card.card_info.masked_pan, "**** **** **** 1234");
    assert_eq!(card.card_info.card_type, "virtual");
    assert_eq!(card.card_info.zip_code.as_deref(), Some("10001"));
    let merchant = card.metadata.merchant.as_ref().unwrap();
    assert_eq!(
        (merchant.name.as_str(), merchant.category.as_deref()),
        ("Merchant Name", Some("retail"))
    );
    let terminal = card.metadata.terminal.as_ref().unwrap();
    assert_eq!(
        (terminal.id.as_str(), terminal.location.as_deref()),
        ("terminal_id", Some("Location"))
    );
    assert_eq!(card.metadata.channel, Channel::Online);
    assert_eq!(
        card.metadata.charge_amount.as_ref().unwrap().as_str(),
        "0.00"
    );
    assert_eq!(
        notification.idempotency_key().unwrap().as_str(),
        "card.created:TXN123456"
    );
}

#[test]
fn card_terminated_has_null_merchant_and_terminal() {
    let Event::CardTerminated(card) = sample_notification("card.terminated").event else {
        panic!()
    };
    assert_eq!(card.card_status, CardStatus::Terminated);
    assert!(card.metadata.merchant.is_none());
    assert!(card.metadata.terminal.is_none());
    assert_eq!(card.metadata.narration.as_deref(), Some("Card termination"));
}

#[test]
fn card_transactions_carry_fees_descriptions_and_channels() {
    let Event::CardWithdrawal(withdrawal) = sample_notification("card.withdrawal").event else {
        panic!()
    };
    assert_eq!(withdrawal.amount.as_str(), "100.00");
    assert_eq!(withdrawal.fee.as_str(), "2.50");
    assert_eq!(withdrawal.fee.to_minor_units(2).unwrap(), 250);
    assert_eq!(withdrawal.metadata.channel, Channel::Atm);
    assert_eq!(withdrawal.description, None);

    let Event::CardCharged(charge) = sample_notification("card.charged").event else {
        panic!()
    };
    assert_eq!(charge.amount.as_str(), "50.00");
    assert_eq!(charge.fee.to_minor_units(2).unwrap(), 150);
    assert_eq!(charge.description.as_deref(), Some("Purchase at Store"));
    assert_eq!(charge.metadata.channel, Channel::Pos);
    assert_eq!(
        charge.metadata.charge_amount.as_ref().unwrap().as_str(),
        "50.00"
    );

    let Event::CardDeclined(declined) = sample_notification("card.declined").event else {
        panic!()
    };
    assert_eq!(declined.description.as_deref(), Some("Insufficient funds"));
}

#[test]
fn refunds_and_fundings_have_their_own_references() {
    let notification = sample_notification("card.refund");
    let Event::CardRefund(refund) = &notification.event else {
        panic!()
    };
    assert_eq!(refund.original_transaction_ref, "TXN123456");
    assert_eq!(
        notification.idempotency_key().unwrap().as_str(),
        "card.refund:TXN789012"
    );

    let notification = sample_notification("card.funded");
    let Event::CardFunded(funding) = &notification.event else {
        panic!()
    };
    assert_eq!(funding.amount.to_minor_units(2).unwrap(), 20_000);
    assert_eq!(
        notification.idempotency_key().unwrap().as_str(),
        "card.funded:TR_N123456"
    );
}

#[test]
fn accounts_customers_and_transfers() {
    let notification = sample_notification("account.funded");
    let Event::AccountFunded(funding) = &notification.event else {
        panic!()
    };
    assert_eq!(
        (
            funding.amount.as_str(),
            funding.paid_amount.as_str(),
            funding.fee.as_str()
        ),
        ("495.00", "500.00", "5.00")
    );

    let notification = sample_notification("account.issued");
    let Event::AccountIssued(account) = &notification.event else {
        panic!()
    };
    assert_eq!(account.ach_routing_number.as_deref(), Some("123456789"));
    assert_eq!(
        notification.idempotency_key().unwrap().as_str(),
        "account.issued:va_uid"
    );

    let notification = sample_notification("customer.rejected");
    let Event::CustomerRejected(customer) = &notification.event else {
        panic!()
    };
    assert_eq!(customer.reason.as_deref(), Some("Document is blurry"));
    assert_eq!(
        notification.idempotency_key().unwrap().as_str(),
        "customer.rejected:cus_123"
    );

    let notification = sample_notification("transfer.success");
    assert_eq!(
        notification.customer_id, "",
        "entity-level events have an empty customer id"
    );
    let Event::TransferSuccess(transfer) = &notification.event else {
        panic!()
    };
    assert_eq!(transfer.status, TransferStatus::Success);
    assert_eq!(transfer.amount.as_str(), "1000.00");
    assert_eq!(
        transfer.metadata.iban.as_deref(),
        Some("GB82WEST12345698765432")
    );
    assert_eq!(transfer.metadata.asset.as_deref(), Some("BTC"));
    assert_eq!(
        transfer.metadata.zelle_id.as_deref(),
        Some("zelle@example.com")
    );
    assert_eq!(
        notification.idempotency_key().unwrap().as_str(),
        "transfer.success:TXN123456"
    );

    let Event::TransferFailed(failed) = sample_notification("transfer.failed").event else {
        panic!()
    };
    assert_eq!(failed.status, TransferStatus::Failed);
    assert_eq!(failed.reason.as_deref(), Some("Insufficient funds"));
}

#[test]
fn beneficiary_fields_are_all_optional_and_unknown_statuses_are_kept() {
    let body = r#"{"event":"transfer.success","timestamp":"t","customer_id":"","data":
        {"reference":"R1","amount":1,"currency":"NGN","fee":0,"status":"reversed","metadata":{"note":"n"}}}"#;
    let Event::TransferSuccess(transfer) = receive(body).unwrap().event else {
        panic!()
    };
    assert_eq!(transfer.status, TransferStatus::Other("reversed".into()));
    assert_eq!(transfer.status.as_str(), "reversed");
    assert_eq!(transfer.metadata.note.as_deref(), Some("n"));
    assert_eq!(transfer.metadata.iban, None);
}

#[test]
fn an_unknown_event_type_is_kept_with_its_raw_data() {
    let body = r#"{"event":"checkout.paid","timestamp":"2026-05-01T00:00:00Z","customer_id":"c1","data":{"checkout_id":"ch_1","amount":12.50}}"#;
    let notification = receive(body).unwrap();
    assert_eq!(notification.event_type(), "checkout.paid");
    let Event::Unknown(unknown) = &notification.event else {
        panic!()
    };
    assert_eq!(
        unknown.data().get(),
        r#"{"checkout_id":"ch_1","amount":12.50}"#
    );
    assert_eq!(notification.idempotency_key(), None);
    assert_eq!(notification.customer_id, "c1");
}

#[test]
fn data_before_the_event_type_parses_the_same() {
    let body = r#"{"data":{"card_id":"c","card_holder_name":"J","card_status":"active","currency":"USD",
        "amount":200.00,"fee":0.00,"transaction_ref":"T"},"customer_id":"u","timestamp":"t","event":"card.funded"}"#;
    let Event::CardFunded(funding) = receive(body).unwrap().event else {
        panic!()
    };
    assert_eq!(funding.amount.as_str(), "200.00");
}

#[test]
fn a_known_event_with_the_wrong_shape_names_the_event_type_and_path() {
    let good = sample("card.charged").unwrap().body;
    for body in [
        good.replace(r#""amount": 50.00"#, r#""amount": "jane@example.com""#),
        // The same with `data` read before the event type is known.
        format!(
            r#"{{"data":{},"event":"card.charged","timestamp":"t","customer_id":"u"}}"#,
            &good[good.find(r#""data": "#).unwrap() + 8..good.rfind('}').unwrap()]
        )
        .replace(r#""amount": 50.00"#, r#""amount": "jane@example.com""#),
    ] {
        let err = receive(&body).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PayloadData, "{err}");
        assert_eq!(err.status(), 422);
        assert_eq!(err.event_type(), Some("card.charged"));
        assert_eq!(err.json_path(), Some("data.amount"));
        assert!(!err.to_string().contains("jane"), "{err}");
    }
    let missing = receive(&good.replace(r#""transaction_ref": "TXN123456","#, "")).unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::PayloadData);
    assert_eq!(missing.json_path(), Some("data"));
    assert!(
        missing
            .to_string()
            .contains("missing field `transaction_ref`"),
        "{missing}"
    );
    let nested = receive(&good.replace(r#""name": "Store Name""#, r#""name": 7"#)).unwrap_err();
    assert_eq!(nested.json_path(), Some("data.metadata.merchant.name"));
}

#[test]
fn envelope_problems_are_errors_not_unknown_events() {
    for (body, kind) in [
        (
            r#"{"timestamp":"t","customer_id":"u","data":{}}"#,
            ErrorKind::PayloadData,
        ),
        (
            r#"{"event":"card.funded","customer_id":"u","data":{}}"#,
            ErrorKind::PayloadData,
        ),
        (
            r#"{"event":7,"timestamp":"t","customer_id":"u","data":{}}"#,
            ErrorKind::PayloadData,
        ),
        (r#"[]"#, ErrorKind::PayloadData),
        (
            r#"{"event":"a","event":"b","timestamp":"t","customer_id":"u","data":{}}"#,
            ErrorKind::AmbiguousPayload,
        ),
        (
            r#"{"event":"x","timestamp":"t","customer_id":"u","data":{},"data":{}}"#,
            ErrorKind::AmbiguousPayload,
        ),
        (
            r#"{"event":"x","timestamp":"t","customer_id":"u","data":{}"#,
            ErrorKind::PayloadSyntax,
        ),
        (
            r#"{"event":"x","timestamp":"t","customer_id":"u","data":{}} trailing"#,
            ErrorKind::PayloadSyntax,
        ),
        ("\u{feff}{}", ErrorKind::PayloadSyntax),
    ] {
        assert_eq!(receive(body).unwrap_err().kind(), kind, "{body}");
    }
    let invalid_utf8 = signed_request(&secret(), &b"{\"event\":\"\xff\"}"[..]);
    let err = Platnova::new(secret())
        .verify_and_parse(&invalid_utf8.headers, &invalid_utf8.body)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PayloadSyntax);
}

#[test]
fn a_known_field_given_twice_is_ambiguous() {
    let body = sample("card.funded")
        .unwrap()
        .body
        .replace(r#""fee": 0.00,"#, r#""fee": 0.00, "fee": 9.00,"#);
    assert_eq!(
        receive(&body).unwrap_err().kind(),
        ErrorKind::AmbiguousPayload
    );
}

#[test]
fn verification_comes_first_and_uses_the_key_ring() {
    let request = signed_request(
        &Secret::new("the-old-one").unwrap(),
        sample("card.funded").unwrap().body,
    );
    let ring =
        hookproof::KeyRing::new("old", Secret::new("the-old-one").unwrap()).with("new", secret());
    let notification = Platnova::new(ring)
        .verify_and_parse(&request.headers, &request.body)
        .unwrap();
    assert_eq!(notification.provenance().key_id(), "old");

    let err = Platnova::new(secret())
        .verify_and_parse(&request.headers, b"not even json")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureMismatch);
    let headers: [(&str, &str); 0] = [];
    let err = Platnova::new(secret())
        .verify_and_parse(&headers, b"{}")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingHeader);
}

#[test]
fn parse_accepts_only_a_verified_body_or_an_explicitly_dangerous_one() {
    let platnova = Platnova::new(secret());
    let body = sample("card.charged").unwrap().body.as_bytes();
    let notification = platnova.parse(dangerous::assume_verified(body)).unwrap();
    assert_eq!(
        notification.provenance().key_id(),
        dangerous::UNVERIFIED_KEY_ID
    );
    let request = signed_request(&secret(), body);
    let verified = platnova.verify(&request.headers, &request.body).unwrap();
    assert_eq!(
        platnova.parse(verified).unwrap().event_type(),
        "card.charged"
    );
}

#[test]
fn http_requests_from_the_testing_feature_verify() {
    let request = signed_request(&secret(), sample("card.refund").unwrap().body)
        .into_http("/webhooks/platnova")
        .unwrap();
    let notification = Platnova::new(secret())
        .verify_and_parse(request.headers(), request.body())
        .unwrap();
    assert_eq!(notification.event_type(), "card.refund");
}
