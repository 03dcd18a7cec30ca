//! The window follows the desktop's dark mode (`prefers-color-scheme`, set
//! for WebKitGTK by the GTK theme, `GTK_THEME=Adwaita:dark`) and stays
//! readable in both modes: on every screen, every visible text has a
//! contrast of at least 4.5:1 against what is behind it, and the focus ring
//! Tab moves through at least 3:1, computed from `getComputedStyle`.

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};
use fantoccini::key::Key;
use serde_json::Value;

/// Shared by both scripts: colours as `[r, g, b, a]`, the colour behind an
/// element (its own and its ancestors' backgrounds, composited), the
/// contrast ratio of WCAG 2.
const COLOURS: &str = "
    const parse = (c) => {
      const m = c.match(/rgba?\\(([^)]+)\\)/);
      if (!m) return [0, 0, 0, 0];
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, below) => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat([1]);
    };
    const behind = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let colour = [255, 255, 255, 1];
      for (const layer of layers.reverse()) colour = over(layer, colour);
      return colour;
    };
    const lum = (c) => {
      const ch = c.slice(0, 3).map((v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      });
      return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.dataset.testid ? '[' + el.dataset.testid + ']' : '');
";

/// Every element with text of its own, shown, not disabled, whose contrast
/// against its background is under 4.5:1.
const TEXT_FAILURES: &str = "
    const failures = [];
    let checked = 0;
    for (const el of document.body.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || el.closest('[disabled], [aria-hidden=true]')) continue;
      const rect = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      if (rect.width < 2 || rect.height < 2 || s.visibility === 'hidden' || s.opacity === '0') continue;
      const bg = behind(el);
      const fg = over(parse(s.color), bg);
      const r = ratio(fg, bg);
      checked += 1;
      if (r < 4.5) failures.push(name(el) + ' ' + JSON.stringify(el.textContent.trim().slice(0, 40))
        + ' ' + r.toFixed(2) + ':1 (' + s.color + ' on ' + bg.slice(0, 3).join(',') + ')');
    }
    return { checked, failures };
";

/// The focus ring of what has the focus: `null` when nothing is focused,
/// else its name, whether a ring of 2 px or more is drawn, and its contrast
/// against what is behind the element.
const FOCUS_RING: &str = "
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const drawn = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    const bg = behind(el.parentElement || el);
    return { name: name(el), drawn, ratio: ratio(over(parse(s.outlineColor), bg), bg) };
";

async fn run(app: &AppWindow, body: &str) -> Value {
    app.execute(&format!("{COLOURS}{body}")).await.unwrap()
}

/// Checks the screen on show: its texts, and the focus ring on the first
/// `tabs` stops of the Tab order.
async fn check_screen(app: &AppWindow, mode: &str, screen: &str, tabs: usize) -> usize {
    let text = run(app, TEXT_FAILURES).await;
    let failures = text["failures"].as_array().unwrap();
    assert!(
        failures.is_empty(),
        "{mode}, {screen}: text under 4.5:1: {failures:#?}"
    );
    let mut rings = 0;
    for _ in 0..tabs {
        app.press(Key::Tab).await.unwrap();
        let ring = run(app, FOCUS_RING).await;
        if ring.is_null() {
            continue;
        }
        let what = ring["name"].as_str().unwrap_or_default();
        assert!(
            ring["drawn"].as_bool().unwrap(),
            "{mode}, {screen}: no focus ring on {what}"
        );
        let ratio = ring["ratio"].as_f64().unwrap();
        assert!(
            ratio >= 3.0,
            "{mode}, {screen}: focus ring of {what} at {ratio:.2}:1"
        );
        rings += 1;
    }
    text["checked"].as_u64().unwrap() as usize + rings
}

async fn check_every_screen(server: &ServerProcess, mode: &str, env: &[(&str, &str)]) {
    let app = AppWindow::launch_with(&server.url, tempfile::tempdir().unwrap(), env)
        .await
        .unwrap();
    let dark = app
        .execute("return matchMedia('(prefers-color-scheme: dark)').matches")
        .await
        .unwrap();
    assert_eq!(
        dark,
        Value::from(mode == "dark"),
        "the window follows the desktop"
    );
    // The measure itself: grey on grey is caught.
    app.execute(
        "const p = document.createElement('p'); p.id = 'contrast-probe'; p.textContent = 'probe';
         p.style.cssText = 'color: #777; background: #888'; document.body.append(p); return null;",
    )
    .await
    .unwrap();
    let probe = run(&app, TEXT_FAILURES).await.to_string();
    assert!(
        probe.contains("p#contrast-probe"),
        "{mode}: the probe fails: {probe}"
    );
    app.execute("document.getElementById('contrast-probe').remove(); return null;")
        .await
        .unwrap();
    check_screen(&app, mode, "sign-in", 4).await;
    app.sign_in("user@acme.example", DEMO_PASSWORD)
        .await
        .unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    let mut checked = check_screen(&app, mode, "tickets", 12).await;
    let entries = app.find_all("[data-testid=nav-entry]").await.unwrap();
    let mut ids = Vec::new();
    for entry in entries {
        ids.push(entry.attr("id").await.unwrap().unwrap_or_default());
    }
    for id in ids.iter().filter(|id| *id != "nav-tickets") {
        app.click(&format!("#{id}")).await.unwrap();
        app.find("main h1").await.unwrap();
        checked += check_screen(&app, mode, id, 8).await;
    }
    app.click("#nav-tickets").await.unwrap();
    app.click("[data-testid=ticket-row] [data-testid=ticket-subject]")
        .await
        .unwrap();
    app.find("[data-testid=ticket-detail]").await.unwrap();
    checked += check_screen(&app, mode, "ticket", 8).await;
    app.click("#back-to-list").await.unwrap();
    app.click("#new-ticket-button").await.unwrap();
    app.find("form#new-ticket").await.unwrap();
    checked += check_screen(&app, mode, "new ticket", 8).await;
    // A customer admin's account screen: the accounts and notification addresses.
    app.click("#nav-account").await.unwrap();
    app.click("#sign-out").await.unwrap();
    app.sign_in("admin@acme.example", DEMO_PASSWORD)
        .await
        .unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    app.click("#nav-account").await.unwrap();
    app.find("[data-testid=user-row]").await.unwrap();
    app.find("[data-testid=addresses-abuse]").await.unwrap();
    checked += check_screen(&app, mode, "account (customer admin)", 30).await;
    assert!(
        checked > 50,
        "{mode}: only {checked} texts and rings checked"
    );
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_and_focus_rings_are_readable_in_light_and_dark_mode() {
    let server = ServerProcess::start_demo().unwrap();
    check_every_screen(&server, "light", &[]).await;
    check_every_screen(&server, "dark", &[("GTK_THEME", "Adwaita:dark")]).await;
}
