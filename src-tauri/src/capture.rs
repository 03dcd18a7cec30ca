//! Screen capture with `xcap`: every monitor, one monitor or one window.
//! Deskmate's own window is hidden while the picture is taken and shown
//! again after. A capture's pixels are held here, in memory, until the
//! editor saves them edited (`Core::save_screenshot`) or drops them: the
//! unedited picture is never written to disk.
//!
//! Where the desktop refuses (Wayland without the screen-cast portal, no
//! permission) the error is `capture_unavailable`, and the window offers
//! the file picker instead.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use deskmate_api::{
    Capture, CaptureMonitor, CaptureSources, CaptureTarget, CaptureWindow, ErrorCode, ErrorResponse,
};
use deskmate_core::capture::{Format, encode};
use image::RgbaImage;
use tauri::{AppHandle, Manager};

/// Captures held at once: an older one is dropped when a new one comes.
const HELD_MAX: usize = 3;

/// How long the desktop gets to repaint what Deskmate's window covered.
const HIDE_SETTLE: Duration = Duration::from_millis(350);

/// The captures waiting for the editor, by id.
#[derive(Default)]
pub struct Captures {
    held: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    next: u32,
    pictures: BTreeMap<u32, RgbaImage>,
    /// The capture the shortcut or the tray made, until the window takes it
    /// (or why none could be made).
    waiting: Option<Result<Capture, ErrorResponse>>,
}

impl Captures {
    /// Keeps `picture` for the editor and describes it.
    pub fn hold(&self, picture: RgbaImage) -> Result<Capture, ErrorResponse> {
        let preview = preview(&picture)?;
        let (width, height) = picture.dimensions();
        let mut held = self.lock();
        held.next = held.next.wrapping_add(1);
        let id = held.next;
        held.pictures.insert(id, picture);
        while held.pictures.len() > HELD_MAX {
            held.pictures.pop_first();
        }
        Ok(Capture {
            id,
            width,
            height,
            preview,
        })
    }

    /// Takes capture `id` out (the editor is done with it).
    pub fn take(&self, id: u32) -> Option<RgbaImage> {
        self.lock().pictures.remove(&id)
    }

    /// Remembers what the shortcut or the tray captured, for the window.
    pub fn set_waiting(&self, capture: Result<Capture, ErrorResponse>) {
        self.lock().waiting = Some(capture);
    }

