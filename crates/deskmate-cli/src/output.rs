//! How tickets look on a terminal.
//!
//! Text from the helpdesk is not trusted to be terminal-safe: control
//! characters (escape sequences, carriage returns) are replaced before printing.

use std::io::{self, Write};

use chrono::{DateTime, Local, SecondsFormat, Utc};
use deskmate_api::{
    SNIPPET_MARK_END, SNIPPET_MARK_START, SearchHit, Ticket, TicketAttachment, TicketView,
};

/// RFC 3339 in the local time zone, to the second.
pub fn local_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// `s` on one line: every control character (newlines included) becomes a space.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `s` keeping its line breaks and tabs; other control characters become a space.
pub fn multi_line(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// One row per ticket: id, status, department, priority, updated, subject.
pub fn table(out: &mut impl Write, tickets: &[Ticket]) -> io::Result<()> {
    if tickets.is_empty() {
        return writeln!(out, "No tickets in the local cache (run `deskmate sync`).");
    }
    let header = [
        "ID",
        "STATUS",
        "DEPARTMENT",
        "PRIORITY",
        "UPDATED",
        "SUBJECT",
    ];
    let rows: Vec<[String; 6]> = tickets
        .iter()
        .map(|t| {
            [
                t.id.to_string(),
                t.status.as_str().to_owned(),
                t.department.as_str().to_owned(),
                t.priority.as_str().to_owned(),
                local_time(t.updated_at),
                one_line(&t.subject),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let header = header.map(str::to_owned);
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
            if i == 0 {
                // Numbers read best right-aligned.
                line.push_str(&format!("{cell:>width$}"));
            } else if i == row.len() - 1 {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}"));
            }
            if i + 1 < row.len() {
                line.push_str("  ");
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Search hits, best first: id, status and subject, then the snippet with
/// the matched words in [brackets].
pub fn hits(out: &mut impl Write, hits: &[SearchHit]) -> io::Result<()> {
    if hits.is_empty() {
        return writeln!(out, "No tickets match.");
    }
    let id_width = hits
        .iter()
        .map(|h| h.ticket.id.to_string().len())
        .max()
        .unwrap_or(0);
    let status_width = hits
        .iter()
        .map(|h| h.ticket.status.as_str().len())
        .max()
        .unwrap_or(0);
    for hit in hits {
        let t = &hit.ticket;
        writeln!(
            out,
            "{:>id_width$}  {:<status_width$}  {}",
            t.id,
            t.status.as_str(),
            one_line(&t.subject)
        )?;
        let snippet = hit
            .snippet
            .replace(SNIPPET_MARK_START, "[")
            .replace(SNIPPET_MARK_END, "]");
        writeln!(
            out,
            "{:id_width$}  {}",
            "",
            one_line(&snippet)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        )?;
    }
    Ok(())
}

/// Every field of one ticket, then its description.
pub fn details(out: &mut impl Write, t: &Ticket) -> io::Result<()> {
    writeln!(out, "Ticket #{}: {}", t.id, one_line(&t.subject))?;
    writeln!(out, "Status:       {}", t.status)?;
    writeln!(out, "Department:   {}", t.department)?;
    writeln!(out, "Priority:     {}", t.priority)?;
    if t.expedited {
        let since = t
            .expedited_at
            .map(|at| format!(" since {}", local_time(at)))
            .unwrap_or_default();
        writeln!(out, "Expedited:    yes{since}")?;
    }
    writeln!(
        out,
        "Requester:    {} (user #{})",
        one_line(&t.requester_name),
        t.requester_id
    )?;
    writeln!(out, "Organisation: #{}", t.organisation_id)?;
    writeln!(out, "Created:      {}", local_time(t.created_at))?;
    writeln!(out, "Updated:      {}", local_time(t.updated_at))?;
    let d = &t.details;
    let lines = [
        ("Service:      ", d.affected_service.as_deref()),
        ("Reference:    ", d.reference.as_deref()),
        ("Time zone:    ", d.incident_time_zone.as_deref()),
    ];
    if let Some(at) = d.incident_started_at {
        writeln!(out, "Started:      {}", local_time(at))?;
    }
    for (label, value) in lines {
        if let Some(v) = value {
            writeln!(out, "{label}{}", one_line(v))?;
        }
    }
    for (label, value) in [
        ("Error message", d.error_message.as_deref()),
        ("Steps", d.steps.as_deref()),
        ("Already tried", d.tried.as_deref()),
    ] {
        if let Some(v) = value {
            writeln!(out)?;
            writeln!(out, "{label}:")?;
            writeln!(out, "{}", multi_line(v).trim_end())?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", multi_line(&t.body).trim_end())
}

/// The messages after the description, then what waits to be sent.
pub fn conversation(out: &mut impl Write, view: &TicketView) -> io::Result<()> {
    for m in &view.messages {
        writeln!(out)?;
        writeln!(
            out,
            "--- {} ({}), {}",
            one_line(&m.author_name),
            m.author_kind,
            local_time(m.created_at)
        )?;
        writeln!(out, "{}", multi_line(&m.body).trim_end())?;
    }
    for item in &view.pending {
        writeln!(out)?;
        writeln!(
            out,
            "--- not sent yet (pending:{}, {})",
            item.local_id, item.state
        )?;
        writeln!(
            out,
            "{}",
            multi_line(item.text.as_deref().unwrap_or_default()).trim_end()
        )?;
    }
    attachments(out, &view.attachments)?;
    if !view.online {
        writeln!(out)?;
        writeln!(
            out,
            "(the helpdesk could not be reached: this is the cached conversation)"
        )?;
    }
    Ok(())
}

/// The ticket's files: id (for `attachment get`), kind, size, name, and
/// whether it is sent or waits in the outbox.
pub fn attachments(out: &mut impl Write, files: &[TicketAttachment]) -> io::Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "Attachments:")?;
    for file in files {
        match file {
            TicketAttachment::Sent(a) => {
                let kind = a.content_type.split(';').next().unwrap_or_default();
                writeln!(
                    out,
                    "  {:>6}  sent     {:<16}  {:>10}  {}",
                    a.id,
                    one_line(kind),
                    size(a.size_bytes),
                    one_line(&a.file_name)
                )?;
            }
            TicketAttachment::Pending(p) => writeln!(
                out,
                "  {:>6}  pending  {:<16}  {:>10}  {}  (pending:{})",
                "-",
                p.kind.content_type().split(';').next().unwrap_or_default(),
                size(p.size_bytes),
                one_line(&p.file_name),
                p.local_id
            )?,
        }
    }
    Ok(())
}

/// Bytes in the largest unit that keeps a whole number in front.
fn size(bytes: i64) -> String {
    deskmate_core::shown_size(u64::try_from(bytes).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use deskmate_api::{Department, Priority, TicketStatus};

    use super::*;

    fn ticket(id: i64, subject: &str) -> Ticket {
        let at = DateTime::parse_from_rfc3339("2025-01-02T03:04:05Z")
            .unwrap()
            .with_timezone(&Utc);
        Ticket {
            id,
            organisation_id: 1,
            requester_id: 2,
            requester_name: "Ann".into(),
            department: Department::Billing,
            priority: Priority::High,
            status: TicketStatus::WaitingForCustomer,
            subject: subject.into(),
            body: "line 1\r\nline 2\x1b[31m".into(),
            details: Default::default(),
            created_at: at,
            updated_at: at,
            expedited: false,
            expedited_at: None,
            availability: None,
        }
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(one_line("a\nb\x1b[2Jc"), "a b [2Jc");
        assert_eq!(multi_line("a\r\nb\tc\x07"), "a\nb\tc ");
    }

    #[test]
    fn table_aligns_columns() {
        let mut out = Vec::new();
        table(
            &mut out,
            &[ticket(7, "Mail\ndown"), ticket(1234, "Invoice")],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("  ID  STATUS"), "{text}");
        assert!(lines[1].starts_with("   7  waiting_for_customer  billing"));
        assert!(lines[1].ends_with("Mail down"), "{text}");
        let subject_column = lines[0].find("SUBJECT").unwrap();
        assert_eq!(lines[2].find("Invoice"), Some(subject_column));
    }

    #[test]
    fn hits_show_the_match_in_brackets_on_safe_lines() {
        let mut out = Vec::new();
        let hit = |id, snippet: &str| SearchHit {
            ticket: ticket(id, "Mail\ndown"),
            snippet: snippet.into(),
        };
        hits(
            &mut out,
            &[
                hit(7, "\u{2}quota\u{3} of\n 10 GB\x1b[2J"),
                hit(1234, "…the \u{2}quota\u{3}…"),
            ],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert_eq!(lines[0], "   7  waiting_for_customer  Mail down");
        assert_eq!(lines[1], "      [quota] of 10 GB [2J");
        assert!(lines[2].starts_with("1234  waiting_for_customer"), "{text}");
        assert_eq!(lines[3], "      …the [quota]…");
        let mut out = Vec::new();
        hits(&mut out, &[]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "No tickets match.\n");
    }

    #[test]
    fn attachments_show_state_kind_size_and_a_safe_name() {
        use deskmate_api::{Attachment, AttachmentKind, AuthorKind, PendingFile};
        let at = DateTime::parse_from_rfc3339("2025-01-02T03:04:05Z")
            .unwrap()
            .with_timezone(&Utc);
        let sent = TicketAttachment::Sent(Attachment {
            id: 41,
            ticket_id: 7,
            message_id: None,
            file_name: "shot\x1b[2J.png".into(),
            content_type: "image/png".into(),
            size_bytes: 2048,
            sha256: "0".repeat(64),
            width: Some(10),
            height: Some(10),
            author_kind: AuthorKind::Customer,
            author_name: "Ann".into(),
            created_at: at,
        });
        let pending = TicketAttachment::Pending(PendingFile {
            local_id: 3,
            index: 0,
            file_name: "error.log".into(),
            kind: AttachmentKind::Text,
            size_bytes: 12,
        });
        let mut out = Vec::new();
        attachments(&mut out, &[sent, pending]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\x1b'), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "Attachments:");
        assert!(lines[2].contains("41  sent     image/png"), "{text}");
        assert!(lines[2].contains("2.0 KiB"), "{text}");
        assert!(lines[3].contains("pending  text/plain"), "{text}");
        assert!(lines[3].ends_with("error.log  (pending:3)"), "{text}");
        let mut out = Vec::new();
        attachments(&mut out, &[]).unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn details_show_every_field() {
        let mut out = Vec::new();
        details(&mut out, &ticket(7, "Mail down")).unwrap();
        let text = String::from_utf8(out).unwrap();
        for needle in [
            "Ticket #7: Mail down",
            "waiting_for_customer",
            "billing",
            "high",
            "Ann (user #2)",
            "#1",
            "line 1\nline 2",
        ] {
            assert!(text.contains(needle), "{needle} missing from {text}");
        }
        assert!(!text.contains('\x1b'));
    }
}
