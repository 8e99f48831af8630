//! The codebook: every column of every file, with its type, labels, unit, what a blank
//! means, the templates that print it and how many rows of the run have a value; and the
//! names of `wide.csv`'s columns for Stata (32 characters at most).

use nianbao_extract::expected_active_cells;
use nianbao_model::{ActiveMetric, ApplicationRow, Template};

use crate::csv_out::{WideCell, WIDE_CELLS};
use crate::schema::{Column, ColumnType};

/// Stata's longest variable name.
pub const STATA_NAME_MAX: usize = 32;

/// A wide column's name for Stata: its table's letter, then each word of its keys cut to
/// three letters (`applications.denied_third_party.natural_person` →
/// `a_den_thi_par_nat_per`). Id columns keep their names.
pub fn stata_name(column: &str) -> String {
    let (table, rest) = match column.split_once('.') {
        Some(("applications", rest)) => ("a", rest),
        Some(("review_litigation", rest)) => ("r", rest),
        Some(("active_disclosure", rest)) => ("d", rest),
        _ => return column.to_string(),
    };
    let mut name = table.to_string();
    for word in rest.split(['.', '_']) {
        name.push('_');
        name.extend(word.chars().take(3));
    }
    name
}

/// One row of `codebook.csv`, in [`schema::CODEBOOK`]'s order.
pub type CodebookRow = [String; 10];

/// Rows with a value, per file and column, counted over a run.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    /// Per file name, per column position.
    pub files: Vec<(&'static str, Vec<u64>)>,
}

impl Coverage {
    fn count(&self, file: &str, column: usize) -> u64 {
        self.files
            .iter()
            .find(|(name, _)| *name == file)
            .and_then(|(_, counts)| counts.get(column).copied())
            .unwrap_or(0)
    }
}

/// Every column of every file the run writes.
pub fn rows(files: &[(&'static str, &'static [Column])], coverage: &Coverage) -> Vec<CodebookRow> {
    let mut rows = Vec::new();
    for (file, columns) in files {
        for (i, c) in columns.iter().enumerate() {
            rows.push(row(file, c, coverage.count(file, i)));
        }
        if *file == crate::csv_out::WIDE_FILE {
            let ids = columns.len();
            for (j, cell) in WIDE_CELLS.iter().enumerate() {
                rows.push(cell_row(file, cell, coverage.count(file, ids + j)));
            }
        }
    }
    for r in &mut rows {
        if r[0] == crate::csv_out::WIDE_FILE {
            r[2] = stata_name(&r[1]);
        }
    }
    rows
}

fn row(file: &str, c: &Column, coverage: u64) -> CodebookRow {
    [
        file.to_string(),
        c.name.to_string(),
        String::new(),
        c.kind.as_str().to_string(),
        c.label_zh.to_string(),
        c.label_en.to_string(),
        c.unit.to_string(),
        c.missing.to_string(),
        c.templates.to_string(),
        coverage.to_string(),
    ]
}

const BLANK_CELL: &str = "blank: the template has no such cell, or it was printed empty, a \
                          dash or not a number (see the long file's raw and warnings.csv); \
                          never read as 0";

/// A wide cell's row of the codebook.
fn cell_row(file: &str, cell: &WideCell, coverage: u64) -> CodebookRow {
    let missing = match cell {
        WideCell::ActiveUnit(..) => {
            "blank: no amount, or its unit was not printed (warning unit_unknown)"
        }
        _ => BLANK_CELL,
    };
    let (zh, en, unit, kind) = match *cell {
        WideCell::Application(r, a) => (
            format!("{} / {}", r.zh(), a.zh()),
            format!("Applications (table 3): {} / {}", r.en(), a.en()),
            "件",
            ColumnType::Decimal,
        ),
        WideCell::Review(p, o) => (
            format!("{} / {}", p.zh(), o.zh()),
            format!("Review and litigation (table 4): {} / {}", p.en(), o.en()),
            "件",
            ColumnType::Decimal,
        ),
        WideCell::Active(i, c, m) => (
            format!("{} / {} / {}", i.zh(), c.zh(), m.zh()),
            format!(
                "Proactive disclosure (table 2): {} / {} / {}",
                i.en(),
                c.en(),
                m.en()
            ),
            if m.is_amount() {
                "see the .unit column (万元 or 元, as printed)"
            } else if m == ActiveMetric::Change {
                "件 (signed)"
            } else {
                "件"
            },
            ColumnType::Decimal,
        ),
        WideCell::ActiveUnit(i, c, m) => (
            format!("{} / {} / {} 的单位", i.zh(), c.zh(), m.zh()),
            format!("Unit of: {} / {} / {}", i.en(), c.en(), m.en()),
            "",
            ColumnType::Code,
        ),
    };
    [
        file.to_string(),
        cell.name(),
        String::new(),
        kind.as_str().to_string(),
        zh,
        en,
        unit.to_string(),
        missing.to_string(),
        templates(cell).to_string(),
        coverage.to_string(),
    ]
}

/// The templates whose tables print this cell.
fn templates(cell: &WideCell) -> &'static str {
    match cell {
        WideCell::Application(ApplicationRow::Other, _) => {
            "2019 (and 2021 reports printing （六） as one row)"
        }
        WideCell::Application(
            ApplicationRow::OtherNoCorrection
            | ApplicationRow::OtherUnpaidFee
            | ApplicationRow::OtherOther,
            _,
        ) => "2021",
        WideCell::Active(i, c, m) | WideCell::ActiveUnit(i, c, m) => {
            let in_2021 = expected_active_cells(Template::T2021).contains(&(*i, *c, *m));
            let in_2019 = expected_active_cells(Template::T2019).contains(&(*i, *c, *m));
            match (in_2021, in_2019) {
                (true, true) => "2021, 2019",
                (true, false) => "2021",
                _ => "2019",
            }
        }
        _ => "2021, 2019",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema;

    #[test]
    fn stata_names_are_short_unique_identifiers() {
        let mut names: Vec<String> = schema::WIDE_IDS
            .iter()
            .map(|c| stata_name(c.name))
            .chain(WIDE_CELLS.iter().map(|c| stata_name(&c.name())))
            .collect();
        for name in &names {
            assert!(name.len() <= STATA_NAME_MAX, "{name} is too long");
            let mut chars = name.chars();
            assert!(
                chars.next().is_some_and(|c| c.is_ascii_alphabetic()),
                "{name}"
            );
            assert!(
                chars.all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{name}"
            );
        }
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count, "Stata names collide");
        assert_eq!(
            stata_name("active_disclosure.20.9.centralized_procurement.procurement_amount.unit"),
            "d_20_9_cen_pro_pro_amo_uni"
        );
    }
}
