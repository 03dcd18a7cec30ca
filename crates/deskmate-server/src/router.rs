//! Which handler answers which route.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::{get, patch, post, put};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::handlers::{
    account_requests, announcements, attachments, availability, billing, events, expedite,
    messages, meta, notification_addresses, order_delays, password_reset, queue, ready_now,
    remote_sessions, services, session, sync, tickets, users,
};

/// Every route of the API.
pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/auth/login", post(session::login))
        .route("/auth/logout", post(session::logout))
        .route("/auth/refresh", post(session::refresh))
        .route("/auth/password", post(session::change_password))
        .route("/auth/password-reset", post(password_reset::request_reset))
        .route(
            "/auth/password-reset/confirm",
            post(password_reset::confirm_reset),
        )
        .route("/me", get(session::me))
        .route("/attachment-limits", get(meta::attachment_limits))
        .route(
            "/tickets",
            get(tickets::list_tickets).post(tickets::create_ticket),
        )
        .route(
            "/tickets/{id}",
            get(tickets::ticket_detail).patch(tickets::update_ticket),
        )
        .route("/tickets/{id}/messages", post(messages::add_message))
        .route("/tickets/{id}/reopen", post(messages::reopen_ticket))
        .route(
            "/tickets/{id}/expedite",
            get(expedite::quote).post(expedite::expedite),
        )
        .route(
            "/tickets/{id}/availability",
            put(availability::set).delete(availability::clear),
        )
        .route(
            "/tickets/{id}/ready-now",
            get(ready_now::get)
                .put(ready_now::set)
                .delete(ready_now::clear),
        )
        .route(
            "/tickets/{id}/remote-sessions",
            get(remote_sessions::list_remote_sessions)
                .post(remote_sessions::request_remote_session),
        )
        .route(
            "/announcements",
            get(announcements::list_announcements).post(announcements::create_announcement),
        )
        .route(
            "/announcements/{id}",
            patch(announcements::update_announcement).delete(announcements::withdraw_announcement),
        )
        .route("/organisations", get(services::list_organisations))
        .route("/organisations/{id}/services", get(services::list_services))
        .route(
            "/organisations/{id}/services/{reference}",
            put(services::set_service).delete(services::remove_service),
        )
        .route(
            "/remote-sessions/{id}/answer",
            post(remote_sessions::answer_remote_session),
        )
        .route(
            "/remote-sessions/{id}/end",
            post(remote_sessions::end_remote_session),
        )
        .route(
            "/remote-sessions/{id}/cancel",
            post(remote_sessions::cancel_remote_session),
        )
        .route(
            "/remote-sessions/{id}/connection",
            get(remote_sessions::remote_session_connection),
        )
        .route(
            "/order-delays",
            get(order_delays::list_order_delays).post(order_delays::create_order_delay),
        )
        .route(
            "/order-delays/{id}/answer",
            post(order_delays::answer_order_delay),
        )
        .route(
            "/tickets/{id}/attachments",
            post(attachments::upload).layer(DefaultBodyLimit::max(attachments::MAX_REQUEST_BYTES)),
        )
        .route(
            "/tickets/{id}/attachments/{attachment_id}",
            get(attachments::download),
        )
        .route("/queue", get(queue::queue))
        .route(
            "/queue/{id}/claim",
            post(queue::claim).delete(queue::release),
        )
        .route("/sync", get(sync::sync))
        .route("/events", get(events::stream))
        .route("/invoices", get(billing::invoices))
        .route("/expedite-charges", get(expedite::charges))
        .route("/call-records", get(billing::call_records))
        .route("/users", get(users::list_users).post(users::create_user))
        .route(
            "/account-requests",
            get(account_requests::list_requests).post(account_requests::request_account),
        )
        .route(
            "/account-requests/{id}/approve",
            post(account_requests::approve),
        )
        .route(
            "/account-requests/{id}/reject",
            post(account_requests::reject),
        )
        .route(
            "/notification-addresses",
            get(notification_addresses::list_addresses).post(notification_addresses::add_address),
        )
        .route(
            "/notification-addresses/{id}",
            patch(notification_addresses::update_address)
                .delete(notification_addresses::remove_address),
        )
        .route(
            "/users/{id}",
            patch(users::update_user).delete(users::delete_user),
        );
    Router::new()
        .route("/api/health", get(meta::health))
        .route("/api/openapi.json", get(crate::openapi::openapi_json))
        .nest("/api/v1", v1)
        .merge(crate::console::routes())
        .fallback(meta::not_found)
        .method_not_allowed_fallback(meta::method_not_allowed)
        .layer(DefaultBodyLimit::max(crate::json::MAX_BODY_BYTES))
        // No type sniffing, no framing, no referrer, and a CSP that lets
        // nothing run, so a file opened in a browser cannot script this origin.
        .layer(unless_set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(unless_set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(unless_set(header::REFERRER_POLICY, "no-referrer"))
        .layer(unless_set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'; sandbox",
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A header every answer carries unless it set its own (the console sets
/// a CSP that lets its page run).
fn unless_set(
    name: header::HeaderName,
    value: &'static str,
) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}
