//! `deskmate-server`: serve the helpdesk API, or bring a database up to date.

use std::io::Write;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

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
    Serve {
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
    },
    /// Create the database if needed and apply pending migrations, then exit.
    Migrate {
        #[arg(
            long,
            env = "DESKMATE_DATABASE_URL",
            default_value = "sqlite://deskmate-server.sqlite3"
        )]
        database: String,
    },
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
        Command::Serve {
            listen,
            database,
            demo,
            reopen_days,
        } => {
            let config = deskmate_server::Config {
                demo,
                reopen_window: chrono::Duration::days(i64::from(reopen_days)),
            };
            serve(&listen, &database, config).await
        }
        Command::Migrate { database } => {
            let db = deskmate_server::Db::open(&database).await?;
            db.close().await;
            tracing::info!("database is up to date");
            Ok(())
        }
    }
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
