//! Render phase: templates (minijinja) and SVG maps into pages.

pub mod markdown;
pub mod svg;
pub mod theme;
