//! A tour of hookproof with no network and no setup: for each provider, a request exactly as the
//! provider sends it is verified and printed as a typed event, then a tampered copy is rejected
//! with its reason. The signatures were computed independently (Python's hashlib/hmac, the
//! worked examples of the provider spec), not by hookproof.
//!
//! Run it with `cargo run --example tour`.

use hookproof::verify::HmacSha256;
use hookproof::{Error, Provider, Secret, cedar, inplayer, platfone, platnova, voximplant};
use http::HeaderName;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("hookproof tour: webhook requests verified and parsed, offline\n");
    platnova_tour()?;
    println!();
    inplayer_tour()?;
    println!();
    cedar_tour()?;
    println!();
    voximplant_tour()?;
    println!();
    platfone_tour()?;
    Ok(())
}

fn platnova_tour() -> Result<(), Box<dyn std::error::Error>> {
    heading("Platnova", "static secret in X-WEBHOOK-SECRET, JSON body");
    let receiver = platnova::Platnova::new(Secret::new("pn_live_9f8e7d6c5b4a")?);
    let body = include_str!("../src/testing/samples/platnova/card.charged.json");
    let headers = [
        ("X-WEBHOOK-SECRET", "pn_live_9f8e7d6c5b4a"),
        ("Content-Type", "application/json"),
    ];

    let notification = receiver.verify_and_parse(&headers, body.as_bytes())?;
    accepted(
        notification.event_type(),
        notification.provenance().key_id().as_str(),
        notification
            .idempotency_key()
            .as_ref()
            .map(|key| key.as_str()),
    );
    if let platnova::Event::CardCharged(charge) = &notification.event {
        let metadata = charge.metadata.as_ref();
        let merchant = metadata
            .and_then(|m| m.merchant.as_ref())
            .and_then(|m| m.name.as_deref());
        println!(
            "    {} {} (fee {}, {} minor units) at {} via {}; customer {}",
            charge.amount,
            charge.currency.as_deref().unwrap_or("-"),
            charge.fee.as_ref().map_or("-".into(), ToString::to_string),
            charge.amount.to_minor_units(2)?,
            merchant.unwrap_or("-"),
            metadata
                .and_then(|m| m.channel.as_ref())
                .map_or("-", |channel| channel.as_str()),
            notification.customer_id.as_deref().unwrap_or("-"),
        );
    }

    let forged = [
        ("X-WEBHOOK-SECRET", "pn_live_guess"),
        ("Content-Type", "application/json"),
    ];
    rejected(
        "a guessed secret",
        receiver.verify_and_parse(&forged, body.as_bytes()),
    );
    // Payload drift: the same authentic event, one field in a shape hookproof does not model.
    // It is not refused (Platnova would retry five times, then drop it): it arrives as drifted.
    let reshaped = body.replace(r#""amount": 50.00"#, r#""amount": "fifty""#);
    let notification = receiver.verify_and_parse(&headers, reshaped.as_bytes())?;
    if let platnova::Event::Drifted(drifted) = &notification.event {
        println!(
            "  ~ {} with an amount that is not a number: delivered as drifted, idempotency key `{}`\n    {}",
            drifted.event_type(),
            notification
                .idempotency_key()
                .as_ref()
                .map_or("-", |key| key.as_str()),
            drifted.error(),
        );
    }
    rejected(
        "the same body to a strict receiver (for development)",
        receiver
            .clone()
            .strict()
            .verify_and_parse(&headers, reshaped.as_bytes()),
    );
    Ok(())
}

fn inplayer_tour() -> Result<(), Box<dyn std::error::Error>> {
    heading(
        "InPlayer",
        "HMAC-SHA256 of the raw form body in X-InPlayer-Signature",
    );
    let receiver = inplayer::InPlayer::new(Secret::new("my_inplayer_api_secret")?);
    let body = "id=WHE-jAlBR7bGKGIV2mSr&created=1559906599&type=payment.card.success&version=2.4.2\
        &resource%5Btransaction%5D=C-MP3obSF5w81JsveRg4LiPV3iS-SC&resource%5Bamount%5D=10.00\
        &resource%5Bcurrency_iso%5D=EUR&resource%5Bformatted_amount%5D=%E2%82%AC10.00\
        &resource%5Bemail%5D=customer%40example.com&resource%5Bstatus%5D=success&resource%5Bcode%5D=200";
    let headers = [
        (
            "X-InPlayer-Signature",
            "sha256=2986e87aa2db58da312cdebc013d5d7dbf31f6806ba75a38014bb9c1aa4ddfc9",
        ),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];

    let notification = receiver.verify_and_parse(&headers, body.as_bytes())?;
    accepted(
        notification.event_type(),
        notification.provenance().key_id().as_str(),
        Some(notification.idempotency_key().as_str()),
    );
    if let inplayer::Event::PaymentCardSuccess(payment) = &notification.event {
        println!(
            "    {} ({} {}) by {}, transaction {}, created at {}",
            payment.formatted_amount.as_deref().unwrap_or("-"),
            payment
                .amount
                .as_ref()
                .map_or("-".into(), ToString::to_string),
            payment.currency_iso.as_deref().unwrap_or("-"),
            payment.email.as_deref().unwrap_or("-"),
            payment.transaction.as_deref().unwrap_or("-"),
            notification.created.map_or("-".into(), |at| at.to_string()),
        );
    }

    let tampered = body.replace("amount%5D=10.00", "amount%5D=1000.00");
    rejected(
        "the amount changed to 1000.00",
        receiver.verify_and_parse(&headers, tampered.as_bytes()),
    );
    let wrong_type = [headers[0], ("Content-Type", "application/json")];
    rejected(
        "a JSON content type",
        receiver.verify_and_parse(&wrong_type, body.as_bytes()),
    );
    Ok(())
}

fn cedar_tour() -> Result<(), Box<dyn std::error::Error>> {
    heading(
        "Cedar",
        "SHA-256 over the fields named in X-Webhook-Security-Fields, then the secret",
    );
    let receiver =
        cedar::Cedar::new(Secret::new("my_webhook_secret")?).require_fields(["id", "status"]);
    let body =
        r#"{"event":"BusinessKycStatusChanged","id":1234,"status":"VALID","note":"not signed"}"#;
    let headers = [
        ("Content-Type", "application/json"),
        ("X-Webhook-Security-Fields", "id,status"),
        (
            "X-Webhook-Security-Hash",
            "b3e490634a0c80364c4511fb6c5d5296de532fd08500ce3873c1a7e1f37bb9e7",
        ),
    ];

    let notification = receiver.verify_and_parse(&headers, body.as_bytes())?;
    accepted(
        notification.event_type(),
        notification.provenance().key_id().as_str(),
        notification
            .idempotency_key()
            .as_ref()
            .map(|key| key.as_str()),
    );
    if let cedar::Event::BusinessKycStatusChanged(kyc) = &notification.event {
        let signed: Vec<_> = notification.signed_fields.iter().collect();
        println!(
            "    merchant {} is now {}; the hash covered {signed:?} and nothing else",
            kyc.id.as_ref().map_or("-".into(), ToString::to_string),
            kyc.status
        );
    }

    rejected(
        "the status changed to FLAGGED",
        receiver.verify_and_parse(&headers, body.replace("VALID", "FLAGGED").as_bytes()),
    );
    let duplicated = body.replace(
        r#""status":"VALID""#,
        r#""status":"VALID","status":"FLAGGED""#,
    );
    rejected(
        "a second `status` after the signed one",
        receiver.verify_and_parse(&headers, duplicated.as_bytes()),
    );
    Ok(())
}

fn voximplant_tour() -> Result<(), Box<dyn std::error::Error>> {
    heading(
        "Voximplant",
        "md5(salt + account_id + api_key + callback_id) inside each callback",
    );
    let receiver = voximplant::Voximplant::new(
        Secret::new("my_salt_value")?,
        Secret::new("0a1b2c3d-4e5f-6789-abcd-ef0123456789")?,
    );
    let body = r#"{"callbacks":[{"callback_id":42,"type":"min_balance","account_id":123456,"hash":"7cecbc16d4d16d6c548765bf76a657dd","account_name":"acme","account_email":"ops@example.com","language_code":"en","account_first_name":"A","account_last_name":"B","balance":1.5,"currency":"USD","min_balance":{"is_min_credit":false,"is_repeated":false}}]}"#;
    let headers = [("Content-Type", "application/json")];

    let notification = receiver.verify_and_parse(&headers, body.as_bytes())?;
    for callback in &notification.callbacks {
        accepted(
            callback.event_type(),
            notification.provenance().key_id().as_str(),
            Some(callback.idempotency_key().as_str()),
        );
        println!(
            "    account {} ({}) has {} {} left",
            callback.account_id,
            callback.account.name.as_deref().unwrap_or("-"),
            callback
                .account
                .balance
                .as_ref()
                .map_or("-".into(), ToString::to_string),
            callback.account.currency.as_deref().unwrap_or("-"),
        );
    }

    rejected(
        "a replayed hash on another callback id",
        receiver.verify_and_parse(&headers, body.replace(":42,", ":43,").as_bytes()),
    );
    let expecting_other = receiver.clone().expect_account_id(777);
    rejected(
        "a callback for another account",
        expecting_other.verify_and_parse(&headers, body.as_bytes()),
    );
    Ok(())
}

fn platfone_tour() -> Result<(), Box<dyn std::error::Error>> {
    heading(
        "Platfone",
        "no published scheme: this receiver chose HMAC-SHA256 of the body in X-Platfone-Signature",
    );
    let receiver = platfone::Platfone::new(
        HmacSha256::new(
            HeaderName::from_static("x-platfone-signature"),
            Secret::new("pf_whsec_1")?,
        )
        .with_prefix("sha256="),
    );
    let body = r#"{"id":"evt_1","type":"activation.updated","data":{"activation_id":"a1","sms_status":"smsReceived","sms_code":"123456","price":0.25,"updated_at":1767225600}}"#;
    let headers = [(
        "X-Platfone-Signature",
        "sha256=b1e5f542bf2234fadc4bf37f9f82e0fa76a3062279be8aab649e43b0e24f43c7",
    )];

    let notification = receiver.verify_and_parse(&headers, body.as_bytes())?;
    accepted(
        notification.event_type(),
        notification.provenance().key_id().as_str(),
        notification
            .idempotency_key()
            .as_ref()
            .map(|key| key.as_str()),
    );
    if let Some(activation) = notification.event.activation() {
        println!(
            "    activation {} is {} with code {} (price {})",
            activation.activation_id.as_deref().unwrap_or("-"),
            activation
                .sms_status
                .as_ref()
                .map_or("-", |status| status.as_str()),
            activation.sms_code.as_deref().unwrap_or("-"),
            activation
                .price
                .as_ref()
                .map_or("-".into(), ToString::to_string),
        );
    }

    rejected(
        "the SMS code changed",
        receiver.verify_and_parse(&headers, body.replace("123456", "000000").as_bytes()),
    );
    Ok(())
}

fn heading(provider: &str, scheme: &str) {
    println!("{provider} ({scheme})");
}

fn accepted(event_type: &str, key_id: &str, idempotency_key: Option<&str>) {
    println!(
        "  ✓ {event_type}: verified with key `{key_id}`, idempotency key `{}`",
        idempotency_key.unwrap_or("-")
    );
}

fn rejected<T>(what: &str, outcome: Result<T, Error>) {
    match outcome {
        Ok(_) => println!("  ! {what} was accepted"),
        Err(error) => println!(
            "  ✗ {what}: {:?}, answer {}\n    {error}",
            error.kind(),
            error.status()
        ),
    }
}
