//! Copying the WAL back into the database file, off the writer's path, and keeping the WAL's
//! file from growing without end or being cut back while a load lasts.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::Connection;

use super::open_connection;

/// Copies the WAL back into the database file every [`Checkpointer::EVERY`] on a connection
/// and a thread of its own, so that a round never waits for it (a checkpoint runs beside a
/// writer in WAL mode); stops when dropped.
///
/// The WAL starts over only once a checkpoint has copied all of it, which one running beside a
/// writer that never pauses never does: the WAL would grow for as long as the load lasts. So
/// when the WAL it found was long, the writer copies the rest itself between two rounds (a
/// short pause: only what was written during this checkpoint is left), and the WAL starts over
/// at the next commit.
///
/// The WAL's file keeps the length the busiest second needed, and is written over from its
/// start: cutting it back at each start cost a sixth of the writer's throughput (its blocks
/// allocated again, the inode written at most commits, and, with the `discard` mount option,
/// the blocks discarded each time). It is given back (cut to nothing) once the writes have
/// stopped, or have used less than a quarter of a file longer than
/// [`Checkpointer::WAL_KEPT_BYTES`] for [`Checkpointer::LOW_TICKS`] ticks in a row: a load that
/// only wavers does not have it cut and grown again.
pub(super) struct Checkpointer {
    _stop: mpsc::Sender<()>,
    wal_is_long: Arc<AtomicBool>,
}

impl Checkpointer {
    const EVERY: Duration = Duration::from_millis(1000);
    /// A WAL of more frames than this (about 16 MiB of 4 KiB pages) is made to start over.
    const LONG_WAL_FRAMES: i64 = 4096;
    /// A WAL file up to this length is kept whatever the load.
    const WAL_KEPT_BYTES: u64 = 64 << 20;
    /// How many ticks in a row a long file must be mostly unused before it is given back.
    const LOW_TICKS: u32 = 3;

    /// Starts the thread, for the database file at `path`.
    pub(super) fn start(path: &Path) -> Self {
        let (stop, stopped) = mpsc::channel::<()>();
        let wal_is_long = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&wal_is_long);
        let path = path.to_path_buf();
        // Without the thread (it could not start), SQLite checkpoints when the WAL is
        // next opened; the WAL grows meanwhile.
        let started = std::thread::Builder::new()
            .name("hookproof-sqlite-checkpoint".into())
            .spawn(move || {
                let Ok(connection) = open_connection(&path) else {
                    return;
                };
                let mut wal = WalFile::new(&path, &connection);
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(Self::EVERY) {
                    // A failed checkpoint is tried again at the next tick: the WAL only grows.
                    if let Ok(frames) = checkpoint(&connection) {
                        flag.store(frames > Self::LONG_WAL_FRAMES, Ordering::Relaxed);
                        if wal.is_mostly_unused(frames) {
                            // Busy or failed: the next tick tries again.
                            let _ = give_back(&connection);
                        }
                    }
                }
                let _ = checkpoint(&connection);
            });
        drop(started);
        Self {
            _stop: stop,
            wal_is_long,
        }
    }

    /// Called by the writer between rounds: copies what is left of a long WAL.
    pub(super) fn finish_long_wal(&self, writer: &Connection) {
        if self.wal_is_long.swap(false, Ordering::Relaxed) {
            // Busy (the checkpointer is at it again) or failed: the next tick says so again.
            let _ = checkpoint(writer);
        }
    }
}

/// A passive checkpoint: copies what it can without waiting for anyone; the WAL's length in
/// frames.
fn checkpoint(connection: &Connection) -> rusqlite::Result<i64> {
    connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))
}

/// Copies all of the WAL and cuts its file to nothing, once the write lock is free (waiting as
/// the writer does, up to [`SqliteInbox::TIMEOUT`](super::SqliteInbox::TIMEOUT)).
fn give_back(connection: &Connection) -> rusqlite::Result<()> {
    connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
}

/// The WAL's file, as the checkpointer sees it from one tick to the next.
struct WalFile {
    path: PathBuf,
    /// A frame: a page and its 24-byte header.
    frame_bytes: u64,
    /// The frames the WAL held at the last tick.
    frames: i64,
    /// How many ticks in a row the writes have used less than a quarter of a long file.
    low_ticks: u32,
}

