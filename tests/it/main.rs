//! The integration tests, as one test binary (mdBook's pattern): cargo links one
//! executable instead of one per file, and `cargo test --test it <module>::` runs one group.

mod common;

mod architecture;
mod budgets;
mod build;
mod check;
mod demo;
mod export;
mod export_csv;
mod export_hsds;
mod hostile;
mod import;
mod init;
mod internal;
mod no_panic;
mod print;
mod readme;
mod release;
mod serve;
mod workflows;
