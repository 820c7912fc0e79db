//! Spooling an output that must be written whole or not at all (a record package is one JSON
//! value): it is written to a temporary file first, then copied out.

use std::io::{self, Write};
use std::path::PathBuf;

/// A temporary file, removed when dropped.
#[derive(Debug)]
pub struct Spool {
    path: PathBuf,
    /// The file, open for reading and writing.
    pub file: std::fs::File,
}

impl Spool {
    /// Creates an empty file in the system's temporary directory, only this process's.
    pub fn create() -> io::Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let path = std::env::temp_dir().join(format!(
            "ngc-ocds-compile-{}-{nanos}.json",
            std::process::id()
        ));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok(Spool { path, file })
    }

    /// Copies everything written so far to `out`.
    pub fn copy_to<W: Write>(&mut self, out: &mut W) -> io::Result<()> {
        use std::io::Seek;
        self.file.seek(io::SeekFrom::Start(0))?;
        io::copy(&mut self.file, out)?;
        Ok(())
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
