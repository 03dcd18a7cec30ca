//! The reference point of `server_create_per_s`: the same ticket-creation load
//! against Request Tracker 5 (Debian `request-tracker5`, SQLite), an isolated
//! instance started for the run and stopped after it.
//!
//! The instance lives in a temp dir: its own site config (the system's
//! `RT_SiteConfig.d` is not read), SQLite database, mail (RT's `testfile`
//! mailer, so its create scrips run but nothing leaves the machine) and log.
//! Bcrypt cost 4 and a password set after it keep basic auth cheap (~1 ms), as
//! a session token is for deskmate-server. Tickets are filed through REST2 and
//! counted afterwards through a REST2 TicketSQL search.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use crate::create::{self, Outcome, Poster};
use crate::stats::Latencies;

/// Where the Debian packages put RT's programs.
const RT_SERVER: &str = "/usr/share/request-tracker5/libexec/rt-server";
const SETUP_DATABASE: &str = "/usr/sbin/rt-setup-database-5";
const SET_PASSWORD: &str = "/usr/sbin/rt-passwd-5";
/// The account the load files tickets as (RT's superuser, made at init).
const USER: &str = "root";
/// RT's default queue.
const QUEUE: &str = "General";

/// Why RT5 was not measured when its packages are missing (not an error of
/// the run: `scripts/bench.sh` installs them when it can).
pub const NOT_INSTALLED: &str = "Request Tracker 5 is not installed";

/// How a run goes.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub concurrency: usize,
    pub warmup: usize,
    /// Tickets are filed for this long (the rate counts what was done).
    pub duration: Duration,
    /// rt-server's (Starlet's) worker processes.
    pub workers: usize,
}

pub async fn run(plan: Plan) -> Result<Outcome> {
    for program in [RT_SERVER, SETUP_DATABASE, SET_PASSWORD] {
        if !Path::new(program).is_file() {
            bail!(
                "{NOT_INSTALLED} (no {program}; apt-get install request-tracker5 rt5-db-sqlite rt5-standalone)"
            );
        }
    }
    let dir = tempfile::tempdir().context("temp dir")?;
    let port = free_port()?;
    let password = format!("bench-{}", uuid::Uuid::new_v4().simple());
    let instance = Instance::configure(dir.path(), port)?;
    instance.init(&password).await?;
    let mut server = instance.start(plan.workers)?;
    let base = format!("http://127.0.0.1:{port}");
    let result = async {
        let http = Client::builder()
            .pool_max_idle_per_host(plan.concurrency)
            .timeout(Duration::from_secs(60))
            .build()
            .context("HTTP client")?;
        wait_ready(&http, &base, &password, &mut server, &instance).await?;
        measure(&http, &base, &password, plan).await
    }
    .await;
    server.stop().await;
    result.map_err(|e| match instance.log_tail() {
        Some(tail) => e.context(format!("RT log: {tail}")),
        None => e,
    })
}

/// A port nobody listens on now (rt-server binds it a moment later).
fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("find a free port")?;
    Ok(listener.local_addr().context("free port")?.port())
}

/// One RT's files: site config, empty config dir, database, temp and log.
struct Instance {
    port: u16,
    database: PathBuf,
    config: PathBuf,
    config_dir: PathBuf,
    tmp: PathBuf,
    log: PathBuf,
}

impl Instance {
    fn configure(dir: &Path, port: u16) -> Result<Self> {
        let config_dir = dir.join("RT_SiteConfig.d");
        let tmp = dir.join("tmp");
        for d in [&config_dir, &tmp] {
            std::fs::create_dir(d).with_context(|| format!("create {}", d.display()))?;
        }
        let database = dir.join("rt.sqlite3");
        let config = dir.join("RT_SiteConfig.pm");
        let text = format!(
            "Set($rtname, 'deskmate-bench');\n\
             Set($Organization, 'deskmate-bench.example');\n\
             Set($DatabaseType, 'SQLite');\n\
             Set($DatabaseName, '{}');\n\
             Set($WebDomain, '127.0.0.1');\n\
             Set($WebPort, {port});\n\
             Set($WebPath, '');\n\
             Set($WebBaseURL, 'http://127.0.0.1:{port}');\n\
             Set($BcryptCost, 4);\n\
             Set($MailCommand, 'testfile');\n\
             Set($LogToSTDERR, 'warning');\n\
             Set($LogToSyslog, undef);\n\
             Set($LogToFile, undef);\n\
             1;\n",
            perl_quoted(&database)?
        );
        std::fs::write(&config, text).with_context(|| format!("write {}", config.display()))?;
        Ok(Self {
            port,
            database,
            config,
            config_dir,
            tmp,
            log: dir.join("rt-server.log"),
        })
    }

    /// A command of RT's that reads this instance's config.
    fn command(&self, program: &str) -> tokio::process::Command {
        let mut c = tokio::process::Command::new(program);
        c.env("RT_SITE_CONFIG", &self.config)
            .env("RT_SITE_CONFIG_DIR", &self.config_dir)
            .env("TMPDIR", &self.tmp)
            .stdin(Stdio::null())
            .kill_on_drop(true);
        c
    }

