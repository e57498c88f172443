//! Cedar's `verify_and_parse`: the input is a fields header, a newline, and a body. Whenever the
//! testing signer can sign the listed fields, verification must accept what it signed.
#![no_main]

use hookproof::cedar::Cedar;
use hookproof::testing::cedar::signed_request_with_fields;
use hookproof::{ErrorKind, Provider, Secret};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "fuzz-cedar-secret";

fuzz_target!(|input: &[u8]| {
    let Some(split) = input.iter().position(|&b| b == b'\n') else { return };
    let (fields, body) = (&input[..split], &input[split + 1..]);
    let Ok(fields) = std::str::from_utf8(fields) else { return };
    let names: Vec<&str> = fields.split(',').collect();
    let cedar = Cedar::new(Secret::new(SECRET).unwrap());
    match signed_request_with_fields(&cedar, body, &names) {
        Ok(request) => {
            if let Err(error) = cedar.verify_and_parse(&request.headers, &request.body) {
                // What was signed verifies; only the header's own syntax may still fail.
                assert_ne!(error.kind(), ErrorKind::SignatureMismatch, "{error}");
                assert!(!error.to_string().contains(SECRET));
            }
        }
        Err(_) => {
            let headers = [
                ("x-webhook-security-fields", fields),
                ("x-webhook-security-hash", "00"),
            ];
            let _ = cedar.verify_and_parse(&headers, body);
        }
    }
});
