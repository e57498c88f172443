//! The bracket-key form decoder and InPlayer's typed events, on arbitrary bodies taken as
//! verified (no HMAC on the way, so every execution is spent decoding).
#![no_main]

use hookproof::inplayer::InPlayer;
use hookproof::{Provider, Secret, dangerous};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let inplayer = InPlayer::new(Secret::new("unused").unwrap());
    if let Err(error) = inplayer.parse(dangerous::assume_verified(body)) {
        // Messages never quote the body: at most a short token of it.
        let message = error.to_string();
        assert!(message.len() < 512, "{message}");
    }
});
