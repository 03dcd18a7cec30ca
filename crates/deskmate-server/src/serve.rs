//! Accepting connections: HTTP/1.1 over hyper with the time-outs that keep a
//! slow or silent client from holding a connection for ever (`axum::serve`
//! sets none), the peer's address for the handlers ([`ConnectInfo`]), and a
//! graceful stop that lets requests in flight finish.
//!
//! Only HTTP/1.1: hyper's automatic HTTP/2 detection waits for the first
//! bytes with no time-out at all, and no client of this server speaks
//! HTTP/2 without TLS (which a reverse proxy in front terminates).

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinSet;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutBody};

/// How long a client may take; `deskmate-server serve` flags set them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// For a request's head, from the connection's start or from the end of
    /// its previous response (so also how long an idle connection is kept).
    pub header_read: Duration,
    /// Between two pieces of a request body.
    pub body_read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(30),
            body_read: Duration::from_secs(30),
        }
    }
}

/// Serves `app` on `listener` until `stop` fires, then waits for the open
/// connections to finish what they are answering.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    timeouts: Timeouts,
    mut stop: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read);
    let (stopping, stopped) = watch::channel(false);
    let mut connections = JoinSet::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        // Reap what finished, so the set holds only open connections.
        while connections.try_join_next().is_some() {}
        let service = tower::ServiceBuilder::new()
            .layer(RequestBodyTimeoutLayer::new(timeouts.body_read))
            .map_request(move |mut request: hyper::Request<TimeoutBody<Incoming>>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            })
            .service(app.clone());
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        connections.spawn(run_connection(connection, peer, stopped.clone()));
    }
    drop(listener);
    let _ = stopping.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

type Connection<S> = hyper::server::conn::http1::Connection<TokioIo<tokio::net::TcpStream>, S>;

async fn run_connection<S>(
    connection: Connection<S>,
    peer: SocketAddr,
    mut stopped: watch::Receiver<bool>,
) where
    S: hyper::service::HttpService<Incoming>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    S::ResBody: 'static,
    <S::ResBody as hyper::body::Body>::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut connection = std::pin::pin!(connection);
    let ended = tokio::select! {
        ended = connection.as_mut() => ended,
        () = async { let _ = stopped.wait_for(|stop| *stop).await; } => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(e) = ended {
        // A client that went silent or away: theirs to retry.
        tracing::debug!(%peer, error = %e, "connection ended");
    }
}

/// Like `axum::serve`: a refused or reset connection is the client's; out
/// of file descriptors and the like, wait a moment before accepting again.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "cannot accept connections");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
