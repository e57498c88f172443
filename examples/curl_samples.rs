//! Prints a ready-to-paste `curl` command per provider: a documented sample, signed with the
//! secrets the receiver examples use (the same environment variables and DEMO defaults).
//!
//! ```sh
//! cargo run -p hookproof-integration --example curl_samples
//! cargo run -p hookproof-integration --example curl_samples -- http://127.0.0.1:8080
//! ```

#[path = "support/demo.rs"]
mod demo;

use hookproof::testing::{cedar, inplayer, platfone, platnova, voximplant};

fn main() -> Result<(), hookproof::Error> {
    let base = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("http://127.0.0.1:{}", demo::port()));
    let requests = [
        (
            "platnova",
            platnova::signed_request(
                &demo::secret("PLATNOVA_SECRET"),
                platnova::sample("card.charged").expect("a sample").body,
            ),
        ),
        (
            "inplayer",
            inplayer::signed_request(
                &demo::secret("INPLAYER_SECRET"),
                inplayer::sample("payment.card.success")
                    .expect("a sample")
                    .body,
            ),
        ),
        (
            "cedar",
            cedar::signed_request(
                &demo::secret("CEDAR_SECRET"),
                cedar::sample("BusinessKycStatusChanged")
                    .expect("a sample")
                    .body,
                cedar::SIGNED_FIELDS,
            )?,
        ),
        (
            "voximplant",
            voximplant::signed_request(
                &demo::secret("VOXIMPLANT_SALT"),
                &demo::secret("VOXIMPLANT_API_KEY"),
                voximplant::sample("sms_inbound").expect("a sample").body,
            )?,
        ),
        (
            "platfone",
            platfone::hmac_signed_request(
                &demo::platfone_scheme(demo::secret("PLATFONE_SECRET")),
                platfone::sample("activation.updated")
                    .expect("a sample")
                    .body,
            ),
        ),
    ];
    for (provider, request) in requests {
        println!(
            "# {provider}\n{}\n",
            request.to_curl(&format!("{base}/webhooks/{provider}"))
        );
    }
    Ok(())
}
