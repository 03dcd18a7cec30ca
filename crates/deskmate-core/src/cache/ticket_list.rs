//! The ticket list a page at a time: the rows the window draws and the counts
//! around them, read from the indexes in the list's order (newest activity
//! first, ties by the higher id) so a page costs the same with ten tickets
//! cached or ten thousand.

use deskmate_api::{
    Department, Priority, StatusCount, TICKET_PAGE_MAX, TicketListCursor, TicketListPage,
    TicketListQuery, TicketStatus, TicketSummary,
};
use rusqlite::{Connection, ToSql};

use super::Cache;
use super::marks::{SEEN_BY, UNREAD};
use super::outbox::Account;
use super::tickets::{bad, stamp, timestamp};
use crate::{CoreError, Result};

impl Cache {
    /// One page of the list as `account` sees it (unread marks are theirs;
    /// none without an account), and the counts the window shows.
    pub async fn ticket_page(
        &self,
        account: Option<Account>,
        query: TicketListQuery,
    ) -> Result<TicketListPage> {
        self.call(move |c| {
            // One read transaction: the page and its counts agree.
            let tx = c.transaction()?;
            let page = read_page(&tx, account.as_ref(), &query)?;
            tx.commit()?;
            Ok(page)
        })
        .await
    }
}

fn read_page(
    c: &Connection,
    account: Option<&Account>,
    query: &TicketListQuery,
) -> Result<TicketListPage> {
    let status = query.status.map(TicketStatus::as_str);
    let department = query.department.map(Department::as_str);
    let after_at = query.after.as_ref().map(|a| stamp(&a.updated_at));
    let after_id = query.after.as_ref().map(|a| a.id);
    let limit = query.limit.clamp(1, TICKET_PAGE_MAX);
    // Without an account nothing is unread: the join matches no row and the
    // flag is never set.
    let server_url = account.map(|a| a.server_url.as_str());
    let user_id = account.map(|a| a.user_id);

    let mut filter = String::from("1");
    let mut filter_params: Vec<(&str, &dyn ToSql)> = Vec::new();
    if let Some(status) = &status {
        filter.push_str(" AND t.status = :status");
        filter_params.push((":status", status));
    }
    let mut department_filter = String::from("1");
    if let Some(department) = &department {
        filter.push_str(" AND t.department = :department");
        department_filter.push_str(" AND t.department = :department");
        filter_params.push((":department", department));
    }

    let mut rows_filter = filter.clone();
    let mut rows_params = filter_params.clone();
    if let (Some(at), Some(id)) = (&after_at, &after_id) {
        rows_filter.push_str(" AND (t.updated_at, t.id) < (:after_at, :after_id)");
        rows_params.push((":after_at", at));
        rows_params.push((":after_id", id));
    }
    // One row more than asked says whether there is a next page.
    let fetch = i64::from(limit) + 1;
    rows_params.extend([
        (":server_url", &server_url as &dyn ToSql),
        (":user_id", &user_id),
        (":fetch", &fetch),
    ]);
    let mut stmt = c.prepare_cached(&rows_sql(&rows_filter))?;
    let mut tickets = stmt
        .query_map(rows_params.as_slice(), read_summary)?
        .map(|r| r?)
        .collect::<Result<Vec<_>>>()?;
    let next = if tickets.len() > limit as usize {
        tickets.truncate(limit as usize);
        tickets.last().map(|t| TicketListCursor {
            updated_at: t.updated_at,
            id: t.id,
        })
    } else {
        None
    };

    let matching = count(
        c,
        &format!("SELECT COUNT(*) FROM tickets t WHERE {filter}"),
        filter_params.as_slice(),
    )?;
    let cached = count(c, "SELECT COUNT(*) FROM tickets", &[])?;
    let unread = match (server_url, user_id) {
        (Some(server_url), Some(user_id)) => count(
            c,
            &format!("SELECT COUNT(*) FROM tickets t {SEEN_BY} WHERE {UNREAD}"),
            &[(":server_url", &server_url), (":user_id", &user_id)],
        )?,
        _ => 0,
    };

    let department_params: Vec<(&str, &dyn ToSql)> = match &department {
        Some(department) => vec![(":department", department)],
        None => Vec::new(),
    };
    let mut by_status = Vec::new();
    for status in TicketStatus::ALL {
        let name = status.as_str();
        let mut params = department_params.clone();
        params.push((":status", &name));
        let n = count(
            c,
            &format!(
                "SELECT COUNT(*) FROM tickets t WHERE t.status = :status AND {department_filter}"
            ),
            params.as_slice(),
        )?;
        if n > 0 {
            by_status.push(StatusCount {
                status: *status,
                count: n,
            });
        }
    }

    Ok(TicketListPage {
        tickets,
        next,
        matching,
        cached,
        unread,
        by_status,
    })
}

/// The page's rows: at most `:fetch` of those `filter` keeps, in list order.
fn rows_sql(filter: &str) -> String {
    format!(
        "SELECT t.id, t.subject, t.status, t.department, t.priority, t.requester_name,
                t.updated_at, CASE WHEN :user_id IS NOT NULL AND {UNREAD} THEN 1 ELSE 0 END
         FROM tickets t {SEEN_BY}
         WHERE {filter}
         ORDER BY t.updated_at DESC, t.id DESC
         LIMIT :fetch"
    )
}

