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
