//! The `deskmate-server` options and admin subcommands of accounts: mail
//! out, organisations' allowed e-mail domains and contract numbers.

use clap::Args;

/// E-mail out: without `--smtp-url` the helpdesk sends no mail and the
/// routes that need one answer `mail_not_configured`.
#[derive(Debug, Args)]
pub struct MailArgs {
    /// The SMTP server mail goes out through: smtp://HOST:PORT (plain),
    /// smtp://HOST:PORT?tls=required (STARTTLS) or smtps://HOST:PORT,
    /// optionally with USER:PASSWORD@.
    #[arg(long, env = "DESKMATE_SMTP_URL", requires_all = ["mail_from", "public_url"])]
    pub smtp_url: Option<String>,
    /// The sender of every mail: an address or "Name <address>".
    #[arg(long, env = "DESKMATE_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// Where people open the links mails carry, e.g. https://help.example.
    #[arg(long, env = "DESKMATE_PUBLIC_URL")]
    pub public_url: Option<String>,
}

impl MailArgs {
    pub fn settings(self) -> Option<deskmate_server::mail::MailSettings> {
        let MailArgs {
            smtp_url,
            mail_from,
            public_url,
        } = self;
        Some(deskmate_server::mail::MailSettings {
            smtp_url: smtp_url?,
            from: mail_from?,
            public_url: public_url?,
        })
    }
}

/// The operator's account-related admin commands (flattened into `admin`).
#[derive(Debug, clap::Subcommand)]
pub enum AccountAdmin {
    /// Set the e-mail domains an organisation's notification addresses
    /// must be in (replacing the ones set before; none: any domain), then
    /// print them, one a line.
    SetEmailDomains {
        #[arg(long, env = "DESKMATE_DATABASE_URL")]
        database: String,
        /// The organisation's id (as printed by create-organisation).
        #[arg(long)]
        organisation: i64,
        /// An allowed domain, e.g. acme.example; repeat for more.
        #[arg(long = "domain")]
        domains: Vec<String>,
    },
    /// Set the contract number people give when they ask for an account
    /// of the organisation (unique across organisations).
    SetContractNumber {
        #[arg(long, env = "DESKMATE_DATABASE_URL")]
        database: String,
        #[arg(long)]
        organisation: i64,
        /// As printed on the contract, e.g. ACME-2024-0017 (1 to 100 characters).
        #[arg(long)]
        contract_number: String,
    },
}

impl AccountAdmin {
    pub async fn run(self) -> anyhow::Result<()> {
        use std::io::Write;
        match self {
            AccountAdmin::SetEmailDomains {
                database,
                organisation,
                domains,
            } => {
                let domains = domains
                    .iter()
                    .map(|d| deskmate_api::check_email_domain(d))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(anyhow::Error::msg)?;
                let db = deskmate_server::Db::open(&database).await?;
                let set = async {
                    db.set_email_domains(organisation, &domains).await?;
                    db.email_domains(organisation).await
                }
                .await;
                db.close().await;
                let now = set.map_err(|e| anyhow::anyhow!("cannot set the e-mail domains: {e}"))?;
                let mut out = std::io::stdout().lock();
                for domain in now {
                    writeln!(out, "{domain}")?;
                }
                out.flush()?;
                Ok(())
            }
            AccountAdmin::SetContractNumber {
                database,
                organisation,
                contract_number,
            } => {
                let number = contract_number.trim().to_owned();
                if number.is_empty() || number.chars().count() > 100 {
                    anyhow::bail!("the contract number must be 1 to 100 characters");
                }
                let db = deskmate_server::Db::open(&database).await?;
                let set = db.set_contract_number(organisation, Some(&number)).await;
                db.close().await;
                set.map_err(|e| anyhow::anyhow!("cannot set the contract number: {e}"))
            }
        }
    }
}
