//! The signed-in person's account and, for a customer admin or an account
//! with the manage-users right, their organisation's accounts and
//! notification addresses. These are online-only admin actions: they go
//! straight to the helpdesk (no outbox, nothing cached), and without a
//! connection they are an `network` error saying they need one. Every
//! refusal keeps the helpdesk's `{code, message}`.

use std::sync::Arc;

use deskmate_api::{
    ChangePassword, ErrorCode, ErrorResponse, NewNotificationAddress, NewUser, NotificationAddress,
    NotificationAddressList, UserAccount, UserList, UserUpdate,
};

use crate::backend::{AccountAdmin, Backend, not_offered};
use crate::secrets::Sensitive;
use crate::{Core, CoreError, Result};

/// What [`not_offered`] names.
const ACCOUNTS: &str = "account management";

/// The message of a password change refused for a wrong current password.
const WRONG_PASSWORD: &str = "the current password is wrong";

/// The signed-in helpdesk, which has account calls, and the token.
struct Admin {
    client: Arc<dyn Backend>,
    token: Sensitive<String>,
    user_id: i64,
}

impl Admin {
    fn calls(&self) -> Result<&dyn AccountAdmin> {
        self.client.accounts().ok_or_else(|| not_offered(ACCOUNTS))
    }
}

impl Core {
    async fn admin(&self) -> Result<Admin> {
        let (session, client, token) = self.signed_in().await?;
        if client.accounts().is_none() {
            return Err(not_offered(ACCOUNTS));
        }
        Ok(Admin {
            client,
            token,
            user_id: session.user.id,
        })
    }

    /// The helpdesk's answer, with an unreachable helpdesk said as "needs a
    /// connection" and a dead token signing out.
    async fn online<T>(&self, what: &str, answer: Result<T>) -> Result<T> {
        match answer {
            Ok(value) => Ok(value),
            Err(CoreError::Network { url }) => Err(CoreError::Offline(format!(
                "{what} needs a connection to the helpdesk at {url}: try again when online"
            ))),
            Err(e) => Err(self.expire_on_unauthorized(e).await),
        }
    }

    /// Changes the signed-in user's password; the session stays (the
    /// helpdesk ends the account's other sessions). A wrong current
    /// password is an `unauthorized` refusal that keeps the user signed in.
    pub async fn change_password(
        &self,
        current_password: Sensitive<String>,
        new_password: Sensitive<String>,
    ) -> Result<()> {
        let change = ChangePassword {
            current_password: current_password.expose().clone(),
            new_password: new_password.expose().clone(),
        };
        change.validate().map_err(CoreError::Invalid)?;
        let admin = self.admin().await?;
        let answer = admin.calls()?.change_password(&admin.token, &change).await;
        match answer {
            Err(e) if e.code() == ErrorCode::Unauthorized => {
                // The helpdesk says 401 for a wrong current password and for
                // a dead token alike: the token tells which.
                let alive = admin.client.me(&admin.token).await;
                match alive {
                    Ok(_) => Err(CoreError::Server(ErrorResponse::new(
                        ErrorCode::Unauthorized,
                        WRONG_PASSWORD,
                    ))),
                    Err(probe) => self.online("changing the password", Err(probe)).await,
                }
            }
            answer => self.online("changing the password", answer).await,
        }
    }

    /// The organisation's accounts with their role and rights.
    pub async fn users(&self) -> Result<UserList> {
        let admin = self.admin().await?;
        let answer = admin.calls()?.users(&admin.token).await;
        self.online("the list of accounts", answer).await
    }

    /// Adds a customer user with the rights given (only rights the caller
    /// has; the helpdesk refuses others).
    pub async fn add_user(&self, user: NewUser) -> Result<UserAccount> {
        user.validate().map_err(CoreError::Invalid)?;
        let admin = self.admin().await?;
        let answer = admin.calls()?.add_user(&admin.token, &user).await;
        self.online("adding an account", answer).await
    }

    /// Renames account `id`, sets its rights, promotes or demotes it. A
    /// change of the caller's own account is adopted at once.
    pub async fn update_user(&self, id: i64, update: UserUpdate) -> Result<UserAccount> {
        update.validate().map_err(CoreError::Invalid)?;
        let admin = self.admin().await?;
        let answer = admin.calls()?.update_user(&admin.token, id, &update).await;
        let account = self.online("changing an account", answer).await?;
        if id == admin.user_id {
            self.check_account().await?;
        }
        Ok(account)
    }

    /// Removes account `id` (not the caller's own).
    pub async fn remove_user(&self, id: i64) -> Result<()> {
        let admin = self.admin().await?;
        let answer = admin.calls()?.remove_user(&admin.token, id).await;
        self.online("removing an account", answer).await
    }

    /// The organisation's notification addresses and allowed domains.
    pub async fn notification_addresses(&self) -> Result<NotificationAddressList> {
        let admin = self.admin().await?;
        let answer = admin.calls()?.notification_addresses(&admin.token).await;
        self.online("the notification addresses", answer).await
    }

    /// Adds an address for one kind of notification; one outside the
    /// organisation's allowed domains is an `invalid_email_domain` refusal.
    pub async fn add_notification_address(
        &self,
        address: NewNotificationAddress,
    ) -> Result<NotificationAddress> {
        deskmate_api::check_email(&address.email).map_err(CoreError::Invalid)?;
        let admin = self.admin().await?;
        let answer = admin
            .calls()?
            .add_notification_address(&admin.token, &address)
            .await;
        self.online("adding a notification address", answer).await
    }

    /// Turns mail to notification address `id` on or off.
    pub async fn set_notification_mail(&self, id: i64, mail: bool) -> Result<NotificationAddress> {
        let admin = self.admin().await?;
        let answer = admin
            .calls()?
            .set_notification_mail(&admin.token, id, mail)
            .await;
        self.online("changing a notification address", answer).await
    }

    pub async fn remove_notification_address(&self, id: i64) -> Result<()> {
        let admin = self.admin().await?;
        let answer = admin
            .calls()?
            .remove_notification_address(&admin.token, id)
            .await;
        self.online("removing a notification address", answer).await
    }
}
