//! Test kit (dev-only): synthetic annual reports with their truth, laid out as the
//! official forms print them and rendered in the formats reports are published in.
//!
//! Input: a seed and a template (or a real report's expected values). Output: the
//! [`Truth`] — every figure as printed and the value it must read as — and the document
//! bytes in each format, so tests compare whole tables.

mod layout;
mod rng;
mod text;
mod truth;

pub use layout::{active_grid, applications_grid, layout, review_grid, Grid, GridCell, Part};
pub use rng::Rng;
pub use text::{flatten, render_text, TextStyle};
pub use truth::{ActiveTruth, Noise, Place, Printed, Truth, PLACES};
