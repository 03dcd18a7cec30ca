//! What a helpdesk may offer around accounts beyond signing in: a
//! forgotten password reset by e-mail, account requests (asked for without
//! an account, decided by the organisation's customer admins) and the
//! organisation's billing (invoices, call records, expedited-response
//! charges). A [`super::Backend`] that has them hands this out from
//! [`super::Backend::self_service`].

use async_trait::async_trait;
use deskmate_api::{
    AccountRequest, CallRecordList, ExpediteChargeList, InvoiceList, NewAccountRequest,
    PasswordResetDone, UserAccount,
};

use crate::Result;
use crate::secrets::Sensitive;

#[async_trait]
pub trait AccountsBackend: Send + Sync {
    /// Asks for a password reset mail (answered alike whether or not the
    /// address has an account).
    async fn request_password_reset(&self, email: &str) -> Result<()>;

    /// Sets the password with the token the mail carried; answers whose it was.
    async fn confirm_password_reset(
        &self,
        token: &Sensitive<String>,
        password: &Sensitive<String>,
    ) -> Result<PasswordResetDone>;

    /// Asks for an account without one (public).
    async fn request_account(
        &self,
        request: &NewAccountRequest,
        idempotency_key: &str,
    ) -> Result<()>;

    /// The pending account requests the caller decides on.
    async fn account_requests(&self, token: &Sensitive<String>) -> Result<Vec<AccountRequest>>;

    /// Approves a request: the helpdesk creates the account and mails it a
    /// set-password link.
    async fn approve_account_request(
        &self,
        token: &Sensitive<String>,
        id: i64,
        idempotency_key: &str,
    ) -> Result<UserAccount>;

    async fn reject_account_request(
        &self,
        token: &Sensitive<String>,
        id: i64,
        idempotency_key: &str,
    ) -> Result<()>;

    /// One page of the organisation's invoices, newest first, from `cursor`.
    async fn invoices(
        &self,
        token: &Sensitive<String>,
        cursor: Option<&str>,
    ) -> Result<InvoiceList>;

    /// One page of the calls on the organisation's voice services.
    async fn call_records(
        &self,
        token: &Sensitive<String>,
        cursor: Option<&str>,
    ) -> Result<CallRecordList>;

    /// One page of the organisation's expedited responses as charges.
    async fn expedite_charges(
        &self,
        token: &Sensitive<String>,
        cursor: Option<&str>,
    ) -> Result<ExpediteChargeList>;
}
