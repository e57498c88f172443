//! `hookproof`: verifies a captured webhook request and explains why one does not verify, signs
//! the providers' samples (or any body), lists the samples, and lists and re-queues a durable
//! inbox's dead letters.
//!
//! Secrets are read from environment variables or files only, never from the command line, and
//! never printed. Exit status: 0 accepted (or done), 1 refused, 2 a usage or input error.

#![forbid(unsafe_code)]

mod configure;
mod explain;
mod inbox;
mod request;
mod verdict;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use configure::{ProviderArgs, ProviderName};

#[derive(Parser)]
#[command(
    name = "hookproof",
    version,
    about = "Verify a captured webhook request and see why it does not verify; sign samples; \
             list and re-queue an inbox's dead letters."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verifies a captured request (raw HTTP/1.1: request line, headers, a blank line, the
    /// body) and, when it is refused, explains what it can see without printing a secret.
    Verify {
        #[command(flatten)]
        provider: ProviderArgs,
        /// The captured request; standard input when absent.
        request: Option<PathBuf>,
    },
    /// Prints a correctly signed request: a documented sample, or a body of your own.
    Sign {
        #[command(flatten)]
        provider: ProviderArgs,
        /// The documented sample of this event type (`hookproof samples` lists them).
        #[arg(long, conflicts_with = "body", required_unless_present = "body")]
        sample: Option<String>,
        /// A file holding the body to sign.
        #[arg(long)]
        body: Option<PathBuf>,
        /// `http` is exactly what `verify` reads; `curl` is a command that sends it.
        #[arg(long, value_enum, default_value_t = Format::Http)]
        format: Format,
        /// Where the request goes [default: http://127.0.0.1:3000/webhooks/<provider>].
        #[arg(long)]
        url: Option<String>,
    },
    /// Lists the documented samples: provider, event type, and whether the provider's
    /// documentation shows it or it is assembled from the fields it documents.
    Samples {
        /// Only this provider's.
        #[arg(long, value_enum)]
        provider: Option<ProviderName>,
    },
    /// Lists a durable inbox's dead letters, or puts some back in line (needs the `sqlite` or
    /// `postgres` feature).
    Inbox {
        #[command(flatten)]
        store: inbox::StoreArgs,
        #[command(subcommand)]
        action: inbox::Action,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Http,
    Curl,
}

/// Why the command could not do its job: answered with exit status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl<E: std::fmt::Display> From<E> for UsageError {
    fn from(error: E) -> Self {
        Self(error.to_string())
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(UsageError(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, UsageError> {
    let mut out = std::io::stdout().lock();
    match cli.command {
        Command::Verify { provider, request } => {
            let configured = provider.configure()?;
            let bytes = match request {
                Some(path) => std::fs::read(&path)
                    .map_err(|error| UsageError(format!("{}: {error}", path.display())))?,
                None => {
                    let mut bytes = Vec::new();
                    std::io::stdin().read_to_end(&mut bytes)?;
                    bytes
                }
            };
            let captured = request::Captured::parse(&bytes).map_err(UsageError)?;
            let accepted = verdict::report(&configured, &captured, &mut out)?;
            Ok(if accepted {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Sign {
            provider,
            sample,
            body,
            format,
            url,
        } => {
            let configured = provider.configure()?;
            let body = match (sample, body) {
                (Some(event_type), _) => configured
                    .samples()
                    .iter()
                    .find(|sample| sample.event_type == event_type)
                    .ok_or_else(|| {
                        UsageError(format!(
                            "{} has no sample `{event_type}`: `hookproof samples --provider {}` \
                             lists them",
                            configured.name(),
                            configured.name()
                        ))
                    })?
                    .body
                    .as_bytes()
                    .to_vec(),
                (None, Some(path)) => std::fs::read(&path)
                    .map_err(|error| UsageError(format!("{}: {error}", path.display())))?,
                (None, None) => unreachable!("clap requires one of them"),
            };
            let signed = configured
                .sign(body)
                .map_err(|error| UsageError(format!("cannot sign this body: {error}")))?;
            let url = url
                .unwrap_or_else(|| format!("http://127.0.0.1:3000/webhooks/{}", configured.name()));
            if configured.sends_its_secret() {
                eprintln!(
                    "note: {}'s scheme signs nothing: this request carries the secret itself",
                    configured.name()
                );
            }
            match format {
                Format::Http => out.write_all(&request::to_http(&signed, &url)?)?,
                Format::Curl => writeln!(out, "{}", signed.to_curl(&url))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Samples { provider } => {
            for name in ProviderName::value_variants() {
                if provider.is_some_and(|only| only != *name) {
                    continue;
                }
                for sample in name.samples() {
                    let origin = match sample.origin {
                        hookproof::testing::Origin::Documented => "documented",
                        _ => "assembled",
                    };
                    writeln!(
                        out,
                        "{:<11} {:<48} {origin}",
                        name.as_str(),
                        sample.event_type
                    )?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Inbox { store, action } => inbox::run(store, action, &mut out),
    }
}
