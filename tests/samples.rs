//! Every documented sample, signed with the one `signed_request` call every provider's testing
//! module offers, and posted through a receiver with a store: each is new, none is a duplicate
//! of another (two InPlayer samples used to share an id), and each is a duplicate of itself.

use hookproof::cedar::Cedar;
use hookproof::delivery::{MemoryStore, Reception};
use hookproof::inplayer::InPlayer;
use hookproof::platfone::Platfone;
use hookproof::platnova::Platnova;
use hookproof::testing::{
    Sample, Sign, cedar, inplayer, platfone, platnova, signed_request, voximplant,
};
use hookproof::verify::HmacSha256;
use hookproof::voximplant::Voximplant;
use hookproof::{Provider, Receiver, Secret};
use http::HeaderName;

fn secret(text: &str) -> Secret {
    Secret::new(text).unwrap()
}

/// Posts every sample twice through one receiver with a store: new, then a duplicate.
fn every_sample_once<P>(provider: P, samples: &[Sample])
where
    P: Provider + Sign + Clone + 'static,
{
    let receiver = Receiver::new(provider.clone()).with_store(MemoryStore::new(10_000));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        for sample in samples {
            let request = signed_request(&provider, sample.body).unwrap();
            match receiver.accept(&request.headers, &request.body).await {
                Ok(Reception::New(claimed)) => {
                    claimed.lease.complete().await.unwrap();
                }
                Ok(_) => panic!("{} {}: not new", P::NAME, sample.event_type),
                Err(rejection) => panic!("{} {}: {rejection}", P::NAME, sample.event_type),
            }
        }
        for sample in samples {
            let request = signed_request(&provider, sample.body).unwrap();
            let again = receiver.accept(&request.headers, &request.body).await;
            assert!(
                matches!(again, Ok(Reception::Duplicate(_))),
                "{} {}: a retry is a duplicate",
                P::NAME,
                sample.event_type
            );
        }
    });
}

#[test]
fn platnova_samples_are_distinct_deliveries() {
    every_sample_once(Platnova::new(secret("pn")), platnova::SAMPLES);
}

#[test]
fn inplayer_samples_are_distinct_deliveries() {
    every_sample_once(InPlayer::new(secret("ip")), inplayer::SAMPLES);
}

#[test]
fn cedar_samples_are_distinct_deliveries() {
    every_sample_once(Cedar::new(secret("cedar")), cedar::SAMPLES);
}

#[test]
fn voximplant_samples_are_distinct_deliveries() {
    every_sample_once(
        Voximplant::new(secret("salt"), secret("api key")),
        voximplant::SAMPLES,
    );
}

#[test]
fn platfone_samples_are_distinct_deliveries() {
    let scheme = HmacSha256::new(HeaderName::from_static("x-signature"), secret("pf"));
    every_sample_once(Platfone::new(scheme), platfone::SAMPLES);
}
