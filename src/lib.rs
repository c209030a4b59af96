//! kenkomap: a static site generator for public health-resource maps.
//!
//! The modules follow the build pipeline described in `DESIGN.md`:
//! config -> load -> validate -> geo -> model -> render -> export -> write (and serve).
//! `import` converts existing CSV and GeoJSON files into registries.
pub mod build;
pub mod cells;
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod export;
pub mod finder;
pub mod fold;
pub mod geo;
pub mod holidays;
pub mod hours;
pub mod import;
pub mod init;
pub mod load;
pub mod model;
pub mod registry;
pub mod render;
pub mod serve;
pub mod site;
pub mod text;
pub mod validate;
pub mod views;
pub mod write;
