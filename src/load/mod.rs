//! Load phase: read the site's files and parse them, keeping spans for diagnostics.

pub mod yaml;
