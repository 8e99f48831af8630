//! Properties over generated input (proptest): the normalisers are idempotent, figures
//! read back from any printed form, the grid builder stays inside its caps, CSV output
//! parses back to the values written, and a document's rows do not depend on the other
//! documents in the batch or on their order.

use std::collections::BTreeMap;

use nianbao_export::{process_bytes, render, run_batch, BatchOptions, DocumentResult, Input};
use nianbao_model::{
    normalize_label, parse_figure, to_halfwidth, Applicant, ApplicationCell, ApplicationRow,
    Figure, Report, Section,
};
use nianbao_read::{TableBuilder, MAX_SPAN, MAX_TABLE_CELLS};
use nianbao_testkit::{render as render_report, Noise, Rendering, Truth};
use proptest::prelude::*;

/// Text as reports print it: CJK, full-width and ASCII digits, brackets, numbering and
/// every kind of space.
fn report_text() -> impl Strategy<Value = String> {
    "[一二三四五六七八九十政府信息公开申请（）()、.．，,：:0-9０-９ \t\u{3000}\u{a0}\u{200b}\n\"a-z]{0,40}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalisers_are_idempotent(s in report_text()) {
        let half = to_halfwidth(&s);
        prop_assert_eq!(to_halfwidth(&half), half.clone());
        let label = normalize_label(&s);
        prop_assert_eq!(normalize_label(&label), label);
    }

    #[test]
    fn figures_read_back_from_any_printed_form(n in 0u64..100_000_000, style in 0usize..4) {
        let plain = n.to_string();
        let printed = match style {
            0 => plain.clone(),
            // Thousands separators.
            1 => {
                let digits: Vec<char> = plain.chars().collect();
                let mut out = String::new();
                for (i, c) in digits.iter().enumerate() {
                    if i > 0 && (digits.len() - i).is_multiple_of(3) {
                        out.push(',');
                    }
                    out.push(*c);
                }
                out
            }
            // Full-width digits.
            2 => plain.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap()).collect(),
            // Padded with the spaces pages leave.
            _ => format!("\u{a0} {plain}\u{3000}"),
        };
        let parsed = parse_figure(&printed).map_err(|e| TestCaseError::fail(format!("{printed:?}: {e:?}")))?;
        prop_assert_eq!(parsed.value.to_string(), plain);
    }

    #[test]
    fn spans_never_make_a_grid_past_the_caps(
        ops in prop::collection::vec((0u8..4, any::<u32>(), any::<u32>()), 0..2_000)
    ) {
        let mut builder = TableBuilder::new();
        for (op, a, b) in ops {
            match op {
                0 => builder.start_row(),
                1 => builder.push_cell("x", a as usize, b as usize),
                2 => builder.skip_to_column(a as usize),
                _ => { builder.continue_cell("y"); }
            }
        }
        let (table, _) = builder.finish();
        let cells: usize = table.rows.iter().map(|r| r.cells.len()).sum();
        prop_assert!(cells <= MAX_TABLE_CELLS);
        for c in table.rows.iter().flat_map(|r| &r.cells) {
            prop_assert!(c.row_span <= MAX_SPAN && c.col_span <= MAX_SPAN);
        }
    }

    #[test]
    fn csv_output_parses_back_to_the_values_written(
        raw in report_text(), heading in report_text(), text in report_text(), source in report_text()
    ) {
        let report = Report {
            applications: vec![ApplicationCell {
                row: ApplicationRow::NewReceived,
                applicant: Applicant::Total,
                figure: Figure { raw: raw.clone(), value: None },
            }],
            sections: vec![Section { index: 1, heading: heading.clone(), text: text.clone() }],
            ..Report::default()
        };
        let result = DocumentResult {
            report_id: "r0".into(),
            source: source.clone(),
            format: "text".into(),
            encoding: "UTF-8".into(),
            report,
        };
        let blobs = render(&result).rows;
        let fields = |file: usize| -> Vec<String> {
            let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&blobs[file][..]);
            reader.records().next().unwrap().unwrap().iter().map(str::to_string).collect()
        };
        // reports.csv: source is the second column; applications.csv: raw is the last.
        prop_assert_eq!(&fields(0)[1], &source);
        let application = fields(1);
        prop_assert_eq!(application.last().unwrap(), &raw);
        let section = fields(5);
        prop_assert!(section.contains(&heading) && section.contains(&text), "{:?}", section);
    }
}

/// Each document's rows in every output file, by report id, without its cross-year checks.
fn rows_by_document(out: &std::path::Path) -> BTreeMap<String, Vec<String>> {
    let mut rows: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in nianbao_export::DOCUMENT_FILES.iter().map(|(name, _)| *name) {
        let mut reader = csv::Reader::from_path(out.join(file)).unwrap();
        for record in reader.records() {
            let record = record.unwrap();
            let fields: Vec<&str> = record.iter().collect();
            // Checks against another report of the corpus are the corpus's, not the
            // document's.
            if fields
                .get(1)
                .is_some_and(|check| check.starts_with("cross_year."))
            {
                continue;
            }
            rows.entry(fields[0].to_string())
                .or_default()
                .push(format!("{file}:{}", fields.join("\u{1f}")));
        }
    }
    rows
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]

    #[test]
    fn a_documents_rows_do_not_depend_on_the_rest_of_the_batch(
        picks in prop::collection::vec(0usize..12, 1..8)
    ) {
        let dir = tempfile::tempdir().unwrap();
        // Twelve documents, in several formats and both templates.
        let mut all = Vec::new();
        for i in 0..12u64 {
            let template = if i % 2 == 0 { nianbao_model::Template::T2021 } else { nianbao_model::Template::T2019 };
            let rendering = Rendering::ALL[(i as usize) % Rendering::ALL.len()];
            let bytes = render_report(&Truth::random(i, template, Noise::ALL), rendering, i);
            let path = dir.path().join(format!("d{i:02}"));
            std::fs::write(&path, &bytes).unwrap();
            all.push(Input { path, source: format!("d{i:02}"), provenance: None, problem: None });
        }
        let whole = dir.path().join("whole");
        run_batch(all.as_slice(), &whole, &BatchOptions::default(), &|_| {}).unwrap();
        let reference = rows_by_document(&whole);
        // A subset, in another order, with repeats.
        let subset: Vec<Input> = picks.iter().map(|&i| Input {
            path: all[i].path.clone(),
            source: all[i].source.clone(),
            provenance: None,
            problem: None,
        }).collect();
        let part = dir.path().join("part");
        run_batch(subset.as_slice(), &part, &BatchOptions::default(), &|_| {}).unwrap();
        for (id, rows) in rows_by_document(&part) {
            let mut expected = reference[&id].clone();
            expected.sort();
            let mut got: Vec<String> = rows;
            got.sort();
            got.dedup();
            prop_assert_eq!(got, expected, "{}", id);
        }
        // And one document alone extracts to the same result as in any batch.
        let alone = process_bytes(&all[picks[0]].source, &std::fs::read(&all[picks[0]].path).unwrap());
        prop_assert!(reference.contains_key(&alone.report_id));
    }
}
