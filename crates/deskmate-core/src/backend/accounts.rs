//! What a helpdesk offers for running the caller's own account and their
//! organisation's ([`AccountAdmin`]): the password, the accounts and their
//! rights and roles, the notification addresses per type. Online only: each
//! call goes straight to the helpdesk, nothing is queued or cached.

use async_trait::async_trait;
use deskmate_api::{
    ChangePassword, NewNotificationAddress, NewUser, NotificationAddress, NotificationAddressList,
    UserAccount, UserList, UserUpdate,
};

use crate::Result;
use crate::secrets::Sensitive;

/// The account calls of a helpdesk that has them
/// ([`super::Backend::accounts`]). Errors as for [`super::Backend`].
#[async_trait]
pub trait AccountAdmin: Send + Sync {
    /// Changes the caller's password; a wrong `current_password` is an
    /// `unauthorized` refusal (the session stays).
    async fn change_password(
        &self,
        token: &Sensitive<String>,
        change: &ChangePassword,
    ) -> Result<()>;

    /// The caller's organisation's accounts (with the manage-users right).
    async fn users(&self, token: &Sensitive<String>) -> Result<UserList>;

    async fn add_user(&self, token: &Sensitive<String>, user: &NewUser) -> Result<UserAccount>;

    async fn update_user(
        &self,
        token: &Sensitive<String>,
        id: i64,
        update: &UserUpdate,
    ) -> Result<UserAccount>;

    async fn remove_user(&self, token: &Sensitive<String>, id: i64) -> Result<()>;

    /// The organisation's notification addresses (customer admins).
    async fn notification_addresses(
        &self,
        token: &Sensitive<String>,
    ) -> Result<NotificationAddressList>;

    async fn add_notification_address(
        &self,
        token: &Sensitive<String>,
        address: &NewNotificationAddress,
    ) -> Result<NotificationAddress>;

    /// Turns mail to address `id` on or off.
    async fn set_notification_mail(
        &self,
        token: &Sensitive<String>,
        id: i64,
        mail: bool,
    ) -> Result<NotificationAddress>;

    async fn remove_notification_address(&self, token: &Sensitive<String>, id: i64) -> Result<()>;
}
