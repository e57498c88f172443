//! A tour of hookproof with no network and no setup: each scheme verifies a request computed
//! independently (the worked examples in the provider spec), then rejects a tampered copy.
//!
//! Run it with `cargo run --example tour`.

use hookproof::verify::{FieldConcatSha256, HmacSha256, SharedSecretHeader};
use hookproof::{Error, KeyId, Secret, Verifier};
use http::HeaderName;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("hookproof tour: verifying webhook requests, offline\n");

    let platnova = SharedSecretHeader::new(
        HeaderName::from_static("x-webhook-secret"),
        Secret::new("pn_live_9f8e7d6c5b4a")?,
    );
    let body = br#"{"event":"card.funded","customer_id":"user_id","data":{}}"#;
    show(
        "Shared secret in a header (Platnova)",
        &platnova,
        &[("X-WEBHOOK-SECRET", "pn_live_9f8e7d6c5b4a")],
        body,
        &[("X-WEBHOOK-SECRET", "pn_live_guess")],
        body,
    );

    let inplayer = HmacSha256::new(
        HeaderName::from_static("x-inplayer-signature"),
        Secret::new("my_inplayer_api_secret")?,
    )
    .with_prefix("sha256=");
    let body = b"id=WHE-jAlBR7bGKGIV2mSr&created=1559906599&type=payment.card.success&version=2.4.2&resource%5Btransaction%5D=C-MP3obSF5w81JsveRg4LiPV3iS-SC&resource%5Bamount%5D=10.00&resource%5Bcurrency_iso%5D=EUR&resource%5Bformatted_amount%5D=%E2%82%AC10.00&resource%5Bemail%5D=customer%40example.com&resource%5Bstatus%5D=success&resource%5Bcode%5D=200";
    let signature = [(
        "X-InPlayer-Signature",
        "sha256=2986e87aa2db58da312cdebc013d5d7dbf31f6806ba75a38014bb9c1aa4ddfc9",
    )];
    let tampered = String::from_utf8_lossy(body).replace("amount%5D=10.00", "amount%5D=1000.00");
    show(
        "HMAC-SHA256 of the raw body (InPlayer)",
        &inplayer,
        &signature,
        body,
        &signature,
        tampered.as_bytes(),
    );

    let cedar = FieldConcatSha256::new(
        HeaderName::from_static("x-webhook-security-fields"),
        HeaderName::from_static("x-webhook-security-hash"),
        Secret::new("my_webhook_secret")?,
    );
    let headers = [
        ("X-Webhook-Security-Fields", "id,status"),
        (
            "X-Webhook-Security-Hash",
            "b3e490634a0c80364c4511fb6c5d5296de532fd08500ce3873c1a7e1f37bb9e7",
        ),
    ];
    show(
        "SHA-256 over named fields plus the secret (Cedar)",
        &cedar,
        &headers,
        br#"{"id":1234,"status":"VALID"}"#,
        &headers,
        br#"{"id":1234,"status":"FAILED"}"#,
    );
    Ok(())
}

fn show(
    title: &str,
    scheme: &dyn Verifier,
    headers: &[(&str, &str)],
    body: &[u8],
    tampered_headers: &[(&str, &str)],
    tampered_body: &[u8],
) {
    println!("{title}");
    report(scheme.verify(&headers, body));
    report(scheme.verify(&tampered_headers, tampered_body));
    println!();
}

fn report(outcome: Result<KeyId, Error>) {
    match outcome {
        Ok(key) => println!("  ✓ verified with key `{key}`"),
        Err(error) => println!("  ✗ rejected, answer {}: {error}", error.status()),
    }
}
