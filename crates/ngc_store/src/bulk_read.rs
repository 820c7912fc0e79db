//! Reading many rows of a SQLite database quickly, for exports.
//!
//! sqlx hands each SQLite row from its worker thread to the async runtime one at a time,
//! copying every value on the way: a few microseconds a row, which held the export of half a
//! million spend lines to about 150,000 rows a second. For such reads the store opens the
//! same database file read-only with rusqlite on a blocking thread, runs the same SQL string
//! (SQLite numbers `$1`, `$2`, … in order of first use, as the store writes them) and sends
//! the rows in batches, so reading and writing the export run side by side.
//!
//! A database with no file (`sqlite::memory:`) has no second connection to open: its reads
//! stay on sqlx ([`sqlite_file`] says which).

use crate::{Backend, Store, StoreError};
use rusqlite::types::Value;
use rusqlite::{OpenFlags, Row};
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc;

/// Rows a batch holds.
const BATCH: usize = 2048;

/// The file of the store's SQLite database, when it is SQLite and has one.
pub(crate) fn sqlite_file(store: &Store) -> Option<PathBuf> {
    match store.backend() {
        Backend::Sqlite(pool) => {
            let path = pool.connect_options().get_filename().to_path_buf();
            path.is_file().then_some(path)
        }
        Backend::Postgres(_) => None,
    }
}

/// Runs `sql` with `params` on a read-only connection to the SQLite file at `path`, on a
/// blocking thread, and sends the rows `read` makes from it in batches, then closes the
/// channel. An error is sent as the last item. Dropping the receiver stops the read.
pub(crate) fn rows<T: Send + 'static>(
    path: PathBuf,
    sql: &'static str,
    params: Vec<Value>,
    read: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> mpsc::Receiver<Result<Vec<T>, StoreError>> {
    let (tx, rx) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        let run = || -> rusqlite::Result<()> {
            let conn = rusqlite::Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(Duration::from_secs(10))?;
            let mut stmt = conn.prepare(sql)?;
            let mut found = stmt.query(rusqlite::params_from_iter(params))?;
            let mut batch = Vec::with_capacity(BATCH);
            while let Some(row) = found.next()? {
                batch.push(read(row)?);
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if tx.blocking_send(Ok(full)).is_err() {
                        return Ok(());
                    }
                }
            }
            if !batch.is_empty() {
                let _ = tx.blocking_send(Ok(batch));
            }
            Ok(())
        };
        if let Err(e) = run() {
            let _ = tx.blocking_send(Err(StoreError::from(e)));
        }
    });
    rx
}

/// A date column as sqlx stores it in SQLite (`YYYY-MM-DD` text).
pub(crate) fn date(row: &Row<'_>, i: usize) -> rusqlite::Result<chrono::NaiveDate> {
    let text = row.get_ref(i)?.as_str()?;
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}
