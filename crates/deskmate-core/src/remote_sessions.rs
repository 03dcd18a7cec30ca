//! The guided remote session on the customer's side, after their explicit
//! consent to one request: find and bring up the tool ([`crate::remote`]),
//! read its ID (and set a one-time password where the tool takes one on
//! stdin), and send them for that request only; and the customer ending it.
//!
//! Both go straight to the helpdesk, not through the outbox: a consent is
//! only worth something while the consultant waits, and the one-time
//! password must never be written to the cache. Offline they fail with
//! `network`, and a password already set is made useless again.

use deskmate_api::{
    ConsentStep, ReadyNow, ReadyNowRequest, RemoteConnection, RemoteSessionAnswer,
    RemoteSessionEnd, RemoteSessionStatus, RemoteSessionView, RemoteTool,
};

use crate::remote::{self, Connection, Probe};
use crate::{Core, CoreError, Result};

/// What the consent handed over, kept by the caller until the session ends.
#[derive(Debug)]
pub struct Consented {
    pub view: RemoteSessionView,
    /// The tool's process if Deskmate started it, and what to revoke.
    pub connection: Connection,
}

impl Core {
    /// The user consented to remote session `id`: starts or brings up the
    /// tool (`tool`, else the one asked for if installed, else the first
    /// found), reads its ID and sends it with the acceptance. Nothing is
    /// sent when no tool gives an ID. `step` hears each step as it begins
    /// (the window's step list, the CLI's lines): one flow for both.
    pub async fn consent_remote_session(
        &self,
        id: i64,
        tool: Option<RemoteTool>,
        probe: &Probe,
        step: &(dyn Fn(ConsentStep) + Send + Sync),
    ) -> Result<Consented> {
        let session = self.cache().remote_session(id).await?.ok_or_else(|| {
            CoreError::NotFound(format!("no remote session #{id} on this computer"))
        })?;
        if session.status != RemoteSessionStatus::Requested {
            return Err(CoreError::Invalid(format!(
                "remote session #{id} is {} and takes no answer",
                session.status
            )));
        }
        let (_, client, token) = self.signed_in().await?;
        let connection = remote::hand_over_with(probe, tool, Some(session.tool), step)
            .await
            .map_err(|e| CoreError::Invalid(e.to_string()))?;
        step(ConsentStep::Send);
        let answer = RemoteSessionAnswer {
            accept: true,
            connection: Some(RemoteConnection {
                tool: connection.tool,
                tool_id: connection.tool_id.clone(),
                password: connection.password.as_ref().map(|p| p.expose().clone()),
            }),
        };
        let key = uuid::Uuid::new_v4().to_string();
        let sent = client
            .answer_remote_session(&token, id, &answer, &key)
            .await;
        let accepted = match sent {
            Ok(accepted) => accepted,
            Err(e) => {
                undo(connection, probe).await;
                return Err(e);
            }
        };
        self.cache().put_remote_session(accepted.clone()).await?;
        Ok(Consented {
            view: RemoteSessionView {
                remote_session: accepted,
                answer: None,
            },
            connection,
        })
    }

    /// The user ends accepted remote session `id`: recorded by the
    /// helpdesk as ended by the customer. `connection`, when this process
    /// consented: its one-time password is made useless and a tool Deskmate
    /// started is stopped (ending its incoming session).
    pub async fn end_remote_session(
        &self,
        id: i64,
        connection: Option<Connection>,
        probe: &Probe,
    ) -> Result<RemoteSessionView> {
        match connection {
            Some(connection) => undo(connection, probe).await,
            None => {
                // Consented by another process (the CLI, an earlier run):
                // the one-time password it may have set is made useless.
                let cached = self.cache().remote_session(id).await?;
                if let Some(tool) = cached.and_then(|s| s.connect_tool)
                    && let Some(path) = probe.locate(tool).await
                {
                    remote::revoke_password(tool, &path, probe.timeout).await;
                }
            }
        }
        let (_, client, token) = self.signed_in().await?;
        let key = uuid::Uuid::new_v4().to_string();
        let ended = client
            .end_remote_session(&token, id, &RemoteSessionEnd { summary: None }, &key)
            .await?;
        self.cache().put_remote_session(ended.clone()).await?;
        Ok(RemoteSessionView {
            remote_session: ended,
            answer: None,
        })
    }
}

/// The one-time password replaced by one nobody knows; a tool Deskmate
/// started stopped.
async fn undo(connection: Connection, probe: &Probe) {
    if connection.password.is_some() {
        remote::revoke_password(connection.tool, &connection.path, probe.timeout).await;
    }
    if let Some(launched) = connection.launched {
        launched.stop().await;
    }
}

impl Core {
    /// Until when the user said they are ready for remote help now on
    /// ticket `ticket_id` (`None`: not ready), as the helpdesk has it.
    pub async fn ready_now(&self, ticket_id: i64) -> Result<ReadyNow> {
        let (_, client, token) = self.signed_in().await?;
        client.ready_now(&token, ticket_id).await
    }

    /// Says the user is at the computer and ready for remote help on ticket
    /// `ticket_id` for `minutes` (30, 60 or 120), or (`None`) takes it back.
    /// Straight to the helpdesk, not through the outbox: "now" sent later
    /// would be untrue. Offline it fails with `network`.
    pub async fn set_ready_now(&self, ticket_id: i64, minutes: Option<u32>) -> Result<ReadyNow> {
        if let Some(minutes) = minutes {
            ReadyNowRequest { minutes }
                .validate()
                .map_err(CoreError::Invalid)?;
        }
        let (_, client, token) = self.signed_in().await?;
        let key = uuid::Uuid::new_v4().to_string();
        client.set_ready_now(&token, ticket_id, minutes, &key).await
    }
}