fn count(c: &Connection, sql: &str, params: &[(&str, &dyn ToSql)]) -> Result<u32> {
    let n: i64 = c.prepare_cached(sql)?.query_row(params, |r| r.get(0))?;
    u32::try_from(n).map_err(|_| CoreError::Cache(format!("{n} rows do not fit a count")))
}

/// Reads a row; a value this version cannot understand is a cache error, not a panic.
fn read_summary(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<TicketSummary>> {
    let status: String = r.get(2)?;
    let department: String = r.get(3)?;
    let priority: String = r.get(4)?;
    let updated: String = r.get(6)?;
    let parsed = (|| {
        Ok(TicketSummary {
            id: r.get(0)?,
            subject: r.get(1)?,
            status: TicketStatus::parse(&status).ok_or_else(|| bad("status", &status))?,
            department: Department::parse(&department)
                .ok_or_else(|| bad("department", &department))?,
            priority: Priority::parse(&priority).ok_or_else(|| bad("priority", &priority))?,
            requester_name: r.get(5)?,
            updated_at: timestamp(&updated)?,
            unread: r.get::<_, i64>(7)? != 0,
        })
    })();
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use deskmate_api::{AuthorKind, Message, Ticket};

    /// Ticket `id` of `requester_id`, active `minute` minutes into the day;
    /// statuses and departments take turns.
    fn ticket(id: i64, minute: i64, requester_id: i64) -> Ticket {
        let at =
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(minute);
        Ticket {
            id,
            organisation_id: 1,
            requester_id,
            requester_name: "Umberto".into(),
            department: Department::ALL[id as usize % Department::ALL.len()],
            priority: Priority::Regular,
            status: TicketStatus::ALL[id as usize % TicketStatus::ALL.len()],
            subject: format!("ticket {id}"),
            body: "a long description the list never shows".into(),
            details: Default::default(),
            created_at: at,
            updated_at: at,
            expedited: false,
            expedited_at: None,
            availability: None,
        }
    }

    fn me() -> Account {
        Account {
            server_url: "http://helpdesk.test".into(),
            user_id: 7,
        }
    }

    async fn cache_with(tickets: Vec<Ticket>) -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c.sqlite3")).await.unwrap();
        cache.replace_tickets(tickets).await.unwrap();
        (dir, cache)
    }

    fn query(limit: u32) -> TicketListQuery {
        TicketListQuery {
            limit,
            ..Default::default()
        }
    }

    /// Every page from the top, following `next`.
    async fn walk(cache: &Cache, mut q: TicketListQuery) -> (Vec<i64>, usize) {
        let mut ids = Vec::new();
        let mut pages = 0;
        loop {
            let page = cache.ticket_page(Some(me()), q.clone()).await.unwrap();
            pages += 1;
            assert!(page.tickets.len() <= q.limit as usize);
            ids.extend(page.tickets.iter().map(|t| t.id));
            match page.next {
                Some(next) => q.after = Some(next),
                None => return (ids, pages),
            }
        }
    }

    #[tokio::test]
    async fn pages_walk_the_list_newest_first_without_gaps_or_repeats() {
        // Pairs of tickets share a time: the higher id comes first, and a
        // page boundary between the two loses neither.
        let tickets: Vec<Ticket> = (1..=250).map(|id| ticket(id, id / 2, 7)).collect();
        let (_dir, cache) = cache_with(tickets.clone()).await;
        let mut expected: Vec<i64> = (1..=250).collect();
        expected.sort_by_key(|id| std::cmp::Reverse((id / 2, *id)));

        let first = cache.ticket_page(Some(me()), query(100)).await.unwrap();
        assert_eq!(first.tickets.len(), 100);
        assert_eq!((first.matching, first.cached, first.unread), (250, 250, 0));
        assert_eq!(first.tickets[0].id, 250);
        assert_eq!(first.tickets[0].subject, "ticket 250");
        assert_eq!(first.tickets[0].requester_name, "Umberto");
        let last = first.tickets.last().unwrap();
        assert_eq!(
            first.next,
            Some(TicketListCursor {
                updated_at: last.updated_at,
                id: last.id
            })
        );

        for limit in [1, 7, 100, 250] {
            let (ids, pages) = walk(&cache, query(limit)).await;
            assert_eq!(ids, expected, "limit {limit}");
            assert_eq!(pages, 250usize.div_ceil(limit as usize), "limit {limit}");
        }
        // Out-of-range limits are brought into range, never refused.
        let one = cache.ticket_page(None, query(0)).await.unwrap();
        assert_eq!(one.tickets.len(), 1);
        let big = cache.ticket_page(None, query(u32::MAX)).await.unwrap();
        assert_eq!(big.tickets.len(), 250);
        assert_eq!(big.next, None);
    }

    #[tokio::test]
    async fn filters_page_and_count_only_their_tickets() {
        let tickets: Vec<Ticket> = (1..=120).map(|id| ticket(id, id, 7)).collect();
        let (_dir, cache) = cache_with(tickets.clone()).await;
        let closed_billing =
            |t: &&Ticket| t.status == TicketStatus::Closed && t.department == Department::Billing;
        let mut expected: Vec<i64> = tickets
            .iter()
            .filter(closed_billing)
            .map(|t| t.id)
            .collect();
        expected.reverse();
        assert!(expected.len() > 3);

        let q = TicketListQuery {
            status: Some(TicketStatus::Closed),
            department: Some(Department::Billing),
            limit: 3,
            after: None,
        };
        let (ids, _) = walk(&cache, q.clone()).await;
        assert_eq!(ids, expected);
        let page = cache.ticket_page(Some(me()), q).await.unwrap();
        assert_eq!(page.matching as usize, expected.len());
        assert_eq!(page.cached, 120);
        assert!(
            page.tickets.iter().all(|t| {
                t.status == TicketStatus::Closed && t.department == Department::Billing
            })
        );

        // Counts per status follow the department filter, not the status filter.
        let per_status = |department: Option<Department>| {
            TicketStatus::ALL
                .iter()
                .filter_map(|s| {
                    let n = tickets
                        .iter()
                        .filter(|t| t.status == *s && department.is_none_or(|d| t.department == d))
                        .count() as u32;
                    (n > 0).then_some(StatusCount {
                        status: *s,
                        count: n,
                    })
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(page.by_status, per_status(Some(Department::Billing)));
        let all = cache.ticket_page(None, query(1)).await.unwrap();
        assert_eq!(all.by_status, per_status(None));
        assert_eq!(all.by_status.iter().map(|s| s.count).sum::<u32>(), 120);

        // A filter nothing matches: an empty page, still the cache's count.
        cache.replace_tickets(vec![ticket(4, 1, 7)]).await.unwrap();
        let none = cache
            .ticket_page(
                None,
                TicketListQuery {
                    status: Some(TicketStatus::Resolved),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(none.tickets.is_empty());
        assert_eq!((none.matching, none.cached, none.next), (0, 1, None));
    }

    #[tokio::test]
    async fn rows_carry_the_accounts_unread_marks() {
        // 1: mine, answered by the provider; 2: a colleague's, never opened; 3: mine, quiet.
        let (_dir, cache) =
            cache_with(vec![ticket(1, 1, 7), ticket(2, 2, 8), ticket(3, 3, 7)]).await;
        let answer = Message {
            id: 50,
            ticket_id: 1,
            author_id: 9,
            author_name: "Agnese".into(),
            author_kind: AuthorKind::Agent,
            body: "done".into(),
            internal: false,
            created_at: Utc::now(),
        };
        cache
            .call(move |c| super::super::messages::upsert_message(c, &answer))
            .await
            .unwrap();
        let marks = |page: &TicketListPage| {
            page.tickets
                .iter()
                .map(|t| (t.id, t.unread))
                .collect::<Vec<_>>()
        };

        let page = cache.ticket_page(Some(me()), query(10)).await.unwrap();
        assert_eq!(marks(&page), vec![(3, false), (2, true), (1, true)]);
        assert_eq!(page.unread, 2);
        // The same as the id list the core gives (Cache::unread).
        assert_eq!(cache.unread(me()).await.unwrap(), vec![1, 2]);

        cache.mark_seen(me(), 1).await.unwrap();
        let page = cache.ticket_page(Some(me()), query(10)).await.unwrap();
        assert_eq!(marks(&page), vec![(3, false), (2, true), (1, false)]);
        assert_eq!(page.unread, 1);

        // Nobody signed in: nothing is marked.
        let page = cache.ticket_page(None, query(10)).await.unwrap();
        assert_eq!(marks(&page), vec![(3, false), (2, false), (1, false)]);
        assert_eq!(page.unread, 0);
    }

    #[tokio::test]
    async fn each_filter_reads_its_index_in_list_order() {
        let (_dir, cache) = cache_with(vec![ticket(1, 1, 7)]).await;
        let plan = |sql: String| {
            cache.call(move |c| {
                let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                // Named parameters, bound by position; their values do not change the plan.
                let unbound = vec![rusqlite::types::Null; stmt.parameter_count()];
                let rows = stmt.query_map(rusqlite::params_from_iter(unbound), |r| {
                    r.get::<_, String>(3)
                })?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.join("; "))
            })
        };
        for (filter, index) in [
            ("1", "tickets_by_activity"),
            ("1 AND t.status = :status", "tickets_by_status"),
            ("1 AND t.department = :department", "tickets_by_department"),
            (
                "1 AND t.status = :status AND (t.updated_at, t.id) < (:after_at, :after_id)",
                "tickets_by_status",
            ),
            (
                "1 AND (t.updated_at, t.id) < (:after_at, :after_id)",
                "tickets_by_activity",
            ),
        ] {
            let plan = plan(rows_sql(filter)).await.unwrap();
            let outer = plan.split("CORRELATED").next().unwrap_or_default();
            assert!(outer.contains(index), "{filter}: {plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{filter} sorts: {plan}");
        }
    }
}