impl WalFile {
    fn new(database: &Path, connection: &Connection) -> Self {
        let mut path = database.as_os_str().to_owned();
        path.push("-wal");
        let page_size = connection
            .query_row("PRAGMA page_size", [], |row| row.get::<_, u64>(0))
            .unwrap_or(4096);
        Self {
            path: path.into(),
            frame_bytes: page_size + 24,
            frames: 0,
            low_ticks: 0,
        }
    }

    /// Whether the file is longer than [`Checkpointer::WAL_KEPT_BYTES`] and the WAL, holding
    /// `frames` now, was not written since the last tick, or has used less than a quarter of
    /// it for [`Checkpointer::LOW_TICKS`] ticks in a row. A checkpoint that could not run
    /// (another one was running) reports -1 frames: no answer, and not a tick.
    fn is_mostly_unused(&mut self, frames: i64) -> bool {
        let Ok(in_use) = u64::try_from(frames) else {
            return false;
        };
        let written = frames != std::mem::replace(&mut self.frames, frames);
        let Ok(length) = std::fs::metadata(&self.path).map(|file| file.len()) else {
            return false;
        };
        if length <= Checkpointer::WAL_KEPT_BYTES {
            self.low_ticks = 0;
            return false;
        }
        if in_use * self.frame_bytes < length / 4 {
            self.low_ticks += 1;
        } else {
            self.low_ticks = 0;
        }
        !written || self.low_ticks >= Checkpointer::LOW_TICKS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    const MIB: u64 = 1 << 20;

    /// The checkpointer's answers, tick after tick, for a WAL file of `length` bytes (sparse;
    /// none at all for `None`) that held `before` frames at the last tick and holds each of
    /// `frames` in turn.
    fn answers(length: Option<u64>, before: i64, frames: &[i64]) -> Vec<bool> {
        static FILES: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "hookproof-checkpointer-{}-{}",
            std::process::id(),
            FILES.fetch_add(1, Ordering::Relaxed)
        ));
        if let Some(length) = length {
            std::fs::File::create(&path)
                .and_then(|file| file.set_len(length))
                .unwrap();
        }
        let mut wal = WalFile {
            path,
            frame_bytes: 4096 + 24,
            frames: before,
            low_ticks: 0,
        };
        let answers = frames
            .iter()
            .map(|&frames| wal.is_mostly_unused(frames))
            .collect();
        let _ = std::fs::remove_file(&wal.path);
        answers
    }

    #[test]
    fn a_file_within_what_is_kept_is_kept() {
        assert_eq!(answers(Some(64 * MIB), 100, &[100, 0]), [false, false]);
    }

    #[test]
    fn no_file_is_nothing_to_give_back() {
        assert_eq!(answers(None, 40_000, &[40_000]), [false]);
    }

    #[test]
    fn a_long_file_the_load_still_fills_is_kept() {
        // 200 MiB, and each second's writes use 120, then 60 MiB of it.
        assert_eq!(
            answers(Some(200 * MIB), 50_000, &[30_500, 15_300]),
            [false, false]
        );
    }

    #[test]
    fn a_long_file_is_given_back_when_the_load_drops() {
        // Three seconds in a row, the writes used 40 MiB of 200.
        assert_eq!(
            answers(Some(200 * MIB), 50_000, &[10_200, 10_100, 10_300]),
            [false, false, true]
        );
    }

    /// A second or two of fewer writes (the machine busy with something else, a burst ending)
    /// is the load wavering: cutting the file then would have it grown again at once.
    #[test]
    fn a_dip_of_a_second_or_two_keeps_the_file() {
        assert_eq!(
            answers(
                Some(200 * MIB),
                50_000,
                &[10_200, 10_100, 30_500, 10_200, 10_300]
            ),
            [false, false, false, false, false]
        );
    }

    #[test]
    fn a_long_file_is_given_back_when_the_load_stops() {
        // Nothing written since the last tick, however much of the file the WAL holds.
        assert_eq!(
            answers(Some(200 * MIB), 0, &[40_000, 40_000]),
            [false, true]
        );
    }

    #[test]
    fn a_checkpoint_that_could_not_run_says_nothing() {
        // Nor does it count as a tick: two ticks on, the WAL holds what it held, unwritten.
        assert_eq!(
            answers(Some(200 * MIB), 40_000, &[-1, 40_000]),
            [false, true]
        );
    }
}
