//! `ngc import spend`: real councils' files imported whole and once, an overlap warned of, a
//! corrected file swapped in keeping the earlier lines, and a bad file refused with nothing
//! imported.

use super::support::Sandbox;
use std::path::PathBuf;

fn spend(path: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/spend"
    ))
    .join(path)
}

fn imports(s: &Sandbox) -> Vec<(i64, String, i64, Option<i64>)> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = ngc_store::Store::open(&s.url()).await.unwrap();
        let org = store
            .organisation_by_slug("northampton")
            .await
            .unwrap()
            .unwrap();
        store
            .spend_imports(org.id)
            .await
            .unwrap()
            .into_iter()
            .map(|i| (i.id, i.file_name, i.lines, i.replaced_by_id))
            .collect()
    })
}

#[test]
fn spend_files_are_imported_whole_and_once_and_a_correction_keeps_the_old_lines() {
    let s = Sandbox::new();
    s.demo();
    let salford = spend("salford/2015-04.csv");
    let darlington = spend("darlington/2015-04.csv");
    let r = s.ngc(
        &[
            "import",
            "spend",
            salford.to_str().unwrap(),
            darlington.to_str().unwrap(),
            "--org",
            "northampton",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("as import 1: 2170 lines"), "{}", r.stdout);
    assert!(
        r.stdout.contains("paid 2015-04-01 to 2015-04-30"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("as import 2: 672 lines"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("warning: its dates overlap import 1 (2015-04.csv"),
        "{}",
        r.stdout
    );

    // The same content again adds nothing.
    let r = s.ngc(
        &[
            "import",
            "spend",
            salford.to_str().unwrap(),
            "--org",
            "northampton",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("the same content as import 1"),
        "{}",
        r.stdout
    );

    // A bad file among good ones: every problem named, nothing imported.
    let bad = s.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "Payment Date,Supplier Name,Net Amount\n2015-05-01,A Ltd,12.345\n",
    )
    .unwrap();
    let may = spend("salford/2015-05.csv");
    let r = s.ngc(
        &[
            "import",
            "spend",
            may.to_str().unwrap(),
            bad.to_str().unwrap(),
            "--org",
            "northampton",
        ],
        "",
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains(
            "bad.csv: line 2, column Net Amount: `12.345` has more than two decimal places"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was imported"));
    assert_eq!(imports(&s).len(), 2);

    // A corrected April file stands in for import 1, whose lines are kept.
    let text = std::fs::read_to_string(&salford).unwrap();
    let corrected = s.dir.path().join("salford-2015-04-corrected.csv");
    let fewer: Vec<&str> = text.lines().take(101).collect();
    std::fs::write(&corrected, fewer.join("\n")).unwrap();
    let r = s.ngc(
        &[
            "import",
            "spend",
            corrected.to_str().unwrap(),
            "--org",
            "northampton",
            "--replaces",
            "1",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("as import 3: 100 lines"), "{}", r.stdout);
    assert!(!r.stdout.contains("overlap import 1"), "{}", r.stdout);
    assert_eq!(
        imports(&s),
        vec![
            (1, "2015-04.csv".into(), 2170, Some(3)),
            (2, "2015-04.csv".into(), 672, None),
            (3, "salford-2015-04-corrected.csv".into(), 100, None),
        ]
    );
}
