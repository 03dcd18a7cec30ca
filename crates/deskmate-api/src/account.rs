//! A customer organisation's accounts and what each may do (`/api/v1/users`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Role;

/// What a signed-in person may do beyond filing and following their own
/// tickets. A customer administrator has every right; a customer user what
/// the organisation gave them; in `Me`, an agent sees what agents may do
/// (every ticket, any organisation's invoices and call records; accounts are
/// the customers' own business, so no `manage_users`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Rights {
    /// Every ticket of the organisation, not only the ones the user filed.
    pub all_tickets: bool,
    /// The organisation's invoices.
    pub invoices: bool,
    /// The call records of the organisation's voice services.
    pub call_records: bool,
    /// Adding, changing and removing the organisation's accounts.
    pub manage_users: bool,
    /// Requesting a (paid) expedited response for a ticket the user may
    /// charge the organisation for. Absent in a request: not given (stored
    /// sessions of older apps lack it too).
    #[serde(default)]
    pub expedite: bool,
}

impl Rights {
    /// Every right: a customer administrator's.
    pub const ALL: Self = Self {
        all_tickets: true,
        invoices: true,
        call_records: true,
        manage_users: true,
        expedite: true,
    };

    /// Whether `self` grants nothing that `holder` lacks.
    pub fn within(self, holder: Self) -> bool {
        (!self.all_tickets || holder.all_tickets)
            && (!self.invoices || holder.invoices)
            && (!self.call_records || holder.call_records)
            && (!self.manage_users || holder.manage_users)
            && (!self.expedite || holder.expedite)
    }
}

/// One account of an organisation, as its user managers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct UserAccount {
    #[ts(type = "number")]
    pub id: i64,
    pub email: String,
    pub name: String,
    /// `customer_user` or `customer_admin`.
    pub role: Role,
    /// What the account may do (a customer admin: everything).
    pub rights: Rights,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/users` response: the organisation's accounts, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct UserList {
    pub users: Vec<UserAccount>,
}

/// `POST /api/v1/users` request: a new customer user of the caller's organisation.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewUser {
    /// The address they sign in with (unique across the helpdesk).
    pub email: String,
    pub name: String,
    /// Their first password: 10 to 1024 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 1024))]
    pub password: String,
    /// What they may do; none when absent.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub rights: Option<Rights>,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("email", &self.email)
            .field("name", &self.name)
            .field("rights", &self.rights)
            .finish_non_exhaustive()
    }
}

impl NewUser {
    /// Checks the address, the name and the password.
    pub fn validate(&self) -> Result<(), String> {
        check_email(&self.email)?;
        check_name(&self.name)?;
        crate::validate_new_password(&self.password)
    }
}

/// `PATCH /api/v1/users/{id}` request: what changes; absent fields stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UserUpdate {
    #[serde(default)]
    #[ts(optional = nullable)]
    pub name: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub rights: Option<Rights>,
    /// `customer_admin` promotes the account (it then has every right),
    /// `customer_user` demotes it (keeping the rights given with it, else
    /// every right but what `rights` says); only a customer admin changes
    /// roles, and an organisation always keeps one customer admin.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub role: Option<Role>,
}

impl UserUpdate {
    /// Checks the new name, if any, and that the role is a customer's.
    pub fn validate(&self) -> Result<(), String> {
        if self.role == Some(Role::Agent) {
            return Err("an organisation's account is a customer user or a customer admin".into());
        }
        self.name.as_deref().map_or(Ok(()), check_name)
    }
}

/// An address that could be one: something@somewhere, no spaces, within the limit.
pub fn check_email(email: &str) -> Result<(), String> {
    let email = email.trim();
    let plausible = email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
        && !email.chars().any(char::is_whitespace);
    if !plausible {
        return Err(format!("{email:?} is not an e-mail address"));
    }
    if email.chars().count() > crate::limits::EMAIL_MAX_CHARS {
        return Err(format!(
            "the e-mail address must be at most {} characters",
            crate::limits::EMAIL_MAX_CHARS
        ));
    }
    Ok(())
}

fn check_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("the name must not be empty".to_owned());
    }
    if name.chars().count() > crate::limits::LINE_MAX_CHARS {
        return Err(format!(
            "the name must be at most {} characters",
            crate::limits::LINE_MAX_CHARS
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_are_granted_only_within_the_holders() {
        let none = Rights::default();
        let invoices = Rights {
            invoices: true,
            ..none
        };
        assert!(none.within(none));
        assert!(invoices.within(Rights::ALL));
        assert!(!invoices.within(none));
        assert!(!Rights::ALL.within(invoices));
    }

    #[test]
    fn new_users_need_an_address_a_name_and_a_strong_password() {
        let mut user = NewUser {
            email: "ops@acme.example".into(),
            name: "Ops".into(),
            password: "long-enough-1".into(),
            rights: None,
        };
        assert!(user.validate().is_ok());
        user.password = "short".into();
        assert!(user.validate().unwrap_err().contains("at least 10"));
        user.password = "long-enough-1".into();
        for bad in ["ops", "ops@", "@acme.example", "o ps@acme.example"] {
            user.email = bad.into();
            assert!(user.validate().is_err(), "{bad}");
        }
        user.email = "ops@acme.example".into();
        user.name = "  ".into();
        assert!(user.validate().is_err());
        assert!(!format!("{user:?}").contains("long-enough"));
    }
}
