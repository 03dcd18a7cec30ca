//! The OpenAPI document: the committed `docs/openapi.json` matches the code,
//! every route is described, and the server serves the same document.
//!
//! Regenerate the committed copy with
//! `DESKMATE_UPDATE_OPENAPI=1 cargo test --workspace --test it -- openapi`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

/// Every route `deskmate_server::router` registers, as (method, path).
/// Keep in step with `src/lib.rs`: a route missing here or in the document
/// fails `every_route_is_documented`.
const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("get", "/api/openapi.json"),
    ("get", "/api/v1/attachment-limits"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/password-reset"),
    ("post", "/api/v1/auth/password-reset/confirm"),
    ("get", "/api/v1/account-requests"),
    ("post", "/api/v1/account-requests"),
    ("post", "/api/v1/account-requests/{id}/approve"),
    ("post", "/api/v1/account-requests/{id}/reject"),
    ("get", "/api/v1/notification-addresses"),
    ("post", "/api/v1/notification-addresses"),
    ("patch", "/api/v1/notification-addresses/{id}"),
    ("delete", "/api/v1/notification-addresses/{id}"),
    ("post", "/api/v1/auth/logout"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/password"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/tickets"),
    ("post", "/api/v1/tickets"),
    ("get", "/api/v1/tickets/{id}"),
    ("patch", "/api/v1/tickets/{id}"),
    ("post", "/api/v1/tickets/{id}/messages"),
    ("post", "/api/v1/tickets/{id}/reopen"),
    ("get", "/api/v1/tickets/{id}/expedite"),
    ("get", "/api/v1/expedite-charges"),
    ("post", "/api/v1/tickets/{id}/expedite"),
    ("put", "/api/v1/tickets/{id}/availability"),
    ("delete", "/api/v1/tickets/{id}/availability"),
    ("get", "/api/v1/tickets/{id}/ready-now"),
    ("put", "/api/v1/tickets/{id}/ready-now"),
    ("delete", "/api/v1/tickets/{id}/ready-now"),
    ("post", "/api/v1/tickets/{id}/attachments"),
    ("get", "/api/v1/tickets/{id}/attachments/{attachment_id}"),
    ("get", "/api/v1/queue"),
    ("post", "/api/v1/queue/{id}/claim"),
    ("delete", "/api/v1/queue/{id}/claim"),
    ("get", "/api/v1/sync"),
    ("get", "/api/v1/events"),
    ("get", "/api/v1/announcements"),
    ("post", "/api/v1/announcements"),
    ("patch", "/api/v1/announcements/{id}"),
    ("delete", "/api/v1/announcements/{id}"),
    ("get", "/api/v1/tickets/{id}/remote-sessions"),
    ("post", "/api/v1/tickets/{id}/remote-sessions"),
    ("post", "/api/v1/remote-sessions/{id}/answer"),
    ("post", "/api/v1/remote-sessions/{id}/end"),
    ("post", "/api/v1/remote-sessions/{id}/cancel"),
    ("get", "/api/v1/remote-sessions/{id}/connection"),
    ("get", "/api/v1/order-delays"),
    ("post", "/api/v1/order-delays"),
    ("post", "/api/v1/order-delays/{id}/answer"),
    ("get", "/api/v1/organisations"),
    ("get", "/api/v1/organisations/{id}/services"),
    ("put", "/api/v1/organisations/{id}/services/{reference}"),
    ("delete", "/api/v1/organisations/{id}/services/{reference}"),
    ("get", "/api/v1/invoices"),
    ("get", "/api/v1/call-records"),
    ("get", "/api/v1/users"),
    ("post", "/api/v1/users"),
    ("patch", "/api/v1/users/{id}"),
    ("delete", "/api/v1/users/{id}"),
];

/// Writes that take no request body.
const BODILESS_POSTS: &[&str] = &[
    "/api/v1/account-requests/{id}/approve",
    "/api/v1/account-requests/{id}/reject",
    "/api/v1/auth/logout",
    "/api/v1/auth/refresh",
    "/api/v1/queue/{id}/claim",
    "/api/v1/remote-sessions/{id}/cancel",
];

/// Writes whose body is a `multipart/form-data` form rather than JSON.
const MULTIPART_POSTS: &[&str] = &["/api/v1/tickets/{id}/attachments"];

/// Operations that cannot fail with a client error, and need no token.
const PUBLIC_META: &[&str] = &[
    "/api/health",
    "/api/openapi.json",
    "/api/v1/attachment-limits",
];
/// API operations anyone may call without a token.
const PUBLIC_API: &[(&str, &str)] = &[
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/password-reset"),
    ("post", "/api/v1/auth/password-reset/confirm"),
    ("post", "/api/v1/account-requests"),
];

const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

const ERROR_REF: &str = "#/components/schemas/ErrorResponse";

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")
}

fn document_json() -> Value {
    serde_json::to_value(deskmate_server::openapi::document()).unwrap()
}

