//! `hookproof inbox`: a durable inbox's dead letters, listed and put back in line, from the
//! SQLite file or the PostgreSQL database the receivers write to.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::UsageError;

/// Where the inbox is.
#[derive(Args)]
#[group(required = true, multiple = false)]
pub struct StoreArgs {
    /// The SQLite inbox's database file (needs the `sqlite` feature).
    #[arg(long, value_name = "FILE")]
    sqlite: Option<PathBuf>,
    /// The environment variable holding the PostgreSQL inbox's URL (needs the `postgres`
    /// feature). A URL carries a password, so it is never an argument.
    #[arg(long, value_name = "VAR")]
    postgres_env: Option<String>,
}

/// What to do with the inbox's dead letters.
#[derive(Subcommand)]
pub enum Action {
    /// Lists the dead letters, oldest first: id, provider, tenant (`-` for a receiver's one
    /// tenant), attempts, when received (UTC) and the last error, on one line.
    DeadLetters {
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
    /// Puts dead letters back in line, due now, their attempts reset.
    Requeue {
        /// The dead letters' ids (`dead-letters` lists them).
        #[arg(required = true)]
        ids: Vec<i64>,
    },
}

/// Runs `action` on the inbox `store` names: 0 done, 1 when an id to re-queue was not a dead
/// letter.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub fn run(store: StoreArgs, action: Action, out: &mut impl Write) -> Result<ExitCode, UsageError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let inbox = open(store).await?;
        match action {
            Action::DeadLetters { limit } => {
                let dead = inbox.dead_letters(limit).await?;
                writeln!(
                    out,
                    "{:<10} {:<11} {:<16} {:>8}  {:<20}  last error",
                    "id", "provider", "tenant", "attempts", "received (UTC)"
                )?;
                for letter in dead {
                    writeln!(
                        out,
                        "{:<10} {:<11} {:<16} {:>8}  {:<20}  {}",
                        letter.id,
                        letter.provider,
                        tenant(&letter.tenant),
                        letter.attempts,
                        humantime::format_rfc3339_seconds(letter.received_at),
                        one_line(&letter.last_error),
                    )?;
                }
                Ok(ExitCode::SUCCESS)
            }
            Action::Requeue { ids } => {
                let mut all = true;
                for id in ids {
                    if inbox.requeue(id).await? {
                        writeln!(out, "{id}: re-queued, due now")?;
                    } else {
                        all = false;
                        writeln!(out, "{id}: not a dead letter (no such row, or not dead)")?;
                    }
                }
                Ok(if all {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
        }
    })
}

/// Without a store feature, there is no inbox to open.
#[cfg(not(any(feature = "sqlite", feature = "postgres")))]
pub fn run(_: StoreArgs, _: Action, _: &mut impl Write) -> Result<ExitCode, UsageError> {
    Err(UsageError(
        "this hookproof was built without an inbox store: install it with `--features cli,sqlite` \
         or `--features cli,postgres`"
            .into(),
    ))
}

/// The tenant's name, or `-` for a receiver's one tenant (whose name is empty).
#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn tenant(name: &str) -> String {
    if name.is_empty() {
        "-".to_owned()
    } else {
        one_line(name)
    }
}

/// Text its sender chose, on one line: a line break in an error cannot start a false row.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
fn one_line(text: &str) -> String {
    text.escape_debug().to_string()
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
async fn open(store: StoreArgs) -> Result<Box<dyn hookproof::delivery::inbox::Inbox>, UsageError> {
    match (store.sqlite, store.postgres_env) {
        (Some(path), _) => open_sqlite(path).await,
        (None, Some(variable)) => open_postgres(&variable).await,
        (None, None) => unreachable!("clap requires one of them"),
    }
}

#[cfg(feature = "sqlite")]
async fn open_sqlite(
    path: PathBuf,
) -> Result<Box<dyn hookproof::delivery::inbox::Inbox>, UsageError> {
    // Opening would create an empty database at a mistyped path.
    if !path.is_file() {
        return Err(UsageError(format!("{}: no such file", path.display())));
    }
    let inbox = hookproof::delivery::inbox::SqliteInbox::open(&path).await?;
    Ok(Box::new(inbox))
}

#[cfg(all(feature = "postgres", not(feature = "sqlite")))]
async fn open_sqlite(_: PathBuf) -> Result<Box<dyn hookproof::delivery::inbox::Inbox>, UsageError> {
    Err(UsageError(
        "this hookproof was built without SQLite: install it with `--features cli,sqlite`".into(),
    ))
}

#[cfg(feature = "postgres")]
async fn open_postgres(
    variable: &str,
) -> Result<Box<dyn hookproof::delivery::inbox::Inbox>, UsageError> {
    let url = std::env::var(variable)
        .map_err(|_| UsageError(format!("the environment variable {variable} is not set")))?;
    let inbox = hookproof::delivery::inbox::PostgresInbox::connect(&url).await?;
    Ok(Box::new(inbox))
}

#[cfg(all(feature = "sqlite", not(feature = "postgres")))]
async fn open_postgres(_: &str) -> Result<Box<dyn hookproof::delivery::inbox::Inbox>, UsageError> {
    Err(UsageError(
        "this hookproof was built without PostgreSQL: install it with `--features cli,postgres`"
            .into(),
    ))
}