    /// Creates the database (schema and RT's initial data: queue General,
    /// user root), then re-sets root's password at the configured bcrypt cost.
    async fn init(&self, password: &str) -> Result<()> {
        let out = self
            .command(SETUP_DATABASE)
            .args(["--action", "init", "--skip-create"])
            .output()
            .await
            .context("run rt-setup-database-5")?;
        if !out.status.success() {
            bail!(
                "rt-setup-database-5 --action init failed ({}): {}",
                out.status,
                tail(&String::from_utf8_lossy(&out.stderr))
            );
        }
        let mut child = self
            .command(SET_PASSWORD)
            .arg(USER)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("run rt-passwd-5")?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| anyhow!("no rt-passwd-5 stdin"))?;
        stdin
            .write_all(format!("{password}\n").as_bytes())
            .await
            .context("password to rt-passwd-5")?;
        drop(stdin);
        let out = child.wait_with_output().await.context("rt-passwd-5")?;
        // rt-passwd ends with `exit 1` even when it succeeded: what it
        // prints tells, and the stored hash must be at the cheap cost.
        let said = String::from_utf8_lossy(&out.stdout);
        if !said.contains("Successfully changed") {
            bail!(
                "rt-passwd-5 {USER} failed ({}): {} {}",
                out.status,
                said.trim(),
                tail(&String::from_utf8_lossy(&out.stderr))
            );
        }
        let hash = self.password_hash().await?;
        if !hash.starts_with("!bcrypt!04!") {
            bail!(
                "{USER}'s password is not stored at bcrypt cost 4 (hash starts {:?})",
                hash.get(..11).unwrap_or(&hash)
            );
        }
        Ok(())
    }

    /// The stored password hash of USER, read from the database file.
    async fn password_hash(&self) -> Result<String> {
        let url = format!("sqlite://{}?mode=ro", self.database.display());
        let pool = sqlx::SqlitePool::connect(&url)
            .await
            .with_context(|| format!("open {url}"))?;
        let hash: Result<String, _> =
            sqlx::query_scalar("SELECT Password FROM Users WHERE Name = ?")
                .bind(USER)
                .fetch_one(&pool)
                .await;
        pool.close().await;
        hash.with_context(|| format!("{USER}'s password in {url}"))
    }

    /// Starts rt-server (Starlet, prefork) in its own process group.
    fn start(&self, workers: usize) -> Result<Server> {
        let log = std::fs::File::create(&self.log)
            .with_context(|| format!("create {}", self.log.display()))?;
        let log2 = log.try_clone().context("log file")?;
        let child = self
            .command(RT_SERVER)
            .args(["--host", "127.0.0.1", "--port", &self.port.to_string()])
            .arg("--max-workers")
            .arg(workers.max(1).to_string())
            .stdout(log)
            .stderr(log2)
            .process_group(0)
            .spawn()
            .context("start rt-server")?;
        let pid = child
            .id()
            .ok_or_else(|| anyhow!("rt-server exited at once"))?;
        Ok(Server { child, pid })
    }

    /// The end of rt-server's log, when it has one.
    fn log_tail(&self) -> Option<String> {
        let text = std::fs::read_to_string(&self.log).ok()?;
        let t = tail(&text);
        (!t.is_empty()).then_some(t)
    }
}

/// A path as a single-quoted Perl string.
fn perl_quoted(path: &Path) -> Result<String> {
    let s = path
        .to_str()
        .ok_or_else(|| anyhow!("temp path is not UTF-8: {}", path.display()))?;
    if s.contains(['\'', '\\']) {
        bail!("temp path has a quote or backslash: {s}");
    }
    Ok(s.to_owned())
}

/// The last few lines of a program's output, on one line.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" | ")
}

/// rt-server and its workers (one process group).
struct Server {
    child: tokio::process::Child,
    pid: u32,
}

impl Server {
    /// Whether the master has ended, and how.
    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// TERM to the whole group (Starlet ends its workers), KILL after 10 s.
    async fn stop(mut self) {
        signal_group(self.pid, "-TERM");
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .is_err()
        {
            signal_group(self.pid, "-KILL");
            let _ = self.child.wait().await;
        }
        // Workers that outlived their master.
        signal_group(self.pid, "-KILL");
    }
}

