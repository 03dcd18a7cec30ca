//! Embeds the agent console (`ui/dist-console`, built by `npm --prefix ui run
//! build`) into the server binary: `$OUT_DIR/console_files.rs` lists every
//! file with its bytes. Without a build it lists none and says so, and the
//! server answers `/agent/` with a page saying the console was not built.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dist = manifest.join("../../ui/dist-console");
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut files = Vec::new();
    if dist.join("index.html").is_file() {
        collect(&dist, &dist, &mut files);
    } else {
        println!(
            "cargo:warning=the agent console is not built ({} has no index.html): \
             run `npm --prefix ui run build`; until then /agent/ says it is missing",
            dist.display()
        );
    }
    files.sort();
    let mut out = String::from("/// The console's files: path under `/agent/`, bytes.\n");
    out.push_str("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (name, path) in &files {
        let _ = writeln!(out, "    ({name:?}, include_bytes!({path:?})),");
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(e) = std::fs::write(target.join("console_files.rs"), out) {
        println!("cargo:warning=could not write the console's file list: {e}");
        std::process::exit(1);
    }
}

/// Every file under `dir`, as (path relative to `root` with `/`, absolute path).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let absolute = path.canonicalize().unwrap_or(path.clone());
            files.push((name, absolute.display().to_string()));
        }
    }
}
