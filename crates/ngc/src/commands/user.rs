//! `ngc user add|disable|enable`. The password of a new user comes from standard input,
//! never from a flag. The command line runs as the system (whoever operates the server).

use super::open_store;
use crate::cli::UserCommand;
use crate::config::Config;
use anyhow::Context;
use ngc_app::Caller;
use ngc_app::users::{self as uc, UserInput};
use std::io::BufRead;
use std::process::ExitCode;

/// Runs a user command.
pub async fn run(config: &Config, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCommand::Add {
            email,
            org,
            role,
            name,
        } => {
            let _: ngc_domain::Role = role.parse()?;
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("reading the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']).to_owned();
            ngc_store::credentials::check_new_password(&password)
                .context("the password read from standard input")?;
            let store = open_store(config).await?;
            let input = UserInput {
                email,
                name,
                role,
                organisation: org,
                password,
            };
            let user = uc::create(&store, &Caller::System, input).await;
            store.close().await;
            let user = user?;
            println!(
                "added {} ({}) to {}",
                user.email, user.role, user.organisation
            );
        }
        UserCommand::Disable { email } => set_disabled(config, &email, true).await?,
        UserCommand::Enable { email } => set_disabled(config, &email, false).await?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn set_disabled(config: &Config, email: &str, disabled: bool) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let result = async {
        let user = uc::by_email(&store, email).await?;
        if disabled {
            uc::disable(&store, &Caller::System, user.id).await
        } else {
            uc::enable(&store, &Caller::System, user.id).await
        }
    }
    .await;
    store.close().await;
    let user = result?;
    println!(
        "{} {} ({} at {})",
        if user.disabled { "disabled" } else { "enabled" },
        user.email,
        user.role,
        user.organisation
    );
    Ok(())
}
