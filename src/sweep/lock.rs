//! `sweep.lock`: one writer per sweep folder. The lock names the host, the process id and
//! the process's start (the boot and the start time since boot, on Linux), and its writer
//! touches it every [`HEARTBEAT`] while it runs. So a lock can be told apart from one left
//! by a sweep that died (a kill, a container restart, a requeued Slurm task), even when its
//! process id now belongs to another process: on the same host the start must match; from
//! another host the lock must have been touched within [`STALE`]. A lock that cannot belong
//! to a live sweep is taken over by `--resume` or `--force`.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use super::error::{SweepError, io};

/// The lock's file name.
pub const LOCK: &str = "sweep.lock";

/// How often a running sweep touches its lock.
pub const HEARTBEAT: Duration = Duration::from_secs(20);

/// A lock from another host untouched this long belongs to no live sweep.
pub const STALE: Duration = Duration::from_secs(120);

/// Who holds (or held) a lock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    /// Host name.
    pub host: String,
    /// Process id.
    pub pid: u32,
    /// Linux boot id, if known.
    pub boot: Option<String>,
    /// Process start time in clock ticks since boot, if known.
    pub start: Option<u64>,
}

impl Holder {
    /// This process.
    pub fn me() -> Holder {
        let pid = std::process::id();
        Holder {
            host: hostname(),
            pid,
            boot: boot_id(),
            start: process_start(pid),
        }
    }

    fn text(&self) -> String {
        let mut out = format!("host {}\npid {}\n", self.host, self.pid);
        if let Some(boot) = &self.boot {
            out.push_str(&format!("boot {boot}\n"));
        }
        if let Some(start) = self.start {
            out.push_str(&format!("start {start}\n"));
        }
        out
    }

    /// Reads a lock's text; a bare process id (older locks) has an unknown host.
    fn parse(text: &str) -> Option<Holder> {
        if let Ok(pid) = text.trim().parse::<u32>() {
            return Some(Holder {
                host: String::new(),
                pid,
                boot: None,
                start: None,
            });
        }
        let field = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
                .map(str::trim)
        };
        Some(Holder {
            host: field("host")?.to_owned(),
            pid: field("pid")?.parse().ok()?,
            boot: field("boot").map(str::to_owned),
            start: field("start").and_then(|s| s.parse().ok()),
        })
    }

    /// How a message names it.
    pub fn describe(&self) -> String {
        if self.host.is_empty() {
            format!("process {}", self.pid)
        } else {
            format!("process {} on {}", self.pid, self.host)
        }
    }
}

/// What a folder's lock says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// No lock: no sweep is writing the folder.
    Free,
    /// A live sweep holds it.
    Live(Holder),
    /// A sweep that no longer runs left it (`None`: the lock is empty or unreadable).
    Stale(Option<Holder>),
}

/// Reads the lock of `dir` and judges whether its holder still runs.
pub fn state(dir: &Path) -> State {
    let path = dir.join(LOCK);
    let Ok(text) = fs::read_to_string(&path) else {
        return if path.exists() {
            State::Stale(None)
        } else {
            State::Free
        };
    };
    let Some(holder) = Holder::parse(&text) else {
        return State::Stale(None);
    };
    let touched = fs::metadata(&path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok());
    if alive(&holder, &Holder::me(), touched) {
        State::Live(holder)
    } else {
        State::Stale(Some(holder))
    }
}

/// Whether `holder` can be a live sweep, judged from this process `me`, and how long ago
/// the lock was touched.
fn alive(holder: &Holder, me: &Holder, touched: Option<Duration>) -> bool {
    let fresh = touched.is_some_and(|age| age < STALE);
    if holder.host.is_empty() {
        // An older lock holding a bare process id.
        return fresh && pid_alive(holder.pid);
    }
    if holder.host != me.host || holder.boot.is_none() || me.boot.is_none() {
        // Another host (or no way to identify a process): only the heartbeat tells.
        return fresh;
    }
    if holder.boot != me.boot {
        return false;
    }
    match (holder.start, process_start(holder.pid)) {
        (Some(recorded), Some(now)) => recorded == now,
        _ => pid_alive(holder.pid) && fresh,
    }
}

/// The lock of a running sweep: touched every [`HEARTBEAT`] by a thread, removed when
/// dropped (however the sweep ends, short of being killed).
pub struct Lock {
    path: PathBuf,
    stop: Arc<AtomicBool>,
    heartbeat: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Lock {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.heartbeat.take() {
            h.thread().unpark();
            let _ = h.join();
        }
        let _ = fs::remove_file(&self.path);
    }
}

