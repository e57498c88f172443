//! InPlayer's `verify_and_parse` on arbitrary bodies, each signed first so the form decoder and
//! the typed events are reached.
#![no_main]

use hookproof::inplayer::InPlayer;
use hookproof::testing::inplayer::signed_request;
use hookproof::{ErrorKind, Provider, Secret};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let secret = Secret::new("fuzz-inplayer-secret").unwrap();
    let request = signed_request(&secret, body);
    if let Err(error) = InPlayer::new(secret).verify_and_parse(&request.headers, &request.body) {
        assert_ne!(error.kind(), ErrorKind::SignatureMismatch, "{error}");
    }
});
