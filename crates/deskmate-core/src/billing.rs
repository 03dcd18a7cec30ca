//! The organisation's billing, read from the helpdesk a page at a time:
//! invoices and expedited-response charges (the `invoices` right), call
//! records (the `call_records` right). Online only and never cached: the
//! cache mirrors tickets, and billing is not for whoever opens the cache
//! file.

use deskmate_api::{CallRecordList, ExpediteChargeList, InvoiceList};

use crate::auth_recovery::accounts_of;
use crate::{Core, Result};

const BILLING: &str = "billing";

impl Core {
    /// One page of the organisation's invoices, newest first, from the
    /// `next_cursor` of the page before.
    pub async fn invoices(&self, cursor: Option<String>) -> Result<InvoiceList> {
        let (_, client, token) = self.signed_in().await?;
        let answer = accounts_of(&client, BILLING)?
            .invoices(&token, cursor.as_deref())
            .await;
        self.unless_unauthorized(answer).await
    }

    /// One page of the calls on the organisation's voice services.
    pub async fn call_records(&self, cursor: Option<String>) -> Result<CallRecordList> {
        let (_, client, token) = self.signed_in().await?;
        let answer = accounts_of(&client, BILLING)?
            .call_records(&token, cursor.as_deref())
            .await;
        self.unless_unauthorized(answer).await
    }

    /// One page of the organisation's expedited responses as charges.
    pub async fn expedite_charges(&self, cursor: Option<String>) -> Result<ExpediteChargeList> {
        let (_, client, token) = self.signed_in().await?;
        let answer = accounts_of(&client, BILLING)?
            .expedite_charges(&token, cursor.as_deref())
            .await;
        self.unless_unauthorized(answer).await
    }
}
