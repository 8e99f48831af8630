//! Generated reports (both templates, with the noise real sites print) rendered as
//! flattened text, web pages (UTF-8 and GBK) and Word attachments extract to exactly the
//! generator's truth; and real reports' expected values, laid out as the official form
//! and flattened, extract to those values.

mod common;

use common::{assert_is_truth, assert_matches_truth, assert_read_cells_are_truth, read_file};
use nianbao_extract::extract;
use nianbao_model::{CheckStatus, Status, Template, WarningCode};
use nianbao_read::read;
use nianbao_testkit::real_report;
use nianbao_testkit::{
    layout, render, render_text, Noise, PageEncoding, Rendering, TextStyle, Truth,
};

const REPORTS_PER_CASE: u64 = 200;

/// Every generated report of these renderings extracts to exactly its truth.
fn round_trip(renderings: &[Rendering]) {
    for &rendering in renderings {
        for template in [Template::T2021, Template::T2019] {
            for seed in 0..REPORTS_PER_CASE {
                let truth = Truth::random(seed, template, Noise::ALL);
                let bytes = render(&truth, rendering, seed);
                let doc = read(&bytes).unwrap_or_else(|e| panic!("{rendering:?} seed {seed}: {e}"));
                let report = extract(&doc);
                let context = format!("{rendering:?} {template:?} seed {seed}");
                assert_is_truth(&report, &truth, &context);
                if matches!(rendering, Rendering::Html(_)) {
                    assert_eq!(report.metadata.published_date, truth.published, "{context}");
                }
                let unexpected: Vec<_> = report
                    .warnings
                    .iter()
                    .filter(|w| w.code != WarningCode::NotANumber)
                    .collect();
                assert!(unexpected.is_empty(), "{context}: {unexpected:#?}");
            }
        }
    }
}

#[test]
fn generated_text_reports_round_trip() {
    round_trip(&[
        Rendering::Text(TextStyle::Tabbed),
        Rendering::Text(TextStyle::PipeRows),
    ]);
}

#[test]
fn generated_html_pages_round_trip() {
    round_trip(&[
        Rendering::Html(PageEncoding::Utf8),
        Rendering::Html(PageEncoding::Gb2312Declared),
        Rendering::Html(PageEncoding::GbkUndeclared),
    ]);
}

#[test]
fn generated_docx_attachments_round_trip() {
    round_trip(&[Rendering::Docx]);
}

fn real_truth(name: &str) -> Truth {
    let path = real_report(&format!("{name}.expected.json"));
    let expected: serde_json::Value = serde_json::from_slice(&read_file(&path)).unwrap();
    Truth::from_expected(&expected).expect("a 2019 or 2021 report")
}

#[test]
fn real_figures_laid_out_as_the_form_extract_exactly() {
    for name in [
        "pingtan-2019.txt",
        "pingtan-2023.txt",
        "pingtan-2025.txt",
        "hongze-2023.pdf",
    ] {
        let truth = real_truth(name);
        let text = render_text(&layout(&truth), TextStyle::Tabbed);
        let report = extract(&read(text.as_bytes()).unwrap());
        assert_matches_truth(&report, &truth, name);
        assert_eq!(report.status, Status::Ok, "{name}: {}", report.error);
    }
}

#[test]
fn hongze_single_other_row_and_contradicting_totals_are_reported() {
    let truth = real_truth("hongze-2023.pdf");
    assert!(
        truth.single_other(),
        "hongze prints （六）其他处理 as one row"
    );
    let report =
        extract(&read(render_text(&layout(&truth), TextStyle::Tabbed).as_bytes()).unwrap());
    assert!(report.applications.iter().any(|c| c.row.key() == "other"));
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == WarningCode::TemplateVariant));
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .map(|c| c.name)
        .collect();
    assert_eq!(
        failed,
        vec![
            "proceeding_total.review",
            "proceeding_total.litigation_after_review"
        ]
    );
    // The printed 0s are kept: a check never changes a figure.
    let review_total = report
        .review_litigation
        .iter()
        .find(|c| c.proceeding.key() == "review" && c.outcome.key() == "total")
        .unwrap();
    assert_eq!(
        review_total.figure.value.map(|v| v.to_string()).as_deref(),
        Some("0")
    );
}

#[test]
fn joined_cells_in_generated_reports_are_right_or_empty_never_wrong() {
    let (mut rows, mut solved) = (0usize, 0usize);
    let (mut review_cells, mut review_solved) = (0usize, 0usize);
    let (mut active_cells, mut active_solved) = (0usize, 0usize);
    for template in [Template::T2021, Template::T2019] {
        for seed in 0..500 {
            let truth = Truth::random(seed, template, Noise::default());
            let text = nianbao_testkit::render_joined(&layout(&truth));
            let report = extract(&read(text.as_bytes()).unwrap());
            let context = format!("{template:?} seed {seed}");
            assert_read_cells_are_truth(&report, &truth, &context);
            // What is not extracted is named in a warning.
            let rows_here = truth.applications.len();
            let solved_here = report.applications.len() / 7;
            if solved_here < rows_here {
                assert!(
                    report
                        .warnings
                        .iter()
                        .any(|w| w.code == WarningCode::JoinedCellsAmbiguous),
                    "{context}"
                );
                assert_eq!(report.status, Status::Partial);
            }
            rows += rows_here;
            solved += solved_here;
            review_cells += truth.review.len() * nianbao_model::Outcome::ALL.len();
            review_solved += report.review_litigation.len();
            active_cells += truth.active.len();
            active_solved += report.active_disclosure.len();
        }
    }
    // The shares split one way (reported in the notes); the floors guard the solver
    // against falling back to leaving everything empty.
    let share = solved as f64 / rows as f64;
    eprintln!(
        "joined cells: {solved} of {rows} application rows solved ({:.1} %); \
         table 四 {review_solved} of {review_cells} cells; table 二 {active_solved} of {active_cells} cells",
        share * 100.0
    );
    assert!(share > 0.9, "{share}");
    assert!(
        review_solved * 10 > review_cells * 6,
        "table 四: {review_solved}"
    );
    assert!(
        active_solved * 10 > active_cells,
        "table 二: {active_solved}"
    );
}