/// Every (method, path, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths").iter() {
        for (method, op) in item.as_object().expect("path item") {
            if HTTP_METHODS.contains(&method.as_str()) {
                ops.push((method.clone(), path.clone(), op.clone()));
            }
        }
    }
    ops
}

#[test]
fn committed_document_is_up_to_date() {
    let generated =
        serde_json::to_string_pretty(&deskmate_server::openapi::document()).unwrap() + "\n";
    let path = committed_path();
    if std::env::var("DESKMATE_UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated)
            .unwrap_or_else(|e| panic!("could not write {}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is out of date: run DESKMATE_UPDATE_OPENAPI=1 cargo test --workspace --test it -- openapi"
    );
}

#[test]
fn every_route_is_documented() {
    let doc = deskmate_server::openapi::document();
    for (method, path) in ROUTES {
        let item = doc
            .paths
            .paths
            .get(*path)
            .unwrap_or_else(|| panic!("{path} is not in the OpenAPI document"));
        let op = match *method {
            "get" => &item.get,
            "post" => &item.post,
            "patch" => &item.patch,
            "put" => &item.put,
            "delete" => &item.delete,
            other => panic!("no such method in ROUTES: {other}"),
        };
        assert!(
            op.is_some(),
            "{method} {path} is not in the OpenAPI document"
        );
    }

    // And nothing is documented that the router does not serve.
    let listed: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let documented: BTreeSet<(String, String)> = operations(&document_json())
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect();
    assert_eq!(documented, listed, "documented operations vs ROUTES");
}

#[test]
fn every_operation_documents_its_errors() {
    let doc = document_json();
    assert!(
        doc["components"]["schemas"]["ErrorResponse"].is_object(),
        "ErrorResponse is a component"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer",
        "bearer security scheme"
    );
    for (method, path, op) in operations(&doc) {
        let what = format!("{} {path}", method.to_uppercase());
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{what} has no tag"
        );
        let responses = op["responses"].as_object().expect("responses");
        let mut client_errors = 0;
        for (status, response) in responses {
            if status.starts_with('4') || status.starts_with('5') {
                let schema = &response["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(schema, ERROR_REF, "{what} {status} is not an ErrorResponse");
                assert!(
                    response["description"]
                        .as_str()
                        .is_some_and(|d| !d.trim().is_empty()),
                    "{what} {status} does not say when"
                );
                if status.starts_with('4') {
                    client_errors += 1;
                }
            }
        }
        if PUBLIC_META.contains(&path.as_str()) {
            assert!(op.get("security").is_none(), "{what} needs no token");
            continue;
        }
        assert!(client_errors > 0, "{what} documents no 4xx ErrorResponse");
        assert!(responses.contains_key("500"), "{what} documents no 500");
        let needs_token = !PUBLIC_API.contains(&(method.as_str(), path.as_str()));
        assert_eq!(
            op["security"][0].get("bearer").is_some(),
            needs_token,
            "{what}: bearer security"
        );
        if needs_token {
            assert!(responses.contains_key("401"), "{what} documents no 401");
        }
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let has =
            |name: &str, place: &str| params.iter().any(|p| p["name"] == name && p["in"] == place);
        if path.contains("{id}") {
            assert!(has("id", "path"), "{what} documents no id");
            assert!(responses.contains_key("404"), "{what} documents no 404");
        }
        let idempotent_write = matches!(method.as_str(), "post" | "put" | "patch" | "delete")
            && !path.contains("/auth/");
        assert_eq!(
            has("Idempotency-Key", "header"),
            idempotent_write,
            "{what}: Idempotency-Key header"
        );
        if matches!(method.as_str(), "post" | "put" | "patch") {
            let media = if MULTIPART_POSTS.contains(&path.as_str()) {
                "multipart/form-data"
            } else {
                "application/json"
            };
            let has_body = op["requestBody"]["content"][media]["schema"].is_object();
            assert_eq!(
                has_body,
                !BODILESS_POSTS.contains(&path.as_str()),
                "{what}: request body"
            );
        }
    }
}

#[tokio::test]
async fn the_server_serves_the_document_and_every_listed_route() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("helpdesk.sqlite3").display());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = deskmate_server::launch(listener, &db_url, true)
        .await
        .unwrap();
    let url = format!("http://{}", server.local_addr());
    let http = reqwest::Client::new();

    let r = http
        .get(format!("{url}/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let served: Value = r.json().await.unwrap();
    assert_eq!(served, document_json());

    // Every listed route is one the router has: not the "no such route"
    // fallback, nor a method it does not allow.
    for (method, path) in ROUTES {
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let r = http
            .request(
                method.clone(),
                format!(
                    "{url}{}",
                    path.replace("{id}", "1").replace("{attachment_id}", "1")
                ),
            )
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body = r.text().await.unwrap();
        assert_ne!(
            status,
            reqwest::StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {body}"
        );
        assert!(
            !body.contains("no such route"),
            "{method} {path} is not routed: {body}"
        );
    }

    server.shutdown().await;
}
