//! Passwords (argon2) and bearer tokens (random, stored only as SHA-256).
//! The extractor that turns a request's token into the signed-in person is
//! [`crate::extract::Caller`].

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};

/// How long a sign-in lasts.
pub const SESSION_DAYS: i64 = 30;

/// Failed sign-ins allowed per address from one client (IP) within the
/// window before that client's further attempts at the address are
/// refused with 429, even with the right password. Other clients, the
/// owner's among them, are not affected by them.
pub const LOGIN_FAILURES_ALLOWED: i64 = 10;
pub const LOGIN_FAILURE_WINDOW_MINUTES: i64 = 15;
/// Failed sign-ins allowed per address from all clients together within the
/// short window: guesses spread over many clients lock the address, but
/// only until the window has passed without them.
pub const ADDRESS_FAILURES_ALLOWED: i64 = 50;
pub const ADDRESS_FAILURE_WINDOW_MINUTES: i64 = 5;

/// Hashes a password with argon2id and a fresh random salt (CPU-heavy: call
/// it off the async runtime).
pub fn hash_password(password: &str) -> ApiResult<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(ApiError::internal)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(ApiError::internal)
}

/// Checks a password against a stored hash (CPU-heavy: off the runtime).
pub fn verify_password(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash no password matches, checked for unknown e-mail addresses so that a
/// wrong address takes as long as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let mut random = [0u8; 32];
        rand::rng().fill_bytes(&mut random);
        hash_password(&hex(&random)).unwrap_or_default()
    })
}

/// A new bearer token: 32 random bytes, hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("demo-password").unwrap();
        assert!(verify_password(&hash, "demo-password"));
        assert!(!verify_password(&hash, "demo-passwort"));
        assert!(!verify_password("not a hash", "demo-password"));
        assert!(!verify_password(decoy_hash(), ""));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
