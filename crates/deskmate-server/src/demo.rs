//! `--demo`: two customer organisations with their services, an agent, a
//! handful of realistic tickets and the provider's notices (announcements,
//! planned maintenance, some for one organisation's services, a
//! remote-session request, order-delay requests of every kind), so a
//! newcomer sees a working helpdesk at once.

use chrono::{DateTime, Duration, Utc};
use deskmate_api::{
    Department, NewTicket, Priority, Rights, Role, Ticket, TicketDetails, TicketStatus,
};

mod billing;
mod notices;

use crate::db::{Db, Transition, User, Written};
use crate::error::{ApiError, ApiResult};
use crate::{Config, auth};

mod files;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-password";

/// Acme's contract number in the demo.
pub const DEMO_CONTRACT_ACME: &str = "ACME-2024-0017";

struct Person {
    email: &'static str,
    name: &'static str,
    role: Role,
    rights: Rights,
}

struct DemoTicket {
    by: &'static str,
    /// The guided form's answers: (affected service, order/IP/invoice, error message).
    guided: Option<(&'static str, &'static str, Option<&'static str>)>,
    /// The conversation after the description: (author, text, internal note).
    messages: &'static [(&'static str, &'static str, bool)],
    department: Department,
    priority: Priority,
    status: TicketStatus,
    subject: &'static str,
    body: &'static str,
    hours_ago: i64,
}

/// Seeds the demo data into an empty database; leaves a used one alone.
pub async fn seed(db: &Db, config: &Config) -> ApiResult<()> {
    if !db.is_empty().await? {
        tracing::info!("database already has data: demo seed skipped");
        return Ok(());
    }
    let acme = db.create_organisation("Acme Hosting Ltd").await?;
    let globex = db.create_organisation("Globex Telecom").await?;
    // What a person asking for an account types in (seed 003).
    db.set_contract_number(acme, Some(DEMO_CONTRACT_ACME))
        .await?;
    db.set_contract_number(globex, Some("GLX-2023-0042"))
        .await?;
    let people = [
        (
            Some(acme),
            Person {
                email: "admin@acme.example",
                name: "Alice Admin",
                role: Role::CustomerAdmin,
                rights: Rights::ALL,
            },
        ),
        (
            Some(acme),
            Person {
                email: "user@acme.example",
                name: "Umberto User",
                role: Role::CustomerUser,
                // The organisation's tickets and the call records, not the invoices.
                rights: Rights {
                    all_tickets: true,
                    invoices: false,
                    call_records: true,
                    manage_users: false,
                    expedite: true,
                },
            },
        ),
        (
            Some(globex),
            Person {
                email: "admin@globex.example",
                name: "Greta Globex",
                role: Role::CustomerAdmin,
                rights: Rights::ALL,
            },
        ),
        (
            None,
            Person {
                email: "agent@provider.example",
                name: "Paolo Provider",
                role: Role::Agent,
                rights: Rights::default(),
            },
        ),
    ];
    let mut users = Vec::new();
    for (organisation, person) in people {
        let hash = tokio::task::spawn_blocking(|| auth::hash_password(DEMO_PASSWORD)).await??;
        db.create_user(
            organisation,
            person.email,
            person.name,
            person.role,
            &hash,
            person.rights,
        )
        .await?;
        let user = db
            .user_by_email(person.email)
            .await?
            .ok_or_else(|| ApiError::internal("demo user vanished"))?;
        users.push(user);
    }
    let now = Utc::now();
    let mut acme_technical = None;
    for t in TICKETS {
        let requester = users
            .iter()
            .find(|u| u.email == t.by)
            .ok_or_else(|| ApiError::internal(format_args!("demo requester {}", t.by)))?;
        let mut ticket = NewTicket::new(t.department, t.priority, t.subject, t.body);
        if let Some((service, reference, error)) = t.guided {
            ticket.details = TicketDetails {
                affected_service: Some(service.to_owned()),
                reference: Some(reference.to_owned()),
                incident_started_at: Some(
                    now - Duration::hours(t.hours_ago) - Duration::minutes(25),
                ),
                incident_time_zone: Some("Europe/Rome".to_owned()),
                error_message: error.map(str::to_owned),
                steps: None,
                tried: None,
            };
        }
        let created_at = now - Duration::hours(t.hours_ago);
        let Written::Created(created) = db
            .create_ticket(
                requester,
                &ticket,
                None,
                created_at,
                config.first_response_within(t.priority),
            )
            .await?
        else {
            return Err(ApiError::internal("demo ticket replayed"));
        };
        files::attach(db, requester, &created).await?;
        // Spread the conversation over the ticket's life so far.
        let turns = i32::try_from(t.messages.len()).unwrap_or(0) + 1;
        let step = Duration::minutes(40).min(Duration::hours(t.hours_ago) / 2 / turns);
        let mut at = created_at;
        for (by, body, internal) in t.messages {
            let author = users
                .iter()
                .find(|u| u.email == *by)
                .ok_or_else(|| ApiError::internal(format_args!("demo author {by}")))?;
            let transition = match (*internal, author.role) {
                (true, _) => Transition::InternalNote,
                (false, Role::Agent) => Transition::AgentReply,
                (false, _) => Transition::CustomerReply,
            };
            at += step;
            db.add_message(created.id, author, body, transition, None, at)
                .await?;
        }
        db.set_ticket_state(created.id, t.status, at + step).await?;
        if acme_technical.is_none()
            && created.organisation_id == acme
            && t.department == Department::Technical
            && t.status == TicketStatus::Open
        {
            acme_technical = Some(created);
        }
    }
    let agent = users
        .iter()
        .find(|u| u.role == Role::Agent)
        .ok_or_else(|| ApiError::internal("demo agent"))?;
    let ticket = acme_technical.ok_or_else(|| ApiError::internal("demo Acme ticket"))?;
    notices::seed(db, agent, &ticket, [acme, globex], now).await?;
    seed_availability(db, &users, &ticket, now).await?;
    billing::seed(db, acme, globex, now).await?;
    tracing::info!(tickets = TICKETS.len(), "demo data seeded");
    Ok(())
}

/// When the requester of Acme's technical ticket can be reached at their
/// computer: office hours in Rome, and tomorrow afternoon besides.
async fn seed_availability(
    db: &Db,
    users: &[User],
    ticket: &Ticket,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let requester = users
        .iter()
        .find(|u| u.id == ticket.requester_id)
        .ok_or_else(|| ApiError::internal("demo requester"))?;
    let office_hours = "mon-fri 09:00-17:30".parse().map_err(ApiError::internal)?;
    let tomorrow = now + Duration::days(1);
    let availability = deskmate_api::Availability {
        time_zone: "Europe/Rome".to_owned(),
        weekly: vec![office_hours],
        dated: vec![deskmate_api::DatedWindow {
            starts_at: tomorrow,
            ends_at: tomorrow + Duration::hours(2),
        }],
        note: Some(
            "Call the office line first; I sit next to the web server's console.".to_owned(),
        ),
    };
    db.set_availability(ticket.id, requester, Some(&availability), None)
        .await?;
    Ok(())
}

const TICKETS: &[DemoTicket] = &[
    DemoTicket {
        guided: Some((
            "Managed web hosting",
            "HST-20417 / 203.0.113.24",
            Some("502 Bad Gateway"),
        )),
        by: "user@acme.example",
        messages: &[
            (
                "agent@provider.example",
                "PHP-FPM on the web node did not come back after the upgrade; we are restarting the pool with the 8.3 configuration.",
                false,
            ),
            (
                "agent@provider.example",
                "php8.3-fpm pool points to the old socket path; fixing in /etc/php/8.3/fpm/pool.d/www.conf.",
                true,
            ),
        ],
        department: Department::Technical,
        priority: Priority::High,
        status: TicketStatus::Open,
        subject: "Website returns 502 Bad Gateway after PHP upgrade",
        body: "Since the upgrade to PHP 8.3 this morning www.acme.example answers every request \
               with 502 Bad Gateway. Server IP 203.0.113.24, order HST-20417. We rolled the \
               application back, the error stays.",
        hours_ago: 2,
    },
    DemoTicket {
        guided: Some(("Billing", "2026-1142", None)),
        by: "admin@acme.example",
        messages: &[(
            "agent@provider.example",
            "We see one payment on our side. Could you send us the bank statement lines of both charges?",
            false,
        )],
        department: Department::Billing,
        priority: Priority::Regular,
        status: TicketStatus::WaitingForCustomer,
        subject: "Invoice 2026-1142 charged twice",
        body: "Our card was charged twice for invoice 2026-1142 (EUR 89.00 on 3 and 4 November). \
               Please refund the second payment.",
        hours_ago: 26,
    },
    DemoTicket {
        guided: Some((
            "E-mail hosting",
            "HST-18830",
            Some("550 5.1.1 mailbox unavailable"),
        )),
        by: "user@acme.example",
        messages: &[(
            "agent@provider.example",
            "The mailbox had reached its 10 GB quota. We raised it to 25 GB; external mail is delivered again.",
            false,
        )],
        department: Department::Technical,
        priority: Priority::Regular,
        status: TicketStatus::Resolved,
        subject: "Mailbox info@acme.example does not receive external mail",
        body: "Mail from outside bounces with '550 5.1.1 mailbox unavailable' since Monday; \
               internal mail arrives.",
        hours_ago: 75,
    },
    DemoTicket {
        guided: Some(("Managed VPS", "HST-19822", None)),
        by: "admin@acme.example",
        messages: &[],
        department: Department::Commercial,
        priority: Priority::Regular,
        status: TicketStatus::Open,
        subject: "Quote for upgrading VPS to 8 vCPU / 32 GB RAM",
        body: "We would like an offer to upgrade VPS order HST-19822 to 8 vCPU and 32 GB RAM \
               from January, with the price for a 24-month term.",
        hours_ago: 120,
    },
    DemoTicket {
        guided: None,
        by: "admin@acme.example",
        messages: &[
            (
                "agent@provider.example",
                "The CAA record of acme.example did not allow our CA. We added it and renewed the certificate.",
                false,
            ),
            (
                "admin@acme.example",
                "Confirmed, the shop is fine again. Thank you!",
                false,
            ),
        ],
        department: Department::Technical,
        priority: Priority::High,
        status: TicketStatus::Closed,
        subject: "SSL certificate renewal failed for shop.acme.example",
        body: "The automatic renewal failed and browsers warn that the certificate expired.",
        hours_ago: 290,
    },
    DemoTicket {
        guided: None,
        by: "user@acme.example",
        messages: &[(
            "agent@provider.example",
            "The old record had a TTL of 7 days. We lowered it; the new address is served everywhere now.",
            false,
        )],
        department: Department::Technical,
        priority: Priority::Regular,
        status: TicketStatus::Closed,
        subject: "DNS change for acme.example not visible after 48 hours",
        body: "We changed the A record of acme.example to 203.0.113.40 in the control panel two \
               days ago; the old address is still served.",
        hours_ago: 480,
    },
    DemoTicket {
        guided: Some((
            "SIP trunk GLX-SIP-01",
            "TEL-5521",
            Some("BYE received, reason: session timer expired"),
        )),
        by: "admin@globex.example",
        messages: &[(
            "agent@provider.example",
            "Session timers were set to 1800 s on the new SBC. Lowering to our standard 90 s tonight.",
            false,
        )],
        department: Department::Technical,
        priority: Priority::High,
        status: TicketStatus::Open,
        subject: "SIP trunk drops calls after exactly 30 minutes",
        body: "Every call on trunk GLX-SIP-01 is cut after 30:00. Started after Tuesday's \
               maintenance. Error on our PBX: 'BYE received, reason: session timer expired'.",
        hours_ago: 5,
    },
    DemoTicket {
        guided: None,
        by: "admin@globex.example",
        messages: &[],
        department: Department::Billing,
        priority: Priority::Regular,
        status: TicketStatus::Open,
        subject: "Change the billing address to our new office",
        body: "From December please send invoices to Globex Telecom, Via Roma 12, 34121 Trieste.",
        hours_ago: 50,
    },
];
