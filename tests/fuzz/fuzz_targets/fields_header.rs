//! The field-concatenation scheme's fields header and field lookup: the input is a fields
//! header, a newline, and a JSON body, verified against an arbitrary hash.
#![no_main]

use hookproof::verify::FieldConcatSha256;
use hookproof::Secret;
use http::HeaderName;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let split = input.iter().position(|&b| b == b'\n').unwrap_or(input.len());
    let (fields, body) = (&input[..split], input.get(split + 1..).unwrap_or_default());
    let scheme = FieldConcatSha256::new(
        HeaderName::from_static("x-fields"),
        HeaderName::from_static("x-hash"),
        Secret::new("fuzz-fields-secret").unwrap(),
    )
    .require_fields(["id"]);
    let headers = [
        ("x-fields", fields),
        ("x-hash", &b"0000000000000000000000000000000000000000000000000000000000000000"[..]),
    ];
    // No SHA-256 is all zeros: whatever the header and body, this must be refused.
    if let Ok((_, signed)) = scheme.verify_body(&headers, body) {
        panic!("a zero hash verified for {:?}", signed.iter().collect::<Vec<_>>());
    }
});
