//! A signed-in person and what they may see: plain data, no I/O, so the
//! database, the live events and the extractors all build on it without
//! depending on each other.

use chrono::{DateTime, Utc};
use deskmate_api::{Me, OrganisationRef, Rights, Role};

/// A signed-in person as the routes need them.
#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation: Option<OrganisationRef>,
    /// The rights as stored (see [`User::rights`] for what they amount to).
    pub stored_rights: Rights,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

impl User {
    pub fn me(&self) -> Me {
        Me {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
            organisation: self.organisation.clone(),
            rights: self.rights(),
        }
    }

    /// What this person may do: a customer admin everything, a customer
    /// user what the organisation gave them, an agent every ticket and any
    /// organisation's billing but not its accounts.
    pub fn rights(&self) -> Rights {
        match self.role {
            Role::CustomerAdmin => Rights::ALL,
            Role::CustomerUser => self.stored_rights,
            Role::Agent => Rights {
                all_tickets: true,
                invoices: true,
                call_records: true,
                manage_users: false,
                expedite: false,
            },
        }
    }

    /// Which tickets this person may see.
    pub fn ticket_scope(&self) -> Scope {
        match (self.role, &self.organisation) {
            (Role::Agent, _) => Scope::All,
            (_, Some(org)) if self.rights().all_tickets => Scope::Organisation(org.id),
            _ => Scope::Own(self.id),
        }
    }
}

/// The tickets a viewer may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Organisation(i64),
    Own(i64),
}
