//! The agent console at `/agent/`: a web front end for the provider's
//! agents (`ui/src/console`), built by `npm --prefix ui run build` into
//! `ui/dist-console` and embedded in this binary by `build.rs`, so the
//! server stays one file. It talks to the public API (`/api/v1`) with a
//! bearer token like every other client.
//!
//! Every answer here carries a strict Content Security Policy (scripts,
//! styles and connections from this origin only, no framing), `nosniff`
//! and its content type. Hashed assets (`assets/`) are cached for a year;
//! the page itself is revalidated on every load so a new build shows at once.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::AppState;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/console_files.rs"));
}

/// Where the console is served.
pub const PATH: &str = "/agent/";

/// What the console's pages may do: load their own scripts, styles, images
/// and fonts, show images the page made from downloaded files (`blob:`),
/// talk to this server only, never be framed, post no forms elsewhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const NOT_BUILT: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
     <title>Agent console not built</title></head><body><h1>The agent console was not built</h1>\
     <p>This deskmate-server was compiled without <code>ui/dist-console</code>. Run \
     <code>npm --prefix ui run build</code>, then build deskmate-server again.</p>\
     <p>The API at <code>/api/v1</code> works without it.</p></body></html>";

/// The console's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agent", get(|| async { Redirect::permanent(PATH) }))
        .route("/agent/", get(|| async { file("index.html") }))
        .route("/agent/{*path}", get(asset))
}

/// Whether this binary carries a built console.
pub fn is_built() -> bool {
    find("index.html").is_some()
}

fn find(name: &str) -> Option<&'static [u8]> {
    embedded::FILES
        .iter()
        .find(|(path, _)| *path == name)
        .map(|(_, bytes)| *bytes)
}

async fn asset(Path(path): Path<String>) -> Response {
    file(&path)
}

fn file(name: &str) -> Response {
    let (status, content_type, cache, body): (_, _, _, &'static [u8]) = match find(name) {
        Some(bytes) if name.starts_with("assets/") => (
            StatusCode::OK,
            content_type(name),
            "public, max-age=31536000, immutable",
            bytes,
        ),
        Some(bytes) => (StatusCode::OK, content_type(name), "no-cache", bytes),
        None if !is_built() => (
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            "no-store",
            NOT_BUILT.as_bytes(),
        ),
        None => (
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "no-store",
            b"no such file in the agent console".as_slice(),
        ),
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// The content type of a console file, by its extension.
fn content_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match extension {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
