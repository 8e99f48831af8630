//! Canonical types of an annual report and the label dictionary.
//!
//! Input: nothing but printed strings. Output: the keys of the output contract
//! (`shared/schema.md`), each next to its Chinese label, plus the normalisers that
//! turn printed labels and printed numbers into something comparable.
//!
//! No I/O happens here; every other crate speaks in these types.

mod decimal;
mod keys;
mod normalize;
mod report;
mod warning_code;

pub use decimal::{Decimal, Printed};
pub use keys::{
    find_misread, ActiveCategory, ActiveItem, ActiveMetric, Applicant, ApplicationRow, Outcome,
    Proceeding, RowGroup,
};
pub use normalize::{
    normalize_label, normalize_label_into, parse_figure, strip_numbering, to_halfwidth,
    NumberError, ParsedNumber,
};
pub use report::{
    ActiveCell, AmbiguousRow, ApplicationCell, Check, CheckStatus, Evidence, Figure, Level,
    Metadata, Report, ReviewCell, Section, StatisticCell, Status, Template, Warning,
};
pub use warning_code::WarningCode;
