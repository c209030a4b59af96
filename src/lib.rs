//! kenkomap: a static site generator for public health-resource maps.
//!
//! The phases run in this order (`site::check_with` the front half, `build::render_all` the
//! back half):
//!
//! load -> config -> validate -> geo -> model -> export -> render -> write
//!
//! `load` reads and parses every file (`site.yaml` too); `config` decodes `site.yaml` with
//! validate's typed reader; exports run before pages because the downloads page lists them.
//! `serve`, `import`, `init` and `commands` (what `main.rs` calls) sit on top.
//!
//! Every dependency points down, never up nor sideways between siblings; bottom-up:
//!
//! - foundations: `text` (languages, escaping, Markdown, counts, day names), `diagnostics`,
//!   `fold`, `holidays` -> `hours`, `finder`, `readings` (generated for search), `write` (where
//!   files go), `registry` (record types);
//! - the front half: `load`; `validate` and `geo` (independent of each other); `config` (uses
//!   validate's reader); `site` (runs them);
//! - the back half: `model`; `views` (what pages and data files show) and `cells` (the CSV's
//!   cell formats); `export` and `render`, siblings that share only what is below them;
//!   `build` (runs them);
//! - on top: `serve`, `import` -> `init`, and `commands`, a leaf nothing imports.
//!
//! `tests/it/architecture.rs` holds the allowed edges and fails on any other.
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
pub mod readings;
pub mod registry;
pub mod render;
pub mod serve;
pub mod site;
pub mod text;
pub mod validate;
pub mod views;
pub mod write;
