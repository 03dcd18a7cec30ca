//! The scrubber over a corpus of real-looking logs (nginx, the systemd
//! journal, Windows event exports as XML and text, a shell history): every
//! secret in them is gone, the result is exactly the reviewed
//! `*.scrubbed` file beside each, and clean logs come out byte for byte.
//! `DESKMATE_UPDATE_CORPUS=1` rewrites the `*.scrubbed` files (review them).

use std::path::{Path, PathBuf};

use deskmate_core::diagnostics::{ScrubOptions, SecretKind, read_text_file, scrub};

/// Every secret planted in `corpus/scrub/dirty`.
const SECRETS: &[&str] = &[
    "Sunflower42",
    "9f8e7d6c5b4a3210fedcba9876543210",
    "Zx9QmV4r7TqY2pLw8sNk3bHc",
    "eyJhbGciOiJIUzI1NiJ9",
    "abc123def456",
    "Qw3rTy",
    "Tr0ub4dor",
    "Gr33nTea!",
    "accounts@globex.example",
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ",
    "QyNTUxOQAAACDl4k3Jb5vJ0pY5s3Zg8ZrWm4nP0s9c7kQm2Q1w6x8PqQAAAJgK1n3hCtZ9",
    "Winter2026!",
    "Autumn#77",
    "Sync!Pass9",
    "it-admin@acme.example",
    "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW",
    "Erp!2026",
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq",
    "helpdesk@provider.example",
    "RootPw!23",
    "ShopPw99",
    "YWRtaW46c2VjcmV0cGFzcw==",
    "D3pl0y!",
    "N0tS0S3cret",
    "Ci-Pa55",
    "R3p0rt",
    "xoxb-123456789012-abcdefghijkl",
];

fn corpus(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/scrub")
        .join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "scrubbed"))
        .collect();
    files.sort();
    files
}

fn options() -> ScrubOptions {
    ScrubOptions {
        own_email: Some("jana@acme.example".into()),
        ip_addresses: false,
    }
}

#[test]
fn every_planted_secret_is_removed_and_nothing_else() {
    let files = corpus("dirty");
    assert_eq!(files.len(), 5);
    let mut all_removed = std::collections::BTreeSet::new();
    for file in files {
        let out = scrub(&read_text_file(&file).unwrap(), &options());
        for secret in SECRETS {
            assert!(
                !out.text.contains(secret),
                "{secret} survived in {}:\n{}",
                file.display(),
                out.text
            );
        }
        assert!(out.total_removed() > 0, "{}", file.display());
        all_removed.extend(out.removed.keys().copied());
        let golden = file.with_extension(match file.extension() {
            Some(e) => format!("{}.scrubbed", e.to_string_lossy()),
            None => "scrubbed".to_owned(),
        });
        if std::env::var_os("DESKMATE_UPDATE_CORPUS").is_some() {
            std::fs::write(&golden, &out.text).unwrap();
        }
        let expected = std::fs::read_to_string(&golden).unwrap();
        assert_eq!(
            out.text,
            expected,
            "{} vs {}",
            file.display(),
            golden.display()
        );
        assert!(out.text.contains("jana@acme.example") || !expected.contains("jana@"));
    }
    for kind in [
        SecretKind::PrivateKey,
        SecretKind::AuthorizationHeader,
        SecretKind::Cookie,
        SecretKind::UrlPassword,
        SecretKind::CommandLine,
        SecretKind::KeyValue,
        SecretKind::CloudKey,
        SecretKind::Email,
    ] {
        assert!(all_removed.contains(&kind), "the corpus has no {kind:?}");
    }
}

#[test]
fn clean_logs_come_out_byte_for_byte() {
    let files = corpus("clean");
    assert!(files.len() >= 4);
    for file in files {
        let text = read_text_file(&file).unwrap();
        let out = scrub(&text, &options());
        assert_eq!(out.text, text, "{} changed", file.display());
        assert_eq!(out.total_removed(), 0);
    }
}

#[test]
fn a_utf16_windows_export_is_read_and_scrubbed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.txt");
    let text = "Event 7001: Password=Erp!2026; owner helpdesk@provider.example\r\n";
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(&path, bytes).unwrap();
    let out = scrub(&read_text_file(&path).unwrap(), &options());
    assert_eq!(
        out.text,
        "Event 7001: Password=[REDACTED]; owner [REDACTED]\r\n"
    );
}
