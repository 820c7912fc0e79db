//! Writing what `ocdskit compile` writes: one compiled (or versioned) release per line, or a
//! record package.
//!
//! Each contracting process is merged independently, so the processes are merged and written
//! into memory on every core, a batch at a time, and the batches are written out in `ocid` order
//! (no thread runs more than four batches per thread ahead of the last one written).
//! Output stops at the first process that cannot be merged, after every complete line before it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Merger, Stored, Strings};
use crate::compile::{Merged, with_compiled, with_compiled_texts, with_versioned};
use crate::json::Json;
use crate::{CompileOptions, Error, pyjson};

impl Merger {
    /// Write the output of `ocdskit compile` with these options: one compiled (or versioned)
    /// release per line, or a record package on one line.
    ///
    /// Each line is written only once complete. The groups are freed as they are written.
    pub fn write<W: Write>(&mut self, options: &CompileOptions, out: &mut W) -> Result<(), Error> {
        if options.package {
            self.write_package(options, out)
        } else {
            self.write_releases(options.versioned, out)
        }
    }

    fn write_releases<W: Write>(&mut self, versioned: bool, out: &mut W) -> Result<(), Error> {
        let rules = self.rules()?;
        let all = self.sorted();
        let groups = self.groups(&all);
        self.each_group(&groups, out, |_, stored, buf| {
            let ocid = self.ocid(stored[0].ocid);
            let write = |m: &Merged<'_>| pyjson::to_writer(&mut *buf, m);
            if !versioned {
                let texts: Vec<&str> = stored.iter().map(|s| self.text(s)).collect();
                if let Some(result) = with_compiled_texts(&texts, &rules, write) {
                    merge_result(ocid, result)?;
                    buf.push(b'\n');
                    return Ok(());
                }
            }
            let write = |m: &Merged<'_>| pyjson::to_writer(&mut *buf, m);
            let releases = self.parse_group(ocid, stored)?;
            let refs: Vec<&Json<'_>> = releases.iter().collect();
            let result = if versioned {
                with_versioned(&refs, &rules, write)
            } else {
                with_compiled(&refs, &rules, write)
            };
            merge_result(ocid, result)?;
            buf.push(b'\n');
            Ok(())
        })
    }

    fn write_package<W: Write>(
        &mut self,
        options: &CompileOptions,
        out: &mut W,
    ) -> Result<(), Error> {
        let rules = self.rules()?;
        let mut head = pyjson::to_string(&self.package_header(options));
        head.pop(); // the closing brace
        out.write_all(head.as_bytes())?;
        out.write_all(b",\"records\":[")?;
        let uris = std::mem::take(&mut self.uris);
        let all = self.sorted();
        let groups = self.groups(&all);
        self.each_group(&groups, out, |n, stored, buf| {
            let ocid = self.ocid(stored[0].ocid);
            let releases = self.parse_group(ocid, stored)?;
            let refs: Vec<&Json<'_>> = releases.iter().collect();
            let linked = if options.linked_releases {
                Some(linked_releases(ocid, stored, &releases, &uris)?)
            } else {
                None
            };
            if n > 0 {
                buf.push(b',');
            }
            let mut record = |compiled: &Merged<'_>, versioned: Option<&Merged<'_>>| {
                let record = RecordOut {
                    ocid,
                    releases: match &linked {
                        Some(l) => ReleasesOut::Linked(l),
                        None => ReleasesOut::Full(&releases),
                    },
                    compiled,
                    versioned,
                };
                pyjson::to_writer(&mut *buf, &record)
            };
            let merged = with_compiled(&refs, &rules, |c| {
                if options.versioned {
                    with_versioned(&refs, &rules, |v| record(c, Some(v)))
                } else {
                    Ok(record(c, None))
                }
            });
            merge_result(ocid, merged.and_then(|inner| inner))
        })?;
        out.write_all(b"]}\n")?;
        Ok(())
    }

