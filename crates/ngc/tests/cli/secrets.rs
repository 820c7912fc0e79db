//! Secrets stay secret: database passwords never printed, demo passwords never served.

use super::support::Sandbox;

#[test]
fn a_database_password_is_never_printed() {
    let sandbox = Sandbox::new();
    let urls = [
        // Nothing listens on port 1: a connection error.
        "postgres://ngc:secret@127.0.0.1:1/ngc",
        // Not a port: the URL cannot be read.
        "postgres://ngc:secret@127.0.0.1:notaport/ngc",
        "postgres://127.0.0.1:1/ngc?user=ngc&password=secret",
        "mysql://ngc:secret@127.0.0.1/ngc",
    ];
    for (i, url) in urls.into_iter().enumerate() {
        // Each connection error waits for the pool's timeout: try the second command on
        // the URLs that fail at once only.
        let commands: &[&[&str]] = if i % 2 == 0 {
            &[&["migrate", "--database-url", url]]
        } else {
            &[
                &["migrate", "--database-url", url],
                &["audit", "verify", "--database-url", url],
            ]
        };
        for args in commands {
            let r = sandbox.ngc(args, "");
            assert_eq!(r.code, 1, "{args:?}: {}", r.stderr);
            assert!(
                !r.stderr.contains("secret"),
                "{args:?} printed: {}",
                r.stderr
            );
            assert!(
                !r.stdout.contains("secret"),
                "{args:?} printed: {}",
                r.stdout
            );
            assert!(r.stderr.contains("***"), "{args:?}: {}", r.stderr);
        }
    }
}

#[test]
fn the_demo_refuses_to_serve_its_passwords_outside_loopback() {
    let sandbox = Sandbox::new();
    for bind in ["0.0.0.0:0", "[::]:0", "192.0.2.1:8080"] {
        let r = sandbox.ngc(&["demo", "--bind", bind], "");
        assert_eq!(r.code, 1, "{bind}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "one line: {}", r.stderr);
        assert!(r.stderr.contains("--allow-demo-passwords"), "{}", r.stderr);
        assert!(r.stderr.contains(bind), "{}", r.stderr);
        assert!(!sandbox.db().exists(), "nothing was loaded");
    }
    // With the flag, the demo serves there.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ngc"))
        .args(["demo", "--bind", "0.0.0.0:0", "--allow-demo-passwords"])
        .env("NGC_DATABASE_URL", sandbox.url())
        .env("NGC_LOG", "warn")
        .env_remove("NGC_CONFIG")
        .current_dir(sandbox.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let serving = std::io::BufRead::lines(std::io::BufReader::new(stderr))
        .map_while(Result::ok)
        .find(|l| l.contains("is serving on http://0.0.0.0:"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(serving.is_some(), "the demo did not serve with the flag");
}

#[test]
fn a_bad_trusted_proxy_is_named() {
    let sandbox = Sandbox::new();
    let config = sandbox.dir.path().join("ngc.toml");
    std::fs::write(
        &config,
        "trusted_proxies = [\"10.0.0.0/8\", \"proxy.local\"]\n",
    )
    .unwrap();
    let r = sandbox.ngc(&["migrate", "--config", config.to_str().unwrap()], "");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("trusted_proxies") && r.stderr.contains("proxy.local"),
        "{}",
        r.stderr
    );
    let r = sandbox.ngc(&["migrate", "--trusted-proxies", "10.0.0.0/33"], "");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("10.0.0.0/33"), "{}", r.stderr);
    let r = sandbox.ngc(&["migrate", "--trusted-proxies", "10.0.0.0/8,::1"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
}
