//! Which tickets the signed-in account may see, and dropping from the cache
//! what it may no longer see when that shrinks (its rights changed).

use std::collections::HashSet;

use deskmate_api::{Me, Role};
use rusqlite::Connection;

use crate::Result;

/// The tickets an account may see, as the helpdesk decides it from the
/// account's role, organisation and rights (`Me`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketScope {
    /// Every ticket (the provider's agents).
    All,
    /// Every ticket of one organisation (a customer with `all_tickets`).
    Organisation(i64),
    /// Only the tickets the account filed.
    Own(i64),
}

impl TicketScope {
    pub fn of(me: &Me) -> Self {
        match (me.role, &me.organisation) {
            (Role::Agent, _) => Self::All,
            (_, Some(org)) if me.rights.all_tickets => Self::Organisation(org.id),
            _ => Self::Own(me.id),
        }
    }
}

/// Deletes the cached tickets outside `scope` and everything that belongs to
/// a ticket no longer cached: messages (the search index follows by its
/// triggers), attachment metadata, queue facts, remote sessions. Notices of
/// the organisation, the outbox, drafts and read marks stay. Meant for a
/// transaction; returns how many tickets went.
pub(crate) fn narrow(c: &Connection, scope: TicketScope) -> Result<usize> {
    let dropped = match scope {
        TicketScope::All => 0,
        TicketScope::Organisation(org) => {
            c.execute("DELETE FROM tickets WHERE organisation_id != ?1", [org])?
        }
        TicketScope::Own(user) => {
            c.execute("DELETE FROM tickets WHERE requester_id != ?1", [user])?
        }
    };
    for table in [
        "messages",
        "ticket_extras",
        "attachments",
        "remote_sessions",
    ] {
        c.execute(
            &format!("DELETE FROM {table} WHERE ticket_id NOT IN (SELECT id FROM tickets)"),
            [],
        )?;
    }
    Ok(dropped)
}

/// The SHA-256 of every file the cache still names (attachments of cached
/// tickets, files waiting in the outbox): the downloads and thumbnails to keep.
pub(crate) fn named_files(c: &Connection) -> Result<HashSet<String>> {
    let mut stmt =
        c.prepare("SELECT sha256 FROM attachments UNION SELECT sha256 FROM outbox_files")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use deskmate_api::{OrganisationRef, Rights};

    use super::*;

    fn me(role: Role, all_tickets: bool) -> Me {
        Me {
            id: 7,
            email: "u@acme.example".into(),
            name: "U".into(),
            role,
            organisation: (role != Role::Agent).then(|| OrganisationRef {
                id: 3,
                name: "Acme".into(),
            }),
            rights: Rights {
                all_tickets,
                ..Rights::default()
            },
        }
    }

    #[test]
    fn the_scope_follows_role_and_the_all_tickets_right() {
        assert_eq!(
            TicketScope::of(&me(Role::CustomerUser, true)),
            TicketScope::Organisation(3)
        );
        assert_eq!(
            TicketScope::of(&me(Role::CustomerUser, false)),
            TicketScope::Own(7)
        );
        assert_eq!(TicketScope::of(&me(Role::Agent, false)), TicketScope::All);
    }
}
