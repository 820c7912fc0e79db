//! `ngc backup` and `ngc restore`: SQLite only; PostgreSQL has pg_dump and pg_restore.

use super::open_store;
use crate::config::Config;
use anyhow::{Context, bail};
use ngc_store::Store;
use ngc_store::audit::Verification;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Writes an online, consistent copy of the database.
pub async fn backup(config: &Config, out: &Path) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    store
        .backup_to(out)
        .await
        .with_context(|| format!("backing up to {}", out.display()))?;
    store.close().await;
    println!("backed up {} to {}", config.redacted_url(), out.display());
    Ok(ExitCode::SUCCESS)
}

/// The file behind a `sqlite://` URL.
fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        bail!("restore works on SQLite only; for PostgreSQL use pg_restore");
    };
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        bail!("database_url: `{url}` names no file to restore into");
    }
    Ok(PathBuf::from(path))
}

/// Replaces the database with a verified backup, atomically (stop the server first).
pub async fn restore(config: &Config, file: &Path) -> anyhow::Result<ExitCode> {
    let target = sqlite_path(&config.database_url)?;
    if !file.is_file() {
        bail!("{}: no such backup file", file.display());
    }
    let staging = target.with_extension("restoring");
    std::fs::copy(file, &staging).with_context(|| format!("copying {}", file.display()))?;
    let checked = async {
        let store = Store::open(&format!("sqlite://{}", staging.display()))
            .await
            .with_context(|| format!("{}: not an ngc SQLite database", file.display()))?;
        let verdict = store.verify_audit().await;
        // Fold the WAL back so the staged file stands alone.
        store
            .execute_raw("PRAGMA wal_checkpoint(TRUNCATE)")
            .await
            .ok();
        store.close().await;
        match verdict? {
            Verification::Intact(n) => Ok(n),
            Verification::Broken(b) => bail!(
                "{}: the backup's audit trail is broken: {b}",
                file.display()
            ),
        }
    }
    .await;
    let records = match checked {
        Ok(n) => n,
        Err(e) => {
            remove_with_sidecars(&staging);
            return Err(e);
        }
    };
    remove_sidecars(&target);
    std::fs::rename(&staging, &target)
        .with_context(|| format!("replacing {}", target.display()))?;
    remove_sidecars(&staging);
    println!(
        "restored {} from {} ({records} audit records verified)",
        target.display(),
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn remove_sidecars(path: &Path) {
    for suffix in ["-wal", "-shm"] {
        std::fs::remove_file(sidecar(path, suffix)).ok();
    }
}

fn remove_with_sidecars(path: &Path) {
    std::fs::remove_file(path).ok();
    remove_sidecars(path);
}
