//! The X screen under the app: a known colour on the root window (what a
//! screenshot shows where no window is), and key presses sent through the X
//! server as a keyboard does (what a global shortcut hears).

use anyhow::{Context, Result, bail};

/// Paints the root window `rgb` (0xRRGGBB on the 24-bit Xvfb screen).
#[allow(unsafe_code)]
pub fn paint_root(rgb: u32) -> Result<()> {
    use x11_dl::xlib;

    let x = xlib::Xlib::open().context("loading libX11")?;
    // SAFETY: plain Xlib calls on a display this function opens and closes.
    unsafe {
        let display = (x.XOpenDisplay)(std::ptr::null());
        if display.is_null() {
            bail!("cannot open the X display");
        }
        let root = (x.XDefaultRootWindow)(display);
        (x.XSetWindowBackground)(display, root, std::os::raw::c_ulong::from(rgb));
        (x.XClearWindow)(display, root);
        (x.XSync)(display, xlib::False);
        (x.XCloseDisplay)(display);
    }
    Ok(())
}

/// Presses `keys` ("ctrl+alt+s") through the X server (XTEST, `xdotool`).
pub fn press_keys(keys: &str) -> Result<()> {
    let done = std::process::Command::new("xdotool")
        .args(["key", "--clearmodifiers", keys])
        .status()
        .context("running xdotool (apt xdotool)")?;
    if !done.success() {
        bail!("xdotool key {keys} failed");
    }
    Ok(())
}
