//! The printed table, the machine line and `target/bench/summary.json`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::figures::Row;

/// `nproc` and the CPU model, from /proc/cpuinfo.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == "model name").then(|| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let nproc = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    format!("nproc {nproc}, {model}")
}

pub fn print_table(rows: &[Row]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let header = ["figure", "value", "unit", "goal", "result", "detail"];
    let lines: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            let (value, verdict) = match &r.value {
                Ok(v) => (format!("{v:.2}"), r.goal.verdict(*v)),
                Err(e) => ("-".to_owned(), e.clone()),
            };
            [
                r.key.to_owned(),
                value,
                r.unit.to_owned(),
                r.goal.text(),
                verdict,
                r.note.clone(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for line in &lines {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    // The last column is not padded.
    widths[5] = 0;
    writeln!(out)?;
    writeln!(out, "Deskmate bench — {}", machine())?;
    let rule: usize = widths.iter().sum::<usize>() + 2 * 5 + header[5].len();
    writeln!(out, "{}", "-".repeat(rule))?;
    let print = |out: &mut std::io::StdoutLock<'_>, cells: &[String]| -> std::io::Result<()> {
        let mut line = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            // Numbers right-aligned, text left-aligned.
            if i == 1 {
                line.push_str(&format!("{cell:>w$}"));
            } else {
                line.push_str(&format!("{cell:<w$}"));
            }
        }
        writeln!(out, "{}", line.trim_end())
    };
    print(&mut out, &header.map(str::to_owned))?;
    writeln!(out, "{}", "-".repeat(rule))?;
    for line in &lines {
        print(&mut out, line)?;
    }
    writeln!(out, "{}", "-".repeat(rule))?;
    Ok(())
}

/// The keys `target/bench/summary.json` may hold (the list, exactly);
/// other figures, like the PostgreSQL ones, are in the printed table only.
const SUMMARY_KEYS: &[&str] = &[
    "launch_ms",
    "bare_tauri_launch_ms",
    "idle_pss_mib",
    "bare_tauri_idle_pss_mib",
    "deb_size_mb",
    "screenshot_pipeline_ms",
    "cache_ingest_rows_per_s",
    "raw_sqlite_rows_per_s",
    "search_p95_ms",
    "search_worst_ms",
    "server_create_per_s",
    "server_create_p99_ms",
    "rt5_create_per_s",
    "outbox_drain_per_s",
    "sse_clients",
    "sse_p99_ms",
];

/// Writes the measured figures as one flat JSON object; returns its path.
pub fn write_summary(rows: &[Row], path: &Path) -> Result<PathBuf> {
    let mut summary = serde_json::Map::new();
    for row in rows.iter().filter(|r| SUMMARY_KEYS.contains(&r.key)) {
        if let Ok(v) = row.value {
            let rounded = (v * 1000.0).round() / 1000.0;
            if let Some(n) = serde_json::Number::from_f64(rounded) {
                summary.insert(row.key.to_owned(), serde_json::Value::Number(n));
            }
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(summary))?;
    std::fs::write(path, format!("{text}\n"))
        .with_context(|| format!("write {}", path.display()))?;
    Ok(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned()))
}
