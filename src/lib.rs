//! kenkomap: a static site generator for public health-resource maps.
//!
//! The modules follow the build pipeline described in `DESIGN.md`:
//! config -> load -> validate -> geo -> model -> render -> export -> write (and serve).
pub mod import;
