//! Query strings of the list routes: decoded pairs with unknown names
//! refused, page sizes, and opaque keyset cursors.

use deskmate_api::{Department, TicketStatus};

use crate::error::{ApiError, ApiResult};

/// Tickets per page of `GET /api/v1/tickets` when the client does not say.
pub const TICKET_PAGE_DEFAULT: i64 = 100;
/// The most tickets one page holds.
pub const TICKET_PAGE_MAX: i64 = 500;
/// The longest search text, in characters.
pub const SEARCH_MAX_CHARS: usize = 200;

/// What `GET /api/v1/tickets` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketFilter {
    /// Any of these (none: any status).
    pub statuses: Vec<TicketStatus>,
    /// Any of these (none: any department).
    pub departments: Vec<Department>,
    /// Words to find in the subject, the description or a visible message.
    pub text: Option<String>,
    pub after: Keyset,
    pub limit: i64,
}

impl TicketFilter {
    /// From the query string: `status` and `department` (repeatable or comma
    /// lists), `q`, `limit` and `cursor`.
    pub fn from_query(raw: Option<&str>) -> ApiResult<Self> {
        let mut filter = Self {
            statuses: Vec::new(),
            departments: Vec::new(),
            text: None,
            after: Keyset::START,
            limit: TICKET_PAGE_DEFAULT,
        };
        let known = ["status", "department", "q", "limit", "cursor"];
        for (key, value) in pairs(raw, &known)? {
            match key.as_str() {
                "status" => {
                    let allowed: Vec<&str> = TicketStatus::ALL.iter().map(|s| s.as_str()).collect();
                    one_of(
                        "status",
                        &value,
                        TicketStatus::parse,
                        &allowed,
                        &mut filter.statuses,
                    )?;
                }
                "department" => {
                    let allowed: Vec<&str> = Department::ALL.iter().map(|d| d.as_str()).collect();
                    one_of(
                        "department",
                        &value,
                        Department::parse,
                        &allowed,
                        &mut filter.departments,
                    )?;
                }
                "q" => {
                    let text = value.trim();
                    if text.chars().count() > SEARCH_MAX_CHARS {
                        return Err(ApiError::validation(format!(
                            "the search text must be at most {SEARCH_MAX_CHARS} characters"
                        )));
                    }
                    filter.text = Some(text.to_owned()).filter(|t| !t.is_empty());
                }
                "limit" => filter.limit = limit(&value, TICKET_PAGE_MAX)?,
                _ => filter.after = Keyset::decode(&value)?,
            }
        }
        Ok(filter)
    }
}

/// The decoded `name=value` pairs of a query string, in order (a name may
/// repeat); a name outside `known` is a 400 that lists the known ones.
pub fn pairs(raw: Option<&str>, known: &[&str]) -> ApiResult<Vec<(String, String)>> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if let Some((unknown, _)) = pairs.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        return Err(ApiError::bad_request(format!(
            "unknown parameter {unknown:?}: use {}",
            known.join(", ")
        )));
    }
    Ok(pairs)
}

/// A page size from 1 to `max`.
pub fn limit(value: &str, max: i64) -> ApiResult<i64> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| ApiError::bad_request(format!("limit must be a number from 1 to {max}")))
}

/// Where a page ends in a list ordered by (`at` descending, `id`
/// descending): the next page holds the rows strictly after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keyset {
    pub at: i64,
    pub id: i64,
}

impl Keyset {
    /// Before the first row: every row comes after it.
    pub const START: Self = Self {
        at: i64::MAX,
        id: i64::MAX,
    };

    /// The cursor as clients see it: 32 hex digits, not to be taken apart.
    pub fn encode(self) -> String {
        format!(
            "{:016x}{:016x}",
            self.at.cast_unsigned(),
            self.id.cast_unsigned()
        )
    }

