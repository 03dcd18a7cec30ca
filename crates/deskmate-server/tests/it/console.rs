//! The agent console at `/agent/`: embedded in the binary, served with a
//! strict Content Security Policy, `nosniff`, no framing, its content types
//! and cache rules. (What it does in a browser: tests/e2e/tests/window/console.rs.)

use crate::support::*;

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};

fn header<'a>(r: &'a reqwest::Response, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .unwrap_or_else(|| panic!("{} without {name}", r.url()))
        .to_str()
        .unwrap()
}

/// Every console answer: scripts, styles and connections from the server
/// only, never framed, never sniffed.
fn assert_locked_down(r: &reqwest::Response) {
    let csp = header(r, "content-security-policy");
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(header(r, "x-content-type-options"), "nosniff");
    assert_eq!(header(r, "x-frame-options"), "DENY");
}

#[tokio::test]
async fn the_console_is_served_embedded_and_locked_down() {
    assert!(
        deskmate_server::console::is_built(),
        "the agent console is not built: run `npm --prefix ui run build`, then the tests again"
    );
    let h = Helpdesk::start(Engine::Sqlite).await;
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirects
        .get(format!("{}/agent", h.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.headers()[LOCATION], "/agent/");

    let r = h
        .http
        .get(format!("{}/agent/", h.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_locked_down(&r);
    assert_eq!(r.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(r.headers()[CACHE_CONTROL], "no-cache");
    let page = r.text().await.unwrap();
    // The page names its script and stylesheet; both are served, with
    // their types, cached for good (their names change with their bytes).
    let assets: Vec<&str> = page
        .split('"')
        .filter(|s| s.starts_with("/agent/assets/"))
        .collect();
    assert!(assets.iter().any(|a| a.ends_with(".js")), "{page}");
    assert!(assets.iter().any(|a| a.ends_with(".css")), "{page}");
    assert!(
        !page.contains("<script>") && !page.contains("style="),
        "{page}"
    );
    for asset in assets {
        let r = h
            .http
            .get(format!("{}{asset}", h.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{asset}");
        assert_locked_down(&r);
        let expected = if asset.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else {
            "text/css; charset=utf-8"
        };
        assert_eq!(r.headers()[CONTENT_TYPE], expected, "{asset}");
        assert_eq!(
            r.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
    }

    let r = h
        .http
        .get(format!("{}/agent/assets/nothing.js", h.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_locked_down(&r);
    // The API is where it was, and the console's rules stay the console's.
    let r = h
        .http
        .get(format!("{}/api/health", h.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // The API's own policy lets nothing run at all.
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("sandbox"), "{csp}");
    h.server.shutdown().await;
}
