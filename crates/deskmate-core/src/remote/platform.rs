//! What differs per operating system: where the tools are installed, how
//! to tell that they run, and where their version and ID are read.
//! Every query is a program run by [`run`] (argument array, deadline).

use std::path::{Path, PathBuf};
use std::time::Duration;

use deskmate_api::RemoteTool;

use super::parse;
use super::run::{RunError, run};

/// The names a tool's processes run under (the service and the window).
pub fn process_names(tool: RemoteTool) -> &'static [&'static str] {
    match tool {
        RemoteTool::Rustdesk => &["rustdesk", "rustdesk.exe", "RustDesk"],
        RemoteTool::Anydesk => &["anydesk", "AnyDesk.exe", "AnyDesk"],
        RemoteTool::Teamviewer => &[
            "teamviewerd",
            "TeamViewer",
            "TeamViewer.exe",
            "TeamViewer_Service.exe",
            "TeamViewer_Servi",
        ],
        RemoteTool::Other => &[],
    }
}

/// The program's file name on PATH.
pub fn program_file(tool: RemoteTool) -> Option<&'static str> {
    let name = match tool {
        RemoteTool::Rustdesk => "rustdesk",
        RemoteTool::Anydesk => "anydesk",
        RemoteTool::Teamviewer => "teamviewer",
        RemoteTool::Other => return None,
    };
    Some(if cfg!(windows) {
        match tool {
            RemoteTool::Rustdesk => "rustdesk.exe",
            RemoteTool::Anydesk => "AnyDesk.exe",
            _ => "TeamViewer.exe",
        }
    } else {
        name
    })
}

/// Where the vendors' installers put the program.
pub fn known_places(tool: RemoteTool) -> Vec<PathBuf> {
    let mut places = Vec::new();
    #[cfg(target_os = "linux")]
    {
        let list: &[&str] = match tool {
            RemoteTool::Rustdesk => &[
                "/usr/bin/rustdesk",
                "/usr/share/rustdesk/rustdesk",
                "/usr/lib/rustdesk/rustdesk",
                "/var/lib/flatpak/exports/bin/com.rustdesk.RustDesk",
            ],
            RemoteTool::Anydesk => &["/usr/bin/anydesk", "/opt/anydesk/anydesk"],
            RemoteTool::Teamviewer => &[
                "/usr/bin/teamviewer",
                "/opt/teamviewer/tv_bin/script/teamviewer",
            ],
            RemoteTool::Other => &[],
        };
        places.extend(list.iter().map(PathBuf::from));
    }
    #[cfg(target_os = "macos")]
    {
        let bundle = match tool {
            RemoteTool::Rustdesk => Some(("RustDesk.app", "RustDesk")),
            RemoteTool::Anydesk => Some(("AnyDesk.app", "AnyDesk")),
            RemoteTool::Teamviewer => Some(("TeamViewer.app", "TeamViewer")),
            RemoteTool::Other => None,
        };
        if let Some((app, exe)) = bundle {
            let mut roots = vec![PathBuf::from("/Applications")];
            if let Some(home) = std::env::var_os("HOME") {
                roots.push(PathBuf::from(home).join("Applications"));
            }
            for root in roots {
                places.push(root.join(app).join("Contents/MacOS").join(exe));
            }
        }
    }
    #[cfg(windows)]
    {
        let rel: &[&str] = match tool {
            RemoteTool::Rustdesk => &["RustDesk\\rustdesk.exe"],
            RemoteTool::Anydesk => &["AnyDesk\\AnyDesk.exe"],
            RemoteTool::Teamviewer => &["TeamViewer\\TeamViewer.exe"],
            RemoteTool::Other => &[],
        };
        for var in ["ProgramFiles", "ProgramFiles(x86)", "ProgramW6432"] {
            if let Some(root) = std::env::var_os(var) {
                for r in rel {
                    places.push(PathBuf::from(&root).join(r));
                }
            }
        }
    }
    let _ = tool;
    places
}

/// Where the Windows registry says the tool is installed (its uninstall
/// entry, TeamViewer's own key). Elsewhere: nothing.
pub async fn registry_places(tool: RemoteTool, timeout: Duration) -> Vec<PathBuf> {
    #[cfg(windows)]
    {
        let (key, value, exe) = match tool {
            RemoteTool::Rustdesk => (UNINSTALL_RUSTDESK, "InstallLocation", "rustdesk.exe"),
            RemoteTool::Anydesk => (UNINSTALL_ANYDESK, "InstallLocation", "AnyDesk.exe"),
            RemoteTool::Teamviewer => (TEAMVIEWER_KEY, "InstallationDirectory", "TeamViewer.exe"),
            RemoteTool::Other => return Vec::new(),
        };
        let mut places = Vec::new();
        for key in [key.to_owned(), wow64(key)] {
            if let Some(dir) = registry(&key, value, timeout).await {
                places.push(PathBuf::from(dir.trim_matches('"')).join(exe));
            }
        }
        places
    }
    #[cfg(not(windows))]
    {
        let _ = (tool, timeout);
        Vec::new()
    }
}

#[cfg(windows)]
const UNINSTALL_RUSTDESK: &str =
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\RustDesk";
#[cfg(windows)]
const UNINSTALL_ANYDESK: &str =
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\AnyDesk";
#[cfg(windows)]
const TEAMVIEWER_KEY: &str = "HKLM\\SOFTWARE\\TeamViewer";

/// The same key as a 32-bit program on 64-bit Windows sees it.
#[cfg(windows)]
fn wow64(key: &str) -> String {
    key.replacen("HKLM\\SOFTWARE\\", "HKLM\\SOFTWARE\\WOW6432Node\\", 1)
}

