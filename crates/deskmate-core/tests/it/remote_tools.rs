//! Detection of remote-assistance tools against fake tool executables: small
//! scripts written here into a temporary directory that behave like the
//! real command lines (one normal, one that hangs, one printing garbage, one
//! failing), found on a PATH of their own.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use deskmate_api::RemoteTool;
use deskmate_core::remote::{self, Probe, run};

struct Tools {
    dir: tempfile::TempDir,
}

impl Tools {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `name`, a /bin/sh script whose body answers like the real tool.
    fn write(&self, name: &str, body: &str) -> PathBuf {
        let file = self.path().join(name);
        std::fs::write(&file, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
        file
    }

    fn probe(&self) -> Probe {
        Probe::only(self.path().as_os_str())
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path().join(name)).unwrap_or_default()
    }
}

#[tokio::test]
async fn normal_tools_give_path_version_and_id() {
    let tools = Tools::new();
    let rustdesk = tools.write(
        "rustdesk",
        r#"case "$1" in --version) echo 1.3.2 ;; --get-id) echo 123456789 ;; *) exit 2 ;; esac"#,
    );
    tools.write(
        "teamviewer",
        r#"case "$1" in
  --version) printf '\033[1mTeamViewer\033[0m  15.48.4  (DEB)\n' ;;
  info) printf 'TeamViewer 15.48.4 (DEB)\n\n TeamViewer ID:     \033[0;32m1 234 567 890\033[0m\n' ;;
  *) exit 2 ;;
esac"#,
    );
    let found = tools.probe().detect().await;
    assert_eq!(found.len(), 2, "{found:?}");
    let r = &found[0];
    assert_eq!(r.tool, RemoteTool::Rustdesk);
    assert_eq!(Path::new(&r.path), rustdesk);
    assert_eq!(r.version.as_deref(), Some("1.3.2"));
    assert_eq!(r.id.as_deref(), Some("123456789"));
    assert_eq!(r.error, None);
    let t = &found[1];
    assert_eq!(t.tool, RemoteTool::Teamviewer);
    assert_eq!(t.version.as_deref(), Some("15.48.4"));
    assert_eq!(t.id.as_deref(), Some("1234567890"));
    assert!(!t.running, "no teamviewer process runs here");

    // Nothing installed: an empty list, not an error.
    let empty = Tools::new();
    assert!(empty.probe().detect().await.is_empty());
}

#[tokio::test]
async fn a_hanging_tool_is_reported_and_killed() {
    let tools = Tools::new();
    let pid_file = tools.path().join("hung.pid");
    tools.write(
        "anydesk",
        &format!(
            r#"case "$1" in --version) echo 6.3.0 ;; --get-id) echo $$ > '{}'; exec sleep 600 ;; esac"#,
            pid_file.display()
        ),
    );
    let mut probe = tools.probe();
    probe.timeout = Duration::from_secs(1);
    let found = probe.detect().await;
    let a = &found[0];
    assert_eq!(a.tool, RemoteTool::Anydesk);
    assert_eq!(a.id, None);
    assert_eq!(a.version.as_deref(), Some("6.3.0"));
    let error = a.error.as_deref().unwrap();
    assert!(error.contains("did not answer within 1 s"), "{error}");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    // Killed and reaped: the process is gone.
    assert!(
        !Path::new(&format!("/proc/{}", pid.trim())).exists(),
        "the hung tool still runs"
    );
}

#[tokio::test]
async fn a_tool_that_hung_is_not_asked_again_on_consent() {
    let tools = Tools::new();
    let asked = tools.path().join("asked");
    tools.write(
        "rustdesk",
        &format!(
            r#"case "$1" in --version) echo 1.3.2 ;; --get-id) echo x >> '{}'; exec sleep 600 ;; esac"#,
            asked.display()
        ),
    );
    let mut probe = tools.probe();
    probe.timeout = Duration::from_secs(1);
    let steps = std::sync::Mutex::new(Vec::new());
    let err = remote::hand_over_with(&probe, None, Some(RemoteTool::Rustdesk), &|s| {
        steps.lock().unwrap().push(s)
    })
    .await
    .unwrap_err();
    let remote::HandOverError::NoId { tool, reason } = err else {
        panic!("{err:?}");
    };
    assert_eq!(tool, RemoteTool::Rustdesk);
    assert!(reason.contains("did not answer within 1 s"), "{reason}");
    assert_eq!(tools.read("asked").lines().count(), 1, "asked once only");
    assert_eq!(*steps.lock().unwrap(), [deskmate_api::ConsentStep::Detect]);
}

