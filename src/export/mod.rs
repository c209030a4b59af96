//! Export phase: open data and machine-readable files next to the pages.

pub mod geojson;
pub mod hsds;

use std::io;

use crate::model::Model;
use crate::render::views::Labels;
use crate::write::Output;

/// A generated file: its path in the output and a description for the downloads page.
pub struct Exported {
    pub path: String,
    pub bytes: usize,
}

fn json_bytes(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("JSON serialises")
}

/// Writes every export into `out` and returns what was written. `labels` (Japanese) word the
/// free-text fields of the open data the way the pages do.
pub fn run(model: &Model, labels: &Labels, out: &dyn Output) -> io::Result<Vec<Exported>> {
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        "data/resources.geojson".into(),
        json_bytes(&geojson::resources(model)),
    )];
    for (a, area) in model.areas.iter().enumerate() {
        files.push((
            format!("data/areas/{}.geojson", area.code),
            json_bytes(&geojson::area(model, a)),
        ));
        files.push((
            format!("data/boundaries/{}.geojson", area.code),
            json_bytes(&geojson::boundaries(model, a)),
        ));
    }
    for (path, value) in hsds::files(model, labels) {
        files.push((path, json_bytes(&value)));
    }
    let mut exported = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        exported.push(Exported {
            path: path.clone(),
            bytes: bytes.len(),
        });
        out.put(&path, bytes)?;
    }
    Ok(exported)
}
