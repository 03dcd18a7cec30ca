//! Screenshots made in the app: what can be captured, a capture waiting in
//! the editor, and what the user drew on it (sent as data: the core applies
//! it to the pixels).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The app event that tells the window a capture is waiting for the
/// editor (the global shortcut, the tray): the window takes it with
/// `take_capture`.
pub const CAPTURE_EVENT: &str = "deskmate://capture";

/// The app event that carries the files dropped on the window (a list of
/// `PickedFile`).
pub const DROP_EVENT: &str = "deskmate://dropped";

/// The screenshot shortcut when the user chose none.
pub const DEFAULT_SCREENSHOT_SHORTCUT: &str = "Ctrl+Alt+S";

/// What to capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum CaptureTarget {
    /// Every monitor, as they are arranged.
    Screen,
    /// One monitor (an id from `capture_sources`).
    Monitor { id: u32 },
    /// One window (an id from `capture_sources`).
    Window { id: u32 },
}

/// A monitor that can be captured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaptureMonitor {
    pub id: u32,
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub primary: bool,
}

/// A window of another app that can be captured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaptureWindow {
    pub id: u32,
    pub title: String,
    pub app_name: String,
}

/// What can be captured on this desktop now.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CaptureSources {
    pub monitors: Vec<CaptureMonitor>,
    pub windows: Vec<CaptureWindow>,
}

/// A picture waiting in the editor. Its pixels stay in the app's memory
/// (never in the outbox's folder) until the edited picture is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Capture {
    pub id: u32,
    pub width: u32,
    pub height: u32,
    /// The picture for the editor to show, as a `data:image/png;base64,...` URL.
    pub preview: String,
}

/// A rectangle in a picture's pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PixelRect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// A point in a picture's pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PixelPoint {
    pub x: u32,
    pub y: u32,
}

/// An arrow pointing at `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PixelArrow {
    pub from: PixelPoint,
    pub to: PixelPoint,
}

/// What the user did to a capture in the editor. `crop` is in the
/// capture's pixels; everything else in the pixels of the cropped picture.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScreenshotEdits {
    /// Only this part is kept (a region); `None`: all of it.
    pub crop: Option<PixelRect>,
    /// Filled opaquely, on the pixels, before encoding.
    pub redactions: Vec<PixelRect>,
    /// Outlined boxes.
    pub boxes: Vec<PixelRect>,
    pub arrows: Vec<PixelArrow>,
}
