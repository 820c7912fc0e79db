//! `ngc demo`: load the Northamptonshire 2015 pack and one demo user per role, then serve.
//! Loading is idempotent: run it as often as you like. Only the demo makes users with a
//! known password; `ngc serve` never does.

use super::serve::serve_store;
use crate::config::Config;
use anyhow::Context;
use ngc_domain::Role;
use ngc_store::users::NewUser;
use ngc_store::{Actor, Store};
use std::path::PathBuf;
use std::process::ExitCode;

/// The pack shipped in the repository.
const DEMO_PACK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../demo/northamptonshire-2015"
);

/// The demo password of every demo user.
pub const DEMO_PASSWORD: &str = "demo";

/// One demo user per role: (email, organisation slug, role).
pub const DEMO_USERS: [(&str, &str, Role); 7] = [
    ("admin@ngc.demo", "northamptonshire", Role::Admin),
    (
        "finance@northamptonshire.demo",
        "northamptonshire",
        Role::Finance,
    ),
    (
        "commissioner@northamptonshire.demo",
        "northamptonshire",
        Role::Commissioner,
    ),
    (
        "evaluator@northamptonshire.demo",
        "northamptonshire",
        Role::Evaluator,
    ),
    (
        "provider@first-for-wellbeing.demo",
        "first-for-wellbeing",
        Role::Provider,
    ),
    (
        "provider@nene-valley-care.demo",
        "nene-valley-care",
        Role::Provider,
    ),
    (
        "partner@cambridgeshire.demo",
        "cambridgeshire",
        Role::Partner,
    ),
];

/// Loads the pack and demo users into `store`.
pub async fn load(store: &Store, pack_dir: &std::path::Path) -> anyhow::Result<()> {
    let pack = ngc_io::pack::read_pack(pack_dir)?;
    let summary = store.load_pack(&pack, &Actor::system()).await?;
    tracing::info!(?summary, "demo pack loaded");
    for (email, org, role) in DEMO_USERS {
        if store.user_by_email(email).await?.is_none() {
            let new = NewUser {
                email,
                name: "",
                role,
                organisation: org,
                password: DEMO_PASSWORD,
            };
            store
                .create_user(&new, &Actor::system())
                .await
                .with_context(|| format!("creating demo user {email}"))?;
        }
    }
    Ok(())
}

/// Whether `addr` (`HOST:PORT`) only listens on loopback: `127.0.0.0/8`, `::1` or `localhost`.
pub fn is_loopback(addr: &str) -> bool {
    if let Ok(socket) = addr.parse::<std::net::SocketAddr>() {
        return socket.ip().to_canonical().is_loopback();
    }
    addr.rsplit_once(':')
        .is_some_and(|(host, _)| host.eq_ignore_ascii_case("localhost"))
}

/// Runs `ngc demo`.
pub async fn run(
    config: &Config,
    bind: Option<&str>,
    load_only: bool,
    pack: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let store = Store::open_and_migrate(&config.database_url)
        .await
        .with_context(|| format!("opening {}", config.redacted_url()))?
        .with_clock(config.clock());
    let dir = pack.unwrap_or_else(|| PathBuf::from(DEMO_PACK));
    load(&store, &dir).await?;
    println!("Demo data loaded into {}.", config.redacted_url());
    println!("Demo users (password `{DEMO_PASSWORD}`):");
    for (email, org, role) in DEMO_USERS {
        println!("  {email:<38} {:<13} {org}", role.as_str());
    }
    if load_only {
        store.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    serve_store(config, store, bind).await
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn only_loopback_addresses_are_loopback() {
        for a in [
            "127.0.0.1:8080",
            "127.1.2.3:80",
            "[::1]:8080",
            "localhost:8080",
        ] {
            assert!(is_loopback(a), "{a}");
        }
        for a in [
            "0.0.0.0:8080",
            "[::]:8080",
            "192.168.1.4:80",
            "example.org:80",
            "8080",
        ] {
            assert!(!is_loopback(a), "{a}");
        }
    }
}
