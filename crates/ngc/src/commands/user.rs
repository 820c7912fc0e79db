//! `ngc user add`: the password comes from standard input, never from a flag.

use super::open_store;
use crate::cli::UserCommand;
use crate::config::Config;
use anyhow::Context;
use ngc_domain::Role;
use ngc_store::Actor;
use ngc_store::users::NewUser;
use std::io::BufRead;
use std::process::ExitCode;

/// Runs a user command.
pub async fn run(config: &Config, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let UserCommand::Add {
        email,
        org,
        role,
        name,
    } = cmd;
    let role: Role = role.parse()?;
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("reading the password from standard input")?;
    let password = password.trim_end_matches(['\r', '\n']);
    ngc_store::credentials::check_new_password(password)
        .context("the password read from standard input")?;
    let store = open_store(config).await?;
    let user = store
        .create_user(
            &NewUser {
                email: &email,
                name: &name,
                role,
                organisation: &org,
                password,
            },
            &Actor::system(),
        )
        .await?;
    println!(
        "added {} ({}) to {}",
        user.email, user.role, user.organisation
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
