//! The TypeScript files that are not one wire type each: the command map
//! (from [`crate::rpc`]) and the constants the window shares with the Rust
//! side. Both are written into `ui/src/lib/bindings` by `cargo test -p
//! deskmate-api`, beside ts-rs's types, and checked for drift by `make test`.
//! Only that test builds them (the module is `cfg(test)`).

use std::fmt::Display;

use crate::{
    CAPTURE_EVENT, CONSENT_EVENT, DATED_AHEAD_MAX_DAYS, DATED_MAX, DEFAULT_SCREENSHOT_SHORTCUT,
    DROP_EVENT, Department, LIVE_EVENT, NOTE_MAX_CHARS, NotifyKind, OPEN_EVENT, OutboxKind,
    OutboxState, Priority, READY_NOW_MINUTES, SERVICES_MAX, SNIPPET_MARK_END, SNIPPET_MARK_START,
    TICKET_PAGE_MAX, TicketStatus, WEEKLY_MAX, limits,
};

/// `ui/src/lib/bindings/constants.ts`.
pub fn constants_typescript() -> String {
    let mut out = String::from(
        "// Generated from crates/deskmate-api/src/bindings.rs by `cargo test -p deskmate-api`. Do not edit.\n",
    );
    let mut number = |name: &str, doc: &str, value: &dyn Display| {
        out.push_str(&format!("\n/** {doc} */\nexport const {name} = {value};\n"));
    };
    number(
        "SUBJECT_MAX_CHARS",
        "Longest ticket subject, in characters.",
        &limits::SUBJECT_MAX_CHARS,
    );
    number(
        "BODY_MAX_CHARS",
        "Longest ticket body, reply or detail text, in characters.",
        &limits::BODY_MAX_CHARS,
    );
    number(
        "LINE_MAX_CHARS",
        "Longest one-line answer (an affected service), in characters.",
        &limits::LINE_MAX_CHARS,
    );
    number(
        "REFERENCE_MAX_CHARS",
        "Longest order number, server IP or invoice number, in characters.",
        &limits::REFERENCE_MAX_CHARS,
    );
    number(
        "EMAIL_MAX_CHARS",
        "Longest e-mail address, in characters.",
        &limits::EMAIL_MAX_CHARS,
    );
    number(
        "PASSWORD_MIN_CHARS",
        "Shortest new password, in characters.",
        &limits::PASSWORD_MIN_CHARS,
    );
    number(
        "PASSWORD_MAX_CHARS",
        "Longest password, in characters.",
        &limits::PASSWORD_MAX_CHARS,
    );
    number(
        "ATTACHMENT_MAX_BYTES",
        "Largest attached file, in bytes.",
        &limits::ATTACHMENT_MAX_BYTES,
    );
    number(
        "TICKET_ATTACHMENTS_MAX_BYTES",
        "Most bytes of attachments one ticket holds.",
        &limits::TICKET_ATTACHMENTS_MAX_BYTES,
    );
    number(
        "TICKET_ATTACHMENTS_MAX_COUNT",
        "Most attachments one ticket holds.",
        &limits::TICKET_ATTACHMENTS_MAX_COUNT,
    );
    number(
        "FILE_NAME_MAX_CHARS",
        "Longest attachment file name, in characters.",
        &limits::FILE_NAME_MAX_CHARS,
    );
    number(
        "TICKET_PAGE_MAX",
        "Most rows one page of the ticket list holds.",
        &TICKET_PAGE_MAX,
    );
    number(
        "WEEKLY_MAX",
        "Most weekly availability windows of one ticket.",
        &WEEKLY_MAX,
    );
    number(
        "DATED_MAX",
        "Most one-off availability windows of one ticket.",
        &DATED_MAX,
    );
    number(
        "DATED_AHEAD_MAX_DAYS",
        "How many days ahead a one-off window may start.",
        &DATED_AHEAD_MAX_DAYS,
    );
    number(
        "NOTE_MAX_CHARS",
        "Longest availability note, in characters.",
        &NOTE_MAX_CHARS,
    );
    number(
        "SERVICES_MAX",
        "Most services one announcement names.",
        &SERVICES_MAX,
    );
    let ready_now = READY_NOW_MINUTES.map(|m| m.to_string()).join(", ");
    number(
        "READY_NOW_MINUTES",
        "How long one may say they are ready for remote help now, in minutes.",
        &format!("[{ready_now}] as const"),
    );

    let mut text = |name: &str, doc: &str, value: &str| {
        out.push_str(&format!(
            "\n/** {doc} */\nexport const {name} = {};\n",
            json_string(value)
        ));
    };
    text(
        "LIVE_EVENT",
        "The app event that carries a `LiveUpdate` to the window.",
        LIVE_EVENT,
    );
    text(
        "CONSENT_EVENT",
        "The app event that carries a `ConsentProgress` (the consent flow's step) to the window.",
        CONSENT_EVENT,
    );
    text(
        "OPEN_EVENT",
        "The app event that names the screen to show (a `NotifyTarget`).",
        OPEN_EVENT,
    );
    text(
        "CAPTURE_EVENT",
        "The app event that says a capture waits for the editor (`take_capture` takes it).",
        CAPTURE_EVENT,
    );
    text(
        "DROP_EVENT",
        "The app event that carries the files dropped on the window (`PickedFile[]`).",
        DROP_EVENT,
    );
    text(
        "DEFAULT_SCREENSHOT_SHORTCUT",
        "The screenshot shortcut when the user chose none.",
        DEFAULT_SCREENSHOT_SHORTCUT,
    );
    text(
        "SNIPPET_MARK_START",
        "Starts a matched term in a search snippet.",
        &SNIPPET_MARK_START.to_string(),
    );
    text(
        "SNIPPET_MARK_END",
        "Ends a matched term in a search snippet.",
        &SNIPPET_MARK_END.to_string(),
    );

    let mut list = |name: &str, ty: &str, doc: &str, values: Vec<&str>| {
        let values: Vec<String> = values.into_iter().map(json_string).collect();
        out.push_str(&format!(
            "\n/** {doc} */\nexport const {name}: readonly {ty}[] = [{}];\n",
            values.join(", ")
        ));
    };
    list(
        "DEPARTMENTS",
        "Department",
        "Every department, in display order.",
        Department::ALL.iter().map(|v| v.as_str()).collect(),
    );
    list(
        "PRIORITIES",
        "Priority",
        "Every priority, in display order.",
        Priority::ALL.iter().map(|v| v.as_str()).collect(),
    );
    list(
        "NOTIFY_KINDS",
        "NotifyKind",
        "Every kind of desktop notification, in display order.",
        NotifyKind::ALL.iter().map(|v| v.as_str()).collect(),
    );
    list(
        "TICKET_STATUSES",
        "TicketStatus",
        "Every ticket status, in display order.",
        TicketStatus::ALL.iter().map(|v| v.as_str()).collect(),
    );
    list(
        "OUTBOX_KINDS",
        "OutboxKind",
        "Every kind of outbox write.",
        OutboxKind::ALL.iter().map(|v| v.as_str()).collect(),
    );
    list(
        "OUTBOX_STATES",
        "OutboxState",
        "Every state of an outbox write.",
        OutboxState::ALL.iter().map(|v| v.as_str()).collect(),
    );

    let imports = "import type { Department } from \"./Department\";\n\
                   import type { NotifyKind } from \"./NotifyKind\";\n\
                   import type { OutboxKind } from \"./OutboxKind\";\n\
                   import type { OutboxState } from \"./OutboxState\";\n\
                   import type { Priority } from \"./Priority\";\n\
                   import type { TicketStatus } from \"./TicketStatus\";\n";
    let header_end = out.find('\n').map_or(0, |i| i + 1);
    out.insert_str(header_end, imports);
    out
}

/// A JavaScript string literal: JSON's escaping is JavaScript's.
fn json_string(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use ts_rs::Config;

    use super::*;

    /// Writes both files where ts-rs writes the types (`TS_RS_EXPORT_DIR`).
    #[test]
    fn export_bindings_commands_and_constants() {
        let cfg = Config::from_env();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(cfg.out_dir());
        let dir = if cfg.out_dir().is_absolute() {
            cfg.out_dir().to_path_buf()
        } else {
            dir
        };
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for (file, text) in [
            ("commands.ts", crate::rpc::typescript(&cfg)),
            ("constants.ts", constants_typescript()),
        ] {
            let path = dir.join(file);
            std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }

    #[test]
    fn constants_say_what_rust_says() {
        let ts = constants_typescript();
        assert!(ts.contains("export const SUBJECT_MAX_CHARS = 200;"));
        assert!(ts.contains("export const LIVE_EVENT = \"deskmate://live\";"));
        assert!(ts.contains("export const SNIPPET_MARK_START = \"\\u0002\";"));
        assert!(ts.contains(
            "export const TICKET_STATUSES: readonly TicketStatus[] = [\"open\", \"waiting_for_customer\", \"resolved\", \"closed\"];"
        ), "{ts}");
    }
}
