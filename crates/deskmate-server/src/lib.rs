//! deskmate-server: the reference helpdesk behind the Deskmate app.
//!
//! [`launch`] serves the API on a listener the caller bound (tests use
//! 127.0.0.1 port 0); the `deskmate-server` binary wraps it in a CLI.

pub mod attachments;
pub mod auth;
pub mod availability;
pub mod billing;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod expedite;
pub mod json;
pub mod notices;
pub mod openapi;
pub mod query;
pub mod queue;
pub mod routes;
pub mod users;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::trace::TraceLayer;

pub use db::Db;

/// What every handler shares.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Config,
    /// Turns `true` when the server stops: open event streams end.
    pub stopping: tokio::sync::watch::Receiver<bool>,
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
}

impl Default for Config {
    fn default() -> Self {
        Self {
            reopen_window: chrono::Duration::days(30),
            demo: false,
            first_response_high: chrono::Duration::hours(4),
            first_response_regular: chrono::Duration::hours(24),
            expedite: None,
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

/// Every route of the API.
pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/auth/login", post(routes::login))
        .route("/auth/logout", post(routes::logout))
        .route("/auth/refresh", post(routes::refresh))
        .route("/auth/password", post(routes::change_password))
        .route("/me", get(routes::me))
        .route(
            "/tickets",
            get(routes::list_tickets).post(routes::create_ticket),
        )
        .route(
            "/tickets/{id}",
            get(routes::ticket_detail).patch(routes::update_ticket),
        )
        .route("/tickets/{id}/messages", post(routes::add_message))
        .route("/tickets/{id}/reopen", post(routes::reopen_ticket))
        .route(
            "/tickets/{id}/expedite",
            get(expedite::quote).post(expedite::expedite),
        )
        .route(
            "/tickets/{id}/availability",
            put(availability::set).delete(availability::clear),
        )
        .route(
            "/tickets/{id}/remote-sessions",
            get(notices::list_remote_sessions).post(notices::request_remote_session),
        )
        .route(
            "/announcements",
            get(notices::list_announcements).post(notices::create_announcement),
        )
        .route(
            "/announcements/{id}",
            patch(notices::update_announcement).delete(notices::withdraw_announcement),
        )
        .route(
            "/remote-sessions/{id}/answer",
            post(notices::answer_remote_session),
        )
        .route(
            "/remote-sessions/{id}/end",
            post(notices::end_remote_session),
        )
        .route(
            "/order-delays",
            get(notices::list_order_delays).post(notices::create_order_delay),
        )
        .route(
            "/order-delays/{id}/answer",
            post(notices::answer_order_delay),
        )
        .route(
            "/tickets/{id}/attachments",
            post(attachments::upload).layer(DefaultBodyLimit::max(attachments::MAX_REQUEST_BYTES)),
        )
        .route(
            "/tickets/{id}/attachments/{attachment_id}",
            get(attachments::download),
        )
        .route("/queue", get(routes::queue))
        .route(
            "/queue/{id}/claim",
            post(queue::claim).delete(queue::release),
        )
        .route("/sync", get(routes::sync))
        .route("/events", get(events::stream))
        .route("/invoices", get(billing::invoices))
        .route("/expedite-charges", get(expedite::charges))
        .route("/call-records", get(billing::call_records))
        .route("/users", get(users::list_users).post(users::create_user))
        .route(
            "/users/{id}",
            patch(users::update_user).delete(users::delete_user),
        );
    Router::new()
        .route("/api/health", get(routes::health))
        .route("/api/openapi.json", get(openapi::openapi_json))
        .nest("/api/v1", v1)
        .fallback(routes::not_found)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(DefaultBodyLimit::max(json::MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
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
}

impl Server {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
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
    let app = router(AppState {
        db: db.clone(),
        config,
        stopping: stopping_rx,
    });
    let serving = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    let housekeeping = tokio::spawn(housekeeping(db.clone()));
    Ok(Server {
        addr,
        db,
        stop: Some(stop),
        stopping,
        serving,
        housekeeping,
        relay,
    })
}

async fn housekeeping(db: Db) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        match db.purge_expired_sessions().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "expired sessions removed"),
            Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
        }
    }
}
