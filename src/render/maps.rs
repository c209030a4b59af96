//! The backgrounds of the pages' maps (an area's municipalities, a municipality's outline),
//! drawn once and shared by every page that shows them, and the outlines record pages link to.

use super::Renderer;
use super::svg::Background;
use crate::model::AreaId;

impl Renderer {
    /// The background of an area's maps (computed on first use, then shared).
    pub(super) fn area_background(&self, a: AreaId) -> Option<&Background> {
        self.area_backgrounds[a.index()]
            .get_or_init(|| {
                let geo = &self.model.site.geo;
                let area_geo = &geo.areas[self.model.areas[a].geo];
                let bounds = geo.bounds(&area_geo.municipalities)?;
                let shapes: Vec<&geo::MultiPolygon<f64>> = area_geo
                    .municipalities
                    .iter()
                    .map(|&m| &geo.municipalities[m].polygon)
                    .collect();
                Some(Background::new(
                    &shapes,
                    Some(&area_geo.polygon),
                    (bounds.lower(), bounds.upper()),
                ))
            })
            .as_ref()
    }

    /// The background of a municipality's record maps.
    pub(super) fn municipality_background(&self, m: usize) -> Option<&Background> {
        self.municipality_backgrounds[m]
            .get_or_init(|| {
                let geo = &self.model.site.geo;
                let bounds = geo.bounds(&[m])?;
                Some(Background::new(
                    &[&geo.municipalities[m].polygon],
                    None,
                    (bounds.lower(), bounds.upper()),
                ))
            })
            .as_ref()
    }

    /// `assets/maps/<code>.svg`: the outline of every municipality a record page shows.
    pub fn map_assets(&self) -> Vec<(String, Vec<u8>)> {
        use rayon::prelude::*;
        let mut used: Vec<usize> = self
            .model
            .by_kind
            .iter()
            .flatten()
            .filter(|&&i| self.model.record(i).location.is_some())
            .filter_map(|&i| self.model.site.placements[i].map(|p| p.municipality))
            .collect();
        used.sort_unstable();
        used.dedup();
        used.par_iter()
            .filter_map(|&m| {
                let background = self.municipality_background(m)?;
                let code = self.model.site.geo.municipalities[m].code;
                Some((
                    format!("assets/maps/{code}.svg"),
                    background.standalone().into_bytes(),
                ))
            })
            .collect()
    }
}
