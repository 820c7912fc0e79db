//! Reading the whole input fast: a regular file given as stdin (or opened) is read in parts at
//! once, one per core; a pipe is read as usual.

use std::io::{self, Read};

/// Stdin as a file, when it is a regular file.
fn stdin_file() -> Option<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let file = std::fs::File::from(io::stdin().as_fd().try_clone_to_owned().ok()?);
        file.metadata().ok()?.is_file().then_some(file)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Stdin: read to the end, a regular file is read in parts at once, one per core.
#[derive(Debug)]
pub struct Stdin {
    lock: io::StdinLock<'static>,
    file: Option<std::fs::File>,
}

impl Read for Stdin {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.lock.read(buf)
    }

    fn read_to_end(&mut self, buf: &mut Vec<u8>) -> io::Result<usize> {
        match &self.file {
            #[cfg(unix)]
            Some(file) => read_file_in_parts(file, buf),
            _ => self.lock.read_to_end(buf),
        }
    }
}

/// Read the rest of a file from its current position into `buf`, in parts at once.
#[cfg(unix)]
pub fn read_file_in_parts(mut file: &std::fs::File, buf: &mut Vec<u8>) -> io::Result<usize> {
    use std::io::Seek;
    use std::os::unix::fs::FileExt;
    const MIN_PART: usize = 4 << 20;
    let start = file.stream_position()?;
    let len =
        usize::try_from(file.metadata()?.len().saturating_sub(start)).map_err(io::Error::other)?;
    let old = buf.len();
    if old == 0 {
        // Memory fresh from the system is zero already: not written twice.
        *buf = vec![0; len];
    } else {
        buf.resize(old + len, 0);
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let part = len.div_ceil(threads).max(MIN_PART);
    std::thread::scope(|scope| {
        let reads: Vec<_> = buf[old..]
            .chunks_mut(part)
            .enumerate()
            .map(|(i, chunk)| {
                let at = start + (i * part) as u64;
                scope.spawn(move || file.read_exact_at(chunk, at))
            })
            .collect();
        reads.into_iter().try_for_each(|r| {
            r.join()
                .unwrap_or_else(|_| Err(io::Error::other("a read failed")))
        })
    })?;
    file.seek(io::SeekFrom::Start(start + len as u64))?;
    // Whatever was added to the file meanwhile.
    Ok(len + file.read_to_end(buf)?)
}

/// The process's stdin, locked: [`Read::read_to_end`] reads a regular file in parts at once.
pub fn stdin() -> Stdin {
    Stdin {
        lock: io::stdin().lock(),
        file: stdin_file(),
    }
}
