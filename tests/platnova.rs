//! Platnova end to end: every documented sample, the envelope, unknown events and every way a
//! payload can be wrong. Signature vectors are in `tests/vectors.rs`.

use hookproof::platnova::{CardStatus, Channel, Event, Notification, Platnova, TransferStatus};
use hookproof::testing::platnova::{SAMPLES, sample, signed_request};
use hookproof::{ErrorKind, Provider, Secret, dangerous};

fn secret() -> Secret {
    Secret::new("pn_live_9f8e7d6c5b4a").unwrap()
}

fn receive(body: &str) -> Result<Notification, hookproof::Error> {
    let request = signed_request(&Platnova::new(secret()), body).unwrap();
    Platnova::new(secret()).verify_and_parse(&request.headers, &request.body)
}

fn receive_strictly(body: &str) -> Result<Notification, hookproof::Error> {
    let request = signed_request(&Platnova::new(secret()), body).unwrap();
    Platnova::new(secret())
        .strict()
        .verify_and_parse(&request.headers, &request.body)
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
        if sample.event_type != "payment.status.updated" {
            assert_eq!(
                notification.timestamp.as_deref(),
                Some("2024-01-01T12:00:00Z")
            );
        }
        assert!(
            !matches!(notification.event, Event::Drifted(_)),
            "{}",
            sample.event_type
        );
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
    assert_eq!(notification.customer_id.as_deref(), Some("user_id"));
    let Event::CardCreated(card) = &notification.event else {
        panic!("{notification:?}")
    };
    let amount = card.amount.as_ref().unwrap();
    assert_eq!(amount.as_str(), "0.00");
    assert!(amount.is_zero());
    assert_eq!(card.card_status, Some(CardStatus::Active));
    let card_info = card.card_info.as_ref().unwrap();
    assert_eq!(card_info.masked_pan.as_deref(), Some("**** **** **** 1234"));
    assert_eq!(card_info.card_type.as_deref(), Some("virtual"));
    assert_eq!(card_info.zip_code.as_deref(), Some("10001"));
    let metadata = card.metadata.as_ref().unwrap();
    let merchant = metadata.merchant.as_ref().unwrap();
    assert_eq!(
        (merchant.name.as_deref(), merchant.category.as_deref()),
        (Some("Merchant Name"), Some("retail"))
    );
    let terminal = metadata.terminal.as_ref().unwrap();
    assert_eq!(
        (terminal.id.as_deref(), terminal.location.as_deref()),
        (Some("terminal_id"), Some("Location"))
    );
    assert_eq!(metadata.channel, Some(Channel::Online));
    assert_eq!(metadata.charge_amount.as_ref().unwrap().as_str(), "0.00");
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
    assert_eq!(card.card_status, Some(CardStatus::Terminated));
    let metadata = card.metadata.unwrap();
    assert!(metadata.merchant.is_none());
    assert!(metadata.terminal.is_none());
    assert_eq!(metadata.narration.as_deref(), Some("Card termination"));
}

