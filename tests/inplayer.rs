//! InPlayer end to end: all 27 event types, form decoding as InPlayer sends it, freshness with an
//! injected clock, content type, and every way a payload can be wrong. Signature vectors are in
//! `tests/vectors.rs`.

use std::time::{Duration, SystemTime};

use hookproof::inplayer::{Event, FormValue, InPlayer, Notification};
use hookproof::testing::Origin;
use hookproof::testing::inplayer::{SAMPLES, form_body, sample, signed_request};
use hookproof::{ErrorKind, Provider, Secret, UnixTime};

fn secret() -> Secret {
    Secret::new("my_inplayer_api_secret").unwrap()
}

fn receive_with(inplayer: &InPlayer, body: &str) -> Result<Notification, hookproof::Error> {
    let request = signed_request(&InPlayer::new(secret()), body).unwrap();
    inplayer.verify_and_parse(&request.headers, &request.body)
}

fn receive(body: &str) -> Result<Notification, hookproof::Error> {
    receive_with(&InPlayer::new(secret()), body)
}

fn sample_notification(event_type: &str) -> Notification {
    receive(sample(event_type).unwrap().body).unwrap()
}

#[test]
fn every_event_type_parses_into_its_typed_variant() {
    // The 27 dashboard types and the two of InPlayer's unmerged documentation branches.
    assert_eq!(Event::KNOWN_TYPES.len(), 29);
    assert_eq!(SAMPLES.len(), 29);
    for sample in SAMPLES {
        let notification =
            receive(sample.body).unwrap_or_else(|e| panic!("{}: {e}", sample.event_type));
        assert_eq!(notification.event_type(), sample.event_type);
        assert!(
            !matches!(notification.event, Event::Unknown(_)),
            "{}",
            sample.event_type
        );
        assert_eq!(notification.idempotency_key().as_str(), notification.id);
        assert_eq!(notification.provenance().raw_body(), sample.body.as_bytes());
    }
    let documented = SAMPLES
        .iter()
        .filter(|s| s.origin == Origin::Documented)
        .count();
    assert_eq!(documented, 9);
}

