//! Platfone's `verify_and_parse`, configured with HMAC-SHA256, on arbitrary signed bodies.
#![no_main]

use hookproof::platfone::Platfone;
use hookproof::testing::platfone::signed_request;
use hookproof::verify::HmacSha256;
use hookproof::{ErrorKind, Provider, Secret};
use http::HeaderName;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let scheme = HmacSha256::new(
        HeaderName::from_static("x-platfone-signature"),
        Secret::new("fuzz-platfone-secret").unwrap(),
    )
    .with_prefix("sha256=");
    let platfone = Platfone::new(scheme);
    let request = signed_request(&platfone, body).unwrap();
    if let Err(error) = platfone.verify_and_parse(&request.headers, &request.body) {
        assert_ne!(error.kind(), ErrorKind::SignatureMismatch, "{error}");
    }
});
