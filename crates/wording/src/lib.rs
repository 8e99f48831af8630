//! The wording of the reports and the sites that publish them, in one place that the
//! crawler and the extractor share (the readers need none of it).
//!
//! Input: text as printed (a title, a link text, a heading, a column name). Output: what
//! the wording says — a [`Title`] with its agency, year and [`TitleKind`]; a year read from
//! Arabic or Chinese numerals; whether a phrase names a report column. Also the marker
//! phrases of the sections and tables, as constants. No I/O.
//!
//! Every form a title takes is listed, with an example, in [`forms::TITLE_FORMS`]: one table
//! of real-looking titles drives the grammar's tests and extraction's.

pub mod forms;
pub mod markers;
pub mod site;
mod title;
mod year;

pub use title::{parse_title, prepare, title_part, Title, TitleKind};
pub use year::{first_year, parse_year_number, YEAR_NUMBER};
