//! `GET /api/v1/tickets`: one page of the tickets a viewer may see, filtered
//! by status, department and text, newest activity first.
//!
//! The text is found with `LIKE` over lower-cased columns. Only ASCII letters
//! are lower-cased, on both engines (SQLite's `LOWER` does no more, and
//! PostgreSQL's does no more under the "C" collation), so both answer alike.

use deskmate_api::{Role, Ticket};

use super::sql::sql;
use super::{Columns, Db, Pool, User, scope_params, ticket_from_row};
use crate::error::ApiResult;
use crate::query::{Keyset, TicketFilter, contains_pattern, page};

/// The list query; `$lower` and `$close` wrap a column in the engine's
/// ASCII-only lower-casing.
macro_rules! ticket_page {
    ($lower:literal, $close:literal) => {
        concat!(
            ticket_query!(""),
            "WHERE ($1 = 'all' OR ($1 = 'org' AND t.organisation_id = $2) ",
            "OR ($1 = 'own' AND t.requester_id = $2)) ",
            // Comma-wrapped lists of wire spellings, '' for any.
            "AND ($3 = '' OR $3 LIKE ('%,' || t.status || ',%')) ",
            "AND ($4 = '' OR $4 LIKE ('%,' || t.department || ',%')) ",
            "AND ($5 = '' OR ",
            $lower,
            "t.subject",
            $close,
            " LIKE $5 ESCAPE '\\' OR ",
            $lower,
            "t.body",
            $close,
            " LIKE $5 ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages m ",
            "WHERE m.ticket_id = t.id AND (NOT m.internal OR $6) AND ",
            $lower,
            "m.body",
            $close,
            " LIKE $5 ESCAPE '\\')) ",
            "AND (t.updated_ms < $7 OR (t.updated_ms = $7 AND t.id < $8)) ",
            "ORDER BY t.updated_ms DESC, t.id DESC LIMIT $9"
        )
    };
}

const SQLITE_PAGE: &str = ticket_page!("LOWER(", ")");
const POSTGRES_PAGE: &str = ticket_page!("LOWER((", ") COLLATE \"C\")");

/// `,a,b,` for a `LIKE '%,x,%'` test; empty for "any".
fn comma_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let joined = items.collect::<Vec<_>>().join(",");
    if joined.is_empty() {
        joined
    } else {
        format!(",{joined},")
    }
}

impl Db {
    /// One page of what `filter` asks for among the tickets `viewer` may
    /// see (internal notes are searched for agents only), and the cursor of
    /// the next page.
    pub async fn ticket_page(
        &self,
        viewer: &User,
        filter: &TicketFilter,
    ) -> ApiResult<(Vec<Ticket>, Option<String>)> {
        let (kind, id) = scope_params(viewer.ticket_scope());
        let statuses = comma_list(filter.statuses.iter().map(|s| s.as_str()));
        let departments = comma_list(filter.departments.iter().map(|d| d.as_str()));
        let text = filter
            .text
            .as_deref()
            .map(contains_pattern)
            .unwrap_or_default();
        let with_internal = viewer.role == Role::Agent;
        let statement = match self.pool {
            Pool::Sqlite(_) => SQLITE_PAGE,
            Pool::Postgres(_) => POSTGRES_PAGE,
        };
        let rows = self
            .fetch_all(
                sql(statement)
                    .bind(kind)
                    .bind(id)
                    .bind(statuses)
                    .bind(departments)
                    .bind(text)
                    .bind(with_internal)
                    .bind(filter.after.at)
                    .bind(filter.after.id)
                    .bind(filter.limit + 1),
            )
            .await?;
        let rows = rows
            .iter()
            .map(|r| Ok((r.int("updated_ms")?, ticket_from_row(r)?)))
            .collect::<ApiResult<Vec<_>>>()?;
        let (rows, next) = page(rows, filter.limit, |(at, t)| Keyset { at: *at, id: t.id });
        Ok((rows.into_iter().map(|(_, t)| t).collect(), next))
    }
}
