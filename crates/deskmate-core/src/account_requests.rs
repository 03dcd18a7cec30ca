//! The account requests a customer admin decides on: the pending ones,
//! approval (the helpdesk creates the account and mails it a set-password
//! link) and rejection. Online only: nothing of it is cached or queued, a
//! decision is the admin's at the moment they make it.

use deskmate_api::{AccountRequest, UserAccount};

use crate::auth_recovery::accounts_of;
use crate::{Core, Result};

const REQUESTS: &str = "account requests";

impl Core {
    /// The pending account requests the signed-in account decides on.
    pub async fn account_requests(&self) -> Result<Vec<AccountRequest>> {
        let (_, client, token) = self.signed_in().await?;
        let answer = accounts_of(&client, REQUESTS)?
            .account_requests(&token)
            .await;
        self.unless_unauthorized(answer).await
    }

    /// Approves request `id`: answers the account the helpdesk created.
    pub async fn approve_account_request(&self, id: i64) -> Result<UserAccount> {
        let (_, client, token) = self.signed_in().await?;
        let key = uuid::Uuid::new_v4().to_string();
        let answer = accounts_of(&client, REQUESTS)?
            .approve_account_request(&token, id, &key)
            .await;
        let account = self.unless_unauthorized(answer).await?;
        tracing::info!(
            request_id = id,
            user_id = account.id,
            "account request approved"
        );
        Ok(account)
    }

    /// Rejects request `id`.
    pub async fn reject_account_request(&self, id: i64) -> Result<()> {
        let (_, client, token) = self.signed_in().await?;
        let key = uuid::Uuid::new_v4().to_string();
        let answer = accounts_of(&client, REQUESTS)?
            .reject_account_request(&token, id, &key)
            .await;
        self.unless_unauthorized(answer).await?;
        tracing::info!(request_id = id, "account request rejected");
        Ok(())
    }
}
