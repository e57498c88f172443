//! The verification step of the shared-secret and HMAC schemes allocates nothing: a counting
//! allocator watches each call. Counts are per thread, so tests running in parallel do not mix.
//! (The benches report the allocations of every provider's `verify_and_parse`.)

#[path = "support/counting_allocator.rs"]
mod counting_allocator;

use counting_allocator::allocations;
use hookproof::inplayer::InPlayer;
use hookproof::platnova::Platnova;
use hookproof::verify::{HmacSha256, SharedSecretHeader};
use hookproof::{KeyRing, Provider, Secret, Verifier};
use http::{HeaderMap, HeaderName, HeaderValue};

fn secret(text: &str) -> Secret {
    Secret::new(text).unwrap()
}

/// The spec's InPlayer worked example (its signature computed with Python's `hmac`).
const INPLAYER_BODY: &str = "id=WHE-jAlBR7bGKGIV2mSr&created=1559906599&type=payment.card.success&version=2.4.2&resource%5Btransaction%5D=C-MP3obSF5w81JsveRg4LiPV3iS-SC&resource%5Bamount%5D=10.00&resource%5Bcurrency_iso%5D=EUR&resource%5Bformatted_amount%5D=%E2%82%AC10.00&resource%5Bemail%5D=customer%40example.com&resource%5Bstatus%5D=success&resource%5Bcode%5D=200";
const INPLAYER_SIGNATURE: &str =
    "sha256=2986e87aa2db58da312cdebc013d5d7dbf31f6806ba75a38014bb9c1aa4ddfc9";

#[test]
fn shared_secret_verification_allocates_nothing() {
    let header = HeaderName::from_static("x-webhook-secret");
    let ring = KeyRing::new("old", secret("first")).with("new", secret("second"));
    let scheme = SharedSecretHeader::new(header.clone(), ring);
    let pairs = [("X-Webhook-Secret", "second")];
    let mut map = HeaderMap::new();
    map.insert(header, HeaderValue::from_static("second"));

    assert_eq!(allocations(|| scheme.verify(&pairs, b"{}").unwrap()), 0);
    assert_eq!(allocations(|| scheme.verify(&map, b"{}").unwrap()), 0);
    let platnova = Platnova::new(secret("second"));
    assert_eq!(allocations(|| platnova.verify(&pairs, b"{}").unwrap()), 0);
    // A failure allocates its error, which is the point of this check being able to fail.
    assert!(allocations(|| scheme.verify(&[("X-Webhook-Secret", "wrong")], b"{}")) > 0);
}

#[test]
fn hmac_verification_allocates_nothing() {
    let header = HeaderName::from_static("x-inplayer-signature");
    let scheme =
        HmacSha256::new(header.clone(), secret("my_inplayer_api_secret")).with_prefix("sha256=");
    let body = INPLAYER_BODY.as_bytes();
    let pairs = [
        ("X-InPlayer-Signature", INPLAYER_SIGNATURE),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ];
    let mut map = HeaderMap::new();
    map.insert(header, HeaderValue::from_static(INPLAYER_SIGNATURE));

    assert_eq!(allocations(|| scheme.verify(&pairs, body).unwrap()), 0);
    assert_eq!(allocations(|| scheme.verify(&map, body).unwrap()), 0);
    let inplayer = InPlayer::new(secret("my_inplayer_api_secret"));
    assert_eq!(allocations(|| inplayer.verify(&pairs, body).unwrap()), 0);
    assert!(allocations(|| scheme.verify(&pairs, b"tampered")) > 0);
}
