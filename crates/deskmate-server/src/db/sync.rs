//! Delta sync: every change a viewer may see after a cursor, of every kind,
//! in change order.

use deskmate_api::DeletionKind;

use super::announcements::{SYNC_ANNOUNCEMENTS, SYNC_DELETIONS, announcement_from_row};
use super::order_delays::{SYNC_ORDER_DELAYS, order_delay_from_row};
use super::remote_sessions::{SYNC_REMOTE_SESSIONS, remote_session_from_row};
use super::sql::Sql;
use super::*;

impl Db {
    /// What `viewer` may see that changed after `cursor`: at most `limit`
    /// changes of every kind together, oldest change first.
    pub async fn changes_since(
        &self,
        viewer: &User,
        cursor: i64,
        limit: i64,
    ) -> ApiResult<SyncPage> {
        let (kind, id) = scope_params(viewer.ticket_scope());
        let with_internal = viewer.role == Role::Agent;
        // One more than asked says whether more wait.
        let fetch = limit + 1;
        // Only what is committed: a change numbered below one that is
        // handed out now must not show up later, behind the cursor.
        let high = self.fetch_one(sql(LAST_CHANGE)).await?.int("seq")?;
        let tickets = sql(SYNC_TICKETS)
            .bind(kind)
            .bind(id)
            .bind(cursor)
            .bind(high)
            .bind(fetch);
        let mut changes = self
            .numbered(tickets, |r| {
                Ok(Change::Ticket(Box::new(ticket_from_row(r)?)))
            })
            .await?;
        let messages = sql(SYNC_MESSAGES)
            .bind(kind)
            .bind(id)
            .bind(with_internal)
            .bind(cursor)
            .bind(high)
            .bind(fetch);
        changes.extend(
            self.numbered(messages, |r| Ok(Change::Message(message_from_row(r)?)))
                .await?,
        );
        changes.extend(
            self.attachments_changed((kind, id), with_internal, (cursor, high), fetch)
                .await?
                .into_iter()
                .map(|(seq, a)| (seq, Change::Attachment(a))),
        );
        changes.extend(self.notice_changes(viewer, cursor, high, fetch).await?);
        Ok(merge_changes(changes, cursor, limit))
    }

    /// Changes of announcements, remote sessions, order delays and
    /// deletions that `viewer` may see, numbered in (`cursor`, `high`]: at
    /// most `fetch` of each kind, oldest first.
    async fn notice_changes(
        &self,
        viewer: &User,
        cursor: i64,
        high: i64,
        fetch: i64,
    ) -> ApiResult<Vec<(i64, Change)>> {
        let (is_agent, org) = org_params(viewer);
        let (scope, scope_id) = scope_params(viewer.ticket_scope());
        // Every sync query: the viewer's two parameters, then the window.
        let page = |text: &'static str, a: Arg, b: Arg| {
            sql(text)
                .bind(a)
                .bind(b)
                .bind(cursor)
                .bind(high)
                .bind(fetch)
        };
        let rows = self
            .fetch_all(page(SYNC_ANNOUNCEMENTS, is_agent.into(), org.into()))
            .await?;
        let mut announcements = rows
            .iter()
            .map(announcement_from_row)
            .collect::<ApiResult<Vec<_>>>()?;
        self.name_services(viewer, &mut announcements).await?;
        let mut changes = rows
            .iter()
            .zip(announcements)
            .map(|(r, a)| Ok((r.int("change_seq")?, Change::Announcement(a))))
            .collect::<ApiResult<Vec<_>>>()?;
        let sessions = page(SYNC_REMOTE_SESSIONS, scope.into(), scope_id.into());
        changes.extend(
            self.numbered(sessions, |r| {
                Ok(Change::RemoteSession(remote_session_from_row(r)?.0))
            })
            .await?,
        );
        changes.extend(
            self.numbered(page(SYNC_ORDER_DELAYS, is_agent.into(), org.into()), |r| {
                Ok(Change::OrderDelay(order_delay_from_row(r)?))
            })
            .await?,
        );
        changes.extend(
            self.numbered(page(SYNC_DELETIONS, is_agent.into(), org.into()), |r| {
                let kind = r.text("kind")?;
                Ok(Change::Deleted(Deletion {
                    kind: stored("deletion kind", &kind, DeletionKind::parse(&kind))?,
                    id: r.int("record_id")?,
                }))
            })
            .await?,
        );
        Ok(changes)
    }

    /// The rows of sync query `query`, each as its change number and `change`.
    async fn numbered(
        &self,
        query: Sql,
        change: impl Fn(&Row) -> ApiResult<Change>,
    ) -> ApiResult<Vec<(i64, Change)>> {
        let rows = self.fetch_all(query).await?;
        rows.iter()
            .map(|r| Ok((r.int("change_seq")?, change(r)?)))
            .collect()
    }
}

/// One row of the sync feed.
enum Change {
    Ticket(Box<Ticket>),
    Message(Message),
    Attachment(Attachment),
    Announcement(Announcement),
    RemoteSession(RemoteSession),
    OrderDelay(OrderDelayRequest),
    Deleted(Deletion),
}

/// The first `limit` changes in change order, the cursor after the last one
/// taken, and whether any were left. Each kind's list holds its first
/// `limit + 1` changes after the cursor, so none of the first `limit` of
/// all is missing.
fn merge_changes(mut changes: Vec<(i64, Change)>, cursor: i64, limit: i64) -> SyncPage {
    changes.sort_by_key(|(seq, _)| *seq);
    let limit = usize::try_from(limit).unwrap_or(0);
    let mut page = SyncPage::empty(cursor);
    page.more = changes.len() > limit;
    for (seq, change) in changes.into_iter().take(limit) {
        page.cursor = seq;
        match change {
            Change::Ticket(t) => page.tickets.push(*t),
            Change::Message(m) => page.messages.push(m),
            Change::Attachment(a) => page.attachments.push(a),
            Change::Announcement(a) => page.announcements.push(a),
            Change::RemoteSession(r) => page.remote_sessions.push(r),
            Change::OrderDelay(d) => page.order_delays.push(d),
            Change::Deleted(d) => page.deleted.push(d),
        }
    }
    page
}
