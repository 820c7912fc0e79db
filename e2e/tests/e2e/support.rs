//! Starting and stopping the real `ngc` binary, PostgreSQL scratch databases,
//! and where things live (binary, artifacts).

use std::fs::File;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::http;

/// How long `ngc demo` may take to load the pack and answer `/readyz`.
const DEMO_READY_TIMEOUT: Duration = Duration::from_secs(180);
/// How long `ngc serve` may take to answer `/readyz`.
const SERVE_READY_TIMEOUT: Duration = Duration::from_secs(90);

/// The workspace root (the directory above `e2e/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e/ has a parent directory")
        .to_path_buf()
}

/// `e2e/artifacts/`, created if missing (git-ignored): screenshots go here.
pub fn artifacts_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// The `ngc` binary under test: `$NGC_BIN`, else `debug/ngc` in the target
/// directory this test binary was built into, else `$CARGO_TARGET_DIR/debug/ngc`,
/// else `<workspace>/target/debug/ngc`.
pub fn ngc_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("NGC_BIN") {
        let bin = PathBuf::from(bin);
        assert!(
            bin.is_file(),
            "NGC_BIN={} does not name a file; unset it or run `cargo build -p ngc`",
            bin.display()
        );
        return bin;
    }
    let mut candidates = Vec::new();
    // <target>/debug/deps/e2e-<hash> → <target>/debug/ngc
    if let Ok(exe) = std::env::current_exe()
        && let Some(profile_dir) = exe.parent().and_then(Path::parent)
    {
        candidates.push(profile_dir.join("ngc"));
    }
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let target_dir = if target_dir.is_relative() {
        workspace_root().join(target_dir)
    } else {
        target_dir
    };
    candidates.push(target_dir.join("debug").join("ngc"));
    candidates.push(workspace_root().join("target").join("debug").join("ngc"));
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "the ngc binary was not found (looked at {candidates:?}); \
                 run `cargo build -p ngc` first (scripts/test does), or set NGC_BIN"
            )
        })
}

/// A free TCP port on 127.0.0.1 (bound to port 0, read back, released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("cannot bind 127.0.0.1:0 to find a free port")
}

/// A unique-ish suffix for names: `<pid>_<nanos>`.
pub fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}_{}", std::process::id(), nanos)
}

/// A scratch directory for one test; kept (and its path printed) when the test fails.
#[derive(Debug)]
pub struct Scratch {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

impl Scratch {
    pub fn new(prefix: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("ngc-e2e-{prefix}-"))
            .tempdir()
            .expect("cannot create a temp dir");
        let path = dir.path().to_path_buf();
        Scratch {
            dir: Some(dir),
            path,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if thread::panicking()
            && let Some(dir) = self.dir.take()
        {
            let kept = dir.keep();
            eprintln!("[e2e] test failed: scratch dir kept at {}", kept.display());
        }
    }
}

/// A child process in its own process group, with stdout/stderr in log files.
/// Dropping it kills the whole group; if the test is failing, the logs are printed.
#[derive(Debug)]
pub struct Proc {
    name: String,
    child: Child,
    stdout: PathBuf,
    stderr: PathBuf,
}

impl Proc {
    pub fn spawn(name: &str, mut cmd: Command, log_dir: &Path) -> Proc {
        let stdout = log_dir.join(format!("{name}.stdout.log"));
        let stderr = log_dir.join(format!("{name}.stderr.log"));
        let out = File::create(&stdout).expect("create stdout log");
        let err = File::create(&stderr).expect("create stderr log");
        cmd.stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0);
        let child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({cmd:?}): {e}"));
        eprintln!("[e2e] started {name} (pid {}): {cmd:?}", child.id());
        Proc {
            name: name.to_string(),
            child,
            stdout,
            stderr,
        }
    }

    /// `Some(status)` once the process has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Both log files, for failure messages.
    pub fn logs(&self) -> String {
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        format!(
            "----- {name} stdout ({}) -----\n{}\n----- {name} stderr ({}) -----\n{}\n----- end of {name} -----",
            self.stdout.display(),
            read(&self.stdout),
            self.stderr.display(),
            read(&self.stderr),
            name = self.name,
        )
    }

    fn kill(&mut self) {
        if self.exited().is_none() {
            // Only our own process group: the child leads it (process_group(0)).
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
        if thread::panicking() {
            eprintln!("[e2e] test failed; logs of {}:\n{}", self.name, self.logs());
        }
    }
}

/// A running `ngc serve` / `ngc demo` process that answered `GET /readyz`.
#[derive(Debug)]
pub struct NgcServer {
    proc: Proc,
    /// `127.0.0.1:PORT`
    pub addr: String,
}

impl NgcServer {
    /// `ngc demo --database-url URL --bind ADDR`: loads the demo pack, then serves.
    pub fn demo(name: &str, database_url: &str, log_dir: &Path) -> NgcServer {
        Self::start(name, "demo", database_url, log_dir, DEMO_READY_TIMEOUT)
    }