#[test]
fn the_spec_worked_example_verifies_and_parses() {
    // Body and signature from the spec (section 4, worked example 2), computed with Python's hmac.
    let body = "id=WHE-jAlBR7bGKGIV2mSr&created=1559906599&type=payment.card.success&version=2.4.2&resource%5Btransaction%5D=C-MP3obSF5w81JsveRg4LiPV3iS-SC&resource%5Bamount%5D=10.00&resource%5Bcurrency_iso%5D=EUR&resource%5Bformatted_amount%5D=%E2%82%AC10.00&resource%5Bemail%5D=customer%40example.com&resource%5Bstatus%5D=success&resource%5Bcode%5D=200";
    let headers = [
        (
            "X-InPlayer-Signature",
            "sha256=2986e87aa2db58da312cdebc013d5d7dbf31f6806ba75a38014bb9c1aa4ddfc9",
        ),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let notification = InPlayer::new(secret())
        .verify_and_parse(&headers, body.as_bytes())
        .unwrap();
    assert_eq!(notification.id, "WHE-jAlBR7bGKGIV2mSr");
    assert_eq!(
        notification.created,
        Some(UnixTime::from_secs(1_559_906_599))
    );
    assert_eq!(notification.version.as_deref(), Some("2.4.2"));
    let Event::PaymentCardSuccess(payment) = &notification.event else {
        panic!()
    };
    assert_eq!(
        payment.amount.as_ref().unwrap().to_minor_units(2).unwrap(),
        1000
    );
    assert_eq!(payment.formatted_amount.as_deref(), Some("€10.00"));
    assert_eq!(payment.email.as_deref(), Some("customer@example.com"));
    assert_eq!(payment.code, Some(200));
}

#[test]
fn payment_resources_are_typed() {
    let Event::PaymentCardSuccess(payment) = sample_notification("payment.card.success").event
    else {
        panic!()
    };
    assert_eq!(
        payment.transaction.as_deref(),
        Some("C-MP3obSF5w81JsveRg4LiPV3iS-SC")
    );
    assert_eq!(payment.amount.as_ref().unwrap().as_str(), "10.00");
    assert_eq!(payment.customer_id, Some(29894));
    assert_eq!(payment.timestamp, Some(UnixTime::from_secs(1_551_455_675)));
    assert_eq!(payment.preview_title.as_deref(), Some("Example title"));

    // The documented example repeats `previewTitle`; the last value is the one kept.
    let Event::SubscribeSuccess(subscription) = sample_notification("subscribe.success").event
    else {
        panic!()
    };
    assert_eq!(
        subscription.preview_title.as_deref(),
        Some("ooyala muse mp4")
    );

    let Event::ExternalSubscribeSuccess(external) =
        sample_notification("external.subscribe.success").event
    else {
        panic!()
    };
    assert_eq!(external.email.as_deref(), Some("test+232@inplayer.com"));
    assert_eq!(external.description.as_deref(), Some("For Paywall 03"));

    let Event::PaymentRefundSuccess(refund) = sample_notification("payment.refund.success").event
    else {
        panic!()
    };
    assert_eq!(refund.is_partial, Some(true));
}

#[test]
fn failure_resources_keep_codes_and_extras() {
    let Event::PaymentCardFailed(failure) = sample_notification("payment.card.failed").event else {
        panic!()
    };
    assert_eq!(failure.code, Some(422));
    assert_eq!(failure.account_id, Some(29894));
    assert_eq!(
        failure.extras.as_ref().and_then(FormValue::as_text),
        Some(r#"{"decline_code":"insufficient_funds"}"#)
    );
    // Nested extras keep their shape.
    let body = form_body([
        ("id", "WHE-1"),
        ("created", "1559940000"),
        ("type", "subscribe.failed"),
        ("resource[code]", "402"),
        ("resource[extras][gateway][code]", "card_declined"),
    ]);
    let Event::SubscribeFailed(failure) = receive(&body).unwrap().event else {
        panic!()
    };
    let gateway = failure
        .extras
        .as_ref()
        .and_then(|e| e.get("gateway"))
        .and_then(|g| g.get("code"));
    assert_eq!(gateway.and_then(FormValue::as_text), Some("card_declined"));
}

#[test]
fn access_and_customer_resources_read_lenient_booleans() {
    let Event::AssetAccessGranted(access) = sample_notification("asset.access.granted").event
    else {
        panic!()
    };
    assert_eq!(access.consumer_id, Some(29238));
    assert_eq!(access.item_id, Some(43861));
    assert_eq!(access.is_trial, Some(false));
    assert_eq!(access.extended, Some(false), "`0` is false");
    assert_eq!(access.purchased_amount.as_ref().unwrap().as_str(), "3");
    assert_eq!(access.payment_tool.as_deref(), Some("Visa 1111"));
    assert_eq!(access.access_type.as_deref(), Some("purchased"));

    let Event::AssetAccessRevoked(revoked) = sample_notification("asset.access.revoked").event
    else {
        panic!()
    };
    assert_eq!(revoked.revoked, Some(true), "`1` is true");
    assert_eq!(revoked.item_title.as_deref(), Some("For Paywall 03"));

    let Event::CustomerRegistered(customer) = sample_notification("customer.registered").event
    else {
        panic!()
    };
    assert_eq!(customer.id, Some(29237));
    assert_eq!(customer.active, Some(false));
    assert_eq!(customer.completed, Some(true));
    assert_eq!(
        customer.referrer.as_deref(),
        Some("https://event.inplayer.com/staging?asset=43861")
    );

    let Event::CustomerPasswordUpdated(update) =
        sample_notification("customer.password.updated").event
    else {
        panic!()
    };
    assert_eq!(update.customer_id, Some(29237));
}

#[test]
fn an_unknown_event_type_keeps_its_decoded_resource() {
    let body = form_body([
        ("id", "WHE-new"),
        ("created", "1700000000"),
        ("type", "subscription.paused"),
        ("resource[transaction]", "S-1-ST"),
        ("resource[items][]", "a"),
        ("resource[items][]", "b"),
    ]);
    let notification = receive(&body).unwrap();
    assert_eq!(notification.event_type(), "subscription.paused");
    let Event::Unknown(unknown) = &notification.event else {
        panic!()
    };
    assert_eq!(
        unknown
            .resource()
            .get("transaction")
            .and_then(FormValue::as_text),
        Some("S-1-ST")
    );
    assert_eq!(
        unknown.resource().get("items"),
        Some(&FormValue::List(vec![
            FormValue::Text("a".into()),
            FormValue::Text("b".into())
        ]))
    );
}

#[test]
fn a_known_event_with_the_wrong_shape_names_the_event_type_and_path() {
    let body = sample("payment.card.success")
        .unwrap()
        .body
        .replace("amount%5D=10.00", "amount%5D=ten");
    // Delivered as drifted, with the error; refused only by a strict receiver.
    let notification = receive(&body).unwrap();
    let Event::Drifted(drifted) = &notification.event else {
        panic!("{notification:?}")
    };
    assert_eq!(drifted.event_type(), "payment.card.success");
    assert_eq!(drifted.error().json_path(), Some("resource.amount"));
    assert_eq!(notification.idempotency_key().as_str(), notification.id);
    let strict = InPlayer::new(secret()).strict();
    let err = receive_with(&strict, &body).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PayloadData);
    assert_eq!(err.event_type(), Some("payment.card.success"));
    assert_eq!(err.json_path(), Some("resource.amount"));

    let body = sample("asset.access.revoked")
        .unwrap()
        .body
        .replace("revoked%5D=1", "revoked%5D=yes");
    let err = receive_with(&strict, &body).unwrap_err();
    assert_eq!(err.json_path(), Some("resource.revoked"));
    assert!(!err.to_string().contains("yes"), "{err}");

    let body = form_body([
        ("id", "WHE-1"),
        ("created", "1"),
        ("type", "customer.registered"),
        ("resource[email]", "a@b.c"),
        ("resource[id]", "many"),
    ]);
    let err = receive_with(&strict, &body).unwrap_err();
    assert_eq!(err.json_path(), Some("resource.id"));
}

#[test]
fn envelope_problems_are_errors() {
    for (body, kind) in [
        ("created=1&type=x", ErrorKind::PayloadData),
        ("id=1&created=yesterday&type=x", ErrorKind::PayloadData),
        ("id=1&created=1", ErrorKind::PayloadData),
        ("id[a]=1&created=1&type=x", ErrorKind::PayloadData),
        (
            "id=1&created=1&type=x&resource=1&resource[a]=2",
            ErrorKind::AmbiguousPayload,
        ),
        (
            "id=1&created=1&type=x&resource[a=2",
            ErrorKind::PayloadSyntax,
        ),
        ("id=%FF&created=1&type=x", ErrorKind::PayloadSyntax),
    ] {
        assert_eq!(receive(body).unwrap_err().kind(), kind, "{body}");
    }
}

#[test]
fn a_body_without_created_is_delivered_unless_freshness_is_required() {
    let body = "id=1&type=x";
    assert_eq!(receive(body).unwrap().created, None);
    let fresh = InPlayer::new(secret()).with_freshness(Duration::from_secs(300));
    assert_eq!(
        receive_with(&fresh, body).unwrap_err().kind(),
        ErrorKind::StaleTimestamp
    );
}

#[test]
fn the_unmerged_branches_events_are_typed() {
    let notification = sample_notification("subscription.rebill.failed");
    let Event::SubscriptionRebillFailed(failure) = &notification.event else {
        panic!("{notification:?}")
    };
    assert_eq!(
        failure.attempted_charge_amount.as_ref().unwrap().as_str(),
        "10.00"
    );
    // Milliseconds, read as such.
    assert_eq!(failure.timestamp.unwrap().as_secs(), 1_669_043_475);
    let Event::SubscribePending(pending) = sample_notification("subscribe.pending").event else {
        panic!()
    };
    assert_eq!(pending.voucher_code.as_deref(), Some("SPRING10"));
    assert_eq!(pending.full_amount.as_ref().unwrap().as_str(), "10.00");
    assert_eq!(pending.discount_percent.as_ref().unwrap().as_str(), "10");
}

#[test]
fn freshness_is_off_by_default_and_two_sided_when_on() {
    let body = sample("payment.card.success").unwrap().body; // created=1551455676 (2019)
    assert!(receive(body).is_ok(), "an old event is accepted by default");

    let at = |secs: u64| move || SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
    let window = Duration::from_secs(300);
    let fresh = InPlayer::new(secret())
        .with_freshness(window)
        .with_clock(at(1_551_455_676 + 300));
    assert!(receive_with(&fresh, body).is_ok());

    let stale = InPlayer::new(secret())
        .with_freshness(window)
        .with_clock(at(1_551_455_676 + 301));
    let err = receive_with(&stale, body).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StaleTimestamp);
    assert_eq!(err.status(), 401);

    let early = InPlayer::new(secret())
        .with_freshness(window)
        .with_clock(at(1_551_455_676 - 301));
    assert_eq!(
        receive_with(&early, body).unwrap_err().kind(),
        ErrorKind::FutureTimestamp
    );

    let real_clock = InPlayer::new(secret()).with_freshness(window);
    assert_eq!(
        receive_with(&real_clock, body).unwrap_err().kind(),
        ErrorKind::StaleTimestamp
    );
}

