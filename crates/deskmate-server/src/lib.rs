//! deskmate-server: the reference helpdesk behind the Deskmate app.
//!
//! [`launch`] serves the API on a listener the caller bound (tests use
//! 127.0.0.1 port 0); the `deskmate-server` binary wraps it in a CLI.

pub mod auth;
pub mod console;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod extract;
pub mod handlers;
pub mod json;
pub mod limits;
pub mod mail;
pub mod openapi;
pub mod query;
mod router;
pub mod serve;
pub mod user;

use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use db::Db;
pub use router::router;

/// What every handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Config,
    /// E-mail out; `None` when the operator configured no SMTP server.
    pub mail: Option<mail::Mail>,
    /// Turns `true` when the server stops: open event streams end.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    /// What one account or client may hold or do at once.
    pub limits: limits::Limits,
}

/// Settings a provider may change.
#[derive(Clone, Debug)]
pub struct Config {
    /// How long after closing a customer may reopen a ticket with new details.
    pub reopen_window: chrono::Duration,
    /// Seed the demo organisations, accounts and tickets into a new database.
    pub demo: bool,
    /// How long agents have for their first answer to a high-priority ticket.
    pub first_response_high: chrono::Duration,
    /// How long agents have for their first answer to a regular ticket.
    pub first_response_regular: chrono::Duration,
    /// The price and terms of an expedited response; `None`: not offered.
    pub expedite: Option<db::ExpediteOffer>,
    /// How long a client may take to send a request.
    pub timeouts: serve::Timeouts,
    /// What one account or client may hold or do at once.
    pub caps: limits::Caps,
    /// E-mail out (`--smtp-url`, `--mail-from`, `--public-url`); `None`:
    /// the helpdesk sends no mail.
    pub mail: Option<mail::MailSettings>,
    /// How long a password reset token (or an approved account's
    /// set-password link) stays valid.
    pub password_reset_lifetime: chrono::Duration,
    /// What tickets accept as attachments (`--attachment-max-bytes`,
    /// `--ticket-attachments-max-bytes`), told to clients at
    /// `/api/v1/attachment-limits`; never more than [`deskmate_api::limits`].
    pub attachments: deskmate_api::AttachmentLimits,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            reopen_window: chrono::Duration::days(30),
            demo: false,
            first_response_high: chrono::Duration::hours(4),
            first_response_regular: chrono::Duration::hours(24),
            expedite: None,
            timeouts: serve::Timeouts::default(),
            caps: limits::Caps::default(),
            mail: None,
            password_reset_lifetime: chrono::Duration::hours(1),
            attachments: deskmate_api::AttachmentLimits::default(),
        }
    }
}

impl Config {
    /// How long agents have for their first answer to a ticket of `priority`.
    pub fn first_response_within(&self, priority: deskmate_api::Priority) -> chrono::Duration {
        match priority {
            deskmate_api::Priority::High => self.first_response_high,
            deskmate_api::Priority::Regular => self.first_response_regular,
        }
    }
}

/// A running server.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    db: Db,
    stop: Option<oneshot::Sender<()>>,
    stopping: tokio::sync::watch::Sender<bool>,
    serving: JoinHandle<std::io::Result<()>>,
    housekeeping: JoinHandle<()>,
    relay: Option<JoinHandle<()>>,
    mailer: Option<JoinHandle<()>>,
}

impl Server {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its database (the admin commands and the tests use it directly).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Stops accepting, lets requests in flight finish, closes the database.
    /// When it returns the port refuses connections.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Event streams never end on their own: end them.
        let _ = self.stopping.send(true);
        self.housekeeping.abort();
        if let Some(relay) = &self.relay {
            relay.abort();
        }
        if let Some(mailer) = &self.mailer {
            mailer.abort();
        }
        match (&mut self.serving).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "server stopped with an error"),
            Err(e) => tracing::error!(error = %e, "server task failed"),
        }
        self.db.close().await;
    }
}

/// Opens (and migrates) the database at `database_url`, seeds the demo data
/// when `demo` is set and the database is new, and serves on `listener`.
pub async fn launch(
    listener: TcpListener,
    database_url: &str,
    demo: bool,
) -> anyhow::Result<Server> {
    let config = Config {
        demo,
        ..Config::default()
    };
    launch_with(listener, database_url, config).await
}

/// [`launch`] with every setting.
pub async fn launch_with(
    listener: TcpListener,
    database_url: &str,
    config: Config,
) -> anyhow::Result<Server> {
    let db = Db::open(database_url).await?;
    if config.demo {
        demo::seed(&db, &config).await?;
    }
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let (stopping, stopping_rx) = tokio::sync::watch::channel(false);
    let relay = db.relay_notifications();
    let timeouts = config.timeouts;
    let (mail, mailer) = match &config.mail {
        Some(settings) => {
            let (mail, task) = mail::start(db.clone(), settings)?;
            (Some(mail), Some(task))
        }
        None => (None, None),
    };
    let app = router(AppState {
        db: db.clone(),
        limits: limits::Limits::new(config.caps),
        config,
        mail,
        stopping: stopping_rx,
    });
    let serving = tokio::spawn(serve::serve(listener, app, timeouts, stopped));
    let housekeeping = tokio::spawn(housekeeping(db.clone()));
    Ok(Server {
        addr,
        db,
        stop: Some(stop),
        stopping,
        serving,
        housekeeping,
        relay,
        mailer,
    })
}

/// Every minute: remote sessions' one-time passwords past their time-out
/// are erased; every hour: expired sign-in sessions.
async fn housekeeping(db: Db) {
    let mut every = tokio::time::interval(Duration::from_secs(60));
    for minute in 0u64.. {
        every.tick().await;
        match db.erase_expired_remote_passwords(chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(passwords = n, "expired one-time passwords erased"),
            Err(e) => tracing::warn!(error = %e, "could not erase expired one-time passwords"),
        }
        if minute % 60 != 0 {
            continue;
        }
        match db.purge_expired_sessions().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "expired sessions removed"),
            Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
        }
    }
}