    pub fn take_waiting(&self) -> Option<Result<Capture, ErrorResponse>> {
        self.lock().waiting.take()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Held> {
        // A panic while holding it cannot leave the map half-changed.
        self.held.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The picture as a PNG `data:` URL for the editor (fast compression: it
/// only crosses to the window).
fn preview(picture: &RgbaImage) -> Result<String, ErrorResponse> {
    use base64::Engine;
    let png = encode(picture, Format::Png).map_err(|e| e.to_response())?;
    Ok(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png.bytes)
    ))
}

fn unavailable(what: &str, e: impl std::fmt::Display) -> ErrorResponse {
    tracing::info!(error = %e, what, "the screen cannot be captured");
    ErrorResponse::new(
        ErrorCode::CaptureUnavailable,
        format!("the screen cannot be captured here ({what}: {e}); choose a picture file instead"),
    )
}

/// The monitors and the other apps' windows that can be captured.
pub fn sources() -> Result<CaptureSources, ErrorResponse> {
    let monitors = xcap::Monitor::all()
        .map_err(|e| unavailable("monitors", e))?
        .iter()
        .filter_map(|m| {
            Some(CaptureMonitor {
                id: m.id().ok()?,
                name: m.friendly_name().or_else(|_| m.name()).unwrap_or_default(),
                width: m.width().ok()?,
                height: m.height().ok()?,
                primary: m.is_primary().unwrap_or(false),
            })
        })
        .collect();
    let own = std::process::id();
    let windows = match xcap::Window::all() {
        Ok(windows) => windows
            .iter()
            .filter(|w| w.pid().ok() != Some(own) && !w.is_minimized().unwrap_or(false))
            .filter_map(|w| {
                let title = w.title().ok().filter(|t| !t.trim().is_empty())?;
                Some(CaptureWindow {
                    id: w.id().ok()?,
                    title,
                    app_name: w.app_name().unwrap_or_default(),
                })
            })
            .collect(),
        // Monitors without windows still make a screenshot.
        Err(e) => {
            tracing::info!(error = %e, "cannot list the windows");
            Vec::new()
        }
    };
    Ok(CaptureSources { monitors, windows })
}

/// Captures `target` with Deskmate's window out of the way, and shows the
/// window again if it was shown.
pub async fn grab(app: &AppHandle, target: CaptureTarget) -> Result<RgbaImage, ErrorResponse> {
    let window = app.get_webview_window("main");
    let shown = window
        .as_ref()
        .and_then(|w| w.is_visible().ok())
        .unwrap_or(false);
    if shown && let Some(w) = &window {
        let _ = w.hide();
        tokio::time::sleep(HIDE_SETTLE).await;
    }
    let grabbed = tauri::async_runtime::spawn_blocking(move || grab_now(target))
        .await
        .map_err(|e| unavailable("capture", e))
        .and_then(|r| r);
    if shown && let Some(w) = &window {
        let _ = w.show();
        let _ = w.set_focus();
    }
    grabbed
}

fn grab_now(target: CaptureTarget) -> Result<RgbaImage, ErrorResponse> {
    match target {
        CaptureTarget::Screen => {
            let monitors = xcap::Monitor::all().map_err(|e| unavailable("monitors", e))?;
            whole_screen(&monitors)
        }
        CaptureTarget::Monitor { id } => xcap::Monitor::all()
            .map_err(|e| unavailable("monitors", e))?
            .into_iter()
            .find(|m| m.id().ok() == Some(id))
            .ok_or_else(|| gone("monitor"))?
            .capture_image()
            .map_err(|e| unavailable("monitor", e)),
        CaptureTarget::Window { id } => xcap::Window::all()
            .map_err(|e| unavailable("windows", e))?
            .into_iter()
            .find(|w| w.id().ok() == Some(id))
            .ok_or_else(|| gone("window"))?
            .capture_image()
            .map_err(|e| unavailable("window", e)),
    }
}

fn gone(what: &str) -> ErrorResponse {
    ErrorResponse::new(
        ErrorCode::NotFound,
        format!("that {what} is no longer there; choose again"),
    )
}

/// Every monitor in one picture, placed as the desktop arranges them.
fn whole_screen(monitors: &[xcap::Monitor]) -> Result<RgbaImage, ErrorResponse> {
    let mut shots = Vec::new();
    for m in monitors {
        let picture = m.capture_image().map_err(|e| unavailable("monitor", e))?;
        let (x, y) = (m.x().unwrap_or(0), m.y().unwrap_or(0));
        shots.push((x, y, picture));
    }
    if shots.is_empty() {
        return Err(unavailable("monitors", "none found"));
    }
    let primary = monitors
        .iter()
        .position(|m| m.is_primary().unwrap_or(false))
        .unwrap_or(0);
    Ok(stitch(shots, primary))
}

/// The pictures of the monitors at their places (`x`, `y`) in one; when
/// that would pass the pixel limit (a wall of monitors), the `primary` one.
fn stitch(mut shots: Vec<(i32, i32, RgbaImage)>, primary: usize) -> RgbaImage {
    if shots.len() == 1 {
        return shots.swap_remove(0).2;
    }
    let left = shots.iter().map(|s| s.0).min().unwrap_or(0);
    let top = shots.iter().map(|s| s.1).min().unwrap_or(0);
    let span = |start: i32, len: u32, origin: i32| {
        u32::try_from(i64::from(start) - i64::from(origin) + i64::from(len)).unwrap_or(0)
    };
    let width = shots
        .iter()
        .map(|s| span(s.0, s.2.width(), left))
        .max()
        .unwrap_or(0);
    let height = shots
        .iter()
        .map(|s| span(s.1, s.2.height(), top))
        .max()
        .unwrap_or(0);
    if u64::from(width) * u64::from(height) > deskmate_api::limits::IMAGE_MAX_PIXELS {
        let keep = primary.min(shots.len().saturating_sub(1));
        return shots.swap_remove(keep).2;
    }
    let mut canvas = RgbaImage::new(width, height);
    for (x, y, picture) in &shots {
        image::imageops::overlay(
            &mut canvas,
            picture,
            i64::from(*x) - i64::from(left),
            i64::from(*y) - i64::from(top),
        );
    }
    canvas
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgba;

    fn plain(w: u32, h: u32, v: u8) -> RgbaImage {
        RgbaImage::from_pixel(w, h, Rgba([v, v, v, 255]))
    }

    #[test]
    fn monitors_are_placed_as_the_desktop_arranges_them() {
        // A laptop left of a taller monitor that starts above it.
        let shot = stitch(
            vec![
                (-1280, 200, plain(1280, 800, 10)),
                (0, 0, plain(1920, 1200, 20)),
            ],
            1,
        );
        assert_eq!(shot.dimensions(), (3200, 1200));
        assert_eq!(shot.get_pixel(0, 200).0, [10, 10, 10, 255]);
        assert_eq!(shot.get_pixel(1279, 999).0, [10, 10, 10, 255]);
        assert_eq!(shot.get_pixel(1280, 0).0, [20, 20, 20, 255]);
        // Where no monitor is: transparent, not a colour of the screen.
        assert_eq!(shot.get_pixel(0, 0).0, [0, 0, 0, 0]);
    }

    #[test]
    fn one_monitor_is_itself_and_a_wall_too_large_is_the_primary_one() {
        assert_eq!(stitch(vec![(0, 0, plain(4, 3, 7))], 0).dimensions(), (4, 3));
        // Two monitors far apart span more pixels than one picture may hold.
        let wall = stitch(
            vec![(0, 0, plain(8, 8, 1)), (20_000, 20_000, plain(6, 6, 2))],
            1,
        );
        assert_eq!(wall.dimensions(), (6, 6));
    }

    #[test]
    fn a_capture_is_held_until_taken_and_the_oldest_goes_first() {
        let captures = Captures::default();
        let ids: Vec<u32> = (0..4)
            .map(|v| captures.hold(plain(2, 2, v)).map(|c| c.id).unwrap_or(0))
            .collect();
        assert!(captures.take(ids[0]).is_none(), "past the limit, dropped");
        let kept = captures.take(ids[3]).map(|p| p.get_pixel(0, 0).0);
        assert_eq!(kept, Some([3, 3, 3, 255]));
        assert!(captures.take(ids[3]).is_none(), "taken once");
        let shown = captures.hold(plain(1, 1, 0));
        assert!(shown.is_ok_and(|c| c.preview.starts_with("data:image/png;base64,")));
    }
}