#[test]
fn the_content_type_is_checked_when_present() {
    let inplayer = InPlayer::new(secret());
    let body = sample("payment.card.success").unwrap().body;
    let mut request = signed_request(&InPlayer::new(secret()), body).unwrap();
    let signature = request.headers[0].clone();

    request.headers = vec![
        signature.clone(),
        ("Content-Type".into(), "application/json".into()),
    ];
    let err = inplayer
        .verify_and_parse(&request.headers, &request.body)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnsupportedContentType);
    assert_eq!(err.status(), 415);

    request.headers = vec![
        signature.clone(),
        (
            "Content-Type".into(),
            "Application/X-WWW-Form-Urlencoded; charset=UTF-8".into(),
        ),
    ];
    assert!(
        inplayer
            .verify_and_parse(&request.headers, &request.body)
            .is_ok()
    );

    request.headers = vec![signature];
    assert!(
        inplayer
            .verify_and_parse(&request.headers, &request.body)
            .is_ok()
    );
}

#[test]
fn a_tampered_body_is_rejected_before_it_is_decoded() {
    let request = signed_request(
        &InPlayer::new(secret()),
        sample("payment.card.success").unwrap().body,
    )
    .unwrap();
    let tampered = request.clone().with_body(
        request
            .body
            .iter()
            .map(|&b| if b == b'1' { b'9' } else { b })
            .collect::<Vec<_>>(),
    );
    let err = InPlayer::new(secret())
        .verify_and_parse(&tampered.headers, &tampered.body)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureMismatch);
    let garbage = request.with_body(&b"\xff\xfe not a form"[..]);
    let err = InPlayer::new(secret())
        .verify_and_parse(&garbage.headers, &garbage.body)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureMismatch);
}
