//! Voximplant's `verify_and_parse` on arbitrary bodies; bodies the testing signer can read get
//! every callback's hash filled in, and must then verify.
#![no_main]

use hookproof::testing::voximplant::{TEST_API_KEY, TEST_SALT, sign, test_receiver};
use hookproof::{ErrorKind, Provider, Secret};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let receiver = test_receiver();
    let Ok(text) = std::str::from_utf8(body) else {
        let _ = receiver.verify_and_parse(&[("a", "b")], body);
        return;
    };
    let salt = Secret::new(TEST_SALT).unwrap();
    let api_key = Secret::new(TEST_API_KEY).unwrap();
    match sign(&salt, &api_key, text) {
        Ok(signed) => {
            if let Err(error) = receiver.verify_and_parse(&[("a", "b")], signed.as_bytes()) {
                assert_ne!(error.kind(), ErrorKind::SignatureMismatch, "{error}");
                assert!(!error.to_string().contains(TEST_API_KEY));
            }
        }
        Err(_) => {
            let _ = receiver.verify_and_parse(&[("a", "b")], body);
        }
    }
});
