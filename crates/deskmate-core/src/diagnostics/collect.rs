//! Collecting the diagnostics a ticket carries: each section is plain text,
//! scrubbed before anyone sees it, and [`Diagnostics::render`] of the
//! sections the user kept is exactly what is attached.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use deskmate_api::DetectedTool;
use serde::Serialize;

use super::scrub::{ScrubOptions, scrub};
use crate::remote::Probe;

/// What a section is about; its `snake_case` name is its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionId {
    System,
    Locale,
    Display,
    Resources,
    Network,
    RemoteTools,
    Log,
}

impl SectionId {
    pub const ALL: [Self; 7] = [
        Self::System,
        Self::Locale,
        Self::Display,
        Self::Resources,
        Self::Network,
        Self::RemoteTools,
        Self::Log,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Locale => "locale",
            Self::Display => "display",
            Self::Resources => "resources",
            Self::Network => "network",
            Self::RemoteTools => "remote_tools",
            Self::Log => "log",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|id| id.as_str() == s)
    }

    fn title(self) -> &'static str {
        match self {
            Self::System => "System",
            Self::Locale => "Language and time zone",
            Self::Display => "Display",
            Self::Resources => "Memory and disk",
            Self::Network => "Connection to the helpdesk",
            Self::RemoteTools => "Remote-assistance tools",
            Self::Log => "Deskmate's recent log",
        }
    }
}

/// One section as it would be attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub id: SectionId,
    pub title: String,
    pub text: String,
}

/// Every section collected, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostics {
    pub sections: Vec<Section>,
}

/// What the collection needs to know from its caller.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The program asking (`Deskmate 0.4.0`, `deskmate CLI 0.4.0`).
    pub app: String,
    /// The helpdesk's address, when signed in or known.
    pub server_url: Option<String>,
    /// Where the cache lives: the disk whose free space counts.
    pub data_dir: PathBuf,
    /// The monitors as the window system reports them (the app knows them;
    /// the CLI does not), one line each.
    pub monitors: Vec<String>,
    /// The log file whose end is shown, if one is kept.
    pub log_file: Option<PathBuf>,
    /// What the scrubber keeps and removes.
    pub scrub: ScrubOptions,
    /// Where remote-assistance tools are looked for.
    pub probe: Probe,
}

/// How much of the log's end is shown.
const LOG_TAIL_LINES: usize = 200;

impl Diagnostics {
    /// Collects every section. Blocking parts run off the async runtime.
    pub async fn collect(context: &Context) -> Self {
        let network = match &context.server_url {
            Some(url) => super::reach::reachability(url).await,
            None => "Not signed in to a helpdesk: nothing to reach.\n".to_owned(),
        };
        let tools = context.probe.detect().await;
        let blocking = context.clone();
        let local = tokio::task::spawn_blocking(move || {
            [
                (SectionId::System, system(&blocking.app)),
                (SectionId::Locale, locale()),
                (SectionId::Display, display(&blocking.monitors)),
                (SectionId::Resources, resources(&blocking.data_dir)),
                (SectionId::Log, log_tail(blocking.log_file.as_deref())),
            ]
        })
        .await
        .unwrap_or_else(|e| {
            let why = format!("could not be collected: {e}\n");
            [
                SectionId::System,
                SectionId::Locale,
                SectionId::Display,
                SectionId::Resources,
                SectionId::Log,
            ]
            .map(|id| (id, why.clone()))
        });
        let mut texts: Vec<(SectionId, String)> = local.into();
        texts.push((SectionId::Network, network));
        texts.push((SectionId::RemoteTools, remote_tools(&tools)));
        let sections = SectionId::ALL
            .into_iter()
            .filter_map(|id| {
                let (_, text) = texts.iter().find(|(i, _)| *i == id)?;
                Some(Section {
                    id,
                    title: id.title().to_owned(),
                    text: scrub(text, &context.scrub).text,
                })
            })
            .collect();
        Self { sections }
    }

