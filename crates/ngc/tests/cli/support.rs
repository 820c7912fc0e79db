//! Running the real binary against a temporary SQLite database.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Sandbox {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("ngc.db")
    }

    pub fn url(&self) -> String {
        format!("sqlite://{}", self.db().display())
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ngc"));
        command
            .args(args)
            .env("NGC_DATABASE_URL", self.url())
            .env("NGC_LOG", "warn")
            .env_remove("NGC_CONFIG")
            .env_remove("NGC_BID_KEY")
            .env_remove("NGC_BID_KEY_FILE")
            .current_dir(self.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs `ngc` with the sandbox's database, feeding `stdin` through a pipe.
    pub fn ngc(&self, args: &[&str], stdin: &str) -> Run {
        let mut child = self.command(args).stdin(Stdio::piped()).spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        finish(child)
    }

    /// Runs `ngc` with the sandbox's database, with the file `stdin` as its standard input.
    pub fn ngc_with_file(&self, args: &[&str], stdin: &std::path::Path) -> Run {
        let file = std::fs::File::open(stdin).unwrap();
        finish(self.command(args).stdin(file).spawn().unwrap())
    }

    /// Loads the demo pack.
    pub fn demo(&self) {
        let r = self.ngc(&["demo", "--load-only"], "");
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
}

fn finish(child: std::process::Child) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// The demo pack in the repository.
pub fn demo_pack() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../demo/northamptonshire-2015"
    ))
}

impl Sandbox {
    /// Runs `ngc` with the sandbox's database and `cwd` as the current directory.
    pub fn ngc_in(&self, cwd: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = self.command(args);
        command.current_dir(cwd).stdin(Stdio::null());
        for (k, v) in env {
            command.env(k, v);
        }
        finish(command.spawn().unwrap())
    }
}

/// Copies the demo pack, with its plans, to `to`.
pub fn copy_demo_pack(to: &std::path::Path) {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    copy(&demo_pack(), to);
}
