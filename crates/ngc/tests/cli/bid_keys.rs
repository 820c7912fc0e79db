//! Bid keys: the demo makes its key once beside its database; configured keys are used,
//! checked before anything is opened, and never printed.

use super::support::Sandbox;
use ngc_store::sealing::KeyRing;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
/// SHA-256 of the 32 bytes of `KEY`, its first 8 hex digits: the key's default id.
const KEY_ID: &str = "630dcd29";

fn key_file(sandbox: &Sandbox) -> PathBuf {
    sandbox.dir.path().join("ngc.db.bid-key")
}

#[test]
fn the_demo_makes_its_bid_key_once_beside_the_database() {
    let sandbox = Sandbox::new();
    let path = key_file(&sandbox);
    let first = sandbox.ngc(&["demo", "--load-only"], "");
    assert_eq!(first.code, 0, "{}", first.stderr);
    let made = std::fs::read_to_string(&path).unwrap();
    let id = KeyRing::read_file(&path).unwrap().current_id().to_owned();
    assert!(
        first.stdout.contains(&format!(
            "Bid key: made {} (key id {id}, mode 0600).",
            path.display()
        )),
        "{}",
        first.stdout
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "mode {mode:o}");
    }
    let lines: Vec<&str> = made.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(lines.len(), 1, "{made}");
    let hex = lines[0];
    assert!(hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(!first.stdout.contains(hex) && !first.stderr.contains(hex));

    let second = sandbox.ngc(&["demo", "--load-only"], "");
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        made,
        "the key is kept"
    );
    assert!(
        second
            .stdout
            .contains(&format!("Bid key: {} (key id {id}).", path.display())),
        "{}",
        second.stdout
    );

    // The database holds neither the key nor its bytes.
    let key_bytes: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    for entry in std::fs::read_dir(sandbox.dir.path()).unwrap() {
        let entry = entry.unwrap().path();
        if entry == path {
            continue;
        }
        let bytes = std::fs::read(&entry).unwrap();
        assert!(
            !bytes.windows(32).any(|w| w == key_bytes),
            "{}",
            entry.display()
        );
        assert!(
            !bytes.windows(64).any(|w| w == hex.as_bytes()),
            "{}",
            entry.display()
        );
    }
}

#[test]
fn a_configured_key_is_used_by_the_demo_and_no_file_is_made() {
    let sandbox = Sandbox::new();
    let dir = sandbox.dir.path();
    let r = sandbox.ngc_in(dir, &["demo", "--load-only"], &[("NGC_BID_KEY", KEY)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains(&format!("Bid key: NGC_BID_KEY (current key id {KEY_ID}).")),
        "{}",
        r.stdout
    );
    assert!(!key_file(&sandbox).exists());
    assert!(!r.stdout.contains(KEY) && !r.stderr.contains(KEY));

    // A key file readable by others is used, with a warning.
    let file = dir.join("keys.txt");
    std::fs::write(&file, format!("# rotated yearly\nnew:{KEY}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let r = sandbox.ngc(
        &[
            "demo",
            "--load-only",
            "--bid-key-file",
            file.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(&format!(
            "Bid key: {} (current key id new).",
            file.display()
        )),
        "{}",
        r.stdout
    );
    #[cfg(unix)]
    assert!(
        r.stderr.contains("readable by others (mode 644)"),
        "{}",
        r.stderr
    );
    assert!(!key_file(&sandbox).exists());
}

#[test]
fn a_bad_bid_key_stops_serve_and_demo_before_anything_is_opened() {
    let sandbox = Sandbox::new();
    let dir = sandbox.dir.path();
    let short = &KEY[..63];
    for args in [
        &["serve", "--bind", "127.0.0.1:0"][..],
        &["demo", "--load-only"],
    ] {
        let r = sandbox.ngc_in(dir, args, &[("NGC_BID_KEY", short)]);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
        assert_eq!(
            r.stderr.trim(),
            "error: NGC_BID_KEY, key 1: expected 64 hexadecimal digits or the base64 of 32 \
             bytes; got 63 characters",
            "{args:?}"
        );
        assert!(!sandbox.db().exists(), "{args:?} opened the database");
    }
    let file = dir.join("bad.key");
    std::fs::write(&file, format!("# keys\n{KEY}\nk:not-a-key\n")).unwrap();
    let r = sandbox.ngc(&["serve", "--bid-key-file", file.to_str().unwrap()], "");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr.trim(),
        format!(
            "error: bid key file {}, line 3: expected 64 hexadecimal digits or the base64 of \
             32 bytes; got 9 characters",
            file.display()
        )
    );
    let r = sandbox.ngc_in(
        dir,
        &["serve", "--bid-key-file", file.to_str().unwrap()],
        &[("NGC_BID_KEY", KEY)],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stderr.trim(),
        "error: NGC_BID_KEY and --bid-key-file (NGC_BID_KEY_FILE) are both set: set one of them"
    );
    assert!(!sandbox.db().exists());
}

/// Starts `ngc serve` on a free port and returns its standard error up to the line saying
/// it serves, then stops it.
fn serve_log(sandbox: &Sandbox, env: &[(&str, &str)]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ngc"));
    command
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("NGC_DATABASE_URL", sandbox.url())
        .env("NGC_LOG", "info")
        .env_remove("NGC_CONFIG")
        .env_remove("NGC_BID_KEY")
        .env_remove("NGC_BID_KEY_FILE")
        .current_dir(sandbox.dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut log = String::new();
    for line in std::io::BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
    {
        log.push_str(&line);
        log.push('\n');
        if line.contains("ngc is serving on") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(log.contains("ngc is serving on"), "{log}");
    log
}

#[test]
fn serve_says_whether_bids_can_be_sealed_and_never_logs_a_key() {
    let sandbox = Sandbox::new();
    let without = serve_log(&sandbox, &[]);
    assert!(
        without.contains("no bid key configured") && without.contains("bids cannot be submitted"),
        "{without}"
    );
    let with = serve_log(&sandbox, &[("NGC_BID_KEY", &format!("2026:{KEY}"))]);
    assert!(with.contains("bid keys loaded"), "{with}");
    assert!(with.contains("2026"), "{with}");
    assert!(!with.contains("no bid key configured"), "{with}");
    assert!(!with.contains(KEY) && !with.contains(&KEY[..16]), "{with}");
}
