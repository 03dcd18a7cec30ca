//! Reading what the tools print: an ID, a version. Anything else is
//! "unreadable output", never guessed at.

/// A remote-assistance ID as RustDesk and AnyDesk print it (`123456789`,
/// a custom RustDesk ID, an AnyDesk alias `name@ad`): the first non-empty
/// line, 6 to 64 characters of letters, digits, `@ . _ -`, spaces between
/// digit groups dropped.
pub fn tool_id(stdout: &str) -> Option<String> {
    let text = clean(stdout);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    id_value(line)
}

/// TeamViewer's `teamviewer info` on Linux: the `TeamViewer ID:` line.
#[cfg_attr(
    any(windows, target_os = "macos"),
    allow(dead_code, reason = "read from the registry or the preferences there")
)]
pub fn teamviewer_info_id(stdout: &str) -> Option<String> {
    clean(stdout).lines().find_map(|line| {
        let (label, value) = line.split_once(':')?;
        if label.trim().eq_ignore_ascii_case("TeamViewer ID") {
            id_value(value.trim()).filter(|id| id.chars().all(|c| c.is_ascii_digit()))
        } else {
            None
        }
    })
}

/// A `reg query ... /v NAME` answer: the value of NAME (`REG_DWORD` in
/// hex, as TeamViewer's `ClientID` is, or `REG_SZ`).
#[cfg_attr(not(windows), allow(dead_code, reason = "read on Windows only"))]
pub fn registry_value(stdout: &str, name: &str) -> Option<String> {
    stdout.lines().find_map(|line| {
        let mut parts = line.split_whitespace();
        if !parts.next()?.eq_ignore_ascii_case(name) {
            return None;
        }
        let kind = parts.next()?;
        let value = parts.collect::<Vec<_>>().join(" ");
        match kind {
            "REG_DWORD" | "REG_QWORD" => {
                let hex = value.strip_prefix("0x")?;
                u64::from_str_radix(hex, 16).ok().map(|n| n.to_string())
            }
            "REG_SZ" | "REG_EXPAND_SZ" if !value.is_empty() => Some(value),
            _ => None,
        }
    })
}

/// The first `1.2.3`-like word of the output (`TeamViewer 15.48.4 (DEB)`,
/// `1.3.2`).
pub fn version(stdout: &str) -> Option<String> {
    clean(stdout).split_whitespace().find_map(|word| {
        let word = word.trim_start_matches(['v', 'V']);
        let parts: Vec<&str> = word.split('.').collect();
        let numeric = parts.len() >= 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 10 && p.chars().all(|c| c.is_ascii_digit()));
        numeric.then(|| word.to_owned())
    })
}

/// A macOS bundle's `Info.plist`: its `CFBundleShortVersionString`.
#[cfg_attr(
    not(target_os = "macos"),
    allow(dead_code, reason = "read on macOS only")
)]
pub fn plist_version(plist: &str) -> Option<String> {
    let after = plist
        .split("<key>CFBundleShortVersionString</key>")
        .nth(1)?;
    let value = after.trim_start().strip_prefix("<string>")?;
    let value = value.split("</string>").next()?;
    version(value)
}

fn id_value(text: &str) -> Option<String> {
    let digits_grouped = text
        .split(' ')
        .all(|g| g.chars().all(|c| c.is_ascii_digit()));
    let id: String = if digits_grouped {
        text.chars().filter(|c| *c != ' ').collect()
    } else {
        text.to_owned()
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '-');
    (6..=64)
        .contains(&id.chars().count())
        .then_some(())
        .filter(|()| id.chars().all(allowed) && id.chars().any(|c| c.is_ascii_alphanumeric()))
        .map(|()| id)
}

/// Without terminal colours (`teamviewer info` prints them).
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        if c == '\r' {
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_and_garbage_is_not() {
        assert_eq!(tool_id("123456789\n").as_deref(), Some("123456789"));
        assert_eq!(
            tool_id("\n 1 234 567 890 \n").as_deref(),
            Some("1234567890")
        );
        assert_eq!(tool_id("office-pc@ad").as_deref(), Some("office-pc@ad"));
        assert_eq!(tool_id("Error: service not running"), None);
        assert_eq!(tool_id("\u{fffd}\u{fffd}%%%"), None);
        assert_eq!(tool_id("12345"), None);
        assert_eq!(tool_id(""), None);
    }

    #[test]
    fn teamviewer_info_gives_its_id_line() {
        let info = "\u{1b}[1mTeamViewer 15.48.4\u{1b}[0m (DEB)\n\n \
            TeamViewer ID:      \u{1b}[0;32m1 234 567 890\u{1b}[0m\n teamviewerd status ● active\n";
        assert_eq!(teamviewer_info_id(info).as_deref(), Some("1234567890"));
        assert_eq!(version(info).as_deref(), Some("15.48.4"));
        assert_eq!(teamviewer_info_id("TeamViewer ID: not found"), None);
    }

    #[test]
    fn registry_values_in_hex_and_text() {
        let out = "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\TeamViewer\r\n    ClientID    REG_DWORD    0x499602d2\r\n";
        assert_eq!(
            registry_value(out, "ClientID").as_deref(),
            Some("1234567890")
        );
        let out = "    DisplayVersion    REG_SZ    8.0.10\n";
        assert_eq!(
            registry_value(out, "DisplayVersion").as_deref(),
            Some("8.0.10")
        );
        assert_eq!(registry_value(out, "ClientID"), None);
    }

    #[test]
    fn versions_and_plists() {
        assert_eq!(version("1.3.2\n").as_deref(), Some("1.3.2"));
        assert_eq!(version("AnyDesk v6.3.0").as_deref(), Some("6.3.0"));
        assert_eq!(version("garbage 1. .2"), None);
        let plist =
            "<dict>\n<key>CFBundleShortVersionString</key>\n\t<string>1.2.6</string>\n</dict>";
        assert_eq!(plist_version(plist).as_deref(), Some("1.2.6"));
    }
}
