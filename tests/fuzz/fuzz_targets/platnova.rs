//! Platnova's `verify_and_parse` on arbitrary bodies sent with the right secret, so every input
//! reaches the parser.
#![no_main]

use hookproof::platnova::Platnova;
use hookproof::testing::platnova::signed_request;
use hookproof::{ErrorKind, Provider, Secret};
use libfuzzer_sys::fuzz_target;

const SECRET: &str = "fuzz-platnova-secret";

fuzz_target!(|body: &[u8]| {
    let platnova = Platnova::new(Secret::new(SECRET).unwrap());
    let request = signed_request(&platnova, body).unwrap();
    if let Err(error) = platnova.verify_and_parse(&request.headers, &request.body) {
        assert_ne!(error.kind(), ErrorKind::SignatureMismatch, "{error}");
        assert!(!error.to_string().contains(SECRET));
    }
});
