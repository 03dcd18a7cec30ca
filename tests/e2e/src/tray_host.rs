//! A desktop with a tray, for the tests of what the tray does: a real
//! StatusNotifierWatcher (`status-notifier-watcher`, apt
//! haskell-status-notifier-item-utils) on the session bus, which the app's
//! AppIndicator registers with, and what a tray host does with it: read an
//! item's menu (com.canonical.dbusmenu) and click one of its entries. Also the
//! window manager's part: resizing a window and asking it to close
//! (WM_DELETE_WINDOW), as a click on its close button does.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use zbus::zvariant::{Structure, Value};

use crate::WAIT;

const WATCHER: &str = "org.kde.StatusNotifierWatcher";

/// A StatusNotifierWatcher on the session bus until dropped.
pub struct TrayHost {
    watcher: tokio::process::Child,
    bus: zbus::Connection,
}

impl TrayHost {
    /// Starts the watcher and waits until it owns its bus name.
    pub async fn start() -> Result<Self> {
        let watcher = tokio::process::Command::new("status-notifier-watcher")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting status-notifier-watcher (apt haskell-status-notifier-item-utils, scripts/setup.sh)")?;
        let bus = zbus::Connection::session().await?;
        let dbus = zbus::fdo::DBusProxy::new(&bus).await?;
        let deadline = Instant::now() + WAIT;
        while !dbus.name_has_owner(WATCHER.try_into()?).await? {
            if Instant::now() > deadline {
                bail!("status-notifier-watcher did not take {WATCHER}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Self { watcher, bus })
    }

    /// Stops the watcher and waits until its bus name is gone: the desktop
    /// has no tray from then on.
    pub async fn stop(mut self) -> Result<()> {
        self.watcher.kill().await?;
        let dbus = zbus::fdo::DBusProxy::new(&self.bus).await?;
        let deadline = Instant::now() + WAIT;
        while dbus.name_has_owner(WATCHER.try_into()?).await? {
            if Instant::now() > deadline {
                bail!("{WATCHER} still owned after the watcher stopped");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Clicks the entry labelled `label` in the menu of the tray item of
    /// process `pid`, as the tray does when the user picks it (waiting for
    /// the item to register and the entry to appear).
    pub async fn click(&self, pid: u32, label: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.find_entry(pid, label).await {
                Ok(Some((menu, id))) => {
                    menu.call_method("Event", &(id, "clicked", Value::from(0i32), 0u32))
                        .await?;
                    return Ok(());
                }
                Ok(None) if Instant::now() < deadline => {}
                Err(e) if Instant::now() < deadline => eprintln!("tray menu not ready: {e}"),
                Ok(None) => bail!("no tray menu entry {label:?} of pid {pid}"),
                Err(e) => return Err(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The dbusmenu of process `pid`'s item and the id of its entry `label`.
    async fn find_entry(&self, pid: u32, label: &str) -> Result<Option<(zbus::Proxy<'_>, i32)>> {
        let watcher = self
            .proxy(WATCHER, "/StatusNotifierWatcher", WATCHER)
            .await?;
        let items: Vec<String> = watcher
            .get_property("RegisteredStatusNotifierItems")
            .await?;
        let dbus = zbus::fdo::DBusProxy::new(&self.bus).await?;
        for item in items {
            // "<bus name><object path>", or a bare bus name (this watcher
            // keeps only the sender): then the object is looked for.
            let (name, path) = match item.find('/') {
                Some(i) => (item[..i].to_owned(), Some(item[i..].to_owned())),
                None => (item.clone(), None),
            };
            let owner = dbus
                .get_connection_unix_process_id(name.as_str().try_into()?)
                .await;
            if owner.ok() != Some(pid) {
                continue;
            }
            let path = match path {
                Some(path) => path,
                None => self.find_item_path(&name).await?,
            };
            let sni = self
                .proxy(&name, &path, "org.kde.StatusNotifierItem")
                .await?;
            let menu_path: zbus::zvariant::OwnedObjectPath = sni.get_property("Menu").await?;
            let menu = self
                .proxy(&name, menu_path.as_str(), "com.canonical.dbusmenu")
                .await?;
            let reply = menu
                .call_method("GetLayout", &(0i32, -1i32, Vec::<String>::new()))
                .await?;
            let body = reply.body();
            let layout: Structure<'_> = body.deserialize()?;
            let found = layout
                .fields()
                .get(1)
                .and_then(|root| entry_id(root, label));
            return Ok(found.map(|id| (menu, id)));
        }
        Ok(None)
    }

    /// The object path where `name` serves a StatusNotifierItem, found by
    /// walking its objects' introspection data from `/`.
    async fn find_item_path(&self, name: &str) -> Result<String> {
        let mut paths = vec!["/".to_owned()];
        while let Some(path) = paths.pop() {
            let node = self
                .proxy(name, &path, "org.freedesktop.DBus.Introspectable")
                .await?;
            let xml: String = node.call("Introspect", &()).await?;
            if xml.contains("\"org.kde.StatusNotifierItem\"") {
                return Ok(path);
            }
            for part in xml.split("<node name=\"").skip(1) {
                if let Some(child) = part.split('"').next() {
                    let base = path.trim_end_matches('/');
                    paths.push(format!("{base}/{child}"));
                }
            }
        }
        bail!("{name} serves no StatusNotifierItem")
    }

    async fn proxy(&self, dest: &str, path: &str, iface: &str) -> Result<zbus::Proxy<'_>> {
        Ok(zbus::proxy::Builder::new(&self.bus)
            .destination(dest.to_owned())?
            .path(path.to_owned())?
            .interface(iface.to_owned())?
            .cache_properties(zbus::proxy::CacheProperties::No)
            .build()
            .await?)
    }
}

/// The id of the entry labelled `label` in a dbusmenu layout node
/// `(id, {properties}, [children as variants])`.
fn entry_id(node: &Value<'_>, label: &str) -> Option<i32> {
    let node = match node {
        Value::Value(inner) => inner.as_ref(),
        other => other,
    };
    let Value::Structure(node) = node else {
        return None;
    };
    let [Value::I32(id), Value::Dict(props), Value::Array(children)] = node.fields() else {
        return None;
    };
    let own = props.iter().any(|(k, v)| {
        let v = match v {
            Value::Value(inner) => inner.as_ref(),
            other => other,
        };
        matches!(k, Value::Str(k) if k.as_str() == "label")
            && matches!(v, Value::Str(v) if v.as_str().replace('_', "") == label)
    });
    if own {
        return Some(*id);
    }
    children.inner().iter().find_map(|c| entry_id(c, label))
}

/// The X window of process `pid` titled `title`.
pub fn x_window(pid: u32, title: &str) -> Result<String> {
    let out = std::process::Command::new("xdotool")
        .args([
            "search",
            "--all",
            "--pid",
            &pid.to_string(),
            "--name",
            &format!("^{title}$"),
        ])
        .output()
        .context("running xdotool (apt xdotool)")?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .map(str::to_owned)
        .with_context(|| format!("no X window {title:?} of pid {pid}"))
}

/// Resizes X window `window` as the user dragging its border would.
pub fn resize(window: &str, width: u32, height: u32) -> Result<()> {
    let done = std::process::Command::new("xdotool")
        .args([
            "windowsize",
            window,
            &width.to_string(),
            &height.to_string(),
        ])
        .status()
        .context("running xdotool")?;
    if !done.success() {
        bail!("xdotool windowsize failed");
    }
    Ok(())
}

/// Asks X window `window` to close (`WM_DELETE_WINDOW`), as the window
/// manager does when the user clicks its close button.
#[allow(unsafe_code)]
pub fn request_close(window: &str) -> Result<()> {
    use std::os::raw::c_long;
    use x11_dl::xlib;

    let id: xlib::Window = window.trim().parse().context("an X window id")?;
    let x = xlib::Xlib::open().context("loading libX11")?;
    // SAFETY: plain Xlib calls on a display this function opens and closes;
    // the event is fully initialised before it is sent.
    unsafe {
        let display = (x.XOpenDisplay)(std::ptr::null());
        if display.is_null() {
            bail!("cannot open the X display");
        }
        let protocols = (x.XInternAtom)(display, c"WM_PROTOCOLS".as_ptr(), xlib::False);
        let delete = (x.XInternAtom)(display, c"WM_DELETE_WINDOW".as_ptr(), xlib::False);
        let mut data = xlib::ClientMessageData::new();
        data.set_long(0, delete as c_long);
        data.set_long(1, xlib::CurrentTime as c_long);
        let message = xlib::XClientMessageEvent {
            type_: xlib::ClientMessage,
            serial: 0,
            send_event: xlib::True,
            display,
            window: id,
            message_type: protocols,
            format: 32,
            data,
        };
        let mut event = xlib::XEvent {
            client_message: message,
        };
        let sent = (x.XSendEvent)(display, id, xlib::False, xlib::NoEventMask, &mut event);
        (x.XFlush)(display);
        (x.XCloseDisplay)(display);
        if sent == 0 {
            bail!("XSendEvent failed");
        }
    }
    Ok(())
}
