//! Secrets live only in the OS keyring, wrapped so they cannot leak by accident.

use std::fmt;

use crate::{CoreError, Result};

/// A secret value: redacts itself in `Debug`/`Display` and implements no
/// `Serialize`, so it cannot end up in a log line, a JSON body or the cache.
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself; call only where it must leave (an HTTP header, the keyring).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where session tokens are kept. Blocking: call from a blocking thread.
pub trait SecretStore: Send + Sync + 'static {
    /// The secret for `account`, or `None` when there is none (signed out).
    fn get(&self, account: &str) -> Result<Option<Sensitive<String>>>;
    fn set(&self, account: &str, secret: &Sensitive<String>) -> Result<()>;
    /// Removes the secret; removing a missing one is not an error.
    fn delete(&self, account: &str) -> Result<()>;
}

/// The OS keyring: Secret Service on Linux, Keychain on macOS, Credential
/// Manager on Windows.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub const DEFAULT_SERVICE: &'static str = "com.deskmate.app";

    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, account).map_err(keyring_error)
    }
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_SERVICE)
    }
}

fn keyring_error(e: keyring::Error) -> CoreError {
    CoreError::Keyring(e.to_string())
}

impl SecretStore for KeyringStore {
    fn get(&self, account: &str) -> Result<Option<Sensitive<String>>> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(Sensitive::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn set(&self, account: &str, secret: &Sensitive<String>) -> Result<()> {
        self.entry(account)?
            .set_password(secret.expose())
            .map_err(keyring_error)
    }

    fn delete(&self, account: &str) -> Result<()> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_never_prints_its_value() {
        let s = Sensitive::new("hunter2".to_string());
        assert_eq!(format!("{s:?} {s}"), "<redacted> <redacted>");
        assert_eq!(s.expose(), "hunter2");
    }
}
