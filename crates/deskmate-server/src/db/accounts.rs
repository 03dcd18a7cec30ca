//! An organisation's accounts as its user managers change them
//! (`/api/v1/users`).

use chrono::Utc;
use deskmate_api::{Rights, Role, UserAccount, UserUpdate};

use super::sql::sql;
use super::{
    Columns, Db, Idempotency, User, Written, from_millis, millis, unique_as_conflict, user_from_row,
};
use crate::error::{ApiError, ApiResult};
use crate::events::ChangeEvent;

const ACCOUNTS_OF: &str =
    user_query!("WHERE u.organisation_id = $1 AND u.deleted_ms IS NULL ORDER BY u.id");
const ACCOUNT: &str =
    user_query!("WHERE u.id = $1 AND u.organisation_id = $2 AND u.deleted_ms IS NULL");

impl User {
    /// How the account shows in `/api/v1/users`.
    pub fn account(&self) -> ApiResult<UserAccount> {
        Ok(UserAccount {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
            rights: self.rights(),
            created_at: self.created_at,
        })
    }
}

/// A customer user about to be added, their password already hashed.
#[derive(Clone, Copy, Debug)]
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub rights: Rights,
}

fn no_account(id: i64) -> ApiError {
    ApiError::not_found(format!("no user #{id} in your organisation"))
}

impl Db {
    /// The organisation's accounts (not the removed ones), oldest first.
    pub async fn accounts(&self, organisation_id: i64) -> ApiResult<Vec<UserAccount>> {
        let rows = self
            .fetch_all(sql(ACCOUNTS_OF).bind(organisation_id))
            .await?;
        rows.iter().map(|r| user_from_row(r)?.account()).collect()
    }

    /// One account of the organisation, if it has it (and it was not removed).
    pub async fn account(&self, organisation_id: i64, id: i64) -> ApiResult<Option<User>> {
        let row = self
            .fetch_optional(sql(ACCOUNT).bind(id).bind(organisation_id))
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Adds a customer user to `by`'s organisation.
    pub async fn add_account(
        &self,
        by: &User,
        organisation_id: i64,
        new: NewAccount<'_>,
        idempotency: Option<&Idempotency>,
    ) -> ApiResult<Written<UserAccount>> {
        let NewAccount {
            email,
            name,
            password_hash,
            rights,
        } = new;
        const INSERT: &str = "INSERT INTO users (organisation_id, email, name, role, \
             password_hash, right_all_tickets, right_invoices, right_call_records, \
             right_manage_users, right_expedite, created_ms) \
             VALUES ($1, $2, $3, 'customer_user', $4, $5, $6, $7, $8, $9, $10) RETURNING id";
        let now = millis(Utc::now());
        let email = email.trim().to_lowercase();
        self.write(by.id, idempotency, 201, async |tx| {
            let row = tx
                .fetch_one(
                    sql(INSERT)
                        .bind(organisation_id)
                        .bind(email.clone())
                        .bind(name.trim().to_owned())
                        .bind(password_hash.to_owned())
                        .bind(rights.all_tickets)
                        .bind(rights.invoices)
                        .bind(rights.call_records)
                        .bind(rights.manage_users)
                        .bind(rights.expedite)
                        .bind(now),
                )
                .await
                .map_err(|e| unique_as_conflict(e, "a user with this e-mail address exists"))?;
            let account = UserAccount {
                id: row.int("id")?,
                email,
                name: name.trim().to_owned(),
                role: Role::CustomerUser,
                rights,
                created_at: from_millis(now)?,
            };
            Ok((account, Vec::new()))
        })
        .await
    }

    /// Renames an account of the organisation, sets its rights and its
    /// role (each when given); takes effect on its next request. A
    /// demotion that would leave the organisation without a customer admin
    /// is refused and changes nothing.
    pub async fn change_account(
        &self,
        by: &User,
        organisation_id: i64,
        id: i64,
        change: &UserUpdate,
        idempotency: Option<&Idempotency>,
    ) -> ApiResult<Written<UserAccount>> {
        const UPDATE: &str = "UPDATE users SET name = COALESCE($1, name), \
             right_all_tickets = COALESCE($2, right_all_tickets), \
             right_invoices = COALESCE($3, right_invoices), \
             right_call_records = COALESCE($4, right_call_records), \
             right_manage_users = COALESCE($5, right_manage_users), \
             right_expedite = COALESCE($6, right_expedite), \
             role = COALESCE($7, role) \
             WHERE id = $8 AND organisation_id = $9 AND deleted_ms IS NULL";
        const ADMINS: &str = "SELECT COUNT(*) AS n FROM users WHERE organisation_id = $1 \
             AND role = 'customer_admin' AND deleted_ms IS NULL";
        let (name, rights) = (change.name.as_deref(), change.rights);
        let role = change.role;
        self.write(by.id, idempotency, 200, async |tx| {
            let changed = tx
                .execute(
                    sql(UPDATE)
                        .bind(name.map(|n| n.trim().to_owned()))
                        .bind(rights.map(|r| r.all_tickets))
                        .bind(rights.map(|r| r.invoices))
                        .bind(rights.map(|r| r.call_records))
                        .bind(rights.map(|r| r.manage_users))
                        .bind(rights.map(|r| r.expedite))
                        .bind(role.map(|r| r.as_str().to_owned()))
                        .bind(id)
                        .bind(organisation_id),
                )
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(no_account(id));
            }
            if role == Some(Role::CustomerUser) {
                let admins = tx
                    .fetch_one(sql(ADMINS).bind(organisation_id))
                    .await?
                    .int("n")?;
                if admins == 0 {
                    return Err(ApiError::validation(
                        "the organisation's last customer admin cannot be demoted: \
                         promote another account first",
                    ));
                }
            }
            let row = tx
                .fetch_one(sql(ACCOUNT).bind(id).bind(organisation_id))
                .await?;
            let account = user_from_row(&row)?.account()?;
            let events = vec![ChangeEvent::account_changed(id)];
            Ok((account, events))
        })
        .await
    }

    /// Removes an account of the organisation: it can no longer sign in and
    /// every session of it ends at once; its tickets and messages stay.
    pub async fn remove_account(
        &self,
        by: &User,
        organisation_id: i64,
        id: i64,
        idempotency: Option<&Idempotency>,
    ) -> ApiResult<Written<()>> {
        // The address is set aside (a space makes it one nobody can sign in
        // with) so that it can be given to a new account.
        const REMOVE: &str = "UPDATE users SET deleted_ms = $1, password_hash = '', \
             email = '#' || id || ' ' || email \
             WHERE id = $2 AND organisation_id = $3 AND deleted_ms IS NULL";
        let now = millis(Utc::now());
        self.write(by.id, idempotency, 204, async |tx| {
            let removed = tx
                .execute(sql(REMOVE).bind(now).bind(id).bind(organisation_id))
                .await?
                .rows_affected();
            if removed == 0 {
                return Err(no_account(id));
            }
            tx.execute(sql("DELETE FROM sessions WHERE user_id = $1").bind(id))
                .await?;
            let events = vec![ChangeEvent::account_changed(id)];
            Ok(((), events))
        })
        .await
    }
}
