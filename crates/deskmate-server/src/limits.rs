//! What one account or one client may hold or do at once in this process:
//! open event streams, uploads in flight, sign-in checks, writes per minute.
//! Each refusal is a typed 429 (`rate_limited`) saying what to wait for.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use deskmate_api::ErrorCode;
use tokio::sync::Semaphore;

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
}

impl Default for Caps {
    fn default() -> Self {
        Self {
            // The app, the CLI following, and a few console tabs.
            streams_per_account: 8,
            password_checks: std::thread::available_parallelism().map_or(1, usize::from),
            login_failures_per_client: 30,
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

/// The in-process limits every handler shares.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Open live-event streams per account.
    pub streams: Arc<Slots>,
    /// Turns at checking a password.
    pub password_checks: Arc<Semaphore>,
}

impl Limits {
    pub fn new(caps: Caps) -> Self {
        Self {
            streams: Slots::new(caps.streams_per_account),
            password_checks: Arc::new(Semaphore::new(caps.password_checks.max(1))),
        }
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
}
