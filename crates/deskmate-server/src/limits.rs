//! What one account or one client may hold or do at once in this process:
//! open event streams, uploads in flight, sign-in checks, writes per minute.
//! Each refusal is a typed 429 (`rate_limited`) saying what to wait for.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use deskmate_api::ErrorCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// The caps a provider may change (`deskmate-server serve` flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caps {
    /// Live-event streams one account may have open at once.
    pub streams_per_account: usize,
    /// Passwords checked (argon2) at once; each takes a core and 19 MiB.
    pub password_checks: usize,
    /// Failed sign-ins from one client (IP), for any addresses, within
    /// [`crate::auth::LOGIN_FAILURE_WINDOW_MINUTES`] before it is refused.
    pub login_failures_per_client: i64,
    /// Uploads one account may send at once (each buffers up to 10 MiB).
    pub uploads_per_account: usize,
    /// Uploads the server receives at once, from everyone.
    pub uploads_at_once: usize,
    /// Writes (anything but reading, signing out and the session's own
    /// routes) one account may make per minute, in bursts of as many.
    pub writes_per_minute: u32,
}

impl Default for Caps {
    fn default() -> Self {
        Self {
            // The app, the CLI following, and a few console tabs.
            streams_per_account: 8,
            password_checks: std::thread::available_parallelism().map_or(1, usize::from),
            login_failures_per_client: 30,
            uploads_per_account: 2,
            // At most 80 MiB of buffered uploads.
            uploads_at_once: 8,
            // Ten a second: far above what people and the app do, a brake on scripts.
            writes_per_minute: 600,
        }
    }
}

/// How long a sign-in waits for its turn to have its password checked.
pub const PASSWORD_CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// How many of something each account holds now, up to a cap.
#[derive(Debug)]
pub struct Slots {
    cap: usize,
    held: Mutex<HashMap<i64, usize>>,
}

/// One slot of an account, given back when dropped.
#[derive(Debug)]
pub struct Slot {
    slots: Arc<Slots>,
    account: i64,
}

impl Slots {
    pub fn new(cap: usize) -> Arc<Self> {
        Arc::new(Self {
            cap,
            held: Mutex::new(HashMap::new()),
        })
    }

    /// A slot for `account`, or `None` when it holds `cap` already.
    pub fn take(self: &Arc<Self>, account: i64) -> Option<Slot> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        let count = held.entry(account).or_insert(0);
        if *count >= self.cap {
            return None;
        }
        *count += 1;
        Some(Slot {
            slots: Arc::clone(self),
            account,
        })
    }

    /// How many slots `account` holds now.
    pub fn held_by(&self, account: i64) -> usize {
        let held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.get(&account).copied().unwrap_or(0)
    }

    pub fn cap(&self) -> usize {
        self.cap
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut held = self
            .slots
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = held.get_mut(&self.account) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                held.remove(&self.account);
            }
        }
    }
}

/// A rate per account: a bucket of `per_minute` tokens, refilled evenly
/// over a minute; each action takes one.
#[derive(Debug)]
pub struct Rate {
    per_minute: u32,
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl Rate {
    pub fn per_minute(per_minute: u32) -> Self {
        Self {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `account` may act at `now` (and if so, it is counted).
    pub fn allow(&self, account: i64, now: Instant) -> bool {
        let full = f64::from(self.per_minute);
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() > 10_000 {
            // Forget the accounts whose bucket has refilled: they start full anyway.
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.saturating_duration_since(*at).as_secs_f64() * full / 60.0 < full
            });
        }
        let (tokens, at) = buckets.entry(account).or_insert((full, now));
        let refilled = now.saturating_duration_since(*at).as_secs_f64() * full / 60.0;
        *tokens = (*tokens + refilled).min(full);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }

    pub fn limit(&self) -> u32 {
        self.per_minute
    }
}

/// The in-process limits every handler shares.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Open live-event streams per account.
    pub streams: Arc<Slots>,
    /// Turns at checking a password.
    pub password_checks: Arc<Semaphore>,
    /// Uploads in flight per account, and from everyone.
    pub uploads: Arc<Slots>,
    pub uploads_at_once: Arc<Semaphore>,
    /// Writes per account.
    pub writes: Arc<Rate>,
}