#[tokio::test]
async fn garbage_and_failures_are_reported_not_guessed() {
    let tools = Tools::new();
    tools.write(
        "rustdesk",
        r#"case "$1" in --version) echo 'not a version' ;; --get-id) printf '\377\376%%%%\n<html>' ;; esac"#,
    );
    tools.write(
        "anydesk",
        r#"case "$1" in --version) echo 6.3.0 ;; --get-id) echo 'service is not installed' >&2; exit 3 ;; esac"#,
    );
    let found = tools.probe().detect().await;
    let r = &found[0];
    assert_eq!(
        (r.tool, r.id.as_deref(), r.version.as_deref()),
        (RemoteTool::Rustdesk, None, None)
    );
    assert!(
        r.error
            .as_deref()
            .unwrap()
            .contains("unreadable output from rustdesk"),
        "{r:?}"
    );
    let a = &found[1];
    assert_eq!((a.tool, a.id.as_deref()), (RemoteTool::Anydesk, None));
    let error = a.error.as_deref().unwrap();
    assert!(
        error.contains("anydesk failed") && error.contains("service is not installed"),
        "{error}"
    );

    // Endless output is cut, not kept.
    let spew = tools.write("spew", "yes 1234567890");
    let e = run::run(&spew, &[] as &[&str], None, Duration::from_secs(3))
        .await
        .unwrap_err();
    assert!(matches!(e, run::RunError::TooMuchOutput { .. }), "{e}");
}

#[tokio::test]
async fn arguments_reach_the_tool_verbatim() {
    let tools = Tools::new();
    let argv = tools.path().join("argv");
    let recorder = tools.write(
        "recorder",
        &format!(
            r#"for a in "$@"; do printf '%s\n' "$a"; done > '{}'"#,
            argv.display()
        ),
    );
    let args = [
        "two words",
        "\"quoted\"",
        "'single'",
        "a;b",
        "$(touch pwned)",
        "`touch pwned`",
        "*",
    ];
    run::run(&recorder, &args, None, run::TIMEOUT)
        .await
        .unwrap();
    let seen = std::fs::read_to_string(&argv).unwrap();
    assert_eq!(seen.lines().collect::<Vec<_>>(), args);
    assert!(
        !tools.path().join("pwned").exists(),
        "something ran a shell"
    );
    assert!(!Path::new("pwned").exists());
}

#[tokio::test]
async fn a_running_tool_is_seen_and_its_one_time_password_never_is_on_argv() {
    let tools = Tools::new();
    let log = tools.path().join("argv.log");
    let stdin = tools.path().join("stdin");
    // AnyDesk: every invocation's argv appended to a log; `--set-password`
    // reads the password from stdin, as the real one does.
    tools.write(
        "anydesk",
        &format!(
            r#"printf '%s\n' "$0 $*" >> '{log}'
case "$1" in
  --version) echo 6.3.0 ;;
  --get-id) echo 987654321 ;;
  --set-password) cat >> '{stdin}' ;;
  --service) read x ;;
esac"#,
            log = log.display(),
            stdin = stdin.display()
        ),
    );
    let mut service = tokio::process::Command::new(tools.path().join("anydesk"))
        .arg("--service")
        .stdin(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // Running once the service's process is listed under its name.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let detected = loop {
        let d = tools.probe().detect_one(RemoteTool::Anydesk).await.unwrap();
        if d.running || tokio::time::Instant::now() > deadline {
            break d;
        }
        tokio::task::yield_now().await;
    };
    assert!(detected.running, "{detected:?}");

    let connection = remote::hand_over(&tools.probe(), None, Some(RemoteTool::Anydesk))
        .await
        .unwrap();
    assert_eq!(connection.tool, RemoteTool::Anydesk);
    assert_eq!(connection.tool_id, "987654321");
    assert!(connection.launched.is_none(), "it ran already");
    let password = connection.password.as_ref().unwrap().expose().clone();
    assert_eq!(password.len(), 20);
    assert_eq!(tools.read("stdin").trim(), password);
    assert!(!tools.read("argv.log").contains(&password));
    assert!(!format!("{connection:?}").contains(&password));

    remote::revoke_password(connection.tool, &connection.path, run::TIMEOUT).await;
    let stdin_after = tools.read("stdin");
    let replaced = stdin_after.lines().last().unwrap();
    assert_ne!(replaced, password, "the one-time password was replaced");
    assert!(!tools.read("argv.log").contains(replaced));
    service.kill().await.unwrap();
}

#[tokio::test]
async fn a_tool_that_is_not_running_is_started_for_its_id() {
    let tools = Tools::new();
    let started = tools.path().join("started");
    // RustDesk answers --get-id only once its window (no arguments) runs.
    tools.write(
        "rustdesk",
        &format!(
            r#"case "$1" in
  --get-id) if [ -e '{s}' ]; then echo 555444333; else echo 'not ready' >&2; exit 1; fi ;;
  --version) echo 1.3.2 ;;
  '') touch '{s}'; read x ;;
esac"#,
            s = started.display()
        ),
    );
    let before = tools
        .probe()
        .detect_one(RemoteTool::Rustdesk)
        .await
        .unwrap();
    assert_eq!(before.id, None);
    let connection = remote::hand_over(&tools.probe(), Some(RemoteTool::Rustdesk), None)
        .await
        .unwrap();
    assert_eq!(connection.tool_id, "555444333");
    assert!(
        connection.password.is_none(),
        "RustDesk takes no password on stdin"
    );
    connection.launched.unwrap().stop().await;

    let err = remote::hand_over(&tools.probe(), Some(RemoteTool::Teamviewer), None)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        remote::HandOverError::NotInstalled {
            tool: RemoteTool::Teamviewer
        }
    );
    let none = Tools::new();
    let err = remote::hand_over(&none.probe(), None, Some(RemoteTool::Anydesk))
        .await
        .unwrap_err();
    assert_eq!(err, remote::HandOverError::NoTool);
}
