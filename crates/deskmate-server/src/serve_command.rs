//! `deskmate-server serve`: its flags and the serving until a stop signal.

use std::io::Write;

use anyhow::Context;
use tokio::net::TcpListener;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free one (printed on stdout).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: String,
    /// Database URL: sqlite://PATH (created if missing).
    #[arg(
        long,
        env = "DESKMATE_DATABASE_URL",
        default_value = "sqlite://deskmate-server.sqlite3"
    )]
    database: String,
    /// Seed demo organisations, accounts and tickets into a new database.
    #[arg(long)]
    demo: bool,
    /// Days after closing during which a customer may reopen a ticket.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..))]
    reopen_days: u16,
    /// Hours agents have for their first answer to a high-priority ticket.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..))]
    first_response_hours_high: u16,
    /// Hours agents have for their first answer to a regular ticket.
    #[arg(long, default_value_t = 24, value_parser = clap::value_parser!(u16).range(1..))]
    first_response_hours_regular: u16,
    /// The price of an expedited response, e.g. 49.00 (two decimals at
    /// most); without it expedited responses are not offered.
    #[arg(long, env = "DESKMATE_EXPEDITE_PRICE", value_parser = amount_minor)]
    expedite_price: Option<i64>,
    /// The currency of --expedite-price (ISO 4217).
    #[arg(long, env = "DESKMATE_EXPEDITE_CURRENCY", default_value = "EUR", value_parser = currency)]
    expedite_currency: String,
    /// Seconds a client has to send a request's head, from connecting or
    /// from the end of its previous answer (idle connections close then).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..))]
    header_timeout_secs: u16,
    /// Seconds a client may pause while sending a request body.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..))]
    body_timeout_secs: u16,
    /// Live-event streams one account may have open at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    streams_per_account: u32,
    /// Failed sign-ins one client (IP) may make, at any addresses, in 15
    /// minutes before its sign-ins are refused for a while.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u16).range(1..))]
    login_failures_per_client: u16,
    /// Files one account may be sending at once.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..))]
    uploads_per_account: u16,
    /// Files the server receives at once from everyone (each is buffered,
    /// up to 10 MiB).
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    uploads_at_once: u16,
    /// Changes one account may make per minute (tickets, messages, files...).
    #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u32).range(1..))]
    writes_per_minute: u32,
    /// Largest attached file, in bytes (at most, and by default, 10 MiB).
    #[arg(long, default_value_t = deskmate_api::limits::ATTACHMENT_MAX_BYTES as u64,
        value_parser = clap::value_parser!(u64).range(1..=deskmate_api::limits::ATTACHMENT_MAX_BYTES as u64))]
    attachment_max_bytes: u64,
    /// Most bytes of files one ticket holds (at most, and by default, 50 MiB).
    #[arg(long, default_value_t = deskmate_api::limits::TICKET_ATTACHMENTS_MAX_BYTES as u64,
        value_parser = clap::value_parser!(u64).range(1..=deskmate_api::limits::TICKET_ATTACHMENTS_MAX_BYTES as u64))]
    ticket_attachments_max_bytes: u64,
    #[command(flatten)]
    mail: crate::cli_accounts::MailArgs,
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let ServeArgs {
        listen,
        database,
        demo,
        reopen_days,
        first_response_hours_high,
        first_response_hours_regular,
        expedite_price,
        expedite_currency,
        header_timeout_secs,
        body_timeout_secs,
        streams_per_account,
        login_failures_per_client,
        uploads_per_account,
        uploads_at_once,
        writes_per_minute,
        attachment_max_bytes,
        ticket_attachments_max_bytes,
        mail,
    } = args;
    let expedite = expedite_price.map(|amount| deskmate_server::db::ExpediteOffer {
        price: deskmate_api::Price::new(amount, expedite_currency),
        terms: deskmate_server::handlers::expedite::DEFAULT_TERMS.to_owned(),
    });
    let config = deskmate_server::Config {
        demo,
        reopen_window: chrono::Duration::days(i64::from(reopen_days)),
        first_response_high: chrono::Duration::hours(i64::from(first_response_hours_high)),
        first_response_regular: chrono::Duration::hours(i64::from(first_response_hours_regular)),
        expedite,
        mail: mail.settings(),
        timeouts: deskmate_server::serve::Timeouts {
            header_read: std::time::Duration::from_secs(u64::from(header_timeout_secs)),
            body_read: std::time::Duration::from_secs(u64::from(body_timeout_secs)),
        },
        caps: deskmate_server::limits::Caps {
            streams_per_account: usize::try_from(streams_per_account).unwrap_or(usize::MAX),
            login_failures_per_client: i64::from(login_failures_per_client),
            uploads_per_account: usize::from(uploads_per_account),
            uploads_at_once: usize::from(uploads_at_once),
            writes_per_minute,
            ..Default::default()
        },
        attachments: deskmate_api::AttachmentLimits {
            max_file_bytes: attachment_max_bytes,
            max_ticket_bytes: ticket_attachments_max_bytes,
            ..Default::default()
        },
        ..deskmate_server::Config::default()
    };
    serve(&listen, &database, config).await
}

/// `--expedite-price`: 49, 49.5 or 49.00, in the currency's smallest unit.
fn amount_minor(text: &str) -> Result<i64, String> {
    deskmate_api::Price::parse(text, "EUR").map(|p| p.amount_minor)
}

/// `--expedite-currency`: three letters, e.g. EUR (any case).
fn currency(text: &str) -> Result<String, String> {
    deskmate_api::Price::parse("1", text).map(|p| p.currency)
}

async fn serve(
    listen: &str,
    database: &str,
    config: deskmate_server::Config,
) -> anyhow::Result<()> {
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let server = deskmate_server::launch_with(listener, database, config).await?;
    // Watch for the stop signals before saying so, or a SIGTERM sent right
    // after the line below would kill the process instead of stopping it.
    let stop = stop_signal();
    // The line scripts and tests wait for: the server accepts connections now.
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{}", server.local_addr())?;
    out.flush()?;
    drop(out);
    stop.await;
    tracing::info!("stopping: finishing requests in flight");
    server.shutdown().await;
    Ok(())
}

/// Starts watching Ctrl-C and SIGTERM now; the future ends on either.
#[cfg(unix)]
fn stop_signal() -> impl Future<Output = ()> {
    use tokio::signal::unix::{Signal, SignalKind, signal};

    async fn received(watch: Option<Signal>) {
        match watch {
            Some(mut s) => {
                s.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    }
    let watch = |kind: SignalKind, name: &str| {
        signal(kind)
            .inspect_err(|e| tracing::warn!(error = %e, "cannot watch {name}"))
            .ok()
    };
    let interrupt = received(watch(SignalKind::interrupt(), "Ctrl-C"));
    let term = received(watch(SignalKind::terminate(), "SIGTERM"));
    async move {
        tokio::select! {
            () = interrupt => {}
            () = term => {}
        }
    }
}

/// Ctrl-C; there is no SIGTERM here.
#[cfg(not(unix))]
fn stop_signal() -> impl Future<Output = ()> {
    async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot watch Ctrl-C");
            std::future::pending::<()>().await;
        }
    }
}
