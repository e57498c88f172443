//! Counts of the work verification does, so that tests can bound it without timing anything.
//!
//! Outside the crate's own tests the counters compile to nothing.

#[cfg(test)]
use std::cell::Cell;

#[cfg(test)]
thread_local! {
    static PARSED: Cell<usize> = const { Cell::new(0) };
    static HASHED: Cell<usize> = const { Cell::new(0) };
}

/// `bytes` of JSON text were parsed.
#[inline]
pub(crate) fn parsed(bytes: usize) {
    #[cfg(test)]
    PARSED.with(|count| count.set(count.get() + bytes));
    #[cfg(not(test))]
    let _ = bytes;
}

/// `bytes` were fed to a hash.
#[inline]
pub(crate) fn hashed(bytes: usize) {
    #[cfg(test)]
    HASHED.with(|count| count.set(count.get() + bytes));
    #[cfg(not(test))]
    let _ = bytes;
}

/// What this thread parsed and hashed while running `work`: `(parsed, hashed)` bytes.
#[cfg(test)]
pub(crate) fn measure<T>(work: impl FnOnce() -> T) -> (T, usize, usize) {
    let before = (PARSED.with(Cell::get), HASHED.with(Cell::get));
    let result = work();
    (
        result,
        PARSED.with(Cell::get) - before.0,
        HASHED.with(Cell::get) - before.1,
    )
}
