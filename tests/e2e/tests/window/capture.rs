//! A screenshot from the tray and from the global shortcut, redacted in the
//! editor, filed with a ticket: the helpdesk stores a PNG whose redacted
//! pixels are exactly the fill colour and which carries no metadata, and the
//! unredacted picture was never written to the data directory.
//!
//! The capture is real: `xcap` grabs the Xvfb screen, whose root window the
//! test paints a known colour first, so a capture that missed the screen (or
//! a redaction that missed the pixels) shows. The tray's menu is clicked
//! over D-Bus as a tray host does; the shortcut is pressed through the X
//! server with XTEST, as a keyboard would.

use std::time::{Duration, Instant};

use deskmate_e2e::screen::{FocusReset, paint_root, press_keys};
use deskmate_e2e::tray_host::TrayHost;
use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess, WAIT};

const USER: &str = "user@acme.example";
/// The root window's colour: no pixel of it is black.
const BACKGROUND: [u8; 3] = [0x2a, 0x9d, 0x8f];

/// Drags on the editor's canvas from `from` to `to`, in fractions of its
/// size, with the pointer events a mouse makes; answers the edits it keeps.
async fn drag(app: &AppWindow, from: (f64, f64), to: (f64, f64)) -> serde_json::Value {
    let script = format!(
        "const c = document.querySelector('[data-testid=capture-canvas]');
         const r = c.getBoundingClientRect();
         const at = (fx, fy) => ({{ clientX: r.left + r.width * fx, clientY: r.top + r.height * fy,
                                    button: 0, pointerId: 1, bubbles: true }});
         c.dispatchEvent(new PointerEvent('pointerdown', at({}, {})));
         c.dispatchEvent(new PointerEvent('pointermove', at({}, {})));
         c.dispatchEvent(new PointerEvent('pointerup', at({}, {})));
         return null;",
        from.0, from.1, to.0, to.1, to.0, to.1
    );
    app.execute(&script).await.unwrap();
    app.execute(
        "return JSON.parse(document.querySelector('[data-testid=capture-canvas]').dataset.edits)",
    )
    .await
    .unwrap()
}

/// The editor's canvas size once it shows a capture.
async fn editor_size(app: &AppWindow, what: &str) -> (u64, u64) {
    app.find("[data-testid=capture-canvas]").await.unwrap();
    let size = app
        .execute(
            "const c = document.querySelector('[data-testid=capture-canvas]');
             return [c.width, c.height];",
        )
        .await
        .unwrap();
    let (w, h) = (size[0].as_u64().unwrap(), size[1].as_u64().unwrap());
    assert!(w > 0 && h > 0, "{what}: {size}");
    (w, h)
}

/// The colour the editor's canvas shows at picture pixel (`x`, `y`), once
/// it equals `want` (the capture loads and paints asynchronously).
async fn canvas_shows(app: &AppWindow, (x, y): (u32, u32), want: [u8; 4], what: &str) {
    let script = format!(
        "const c = document.querySelector('[data-testid=capture-canvas]');
         return Array.from(c.getContext('2d').getImageData({x}, {y}, 1, 1).data);"
    );
    let deadline = Instant::now() + WAIT;
    loop {
        let seen = app.execute(&script).await.unwrap();
        if seen == serde_json::json!(want) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: the editor shows {seen} at {x},{y}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Pastes `bytes` as an image file into the field `css`, as the clipboard
/// of the desktop does.
async fn paste_picture(app: &AppWindow, css: &str, bytes: &[u8]) {
    let script = format!(
        "const file = new File([new Uint8Array({bytes:?})], 'pasted.png', {{ type: 'image/png' }});
         const data = new DataTransfer();
         data.items.add(file);
         document.querySelector('{css}').dispatchEvent(
           new ClipboardEvent('paste', {{ clipboardData: data, bubbles: true, cancelable: true }}));
         return null;"
    );
    app.execute(&script).await.unwrap();
}

/// A small PNG of one colour.
fn png_of(width: u32, height: u32, colour: [u8; 4]) -> Vec<u8> {
    let picture = image::RgbaImage::from_pixel(width, height, image::Rgba(colour));
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// The chunk types of a PNG, in order.
fn png_chunks(bytes: &[u8]) -> Vec<String> {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let mut chunks = Vec::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        chunks.push(String::from_utf8_lossy(&bytes[at + 4..at + 8]).into_owned());
        at += 12 + len;
    }
    chunks
}

/// Every picture file under `dir` that decodes to `size`.
fn pictures_of_size(
    dir: &std::path::Path,
    size: (u32, u32),
) -> Vec<(std::path::PathBuf, image::RgbaImage)> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(bytes) = std::fs::read(&path)
                && let Ok(picture) = image::load_from_memory(&bytes)
                && picture.width() == size.0
                && picture.height() == size.1
            {
                found.push((path, picture.to_rgba8()));
            }
        }
    }
    found
}

