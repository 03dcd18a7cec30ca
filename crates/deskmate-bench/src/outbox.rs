//! Outbox drain: writes queued in a core's outbox while the helpdesk is down,
//! then the helpdesk back on the same address and one forced drain timed
//! until nothing is pending.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use deskmate_api::{Department, NewTicket, Priority};
use deskmate_core::cache::{Account, Write};
use deskmate_core::{Core, CoreError, SecretStore, Sensitive};

use crate::helpdesk::{self, CUSTOMER, DEMO_PASSWORD, Engine};

/// Session tokens in memory: no keyring, no D-Bus.
#[derive(Default)]
struct MemorySecrets(Mutex<HashMap<String, String>>);

impl MemorySecrets {
    fn lock(&self) -> deskmate_core::Result<std::sync::MutexGuard<'_, HashMap<String, String>>> {
        self.0
            .lock()
            .map_err(|_| CoreError::Keyring("memory secret store poisoned".into()))
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, account: &str) -> deskmate_core::Result<Option<Sensitive<String>>> {
        Ok(self.lock()?.get(account).cloned().map(Sensitive::new))
    }

    fn set(&self, account: &str, secret: &Sensitive<String>) -> deskmate_core::Result<()> {
        self.lock()?
            .insert(account.to_owned(), secret.expose().clone());
        Ok(())
    }

    fn delete(&self, account: &str) -> deskmate_core::Result<()> {
        self.lock()?.remove(account);
        Ok(())
    }
}

/// What a run measured.
#[derive(Debug)]
pub struct Outcome {
    pub items: usize,
    pub queue_time: Duration,
    pub drain_time: Duration,
    pub passes: usize,
}

impl Outcome {
    pub fn per_second(&self) -> f64 {
        self.items as f64 / self.drain_time.as_secs_f64()
    }
}

pub async fn run(items: usize) -> Result<Outcome> {
    let server_dir = tempfile::tempdir().context("temp dir")?;
    let core_dir = tempfile::tempdir().context("temp dir")?;
    let db_url = helpdesk::fresh_database(Engine::Sqlite, &server_dir).await?;

    // Sign in while the helpdesk is up, then take it away.
    let server = helpdesk::start(([127, 0, 0, 1], 0).into(), &db_url).await?;
    let addr = server.local_addr();
    let base = format!("http://{addr}");
    let core = Core::open_with(core_dir.path(), Arc::new(MemorySecrets::default()))
        .await
        .context("open core")?;
    core.login(&base, CUSTOMER, Sensitive::new(DEMO_PASSWORD.to_owned()))
        .await
        .context("core sign-in")?;
    server.shutdown().await;

    let session = core
        .session()
        .await?
        .ok_or_else(|| anyhow!("core has no session after signing in"))?;
    let account = Account {
        server_url: session.server_url.clone(),
        user_id: session.user.id,
    };
    let prefix = format!("outbox {} ", uuid::Uuid::new_v4().simple());
    let queued = Instant::now();
    for i in 0..items {
        let ticket = NewTicket::new(
            Department::Technical,
            Priority::Regular,
            format!("{prefix}{i}"),
            "Queued while the helpdesk was unreachable. Filed by deskmate-bench.",
        );
        core.cache()
            .queue(account.clone(), Write::NewTicket(ticket))
            .await
            .context("queue ticket")?;
    }
    let queue_time = queued.elapsed();

    // Proof that the helpdesk is unreachable: a drain sends nothing.
    let offline = core.drain_outbox(true).await.context("offline drain")?;
    if offline.online || offline.sent != 0 || offline.pending as usize != items {
        bail!("expected an offline drain with {items} pending, got {offline:?}");
    }

    // The helpdesk comes back on the same address, same database.
    let server = helpdesk::start(addr, &db_url).await?;
    let started = Instant::now();
    let mut passes = 0;
    let mut sent = 0_usize;
    loop {
        let report = core.drain_outbox(true).await.context("drain")?;
        passes += 1;
        sent += report.sent as usize;
        if report.failed != 0 {
            bail!("the helpdesk refused {} queued tickets", report.failed);
        }
        if report.pending == 0 {
            break;
        }
        if passes >= 100 || started.elapsed() > Duration::from_secs(600) {
            bail!(
                "outbox still has {} pending after {passes} passes",
                report.pending
            );
        }
    }
    let drain_time = started.elapsed();

    let http = reqwest::Client::new();
    let token = helpdesk::login(&http, &base, CUSTOMER).await?;
    let counted = helpdesk::count_tickets(&http, &base, &token, &prefix).await;
    server.shutdown().await;
    let (found, distinct) = counted?;
    if sent != items || found != items || distinct != items {
        bail!(
            "queued {items}, drain reported {sent} sent, the server lists {found} ({distinct} distinct)"
        );
    }
    Ok(Outcome {
        items,
        queue_time,
        drain_time,
        passes,
    })
}
