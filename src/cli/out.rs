//! Printing for every command: what the user reads on standard output and standard error,
//! written so that a closed or full stream never stops the work.
//!
//! `waico sweep ... | head -1` closes the pipe after one line. `println!` would then panic
//! ("failed printing to stdout: Broken pipe") and the sweep would die before drawing its
//! charts. Here a failed write marks the stream closed instead: later output to it is
//! dropped, the command finishes its work (files written, charts drawn) and exits as it
//! would have. A broken pipe is silent (the reader chose to stop reading); any other
//! failure (a full disk behind a redirection) is reported once on standard error.
//!
//! Commands print with [`outln!`] and [`out!`] (standard output) and [`errln!`] (standard
//! error), never with `println!`.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Prints a formatted line on standard output; never panics.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::out::stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Prints formatted text on standard output (no newline added); never panics.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::out::stdout(format_args!($($arg)*))
    };
}

/// Prints a formatted line on standard error; never panics.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::out::stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Writes `text` to standard output unless it has failed before.
pub fn stdout(text: fmt::Arguments<'_>) {
    write_to(
        &STDOUT_CLOSED,
        "standard output",
        |bytes| {
            let mut lock = io::stdout().lock();
            lock.write_all(bytes)?;
            lock.flush()
        },
        text,
    );
}

/// Writes raw bytes (a CSV) to standard output unless it has failed before.
pub fn stdout_bytes(bytes: &[u8]) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut lock = io::stdout().lock();
    if let Err(e) = lock.write_all(bytes).and_then(|()| lock.flush()) {
        drop(lock);
        closed(&STDOUT_CLOSED, "standard output", &e);
    }
}

/// Writes `text` to standard error unless it has failed before.
pub fn stderr(text: fmt::Arguments<'_>) {
    write_to(
        &STDERR_CLOSED,
        "standard error",
        |bytes| {
            let mut lock = io::stderr().lock();
            lock.write_all(bytes)?;
            lock.flush()
        },
        text,
    );
}

fn write_to(
    flag: &AtomicBool,
    name: &str,
    write: impl FnOnce(&[u8]) -> io::Result<()>,
    text: fmt::Arguments<'_>,
) {
    if flag.load(Ordering::Relaxed) {
        return;
    }
    let owned;
    let bytes = match text.as_str() {
        Some(s) => s.as_bytes(),
        None => {
            owned = text.to_string();
            owned.as_bytes()
        }
    };
    if let Err(e) = write(bytes) {
        closed(flag, name, &e);
    }
}

/// Marks a stream closed; reports anything but a broken pipe once, on standard error
/// (unless that is the stream that failed).
fn closed(flag: &AtomicBool, name: &str, e: &io::Error) {
    if flag.swap(true, Ordering::Relaxed) || e.kind() == io::ErrorKind::BrokenPipe {
        return;
    }
    if !std::ptr::eq(flag, &STDERR_CLOSED) {
        stderr(format_args!(
            "warning: cannot write to {name} ({e}); the command carries on without printing\n"
        ));
    }
}