    /// The attachment's text: the sections in `keep`, in order, each under
    /// its title. What is shown is what is sent: this is both.
    pub fn render(&self, keep: &[SectionId]) -> String {
        let mut out = String::new();
        for section in self.sections.iter().filter(|s| keep.contains(&s.id)) {
            let _ = writeln!(out, "== {} ==", section.title);
            out.push_str(&section.text);
            if !section.text.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }
}

fn system(app: &str) -> String {
    let name = sysinfo::System::long_os_version()
        .ok()
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    let kernel = sysinfo::System::kernel_version()
        .ok()
        .unwrap_or_else(|| "unknown".to_owned());
    format!(
        "Application: {app}\nOperating system: {name}\nKernel: {kernel}\nArchitecture: {}\n",
        std::env::consts::ARCH
    )
}

fn locale() -> String {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let language = var("LC_ALL")
        .or_else(|| var("LC_MESSAGES"))
        .or_else(|| var("LANG"))
        .unwrap_or_else(|| "not set".to_owned());
    let zone = iana_time_zone::get_timezone().unwrap_or_else(|e| format!("unknown ({e})"));
    let offset = chrono::Local::now().format("%:z");
    format!("Language: {language}\nTime zone: {zone} (UTC{offset})\n")
}

fn display(monitors: &[String]) -> String {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| "not set".to_owned());
    let mut out = format!(
        "Session type: {}\nDesktop: {}\n",
        var("XDG_SESSION_TYPE"),
        var("XDG_CURRENT_DESKTOP")
    );
    if cfg!(target_os = "linux") {
        let _ = writeln!(
            out,
            "DISPLAY: {}\nWAYLAND_DISPLAY: {}",
            var("DISPLAY"),
            var("WAYLAND_DISPLAY")
        );
    }
    if monitors.is_empty() {
        out.push_str("Monitors: not known to this program\n");
    }
    for (i, m) in monitors.iter().enumerate() {
        let _ = writeln!(out, "Monitor {}: {m}", i + 1);
    }
    out
}

fn resources(data_dir: &Path) -> String {
    let mib = |bytes: u64| bytes / (1024 * 1024);
    let mut out = match sysinfo::System::new() {
        Ok(mut system) => {
            system.refresh_memory();
            format!(
                "Memory: {} MiB available of {} MiB\n",
                mib(system.available_memory()),
                mib(system.total_memory())
            )
        }
        Err(e) => format!("Memory: unknown ({e})\n"),
    };
    let disks = sysinfo::Disks::new_with_refreshed_list().ok();
    let dir = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_owned());
    let disk = disks.as_ref().and_then(|disks| {
        disks
            .into_iter()
            .filter(|d| dir.starts_with(d.mount_point()))
            .max_by_key(|d| d.mount_point().as_os_str().len())
    });
    match disk {
        Some(d) => {
            let _ = writeln!(
                out,
                "Disk of the data folder ({}): {} MiB free of {} MiB",
                d.mount_point().display(),
                mib(d.available_space()),
                mib(d.total_space())
            );
        }
        None => out.push_str("Disk of the data folder: unknown\n"),
    }
    out
}

fn remote_tools(tools: &[DetectedTool]) -> String {
    if tools.is_empty() {
        return "None found (RustDesk, AnyDesk, TeamViewer).\n".to_owned();
    }
    let mut out = String::new();
    for t in tools {
        let state = if t.running { "running" } else { "not running" };
        let version = t.version.as_deref().unwrap_or("version unknown");
        let _ = writeln!(out, "{}: {version}, {state}, at {}", t.tool, t.path);
    }
    out
}

fn log_tail(file: Option<&Path>) -> String {
    let Some(file) = file else {
        return "This program keeps no log.\n".to_owned();
    };
    // The end of the file it rotated away first, so a fresh file still
    // shows what came just before.
    let previous = super::read_text_file(&super::log_file::previous_log(file)).unwrap_or_default();
    match super::read_text_file(file) {
        Ok(current) => {
            let text = previous + &current;
            let lines: Vec<&str> = text.lines().collect();
            let start = lines.len().saturating_sub(LOG_TAIL_LINES);
            let mut out = lines[start..].join("\n");
            out.push('\n');
            out
        }
        Err(e) => format!("No log to show: {e}\n"),
    }
}
