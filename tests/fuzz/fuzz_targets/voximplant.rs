//! Voximplant's `verify_and_parse` on arbitrary bodies; bodies the testing signer can read get
//! every callback's hash filled in, and must then verify.
#![no_main]

use hookproof::testing::voximplant::{TEST_API_KEY, signed_request, test_receiver};
use hookproof::{ErrorKind, Provider};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let receiver = test_receiver();
    let Ok(text) = std::str::from_utf8(body) else {
        let _ = receiver.verify_and_parse(&[("a", "b")], body);
        return;
    };
    match signed_request(&receiver, text) {
        Ok(signed) => {
            if let Err(error) = receiver.verify_and_parse(&[("a", "b")], &signed.body) {
                assert_ne!(error.kind(), ErrorKind::SignatureMismatch, "{error}");
                assert!(!error.to_string().contains(TEST_API_KEY));
            }
        }
        Err(_) => {
            let _ = receiver.verify_and_parse(&[("a", "b")], body);
        }
    }
});
