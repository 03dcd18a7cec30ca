//! deskmate-server's password reset, account requests and billing
//! (`/api/v1/auth/password-reset`, `/api/v1/account-requests`,
//! `/api/v1/invoices`, `/api/v1/call-records`, `/api/v1/expedite-charges`).

use async_trait::async_trait;
use deskmate_api::{
    AccountRequest, AccountRequestList, CallRecordList, ExpediteChargeList, InvoiceList,
    NewAccountRequest, PasswordResetConfirm, PasswordResetDone, PasswordResetRequest, UserAccount,
};
use reqwest::Method;

use super::server::check;
use super::{AccountsBackend, IDEMPOTENCY_KEY, ServerClient};
use crate::Result;
use crate::secrets::Sensitive;

impl ServerClient {
    /// A request whose answer has no body worth reading (202, 204).
    async fn done(&self, request: reqwest::RequestBuilder) -> Result<()> {
        check(self.execute(request).await?).await.map(drop)
    }

    /// A `GET` of one page of a list, from `cursor` when there is one.
    fn page(
        &self,
        path: &str,
        token: &Sensitive<String>,
        cursor: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let request = self.authed(Method::GET, path, token);
        match cursor {
            Some(cursor) => request.query(&[("cursor", cursor)]),
            None => request,
        }
    }
}

#[async_trait]
impl AccountsBackend for ServerClient {
    async fn request_password_reset(&self, email: &str) -> Result<()> {
        let body = PasswordResetRequest {
            email: email.to_owned(),
        };
        self.done(
            self.request(Method::POST, "/api/v1/auth/password-reset")
                .json(&body),
        )
        .await
    }

    async fn confirm_password_reset(
        &self,
        token: &Sensitive<String>,
        password: &Sensitive<String>,
    ) -> Result<PasswordResetDone> {
        let body = PasswordResetConfirm {
            token: token.expose().clone(),
            password: password.expose().clone(),
        };
        self.send(
            self.request(Method::POST, "/api/v1/auth/password-reset/confirm")
                .json(&body),
        )
        .await
    }

    async fn request_account(
        &self,
        request: &NewAccountRequest,
        idempotency_key: &str,
    ) -> Result<()> {
        self.done(
            self.request(Method::POST, "/api/v1/account-requests")
                .header(IDEMPOTENCY_KEY, idempotency_key)
                .json(request),
        )
        .await
    }

    async fn account_requests(&self, token: &Sensitive<String>) -> Result<Vec<AccountRequest>> {
        let list: AccountRequestList = self
            .send(self.authed(Method::GET, "/api/v1/account-requests", token))
            .await?;
        Ok(list.requests)
    }

    async fn approve_account_request(
        &self,
        token: &Sensitive<String>,
        id: i64,
        idempotency_key: &str,
    ) -> Result<UserAccount> {
        let path = format!("/api/v1/account-requests/{id}/approve");
        self.send(
            self.authed(Method::POST, &path, token)
                .header(IDEMPOTENCY_KEY, idempotency_key),
        )
        .await
    }

    async fn reject_account_request(
        &self,
        token: &Sensitive<String>,
        id: i64,
        idempotency_key: &str,
    ) -> Result<()> {
        let path = format!("/api/v1/account-requests/{id}/reject");
        self.done(
            self.authed(Method::POST, &path, token)
                .header(IDEMPOTENCY_KEY, idempotency_key),
        )
        .await
    }

    async fn invoices(
        &self,
        token: &Sensitive<String>,
        cursor: Option<&str>,
    ) -> Result<InvoiceList> {
        self.send(self.page("/api/v1/invoices", token, cursor))
            .await
    }

    async fn call_records(
        &self,
        token: &Sensitive<String>,
        cursor: Option<&str>,
    ) -> Result<CallRecordList> {
        self.send(self.page("/api/v1/call-records", token, cursor))
            .await
    }

    async fn expedite_charges(
        &self,
        token: &Sensitive<String>,
        cursor: Option<&str>,
    ) -> Result<ExpediteChargeList> {
        self.send(self.page("/api/v1/expedite-charges", token, cursor))
            .await
    }
}
