//! Where a pack's files are read from: the file system, or memory (the demo pack carried in
//! the binary).
//!
//! The readers ask this module for bytes, existence and sub-directories; a pack read with
//! [`read_pack_from`](super::read_pack_from) is served from the given [`Source`] for the
//! duration of that (synchronous) read on the current thread, every other read from disk.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// A tree of files that a pack can be read from.
pub trait Source {
    /// The bytes of the file at `path`.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Whether a file or directory is at `path`.
    fn exists(&self, path: &Path) -> bool;
    /// The directories directly under `path`.
    fn subdirs(&self, path: &Path) -> io::Result<Vec<PathBuf>>;
}

/// Files held in memory, by path.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Memory {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the file `path` with `bytes`.
    pub fn insert(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }
}

impl Source for Memory {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files.get(path).cloned().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} is not in the pack", path.display()),
            )
        })
    }

    fn exists(&self, path: &Path) -> bool {
        self.files.keys().any(|f| f.starts_with(path))
    }

    fn subdirs(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let mut dirs: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|f| {
                let rest = f.strip_prefix(path).ok()?;
                let mut parts = rest.components();
                let first = parts.next()?;
                // Only a component followed by more is a directory.
                parts.next().map(|_| path.join(first))
            })
            .collect();
        dirs.dedup();
        Ok(dirs)
    }
}

/// The file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct Disk;

impl Source for Disk {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn subdirs(&self, path: &Path) -> io::Result<Vec<PathBuf>> {
        let mut dirs = Vec::new();
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            if entry.path().is_dir() {
                dirs.push(entry.path());
            }
        }
        Ok(dirs)
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<dyn Source>>> = const { RefCell::new(None) };
}

/// Runs `f` with `source` serving this thread's pack reads.
pub(crate) fn with<T>(source: Rc<dyn Source>, f: impl FnOnce() -> T) -> T {
    struct Reset(Option<Rc<dyn Source>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            CURRENT.with(|c| *c.borrow_mut() = self.0.take());
        }
    }
    let _reset = Reset(CURRENT.with(|c| c.borrow_mut().replace(source)));
    f()
}

fn current<T>(f: impl FnOnce(&dyn Source) -> T) -> T {
    match CURRENT.with(|c| c.borrow().clone()) {
        Some(source) => f(source.as_ref()),
        None => f(&Disk),
    }
}

/// The bytes of `path` from the current source.
pub(crate) fn read(path: &Path) -> io::Result<Vec<u8>> {
    current(|s| s.read(path))
}

/// The text of `path` from the current source.
pub(crate) fn read_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read(path)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Whether `path` exists in the current source.
pub(crate) fn exists(path: &Path) -> bool {
    current(|s| s.exists(path))
}

/// The directories directly under `path` in the current source.
pub(crate) fn subdirs(path: &Path) -> io::Result<Vec<PathBuf>> {
    current(|s| s.subdirs(path))
}
