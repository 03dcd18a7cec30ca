//! When the outbox's next try is due, and making tries that waited for an
//! unreachable helpdesk due at once when it answers again.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::tickets::{stamp, timestamp};
use super::{Account, Cache};
use crate::Result;

impl Cache {
    /// When the account's oldest pending item (the only one the outbox sends
    /// next) is due again; `None` when nothing is pending.
    pub async fn next_retry_at(&self, account: Account) -> Result<Option<DateTime<Utc>>> {
        self.call(move |c| {
            let due: Option<String> = c
                .query_row(
                    "SELECT next_attempt_at FROM outbox
                     WHERE server_url = ?1 AND user_id = ?2 AND state = 'pending'
                     ORDER BY id LIMIT 1",
                    params![account.server_url, account.user_id],
                    |r| r.get(0),
                )
                .optional()?;
            due.map(|d| timestamp(&d)).transpose()
        })
        .await
    }

    /// Makes the account's pending items whose last try could not reach the
    /// helpdesk due now (it has just answered); returns how many waited.
    pub async fn wake_unreachable(&self, account: Account) -> Result<usize> {
        let now = stamp(&Utc::now());
        self.call(move |c| {
            Ok(c.execute(
                "UPDATE outbox SET next_attempt_at = ?3
                 WHERE server_url = ?1 AND user_id = ?2 AND state = 'pending'
                   AND error_code = 'network' AND next_attempt_at > ?3",
                params![account.server_url, account.user_id, now],
            )?)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use deskmate_api::{ErrorCode, ErrorResponse, NewMessage};

    use super::*;
    use crate::cache::{Attempt, Write};

    fn account() -> Account {
        Account {
            server_url: "http://helpdesk".into(),
            user_id: 7,
        }
    }

    fn reply(body: &str) -> Write {
        Write::Reply {
            ticket_id: 1,
            message: NewMessage {
                body: body.into(),
                internal: false,
            },
        }
    }

    #[tokio::test]
    async fn only_tries_that_could_not_reach_the_helpdesk_are_woken() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c.sqlite3")).await.unwrap();
        assert_eq!(cache.next_retry_at(account()).await.unwrap(), None);
        let later = Utc::now() + chrono::Duration::minutes(5);
        let mut ids = Vec::new();
        for (body, code) in [("a", ErrorCode::Internal), ("b", ErrorCode::Network)] {
            let item = cache.queue(account(), reply(body)).await.unwrap();
            let error = ErrorResponse::new(code, "no");
            let attempt = Attempt::Postponed {
                error,
                retry_at: later,
            };
            cache.record_attempt(item.local_id, attempt).await.unwrap();
            ids.push(item.local_id);
        }
        let due = cache.next_retry_at(account()).await.unwrap().unwrap();
        assert!(due > Utc::now() + chrono::Duration::minutes(4), "{due}");
        // The helpdesk's own failure keeps its pace; the unreachable one is due.
        assert_eq!(cache.wake_unreachable(account()).await.unwrap(), 1);
        assert_eq!(cache.next_retry_at(account()).await.unwrap(), Some(due));
        cache.discard_item(ids[0]).await.unwrap();
        let due = cache.next_retry_at(account()).await.unwrap().unwrap();
        assert!(due <= Utc::now(), "{due}");
        let other = Account {
            user_id: 8,
            ..account()
        };
        assert_eq!(cache.next_retry_at(other).await.unwrap(), None);
    }
}
