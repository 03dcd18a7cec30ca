//! The table's lines: what each figure should be and how a measured outcome
//! becomes its rows.

use std::path::Path;

use crate::helpdesk::Engine;
use crate::{create, ingest, outbox, rt5, screenshot, search, sse};

/// What a figure should be.
#[derive(Debug, Clone, Copy)]
pub enum Goal {
    AtLeast(f64),
    AtMost(f64),
    /// At least `factor` times another figure, named and measured in the same run.
    AtLeastTimes(f64, &'static str, f64),
    /// At most `factor` times another figure, named and measured in the same run.
    AtMostTimes(f64, &'static str, f64),
    /// A reference for another figure's goal.
    Reference,
    /// The goal depends on something not measured yet.
    Pending(&'static str, &'static str),
}

impl Goal {
    pub fn text(self) -> String {
        match self {
            Goal::AtLeast(v) => format!(">= {v}"),
            Goal::AtMost(v) => format!("<= {v}"),
            Goal::AtLeastTimes(f, name, base) => format!(">= {f} x {name} (= {:.0})", f * base),
            Goal::AtMostTimes(f, name, base) => format!("<= {f} x {name} (= {:.1})", f * base),
            Goal::Reference => "(reference)".to_owned(),
            Goal::Pending(text, _) => text.to_owned(),
        }
    }

    pub fn verdict(self, value: f64) -> String {
        match self {
            Goal::AtLeast(v) if value >= v => "pass".into(),
            Goal::AtMost(v) if value <= v => "pass".into(),
            Goal::AtLeastTimes(f, _, base) if value >= f * base => "pass".into(),
            Goal::AtMostTimes(f, _, base) if value <= f * base => "pass".into(),
            Goal::AtLeast(_) | Goal::AtMost(_) | Goal::AtLeastTimes(..) | Goal::AtMostTimes(..) => {
                "MISS".into()
            }
            Goal::Reference => "-".into(),
            Goal::Pending(_, why) => why.to_owned(),
        }
    }
}

/// One line of the table.
pub struct Row {
    pub key: &'static str,
    pub unit: &'static str,
    pub goal: Goal,
    /// The figure, or why there is none.
    pub value: Result<f64, String>,
    pub note: String,
}

/// deskmate-server's creation rate should be at least this many times RT5's.
pub const RT5_FACTOR: f64 = 200.0;

pub fn rt5_row(
    outcome: Result<create::Outcome, String>,
    deskmate: Option<f64>,
    workers: usize,
) -> Row {
    let (value, note) = match outcome {
        Ok(o) => {
            let ratio = deskmate.map_or_else(
                || "server_create_per_s not measured".to_owned(),
                |d| format!("server_create_per_s / RT5 = {:.0}", d / o.per_second()),
            );
            (
                Ok(o.per_second()),
                format!(
                    "{ratio}; {} tickets in {:.2} s, p50 {:.0} ms, p99 {:.0} ms; REST2, SQLite, \
                     {workers} rt-server workers; all found by a TicketSQL search",
                    o.completed,
                    o.elapsed.as_secs_f64(),
                    o.latencies.percentile_ms(50.0),
                    o.latencies.percentile_ms(99.0)
                ),
            )
        }
        Err(e) if e == "skipped" || e.starts_with(rt5::NOT_INSTALLED) => {
            (Err(format!("not measured: {e}")), String::new())
        }
        Err(e) => (Err(format!("error: {e}")), String::new()),
    };
    Row {
        key: "rt5_create_per_s",
        unit: "tickets/s",
        goal: Goal::Reference,
        value,
        note,
    }
}

/// A ratio goal to a figure of the same run, or pending when that figure
/// is missing.
pub fn times(at_least: bool, factor: f64, name: &'static str, base: Option<f64>) -> Goal {
    match (base, at_least) {
        (Some(b), true) => Goal::AtLeastTimes(factor, name, b),
        (Some(b), false) => Goal::AtMostTimes(factor, name, b),
        (None, true) => Goal::Pending(">= k x a figure not measured", "base not measured"),
        (None, false) => Goal::Pending("<= k x a figure not measured", "base not measured"),
    }
}

/// The rate and p99 rows of one engine's creation run, with their goals.
pub fn creation_rows(
    engine: Engine,
    outcome: Result<create::Outcome, String>,
    (rate_goal, p99_goal): (Goal, Goal),
) -> Vec<Row> {
    let (rate_key, p99_key) = match engine {
        Engine::Sqlite => ("server_create_per_s", "server_create_p99_ms"),
        Engine::Postgres => ("server_create_pg_per_s", "server_create_pg_p99_ms"),
    };
    let not_measured = |e: &String| {
        if e == "skipped" || e.contains("not set") {
            format!("not measured: {e}")
        } else {
            format!("error: {e}")
        }
    };
    match outcome {
        Ok(o) => vec![
            Row {
                key: rate_key,
                unit: "tickets/s",
                goal: rate_goal,
                value: Ok(o.per_second()),
                note: format!(
                    "{} tickets in {:.2} s",
                    o.completed,
                    o.elapsed.as_secs_f64()
                ),
            },
            Row {
                key: p99_key,
                unit: "ms",
                goal: p99_goal,
                value: Ok(o.latencies.percentile_ms(99.0)),
                note: format!(
                    "p50 {:.2} ms, p90 {:.2} ms, max {:.2} ms",
                    o.latencies.percentile_ms(50.0),
                    o.latencies.percentile_ms(90.0),
                    o.latencies.percentile_ms(100.0)
                ),
            },
        ],
        Err(e) => vec![
            Row {
                key: rate_key,
                unit: "tickets/s",
                goal: rate_goal,
                value: Err(not_measured(&e)),
                note: String::new(),
            },
            Row {
                key: p99_key,
                unit: "ms",
                goal: p99_goal,
                value: Err(not_measured(&e)),
                note: String::new(),
            },
        ],
    }
}

pub fn outbox_row(outcome: Result<outbox::Outcome, String>, goal: Goal) -> Row {
    let (value, note) = match outcome {
        Ok(o) => (
            Ok(o.per_second()),
            format!(
                "{} writes drained in {:.2} s ({} pass(es)); queued in {:.2} s",
                o.items,
                o.drain_time.as_secs_f64(),
                o.passes,
                o.queue_time.as_secs_f64()
            ),
        ),
        Err(e) if e == "skipped" => (Err(format!("not measured: {e}")), String::new()),
        Err(e) => (Err(format!("error: {e}")), String::new()),
    };
    Row {
        key: "outbox_drain_per_s",
        unit: "writes/s",
        goal,
        value,
        note,
    }
}

/// `screenshot_pipeline_ms` and its stages, both formats in the note.
pub fn screenshot_row(outcome: Result<screenshot::Outcome, String>) -> Row {
    let (value, note) = match outcome {
        Ok(o) => {
            let chosen = o.chosen();
            let line = |r: &screenshot::Runs| {
                format!(
                    "{}: {:.1} ms ({:.1} prepare + {:.1} write), {} KiB",
                    r.format.extension(),
                    r.median_ms,
                    r.prepare_ms,
                    r.write_ms,
                    r.bytes / 1024
                )
            };
            (
                Ok(chosen.median_ms),
                format!("{}; {}; grab not included", line(&o.png), line(&o.webp)),
            )
        }
        Err(e) if e == "skipped" => (Err(format!("not measured: {e}")), String::new()),
        Err(e) => (Err(format!("error: {e}")), String::new()),
    };
    Row {
        key: "screenshot_pipeline_ms",
        unit: "ms",
        goal: Goal::AtMost(100.0),
        value,
        note,
    }
}

/// "not measured: …" for a skipped run, "error: …" for a failed one.
pub fn absent(e: &str) -> String {
    if e == "skipped" {
        format!("not measured: {e}")
    } else {
        format!("error: {e}")
    }
}

pub fn ingest_rows(outcome: Result<&ingest::Outcome, String>) -> Vec<Row> {
    match outcome {
        Ok(o) => {
            let raw = o.raw_per_second();
            vec![
                Row {
                    key: "cache_ingest_rows_per_s",
                    unit: "rows/s",
                    goal: Goal::AtLeastTimes(0.5, "raw", raw),
                    value: Ok(o.ingest_per_second()),
                    note: format!(
                        "{} tickets + {} messages ({:.0} MB text) in {} pages of {} rows: {:.1} s \
                         (search index included); cache {:.0} MB; corpus built in {:.1} s",
                        o.tickets,
                        o.messages,
                        o.text_mb,
                        o.pages,
                        o.rows().div_ceil(o.pages.max(1)),
                        o.ingest_time.as_secs_f64(),
                        o.cache_mb,
                        o.generate_time.as_secs_f64()
                    ),
                },
                Row {
                    key: "raw_sqlite_rows_per_s",
                    unit: "rows/s",
                    goal: Goal::Reference,
                    value: Ok(raw),
                    note: format!(
                        "the same {} rows, bare tables (no index, no FTS), one transaction: {:.1} s; \
                         ingest/raw = {:.2}",
                        o.rows(),
                        o.raw_time.as_secs_f64(),
                        o.ingest_per_second() / raw
                    ),
                },
            ]
        }
        Err(e) => vec![
            Row {
                key: "cache_ingest_rows_per_s",
                unit: "rows/s",
                goal: Goal::AtLeast(0.0),
                value: Err(absent(&e)),
                note: String::new(),
            },
            Row {
                key: "raw_sqlite_rows_per_s",
                unit: "rows/s",
                goal: Goal::Reference,
                value: Err(absent(&e)),
                note: String::new(),
            },
        ],
    }
}

pub fn search_rows(outcome: Result<(search::Outcome, usize), String>) -> Vec<Row> {
    let (p95, worst) = match outcome {
        Ok((o, rows)) => (
            (
                Ok(o.latencies.percentile_ms(95.0)),
                format!(
                    "{} queries x {} passes over {rows} rows (1 warm-up pass not counted); \
                     p50 {:.2} ms, p99 {:.2} ms; {} hits per pass",
                    o.queries,
                    o.repeats,
                    o.latencies.percentile_ms(50.0),
                    o.latencies.percentile_ms(99.0),
                    o.hits_per_pass
                ),
            ),
            (
                Ok(o.worst.0.as_secs_f64() * 1000.0),
                format!(
                    "slowest: {}",
                    o.slowest
                        .iter()
                        .map(|(t, q)| format!("{q:?} {:.0} ms", t.as_secs_f64() * 1000.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        ),
        Err(e) => (
            (Err(absent(&e)), String::new()),
            (Err(absent(&e)), String::new()),
        ),
    };
    vec![
        Row {
            key: "search_p95_ms",
            unit: "ms",
            goal: Goal::AtMost(5.0),
            value: p95.0,
            note: p95.1,
        },
        Row {
            key: "search_worst_ms",
            unit: "ms",
            goal: Goal::AtMost(50.0),
            value: worst.0,
            note: worst.1,
        },
    ]
}

pub fn sse_rows(asked: usize, outcome: Result<sse::Outcome, String>, p99_goal: Goal) -> Vec<Row> {
    let (clients, p99) = match outcome {
        Ok(o) => {
            let refused = match &o.open_error {
                Some(e) => format!("; {} refused: {e}", o.asked - o.connected),
                None => String::new(),
            };
            (
                (
                    Ok(o.connected as f64),
                    format!(
                        "of {} asked, open in {:.1} s{refused}; server: {}; clients: {}",
                        o.asked,
                        o.open_time.as_secs_f64(),
                        o.server,
                        o.clients
                    ),
                ),
                (
                    Ok(o.deliveries.percentile_ms(99.0)),
                    format!(
                        "{} replies x {} streams: p50 {:.0} ms, max {:.0} ms; last client per \
                         reply p50 {:.0} ms, max {:.0} ms; {} not delivered within 10 s",
                        o.posts,
                        o.connected,
                        o.deliveries.percentile_ms(50.0),
                        o.deliveries.percentile_ms(100.0),
                        o.last_client.percentile_ms(50.0),
                        o.last_client.percentile_ms(100.0),
                        o.missing
                    ),
                ),
            )
        }
        Err(e) => (
            (Err(absent(&e)), format!("{asked} asked")),
            (Err(absent(&e)), String::new()),
        ),
    };
    vec![
        Row {
            key: "sse_clients",
            unit: "streams",
            goal: Goal::AtLeast(10_000.0),
            value: clients.0,
            note: clients.1,
        },
        Row {
            key: "sse_p99_ms",
            unit: "ms",
            goal: p99_goal,
            value: p99.0,
            note: p99.1,
        },
    ]
}

pub fn deb_row(deb: Option<&Path>) -> Row {
    let (value, note) = match deb {
        None => (
            Err("not measured: no .deb built in this run".to_owned()),
            String::new(),
        ),
        Some(path) => match std::fs::metadata(path) {
            Ok(m) => (
                Ok(m.len() as f64 / 1e6),
                path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                ),
            ),
            Err(e) => (
                Err(format!("error: {}: {e}", path.display())),
                String::new(),
            ),
        },
    };
    Row {
        key: "deb_size_mb",
        unit: "MB",
        goal: Goal::AtMost(6.0),
        value,
        note,
    }
}
