//! `ngc demo`: load the Northamptonshire 2015 pack, one demo user per role and the demo's
//! procurements ([`tenders`]), then serve. Loading is idempotent: run it as often as you
//! like. Only the demo makes users with a known password; `ngc serve` never does.

mod actuals;
mod consultation;
mod contracts;
mod grants;
mod joint_working;
mod ledger;
mod performance;
mod recharges;
mod savings;
mod shared_services;
mod spend;
mod tenders;

use super::serve::serve_store;
use crate::config::Config;
use anyhow::Context;
use include_dir::{Dir, include_dir};
use ngc_domain::Role;
use ngc_domain::pack::DataPack;
use ngc_io::pack::source::Memory;
use ngc_store::users::NewUser;
use ngc_store::{Actor, Store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The demo pack of the repository, carried in the binary.
static DEMO_PACK: Dir<'static> =
    include_dir!("$CARGO_MANIFEST_DIR/../../demo/northamptonshire-2015");

/// How the files of the carried pack are named in messages.
const EMBEDDED_ROOT: &str = "(built-in demo pack)";

/// Reads and checks the demo pack carried in the binary, from memory.
pub fn embedded_pack() -> anyhow::Result<DataPack> {
    fn add(dir: &Dir<'_>, root: &Path, files: &mut Memory) {
        for file in dir.files() {
            files.insert(root.join(file.path()), file.contents());
        }
        for sub in dir.dirs() {
            add(sub, root, files);
        }
    }
    let root = Path::new(EMBEDDED_ROOT);
    let mut files = Memory::new();
    add(&DEMO_PACK, root, &mut files);
    Ok(ngc_io::pack::read_pack_from(files, root)?)
}

/// A file of the carried pack, by its path in the pack.
fn carried(file: &str) -> anyhow::Result<&'static [u8]> {
    DEMO_PACK
        .get_file(file)
        .map(|f| f.contents())
        .ok_or_else(|| anyhow::anyhow!("the demo pack carries no {file}"))
}

/// The demo password of every demo user.
pub const DEMO_PASSWORD: &str = "demo";

/// One demo user per role, and the procurement leads and panel the demo's tenders need:
/// (email, organisation slug, role).
pub const DEMO_USERS: [(&str, &str, Role); 13] = [
    ("admin@ngc.demo", "northamptonshire", Role::InstanceAdmin),
    (
        "admin@northamptonshire.demo",
        "northamptonshire",
        Role::OrgAdmin,
    ),
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
        "evaluator2@northamptonshire.demo",
        "northamptonshire",
        Role::Evaluator,
    ),
    (
        "evaluator3@northamptonshire.demo",
        "northamptonshire",
        Role::Evaluator,
    ),
    ("finance@northampton.demo", "northampton", Role::Finance),
    (
        "commissioner@northampton.demo",
        "northampton",
        Role::Commissioner,
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
    ("finance@darlington.demo", "darlington", Role::Finance),
];

/// Every demo user: one per role, the procurement leads and panel, and one user for each
/// bidder of the demo's tenders without a demo user of its own.
fn all_demo_users() -> impl Iterator<Item = (&'static str, &'static str, Role)> {
    DEMO_USERS.into_iter().chain(
        tenders::PROCUREMENT_USERS
            .into_iter()
            .map(|(email, org)| (email, org, Role::Provider)),
    )
}

