//! `deskmate-server`: serve the helpdesk API, or bring a database up to date.

use std::io::Write;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};

mod serve_command;
use deskmate_api::Role;

mod cli_accounts;

#[derive(Debug, Parser)]
#[command(
    name = "deskmate-server",
    version,
    about = "The reference helpdesk behind Deskmate"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API until SIGTERM or Ctrl-C.
    Serve(serve_command::ServeArgs),
    /// Create the database if needed and apply pending migrations, then exit.
    Migrate {
        #[arg(
            long,
            env = "DESKMATE_DATABASE_URL",
            default_value = "sqlite://deskmate-server.sqlite3"
        )]
        database: String,
    },
    /// Create organisations and accounts (the database is migrated first).
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Debug, Subcommand)]
enum Admin {
    /// Create a customer organisation; prints its id.
    CreateOrganisation {
        #[arg(long, env = "DESKMATE_DATABASE_URL")]
        database: String,
        /// The organisation's name (unique).
        #[arg(long)]
        name: String,
    },
    /// Create a customer account in an organisation; prints its id. The
    /// password is read from DESKMATE_NEW_PASSWORD, or else one line of stdin.
    CreateUser {
        #[arg(long, env = "DESKMATE_DATABASE_URL")]
        database: String,
        /// The organisation's id (as printed by create-organisation).
        #[arg(long)]
        organisation: i64,
        /// The e-mail address the user signs in with (unique).
        #[arg(long)]
        email: String,
        /// The name shown to agents and colleagues.
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: CustomerRole,
        /// A customer user sees every ticket of the organisation, not only their own.
        #[arg(long)]
        can_see_org_tickets: bool,
        /// A customer user sees the organisation's invoices.
        #[arg(long)]
        invoices: bool,
        /// A customer user sees the call records of the organisation's voice services.
        #[arg(long)]
        call_records: bool,
        /// A customer user manages the organisation's accounts.
        #[arg(long)]
        manage_users: bool,
        /// A customer user may request (paid) expedited responses.
        #[arg(long)]
        expedite: bool,
    },
    /// Give an organisation a service, or rename it; prints the service's
    /// id. Its people see the announcements that name the reference.
    SetService {
        #[arg(long, env = "DESKMATE_DATABASE_URL")]
        database: String,
        /// The organisation's id (as printed by create-organisation).
        #[arg(long)]
        organisation: i64,
        /// The provider's reference of the service, e.g. SIP-MI-0042
        /// (letters, digits, '.', '_', '-'; unique within the organisation).
        #[arg(long)]
        reference: String,
        /// What the organisation calls it, e.g. "SIP trunk Milan".
        #[arg(long)]
        name: String,
    },
    /// Take a service from an organisation: the announcements only it
    /// brought are withdrawn from the organisation's people.
    RemoveService {
        #[arg(long, env = "DESKMATE_DATABASE_URL")]
        database: String,
        #[arg(long)]
        organisation: i64,
        #[arg(long)]
        reference: String,
    },
    /// List an organisation's services: one line each, reference TAB name.
    ListServices {
        #[arg(long, env = "DESKMATE_DATABASE_URL")]
        database: String,
        #[arg(long)]
        organisation: i64,
    },
    #[command(flatten)]
    Accounts(cli_accounts::AccountAdmin),
    /// Create an agent of the provider; prints its id. The password is read
    /// from DESKMATE_NEW_PASSWORD, or else one line of stdin.
    CreateAgent {
        #[arg(long, env = "DESKMATE_DATABASE_URL")]
        database: String,
        /// The e-mail address the agent signs in with (unique).
        #[arg(long)]
        email: String,
        /// The name customers see on the agent's replies.
        #[arg(long)]
        name: String,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
#[value(rename_all = "snake_case")]
enum CustomerRole {
    CustomerUser,
    CustomerAdmin,
}

impl From<CustomerRole> for Role {
    fn from(role: CustomerRole) -> Self {
        match role {
            CustomerRole::CustomerUser => Self::CustomerUser,
            CustomerRole::CustomerAdmin => Self::CustomerAdmin,
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DESKMATE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match Cli::parse().command {
        Command::Serve(args) => serve_command::run(args).await,
        Command::Migrate { database } => {
            let db = deskmate_server::Db::open(&database).await?;
            db.close().await;
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::Admin(admin) => {
            // One clear line (whole cause chain, no backtrace) and exit code 1.
            if let Err(e) = run_admin(admin).await {
                let _ = writeln!(std::io::stderr().lock(), "error: {e:#}");
                std::process::exit(1);
            }
            Ok(())
        }
    }
}

/// The environment variable an admin command reads the new password from.
const NEW_PASSWORD_ENV: &str = "DESKMATE_NEW_PASSWORD";

async fn run_admin(admin: Admin) -> anyhow::Result<()> {
    match admin {
        Admin::Accounts(accounts) => accounts.run().await,
        Admin::CreateOrganisation { database, name } => {
            let name = name.trim().to_owned();
            if name.is_empty() {
                bail!("the organisation's name is empty");
            }
            let db = deskmate_server::Db::open(&database).await?;
            let created = db.create_organisation(&name).await;
            db.close().await;
            let id = created.with_context(|| format!("cannot create organisation {name:?}"))?;
            print_id(id)
        }
        Admin::CreateUser {
            database,
            organisation,
            email,
            name,
            role,
            can_see_org_tickets,
            invoices,
            call_records,
            manage_users,
            expedite,
        } => {
            // A customer admin has every right whatever the flags say.
            let rights = deskmate_api::Rights {
                all_tickets: can_see_org_tickets,
                invoices,
                call_records,
                manage_users,
                expedite,
            };
            let (email, name) = account_fields(&email, &name)?;
            let db = deskmate_server::Db::open(&database).await?;
            let created = async {
                if db.organisation_name(organisation).await?.is_none() {
                    bail!("no organisation with id {organisation}: create it first");
                }
                let hash = new_password_hash().await?;
                Ok(db
                    .create_user(
                        Some(organisation),
                        &email,
                        &name,
                        role.into(),
                        &hash,
                        rights,
                    )
                    .await?)
            }
            .await;
            db.close().await;
            let id = created.with_context(|| format!("cannot create user {email}"))?;
            print_id(id)
        }
        Admin::CreateAgent {
            database,
            email,
            name,
        } => {
            let (email, name) = account_fields(&email, &name)?;
            let db = deskmate_server::Db::open(&database).await?;
            let created = async {
                let hash = new_password_hash().await?;
                Ok::<_, anyhow::Error>(
                    db.create_user(None, &email, &name, Role::Agent, &hash, Default::default())
                        .await?,
                )
            }
            .await;
            db.close().await;
            let id = created.with_context(|| format!("cannot create agent {email}"))?;
            print_id(id)
        }
        Admin::SetService {
            database,
            organisation,
            reference,
            name,
        } => {
            let reference = reference.trim().to_owned();
            deskmate_api::check_service_reference(&reference).map_err(anyhow::Error::msg)?;
            let name = deskmate_api::ServiceName { name };
            name.validate().map_err(anyhow::Error::msg)?;
            let db = deskmate_server::Db::open(&database).await?;
            let set = db
                .set_service(
                    organisation,
                    &reference,
                    name.name.trim(),
                    None,
                    None,
                    chrono::Utc::now(),
                )
                .await;
            db.close().await;
            match set.with_context(|| format!("cannot set service {reference:?}"))? {
                deskmate_server::db::Written::Created(service) => print_id(service.id),
                deskmate_server::db::Written::Replayed { .. } => bail!("unexpected replay"),
            }
        }
        Admin::RemoveService {
            database,
            organisation,
            reference,
        } => {
            let db = deskmate_server::Db::open(&database).await?;
            let removed = db
                .remove_service(
                    organisation,
                    reference.trim(),
                    None,
                    None,
                    chrono::Utc::now(),
                )
                .await;
            db.close().await;
            removed.with_context(|| format!("cannot remove service {reference:?}"))?;
            Ok(())
        }
        Admin::ListServices {
            database,
            organisation,
        } => {
            let db = deskmate_server::Db::open(&database).await?;
            let services = db.services(organisation).await;
            db.close().await;
            let services = services.context("cannot list the services")?;
            let mut out = std::io::stdout().lock();
            for service in services {
                writeln!(out, "{}\t{}", service.reference, service.name)?;
            }
            out.flush()?;
            Ok(())
        }
    }
}

/// The e-mail address and name of a new account, checked.
fn account_fields(email: &str, name: &str) -> anyhow::Result<(String, String)> {
    let email = email.trim().to_lowercase();
    let name = name.trim().to_owned();
    let looks_like_address = email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    if !looks_like_address || email.chars().any(char::is_whitespace) {
        bail!("{email:?} is not an e-mail address");
    }
    if email.chars().count() > deskmate_api::limits::EMAIL_MAX_CHARS {
        bail!(
            "the e-mail address is longer than {} characters",
            deskmate_api::limits::EMAIL_MAX_CHARS
        );
    }
    if name.is_empty() {
        bail!("the name is empty");
    }
    Ok((email, name))
}

/// The new account's password from the environment or one line of stdin,
/// checked and hashed off the runtime.
async fn new_password_hash() -> anyhow::Result<String> {
    let password = match std::env::var(NEW_PASSWORD_ENV) {
        Ok(p) => p,
        Err(std::env::VarError::NotUnicode(_)) => bail!("{NEW_PASSWORD_ENV} is not valid UTF-8"),
        Err(std::env::VarError::NotPresent) => {
            tokio::task::spawn_blocking(|| {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("cannot read the password from stdin")?;
                Ok::<_, anyhow::Error>(line.trim_end_matches(['\r', '\n']).to_owned())
            })
            .await??
        }
    };
    if password.is_empty() {
        bail!("no password: set {NEW_PASSWORD_ENV} or write it as one line on stdin");
    }
    deskmate_api::validate_new_password(&password).map_err(anyhow::Error::msg)?;
    let hash = tokio::task::spawn_blocking(move || deskmate_server::auth::hash_password(&password))
        .await??;
    Ok(hash)
}

fn print_id(id: i64) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{id}")?;
    out.flush()?;
    Ok(())
}
