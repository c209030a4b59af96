//! Embeds the default theme (templates, static files, i18n, npm manifest) in the binary, so
//! any site builds without a copy of the theme; a site's own `themes/default/` or `templates/`
//! overrides single files (Zola's built-in templates work the same way).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let theme = manifest.join("themes/default");
    println!("cargo::rerun-if-changed=themes/default");
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
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("default_theme.rs");
    std::fs::write(out, code).unwrap();
}
