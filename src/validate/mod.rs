//! Validate phase: schema rules (decode) and semantic rules across records.

pub mod decode;
pub mod formats;
pub mod leftovers;
pub mod reader;
pub mod rules;
