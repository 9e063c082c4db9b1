//! Writing a whole output folder atomically: every file goes into a hidden staging folder
//! beside the target, which is renamed into place only when complete. An interrupted run
//! leaves no half-written file and no partial output folder; staging folders of processes
//! that died are removed by the next run in the same place.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::OutputError;

const STAGING: &str = ".waico-staging-";
const RETIRED: &str = ".waico-retired-";

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Fails if `target` exists and `force` is not set: call before any work, so a refused
/// run costs nothing.
pub fn check_target(target: &Path, force: bool) -> Result<(), OutputError> {
    if target.exists() && !target.is_dir() {
        return Err(OutputError::NotAFolder(target.to_path_buf()));
    }
    if target.exists() && !force {
        return Err(OutputError::Exists(target.to_path_buf()));
    }
    Ok(())
}

/// Checks, before any work, that a command writing folders of `kind` may write `target`:
/// a missing folder always; an existing one only with `force`, and then only an empty
/// folder or one of the same kind. Returns a notice to print when the folder replaced was
/// made by something else than `same` accepts (another scenario, seed or set of
/// overrides), naming what it held.
pub fn check_replace(
    target: &Path,
    force: bool,
    kind: &str,
    same: &dyn Fn(&serde_json::Value) -> bool,
) -> Result<Option<String>, OutputError> {
    use super::folder::{self, FolderKind};
    if target.exists() && !target.is_dir() {
        return Err(OutputError::NotAFolder(target.to_path_buf()));
    }
    let found = folder::kind_of(target);
    // "is a run folder (written by `waico run`), made by `baseline`, seed 1 (sha256 …)".
    let holds = || match folder::manifest(target) {
        Some(m) if found.name() == kind => {
            format!("{}, made by {}", found.describe(), folder::identity(&m))
        }
        _ => found.describe(),
    };
    match found {
        FolderKind::Missing => Ok(None),
        _ if !force => Err(OutputError::Occupied {
            path: target.to_path_buf(),
            holds: holds(),
        }),
        FolderKind::Empty => Ok(None),
        ref k if k.name() == kind => match folder::manifest(target) {
            Some(m) if same(&m) => Ok(None),
            _ => Ok(Some(format!(
                "note: replacing {}, which {}",
                target.display(),
                holds()
            ))),
        },
        other => Err(OutputError::Refused {
            path: target.to_path_buf(),
            holds: other.describe(),
            kind: kind.to_owned(),
        }),
    }
}

/// Writes `files` (name, bytes) as the folder `target`, replacing an existing folder only
/// when `force` is set.
pub fn write_dir(
    target: &Path,
    files: &[(String, Vec<u8>)],
    force: bool,
) -> Result<(), OutputError> {
    let staging = Staging::new(target, force)?;
    for (name, bytes) in files {
        staging.write(name, bytes)?;
    }
    staging.commit()
}

/// A folder being built beside its target: files go in with [`Staging::write`] (or any
/// writer into [`Staging::dir`]), and [`Staging::commit`] renames it into place. Dropped
/// without a commit (an error, a panic), it removes itself and the target is untouched.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    parent: PathBuf,
    leaf: String,
    force: bool,
    committed: bool,
    created: Vec<PathBuf>,
}

impl Staging {
    /// Creates the staging folder of `target`; fails at once if `target` exists and
    /// `force` is not set.
    pub fn new(target: &Path, force: bool) -> Result<Staging, OutputError> {
        check_target(target, force)?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // The folders this creates, deepest first, are removed again on failure.
        let created: Vec<PathBuf> = parent
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .map(Path::to_path_buf)
            .collect();
        let leaf = target
            .file_name()
            .map_or_else(|| "output".to_owned(), |n| n.to_string_lossy().into_owned());
        let staging = Staging {
            dir: parent.join(unique_name(STAGING, &leaf)),
            target: target.to_path_buf(),
            parent,
            leaf,
            force,
            committed: false,
            created,
        };
        fs::create_dir_all(&staging.parent).map_err(io(&staging.parent))?;
        remove_stale(&staging.parent);
        fs::create_dir(&staging.dir).map_err(io(&staging.dir))?;
        Ok(staging)
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file into the staging folder and syncs it.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dir.join(name);
        let mut file = fs::File::create(&path).map_err(io(&path))?;
        file.write_all(bytes).map_err(io(&path))?;
        file.sync_all().map_err(io(&path))
    }

    /// Puts the staging folder in the target's place (the old target, when `force`
    /// allowed one, is removed only once the new one is in place).
    pub fn commit(mut self) -> Result<(), OutputError> {
        let target = &self.target;
        if target.exists() {
            if !self.force {
                return Err(OutputError::Exists(target.clone()));
            }
            let retired = self.parent.join(unique_name(RETIRED, &self.leaf));
            fs::rename(target, &retired).map_err(io(target))?;
            if let Err(e) = fs::rename(&self.dir, target) {
                // Put the old folder back: a failure leaves the target as it was.
                let _ = fs::rename(&retired, target);
                return Err(io(target)(e));
            }
            let _ = fs::remove_dir_all(&retired);
        } else {
            fs::rename(&self.dir, target).map_err(io(target))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
            for dir in &self.created {
                if fs::remove_dir(dir).is_err() {
                    break;
                }
            }
        }
    }
}

/// `<prefix><leaf>-<pid>-<n>`: unique within this process and across processes.
fn unique_name(prefix: &str, leaf: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}{leaf}-{}-{n}", std::process::id())
}

/// Removes staging and retired folders left in `dir` by processes that no longer run.
fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name
            .strip_prefix(STAGING)
            .or_else(|| name.strip_prefix(RETIRED))
        else {
            continue;
        };
        let mut parts = rest.rsplitn(3, '-');
        let (_n, pid) = (parts.next(), parts.next());
        if let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok())
            && pid != std::process::id()
            && !process_alive(pid)
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        // Without a portable check, assume it runs: never delete another run's staging.
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(String, Vec<u8>)> {
        vec![
            ("a.csv".into(), b"x\n1\n".to_vec()),
            ("b.json".into(), b"{}".to_vec()),
        ]
    }

    #[test]
    fn writes_a_folder_and_refuses_to_overwrite_it() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("run");
        write_dir(&target, &files(), false).unwrap();
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"x\n1\n");
        let err = write_dir(&target, &[("a.csv".into(), b"new".to_vec())], false).unwrap_err();
        assert!(matches!(err, OutputError::Exists(_)), "{err}");
        assert_eq!(
            fs::read(target.join("a.csv")).unwrap(),
            b"x\n1\n",
            "untouched"
        );
        write_dir(&target, &[("a.csv".into(), b"new".to_vec())], true).unwrap();
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"new");
        assert!(
            !target.join("b.json").exists(),
            "--force replaces the whole folder"
        );
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().flatten().collect();
        assert_eq!(leftovers.len(), 1, "no staging or retired folders remain");
    }

    #[test]
    fn stale_staging_of_dead_processes_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        // PIDs are below 2^22 on Linux; this one cannot be running.
        let stale = tmp.path().join(format!("{STAGING}run-4294967-0"));
        fs::create_dir(&stale).unwrap();
        write_dir(&tmp.path().join("run"), &files(), false).unwrap();
        if cfg!(target_os = "linux") {
            assert!(!stale.exists());
        }
    }
}
