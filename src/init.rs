//! `kenkomap init DIR [--prefecture CODE|NAME]`: a new site that builds at once, with one
//! example per kind and the GitHub Actions workflows of the council workflow (check pull
//! requests, publish main).
//!
//! Without `--prefecture` the site has a placeholder prefecture (サンプル県); with it, the
//! prefecture's 二次医療圏, municipalities and boundaries from the national tables built into
//! the binary ([`national`]), written by the same code as `kenkomap import areas`.

pub mod national;

use std::path::Path;

pub use national::{Prefecture, find_prefecture};

/// The files of every new site: (path, template).
const FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("init/site.yaml")),
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

/// The placeholder prefecture of a site made without `--prefecture`.
const EXAMPLE_AREAS: &[(&str, &str)] = &[
    ("data/areas/example.yaml", include_str!("init/areas.yaml")),
    (
        "data/boundaries/example.geojson",
        include_str!("init/example.geojson"),
    ),
];

/// The installation step of the workflows, for the release that writes them.
const INSTALL_STEP: &str = include_str!("init/install-step.yml");

/// The credit of the readings that give the municipalities' English names.
const READINGS_CREDIT: &str = "  - name: localgovjp（code4fukui）
    name_en: localgovjp (code4fukui), readings of municipality names
    url: https://github.com/code4fukui/localgovjp
    licence: CC0
";

/// What differs between the example site and a prefecture's: the values of the templates'
/// `@NAME@` placeholders.
struct Fill {
    prefecture: String,
    prefecture_en: String,
    /// Heading of the site's README, before 健康情報マップ.
    readme_title: String,
    areas_note: String,
    more_credits: String,
    /// 6-digit code of the municipality of the example records.
    municipality: String,
    address: String,
    /// Flow mappings `{ lat: …, lon: … }` of the example facility, park, restaurant and
    /// consultation body.
    locations: [String; 4],
}

impl Fill {
    /// The placeholder prefecture of today's example site.
    fn example() -> Fill {
        let at = |lat: &str, lon: &str| format!("{{ lat: {lat}, lon: {lon} }}");
        Fill {
            prefecture: "サンプル県".into(),
            prefecture_en: "Sample Prefecture".into(),
            readme_title: String::new(),
            areas_note: "Replace the placeholder prefecture in `data/areas/` with your own\n\
                 (`kenkomap import areas …`), then import or write your registries under `data/`."
                .into(),
            more_credits: String::new(),
            municipality: "992011".into(),
            address: "サンプル市中央町1-1".into(),
            locations: [
                at("34.30", "134.06"),
                at("34.31", "134.05"),
                at("34.29", "134.07"),
                at("34.30", "134.08"),
            ],
        }
    }

    fn apply(&self, text: &str) -> String {
        let [facilities, parks, restaurants, consultation] = &self.locations;
        let pairs = [
            ("@INSTALL@\n", INSTALL_STEP),
            ("@VERSION@", env!("CARGO_PKG_VERSION")),
            ("@PREFECTURE_TITLE@", &self.readme_title),
            ("@PREFECTURE_EN@", &self.prefecture_en),
            ("@PREFECTURE@", &self.prefecture),
            ("@AREAS_NOTE@", &self.areas_note),
            ("@MORE_CREDITS@", &self.more_credits),
            ("@MUNICIPALITY@", &self.municipality),
            ("@ADDRESS@", &self.address),
            ("@LOCATION_FACILITIES@", facilities),
            ("@LOCATION_PARKS@", parks),
            ("@LOCATION_RESTAURANTS@", restaurants),
            ("@LOCATION_CONSULTATION@", consultation),
        ];
        pairs
            .iter()
            .fold(text.to_owned(), |t, (from, to)| t.replace(from, to))
    }
}

fn refuse_non_empty(dir: &Path) -> std::io::Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} exists and is not empty", dir.display()),
        ));
    }
    Ok(())
}

fn write_files(dir: &Path, files: Vec<(String, String)>) -> std::io::Result<Vec<String>> {
    let mut written = Vec::new();
    for (path, text) in files {
        let full = dir.join(&path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(full, text)?;
        written.push(path);
    }
    Ok(written)
}

fn site_files(fill: &Fill, extra: Vec<(String, String)>) -> Vec<(String, String)> {
    FILES
        .iter()
        .map(|(path, text)| (path.to_string(), fill.apply(text)))
        .chain(extra)
        .collect()
}

/// Writes a new site with the placeholder prefecture into `dir`, which must not exist or be
/// empty. Returns the files written.
pub fn init(dir: &Path) -> std::io::Result<Vec<String>> {
    refuse_non_empty(dir)?;
    let fill = Fill::example();
    let areas = EXAMPLE_AREAS
        .iter()
        .map(|(path, text)| (path.to_string(), fill.apply(text)))
        .collect();
    write_files(dir, site_files(&fill, areas))
}

/// A site made by [`init_prefecture`]: the files written and the importer's warnings.
#[derive(Debug, Default)]
pub struct Initialised {
    pub files: Vec<String>,
    pub warnings: Vec<String>,
}

/// Writes a new site for `prefecture` into `dir` (which must not exist or be empty): its
/// 二次医療圏 and municipalities with English names, its boundaries, and example records in
/// its first municipality. `command` goes into the areas file's header.
pub fn init_prefecture(
    dir: &Path,
    prefecture: &Prefecture,
    command: &str,
) -> std::io::Result<Initialised> {
    refuse_non_empty(dir)?;
    let tables = national::areas(prefecture, command).map_err(std::io::Error::other)?;
    let sample = national::sample_place(&tables).map_err(std::io::Error::other)?;
    let fill = Fill {
        prefecture: prefecture.name.into(),
        prefecture_en: prefecture.name_en.into(),
        readme_title: format!("{} ", prefecture.name),
        areas_note: areas_note(prefecture, &tables),
        more_credits: READINGS_CREDIT.into(),
        address: format!("{}（サンプルの住所）", sample.name),
        municipality: sample.code,
        locations: sample.locations,
    };
    let areas = vec![
        (
            format!("data/areas/{}.yaml", tables.slug),
            tables.yaml.clone(),
        ),
        (
            format!("data/{}", tables.boundaries_path),
            tables.geojson.clone(),
        ),
    ];
    Ok(Initialised {
        files: write_files(dir, site_files(&fill, areas))?,
        warnings: tables.warnings.iter().map(|w| w.to_string()).collect(),
    })
}

/// The README's paragraph on where the areas and boundaries come from.
fn areas_note(prefecture: &Prefecture, tables: &crate::import::AreasOutput) -> String {
    format!(
        "`data/areas/{slug}.yaml` lists {name}'s {areas} 二次医療圏 and {munis} municipalities, and\n\
         `data/{boundaries}` their boundaries, from 国土数値情報 of 国土交通省\n\
         (行政区域 N03-21 under the 国土数値情報 terms, 医療圏 A38-20 under CC BY 4.0), with\n\
         English names from the readings of localgovjp (code4fukui, CC0). If your council uses other boundaries, replace them with\n\
         `kenkomap import areas …`. The example records (`sample: true`) under `data/` show each\n\
         kind: replace them with your own registries.",
        slug = tables.slug,
        name = prefecture.name,
        areas = tables.areas,
        munis = tables.municipalities,
        boundaries = tables.boundaries_path,
    )
}