fn signal_group(pgid: u32, signal: &str) {
    let _ = std::process::Command::new("kill")
        .args([signal, "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Polls an authenticated REST2 call until RT answers it (at most 120 s).
async fn wait_ready(
    http: &Client,
    base: &str,
    password: &str,
    server: &mut Server,
    instance: &Instance,
) -> Result<()> {
    let started = Instant::now();
    let url = format!("{base}/REST/2.0/queues/all");
    let mut last = String::from("no answer");
    while started.elapsed() < Duration::from_secs(120) {
        match http.get(&url).basic_auth(USER, Some(password)).send().await {
            Ok(r) if r.status() == StatusCode::OK => {
                crate::progress(&format!(
                    "RT5 answered after {:.1} s",
                    started.elapsed().as_secs_f64()
                ));
                return Ok(());
            }
            Ok(r) if r.status() == StatusCode::UNAUTHORIZED => {
                bail!("RT refused {USER}'s password ({url} answered 401)")
            }
            Ok(r) => last = format!("answered {}", r.status()),
            Err(e) => last = format!("{e}"),
        }
        if let Some(status) = server.exited() {
            bail!(
                "rt-server ended ({status}) before answering: {}",
                instance.log_tail().unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("RT did not answer {url} within 120 s: {last}")
}

/// REST2 `POST /REST/2.0/ticket` with basic auth.
#[derive(Clone)]
struct Rt {
    url: String,
    password: String,
}

impl Poster for Rt {
    fn request(&self, http: &Client, subject: &str) -> RequestBuilder {
        http.post(&self.url)
            .basic_auth(USER, Some(&self.password))
            .json(&json!({
                "Queue": QUEUE,
                "Requestor": crate::helpdesk::CUSTOMER,
                "Subject": subject,
                "Content": crate::helpdesk::TICKET_TEXT,
                "ContentType": "text/plain",
            }))
    }

    /// RT can answer a failure with a success status and messages in the
    /// body: a created ticket is a 201 whose body names its id.
    fn check(&self, status: StatusCode, body: &[u8]) -> Result<()> {
        let text = String::from_utf8_lossy(body);
        if status != StatusCode::CREATED {
            bail!("answered {status}: {}", text.trim());
        }
        let answer: Value = serde_json::from_slice(body)
            .with_context(|| format!("answer is not JSON: {}", text.trim()))?;
        let id = answer["id"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| answer["id"].as_u64().map(|n| n.to_string()));
        match id {
            Some(id) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => bail!("answer names no ticket id: {}", text.trim()),
        }
        if answer["type"] != "ticket" {
            bail!("answer is not a ticket: {}", text.trim());
        }
        Ok(())
    }
}

async fn measure(http: &Client, base: &str, password: &str, plan: Plan) -> Result<Outcome> {
    let poster = Rt {
        url: format!("{base}/REST/2.0/ticket"),
        password: password.to_owned(),
    };
    let posters = vec![poster; plan.concurrency.max(1)];
    let run_id = uuid::Uuid::new_v4().simple().to_string();
    let prefix = format!("bench {run_id} ");

    let warmup = create::phase(http, &posters, &format!("{prefix}w"), plan.warmup, None).await?;
    let started = Instant::now();
    let measured = create::phase(
        http,
        &posters,
        &format!("{prefix}m"),
        usize::MAX,
        Some(started + plan.duration),
    )
    .await?;
    let elapsed = started.elapsed();

    // RT kept every one of them, once.
    let expected = warmup.len() + measured.len();
    let subjects = search_subjects(http, base, password, &prefix).await?;
    let distinct: HashSet<&str> = subjects.iter().map(String::as_str).collect();
    if subjects.len() != expected || distinct.len() != expected {
        bail!(
            "posted {expected} tickets, RT's search finds {} ({} distinct)",
            subjects.len(),
            distinct.len()
        );
    }
    Ok(Outcome {
        completed: measured.len(),
        elapsed,
        latencies: Latencies::new(measured),
    })
}

/// The subjects of every ticket whose subject starts with `prefix`, through
/// REST2's TicketSQL search, page by page.
async fn search_subjects(
    http: &Client,
    base: &str,
    password: &str,
    prefix: &str,
) -> Result<Vec<String>> {
    let query = format!("Queue = '{QUEUE}' AND Subject LIKE '{}'", prefix.trim_end());
    let mut subjects = Vec::new();
    let mut page = 1u64;
    loop {
        let r = http
            .get(format!("{base}/REST/2.0/tickets"))
            .basic_auth(USER, Some(password))
            .query(&[
                ("query", query.as_str()),
                ("fields", "Subject"),
                ("per_page", "100"),
                ("page", &page.to_string()),
            ])
            .send()
            .await
            .context("ticket search request")?;
        let status = r.status();
        let text = r.text().await.context("ticket search answer")?;
        if status != StatusCode::OK {
            bail!("ticket search answered {status}: {}", text.trim());
        }
        let body: Value = serde_json::from_str(&text)
            .with_context(|| format!("ticket search answer is not JSON: {}", text.trim()))?;
        let items = body["items"]
            .as_array()
            .ok_or_else(|| anyhow!("ticket search answer has no items: {}", text.trim()))?;
        subjects.extend(
            items
                .iter()
                .filter_map(|t| t["Subject"].as_str())
                .filter(|s| s.starts_with(prefix))
                .map(str::to_owned),
        );
        let pages = body["pages"].as_u64().unwrap_or(page);
        if items.is_empty() || page >= pages {
            return Ok(subjects);
        }
        page += 1;
    }
}
