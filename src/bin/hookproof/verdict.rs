//! The verdict on a captured request: what was accepted, or why it was refused.

use std::fmt::Debug;
use std::io::Write;

use hookproof::{Delivery, Error};

use crate::configure::{Configured, Provider};
use crate::request::Captured;
use crate::{UsageError, explain};

/// What an accepted request carried.
pub struct Accepted {
    event_type: String,
    key_id: String,
    keys: Vec<Option<String>>,
    drift: Option<String>,
    detail: String,
}

/// Verifies and parses with `provider`, naming the event with `event_type`.
fn verified<P>(
    provider: &P,
    headers: &[(String, String)],
    body: &[u8],
    event_type: impl Fn(&P::Notification) -> String,
) -> Result<Accepted, Error>
where
    P: hookproof::Provider,
    P::Notification: Debug,
{
    let notification = provider.verify_and_parse(headers, body)?;
    Ok(Accepted {
        event_type: event_type(&notification),
        key_id: notification.provenance().key_id().to_string(),
        keys: notification
            .item_keys()
            .into_iter()
            .map(|key| key.map(|key| key.as_str().to_owned()))
            .collect(),
        drift: notification
            .drifted()
            .map(|drifted| drifted.error().to_string()),
        detail: format!("{notification:#?}"),
    })
}

/// Verifies and parses `headers` and `body` with the configured provider.
pub fn check(
    configured: &Configured,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Accepted, Error> {
    match &configured.provider {
        Provider::Platnova(p) => verified(p, headers, body, |n| n.event_type().to_owned()),
        Provider::InPlayer(p) => verified(p, headers, body, |n| n.event_type().to_owned()),
        Provider::Cedar(p) => verified(p, headers, body, |n| n.event_type().to_owned()),
        Provider::Voximplant(p) => verified(p, headers, body, |n| {
            let kinds: Vec<&str> = n.callbacks.iter().map(|c| c.event_type()).collect();
            kinds.join(", ")
        }),
        Provider::PlatfoneSharedSecret(p) => {
            verified(p, headers, body, |n| n.event_type().to_owned())
        }
        Provider::PlatfoneHmac(p) => verified(p, headers, body, |n| n.event_type().to_owned()),
    }
}

/// Prints the verdict on `captured`; whether it was accepted.
pub fn report(
    configured: &Configured,
    captured: &Captured,
    out: &mut impl Write,
) -> Result<bool, UsageError> {
    for note in &captured.notes {
        writeln!(out, "note: {note}")?;
    }
    match check(configured, &captured.headers, &captured.body) {
        Ok(accepted) => {
            writeln!(out, "accepted: {}", configured.name())?;
            writeln!(out, "  event type       {}", accepted.event_type)?;
            writeln!(out, "  verified by key  {}", accepted.key_id)?;
            for key in &accepted.keys {
                let key = key.as_deref().unwrap_or("(none: every request is new)");
                writeln!(out, "  idempotency key  {key}")?;
            }
            if let Some(drift) = &accepted.drift {
                writeln!(out, "  drifted          {drift}")?;
            }
            writeln!(out, "{}", accepted.detail)?;
            Ok(true)
        }
        Err(error) => {
            writeln!(
                out,
                "refused: {:?} ({}) {error}",
                error.kind(),
                error.status()
            )?;
            let lines = explain::explain(configured, captured);
            if !lines.is_empty() {
                writeln!(out, "why it may not verify:")?;
                for line in lines {
                    writeln!(out, "  - {line}")?;
                }
            }
            Ok(false)
        }
    }
}
