//! `deskmate scrub FILE`: the real binary prints a file as it would be
//! attached, keeping the signed-in user's own address; unreadable and
//! binary files are clear errors with a non-zero exit (run inside
//! scripts/with-session.sh, for the sign-in's keyring).

use crate::support::{TestServer, deskmate, login, ok};

const LOG: &str = "Dec 03 09:20:07 web01 app[2231]: DB_PASSWORD=Gr33nTea! from 203.0.113.24\n\
     mail to user@acme.example and bob@globex.example\n";

#[tokio::test]
async fn scrub_prints_what_would_be_attached() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("app.log");
    std::fs::write(&file, LOG).unwrap();
    let path = file.to_str().unwrap();

    // Signed out: every address goes.
    let data = dir.path().join("data");
    let out = ok(&data, &["scrub", path]).await;
    assert_eq!(
        out,
        "Dec 03 09:20:07 web01 app[2231]: DB_PASSWORD=[REDACTED] from 203.0.113.24\n\
         mail to [REDACTED] and [REDACTED]\n"
    );

    // Signed in as user@acme.example: their own address stays; IP
    // addresses go when asked.
    let server = TestServer::start().await;
    let run = login(&data, &server, "user@acme.example").await;
    assert_eq!(run.code, 0, "{run:?}");
    let out = ok(&data, &["scrub", "--ip-addresses", path]).await;
    assert_eq!(
        out,
        "Dec 03 09:20:07 web01 app[2231]: DB_PASSWORD=[REDACTED] from [REDACTED]\n\
         mail to user@acme.example and [REDACTED]\n"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        LOG,
        "the file is untouched"
    );

    // What cannot be read is said so, with a non-zero exit and nothing printed.
    let missing = dir.path().join("missing.log");
    let run = deskmate(&data, &["scrub", missing.to_str().unwrap()], None, "").await;
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("cannot read"), "{run:?}");
    assert!(run.stdout.is_empty());
    let binary = dir.path().join("shot.png");
    std::fs::write(
        &binary,
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xFE],
    )
    .unwrap();
    let run = deskmate(&data, &["scrub", binary.to_str().unwrap()], None, "").await;
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("not a text file"), "{run:?}");
    assert!(run.stdout.is_empty());
}
