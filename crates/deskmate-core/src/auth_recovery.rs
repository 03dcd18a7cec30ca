//! What a person can do at the sign-in screen without a session: ask for a
//! password reset mail, set a new password with the code it carried, and
//! ask for an account with their organisation's contract number. Each goes
//! straight to the helpdesk at the address typed (nothing is queued: there
//! is no account to queue it for).

use std::sync::Arc;

use deskmate_api::NewAccountRequest;

use crate::backend::{AccountsBackend, Backend, not_offered};
use crate::secrets::Sensitive;
use crate::{Core, CoreError, Result};

/// The account part of `client`, or `not_offered` naming `what`.
pub(crate) fn accounts_of<'a>(
    client: &'a Arc<dyn Backend>,
    what: &str,
) -> Result<&'a dyn AccountsBackend> {
    client.self_service().ok_or_else(|| not_offered(what))
}

const RESET: &str = "password reset by e-mail";

impl Core {
    /// Asks the helpdesk at `server_url` to mail a password reset code to
    /// `email`. The helpdesk answers alike whether or not the address has an
    /// account; `mail_not_configured` when it sends no mail, `rate_limited`
    /// after too many requests.
    pub async fn request_password_reset(&self, server_url: &str, email: &str) -> Result<()> {
        let email = email.trim();
        deskmate_api::check_email(email).map_err(CoreError::Invalid)?;
        let client = (self.connect)(server_url)?;
        accounts_of(&client, RESET)?
            .request_password_reset(email)
            .await?;
        tracing::info!(server = %client.base_url(), "password reset mail requested");
        Ok(())
    }

    /// Sets a new password with the code of a reset mail; answers the
    /// account's address, to sign in with. The helpdesk ends every session
    /// of the account.
    pub async fn confirm_password_reset(
        &self,
        server_url: &str,
        token: Sensitive<String>,
        password: Sensitive<String>,
    ) -> Result<String> {
        let token = Sensitive::new(token.expose().trim().to_owned());
        if token.expose().is_empty() {
            return Err(CoreError::Invalid(
                "enter the code from the password reset mail".into(),
            ));
        }
        deskmate_api::validate_new_password(password.expose()).map_err(CoreError::Invalid)?;
        let client = (self.connect)(server_url)?;
        let done = accounts_of(&client, RESET)?
            .confirm_password_reset(&token, &password)
            .await?;
        self.remember_email(client.base_url(), &done.email).await?;
        tracing::info!(server = %client.base_url(), "password reset");
        Ok(done.email)
    }

    /// Asks the helpdesk at `server_url` for an account; its customer
    /// admins decide. A contract number no organisation has is the
    /// helpdesk's `validation` refusal.
    pub async fn request_account(
        &self,
        server_url: &str,
        request: NewAccountRequest,
    ) -> Result<()> {
        let request = NewAccountRequest {
            name: request.name.trim().to_owned(),
            email: request.email.trim().to_owned(),
            contract_number: request.contract_number.trim().to_owned(),
        };
        request.validate().map_err(CoreError::Invalid)?;
        let client = (self.connect)(server_url)?;
        let key = uuid::Uuid::new_v4().to_string();
        accounts_of(&client, "account requests")?
            .request_account(&request, &key)
            .await?;
        tracing::info!(server = %client.base_url(), "account requested");
        Ok(())
    }
}
