//! kenkomap: a static site generator for public health-resource maps.
//!
//! The modules follow the build pipeline described in `DESIGN.md`:
//! config -> load -> validate -> geo -> model -> render -> export -> write (and serve).
pub mod commands;
pub mod config;
pub mod diagnostics;
pub mod fold;
pub mod geo;
pub mod holidays;
pub mod hours;
pub mod load;
pub mod registry;
pub mod site;
pub mod validate;
