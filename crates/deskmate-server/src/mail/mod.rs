//! E-mail out. Routes never talk SMTP: they queue a mail in the database
//! (in the transaction that decided to send it) and wake [`Mail`]'s task,
//! which delivers it with `lettre` and retries with back-off. A dead SMTP
//! server thus never fails or slows a request. Without `--smtp-url` the
//! helpdesk sends nothing and the routes that need a mail answer
//! `mail_not_configured`.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use deskmate_api::ErrorCode;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::db::{Db, Delivery, QueuedMail};
use crate::error::{ApiError, ApiResult};

/// How the operator configured mail (`deskmate-server serve --smtp-url
/// URL --mail-from ADDR --public-url URL`).
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `smtp://HOST:PORT` (plain), `smtp://HOST:PORT?tls=required`
    /// (STARTTLS) or `smtps://HOST:PORT`, optionally with `user:password@`.
    pub smtp_url: String,
    /// The sender, e-mail address or `Name <address>`.
    pub from: String,
    /// Where people open the links in mails (e.g. the password reset).
    pub public_url: String,
}

/// Delivery attempts before a mail is given up.
const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed mail stays with its sender before another may try.
const LEASE_SECONDS: i64 = 300;
/// Mails claimed per round.
const BATCH: i64 = 20;
/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// The helpdesk's mail: wakes the delivery task; cheap to clone.
#[derive(Clone, Debug)]
pub struct Mail {
    public_url: String,
    wake: Arc<Notify>,
}

impl Mail {
    /// Where the links in mails point, without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// Tells the delivery task that mail was queued (a wake-up is never
    /// lost: one that comes while it is busy is kept).
    pub fn queued(&self) {
        self.wake.notify_one();
    }
}

/// The `mail_not_configured` refusal of a route that needs mail.
pub fn configured(mail: Option<&Mail>) -> ApiResult<&Mail> {
    mail.ok_or_else(|| {
        ApiError::new(
            ErrorCode::MailNotConfigured,
            "this helpdesk sends no e-mail (its operator configured no SMTP server): \
             ask your provider",
        )
    })
}

/// Checks the settings and starts the delivery task.
pub fn start(db: Db, settings: &MailSettings) -> anyhow::Result<(Mail, JoinHandle<()>)> {
    let from: Mailbox = settings
        .from
        .parse()
        .map_err(|e| anyhow::anyhow!("--mail-from {:?}: {e}", settings.from))?;
    let public_url = settings.public_url.trim_end_matches('/').to_owned();
    if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
        anyhow::bail!("--public-url {public_url:?}: give an http:// or https:// URL");
    }
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.smtp_url)
        .map_err(|e| anyhow::anyhow!("--smtp-url: {e}"))?
        .timeout(Some(SMTP_TIMEOUT))
        .build();
    let wake = Arc::new(Notify::new());
    let task = tokio::spawn(deliver(db, transport, from, wake.clone()));
    Ok((Mail { public_url, wake }, task))
}

/// Delivers what is due, then waits for a wake-up or the next retry.
async fn deliver(
    db: Db,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    wake: Arc<Notify>,
) {
    loop {
        let claimed = db
            .claim_due_mail(Utc::now(), chrono::Duration::seconds(LEASE_SECONDS), BATCH)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "cannot read the mail outbox");
                Vec::new()
            });
        let full = claimed.len() as i64 == BATCH;
        for mail in claimed {
            let delivery = send(&transport, &from, &mail).await;
            if let Delivery::Failed { error } = &delivery {
                tracing::warn!(mail_id = mail.id, %error, "mail given up");
            }
            if let Err(e) = db.record_delivery(mail.id, &delivery, Utc::now()).await {
                tracing::warn!(mail_id = mail.id, error = %e, "cannot record a mail's delivery");
            }
        }
        if full {
            continue;
        }
        let wait = match db.next_mail_due().await {
            Ok(Some(at)) => (at - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(Duration::from_secs(LEASE_SECONDS as u64)),
            Ok(None) => Duration::from_secs(LEASE_SECONDS as u64),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the mail outbox");
                Duration::from_secs(5)
            }
        };
        if wait.is_zero() {
            continue;
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// One attempt; a refusal for good (a bad address, a permanent SMTP
/// error) is not retried, a transient one is, later each time.
async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    mail: &QueuedMail,
) -> Delivery {
    let message = mail
        .recipient
        .parse::<Mailbox>()
        .map_err(|e| e.to_string())
        .and_then(|to| {
            Message::builder()
                .from(from.clone())
                .to(to)
                .subject(mail.subject.clone())
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body.clone())
                .map_err(|e| e.to_string())
        });
    let message = match message {
        Ok(m) => m,
        Err(error) => return Delivery::Failed { error },
    };
    match transport.send(message).await {
        Ok(_) => Delivery::Sent,
        Err(e) if e.is_permanent() || mail.attempts + 1 >= MAX_ATTEMPTS => Delivery::Failed {
            error: e.to_string(),
        },
        Err(e) => {
            // 10 s, 20 s, 40 s ... at most an hour.
            let backoff = 10i64
                .saturating_mul(1 << mail.attempts.clamp(0, 9))
                .min(3600);
            Delivery::Retry {
                at: Utc::now() + chrono::Duration::seconds(backoff),
                error: e.to_string(),
            }
        }
    }
}