fn rect(edits: &serde_json::Value) -> (u32, u32, u32, u32) {
    let r = &edits["redactions"][0];
    let n = |k: &str| u32::try_from(r[k].as_u64().unwrap()).unwrap();
    (n("x"), n("y"), n("width"), n("height"))
}

fn assert_redacted(picture: &image::RgbaImage, (x, y, w, h): (u32, u32, u32, u32), what: &str) {
    for py in y..y + h {
        for px in x..x + w {
            assert_eq!(
                picture.get_pixel(px, py).0,
                [0, 0, 0, 255],
                "{what}: pixel {px},{py} of the redaction {x},{y} {w}x{h}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screenshot_from_the_tray_and_the_shortcut_is_redacted_before_it_leaves() {
    // Dropped last: the app's window took the keyboard focus after each capture.
    let _focus = FocusReset;
    paint_root(u32::from_be_bytes([
        0,
        BACKGROUND[0],
        BACKGROUND[1],
        BACKGROUND[2],
    ]))
    .unwrap();
    let server = ServerProcess::start_demo().unwrap();
    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let tray = TrayHost::start().await.unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    let pid = app.pid().unwrap();
    // Painted once the app holds its connection to the X server: Xvfb resets
    // the screen when its last client leaves.
    paint_root(u32::from_be_bytes([
        0,
        BACKGROUND[0],
        BACKGROUND[1],
        BACKGROUND[2],
    ]))
    .unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();

    // The global shortcut, changed in Settings from Ctrl+Alt+S to Ctrl+Alt+P:
    // the new keys open the new-ticket form with the screen in the editor,
    // the old ones do nothing any more. Discarded: nothing is attached.
    app.click("#nav-settings").await.unwrap();
    let field = "[data-testid=screenshot-shortcut]";
    app.find(field).await.unwrap();
    app.set_value(field, "Ctrl+Alt+P").await.unwrap();
    app.click("[data-testid=screenshot-shortcut-save]")
        .await
        .unwrap();
    let cache = app.data_dir().join(deskmate_core::cache::FILE_NAME);
    let deadline = Instant::now() + WAIT;
    loop {
        let core = deskmate_core::cache::Cache::open(&cache).await.unwrap();
        if core.meta("screenshot_shortcut").await.unwrap().as_deref() == Some("Ctrl+Alt+P") {
            break;
        }
        assert!(Instant::now() < deadline, "the new shortcut was not kept");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    press_keys("ctrl+alt+s").unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        app.find_all("[data-testid=capture-editor]")
            .await
            .unwrap()
            .is_empty(),
        "the old shortcut still captures"
    );
    press_keys("ctrl+alt+p").unwrap();
    assert_eq!(
        editor_size(&app, "the shortcut's capture").await,
        (1920, 1080)
    );
    app.click("[data-testid=capture-cancel]").await.unwrap();
    assert!(
        app.find_all("[data-testid=chosen-file]")
            .await
            .unwrap()
            .is_empty()
    );

    // The tray's "Report a problem with a screenshot": the same, and this one is kept.
    tray.click(pid, "Report a problem with a screenshot")
        .await
        .unwrap();
    let size = editor_size(&app, "the tray's capture").await;
    assert_eq!(size, (1920, 1080));
    let screen_colour = [BACKGROUND[0], BACKGROUND[1], BACKGROUND[2], 255];
    canvas_shows(&app, (1800, 1000), screen_colour, "the capture").await;
    let edits = drag(&app, (0.1, 0.1), (0.3, 0.25)).await;
    assert_eq!(edits["redactions"].as_array().unwrap().len(), 1, "{edits}");
    assert_eq!(edits["crop"], serde_json::Value::Null);
    let redaction = rect(&edits);
    assert!(redaction.2 > 300 && redaction.3 > 150, "{edits}");
    // Shown as it will be sent: solid black.
    let middle = (redaction.0 + redaction.2 / 2, redaction.1 + redaction.3 / 2);
    canvas_shows(&app, middle, [0, 0, 0, 255], "the redaction").await;
    let summary = app
        .wait_for_texts(
            "[data-testid=capture-summary]",
            "the editor's summary",
            |t| t.first().is_some_and(|t| t.contains("1 area hidden")),
        )
        .await
        .unwrap();
    assert_eq!(summary.len(), 1);

    app.click("[data-testid=capture-attach]").await.unwrap();
    let chosen = app
        .wait_for_texts("[data-testid=chosen-file]", "the screenshot", |t| {
            t.len() == 1
        })
        .await
        .unwrap();
    assert!(
        chosen[0].contains("screenshot-") && chosen[0].contains("PNG image"),
        "{chosen:?}"
    );

    let subject = "The VPN client shows an error with my password on screen";
    app.type_into("#subject", subject).await.unwrap();
    app.type_into("#body", "The screenshot shows it; my password is hidden.")
        .await
        .unwrap();
    app.click("#new-ticket-submit").await.unwrap();
    app.wait_for_texts("[data-testid=ticket-subject]", "the new ticket", |t| {
        t.first().map(String::as_str) == Some(subject)
    })
    .await
    .unwrap();

    // On the helpdesk: one PNG, nothing but pixels in it, the region black.
    let filed = api
        .tickets()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t["subject"] == subject)
        .expect("the ticket reached the helpdesk");
    let id = filed["id"].as_i64().unwrap();
    let deadline = Instant::now() + WAIT;
    let attachment = loop {
        let detail = api.ticket_detail(id).await.unwrap();
        if let Some(a) = detail["attachments"].as_array().and_then(|a| a.first()) {
            break a.clone();
        }
        assert!(
            Instant::now() < deadline,
            "the screenshot was not uploaded: {detail}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(attachment["content_type"], "image/png", "{attachment}");
    let bytes = api
        .download(&format!(
            "/api/v1/tickets/{id}/attachments/{}",
            attachment["id"]
        ))
        .await
        .unwrap();
    let chunks = png_chunks(&bytes);
    assert!(
        chunks
            .iter()
            .all(|c| ["IHDR", "PLTE", "tRNS", "IDAT", "IEND"].contains(&c.as_str())),
        "metadata in the PNG: {chunks:?}"
    );
    assert_eq!(chunks.first().map(String::as_str), Some("IHDR"));
    assert_eq!(chunks.last().map(String::as_str), Some("IEND"));
    let stored = image::load_from_memory(&bytes).unwrap().to_rgba8();
    assert_eq!(stored.dimensions(), (1920, 1080));
    assert_redacted(&stored, redaction, "the stored picture");
    // The capture is of the real screen: the root's colour beside the region
    // (Deskmate's own window was hidden while it was taken).
    let (x, y, w, h) = redaction;
    for (px, py) in [(x + w + 5, y + h / 2), (x + w / 2, y + h + 5)] {
        assert_eq!(
            stored.get_pixel(px, py).0,
            screen_colour,
            "pixel {px},{py} next to the redaction is the screen's"
        );
    }

    // Nothing in the data directory holds the unredacted screen.
    let on_disk = pictures_of_size(app.data_dir(), (1920, 1080));
    for (path, picture) in &on_disk {
        assert_redacted(picture, redaction, &path.display().to_string());
    }

    // A picture pasted in the form opens in the editor, decoded by the core;
    // a decompression bomb (a header claiming 30000x30000) is refused, said
    // in the form, and opens nothing.
    app.click("#new-ticket-button").await.unwrap();
    let orange = [250, 140, 20, 255];
    paste_picture(&app, "#body", &png_of(40, 30, orange)).await;
    assert_eq!(editor_size(&app, "the pasted picture").await, (40, 30));
    canvas_shows(&app, (20, 15), orange, "the pasted picture").await;
    app.click("[data-testid=capture-cancel]").await.unwrap();
    let mut bomb = png_of(64, 64, orange);
    bomb[16..20].copy_from_slice(&30_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&30_000u32.to_be_bytes());
    let crc = crc32fast::hash(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    paste_picture(&app, "#body", &bomb).await;
    let said = app
        .wait_for_texts("[data-testid=capture-error]", "the refused bomb", |t| {
            !t.is_empty()
        })
        .await
        .unwrap();
    assert!(said[0].contains("cannot read this picture"), "{said:?}");
    assert!(
        app.find_all("[data-testid=capture-editor]")
            .await
            .unwrap()
            .is_empty()
    );
    tray.stop().await.unwrap();
}
