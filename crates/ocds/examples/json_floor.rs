//! The floor for `compile` benchmarks: read concatenated JSON values from stdin with
//! `serde_json` into `Value`s and write each back compactly, one per line, to stdout — the
//! input read whole first, with the allocator of `ngc`, as `ngc ocds compile` does.

use std::io::{self, BufWriter, Read, Write};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> io::Result<()> {
    let mut input = Vec::new();
    io::stdin().lock().read_to_end(&mut input)?;
    let mut out = BufWriter::with_capacity(1 << 20, io::stdout().lock());
    for value in serde_json::Deserializer::from_slice(&input).into_iter::<serde_json::Value>() {
        let value = value.map_err(io::Error::other)?;
        serde_json::to_writer(&mut out, &value).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
