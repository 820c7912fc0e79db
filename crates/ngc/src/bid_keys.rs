//! The keys that seal bids, from configuration (`NGC_BID_KEY` or a key file), and the
//! demo's own key file beside its database. Key material is never printed or logged: only
//! key ids (fingerprints) and file names are.

use crate::config::{BID_KEY_VAR, BidKeySource, Config};
use anyhow::Context;
use ngc_store::sealing::{BidKey, KeyRing};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The configured key ring, if any. A key that cannot be read is an error naming the
/// variable or the file and line.
pub fn configured(config: &Config) -> anyhow::Result<Option<KeyRing>> {
    let ring = match &config.bid_keys {
        None => return Ok(None),
        Some(BidKeySource::Env(keys)) => KeyRing::parse_list(keys, BID_KEY_VAR)?,
        Some(BidKeySource::File(path)) => {
            let ring = KeyRing::read_file(path)?;
            warn_if_readable_by_others(path);
            ring
        }
    };
    Ok(Some(ring))
}

/// Where the demo keeps its generated key when none is configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoKeyPlace {
    /// A file: beside an SQLite database (`ngc.db` → `ngc.db.bid-key`), or
    /// `ngc-demo.bid-key` in the current directory for PostgreSQL.
    File(PathBuf),
    /// Nowhere: the database is in memory, so is its key.
    Memory,
}

/// The demo's key place for a database URL.
pub fn demo_key_place(database_url: &str) -> DemoKeyPlace {
    let Some(rest) = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
    else {
        return DemoKeyPlace::File(PathBuf::from("ngc-demo.bid-key"));
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" || query.split('&').any(|p| p == "mode=memory") {
        return DemoKeyPlace::Memory;
    }
    DemoKeyPlace::File(PathBuf::from(format!("{path}.bid-key")))
}

/// The demo's key ring and a line saying where it comes from: the configured keys if any,
/// else the key file beside the database, made (mode 0600) at the first run and read after.
pub fn for_demo(config: &Config, configured: Option<KeyRing>) -> anyhow::Result<(KeyRing, String)> {
    if let Some(ring) = configured {
        let from = match &config.bid_keys {
            Some(BidKeySource::File(path)) => path.display().to_string(),
            _ => BID_KEY_VAR.to_owned(),
        };
        let line = format!("Bid key: {from} (current key id {}).", ring.current_id());
        return Ok((ring, line));
    }
    match demo_key_place(&config.database_url) {
        DemoKeyPlace::Memory => {
            let ring = KeyRing::single(BidKey::generate()?);
            let line = format!(
                "Bid key: made in memory only, like the database (key id {}).",
                ring.current_id()
            );
            Ok((ring, line))
        }
        DemoKeyPlace::File(path) => {
            let made = create_key_file(&path)?;
            let ring = KeyRing::read_file(&path)?;
            warn_if_readable_by_others(&path);
            let line = if made {
                format!(
                    "Bid key: made {} (key id {}, mode 0600). Keep it beside the database and \
                     out of its backups: without it the demo's bids cannot be opened.",
                    path.display(),
                    ring.current_id()
                )
            } else {
                format!(
                    "Bid key: {} (key id {}).",
                    path.display(),
                    ring.current_id()
                )
            };
            Ok((ring, line))
        }
    }
}

/// Writes a new random key to `path` unless a file is already there (then leaves it).
/// Returns whether it made the file. The file is created readable by its owner only.
fn create_key_file(path: &Path) -> anyhow::Result<bool> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot create bid key file {}", path.display()));
        }
    };
    let key = BidKey::generate()?;
    let written = file
        .write_all(
            b"# The ngc demo's bid key: it seals the bids of the database beside this file.\n\
              # Keep it with the database, out of its backups, and never commit it.\n",
        )
        .and_then(|()| file.write_all(key.expose_hex().as_bytes()))
        .and_then(|()| file.write_all(b"\n"))
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        std::fs::remove_file(path).ok();
        return Err(e).with_context(|| format!("cannot write bid key file {}", path.display()));
    }
    Ok(true)
}

/// Logs a warning when a key file can be read by its group or others.
fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                tracing::warn!(
                    file = %path.display(),
                    "bid key file is readable by others (mode {mode:o}): chmod 600 it"
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_key_sits_beside_an_sqlite_database() {
        let file = |p: &str| DemoKeyPlace::File(PathBuf::from(p));
        assert_eq!(demo_key_place("sqlite://ngc.db"), file("ngc.db.bid-key"));
        assert_eq!(demo_key_place("sqlite:ngc.db"), file("ngc.db.bid-key"));
        assert_eq!(
            demo_key_place("sqlite:///var/lib/ngc/ngc.db?mode=rwc"),
            file("/var/lib/ngc/ngc.db.bid-key")
        );
        assert_eq!(demo_key_place("sqlite::memory:"), DemoKeyPlace::Memory);
        assert_eq!(
            demo_key_place("sqlite://demo?mode=memory&cache=shared"),
            DemoKeyPlace::Memory
        );
        assert_eq!(
            demo_key_place("postgres://ngc@127.0.0.1/ngc"),
            file("ngc-demo.bid-key")
        );
    }
}
