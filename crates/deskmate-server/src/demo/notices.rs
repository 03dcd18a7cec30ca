//! The demo's services and notices: which services each organisation has,
//! announcements general and for one service, a remote-session request and
//! order-delay requests of every kind.

use chrono::{DateTime, Duration, Utc};
use deskmate_api::{
    AnnouncementKind, NewAnnouncement, NewOrderDelay, NewRemoteSession, OrderDelayKind, Price,
    RemoteTool, Ticket,
};

use crate::db::{Db, User};
use crate::error::{ApiError, ApiResult};

/// The organisations' services; a general announcement, a planned
/// maintenance next week for each organisation, one for a service of each
/// (the other does not see it); a remote-session request on Acme's ticket;
/// and order-delay requests of every kind.
pub(super) async fn seed(
    db: &Db,
    agent: &User,
    ticket: &Ticket,
    [acme, globex]: [i64; 2],
    now: DateTime<Utc>,
) -> ApiResult<()> {
    for (organisation, reference, name) in SERVICES {
        let organisation = if *organisation == "acme" {
            acme
        } else {
            globex
        };
        db.set_service(
            organisation,
            reference,
            name,
            None,
            None,
            now - Duration::days(30),
        )
        .await?;
    }
    db.create_announcement(
        agent,
        &NewAnnouncement {
            kind: AnnouncementKind::Announcement,
            title: "New in the control panel: DNS templates and two-factor sign-in".to_owned(),
            body: "Apply a DNS template to many domains at once, and protect your account \
                   with two-factor sign-in under Settings → Security."
                .to_owned(),
            affected_services: vec!["Control panel".to_owned()],
            services: Vec::new(),
            starts_at: Some(now - Duration::days(2)),
            ends_at: None,
            organisation_id: None,
        },
        None,
        now - Duration::days(2),
    )
    .await?;
    // A week from now, overnight: 22:00 to 02:00 UTC.
    let next_week = (now + Duration::days(7)).date_naive();
    let starts = next_week
        .and_hms_opt(22, 0, 0)
        .map(|t| t.and_utc())
        .ok_or_else(|| ApiError::internal("demo maintenance start"))?;
    for (organisation, services) in [
        (acme, vec!["Managed web hosting", "E-mail hosting"]),
        (globex, vec!["SIP trunk GLX-SIP-01"]),
    ] {
        db.create_announcement(
            agent,
            &NewAnnouncement {
                kind: AnnouncementKind::Maintenance,
                title: "Planned maintenance: storage and network upgrade".to_owned(),
                body: "We upgrade the storage cluster and the core switches. Expect short \
                       interruptions of a few minutes within the window."
                    .to_owned(),
                affected_services: services.into_iter().map(str::to_owned).collect(),
                services: Vec::new(),
                starts_at: Some(starts),
                ends_at: Some(starts + Duration::hours(4)),
                organisation_id: Some(organisation),
            },
            None,
            now - Duration::hours(20),
        )
        .await?;
    }
    for (reference, title, body, days) in SERVICE_WORKS {
        let starts = starts + Duration::days(*days);
        db.create_announcement(
            agent,
            &NewAnnouncement {
                kind: AnnouncementKind::Maintenance,
                title: (*title).to_owned(),
                body: (*body).to_owned(),
                affected_services: Vec::new(),
                services: vec![(*reference).to_owned()],
                starts_at: Some(starts),
                ends_at: Some(starts + Duration::hours(2)),
                organisation_id: None,
            },
            None,
            now - Duration::hours(10),
        )
        .await?;
    }
    db.request_remote_session(
        ticket,
        agent,
        &NewRemoteSession {
            reason: "We would like to look at the PHP-FPM configuration together with you."
                .to_owned(),
            tool: RemoteTool::Rustdesk,
        },
        None,
        now - Duration::minutes(30),
    )
    .await?;
    db.create_order_delay(
        agent,
        &NewOrderDelay {
            organisation_id: acme,
            order_number: "HST-21093".to_owned(),
            question: "The domain transfer of acme-shop.example is on hold: please send us the \
                       authorisation code (EPP code) from your current registrar."
                .to_owned(),
            due_at: Some(now + Duration::days(3)),
            kind: OrderDelayKind::Information,
            charge: None,
        },
        None,
        now - Duration::hours(6),
    )
    .await?;
    for (organisation, order, question, kind, charge) in typed_delays(acme, globex) {
        db.create_order_delay(
            agent,
            &NewOrderDelay {
                organisation_id: organisation,
                order_number: order.to_owned(),
                question: question.to_owned(),
                due_at: Some(now + Duration::days(5)),
                kind,
                charge,
            },
            None,
            now - Duration::hours(3),
        )
        .await?;
    }
    Ok(())
}

/// Which organisation has which service: (organisation, reference, name).
const SERVICES: &[(&str, &str, &str)] = &[
    ("acme", "HST-WEB-01", "Managed web hosting"),
    ("acme", "HST-MAIL-01", "E-mail hosting"),
    ("globex", "GLX-SIP-01", "SIP trunk Milan"),
    ("globex", "GLX-ETH-07", "Ethernet line Milan-Turin"),
];

/// Planned works on one service: (reference, title, body, days after next week's window).
const SERVICE_WORKS: &[(&str, &str, &str, i64)] = &[
    (
        "HST-MAIL-01",
        "Planned maintenance: mail relay upgrade",
        "The outgoing mail relays move to new machines; mail sent in the window waits \
         in the queue and is delivered afterwards.",
        1,
    ),
    (
        "GLX-SIP-01",
        "Planned maintenance: SIP platform in Milan",
        "We replace the session border controllers in Milan. Calls in progress may drop \
         once; new calls go through the Rome platform.",
        2,
    ),
];

/// The delayed orders that ask for one typed thing, as seed 000's portal does.
fn typed_delays(
    acme: i64,
    globex: i64,
) -> [(
    i64,
    &'static str,
    &'static str,
    OrderDelayKind,
    Option<Price>,
); 3] {
    [
        (
            globex,
            "ETH-55102",
            "No access at the B end: our technician found the building closed. Who lets \
             us in, and from when?",
            OrderDelayKind::SiteAccess,
            None,
        ),
        (
            acme,
            "HST-21188",
            "Your second rack needs a cross-connect to the meet-me room that the order did \
             not include: do you accept the charge?",
            OrderDelayKind::ExtraCharge,
            Some(Price::new(18_000, "EUR")),
        ),
        (
            acme,
            "HST-21107",
            "The rack space you ordered waits for your power survey: by when do you expect \
             it done?",
            OrderDelayKind::ResolutionDate,
            None,
        ),
    ]
}
