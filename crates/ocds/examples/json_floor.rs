//! The floor for `compile` benchmarks: read concatenated JSON values from stdin with
//! `serde_json` and write each back compactly, one per line, to stdout.

use std::io::{self, BufReader, BufWriter, Write};

fn main() -> io::Result<()> {
    let stdin = BufReader::with_capacity(1 << 16, io::stdin().lock());
    let mut out = BufWriter::with_capacity(1 << 20, io::stdout().lock());
    for value in serde_json::Deserializer::from_reader(stdin).into_iter::<serde_json::Value>() {
        let value = value.map_err(io::Error::other)?;
        serde_json::to_writer(&mut out, &value).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