    /// `ngc serve --database-url URL --bind ADDR`.
    pub fn serve(name: &str, database_url: &str, log_dir: &Path) -> NgcServer {
        Self::start(name, "serve", database_url, log_dir, SERVE_READY_TIMEOUT)
    }

    fn start(
        name: &str,
        subcommand: &str,
        database_url: &str,
        log_dir: &Path,
        timeout: Duration,
    ) -> NgcServer {
        let bin = ngc_bin();
        // A port picked by binding :0 can be taken by someone else before ngc
        // binds it; try a few ports when the failure says so.
        for attempt in 1..=3 {
            let addr = format!("127.0.0.1:{}", free_port());
            let mut cmd = Command::new(&bin);
            cmd.args([subcommand, "--database-url", database_url, "--bind", &addr])
                .current_dir(log_dir);
            let mut proc = Proc::spawn(&format!("{name}-{attempt}"), cmd, log_dir);
            match wait_ready(&mut proc, &addr, timeout) {
                Ok(()) => {
                    eprintln!("[e2e] {name} ready at http://{addr}");
                    return NgcServer { proc, addr };
                }
                Err(why) => {
                    let logs = proc.logs();
                    let port_taken = logs.contains("in use") || logs.contains("AddrInUse");
                    if port_taken && attempt < 3 {
                        eprintln!("[e2e] {name}: port {addr} was taken, retrying\n{logs}");
                        continue;
                    }
                    drop(proc);
                    panic!("ngc {subcommand} ({name}) did not become ready: {why}\n{logs}");
                }
            }
        }
        unreachable!("the loop returns or panics")
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The server's logs so far (for assertion messages).
    pub fn logs(&self) -> String {
        self.proc.logs()
    }
}

fn wait_ready(proc: &mut Proc, addr: &str, timeout: Duration) -> Result<(), String> {
    let start = Instant::now();
    let mut last = String::from("no answer yet");
    while start.elapsed() < timeout {
        if let Some(status) = proc.exited() {
            return Err(format!("the process exited early with {status}"));
        }
        match http::get(addr, "/readyz", &[]) {
            Ok(r) if r.status == 200 => return Ok(()),
            Ok(r) => last = format!("GET /readyz → {}", r.status),
            Err(e) => last = format!("GET /readyz → {e}"),
        }
        thread::sleep(Duration::from_millis(200));
    }
    Err(format!(
        "no 200 from GET /readyz within {timeout:?} (last: {last})"
    ))
}

/// Runs `ngc ARGS…` to completion and panics with its output unless it exits 0.
pub fn run_ngc(args: &[&str], dir: &Path) {
    let bin = ngc_bin();
    eprintln!("[e2e] running {} {}", bin.display(), args.join(" "));
    let out = Command::new(&bin)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.display()));
    assert!(
        out.status.success(),
        "`ngc {}` failed with {}\n----- stdout -----\n{}\n----- stderr -----\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
}

/// `sqlite://` URL for a database file (an absolute path gives `sqlite:///abs/…`).
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A fresh PostgreSQL database created from `NGC_TEST_POSTGRES_URL` with `psql`,
/// dropped again when this guard is dropped.
#[derive(Debug)]
pub struct PgDatabase {
    admin_url: String,
    name: String,
    /// The URL of the new database.
    pub url: String,
}

impl PgDatabase {
    pub fn create() -> PgDatabase {
        let admin_url = std::env::var("NGC_TEST_POSTGRES_URL").unwrap_or_else(|_| {
            panic!(
                "NGC_TEST_POSTGRES_URL is not set: this test needs PostgreSQL. Run scripts/test \
                 (it starts PostgreSQL and sets it), or export e.g. \
                 NGC_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/ngc_test"
            )
        });
        let name = format!("ngc_e2e_{}", unique_suffix());
        psql(&admin_url, &format!("CREATE DATABASE {name}"));
        let url = with_database(&admin_url, &name);
        eprintln!("[e2e] created PostgreSQL database {name}");
        PgDatabase {
            admin_url,
            name,
            url,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        if let Err(e) = try_psql(&self.admin_url, &sql) {
            eprintln!("[e2e] could not drop database {}: {e}", self.name);
        }
    }
}

fn psql(url: &str, sql: &str) {
    if let Err(e) = try_psql(url, sql) {
        panic!("{e}");
    }
}

fn try_psql(url: &str, sql: &str) -> Result<(), String> {
    let out = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-w", "-c", sql])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| {
            format!(
                "cannot run psql ({e}); install the PostgreSQL client \
                 (apt-get install postgresql-client) or run scripts/test"
            )
        })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "psql `{sql}` on NGC_TEST_POSTGRES_URL failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// `postgres://u@h:p/old?x` → `postgres://u@h:p/NAME?x`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

#[test]
fn swaps_the_database_in_a_postgres_url() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/ngc_test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/db?sslmode=disable", "x"),
        "postgres://u:p@h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h:1", "x"), "postgres://h:1/x");
}
