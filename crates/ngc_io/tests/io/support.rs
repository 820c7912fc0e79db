//! A small valid pack written to a temporary directory, for tests to break one thing at a time.

use ngc_domain::pack::DataPack;
use ngc_io::{PackErrors, read_pack};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The demo pack in the repository.
pub fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/northamptonshire-2015")
}

pub const MANIFEST: &str = "name = \"Test pack\"\ndescription = \"A pack for tests.\"\n";

/// Line 1 is the header, so `corby` is on line 3 and `nene-valley-care` on line 4.
pub const ORGANISATIONS: &str = "\
slug,name,kind,legal_form,sme,vcse,public_service_mutual,identifiers,owner
northamptonshire,Northamptonshire County Council,county,local_authority,,,,GB-LAE-NTH,
corby,Corby Borough Council,borough,local_authority,,,,GB-LAE-COR,
nene-valley-care,Nene Valley Care CIC,provider,community_interest_company,yes,TRUE,no,GB-COH-99000101,
place-company,Place Company Ltd,provider,company_limited_by_shares,true,false,,GB-COH-99000004,northamptonshire
";

pub const PARTNERSHIPS: &str = "\
slug,name,kind,lead,description
northamptonshire-ca,Northamptonshire Combined Authority,combined_authority,northamptonshire,Proposed in 2015.
";

pub const MEMBERSHIPS: &str = "\
partnership,organisation,joined_on,left_on
northamptonshire-ca,northamptonshire,2015-04-01,
northamptonshire-ca,corby,2015-04-01,2018-03-31
";

/// A pack on disk whose files start as the constants above.
pub struct TestPack {
    dir: TempDir,
}

impl TestPack {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let pack = TestPack { dir };
        pack.write("pack.toml", MANIFEST);
        pack.write("organisations.csv", ORGANISATIONS);
        pack.write("partnerships.csv", PARTNERSHIPS);
        pack.write("memberships.csv", MEMBERSHIPS);
        pack
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `dir/file`, as error messages show it.
    pub fn file(&self, file: &str) -> String {
        self.path().join(file).display().to_string()
    }

    pub fn write(&self, file: &str, text: &str) -> &Self {
        std::fs::write(self.path().join(file), text).expect("write pack file");
        self
    }

    /// Replaces the one occurrence of `from` in `file`.
    pub fn replace(&self, file: &str, from: &str, to: &str) -> &Self {
        let path = self.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read pack file");
        assert_eq!(text.matches(from).count(), 1, "`{from}` once in {file}");
        self.write(file, &text.replacen(from, to, 1))
    }

    /// Adds a line at the end of `file`.
    pub fn append(&self, file: &str, line: &str) -> &Self {
        let path = self.path().join(file);
        let text = std::fs::read_to_string(&path).expect("read pack file");
        self.write(file, &format!("{text}{line}\n"))
    }

    pub fn read(&self) -> Result<DataPack, PackErrors> {
        read_pack(self.path())
    }

    /// The problems, one line each; fails the test if the pack reads.
    pub fn problems(&self) -> Vec<String> {
        match self.read() {
            Ok(_) => panic!("the pack read without problems"),
            Err(errors) => errors.errors().iter().map(ToString::to_string).collect(),
        }
    }

    /// The only problem; fails the test unless there is exactly one.
    pub fn problem(&self) -> String {
        let mut problems = self.problems();
        assert_eq!(problems.len(), 1, "{problems:#?}");
        problems.remove(0)
    }
}
