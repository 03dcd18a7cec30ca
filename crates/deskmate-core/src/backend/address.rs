//! Where every helpdesk address enters (sign-in, the CLI, the app): the
//! forms accepted, and plain HTTP only to this computer.

use crate::{CoreError, Result};

/// Accepts `http(s)://host[:port][/prefix]`, trims spaces and trailing slashes.
pub fn normalize_url(url: &str) -> Result<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| {
            CoreError::Invalid(format!(
                "the helpdesk address must start with http:// or https:// (got {url:?})"
            ))
        })?;
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err(CoreError::Invalid(format!(
            "{url:?} is not a helpdesk address"
        )));
    }
    let host = host_of(rest);
    if url.starts_with("http://") && !is_loopback(host) {
        return Err(CoreError::Invalid(format!(
            "http:// would send your password and session to {host} in clear text: \
             use https://{rest} (plain http:// is only for this computer: 127.0.0.1, ::1, localhost)"
        )));
    }
    Ok(url.to_owned())
}

/// The host of `authority[/path]`: without a user part, port or brackets.
fn host_of(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => authority.split(':').next().unwrap_or(authority),
    }
}

/// 127.0.0.0/8, ::1 and `localhost`: the only hosts plain HTTP may reach.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use deskmate_api::ErrorCode;

    #[test]
    fn urls_are_normalized_or_refused() {
        assert_eq!(
            normalize_url(" http://127.0.0.1:8080/ ").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(normalize_url("ftp://x").is_err());
        assert!(normalize_url("http://").is_err());
        assert!(normalize_url("127.0.0.1:8080").is_err());
    }

    #[test]
    fn plain_http_is_only_for_this_computer() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.3.4.5/helpdesk",
            "http://[::1]:8080",
            "http://LOCALHOST:1",
            "https://help.example.com",
            "https://192.0.2.7:8443/desk",
        ] {
            assert_eq!(normalize_url(ok).unwrap(), ok, "{ok}");
        }
        for refused in [
            "http://help.example.com",
            "http://192.0.2.7:8080",
            "http://[2001:db8::1]:8080",
            "http://localhost.evil.example",
            "http://127.0.0.1@help.example.com",
            "http://128.0.0.1",
        ] {
            let e = normalize_url(refused).unwrap_err();
            assert_eq!(e.code(), ErrorCode::Validation, "{refused}");
            assert!(e.to_string().contains("clear text"), "{refused}: {e}");
        }
    }
}
