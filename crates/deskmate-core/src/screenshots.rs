//! A screenshot from the editor to a file ready to attach: the capture's
//! pixels (kept in the shell's memory, never written unedited) are cropped,
//! annotated, redacted with an opaque fill and encoded as a PNG with no
//! metadata, then written under `<data dir>/attachments/screenshots/`
//! (beside, never inside, the outbox's folder: attaching it copies it there
//! like any file the user chose). Also the screenshot shortcut's setting.

use std::path::PathBuf;

use deskmate_api::{DEFAULT_SCREENSHOT_SHORTCUT, ScreenshotEdits};
use image::RgbaImage;

use crate::capture::{self, Edits, Format};
use crate::{Core, CoreError, Result};

/// Meta key of the screenshot shortcut ("" : none; absent: the default).
const SHORTCUT: &str = "screenshot_shortcut";

/// The longest shortcut kept ("Ctrl+Shift+Alt+Super+F12" is 24).
const SHORTCUT_MAX: usize = 64;

impl Core {
    /// Applies `edits` to `picture` (crop, then boxes and arrows, then
    /// opaque redactions) and writes it as a PNG without metadata; answers
    /// its path, named for the local time (`screenshot-2026-12-04-183005.png`).
    /// Blocking work runs off the async runtime.
    pub async fn save_screenshot(
        &self,
        picture: RgbaImage,
        edits: ScreenshotEdits,
    ) -> Result<PathBuf> {
        let name = format!(
            "screenshot-{}.png",
            chrono::Local::now().format("%Y-%m-%d-%H%M%S")
        );
        let dir = self.files.screenshots();
        tokio::task::spawn_blocking(move || {
            let picture = match edits.crop {
                Some(r) => capture::crop(&picture, r.into())?,
                None => picture,
            };
            let prepared = capture::prepare(picture, &Edits::from(&edits), Format::Png)?;
            crate::files::remove_old_prepared(&dir);
            let folder = dir.join(uuid::Uuid::new_v4().to_string());
            crate::files::write_durably(&folder, &name, &prepared.picture.bytes)?;
            Ok(folder.join(name))
        })
        .await?
    }

    /// The screenshot shortcut ("Ctrl+Alt+S" unless the user chose another;
    /// empty: none).
    pub async fn screenshot_shortcut(&self) -> Result<String> {
        Ok(self
            .cache()
            .meta(SHORTCUT)
            .await?
            .unwrap_or_else(|| DEFAULT_SCREENSHOT_SHORTCUT.to_owned()))
    }

    /// Keeps the screenshot shortcut (empty: none). Its keys are checked by
    /// the shell, which registers it; here only its shape.
    pub async fn set_screenshot_shortcut(&self, shortcut: &str) -> Result<()> {
        let shortcut = shortcut.trim();
        let shaped = shortcut.len() <= SHORTCUT_MAX
            && shortcut
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+');
        if !shaped {
            return Err(CoreError::Invalid(format!(
                "{shortcut:?} is not a keyboard shortcut (keys joined by +, like Ctrl+Alt+S)"
            )));
        }
        self.cache().set_meta(SHORTCUT, shortcut.to_owned()).await
    }
}
