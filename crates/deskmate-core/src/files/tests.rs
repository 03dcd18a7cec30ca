use super::*;

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

fn store() -> (tempfile::TempDir, FileStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path());
    (dir, store)
}

fn outgoing_names(store: &FileStore) -> Vec<String> {
    std::fs::read_dir(store.outgoing())
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_staged_file_is_a_checked_copy() {
    let (dir, store) = store();
    let source = dir.path().join("nginx error.log");
    std::fs::write(&source, "502 Bad Gateway\n").unwrap();
    let staged = store.stage(&source).unwrap();
    assert_eq!(staged.file_name, "nginx error.log");
    assert_eq!(staged.kind, AttachmentKind::Text);
    assert_eq!(staged.size_bytes, 16);
    assert_eq!(staged.sha256, sha256_hex(b"502 Bad Gateway\n"));
    // A copy: the user may change or delete the original afterwards.
    std::fs::remove_file(&source).unwrap();
    assert_eq!(
        store.read_outgoing(&staged.local_name).unwrap().unwrap(),
        b"502 Bad Gateway\n"
    );
    assert_eq!(outgoing_names(&store), vec![staged.local_name.clone()]);
    store.remove_outgoing([staged.local_name.as_str()]);
    assert!(store.read_outgoing(&staged.local_name).unwrap().is_none());
}

#[test]
fn refused_files_leave_nothing_behind() {
    let (dir, store) = store();
    let exe = dir.path().join("setup.txt");
    std::fs::write(&exe, b"MZ\x90\0\x03\0\0\0").unwrap();
    let err = store.stage(&exe).unwrap_err();
    assert_eq!(err.code(), deskmate_api::ErrorCode::Validation, "{err}");
    assert!(err.to_string().contains("not accepted"), "{err}");

    let big = dir.path().join("big.png");
    let mut bytes = PNG_MAGIC.to_vec();
    bytes.resize(limits::ATTACHMENT_MAX_BYTES + 1, 0);
    std::fs::write(&big, &bytes).unwrap();
    let err = store.stage(&big).unwrap_err();
    assert_eq!(
        err.code(),
        deskmate_api::ErrorCode::PayloadTooLarge,
        "{err}"
    );

    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    assert!(store.stage(&empty).is_err());
    assert!(store.stage(&dir.path().join("missing.txt")).is_err());
    assert!(store.stage(dir.path()).is_err(), "a folder is refused");
    assert!(outgoing_names(&store).is_empty());
}

#[test]
fn the_largest_accepted_file_is_accepted() {
    let (dir, store) = store();
    let path = dir.path().join("max.txt");
    std::fs::write(&path, vec![b'a'; limits::ATTACHMENT_MAX_BYTES]).unwrap();
    let staged = store.stage(&path).unwrap();
    assert_eq!(staged.size_bytes, limits::ATTACHMENT_MAX_BYTES as i64);
}

#[test]
fn orphans_go_once_old_enough_and_named_copies_stay() {
    let (dir, store) = store();
    let source = dir.path().join("a.txt");
    std::fs::write(&source, "a").unwrap();
    let kept = store.stage(&source).unwrap();
    let orphan = store.stage(&source).unwrap();
    let known = HashSet::from([kept.local_name.clone()]);
    // Young orphans may be an item being committed by another process.
    assert_eq!(store.remove_orphans(&known, Duration::from_secs(3600)), 0);
    assert_eq!(store.remove_orphans(&known, Duration::ZERO), 1);
    assert_eq!(outgoing_names(&store), vec![kept.local_name]);
    assert!(store.read_outgoing(&orphan.local_name).unwrap().is_none());
}

#[test]
fn downloads_are_kept_only_when_the_hash_matches() {
    let (_dir, store) = store();
    let bytes = b"%PDF-1.7 invoice";
    let hash = sha256_hex(bytes);
    let err = store
        .keep_download(&hash, b"%PDF-1.7 tampered")
        .unwrap_err();
    assert!(err.to_string().contains("checksum"), "{err}");
    assert!(store.download(&hash).unwrap().is_none());
    let path = store.keep_download(&hash, bytes).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(store.download(&hash).unwrap(), Some(path));
    assert!(store.download("../../etc/passwd").is_err());
    store.clear_downloads();
    assert!(store.download(&hash).unwrap().is_none());
}

#[test]
fn retaining_downloads_keeps_only_the_named_hashes() {
    let (_dir, store) = store();
    let kept = b"%PDF-1.7 mine";
    let dropped = b"%PDF-1.7 a colleague's";
    let (kept_hash, dropped_hash) = (sha256_hex(kept), sha256_hex(dropped));
    store.keep_download(&kept_hash, kept).unwrap();
    store.keep_download(&dropped_hash, dropped).unwrap();
    let opened = store.copy_to_open(&dropped_hash, "theirs.pdf").unwrap();
    assert_eq!(
        store.retain_downloads(&HashSet::from([kept_hash.clone()])),
        2
    );
    assert!(store.download(&kept_hash).unwrap().is_some());
    assert!(store.download(&dropped_hash).unwrap().is_none());
    assert!(!opened.exists());
}

#[test]
fn opened_copies_carry_the_extension_of_their_real_kind() {
    assert_eq!(name_to_open("shot.png", AttachmentKind::Png), "shot.png");
    assert_eq!(name_to_open("shot.PNG", AttachmentKind::Png), "shot.png");
    assert_eq!(
        name_to_open("photo.jpeg", AttachmentKind::Jpeg),
        "photo.jpg"
    );
    assert_eq!(
        name_to_open("run.desktop", AttachmentKind::Text),
        "run.desktop.txt"
    );
    assert_eq!(
        name_to_open("setup.exe", AttachmentKind::Zip),
        "setup.exe.zip"
    );
    assert_eq!(name_to_open(".bashrc", AttachmentKind::Text), "bashrc.txt");
    assert_eq!(name_to_open("..", AttachmentKind::Pdf), "attachment.pdf");

    let (_dir, store) = store();
    let bytes = b"echo hello\n";
    let hash = sha256_hex(bytes);
    store.keep_download(&hash, bytes).unwrap();
    let path = store.copy_to_open(&hash, "run.sh").unwrap();
    assert!(path.ends_with(format!("{hash}/run.sh.txt")), "{path:?}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn save_copy_writes_the_whole_file() {
    let (dir, store) = store();
    let bytes = b"PK\x03\x04 bundle";
    let hash = sha256_hex(bytes);
    let source = store.keep_download(&hash, bytes).unwrap();
    let dest = dir.path().join("saved.zip");
    save_copy(&source, &dest).unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), bytes);
}
