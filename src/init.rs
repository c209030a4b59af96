//! `kenkomap init DIR`: a new site that builds at once, with one example per kind and the
//! GitHub Actions workflows of the council workflow (check pull requests, publish main).

use std::path::Path;

/// The files of a new site: (path, contents).
const FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("init/site.yaml")),
    ("data/areas/example.yaml", include_str!("init/areas.yaml")),
    (
        "data/boundaries/example.geojson",
        include_str!("init/example.geojson"),
    ),
    (
        "data/facilities/example.yaml",
        include_str!("init/facilities.yaml"),
    ),
    ("data/parks/example.yaml", include_str!("init/parks.yaml")),
    (
        "data/restaurants/example.yaml",
        include_str!("init/restaurants.yaml"),
    ),
    (
        "data/consultation/example.yaml",
        include_str!("init/consultation.yaml"),
    ),
    ("content/about.md", include_str!("init/about.md")),
    (
        ".github/workflows/check.yml",
        include_str!("init/check.yml"),
    ),
    (
        ".github/workflows/publish.yml",
        include_str!("init/publish.yml"),
    ),
    (".gitignore", include_str!("init/gitignore")),
    ("README.md", include_str!("init/README.md")),
];

/// The installation step of the workflows, for the release that writes them.
const INSTALL_STEP: &str = include_str!("init/install-step.yml");

/// A file of the new site with the workflows' installation step and this release's version.
fn with_version(text: &str) -> String {
    text.replace("@INSTALL@\n", INSTALL_STEP)
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
}

/// Writes a new site into `dir`, which must not exist or be empty. Returns the files written.
pub fn init(dir: &Path) -> std::io::Result<Vec<String>> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists and is not empty", dir.display()),
        ));
    }
    let files = FILES
        .iter()
        .map(|(path, text)| (path.to_string(), with_version(text)));
    let mut written = Vec::new();
    for (path, bytes) in files {
        let full = dir.join(&path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, bytes)?;
        written.push(path);
    }
    Ok(written)
}
