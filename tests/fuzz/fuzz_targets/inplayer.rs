//! InPlayer's `verify_and_parse` on arbitrary bodies, each signed first so the form decoder and
//! the typed events are reached.
#![no_main]

use hookproof::inplayer::InPlayer;
use hookproof::testing::inplayer::signed_request;
use hookproof::{ErrorKind, Provider, Secret};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let inplayer = InPlayer::new(Secret::new("fuzz-inplayer-secret").unwrap());
    let request = signed_request(&inplayer, body).unwrap();
    if let Err(error) = inplayer.verify_and_parse(&request.headers, &request.body) {
        assert_ne!(error.kind(), ErrorKind::SignatureMismatch, "{error}");
    }
});
