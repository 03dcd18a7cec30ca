//! Whether the provider's helpdesk can be reached, step by step: the name
//! (DNS), a TCP connection, the TLS handshake (for `https`), and how long
//! `/api/health` takes to answer. Each step has a time-out and says what
//! went wrong, so a customer's "it does not connect" becomes evidence.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::net::TcpStream;

/// How long each step may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(5);

/// The report, one line per step, for the helpdesk at `server_url`.
pub async fn reachability(server_url: &str) -> String {
    let mut out = format!("Helpdesk: {server_url}\n");
    let Ok(url) = reqwest::Url::parse(server_url) else {
        out.push_str("not a valid address\n");
        return out;
    };
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        out.push_str("the address names no host\n");
        return out;
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();

    let started = Instant::now();
    let lookup = tokio::time::timeout(STEP_TIMEOUT, tokio::net::lookup_host((host.as_str(), port)));
    let addrs: Vec<_> = match lookup.await {
        Ok(Ok(addrs)) => addrs.collect(),
        Ok(Err(e)) => return failed(out, "DNS", &e.to_string()),
        Err(_) => return failed(out, "DNS", "timed out"),
    };
    let Some(addr) = addrs.first().copied() else {
        return failed(out, "DNS", "no address");
    };
    let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
    let _ = writeln!(out, "DNS: {} in {}", shown.join(", "), ms(started));

    let started = Instant::now();
    let tcp = match tokio::time::timeout(STEP_TIMEOUT, TcpStream::connect(addr)).await {
        Ok(Ok(tcp)) => tcp,
        Ok(Err(e)) => return failed(out, "TCP", &format!("{addr}: {e}")),
        Err(_) => return failed(out, "TCP", &format!("{addr}: timed out")),
    };
    let _ = writeln!(out, "TCP: connected to {addr} in {}", ms(started));

    if url.scheme() == "https" {
        match handshake(tcp, &host).await {
            Ok((took, version)) => {
                let _ = writeln!(out, "TLS: {version} handshake in {took}");
            }
            Err(e) => return failed(out, "TLS", &e),
        }
    } else {
        drop(tcp);
        out.push_str("TLS: not used (plain http)\n");
    }

    let health = url.join("/api/health").map_err(|e| e.to_string());
    let client = reqwest::Client::builder().timeout(STEP_TIMEOUT).build();
    let started = Instant::now();
    match (health, client) {
        (Ok(health), Ok(client)) => match client.get(health).send().await {
            Ok(r) => {
                let _ = writeln!(out, "/api/health: {} in {}", r.status(), ms(started));
            }
            Err(e) => return failed(out, "/api/health", &e.to_string()),
        },
        (Err(e), _) => return failed(out, "/api/health", &e),
        (_, Err(e)) => return failed(out, "/api/health", &e.to_string()),
    }
    out
}

fn failed(mut out: String, step: &str, why: &str) -> String {
    let _ = writeln!(out, "{step}: FAILED ({why})");
    out
}

fn ms(since: Instant) -> String {
    format!("{} ms", since.elapsed().as_millis())
}

/// The TLS handshake on `tcp` for `host`, checked against the web's roots;
/// how long it took and the protocol version.
async fn handshake(tcp: TcpStream, host: &str) -> Result<(String, String), String> {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name =
        rustls::pki_types::ServerName::try_from(host.to_owned()).map_err(|e| e.to_string())?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let started = Instant::now();
    let stream = tokio::time::timeout(STEP_TIMEOUT, connector.connect(name, tcp))
        .await
        .map_err(|_| "timed out".to_owned())?
        .map_err(|e| e.to_string())?;
    let version = stream
        .get_ref()
        .1
        .protocol_version()
        .map_or_else(|| "TLS".to_owned(), |v| format!("{v:?}"));
    Ok((ms(started), version))
}
