//! Export phase: open data and machine-readable files next to the pages.

pub mod csv;
pub mod geojson;

use std::io;

use crate::model::Model;
use crate::write::Output;

/// A generated file: its path in the output and a description for the downloads page.
pub struct Exported {
    pub path: String,
    pub bytes: usize,
}

fn json_bytes(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("JSON serialises")
}

/// Writes every export into `out` and returns what was written.
pub fn run(model: &Model, out: &dyn Output) -> io::Result<Vec<Exported>> {
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        "data/resources.geojson".into(),
        json_bytes(&geojson::resources(model)),
    )];
    for kind in crate::registry::Kind::ALL {
        files.push((csv::path(kind), csv::kind_csv(model, kind)));
    }
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
