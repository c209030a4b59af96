//! Embeds the default theme in the binary, so any site builds without a copy of it: the
//! templates, static files, i18n and npm manifest, and the third-party files of
//! `themes/default/vendor.txt` (Leaflet and Leaflet.markercluster with their licences) from
//! `themes/default/node_modules`. A site's own `themes/default/`, `templates/` or
//! `node_modules` overrides single files (Zola's built-in templates work the same way).
//!
//! The npm packages come from the registry by the lockfile, never from git: in a checkout
//! without `node_modules` this script runs `npm ci`; the crate package (`cargo package`)
//! carries the files, so `cargo install kenkomap` needs neither npm nor a network.
//! It also records the commit for `kenkomap --version`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn collect(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            collect(&path, root, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().to_path_buf());
        }
    }
}

/// `(node_modules path, assets/vendor path)` pairs of vendor.txt.
fn vendor_list(theme: &Path) -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(theme.join("vendor.txt")).expect("themes/default/vendor.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (from, to) = l.split_once(' ').expect("vendor.txt: `from to` per line");
            (from.trim().to_owned(), to.trim().to_owned())
        })
        .collect()
}

/// Makes sure the vendor files are there, running `npm ci` once if they are not.
fn ensure_vendor(theme: &Path, list: &[(String, String)]) {
    let missing = || {
        list.iter()
            .any(|(from, _)| !theme.join("node_modules").join(from).is_file())
    };
    if !missing() {
        return;
    }
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let status = Command::new(npm)
        .args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--prefix",
        ])
        .arg(theme)
        .status();
    if missing() {
        panic!(
            "kenkomap embeds Leaflet from themes/default/node_modules, which is missing and `npm ci` \
             could not install ({status:?}): install Node.js and npm, or run `npm ci --prefix themes/default`"
        );
    }
}

/// The commit this binary is built from: git, or the crate package's `.cargo_vcs_info.json`.
fn commit(manifest: &Path) -> String {
    let git = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(manifest)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let packaged = || {
        let info = std::fs::read_to_string(manifest.join(".cargo_vcs_info.json")).ok()?;
        let at = info.find("\"sha1\"")?;
        let sha: String = info[at + 6..]
            .chars()
            .skip_while(|c| !c.is_ascii_hexdigit())
            .take_while(char::is_ascii_hexdigit)
            .take(12)
            .collect();
        (!sha.is_empty()).then_some(sha)
    };
    git.or_else(packaged)
        .unwrap_or_else(|| "unknown".to_owned())
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let theme = manifest.join("themes/default");
    println!("cargo::rerun-if-changed=themes/default");
    println!("cargo::rerun-if-changed=themes/default/package-lock.json");
    for head in [".git/HEAD", ".git/index"] {
        if manifest.join(head).exists() {
            println!("cargo::rerun-if-changed={head}");
        }
    }
    println!("cargo::rustc-env=KENKOMAP_COMMIT={}", commit(&manifest));

    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    let mut code = String::from(
        "/// Files of the built-in default theme: (path inside the theme, contents).\npub static DEFAULT_THEME: &[(&str, &[u8])] = &[\n",
    );
    for file in &files {
        let rel = file.to_string_lossy().replace('\\', "/");
        // Directories are watched too, so new files are picked up.
        if let Some(parent) = theme.join(file).parent() {
            println!("cargo::rerun-if-changed={}", parent.display());
        }
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            theme.join(file).display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");

    let list = vendor_list(&theme);
    ensure_vendor(&theme, &list);
    code.push_str(
        "/// The theme's third-party files: (node_modules path, path under assets/vendor/, contents).\npub static VENDOR_FILES: &[(&str, &str, &[u8])] = &[\n",
    );
    for (from, to) in &list {
        let path = theme.join("node_modules").join(from);
        println!("cargo::rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({from:?}, {to:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("default_theme.rs");
    std::fs::write(out, code).unwrap();
}
