//! The OpenAPI 3.1 description of the API, generated from the handlers'
//! `#[utoipa::path]` attributes and the wire types of `deskmate-api`.
//!
//! Served at `GET /api/openapi.json`; a copy is kept in `docs/openapi.json`
//! and checked for drift by `tests/openapi.rs` (regenerate it with
//! `DESKMATE_UPDATE_OPENAPI=1 cargo test -p deskmate-server --test openapi`).

use axum::Json;
use deskmate_api::{
    Announcement, AnnouncementKind, AnnouncementList, AnnouncementUpdate, Attachment, AuthorKind,
    CallRecord, CallRecordList, ChangePassword, Deletion, DeletionKind, Department, ErrorCode,
    ErrorResponse, Health, Invoice, InvoiceList, InvoiceStatus, LoginRequest, LoginResponse, Me,
    Message, NewAnnouncement, NewMessage, NewOrderDelay, NewRemoteSession, NewTicket, NewUser,
    OrderDelayAnswer, OrderDelayList, OrderDelayRequest, OrderDelayStatus, OrganisationRef,
    Priority, QueuedTicket, RemoteSession, RemoteSessionAnswer, RemoteSessionEnd,
    RemoteSessionList, RemoteSessionStatus, RemoteTool, ReopenTicket, Rights, Role, SyncPage,
    Ticket, TicketDetail, TicketDetails, TicketList, TicketQueue, TicketStatus, TicketUpdate,
    UserAccount, UserList, UserUpdate,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::handlers;

pub mod responses;

use responses::WriteRate;

/// Name of the bearer-token security scheme in the document.
pub const BEARER: &str = "bearer";

/// The API's description; [`document`] is the way to get it.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Deskmate helpdesk API",
        version = env!("CARGO_PKG_VERSION"),
        description = "The helpdesk behind the Deskmate app: sign in, file tickets, follow their conversation.\n\n\
            Sign in with `POST /api/v1/auth/login` and send the token it answers as `Authorization: Bearer <token>`. \
            Every error, whatever the route, is an `ErrorResponse` (`{\"code\", \"message\"}`) with the status that \
            matches its code; an unknown route is a 404 and a method a route does not allow a 405, in the same shape. \
            Request bodies are JSON (`Content-Type: application/json`) of at most 1 MiB, except file uploads (`multipart/form-data`, files of at most 10 MiB). Writes accept an optional \
            `Idempotency-Key` header that makes them safe to repeat.",
    ),
    paths(
        handlers::meta::health,
        handlers::meta::attachment_limits,
        openapi_json,
        handlers::session::login,
        handlers::session::logout,
        handlers::session::refresh,
        handlers::session::change_password,
        handlers::password_reset::request_reset,
        handlers::password_reset::confirm_reset,
        handlers::session::me,
        handlers::tickets::list_tickets,
        handlers::tickets::create_ticket,
        handlers::tickets::ticket_detail,
        handlers::tickets::update_ticket,
        handlers::messages::add_message,
        handlers::messages::reopen_ticket,
        handlers::expedite::quote,
        handlers::expedite::expedite,
        handlers::availability::set,
        handlers::availability::clear,
        handlers::ready_now::get,
        handlers::ready_now::set,
        handlers::ready_now::clear,
        handlers::attachments::upload,
        handlers::attachments::download,
        handlers::queue::queue,
        handlers::queue::claim,
        handlers::queue::release,
        handlers::sync::sync,
        handlers::events::stream,
        handlers::announcements::list_announcements,
        handlers::announcements::create_announcement,
        handlers::announcements::update_announcement,
        handlers::announcements::withdraw_announcement,
        handlers::remote_sessions::list_remote_sessions,
        handlers::remote_sessions::request_remote_session,
        handlers::remote_sessions::answer_remote_session,
        handlers::remote_sessions::end_remote_session,
        handlers::remote_sessions::cancel_remote_session,
        handlers::remote_sessions::remote_session_connection,
        handlers::order_delays::list_order_delays,
        handlers::order_delays::create_order_delay,
        handlers::order_delays::answer_order_delay,
        handlers::services::list_organisations,
        handlers::services::list_services,
        handlers::services::set_service,
        handlers::services::remove_service,
        handlers::billing::invoices,
        handlers::expedite::charges,
        handlers::billing::call_records,
        handlers::users::list_users,
        handlers::users::create_user,
        handlers::users::update_user,
        handlers::users::delete_user,
        handlers::account_requests::request_account,
        handlers::account_requests::list_requests,
        handlers::account_requests::approve,
        handlers::account_requests::reject,
        handlers::notification_addresses::list_addresses,
        handlers::notification_addresses::add_address,
        handlers::notification_addresses::update_address,
        handlers::notification_addresses::remove_address,
    ),
    components(schemas(
        Announcement,
        Attachment,
        deskmate_api::Availability,
        deskmate_api::WeeklyWindow,
        deskmate_api::DatedWindow,
        deskmate_api::Weekday,
        handlers::attachments::AttachmentUpload,
        deskmate_api::ExpediteChargeList,
        deskmate_api::ExpediteQuote,
        deskmate_api::ExpediteRequest,
        deskmate_api::NewExpedite,
        deskmate_api::Price,
        deskmate_api::ReadyNow,
        deskmate_api::ReadyNowRequest,
        deskmate_api::RemoteConnection,
        deskmate_api::RemoteConnectionDetails,
        AnnouncementKind,
        AnnouncementList,
        AnnouncementUpdate,
        AuthorKind,
        Deletion,
        DeletionKind,
        NewAnnouncement,
        NewOrderDelay,
        NewRemoteSession,
        OrderDelayAnswer,
        OrderDelayList,
        OrderDelayRequest,
        OrderDelayStatus,
        deskmate_api::OrderDelayKind,
        deskmate_api::SiteContact,
        deskmate_api::AffectedService,
        deskmate_api::Service,
        deskmate_api::ServiceList,
        deskmate_api::OrganisationList,
        deskmate_api::OrganisationSummary,
        deskmate_api::ServiceName,
        RemoteSession,
        RemoteSessionAnswer,
        RemoteSessionEnd,
        RemoteSessionList,
        RemoteSessionStatus,
        RemoteTool,
        CallRecord,
        CallRecordList,
        ChangePassword,
        deskmate_api::PasswordResetConfirm,
        deskmate_api::PasswordResetDone,
        deskmate_api::PasswordResetRequest,
        Department,
        ErrorCode,
        ErrorResponse,
        Health,
        deskmate_api::AttachmentLimits,
        deskmate_api::AttachmentKind,
        Invoice,
        InvoiceList,
        InvoiceStatus,
        LoginRequest,
        LoginResponse,
        Me,
        Message,
        NewMessage,
        NewTicket,
        NewUser,
        OrganisationRef,
        Priority,
        QueuedTicket,
        ReopenTicket,
        Rights,
        Role,
        SyncPage,
        Ticket,
        TicketDetail,
        TicketDetails,
        TicketList,
        TicketQueue,
        TicketStatus,
        TicketUpdate,
        UserAccount,
        UserList,
        UserUpdate,
        deskmate_api::AccountRequest,
        deskmate_api::AccountRequestList,
        deskmate_api::NewAccountRequest,
        deskmate_api::NewNotificationAddress,
        deskmate_api::NotificationAddress,
        deskmate_api::NotificationAddressList,
        deskmate_api::NotificationAddressUpdate,
        deskmate_api::NotificationKind,
    )),
    modifiers(&BearerToken, &WriteRate, &AcrossFields),
    tags(
        (name = "meta", description = "The server itself: health and this description."),
        (name = "auth", description = "Signing in and out, and who is signed in."),
        (name = "tickets", description = "Filing, reading and working tickets and their conversation."),
        (name = "notices", description = "What the provider tells customers outside a ticket's conversation: announcements and planned maintenance (general, or for an organisation's services), the organisations' services, remote-session requests, order-delay information requests."),
        (name = "billing", description = "An organisation's invoices and call records, read-only, for the accounts with the right."),
        (name = "users", description = "An organisation's accounts and their rights, for the accounts that manage them."),
    ),
)]
pub struct ApiDoc;

