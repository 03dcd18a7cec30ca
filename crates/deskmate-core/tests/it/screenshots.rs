//! A screenshot from the editor to the helpdesk through the real core and a
//! real deskmate-server: the region kept, the redaction an exact opaque
//! fill, no metadata, written beside (never inside) the outbox's folder, and
//! no file in the data directory ever holds the unredacted pixels. Also the
//! screenshot shortcut's setting in the real cache file.

use std::path::Path;

use deskmate_api::{
    Department, FileOutcome, NewTicket, PixelArrow, PixelPoint, PixelRect, Priority,
    ScreenshotEdits,
};
use deskmate_core::capture::REDACTION_FILL;
use deskmate_core::{Core, CoreError, WriteOptions};
use image::{Rgba, RgbaImage};

use crate::support::{self, Account, TestServer};

/// A "screen" with no black pixel anywhere.
fn screen(width: u32, height: u32) -> RgbaImage {
    RgbaImage::from_fn(width, height, |x, y| {
        Rgba([(x % 200 + 40) as u8, (y % 200 + 40) as u8, 90, 255])
    })
}

fn chunks(png: &[u8]) -> Vec<String> {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let (mut at, mut kinds) = (8, Vec::new());
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        kinds.push(String::from_utf8_lossy(&png[at + 4..at + 8]).into_owned());
        at += 12 + len;
    }
    kinds
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

const CROP: PixelRect = PixelRect {
    x: 100,
    y: 50,
    width: 800,
    height: 600,
};
/// In the cropped picture's pixels.
const SECRET: PixelRect = PixelRect {
    x: 40,
    y: 30,
    width: 300,
    height: 45,
};

fn edits() -> ScreenshotEdits {
    ScreenshotEdits {
        crop: Some(CROP),
        redactions: vec![SECRET],
        boxes: vec![PixelRect {
            x: 500,
            y: 400,
            width: 120,
            height: 80,
        }],
        arrows: vec![PixelArrow {
            from: PixelPoint { x: 450, y: 300 },
            to: PixelPoint { x: 500, y: 400 },
        }],
    }
}

fn assert_redacted(picture: &RgbaImage, what: &str) {
    for y in SECRET.y..SECRET.y + SECRET.height {
        for x in SECRET.x..SECRET.x + SECRET.width {
            assert_eq!(
                picture.get_pixel(x, y).0,
                REDACTION_FILL,
                "{what}: ({x}, {y})"
            );
        }
    }
}

#[tokio::test]
async fn an_edited_screenshot_reaches_the_helpdesk_redacted_and_nothing_unredacted_is_kept() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = support::customer(&server, dir.path(), None).await;
    let original = screen(1920, 1080);

    let path = core
        .save_screenshot(original.clone(), edits())
        .await
        .unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("screenshot-") && name.ends_with(".png"),
        "{name}"
    );
    assert!(
        path.starts_with(dir.path().join("attachments/screenshots")),
        "{}",
        path.display()
    );
    let saved = std::fs::read(&path).unwrap();
    assert_eq!(chunks(&saved), ["IHDR", "IDAT", "IEND"]);
    let picture = image::load_from_memory(&saved).unwrap().to_rgba8();
    assert_eq!(picture.dimensions(), (CROP.width, CROP.height));
    assert_redacted(&picture, "the saved screenshot");
    // Outside the marks, the region of the screen as it was.
    assert_eq!(
        picture.get_pixel(700, 100),
        original.get_pixel(CROP.x + 700, CROP.y + 100)
    );
    // The box was drawn.
    assert_ne!(
        picture.get_pixel(500, 440),
        original.get_pixel(CROP.x + 500, CROP.y + 440)
    );

    let ticket = NewTicket::new(
        Department::Technical,
        Priority::Regular,
        "The installer shows my licence key",
        "Screenshot attached, the key hidden.",
    );
    let outcome = core
        .file_ticket(ticket, WriteOptions::default().with_files(vec![path]))
        .await
        .unwrap();
    let FileOutcome::Sent { ticket } = outcome else {
        panic!("not sent: {outcome:?}");
    };
    let agent = Account::agent(&server.url).await;
    let stored = agent.attachments(ticket.id).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].content_type, "image/png");
    let bytes = agent.download(ticket.id, stored[0].id).await;
    assert_eq!(
        bytes, saved,
        "the helpdesk has the edited picture, byte for byte"
    );

    // No picture anywhere in the data directory shows what was hidden.
    for file in files_under(dir.path()) {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        if let Ok(picture) = image::load_from_memory(&bytes) {
            let picture = picture.to_rgba8();
            assert_ne!(picture.dimensions(), (1920, 1080), "{}", file.display());
            if picture.dimensions() == (CROP.width, CROP.height) {
                assert_redacted(&picture, &file.display().to_string());
            }
        }
    }
}

#[tokio::test]
async fn a_region_outside_the_picture_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    let outside = ScreenshotEdits {
        crop: Some(PixelRect {
            x: 5000,
            y: 0,
            width: 10,
            height: 10,
        }),
        ..ScreenshotEdits::default()
    };
    match core.save_screenshot(screen(640, 480), outside).await {
        Err(CoreError::Invalid(why)) => assert!(why.contains("outside"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(files_under(&dir.path().join("attachments")).is_empty());
}

#[tokio::test]
async fn the_screenshot_shortcut_is_kept_in_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    assert_eq!(core.screenshot_shortcut().await.unwrap(), "Ctrl+Alt+S");
    core.set_screenshot_shortcut(" Ctrl+Shift+F9 ")
        .await
        .unwrap();
    match core.set_screenshot_shortcut("Ctrl+<script>").await {
        Err(CoreError::Invalid(_)) => {}
        other => panic!("{other:?}"),
    }
    drop(core);
    let core = Core::open(dir.path()).await.unwrap();
    assert_eq!(core.screenshot_shortcut().await.unwrap(), "Ctrl+Shift+F9");
    core.set_screenshot_shortcut("").await.unwrap();
    assert_eq!(core.screenshot_shortcut().await.unwrap(), "", "none");
}
