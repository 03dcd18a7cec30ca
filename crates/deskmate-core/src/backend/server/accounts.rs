//! deskmate-server's account calls: its [`AccountAdmin`].

use async_trait::async_trait;
use deskmate_api::{
    ChangePassword, NewNotificationAddress, NewUser, NotificationAddress, NotificationAddressList,
    NotificationAddressUpdate, UserAccount, UserList, UserUpdate,
};
use reqwest::{Method, RequestBuilder};

use super::{ServerClient, check};
use crate::Result;
use crate::backend::AccountAdmin;
use crate::secrets::Sensitive;

#[async_trait]
impl AccountAdmin for ServerClient {
    /// `POST /api/v1/auth/password`.
    async fn change_password(
        &self,
        token: &Sensitive<String>,
        change: &ChangePassword,
    ) -> Result<()> {
        let request = self.authed(Method::POST, "/api/v1/auth/password", token);
        self.send_bodiless(request.json(change)).await
    }

    /// `GET /api/v1/users`.
    async fn users(&self, token: &Sensitive<String>) -> Result<UserList> {
        self.send(self.authed(Method::GET, "/api/v1/users", token))
            .await
    }

    /// `POST /api/v1/users`.
    async fn add_user(&self, token: &Sensitive<String>, user: &NewUser) -> Result<UserAccount> {
        self.send(self.authed(Method::POST, "/api/v1/users", token).json(user))
            .await
    }

    /// `PATCH /api/v1/users/{id}`.
    async fn update_user(
        &self,
        token: &Sensitive<String>,
        id: i64,
        update: &UserUpdate,
    ) -> Result<UserAccount> {
        let path = format!("/api/v1/users/{id}");
        self.send(self.authed(Method::PATCH, &path, token).json(update))
            .await
    }

    /// `DELETE /api/v1/users/{id}`.
    async fn remove_user(&self, token: &Sensitive<String>, id: i64) -> Result<()> {
        let path = format!("/api/v1/users/{id}");
        self.send_bodiless(self.authed(Method::DELETE, &path, token))
            .await
    }

    /// `GET /api/v1/notification-addresses`.
    async fn notification_addresses(
        &self,
        token: &Sensitive<String>,
    ) -> Result<NotificationAddressList> {
        self.send(self.authed(Method::GET, "/api/v1/notification-addresses", token))
            .await
    }

    /// `POST /api/v1/notification-addresses`.
    async fn add_notification_address(
        &self,
        token: &Sensitive<String>,
        address: &NewNotificationAddress,
    ) -> Result<NotificationAddress> {
        let request = self.authed(Method::POST, "/api/v1/notification-addresses", token);
        self.send(request.json(address)).await
    }

    /// `PATCH /api/v1/notification-addresses/{id}`.
    async fn set_notification_mail(
        &self,
        token: &Sensitive<String>,
        id: i64,
        mail: bool,
    ) -> Result<NotificationAddress> {
        let path = format!("/api/v1/notification-addresses/{id}");
        let update = NotificationAddressUpdate { mail };
        self.send(self.authed(Method::PATCH, &path, token).json(&update))
            .await
    }

    /// `DELETE /api/v1/notification-addresses/{id}`.
    async fn remove_notification_address(&self, token: &Sensitive<String>, id: i64) -> Result<()> {
        let path = format!("/api/v1/notification-addresses/{id}");
        self.send_bodiless(self.authed(Method::DELETE, &path, token))
            .await
    }
}

impl ServerClient {
    /// A call answered with no body (`204`).
    async fn send_bodiless(&self, request: RequestBuilder) -> Result<()> {
        check(self.execute(request).await?).await.map(drop)
    }
}
