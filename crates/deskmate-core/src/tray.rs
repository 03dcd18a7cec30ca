//! What the tray shows, from the cache: the most recent open tickets, how
//! many are unread, and whether an incident or planned maintenance for the
//! organisation is under way.

use chrono::Utc;
use deskmate_api::{AnnouncementKind, TicketListQuery, TicketStatus, TicketSummary};

use crate::{Core, Result};

/// How many open tickets the tray's menu lists.
pub const TRAY_TICKETS: usize = 5;

/// The tray's state and its menu's tickets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrayState {
    /// The most recent open tickets (open or waiting for the user), newest activity first.
    pub open_tickets: Vec<TicketSummary>,
    /// Tickets with an agent's message the user has not read.
    pub unread: u32,
    /// An incident or a planned maintenance for the organisation is under way now.
    pub notice_active: bool,
}

impl Core {
    /// What the tray shows now (empty while nobody is signed in).
    pub async fn tray_state(&self) -> Result<TrayState> {
        if self.stored_session().await?.is_none() {
            return Ok(TrayState::default());
        }
        let page = self
            .ticket_page(TicketListQuery {
                limit: 50,
                ..TicketListQuery::default()
            })
            .await?;
        let open_tickets = page
            .tickets
            .into_iter()
            .filter(|t| {
                matches!(
                    t.status,
                    TicketStatus::Open | TicketStatus::WaitingForCustomer
                )
            })
            .take(TRAY_TICKETS)
            .collect();
        let now = Utc::now();
        let notice_active = self.announcements().await?.iter().any(|a| {
            let started = a.starts_at.is_none_or(|s| s <= now);
            let running = a.ends_at.is_some_and(|e| e > now);
            // An incident has an end in view; news without one is not a state.
            started && running
                || (a.kind == AnnouncementKind::Maintenance && started && a.ends_at.is_none())
        });
        Ok(TrayState {
            open_tickets,
            unread: page.unread,
            notice_active,
        })
    }
}