#[test]
fn card_transactions_carry_fees_descriptions_and_channels() {
    let Event::CardWithdrawal(withdrawal) = sample_notification("card.withdrawal").event else {
        panic!()
    };
    assert_eq!(withdrawal.amount.as_str(), "100.00");
    let fee = withdrawal.fee.as_ref().unwrap();
    assert_eq!(fee.as_str(), "2.50");
    assert_eq!(fee.to_minor_units(2).unwrap(), 250);
    assert_eq!(withdrawal.metadata.unwrap().channel, Some(Channel::Atm));
    assert_eq!(withdrawal.description, None);

    let Event::CardCharged(charge) = sample_notification("card.charged").event else {
        panic!()
    };
    assert_eq!(charge.amount.as_str(), "50.00");
    assert_eq!(charge.fee.as_ref().unwrap().to_minor_units(2).unwrap(), 150);
    assert_eq!(charge.description.as_deref(), Some("Purchase at Store"));
    let metadata = charge.metadata.unwrap();
    assert_eq!(metadata.channel, Some(Channel::Pos));
    assert_eq!(metadata.charge_amount.as_ref().unwrap().as_str(), "50.00");

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
    assert_eq!(
        refund.original_transaction_ref.as_deref(),
        Some("TXN123456")
    );
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
            funding.paid_amount.as_ref().unwrap().as_str(),
            funding.fee.as_ref().unwrap().as_str()
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
        notification.customer_id.as_deref(),
        Some(""),
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
    assert_eq!(notification.customer_id.as_deref(), Some("c1"));
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
        // Delivered as drifted, keeping its key; refused (422) only by a strict receiver.
        let notification = receive(&body).unwrap();
        let Event::Drifted(drifted) = &notification.event else {
            panic!("{notification:?}")
        };
        assert_eq!(drifted.event_type(), "card.charged");
        assert_eq!(drifted.error().json_path(), Some("data.amount"));
        assert_eq!(drifted.raw_body(), body.as_bytes());
        assert_eq!(
            notification.idempotency_key().unwrap().as_str(),
            "card.charged:TXN123456"
        );
        let err = receive_strictly(&body).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::PayloadData, "{err}");
        assert_eq!(err.status(), 422);
        assert_eq!(err.event_type(), Some("card.charged"));
        assert_eq!(err.json_path(), Some("data.amount"));
        assert!(!err.to_string().contains("jane"), "{err}");
    }
    // Without the reference its key is made of, the event drifts without a key.
    let unkeyed = good.replace(r#""transaction_ref": "TXN123456","#, "");
    let notification = receive(&unkeyed).unwrap();
    assert!(matches!(notification.event, Event::Drifted(_)));
    assert_eq!(notification.idempotency_key(), None);
    let missing = receive_strictly(&unkeyed).unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::PayloadData);
    assert_eq!(missing.json_path(), Some("data"));
    assert!(
        missing
            .to_string()
            .contains("missing field `transaction_ref`"),
        "{missing}"
    );
    let nested =
        receive_strictly(&good.replace(r#""name": "Store Name""#, r#""name": 7"#)).unwrap_err();
    assert_eq!(nested.json_path(), Some("data.metadata.merchant.name"));
}

#[test]
fn envelope_problems_are_errors_not_unknown_events() {
    for (body, kind) in [
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
    let invalid_utf8 =
        signed_request(&Platnova::new(secret()), &b"{\"event\":\"\xff\"}"[..]).unwrap();
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
        &Platnova::new(Secret::new("the-old-one").unwrap()),
        sample("card.funded").unwrap().body,
    )
    .unwrap();
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
    let request = signed_request(&Platnova::new(secret()), body).unwrap();
    let verified = platnova.verify(&request.headers, &request.body).unwrap();
    assert_eq!(
        platnova.parse(verified).unwrap().event_type(),
        "card.charged"
    );
}

#[tokio::test]
async fn http_requests_from_the_testing_feature_verify() {
    use http_body_util::BodyExt;

    let request = signed_request(
        &Platnova::new(secret()),
        sample("card.refund").unwrap().body,
    )
    .unwrap()
    .into_http("/webhooks/platnova")
    .unwrap();
    let (parts, body) = request.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    let notification = Platnova::new(secret())
        .verify_and_parse(&parts.headers, &body)
        .unwrap();
    assert_eq!(notification.event_type(), "card.refund");
}

/// The shapes Platnova's own guides show, each verified with the secret sent verbatim (as
/// Platnova sends it: nothing to compute) and reaching the application typed.
#[test]
fn the_shapes_platnovas_own_pages_show_are_typed() {
    let headers = [("X-WEBHOOK-SECRET", "pn_live_9f8e7d6c5b4a")];
    let receive = |body: &str| {
        Platnova::new(secret())
            .verify_and_parse(&headers, body.as_bytes())
            .unwrap_or_else(|error| panic!("{error}: {body}"))
    };

    // The receiving-payments guide: no timestamp, no customer id, the second account.funded.
    let funded = receive(
        r#"{"event":"account.funded","data":{"transaction_id":"txn_123","virtual_account_id":"va_456",
        "amount":"1000.00","currency":"USD","payer_name":"Jane Smith","reference":"PAY123456",
        "timestamp":"2025-01-30T10:00:00Z"}}"#,
    );
    assert_eq!(
        (funded.timestamp.as_deref(), funded.customer_id.as_deref()),
        (None, None)
    );
    let Event::AccountFunded(funding) = &funded.event else {
        panic!("{funded:?}")
    };
    assert_eq!(funding.amount.to_minor_units(2).unwrap(), 100_000);
    assert_eq!(funding.payer_name.as_deref(), Some("Jane Smith"));
    assert_eq!(funding.reference.as_deref(), Some("PAY123456"));
    assert_eq!(funding.timestamp.as_deref(), Some("2025-01-30T10:00:00Z"));
    assert_eq!(
        (funding.fee.as_ref(), funding.paid_amount.as_ref()),
        (None, None)
    );
    assert_eq!(
        funded.idempotency_key().unwrap().as_str(),
        "account.funded:txn_123"
    );

    // The payment-verification guide: a known event.
    let payment = receive(sample("payment.status.updated").unwrap().body);
    let Event::PaymentStatusUpdated(update) = &payment.event else {
        panic!("{payment:?}")
    };
    assert_eq!(update.status, hookproof::platnova::PaymentStatus::Success);
    assert_eq!(update.payment_reference.as_deref(), Some("PAY001"));
    assert_eq!(
        payment.idempotency_key().unwrap().as_str(),
        "payment.status.updated:txn_123:success"
    );

    // An unknown event without the optional envelope fields is kept, not refused.
    let unknown = receive(r#"{"event":"checkout.paid","data":{"checkout_id":"ch_1"}}"#);
    assert!(matches!(unknown.event, Event::Unknown(_)));

    // Fields the webhooks page shows but that an event can be sent without.
    let terminated = sample("card.terminated").unwrap().body;
    let without_card_info = remove_member(terminated, "card_info");
    assert!(
        matches!(receive(&without_card_info).event, Event::CardTerminated(ref card) if card.card_info.is_none())
    );
    let charged = sample("card.charged").unwrap().body;
    let without_holder = charged.replace(r#""card_holder_name": "John Doe","#, "");
    assert_ne!(without_holder, charged);
    assert!(
        matches!(receive(&without_holder).event, Event::CardCharged(ref card) if card.card_holder_name.is_none())
    );
    let withdrawal = sample("card.withdrawal").unwrap().body;
    let null_fee = withdrawal.replace(r#""fee": 2.50"#, r#""fee": null"#);
    assert_ne!(null_fee, withdrawal);
    assert!(
        matches!(receive(&null_fee).event, Event::CardWithdrawal(ref card) if card.fee.is_none())
    );
}

/// `body` without the member `name` (an object), wherever it is.
fn remove_member(body: &str, name: &str) -> String {
    let mut value: serde_json::Value = serde_json::from_str(body).unwrap();
    fn strip(value: &mut serde_json::Value, name: &str) {
        if let Some(object) = value.as_object_mut() {
            object.remove(name);
            object.values_mut().for_each(|inner| strip(inner, name));
        }
    }
    strip(&mut value, name);
    value.to_string()
}
