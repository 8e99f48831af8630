//! An exclusive lock on a folder: a corpus a crawl fills, an output folder a run writes.
//!
//! Input: a folder. Output: a [`FolderLock`] held until it is dropped, or [`Held`] naming
//! the process that holds it. The lock is the operating system's lock on the file
//! `.lock` in the folder (`flock` on Unix, `LockFileEx` on Windows), so it ends with its
//! process however that process ends: a lock file a killed process left behind is taken
//! over by the next one, and no process can hold a lock its owner lost. The file's text
//! names the holder, for the message the next process gives.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file's name in the folder it locks.
pub const LOCK_FILE: &str = ".lock";

/// How often a waiting process tries again.
const POLL: Duration = Duration::from_millis(100);

/// The lock on one folder, held while this value lives.
#[derive(Debug)]
pub struct FolderLock {
    // Closing the file releases the lock.
    _file: File,
}

/// Another process holds the lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub lock_file: PathBuf,
    /// What the holder wrote into the lock file (its process id and command line).
    pub holder: String,
}

impl fmt::Display for Held {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is locked by another process ({}); wait for it to end, or give it time with --lock-wait",
            self.lock_file.display(),
            if self.holder.is_empty() { "unknown" } else { &self.holder }
        )
    }
}

impl std::error::Error for Held {}

impl FolderLock {
    /// Takes the lock on `folder` (created if missing), waiting at most `wait` for
    /// another process to release it. Fails with an `io::Error` of kind `WouldBlock`
    /// carrying [`Held`] when the wait ends first.
    pub fn acquire(folder: &Path, wait: Duration) -> io::Result<FolderLock> {
        fs::create_dir_all(folder)?;
        let path = folder.join(LOCK_FILE);
        let mut file = open_not_following(&path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("{}: {}", path.display(), why_not_opened(&e)),
            )
        })?;
        let deadline = Instant::now() + wait;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(POLL);
                }
                Err(fs::TryLockError::WouldBlock) => {
                    let held = Held {
                        holder: named_holder(&mut file),
                        lock_file: path,
                    };
                    return Err(io::Error::new(io::ErrorKind::WouldBlock, held));
                }
                Err(fs::TryLockError::Error(e)) => return Err(e),
            }
        }
        let previous = holder(&mut file);
        if !previous.is_empty() {
            tracing::info!(lock = %path.display(), previous = %previous, "lock left by an ended process taken over");
        }
        file.set_len(0)?;
        file.rewind()?;
        writeln!(file, "{}", this_process())?;
        file.sync_data()?;
        Ok(FolderLock { _file: file })
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Emptied so that the next holder does not take the text for a crashed holder's.
        let _ = self._file.set_len(0);
    }
}

/// Opens (creating) the lock file itself: where it is a link, the open fails rather than
/// writing through the link to a file elsewhere.
fn open_not_following(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(io::Error::other("the lock file is a link"));
    }
    options.open(path)
}

/// The reason a lock file could not be opened; a link in its place is named as such.
fn why_not_opened(error: &io::Error) -> String {
    #[cfg(unix)]
    if error.raw_os_error() == Some(libc::ELOOP) {
        return "it is a link, which is refused: remove it".to_string();
    }
    error.to_string()
}

/// The holder named in `error`, if it is a lock held by another process.
pub fn held(error: &io::Error) -> Option<&Held> {
    error.get_ref()?.downcast_ref::<Held>()
}

/// The holder's text; a holder that has just taken the lock writes it a moment later.
fn named_holder(file: &mut File) -> String {
    for _ in 0..20 {
        let text = holder(file);
        if !text.is_empty() {
            return text;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    String::new()
}

fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind().and_then(|()| file.read_to_string(&mut text));
    text.trim().to_string()
}

fn this_process() -> String {
    let command: Vec<String> = std::env::args().collect();
    format!("pid {}: {}", std::process::id(), command.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_naming_the_holder_and_taken_once_released() {
        let dir = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(dir.path(), Duration::ZERO).unwrap();
        let refused = FolderLock::acquire(dir.path(), Duration::from_millis(250)).unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::WouldBlock);
        let held = held(&refused).expect("the refusal names the lock");
        assert!(
            held.holder.contains(&format!("pid {}", std::process::id())),
            "{held}"
        );
        assert!(held.to_string().contains(".lock"), "{held}");
        drop(first);
        FolderLock::acquire(dir.path(), Duration::ZERO).expect("released with its holder");
    }

    #[test]
    fn a_waiting_process_gets_the_lock_when_the_holder_ends() {
        let dir = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(dir.path(), Duration::ZERO).unwrap();
        let path = dir.path().to_path_buf();
        let waiter =
            std::thread::spawn(move || FolderLock::acquire(&path, Duration::from_secs(10)).is_ok());
        std::thread::sleep(Duration::from_millis(300));
        drop(first);
        assert!(waiter.join().unwrap());
    }

    #[test]
    #[cfg(unix)]
    fn a_lock_file_that_is_a_link_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("precious.txt");
        fs::write(&target, "precious").unwrap();
        let folder = dir.path().join("out");
        fs::create_dir(&folder).unwrap();
        std::os::unix::fs::symlink(&target, folder.join(LOCK_FILE)).unwrap();
        let refused = FolderLock::acquire(&folder, Duration::ZERO).unwrap_err();
        assert!(refused.to_string().contains("remove it"), "{refused}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "precious");
    }

    #[test]
    fn a_lock_file_left_behind_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(LOCK_FILE), "pid 999999: nianbao run\n").unwrap();
        let _lock = FolderLock::acquire(dir.path(), Duration::ZERO).expect("no process holds it");
        let text = fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert!(
            text.starts_with(&format!("pid {}", std::process::id())),
            "{text}"
        );
    }
}