    /// The inverse of [`Self::encode`]; anything else is a 400.
    pub fn decode(cursor: &str) -> ApiResult<Self> {
        let bad = || ApiError::bad_request("cursor is not one this server handed out");
        let cursor = cursor.trim();
        if cursor.len() != 32 || !cursor.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let (at, id) = cursor.split_at(16);
        let part = |hex: &str| u64::from_str_radix(hex, 16).map(u64::cast_signed);
        Ok(Self {
            at: part(at).map_err(|_| bad())?,
            id: part(id).map_err(|_| bad())?,
        })
    }
}

/// The first `limit` of `rows` (fetched with one more than `limit`) and the
/// cursor of the next page, if there is one.
pub fn page<T>(
    mut rows: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> Keyset,
) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(0);
    if rows.len() <= limit {
        return (rows, None);
    }
    rows.truncate(limit);
    let next = rows.last().map(|last| key(last).encode());
    (rows, next)
}

/// Values of a repeatable parameter, also given as a comma list; each must
/// be one of `parse`'s, else a 422 naming the allowed ones.
pub fn one_of<T: PartialEq>(
    name: &str,
    value: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &[&str],
    into: &mut Vec<T>,
) -> ApiResult<()> {
    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let parsed = parse(item).ok_or_else(|| {
            ApiError::validation(format!(
                "unknown {name} {item:?}: use one of {}",
                allowed.join(", ")
            ))
        })?;
        if !into.contains(&parsed) {
            into.push(parsed);
        }
    }
    Ok(())
}

/// `text` for a `LIKE ... ESCAPE '\'` that matches it anywhere, ASCII
/// letters lower-cased (the columns are compared lower-cased the same way).
pub fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c.to_ascii_lowercase());
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_filters_read_lists_and_refuse_bad_values() {
        let f = TicketFilter::from_query(Some(
            "status=open,resolved&status=open&department=billing&q=+502+&limit=2",
        ))
        .unwrap();
        assert_eq!(f.statuses, vec![TicketStatus::Open, TicketStatus::Resolved]);
        assert_eq!(f.departments, vec![Department::Billing]);
        assert_eq!(f.text.as_deref(), Some("502"));
        assert_eq!((f.limit, f.after), (2, Keyset::START));
        let none = TicketFilter::from_query(None).unwrap();
        assert_eq!((none.limit, none.text), (TICKET_PAGE_DEFAULT, None));
        for bad in [
            "status=lost",
            "department=sales",
            "limit=0",
            "limit=501",
            "cursor=x",
            "page=2",
        ] {
            assert!(TicketFilter::from_query(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        for key in [
            Keyset::START,
            Keyset {
                at: 1_764_000_000_000,
                id: 42,
            },
        ] {
            assert_eq!(Keyset::decode(&key.encode()).unwrap(), key);
        }
        for bad in [
            "",
            "12",
            "zz000000000000000000000000000000",
            "0000000000000000000000000000000g",
        ] {
            assert!(Keyset::decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pages_end_where_the_rows_do() {
        let key = |n: &i64| Keyset { at: *n, id: *n };
        assert_eq!(page(vec![3, 2], 2, key), (vec![3, 2], None));
        let (rows, next) = page(vec![3, 2, 1], 2, key);
        assert_eq!(rows, vec![3, 2]);
        assert_eq!(Keyset::decode(&next.unwrap()).unwrap(), key(&2));
    }

    #[test]
    fn patterns_match_literally() {
        assert_eq!(contains_pattern("50% Off_\\"), "%50\\% off\\_\\\\%");
        assert_eq!(contains_pattern("ČO"), "%Čo%");
    }

    #[test]
    fn unknown_parameters_are_refused_and_values_decoded() {
        let got = pairs(Some("q=bad+gateway&status=open%2Cclosed"), &["q", "status"]).unwrap();
        assert_eq!(got[0], ("q".to_owned(), "bad gateway".to_owned()));
        assert_eq!(got[1].1, "open,closed");
        assert!(pairs(Some("colour=red"), &["q"]).is_err());
        assert!(pairs(None, &["q"]).unwrap().is_empty());
    }
}
