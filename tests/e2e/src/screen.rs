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

/// Gives the keyboard back to the window under the pointer, as a bare X
/// server starts. Without a window manager, a window that took the focus
/// (showing itself again after a capture) leaves it nowhere when it goes,
/// and the next app would get no key at all: tests that change the focus
/// hold a [`FocusReset`] so the display is left as they found it.
#[allow(unsafe_code)]
pub fn focus_pointer_root() -> Result<()> {
    use x11_dl::xlib;

    let x = xlib::Xlib::open().context("loading libX11")?;
    // SAFETY: plain Xlib calls on a display this function opens and closes.
    unsafe {
        let display = (x.XOpenDisplay)(std::ptr::null());
        if display.is_null() {
            bail!("cannot open the X display");
        }
        let pointer_root = xlib::PointerRoot as xlib::Window;
        (x.XSetInputFocus)(
            display,
            pointer_root,
            xlib::RevertToPointerRoot,
            xlib::CurrentTime,
        );
        (x.XSync)(display, xlib::False);
        (x.XCloseDisplay)(display);
    }
    Ok(())
}

/// Gives the keyboard back to the window under the pointer when dropped
/// (see [`focus_pointer_root`]), also when the test fails.
pub struct FocusReset;

impl Drop for FocusReset {
    fn drop(&mut self) {
        if let Err(e) = focus_pointer_root() {
            eprintln!("cannot give the keyboard focus back: {e:#}");
        }
    }
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