/// One registry value through `reg query KEY /v VALUE`.
#[cfg(windows)]
async fn registry(key: &str, value: &str, timeout: Duration) -> Option<String> {
    let reg = system_program("reg.exe");
    let out = run(&reg, &["query", key, "/v", value], None, timeout)
        .await
        .ok()?;
    parse::registry_value(&out.stdout, value)
}

#[cfg(windows)]
fn system_program(name: &str) -> PathBuf {
    let root = std::env::var_os("SystemRoot").unwrap_or_else(|| "C:\\Windows".into());
    PathBuf::from(root).join("System32").join(name)
}

/// The names of the processes running now.
pub async fn running_processes(timeout: Duration) -> Result<Vec<String>, RunError> {
    #[cfg(target_os = "linux")]
    {
        let _ = timeout;
        Ok(proc_names(Path::new("/proc")))
    }
    #[cfg(windows)]
    {
        let tasklist = system_program("tasklist.exe");
        let out = run(&tasklist, &["/FO", "CSV", "/NH"], None, timeout).await?;
        Ok(out
            .stdout
            .lines()
            .filter_map(|l| l.split(',').next())
            .map(|n| n.trim_matches('"').to_owned())
            .collect())
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    {
        let out = run(Path::new("/bin/ps"), &["-axo", "comm="], None, timeout).await?;
        Ok(out
            .stdout
            .lines()
            .map(|l| {
                Path::new(l.trim())
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect())
    }
}

/// `/proc/<pid>/comm` of every process (15 characters at most).
#[cfg(target_os = "linux")]
fn proc_names(proc_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(proc_dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("comm")).ok())
        .map(|n| n.trim_end().to_owned())
        .collect()
}

/// The tool's version: from the registry on Windows, the bundle's
/// `Info.plist` on macOS, `--version` elsewhere.
pub async fn read_version(
    tool: RemoteTool,
    program: &Path,
    timeout: Duration,
) -> Result<Option<String>, RunError> {
    #[cfg(windows)]
    {
        let _ = program;
        let (key, value) = match tool {
            RemoteTool::Rustdesk => (UNINSTALL_RUSTDESK, "DisplayVersion"),
            RemoteTool::Anydesk => (UNINSTALL_ANYDESK, "DisplayVersion"),
            RemoteTool::Teamviewer => (TEAMVIEWER_KEY, "Version"),
            RemoteTool::Other => return Ok(None),
        };
        for key in [key.to_owned(), wow64(key)] {
            if let Some(v) = registry(&key, value, timeout).await {
                return Ok(parse::version(&v));
            }
        }
        Ok(None)
    }
    #[cfg(target_os = "macos")]
    {
        let _ = (tool, timeout);
        // .../X.app/Contents/MacOS/X -> .../X.app/Contents/Info.plist
        if let Some(contents) = program.parent().and_then(Path::parent) {
            let plist = contents.join("Info.plist");
            if let Ok(text) = tokio::fs::read_to_string(&plist).await {
                return Ok(parse::plist_version(&text));
            }
        }
        let out = run(program, &["--version"], None, timeout).await?;
        Ok(parse::version(&out.stdout))
    }
    #[cfg(not(any(windows, target_os = "macos")))]
    {
        let _ = tool;
        let out = run(program, &["--version"], None, timeout).await?;
        Ok(parse::version(&out.stdout))
    }
}

/// What went wrong reading an ID, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    Run(RunError),
    Unreadable(String),
}

impl std::fmt::Display for IdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Run(e) => e.fmt(f),
            Self::Unreadable(program) => write!(f, "unreadable output from {program}"),
        }
    }
}

/// The ID through the tool's own interface: `--get-id` (RustDesk,
/// AnyDesk), `teamviewer info` on Linux, TeamViewer's `ClientID` in the
/// registry on Windows and in its preferences on macOS.
pub async fn read_id(
    tool: RemoteTool,
    program: &Path,
    timeout: Duration,
) -> Result<String, IdError> {
    let name = super::run::program_name(program);
    match tool {
        RemoteTool::Rustdesk | RemoteTool::Anydesk => {
            let out = run(program, &["--get-id"], None, timeout)
                .await
                .map_err(IdError::Run)?;
            parse::tool_id(&out.stdout).ok_or(IdError::Unreadable(name))
        }
        RemoteTool::Teamviewer => teamviewer_id(program, timeout).await,
        RemoteTool::Other => Err(IdError::Unreadable(name)),
    }
}

#[cfg(windows)]
async fn teamviewer_id(program: &Path, timeout: Duration) -> Result<String, IdError> {
    for key in [TEAMVIEWER_KEY.to_owned(), wow64(TEAMVIEWER_KEY)] {
        if let Some(id) = registry(&key, "ClientID", timeout).await {
            return Ok(id);
        }
    }
    Err(IdError::Unreadable(super::run::program_name(program)))
}

#[cfg(target_os = "macos")]
async fn teamviewer_id(program: &Path, timeout: Duration) -> Result<String, IdError> {
    let out = run(
        Path::new("/usr/bin/defaults"),
        &[
            "read",
            "/Library/Preferences/com.teamviewer.teamviewer.preferences",
            "ClientID",
        ],
        None,
        timeout,
    )
    .await
    .map_err(IdError::Run)?;
    parse::tool_id(&out.stdout).ok_or(IdError::Unreadable(super::run::program_name(program)))
}

#[cfg(not(any(windows, target_os = "macos")))]
async fn teamviewer_id(program: &Path, timeout: Duration) -> Result<String, IdError> {
    let out = run(program, &["info"], None, timeout)
        .await
        .map_err(IdError::Run)?;
    parse::teamviewer_info_id(&out.stdout)
        .ok_or(IdError::Unreadable(super::run::program_name(program)))
}
