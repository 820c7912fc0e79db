//! The work shared between threads gives exactly what one thread gives: the same output, the
//! same error, the same partial output before it.

use serde_json::Value;

use super::{CompileOptions, Merger, Parallel};

/// Everything on one thread, in one part, in one batch.
const ONE: Parallel = Parallel {
    threads: 1,
    min_part: usize::MAX,
    batch_bytes: usize::MAX,
};

/// As many parts and batches as can be: a part per line where lines start with `{`, a batch per
/// process.
const MANY: Parallel = Parallel {
    threads: 4,
    min_part: 1,
    batch_bytes: 1,
};

fn compile(input: &str, options: &CompileOptions, parallel: Parallel) -> (String, String) {
    let mut merger = Merger::new(None);
    merger.parallel = parallel;
    let mut out = Vec::new();
    let result = merger
        .read_bytes(input.as_bytes().to_vec(), "input")
        .and_then(|()| merger.write(options, &mut out));
    let error = result.err().map(|e| e.to_string()).unwrap_or_default();
    (String::from_utf8(out).unwrap_or_default(), error)
}

fn modes() -> Vec<CompileOptions> {
    let mut modes = Vec::new();
    for (versioned, package, linked) in [
        (false, false, false),
        (true, false, false),
        (false, true, false),
        (true, true, false),
        (false, true, true),
    ] {
        modes.push(CompileOptions {
            versioned,
            package,
            linked_releases: linked,
            ..CompileOptions::default()
        });
    }
    modes
}

/// Compiles `input` in every mode both ways, and checks that they agree.
fn agree(input: &str) -> Vec<(String, String)> {
    modes()
        .iter()
        .map(|options| {
            let one = compile(input, options, ONE);
            let many = compile(input, options, MANY);
            assert_eq!(one, many, "{options:?}");
            one
        })
        .collect()
}

fn compact(text: &str) -> String {
    let value: Value = serde_json::from_str(text).unwrap_or_default();
    value.to_string()
}

/// The standard's merging example (five packages of one process) under `n` ocids, in
/// descending order, with the publisher changed half way and the last process's releases given
/// bare rather than in packages.
fn merging_example(n: usize) -> String {
    let files = [
        include_str!("../../tests/fixtures/merging/merge-tender-1.json"),
        include_str!("../../tests/fixtures/merging/merge-tender-2.json"),
        include_str!("../../tests/fixtures/merging/merge-tender-3.json"),
        include_str!("../../tests/fixtures/merging/merge-award-1.json"),
        include_str!("../../tests/fixtures/merging/merge-award-2.json"),
    ];
    let template: Vec<String> = files.iter().map(|f| compact(f)).collect();
    let mut lines = Vec::new();
    for i in (0..n).rev() {
        for package in &template {
            let mut line = package.replace("ocds-213czf-000-00002", &format!("ocds-{i:04}"));
            if i < n / 2 {
                line = line.replace("Open Data Services", "Another Publisher");
            }
            if i == 0 {
                let value: Value = serde_json::from_str(&line).unwrap_or_default();
                line = value["releases"][0].to_string();
            }
            lines.push(line);
        }
    }
    lines.join("\n")
}

#[test]
fn the_merging_example_many_times() {
    let input = merging_example(30);
    let results = agree(&input);
    let (lines, error) = &results[0];
    assert_eq!(error, "");
    assert_eq!(lines.lines().count(), 30);
    assert!(lines.starts_with("{\"tag\":[\"compiled\"],\"id\":\"ocds-0000-"));
}

#[test]
fn tricky_and_real_input() {
    for input in [
        include_str!("../../tests/fixtures/compile/tricky.json"),
        include_str!("../../tests/fixtures/compile/contracts-finder-sample.json"),
    ] {
        agree(input);
    }
}

#[test]
fn an_error_half_way_stops_at_the_same_place() {
    let input = merging_example(20);
    let mut lines: Vec<&str> = input.lines().collect();
    // A release without `date` in the package of the 8th process (of 20, in descending order).
    let broken = lines[40].replace("\"date\":", "\"dated\":");
    lines[40] = &broken;
    let results = agree(&lines.join("\n"));
    assert!(results[0].1.contains("has no `date`"), "{}", results[0].1);

    // Two releases of one process that cannot be merged (a value, then an object).
    let mut lines: Vec<String> = merging_example(20).lines().map(str::to_owned).collect();
    lines[51] = lines[51].replace("\"language\":\"en\"", "\"language\":{\"code\":\"en\"}");
    let results = agree(&lines.join("\n"));
    let (out, error) = &results[0];
    assert!(error.contains("inconsistent types"), "{error}");
    assert_eq!(
        out.lines().count(),
        9,
        "the processes before the failing one"
    );
}

#[test]
fn input_read_the_careful_way_half_way() {
    // A top-level array and a syntax error in later parts: the one-pass scan gives up there.
    let input = merging_example(10);
    let lines: Vec<&str> = input.lines().collect();
    let (head, tail) = lines.split_at(25);
    let with_array = format!("{}\n[{}]", head.join("\n"), tail.join(","));
    agree(&with_array);
    let with_error = format!(
        "{}\n{{\"releases\": [}}\n{}",
        head.join("\n"),
        tail.join("\n")
    );
    let results = agree(&with_error);
    assert!(results[0].1.contains("item 25"), "{}", results[0].1);
}
