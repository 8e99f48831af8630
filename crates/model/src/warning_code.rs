//! The warning codes: each key written to the `code` column of `warnings.csv`, with what
//! it means for a reader of the dataset. `docs/warnings.md` is this list, checked by a
//! test against [`WarningCode::ALL`].

use std::fmt;

/// Defines [`WarningCode`] from one list, so that its variants, `ALL`, keys and meanings
/// cannot disagree.
macro_rules! warning_codes {
    ($($variant:ident => ($key:literal, $meaning:literal)),+ $(,)?) => {
        /// What a warning is about. The key is part of the output contract; the meaning
        /// is what `docs/warnings.md` says of it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum WarningCode {
            $(#[doc = $meaning] $variant),+
        }

        impl WarningCode {
            /// Every code, in the order `docs/warnings.md` lists them.
            pub const ALL: &'static [WarningCode] = &[$(WarningCode::$variant),+];

            /// The stable snake_case key written to `warnings.csv`.
            pub fn key(self) -> &'static str {
                match self { $(WarningCode::$variant => $key),+ }
            }

            /// What happened, and what it means for the figures, in plain English.
            pub fn meaning(self) -> &'static str {
                match self { $(WarningCode::$variant => $meaning),+ }
            }
        }
    };
}

warning_codes! {
    Reader => ("reader", "The file reader noted something about the file itself: a wrongly \
        declared encoding or undecodable bytes, a page without an article body, a damaged or \
        encrypted PDF, a converted legacy Office file, or a size limit. A message starting \
        with `limit:` means part of the document was not read, and the report is not `ok`."),
    SecondReport => ("second_report", "The document holds another report after this one (a \
        report's title, then its sections from 一 again: last year's report below this \
        year's, or several bodies' reports on one page); only the first is read, and the \
        message names the second."),
    MetadataMissing => ("metadata_missing", "The year reported on (`metadata.year`) or the \
        reporting body (`metadata.agency`) was found neither in the document nor in the \
        crawl's listing, and is left empty. Unless the document failed, it is a panel.csv row \
        of its own, keyed `unresolved|<report_id>`."),
    MetadataFromListing => ("metadata_from_listing", "The document names no reporting body, \
        so `agency` is taken from the crawl's listing: the text of the link that led to it, \
        or a listing column that names one body. The message says which; it is the \
        listing's word, not the report's."),
    DivisionUnresolved => ("division_unresolved", "A place in the body's name is not in the \
        division list, or names several places and the report does not say which. \
        `division_code` is then the code of the place above it, or empty: never a guess."),
    TemplateUncertain => ("template_uncertain", "Which template (2021 or 2019) the tables \
        follow was not certain: labels of both are printed, or table 二 prints none and the \
        year decided, or nothing decided it (template `unknown`). The message says how it \
        was decided."),
    TemplateVariant => ("template_variant", "A 2021-format report prints table 三's \
        （六）其他处理 as one row, as the 2019 format does. Its figures are under row \
        `other`, and the three 2021 rows under it are not expected."),
    TableIncomplete => ("table_incomplete", "A standard table was found, but cells or rows \
        the template expects were not extracted: the message lists them, they are left \
        empty and the report is `partial`. Other warnings of the table usually say why."),
    HeaderDiffers => ("header_differs", "The table's header does not print the column names \
        of the template (in table 二: no header of the item's metrics above the row), so the \
        figures were taken in the template's column order."),
    ColumnsByHeader => ("columns_by_header", "The header of table 三 or 四 prints its \
        columns in another order than the template; every figure was placed by the column \
        name above it, not by its position."),
    ColumnsUnknown => ("columns_unknown", "The header of table 三 or 四 prints its columns \
        in another order than the template and does not line up with the figures, so no \
        figure can be placed: the table is not extracted and its cells are left empty."),
    ColumnAmbiguous => ("column_ambiguous", "In table 二, several columns read as one metric \
        (two headers naming it, or one header over columns whose figures differ). Which one \
        the template means is not known, so none is read and the cell is left empty."),
    UnknownColumn => ("unknown_column", "A column of table 二's header names no metric of \
        the template, or a row printed as a sentence names one that is not that row's; those \
        figures are not read."),
    LabelMisread => ("label_misread", "A row or column label matches a label of the \
        template only with one character misread, as OCR does (子以公开 for 予以公开); it \
        was taken as that label and its figures were read."),
    UnknownRow => ("unknown_row", "A row of table 三 was not extracted: its label names no \
        row of the template, it is a subtotal the template does not have, or a row's label \
        is printed with no figures. The message quotes the label."),
    ItemDiffers => ("item_differs", "A table 二 row is printed under the title of another \
        item than the one the template puts its category in; it was read as the template's \
        item."),
    DuplicateRow => ("duplicate_row", "A row of table 三, or a cell of table 二, is printed \
        twice; the first is kept and the second is not read."),
    RowShape => ("row_shape", "A row has more or fewer figure cells than the table has \
        columns (cells joined or missing), so its figures cannot be placed: the row (in \
        table 四, the whole table) is not extracted and is left empty."),
    RowsJoined => ("rows_joined", "Table 四's figures are printed over several rows \
        (行政复议 in one, 行政诉讼 in the next); they were read one after another in the \
        template's order, which the header keeps and whole proceedings fill."),
    RowsPlacedByOrder => ("rows_placed_by_order", "Rows of table 三 print figures without a \
        label; each was given the template's row at its place, as every gap between \
        labelled rows holds exactly the template's rows and the table's sums hold. The \
        figures are read, and the message names the rows."),
    RowsUnlabelled => ("rows_unlabelled", "Rows of table 三 print figures without a label \
        and cannot be placed by the template's order (their count does not fit the gaps, or \
        the table's sums would not hold); they are not extracted and are left empty."),
    NotANumber => ("not_a_number", "A cell prints something that is not a number (`—`, \
        `无`, `2 3`); its value is left empty and the printed text is kept in `raw`. A dash \
        or 无 may well mean zero, but no figure is guessed."),
    UnitUnknown => ("unit_unknown", "An amount of table 二 is printed with no unit in its \
        cell or header, and the template implies none (as it implies 万元 for fees); the \
        figure is kept with an empty `unit`."),
    JoinedCells => ("joined_cells", "Cells printed run together (a table printed as running \
        text, `801000081`) were split into figures, each run only where one split is \
        possible or the only one the table's arithmetic, the narrative or other documents \
        of the corpus allow. The message shows the runs and their splits."),
    JoinedCellsAmbiguous => ("joined_cells_ambiguous", "Cells printed run together split in \
        several ways, or in none, that the table's arithmetic, the narrative and the other \
        documents of the corpus allow; they are left empty, and the message lists the \
        candidates."),
    Pre2019 => ("pre2019", "The report predates the 2019 format and has none of the \
        standard tables, so none are written. Its statistics form and the narrative's \
        figures go to pre2019_statistics.csv."),
    StatisticsJoined => ("statistics_joined", "A pre-2019 report's statistics form prints its \
        cells run together (label, unit and figures with no separator); it is not read, so \
        pre2019_statistics.csv has none of its figures."),
    NarrativeFigure => ("narrative_figure", "A pre-2019 report's narrative states a figure \
        with one meaning (applications received, administrative reviews). It is in \
        pre2019_statistics.csv with `column` `narrative`, the cell's key as `label` and the \
        sentence as `raw`, never in the standard tables."),
    NarrativeConflict => ("narrative_conflict", "A pre-2019 report's narrative states the \
        same figure twice with different values; neither is taken, and the message quotes \
        both."),
    SectionsMissing => ("sections_missing", "Fewer than six of the outline's section \
        headings (一、总体情况 … 六、其他需要报告的事项) were recognised; sections.csv holds \
        only those found. The figures are not affected."),
}