    /// The releases of a process, read.
    fn parse_group(&self, ocid: &str, stored: &[Stored]) -> Result<Vec<Json<'_>>, Error> {
        stored
            .iter()
            .map(|s| {
                Json::parse(self.text(s))
                    .map_err(|e| Error::Input(format!("{ocid}: cannot parse a release: {e}")))
            })
            .collect()
    }

    /// The releases of each process, in `ocid` order.
    fn groups<'s>(&self, sorted: &'s [Stored]) -> Vec<&'s [Stored]> {
        sorted
            .chunk_by(|a, b| self.ocid(a.ocid) == self.ocid(b.ocid))
            .collect()
    }

    /// Run `work` on each group (its index, its releases, the buffer to write to) and write the
    /// buffers out in order: on every available core, a batch of groups at a time.
    ///
    /// At the first error, what the groups before it wrote is written, and nothing after it.
    fn each_group<W, F>(&self, groups: &[&[Stored]], out: &mut W, work: F) -> Result<(), Error>
    where
        W: Write,
        F: Fn(usize, &[Stored], &mut Vec<u8>) -> Result<(), Error> + Sync,
    {
        let batches = batches(groups, self.parallel.batch_bytes);
        let run = |b: usize| -> (Vec<u8>, Result<(), Error>) {
            let (first, last) = batches[b];
            let mut buf = Vec::with_capacity(self.parallel.batch_bytes.min(1 << 20));
            for (n, stored) in groups[first..last].iter().enumerate() {
                let done = buf.len();
                if let Err(e) = work(first + n, stored, &mut buf) {
                    buf.truncate(done);
                    return (buf, Err(e));
                }
            }
            (buf, Ok(()))
        };
        let threads = self.parallel.threads.min(batches.len());
        if threads <= 1 {
            for b in 0..batches.len() {
                let (buf, result) = run(b);
                out.write_all(&buf)?;
                result?;
            }
            return Ok(());
        }
        let next = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        // How many batches are written out: a thread does not start a batch more than `ahead`
        // batches beyond, so that at most that many wait in memory for their turn.
        let ahead = threads * 4;
        let written = (Mutex::new(0usize), Condvar::new());
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::sync_channel(ahead);
            for _ in 0..threads {
                let tx = tx.clone();
                let (next, stop, run, written) = (&next, &stop, &run, &written);
                let count = batches.len();
                scope.spawn(move || {
                    loop {
                        let b = next.fetch_add(1, Ordering::Relaxed);
                        if b >= count {
                            break;
                        }
                        let mut done = lock(&written.0);
                        while b >= *done + ahead && !stop.load(Ordering::Relaxed) {
                            done = written.1.wait(done).unwrap_or_else(PoisonError::into_inner);
                        }
                        drop(done);
                        if stop.load(Ordering::Relaxed) || tx.send((b, run(b))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            // Batches finish out of order: keep them until their turn.
            let mut waiting = BTreeMap::new();
            let mut turn = 0;
            let result = (|| {
                for (b, done) in &rx {
                    waiting.insert(b, done);
                    while let Some((buf, result)) = waiting.remove(&turn) {
                        out.write_all(&buf)?;
                        result?;
                        turn += 1;
                        *lock(&written.0) = turn;
                        written.1.notify_all();
                    }
                }
                Ok(())
            })();
            if result.is_err() {
                // (Under the lock, so that no thread misses it between its check and its wait.)
                let done = lock(&written.0);
                stop.store(true, Ordering::Relaxed);
                drop(done);
                written.1.notify_all();
            }
            result
        })
    }

    fn package_header(&self, options: &CompileOptions) -> Map<String, Value> {
        let mut header = Map::new();
        header.insert("uri".into(), Value::String(options.uri.clone()));
        let publisher = if options.publisher.is_empty() {
            self.publisher.clone()
        } else {
            Value::Object(options.publisher.clone())
        };
        header.insert("publisher".into(), publisher);
        header.insert(
            "publishedDate".into(),
            Value::String(options.published_date.clone()),
        );
        if let Some(l) = self.license.as_ref().filter(|l| !l.is_null()) {
            header.insert("license".into(), l.clone());
        }
        if let Some(p) = self.publication_policy.as_ref().filter(|p| !p.is_null()) {
            header.insert("publicationPolicy".into(), p.clone());
        }
        header.insert("version".into(), Value::String(options.version.clone()));
        if !self.extensions.is_empty() {
            header.insert("extensions".into(), Value::Array(self.extensions.clone()));
        }
        if !self.packages.is_empty() {
            let uris = self.packages.iter().filter_map(|&p| self.uris.get(p));
            header.insert(
                "packages".into(),
                Value::Array(uris.map(|u| Value::String(u.into())).collect()),
            );
        }
        header
    }
}

/// A lock that a panicking thread cannot spoil (the count it guards is always whole).
fn lock(m: &Mutex<usize>) -> MutexGuard<'_, usize> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Consecutive groups of about `size` bytes of input: `(first, end)` indices.
fn batches(groups: &[&[Stored]], size: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut first, mut bytes) = (0, 0);
    for (i, stored) in groups.iter().enumerate() {
        bytes += stored.iter().map(|s| s.len).sum::<usize>();
        if bytes >= size {
            out.push((first, i + 1));
            (first, bytes) = (i + 1, 0);
        }
    }
    if first < groups.len() {
        out.push((first, groups.len()));
    }
    out
}

fn merge_result(
    ocid: &str,
    result: Result<std::io::Result<()>, crate::MergeError>,
) -> Result<(), Error> {
    result
        .map_err(|source| Error::Merge {
            ocid: ocid.to_string(),
            source,
        })?
        .map_err(Error::Io)
}

fn linked_releases<'b>(
    ocid: &str,
    stored: &[Stored],
    releases: &[Json<'b>],
    uris: &Strings,
) -> Result<Vec<Json<'b>>, Error> {
    stored
        .iter()
        .zip(releases)
        .map(|(s, release)| {
            let Some(uri) = s.package.and_then(|p| uris.get(p)) else {
                return Ok(release.clone());
            };
            let id = match release.get("id") {
                Some(Json::String(id)) => id,
                _ => {
                    return Err(Error::Input(format!(
                        "{ocid}: cannot link a release without a string `id`"
                    )));
                }
            };
            let mut linked = vec![(
                Cow::Borrowed("url"),
                Json::String(Cow::Owned(format!("{uri}#{id}"))),
            )];
            for field in ["date", "tag"] {
                let value = release.get(field).ok_or_else(|| {
                    Error::Input(format!(
                        "{ocid}: cannot link release {id}: it has no `{field}`"
                    ))
                })?;
                linked.push((Cow::Borrowed(field), value.clone()));
            }
            Ok(Json::Object(linked))
        })
        .collect()
}

enum ReleasesOut<'a, 'm> {
    Full(&'a [Json<'m>]),
    Linked(&'a [Json<'m>]),
}

struct RecordOut<'a, 'm> {
    ocid: &'a str,
    releases: ReleasesOut<'a, 'm>,
    compiled: &'a Merged<'m>,
    versioned: Option<&'a Merged<'m>>,
}

impl Serialize for RecordOut<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("ocid", self.ocid)?;
        match self.releases {
            ReleasesOut::Full(r) | ReleasesOut::Linked(r) => map.serialize_entry("releases", r)?,
        }
        map.serialize_entry("compiledRelease", self.compiled)?;
        if let Some(v) = self.versioned {
            map.serialize_entry("versionedRelease", v)?;
        }
        map.end()
    }
}