/// Loads the pack and demo users into `store`, merging with what users entered. Returns what
/// loading did.
pub async fn load(store: &Store, pack: &DataPack) -> anyhow::Result<String> {
    let summary = store.load_pack(pack, &Actor::system()).await?;
    tracing::info!(?summary, "demo pack loaded");
    for (email, org, role) in all_demo_users() {
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
    Ok(super::import::describe(&pack.name, &summary))
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
    let configured_keys = crate::bid_keys::configured(config)?;
    let store = config.configure(
        Store::open_and_migrate(&config.database_url)
            .await
            .with_context(|| format!("opening {}", config.redacted_url()))?,
    );
    let pack_dir = pack;
    let pack = match &pack_dir {
        Some(dir) => ngc_io::pack::read_pack(dir)?,
        None => embedded_pack()?,
    };
    let loaded = load(&store, &pack).await?;
    let anchor = store.fix_demo_anchor(&Actor::system()).await?;
    let (keys, key_line) = crate::bid_keys::for_demo(config, configured_keys)?;
    let store = store.with_bid_keys(keys);
    // The demo's procurements name the carried pack's organisations: another pack gets none.
    // The contracts and the districts' tax bases come first: the joint collection tender is
    // started from the consolidation analysis of the waste contracts.
    let key_values = match &pack_dir {
        None => joint_working::load(&store).await?,
        Some(_) => 0,
    };
    let contracts = match &pack_dir {
        None => contracts::load(&store, anchor).await?,
        Some(_) => 0,
    };
    let procurements = match &pack_dir {
        None => tenders::load(&store, anchor).await?,
        Some(_) => 0,
    };
    let performance = match &pack_dir {
        None => performance::load(&store, anchor).await?,
        Some(_) => 0,
    };
    let links = match &pack_dir {
        None => savings::load(&store).await?,
        Some(_) => 0,
    };
    let shared = match &pack_dir {
        None => shared_services::load(&store).await?,
        Some(_) => 0,
    };
    let opening = match &pack_dir {
        None => ledger::load(&store).await?,
        Some(_) => 0,
    };
    let spent = match &pack_dir {
        None => spend::load(&store).await?,
        Some(_) => spend::Loaded::default(),
    };
    // The feeders of 2016-17 (the recharges, then the county's spend) before its
    // general-ledger extract, which brings the year's ledger to the extract's figures.
    let recharged = match &pack_dir {
        None => recharges::load(&store).await?,
        Some(_) => 0,
    };
    let year = match &pack_dir {
        None => actuals::load(&store).await?,
        Some(_) => actuals::Loaded::default(),
    };
    let grants = match &pack_dir {
        None => grants::load(&store).await?,
        Some(_) => 0,
    };
    let consulted = match &pack_dir {
        None => consultation::load(&store, anchor).await?,
        Some(_) => 0,
    };
    println!("{loaded}");
    println!("Demo data loaded into {}.", config.redacted_url());
    println!("Demo dates are anchored at {anchor} (fixed at the first load).");
    println!("{key_line}");
    if procurements > 0 {
        println!("Made {procurements} demo procurements, each replayed on its own dates.");
    }
    if contracts > 0 {
        println!("Entered {contracts} demo contracts (modelled figures) into the registers.");
    }
    if performance > 0 {
        println!(
            "Loaded KPIs, returns, claims and payments (modelled) for {performance} Next \
             Generation contracts."
        );
    }
    if key_values > 0 {
        println!(
            "Entered the seven districts' 2016-17 council tax bases (CTR returns) as the \
             combined authority's cost-sharing key."
        );
    }
    if links > 0 {
        println!("Linked {links} of the plan's named savings to the records that deliver them.");
    }
    if opening > 0 {
        println!(
            "Posted Northamptonshire's opening balances at 2015-04-01 to its ledger: {opening} \
             accounts (modelled)."
        );
    }
    if spent.files > 0 {
        println!(
            "Imported Darlington's real spend over £500 for 2015-16: {} files, {} lines, posted \
             to its ledger as {} summarised journals.",
            spent.files, spent.lines, spent.journals
        );
    }
    if shared > 0 {
        println!(
            "Imported LGSS's shared services: {shared} service years of pools, drivers and \
             fees (modelled), with the published savings figures beside them."
        );
    }
    if recharged > 0 {
        println!(
            "Posted LGSS's recharges for {} from its recharge statements: {recharged} journals \
             (each partner's net charge, and the county's income as lead).",
            recharges::YEARS.join(" and ")
        );
    }
    if year.any() {
        println!(
            "Loaded Northamptonshire's {} (generated from the plan and the demo contracts, \
             modelled): {} budget lines; {} lines of spend over £500 posted as {} summarised \
             journals; a general-ledger extract for April to March, {} lines, brought into the \
             ledger by {} journals; {} earmarked reserves marked releasable; {} virement \
             recorded.",
            actuals::YEAR,
            year.budget_lines,
            year.spend_lines,
            year.spend_journals,
            year.extract_lines,
            year.extract_journals,
            year.reserves,
            year.virements
        );
        println!(
            "  Budget against actual at /organisations/northamptonshire/budget-monitoring: the \
             social care overspend builds month by month and the s114(3) in-year warning fires."
        );
    }
    if grants > 0 {
        println!(
            "Recorded {grants} grants to Northamptonshire's voluntary and community organisations \
             (modelled), published under Open data with its spend, contracts and tenders."
        );
    }
    if consulted > 0 {
        println!(
            "Opened the budget consultation \"You Choose\" on Northamptonshire's 2016-17 \
             budget (built from the plan; steps modelled) with {consulted} generated responses: \
             /consultations."
        );
    }
    println!("Demo users (password `{DEMO_PASSWORD}`):");
    for (email, org, role) in DEMO_USERS {
        println!("  {email:<38} {:<15} {org}", role.as_str());
    }
    println!(
        "  and a provider user for each other bidder: {}",
        tenders::PROCUREMENT_USERS
            .map(|(email, _)| email)
            .join(", ")
    );
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