impl fmt::Display for WarningCode {
    /// The key, as `warnings.csv` writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::WarningCode::{self, *};

    /// Each code's key, by an exhaustive match: a code added to the enum does not compile
    /// until it is named here, and a key changed in the list above fails the test.
    fn contract_key(code: WarningCode) -> &'static str {
        match code {
            Reader => "reader",
            SecondReport => "second_report",
            MetadataMissing => "metadata_missing",
            MetadataFromListing => "metadata_from_listing",
            DivisionUnresolved => "division_unresolved",
            TemplateUncertain => "template_uncertain",
            TemplateVariant => "template_variant",
            TableIncomplete => "table_incomplete",
            HeaderDiffers => "header_differs",
            ColumnsByHeader => "columns_by_header",
            ColumnsUnknown => "columns_unknown",
            ColumnAmbiguous => "column_ambiguous",
            UnknownColumn => "unknown_column",
            LabelMisread => "label_misread",
            UnknownRow => "unknown_row",
            ItemDiffers => "item_differs",
            DuplicateRow => "duplicate_row",
            RowShape => "row_shape",
            RowsJoined => "rows_joined",
            RowsPlacedByOrder => "rows_placed_by_order",
            RowsUnlabelled => "rows_unlabelled",
            NotANumber => "not_a_number",
            UnitUnknown => "unit_unknown",
            JoinedCells => "joined_cells",
            JoinedCellsAmbiguous => "joined_cells_ambiguous",
            Pre2019 => "pre2019",
            StatisticsJoined => "statistics_joined",
            NarrativeFigure => "narrative_figure",
            NarrativeConflict => "narrative_conflict",
            SectionsMissing => "sections_missing",
        }
    }

    #[test]
    fn all_holds_every_code_once_in_declaration_order() {
        for (i, code) in WarningCode::ALL.iter().enumerate() {
            assert_eq!(*code as usize, i, "{code:?}");
        }
        // The last variant declared is the last of ALL, so nothing declared is left out.
        assert_eq!(WarningCode::ALL.last(), Some(&SectionsMissing));
        assert_eq!(SectionsMissing as usize + 1, WarningCode::ALL.len());
    }

    #[test]
    fn keys_are_the_contract_unique_and_snake_case() {
        let mut keys: Vec<&str> = WarningCode::ALL.iter().map(|c| c.key()).collect();
        for (code, key) in WarningCode::ALL.iter().zip(&keys) {
            assert_eq!(*key, contract_key(*code));
            let snake = key.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                && key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                && !key.ends_with('_')
                && !key.contains("__");
            assert!(snake, "{key:?} is not snake_case ASCII");
            assert_eq!(code.to_string(), *key);
        }
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), WarningCode::ALL.len(), "a key is used twice");
    }

    #[test]
    fn meanings_are_one_line_sentences() {
        for code in WarningCode::ALL {
            let meaning = code.meaning();
            assert!(meaning.ends_with('.'), "{code}: {meaning:?}");
            assert!(!meaning.contains('\n'), "{code}: {meaning:?}");
            assert!(!meaning.contains("  "), "{code}: {meaning:?}");
        }
    }
}