/// Takes the lock of `dir`. A live holder is refused; a stale lock is refused without
/// `takeover`, and replaced with it (the previous holder is returned, for a message).
pub fn take(dir: &Path, takeover: bool) -> Result<(Lock, Option<State>), SweepError> {
    let path = dir.join(LOCK);
    let mut replaced = None;
    for _ in 0..3 {
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                let written = f
                    .write_all(Holder::me().text().as_bytes())
                    .and_then(|()| f.sync_all());
                if let Err(e) = written {
                    // A full disk leaves no empty lock behind.
                    drop(f);
                    let _ = fs::remove_file(&path);
                    return Err(io(&path)(e));
                }
                return Ok((start(path), replaced));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => match state(dir) {
                State::Live(holder) => {
                    return Err(SweepError::Folder(format!(
                        "{} is being written by another sweep ({}); wait for it to finish, or use another --out",
                        dir.display(),
                        holder.describe()
                    )));
                }
                stale => {
                    if !takeover {
                        return Err(SweepError::Folder(interrupted(dir, &stale)));
                    }
                    fs::remove_file(&path).map_err(io(&path))?;
                    replaced = Some(stale);
                }
            },
            Err(e) => return Err(io(&path)(e)),
        }
    }
    Err(SweepError::Folder(format!("cannot lock {}", dir.display())))
}

/// The message for a folder whose sweep was interrupted.
pub fn interrupted(dir: &Path, stale: &State) -> String {
    let who = match stale {
        State::Stale(Some(holder)) => format!(" ({} stopped)", holder.describe()),
        _ => String::new(),
    };
    format!(
        "{} holds an interrupted sweep{who}; pass --resume to continue it, or --force to start over",
        dir.display()
    )
}

/// The lock at `path`, with its heartbeat thread started.
fn start(path: PathBuf) -> Lock {
    let stop = Arc::new(AtomicBool::new(false));
    let heartbeat = {
        let (path, stop) = (path.clone(), stop.clone());
        std::thread::Builder::new()
            .name("sweep-lock".into())
            .spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    std::thread::park_timeout(HEARTBEAT);
                    if let Ok(f) = OpenOptions::new().append(true).open(&path) {
                        let _ = f.set_modified(SystemTime::now());
                    }
                }
            })
            .ok()
    };
    Lock {
        path,
        stop,
        heartbeat,
    }
}

fn hostname() -> String {
    let from_proc = fs::read_to_string("/proc/sys/kernel/hostname").ok();
    from_proc
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty() && !h.contains('\n'))
        .unwrap_or_else(|| "unknown-host".to_owned())
}

fn boot_id() -> Option<String> {
    let id = fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    Some(id.trim().to_owned()).filter(|id| !id.is_empty())
}

/// Field 22 of `/proc/PID/stat`: the start time in clock ticks since boot.
fn process_start(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(19)?.parse().ok()
}

fn pid_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Without a portable check, assume it runs (the heartbeat still ages it out).
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_names_host_process_and_start_and_reads_back() {
        let me = Holder::me();
        assert_eq!(Holder::parse(&me.text()), Some(me.clone()));
        assert_eq!(Holder::parse("4242\n").map(|h| h.pid), Some(4242));
        assert_eq!(Holder::parse(""), None);
        if cfg!(target_os = "linux") {
            assert!(me.boot.is_some() && me.start.is_some(), "{me:?}");
        }
    }

    #[test]
    fn a_reused_process_id_or_a_silent_remote_lock_is_stale() {
        let me = Holder::me();
        let recent = Some(Duration::from_secs(1));
        let old = Some(STALE + Duration::from_secs(1));
        // Another host: the heartbeat decides.
        let remote = Holder {
            host: format!("{}-elsewhere", me.host),
            ..me.clone()
        };
        assert!(alive(&remote, &me, recent));
        assert!(!alive(&remote, &me, old));
        if cfg!(target_os = "linux") {
            // Process 1 runs, but not since the start a lock recorded.
            let parent = Holder {
                pid: 1,
                start: process_start(1).map(|s| s + 1),
                ..me.clone()
            };
            assert!(!alive(&parent, &me, recent), "the start differs");
            let same = Holder {
                pid: 1,
                start: process_start(1),
                ..me.clone()
            };
            assert!(alive(&same, &me, old), "pid and start match");
            let rebooted = Holder {
                boot: Some("another-boot".into()),
                ..same
            };
            assert!(!alive(&rebooted, &me, recent));
        }
    }

    #[test]
    fn a_stale_lock_is_taken_over_only_when_asked() {
        let tmp = tempfile::tempdir().unwrap();
        let dead = Holder {
            pid: 1,
            start: Some(u64::MAX),
            ..Holder::me()
        };
        fs::write(tmp.path().join(LOCK), dead.text()).unwrap();
        if cfg!(target_os = "linux") {
            let Err(e) = take(tmp.path(), false) else {
                panic!("a stale lock is refused without takeover");
            };
            assert!(e.to_string().contains("interrupted"), "{e}");
            let (lock, replaced) = take(tmp.path(), true).unwrap();
            assert_eq!(replaced, Some(State::Stale(Some(dead))));
            let Err(e) = take(tmp.path(), true) else {
                panic!("a live lock is never taken over");
            };
            assert!(e.to_string().contains("another sweep"), "{e}");
            drop(lock);
            assert!(!tmp.path().join(LOCK).exists());
        }
    }
}
