//! `ngc audit verify`.

use super::open_store;
use crate::cli::AuditCommand;
use crate::config::Config;
use ngc_store::audit::Verification;
use std::process::ExitCode;

/// Walks the chain; exit 1 naming the first bad record.
pub async fn run(config: &Config, cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    let AuditCommand::Verify = cmd;
    let store = open_store(config).await?;
    let result = store.verify_audit().await?;
    store.close().await;
    Ok(match result {
        Verification::Intact(n) => {
            println!("audit trail intact: {n} records");
            ExitCode::SUCCESS
        }
        Verification::Broken(b) => {
            eprintln!("error: audit trail broken at record {}: {b}", b.seq());
            ExitCode::from(1)
        }
    })
}
