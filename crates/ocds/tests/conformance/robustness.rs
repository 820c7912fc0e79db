//! Malformed input never panics: a regression corpus of nasty inputs, and property tests over
//! arbitrary bytes and over token soup that looks like OCDS.

use ocds::read::Reader;
use ocds::validate::validate_bytes;
use ocds::{CompileOptions, Merger};
use proptest::prelude::*;

use super::common::{fixture, ngc_ocds};

/// Run the reader and the merger over `input` in every output mode; errors are fine, panics
/// are not.
fn compile_everything(input: &[u8]) {
    for (versioned, package) in [(false, false), (true, false), (true, true)] {
        let mut merger = Merger::new(None);
        if merger.read(Reader::new(input, "fuzz")).is_err() {
            return;
        }
        let options = CompileOptions {
            versioned,
            package,
            ..Default::default()
        };
        let _ = merger.write(&options, &mut Vec::new());
    }
}

/// Read `input` in one pass (`read_bytes`) or with the streaming reader, then compile it in
/// every output mode: the outputs, or the first error.
fn outcome(input: &[u8], in_memory: bool) -> Result<Vec<Vec<u8>>, String> {
    let mut outputs = Vec::new();
    for (versioned, package) in [(false, false), (true, false), (true, true)] {
        let mut merger = Merger::new(None);
        if in_memory {
            merger.read_bytes(input.to_vec(), "fuzz")
        } else {
            merger.read(Reader::new(input, "fuzz"))
        }
        .map_err(|e| e.to_string())?;
        let options = CompileOptions {
            versioned,
            package,
            ..Default::default()
        };
        let mut out = Vec::new();
        merger
            .write(&options, &mut out)
            .map_err(|e| e.to_string())?;
        outputs.push(out);
    }
    Ok(outputs)
}

/// The expected exit status and a piece of the message for each corpus file (0: success).
const CORPUS: &[(&str, u8, &str)] = &[
    (
        "array-of-numbers.json",
        1,
        "item 0 (element 0 of the array after byte 0): expected a release or release package (an object), found a number",
    ),
    ("deep-array.json", 1, "found an array"),
    (
        "deep-object.json",
        1,
        "not OCDS: neither a release (no `date`) nor a release package (no `releases`)",
    ),
    ("duplicate-key.json", 1, "duplicate field `ocid`"),
    ("empty.json", 0, ""),
    (
        "huge-number.json",
        1,
        "x: cannot parse a release: number out of range",
    ),
    ("inconsistent-types.json", 1, "x: inconsistent types"),
    (
        "invalid-utf8.json",
        1,
        "<stdin>: not valid UTF-8 at byte 0 (line 1, column 1)",
    ),
    ("lone-surrogate.json", 1, "not OCDS"),
    ("mixed-versions.json", 1, "version error"),
    (
        "not-json.txt",
        1,
        "not valid JSON at line 1, column 2: expected ident",
    ),
    (
        "null-date.json",
        1,
        "x: the `date` field of at least one release is null",
    ),
    (
        "number-date.json",
        1,
        "x: the `date` field of at least one release is not a string",
    ),
    ("object-id.json", 1, "an `id` is an object"),
    ("object-then-array.json", 1, "x: inconsistent types"),
    (
        "ocid-not-string.json",
        1,
        "the release's `ocid` is not a string",
    ),
    ("record-package.json", 1, "this is a record package"),
    (
        "release-not-object.json",
        1,
        "releases[0]: a release is a number, not an object",
    ),
    (
        "release-without-date.json",
        1,
        "item 1 (the value after byte 51): the release has no `date`",
    ),
    ("release-without-ocid.json", 1, "the release has no `ocid`"),
    (
        "releases-not-array.json",
        1,
        "`releases` is an object, not an array",
    ),
    ("string.json", 1, "found a string"),
    (
        "truncated-second.json",
        1,
        "item 1 (after byte 23): truncated JSON at line 1, column 47",
    ),
    (
        "truncated.json",
        1,
        "item 0 (after byte 0): truncated JSON at line 1, column 24",
    ),
    (
        "unknown-version.json",
        1,
        "the `version` value (\"9.9\") of a release package is not recognized",
    ),
];

