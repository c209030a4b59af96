//! What each kind of page shows, one module per kind: each builds its page's view from the
//! model (through the renderer's shared views) and renders its template. Print sheets are in
//! [`super::print`].

mod area;
mod area_kind;
mod content;
mod downloads;
mod finder;
pub(super) mod home;
mod kind;
mod names;
pub(super) mod record;