impl Limits {
    pub fn new(caps: Caps) -> Self {
        Self {
            streams: Slots::new(caps.streams_per_account),
            password_checks: Arc::new(Semaphore::new(caps.password_checks.max(1))),
            uploads: Slots::new(caps.uploads_per_account),
            uploads_at_once: Arc::new(Semaphore::new(caps.uploads_at_once)),
            writes: Arc::new(Rate::per_minute(caps.writes_per_minute)),
        }
    }

    /// Checks a password with argon2 off the runtime once a turn is free
    /// ([`Caps::password_checks`] at once); a typed 429 after `wait`
    /// without one.
    pub async fn check_password(
        &self,
        wait: std::time::Duration,
        stored: String,
        password: String,
    ) -> Result<bool, ApiError> {
        let turn = Arc::clone(&self.password_checks);
        let permit = tokio::time::timeout(wait, turn.acquire_owned())
            .await
            .map_err(|_| {
                too_many(
                    "the server is busy checking other sign-ins",
                    "try again in a moment",
                )
            })?
            .map_err(ApiError::internal)?;
        let matches = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            crate::auth::verify_password(&stored, &password)
        })
        .await
        .map_err(ApiError::internal)?;
        Ok(matches)
    }

    /// A place for an upload of `account`, taken before its body is read;
    /// a typed 429 when the account or the server has as many in flight as
    /// it may.
    pub fn upload(&self, account: i64) -> Result<(Slot, OwnedSemaphorePermit), ApiError> {
        let slot = self.uploads.take(account).ok_or_else(|| {
            too_many(
                &format!(
                    "this account is already sending {} files",
                    self.uploads.cap()
                ),
                "send this one when they are done",
            )
        })?;
        let permit = Arc::clone(&self.uploads_at_once)
            .try_acquire_owned()
            .map_err(|_| {
                too_many(
                    "the server is receiving as many files as it can",
                    "try again in a moment",
                )
            })?;
        Ok((slot, permit))
    }
}

/// The 429 of a cap or rate: `what` was refused, `wait` says until when.
pub fn too_many(what: &str, wait: &str) -> ApiError {
    ApiError::new(ErrorCode::RateLimited, format!("{what}: {wait}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_per_account_and_given_back_when_dropped() {
        let slots = Slots::new(2);
        let a = slots.take(1).unwrap();
        let _b = slots.take(1).unwrap();
        assert!(slots.take(1).is_none(), "the cap holds");
        let _other = slots.take(2).unwrap();
        drop(a);
        assert_eq!(slots.held_by(1), 1);
        assert!(slots.take(1).is_some());
    }

    #[tokio::test]
    async fn passwords_are_checked_only_as_many_at_once_as_allowed() {
        let limits = Limits::new(Caps {
            password_checks: 1,
            ..Caps::default()
        });
        let hash = crate::auth::hash_password("right-password").unwrap();
        let short = std::time::Duration::from_millis(50);
        let held = Arc::clone(&limits.password_checks)
            .acquire_owned()
            .await
            .unwrap();
        let refused = limits
            .check_password(short, hash.clone(), "right-password".into())
            .await
            .unwrap_err();
        assert_eq!(refused.code(), ErrorCode::RateLimited);
        drop(held);
        let checked = limits
            .check_password(short, hash, "right-password".into())
            .await;
        assert!(checked.unwrap());
    }

    #[test]
    fn a_rate_allows_its_burst_then_refills_over_the_minute() {
        let rate = Rate::per_minute(3);
        let start = Instant::now();
        assert!((0..3).all(|_| rate.allow(7, start)));
        assert!(!rate.allow(7, start), "the burst is spent");
        assert!(rate.allow(8, start), "each account has its own");
        assert!(!rate.allow(7, start + std::time::Duration::from_secs(19)));
        assert!(
            rate.allow(7, start + std::time::Duration::from_secs(21)),
            "one back every 20 s"
        );
        assert!(!rate.allow(7, start + std::time::Duration::from_secs(21)));
    }
}
