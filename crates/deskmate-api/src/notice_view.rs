//! The provider's requests as the app shows them: the record as the helpdesk
//! last said, with the user's answer applied while it waits in the outbox.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{OrderDelayRequest, OutboxItem, RemoteSession};

/// A remote-session request on a ticket (`remote_sessions`,
/// `remote_session_requests`, `answer_remote_session`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RemoteSessionView {
    /// While `answer` is pending its status is already the answer
    /// (`accepted`, `declined`), shown as "being sent".
    pub remote_session: RemoteSession,
    /// The user's answer not yet accepted by the helpdesk: `pending` (sent
    /// when it can be reached) or `failed` (refused, see its `error`; the
    /// request is then shown as the helpdesk last said). Absent: nothing waits.
    pub answer: Option<OutboxItem>,
}

/// An order-delay information request of the user's organisation
/// (`order_delays`, `answer_order_delay`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrderDelayView {
    /// While `answer` is pending it is already `answered` with the user's
    /// text, shown as "being sent".
    pub order_delay: OrderDelayRequest,
    /// The user's answer not yet accepted by the helpdesk: `pending` or
    /// `failed` (refused, see its `error`). Absent: nothing waits.
    pub answer: Option<OutboxItem>,
}