#[test]
fn tables_printed_one_cell_per_line_extract_exactly_or_leave_cells_empty() {
    let plain = Noise {
        thousands: true,
        label_variants: true,
        ..Noise::default()
    };
    for template in [Template::T2021, Template::T2019] {
        for seed in 0..REPORTS_PER_CASE {
            let context = format!("{template:?} seed {seed}");
            let truth = Truth::random(seed, template, plain);
            let text = render_text(&layout(&truth), TextStyle::CellLines);
            let report = extract(&read(text.as_bytes()).unwrap());
            assert_is_truth(&report, &truth, &context);
            // Blank cells and full-width digits: what is read is right, the rest named.
            let truth = Truth::random(seed, template, Noise::ALL);
            let text = render_text(&layout(&truth), TextStyle::CellLines);
            let report = extract(&read(text.as_bytes()).unwrap());
            assert_read_cells_are_truth(&report, &truth, &context);
        }
    }
}

#[test]
fn table_two_printed_as_sentences_extracts_exactly() {
    let noise = Noise {
        blank_zeros: false,
        ..Noise::ALL
    };
    for template in [Template::T2021, Template::T2019] {
        for seed in 0..REPORTS_PER_CASE {
            let context = format!("{template:?} seed {seed}");
            let (parts, truth) = nianbao_testkit::layout_with_active_sentences(&Truth::random(
                seed, template, noise,
            ));
            let text = render_text(&parts, TextStyle::Tabbed);
            let report = extract(&read(text.as_bytes()).unwrap());
            assert_is_truth(&report, &truth, &context);
        }
    }
}

/// A column the template does not have after 总计 (`占比（%）`, `4.3%`): table 三's rows
/// print eight cells. What is read is right; cells printed apart are never read as one
/// run of digits and split.
#[test]
fn a_percentage_column_after_the_total_never_gives_a_wrong_figure() {
    use nianbao_testkit::{applications_grid, GridCell, Part};
    for template in [Template::T2021, Template::T2019] {
        for seed in 0..REPORTS_PER_CASE {
            let truth = Truth::random(seed, template, Noise::default());
            let grid = applications_grid(&truth);
            let mut widened = grid.clone();
            for (i, row) in widened.iter_mut().enumerate() {
                let text = if i == 0 {
                    "占比（%）".to_string()
                } else {
                    format!("{}.{}%", i % 7, i % 10)
                };
                let rows = if i == 0 {
                    grid.iter()
                        .take_while(|r| r.iter().all(|c| c.text.parse::<u64>().is_err()))
                        .count()
                        .max(1)
                } else {
                    1
                };
                if i == 0 || i >= rows {
                    row.push(GridCell {
                        text,
                        rows,
                        cols: 1,
                    });
                }
            }
            let parts: Vec<Part> = layout(&truth)
                .into_iter()
                .map(|p| match p {
                    Part::Table(g) if g == grid => Part::Table(widened.clone()),
                    other => other,
                })
                .collect();
            for style in [TextStyle::Tabbed, TextStyle::PipeRows] {
                let text = render_text(&parts, style);
                let report = extract(&read(text.as_bytes()).unwrap());
                let context = format!("{template:?} seed {seed} {style:?}");
                assert_read_cells_are_truth(&report, &truth, &context);
            }
        }
    }
}

/// Two reports on one page (last year's below this year's, or two bodies'): only the
/// first is read, whole, and a warning names the second; a table the first lacks is never
/// taken from the second.
#[test]
fn a_second_report_on_the_page_is_named_and_never_read_into_the_first() {
    use nianbao_testkit::{review_grid, Part};
    for seed in 0..REPORTS_PER_CASE {
        let first = Truth::random(seed, Template::T2021, Noise::default());
        let second = Truth::random(seed + 1000, Template::T2021, Noise::default());
        let below = render_text(&layout(&second), TextStyle::Tabbed);
        let context = format!("seed {seed}");
        let names_second = |report: &nianbao_model::Report| {
            report
                .warnings
                .iter()
                .any(|w| w.code == WarningCode::SecondReport)
        };
        let whole = render_text(&layout(&first), TextStyle::Tabbed) + &below;
        let report = extract(&read(whole.as_bytes()).unwrap());
        assert_matches_truth(&report, &first, &context);
        assert!(names_second(&report), "{context}");
        // This year's table 四 printed as a sentence, last year's table below.
        let without_review: Vec<Part> = layout(&first)
            .into_iter()
            .filter(|p| !matches!(p, Part::Table(g) if *g == review_grid(&first)))
            .collect();
        let text = render_text(&without_review, TextStyle::Tabbed) + &below;
        let report = extract(&read(text.as_bytes()).unwrap());
        assert!(report.review_litigation.is_empty(), "{context}");
        assert!(names_second(&report), "{context}");
    }
}
