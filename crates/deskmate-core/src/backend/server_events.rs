//! deskmate-server's `/api/v1/events` stream read as [`Change`]s.

use async_trait::async_trait;
use reqwest::Response;

use super::sse::{SseEvent, SseParser};
use super::{Change, ChangeFeed, ChangeKind};
use crate::{CoreError, Result};

/// deskmate-server's `/api/v1/events` as a [`ChangeFeed`].
pub(super) struct EventStream {
    response: Response,
    parser: SseParser,
    base: String,
}

impl EventStream {
    pub(super) fn new(response: Response, base: String) -> Self {
        Self {
            response,
            parser: SseParser::default(),
            base,
        }
    }
}

#[async_trait]
impl ChangeFeed for EventStream {
    async fn next(&mut self) -> Result<Option<Vec<Change>>> {
        let chunk = match self.response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => return Ok(None),
            Err(e) => {
                return Err(CoreError::Network {
                    url: format!("{} ({e})", self.base),
                });
            }
        };
        Ok(Some(
            self.parser
                .push(&chunk)
                .iter()
                .filter_map(change_of)
                .collect(),
        ))
    }
}

/// The data of a `change` event: `{"seq", "kind", "id", "ticket_id"}`.
#[derive(serde::Deserialize)]
struct ChangeData {
    kind: String,
    id: Option<i64>,
    ticket_id: Option<i64>,
}

/// What an SSE event announces; `None` for events that announce nothing.
/// A `change` whose data cannot be read still is a change.
fn change_of(event: &SseEvent) -> Option<Change> {
    match event.event.as_str() {
        "change" => Some(match serde_json::from_str::<ChangeData>(&event.data) {
            Ok(data) => Change::Record {
                kind: ChangeKind::parse(&data.kind),
                id: data.id,
                ticket_id: data.ticket_id,
            },
            Err(_) => Change::Resync,
        }),
        "resync" => Some(Change::Resync),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_and_resync_is_announced_heartbeats_are_not() {
        let mut parser = SseParser::default();
        let events = parser.push(
            b": keep-alive\n\n\
              event: change\nid: 9\ndata: {\"seq\":9,\"kind\":\"remote_session\",\"id\":4,\"ticket_id\":2}\n\n\
              event: change\nid: 10\ndata: {\"seq\":10,\"kind\":\"order_delay\",\"id\":3}\n\n\
              event: change\nid: 11\ndata: {\"seq\":11,\"kind\":\"announcement\",\"id\":1}\n\n\
              event: change\ndata: not json\n\n\
              event: resync\ndata: {}\n\n\
              event: hello\ndata: {}\n\n",
        );
        let changes: Vec<Change> = events.iter().filter_map(change_of).collect();
        assert_eq!(
            changes,
            [
                Change::Record {
                    kind: ChangeKind::RemoteSession,
                    id: Some(4),
                    ticket_id: Some(2)
                },
                Change::Record {
                    kind: ChangeKind::OrderDelay,
                    id: Some(3),
                    ticket_id: None
                },
                Change::Record {
                    kind: ChangeKind::Announcement,
                    id: Some(1),
                    ticket_id: None
                },
                Change::Resync,
                Change::Resync,
            ]
        );
    }
}
