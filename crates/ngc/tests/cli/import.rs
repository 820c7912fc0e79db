use super::support::{Sandbox, demo_pack};

fn copy_pack(to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in [
        "pack.toml",
        "organisations.csv",
        "partnerships.csv",
        "memberships.csv",
    ] {
        std::fs::copy(demo_pack().join(f), to.join(f)).unwrap();
    }
}

#[test]
fn a_pack_with_a_broken_row_names_file_line_and_column_and_loads_nothing() {
    let s = Sandbox::new();
    let pack = s.dir.path().join("pack");
    copy_pack(&pack);
    let orgs = pack.join("organisations.csv");
    let text = std::fs::read_to_string(&orgs).unwrap();
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 3 {
                l.replacen(",county,", ",parish,", 1)
                    .replacen(",borough,", ",parish,", 1)
                    .replacen(",district,", ",parish,", 1)
            } else {
                l.to_owned()
            }
        })
        .collect();
    std::fs::write(&orgs, broken.join("\n")).unwrap();
    let r = s.ngc(&["import", "pack", pack.to_str().unwrap()], "");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains("organisations.csv")
            && r.stderr.contains("line 4")
            && r.stderr.contains("column kind"),
        "{}",
        r.stderr
    );
    let verify = s.ngc(&["audit", "verify"], "");
    assert_eq!(
        verify.stdout.trim(),
        "audit trail intact: 0 records",
        "nothing was loaded"
    );
}

#[test]
fn the_demo_pack_imports_like_any_council_pack() {
    let s = Sandbox::new();
    let r = s.ngc(&["import", "pack", demo_pack().to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("organisations created"), "{}", r.stdout);
    let again = s.ngc(&["import", "pack", demo_pack().to_str().unwrap()], "");
    assert!(
        again.stdout.contains("is the same as the last import")
            && again.stdout.contains("nothing changed"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_budget_file_imports_whole_or_not_at_all() {
    let s = Sandbox::new();
    s.demo();
    let good = s.dir.path().join("budget.csv");
    std::fs::write(
        &good,
        "organisation,year,service,subjective,amount\n\
         northamptonshire,2015-16,adult_social_care,employees,1000.50\n\
         northamptonshire,2015-16,adult_social_care,income,200\n",
    )
    .unwrap();
    let r = s.ngc(
        &[
            "import",
            "budget",
            good.to_str().unwrap(),
            "--org",
            "northamptonshire",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("imported 2 budget lines"), "{}", r.stdout);
    let bad = s.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "organisation,year,service,subjective,amount\n\
         northamptonshire,2016-17,education,employees,10\n\
         northamptonshire,2016-17,libraries,employees,1.234\n",
    )
    .unwrap();
    let r = s.ngc(
        &[
            "import",
            "budget",
            bad.to_str().unwrap(),
            "--org",
            "northamptonshire",
        ],
        "",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("bad.csv") && r.stderr.contains("line 3") && r.stderr.contains("service"),
        "{}",
        r.stderr
    );
    let verify = s.ngc(&["audit", "verify"], "").stdout;
    let other = s.ngc(
        &["import", "budget", good.to_str().unwrap(), "--org", "corby"],
        "",
    );
    assert_eq!(
        other.code, 1,
        "the lines are Northamptonshire's, not Corby's"
    );
    assert!(other.stderr.contains("line 2"), "{}", other.stderr);
    assert_eq!(
        s.ngc(&["audit", "verify"], "").stdout,
        verify,
        "nothing written"
    );
}

/// The accounts of a provider as the store keeps them: (year end, turnover, reserves, filed).
fn accounts(s: &Sandbox, slug: &str) -> Vec<(String, String, String, Option<String>)> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = ngc_store::Store::open(&s.url()).await.unwrap();
        let org = store.organisation_by_slug(slug).await.unwrap().unwrap();
        let out = store
            .provider_accounts(org.id)
            .await
            .unwrap()
            .into_iter()
            .map(|a| {
                (
                    a.year_end.to_string(),
                    a.turnover.to_string(),
                    a.reserves.to_string(),
                    a.filed_on.map(|f| f.to_string()),
                )
            })
            .collect();
        store.close().await;
        out
    })
}

#[test]
fn providers_accounts_import_whole_or_not_at_all_and_supersede_the_figures_they_replace() {
    let s = Sandbox::new();
    s.demo();
    let before = accounts(&s, "first-for-wellbeing");
    let verify = s.ngc(&["audit", "verify"], "").stdout;
    // A bad value, a rule broken, an unknown provider: nothing is written.
    for (name, text, says) in [
        (
            "money.csv",
            "provider,year_end,turnover,net_assets,reserves,filed_on\n\
             first-for-wellbeing,2027-03-31,2100000.001,80000,90000,\n",
            "line 2, column turnover",
        ),
        (
            "rule.csv",
            "provider,year_end,turnover,net_assets,reserves,filed_on\n\
             nene-valley-care,2026-03-31,5000000,1000000,800000,2026-09-01\n\
             first-for-wellbeing,2027-03-31,2100000,80000,90000,2027-01-01\n",
            "line 3: accounts are filed after their year ends",
        ),
        (
            "unknown.csv",
            "provider,year_end,turnover,net_assets,reserves,filed_on\n\
             no-such-provider,2027-03-31,1,1,1,\n",
            "line 2: no organisation `no-such-provider`",
        ),
    ] {
        let file = s.dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        let r = s.ngc(&["import", "accounts", file.to_str().unwrap()], "");
        assert_eq!(r.code, 1, "{name}: {}", r.stdout);
        assert!(
            r.stderr.contains(name) && r.stderr.contains(says),
            "{name}: {}",
            r.stderr
        );
        assert_eq!(s.ngc(&["audit", "verify"], "").stdout, verify, "{name}");
        assert_eq!(accounts(&s, "first-for-wellbeing"), before, "{name}");
    }

    // A good file: a new year for First for Wellbeing, and its 2026 figures corrected (the
    // ones entered before are superseded); Nene Valley's first accounts.
    let good = s.dir.path().join("accounts.csv");
    std::fs::write(
        &good,
        "provider,year_end,turnover,net_assets,reserves,filed_on\n\
         first-for-wellbeing,2027-03-31,2050000.00,-15000.00,60000.00,2027-09-30\n\
         first-for-wellbeing,2026-03-31,2200000.00,90000.00,110000.00,2026-09-30\n\
         nene-valley-care,2026-03-31,5000000,1000000,800000,\n",
    )
    .unwrap();
    let r = s.ngc(&["import", "accounts", good.to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("imported 3 providers' accounts"),
        "{}",
        r.stdout
    );
    assert_eq!(
        accounts(&s, "first-for-wellbeing"),
        [
            (
                "2027-03-31".into(),
                "2050000.00".into(),
                "60000.00".into(),
                Some("2027-09-30".into())
            ),
            (
                "2026-03-31".into(),
                "2200000.00".into(),
                "110000.00".into(),
                Some("2026-09-30".into())
            ),
        ]
    );
    assert_eq!(
        accounts(&s, "nene-valley-care"),
        [(
            "2026-03-31".into(),
            "5000000.00".into(),
            "800000.00".into(),
            None
        )]
    );
    assert!(s.ngc(&["audit", "verify"], "").code == 0);
}
