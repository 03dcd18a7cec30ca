//! The tray icon's image per state: offline, unread replies, an incident or
//! planned maintenance under way for the organisation, or all well. The
//! PNGs are made by scripts/tray-icons.sh and embedded in the binary.

use deskmate_core::TrayState;
use tauri::image::Image;

/// Which image the tray shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayIcon {
    Normal,
    Unread,
    Notice,
    Offline,
}

impl TrayIcon {
    /// What matters most wins: offline (nothing new can arrive), then
    /// replies waiting to be read, then an incident or maintenance.
    pub fn of(state: &TrayState, online: bool) -> Self {
        if !online {
            Self::Offline
        } else if state.unread > 0 {
            Self::Unread
        } else if state.notice_active {
            Self::Notice
        } else {
            Self::Normal
        }
    }

    fn png(self) -> &'static [u8] {
        match self {
            Self::Normal => include_bytes!("../icons/tray-normal.png"),
            Self::Unread => include_bytes!("../icons/tray-unread.png"),
            Self::Notice => include_bytes!("../icons/tray-notice.png"),
            Self::Offline => include_bytes!("../icons/tray-offline.png"),
        }
    }

    /// The decoded image (`None` only if an embedded PNG were broken).
    pub fn image(self) -> Option<Image<'static>> {
        let decoded = image::load_from_memory_with_format(self.png(), image::ImageFormat::Png)
            .map_err(|e| tracing::warn!(error = %e, icon = ?self, "cannot decode a tray icon"))
            .ok()?
            .into_rgba8();
        let (width, height) = decoded.dimensions();
        Some(Image::new_owned(decoded.into_raw(), width, height))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_says_what_matters_most() {
        let calm = TrayState::default();
        let unread = TrayState {
            unread: 3,
            ..TrayState::default()
        };
        let notice = TrayState {
            notice_active: true,
            ..TrayState::default()
        };
        let both = TrayState {
            unread: 1,
            notice_active: true,
            ..TrayState::default()
        };
        assert_eq!(TrayIcon::of(&calm, true), TrayIcon::Normal);
        assert_eq!(TrayIcon::of(&unread, true), TrayIcon::Unread);
        assert_eq!(TrayIcon::of(&notice, true), TrayIcon::Notice);
        assert_eq!(TrayIcon::of(&both, true), TrayIcon::Unread);
        assert_eq!(TrayIcon::of(&both, false), TrayIcon::Offline);
        assert_eq!(TrayIcon::of(&calm, false), TrayIcon::Offline);
    }

    #[test]
    fn every_icon_is_a_distinct_square_image() {
        let all = [
            TrayIcon::Normal,
            TrayIcon::Unread,
            TrayIcon::Notice,
            TrayIcon::Offline,
        ];
        let images: Vec<_> = all.iter().map(|i| i.image()).collect();
        for (icon, image) in all.iter().zip(&images) {
            let image = image.as_ref().unwrap_or_else(|| panic!("{icon:?} decodes"));
            assert_eq!((image.width(), image.height()), (64, 64), "{icon:?}");
        }
        for i in 0..all.len() {
            for j in i + 1..all.len() {
                assert_ne!(
                    images[i].as_ref().map(|x| x.rgba().to_vec()),
                    images[j].as_ref().map(|x| x.rgba().to_vec()),
                    "{:?} and {:?} look the same",
                    all[i],
                    all[j]
                );
            }
        }
    }
}