/// Adds the bearer-token scheme the operations' `security` refers to.
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token answered by `POST /api/v1/auth/login`, valid for 30 days or \
                         until `POST /api/v1/auth/logout`; `POST /api/v1/auth/refresh` swaps it for a new one.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Constraints that span fields of one schema, which derived schemas cannot
/// state: an availability names at least one window, weekly or dated.
struct AcrossFields;

impl Modify for AcrossFields {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AllOfBuilder, AnyOfBuilder, ArrayBuilder, ObjectBuilder};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let Some(fields) = components.schemas.remove("Availability") else {
            return;
        };
        let not_empty = |name: &str| {
            ObjectBuilder::new()
                .property(name, ArrayBuilder::new().min_items(Some(1)))
                .required(name)
        };
        let description =
            "At least one window, weekly or dated (to clear an availability, delete it).";
        let schema = AllOfBuilder::new()
            .item(fields)
            .item(
                AnyOfBuilder::new()
                    .item(not_empty("weekly"))
                    .item(not_empty("dated")),
            )
            .description(Some(description));
        components
            .schemas
            .insert("Availability".to_owned(), schema.into());
    }
}

/// The OpenAPI document of the API.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "meta",
    operation_id = "openapi",
    summary = "This OpenAPI document",
    responses(
        (status = 200, description = "The OpenAPI 3.1 description of the API.", body = Object, content_type = "application/json"),
    ),
)]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}