#[test]
fn regression_corpus() {
    let dir = fixture("corpus");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    files.sort();
    let listed: Vec<&str> = CORPUS.iter().map(|c| c.0).collect();
    assert_eq!(files, listed, "every corpus file has an expectation");
    for (name, code, needle) in CORPUS {
        let input = std::fs::read(dir.join(name)).unwrap();
        compile_everything(&input);
        let _ = validate_bytes(name, &input);
        for args in [
            &["compile"][..],
            &["compile", "--package", "--versioned"][..],
        ] {
            let run = ngc_ocds(args, &input);
            assert_eq!(run.code, *code, "{name} {args:?}: {}", run.stderr);
            if *code == 1 {
                assert!(run.stderr.starts_with("error: "), "{name}: {}", run.stderr);
                assert_eq!(run.stderr.lines().count(), 1, "{name}: {}", run.stderr);
                assert!(
                    run.stderr.contains(needle),
                    "{name}: expected {needle:?} in {}",
                    run.stderr
                );
                if args.len() > 1 {
                    assert!(run.stdout.is_empty(), "{name}: no partial package");
                }
            }
        }
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"ocid\"",
    "\"date\"",
    "\"id\"",
    "\"releases\"",
    "\"records\"",
    "\"tag\"",
    "\"tender\"",
    "\"items\"",
    "\"awards\"",
    "\"parties\"",
    "\"version\"",
    "\"uri\"",
    "\"1.1\"",
    "\"1.0\"",
    "\"a\"",
    "\"b\"",
    "1",
    "1.5",
    "-0",
    "1e400",
    "null",
    "true",
    "\"\\u0000\"",
    "\"extensions\"",
    " ",
    "\n",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        for item in Reader::new(&bytes[..], "fuzz") {
            match item {
                Ok(item) => { let _ = item.parse(); }
                Err(_) => break,
            }
        }
        compile_everything(&bytes);
        let _ = validate_bytes("fuzz", &bytes);
    }

    #[test]
    fn ocds_like_token_soup_never_panics(tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..80)) {
        let input = tokens.concat();
        compile_everything(input.as_bytes());
        let _ = validate_bytes("fuzz", input.as_bytes());
    }

    #[test]
    fn one_pass_read_agrees_with_the_careful_read(tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..80)) {
        // `read_bytes` reads well-formed input in one pass and falls back to the careful read
        // otherwise: either way, the outcome is that of the streaming reader.
        let input = format!("{{\"ocid\":\"x\",\"date\":\"1\"}}\n{{{}", tokens.concat());
        prop_assert_eq!(outcome(input.as_bytes(), true), outcome(input.as_bytes(), false));
        let input = tokens.concat();
        prop_assert_eq!(outcome(input.as_bytes(), true), outcome(input.as_bytes(), false));
    }

    #[test]
    fn well_formed_releases_always_compile(
        dates in proptest::collection::vec(0u8..5, 1..6),
        ids in proptest::collection::vec(0u8..3, 1..6),
    ) {
        // Releases of one process with random dates and award ids: compile succeeds, and the
        // compiled release has every award id seen.
        let mut input = String::new();
        for (n, (d, i)) in dates.iter().zip(ids.iter().cycle()).enumerate() {
            input.push_str(&format!(
                "{{\"ocid\":\"x\",\"id\":\"{n}\",\"date\":\"2020-01-0{d}\",\"parties\":[],\"awards\":[{{\"id\":\"{i}\",\"n\":{n}}}]}}\n"
            ));
        }
        let run = ngc_ocds(&["compile"], input.as_bytes());
        prop_assert_eq!(run.code, 0);
        let compiled: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let mut seen: Vec<u8> = ids.iter().take(dates.len()).copied().collect();
        seen.sort_unstable();
        seen.dedup();
        prop_assert_eq!(compiled["awards"].as_array().unwrap().len(), seen.len());
    }
}
