//! Extraction: one [`Document`] in, one canonical [`Report`] out — sections, template,
//! the three statistical tables, metadata and the report's own arithmetic checks.
//!
//! Format-blind (it sees blocks and tables, never HTML or DOCX) and free of I/O.
//! Extraction never fails as a whole: what cannot be read becomes a warning and the
//! report's status says how complete it is. A figure is never guessed: a row that does
//! not fit the template stays out of the output, with a warning naming it.

mod active;
mod applications;
mod checks;
mod joined;
mod metadata;
mod pre2019;
mod review;
mod sections;
mod tables;
mod template;

use nianbao_model::{normalize_label_into, Evidence, Report, Status, Template, WarningCode};
use nianbao_read::{Block, Document};

pub use metadata::{parse_places, Places};

pub use tables::{expected_active_cells, expected_application_rows};

/// Builds the patterns, automata and the division list that extraction uses, which would
/// otherwise be built by the first document (tens of milliseconds, while other workers
/// wait for them). A batch calls it on a spare thread while it lists the corpus; calling
/// it is never needed for correctness.
pub fn prepare() {
    metadata::prepare();
    sections::prepare();
    checks::prepare();
    tables::prepare();
    template::prepare();
    nianbao_divisions::prepare();
}

/// Extracts everything the document holds.
pub fn extract(doc: &Document) -> Report {
    extract_with(doc, &Evidence::default())
}

/// [`extract`], with what other documents of the corpus say about this report to split
/// cells printed run together that the document alone cannot (`Report::ambiguous`).
pub fn extract_with(doc: &Document, evidence: &Evidence) -> Report {
    let mut report = Report::default();
    for diagnostic in &doc.diagnostics {
        report.warn(WarningCode::Reader, "document", diagnostic.clone());
    }
    let first_only = second_report_start(doc).map(|(start, title)| {
        report.warn(
            WarningCode::SecondReport,
            "document",
            format!("another report follows, 「{title}」; only the first is read"),
        );
        Document {
            blocks: doc.blocks[..start].to_vec(),
            ..doc.clone()
        }
    });
    let doc = first_only.as_ref().unwrap_or(doc);

    let mut metadata_warnings = Vec::new();
    report.metadata = metadata::extract_metadata(doc, &mut metadata_warnings);
    for (code, location, message) in metadata_warnings {
        report.warn(code, location, message);
    }
    let m = &report.metadata;
    if [&m.province, &m.city, &m.county, &m.township]
        .iter()
        .any(|p| !p.is_empty())
    {
        let resolved = nianbao_divisions::resolve(&m.province, &m.city, &m.county, &m.township);
        report.metadata.division_code = resolved.code;
        if let Some(note) = resolved.note {
            report.warn(
                WarningCode::DivisionUnresolved,
                "metadata.division_code",
                note,
            );
        }
    }

    let starts = sections::find_sections(doc);
    report.sections = sections::section_texts(doc, &starts);
    if report.sections.is_empty() {
        report.sections = sections::inline_sections(doc);
    }

    let tables = tables::normalize_tables(doc);
    let full_text = normalized_text(doc, &tables);
    let detection = template::detect(&full_text, report.metadata.year);
    report.template = detection.template;
    if let Some(why) = detection.uncertain {
        report.warn(WarningCode::TemplateUncertain, "template", why);
    }

    // A bound that cut the document short makes it partial: what is missing is unknown.
    let mut problems: Vec<String> = doc
        .diagnostics
        .iter()
        .filter(|d| d.starts_with(nianbao_read::LIMIT_PREFIX))
        .cloned()
        .collect();
    if report.template == Template::Pre2019 {
        report.warn(
            WarningCode::Pre2019,
            "tables",
            "report predates the 2019 format: no standard tables, none written",
        );
        pre2019::statistics(doc, &mut report);
        pre2019::narrative(doc, &mut report);
    } else {
        let mut applications =
            applications::extract_applications(&tables, report.template, &mut report);
        let named = tables::named_above(doc);
        let mut review = review::extract_review(&tables, &named, &mut report);
        let mut active = active::extract_active(doc, &tables, report.template, &mut report);
        let no_tables = report.applications.is_empty()
            && report.review_litigation.is_empty()
            && report.active_disclosure.is_empty();
        // A table that gave no figure may exist only as running text, or print its cells
        // run together (a heading or an item title may still name it): split its cells
        // by arithmetic.
        let known = report.template != Template::Unknown;
        let joined_applications = known && report.applications.is_empty();
        if joined_applications {
            applications = joined::applications(&full_text, report.template, &mut report);
        }
        let joined_review = known && report.review_litigation.is_empty();
        if joined_review {
            review = joined::review(&full_text, &mut report);
        }
        let joined_active = known && report.active_disclosure.is_empty();
        if joined_active {
            active = joined::active(&full_text, report.template, evidence, &mut report);
        }
        for (name, outcome, joined) in [
            ("applications (三)", &applications, joined_applications),
            ("review_litigation (四)", &review, joined_review),
            ("active_disclosure (二)", &active, joined_active),
        ] {
            if !outcome.found {
                if report.template != Template::Unknown {
                    problems.push(format!("{name} table not found"));
                }
            } else if !outcome.missing.is_empty() {
                problems.push(format!(
                    "{name}: {} expected cells or rows not extracted{}",
                    outcome.missing.len(),
                    if joined {
                        " (cells printed run together could not be split one way)"
                    } else {
                        ""
                    }
                ));
                report.warn(
                    WarningCode::TableIncomplete,
                    name,
                    format!("not extracted: {}", outcome.missing.join(", ")),
                );
            }
        }
        if no_tables && report.template == Template::Unknown {
            problems.push("no statistical tables recognised".into());
        }
    }

    report.checks = checks::table_checks(&report);
    let narrative = narrative_text(doc, &report);
    let narrative_checks = checks::narrative_checks(&report, &narrative);
    report.checks.extend(narrative_checks);

    if report.template != Template::Pre2019 && report.sections.len() < 6 {
        let found: Vec<String> = report
            .sections
            .iter()
            .map(|s| s.index.to_string())
            .collect();
        report.warn(
            WarningCode::SectionsMissing,
            "sections",
            format!(
                "{} of 6 section headings recognised ({})",
                report.sections.len(),
                if found.is_empty() {
                    "none".to_string()
                } else {
                    found.join(", ")
                }
            ),
        );
    }

    let recognised = !report.metadata.title.is_empty()
        || !report.sections.is_empty()
        || report.template != Template::Unknown;
    (report.status, report.error) = if !recognised {
        (
            Status::Failed,
            "not recognised as an annual report: no title, section headings or statistical tables"
                .into(),
        )
    } else if let Some((title, what)) = look_alike(doc, &report) {
        (
            Status::Failed,
            format!(
                "not an annual report: the title 「{title}」 names {what}, and no statistical table was found"
            ),
        )
    } else if problems.is_empty() {
        (Status::Ok, String::new())
    } else {
        (Status::Partial, problems.join("; "))
    };
    report
}

/// Where a second report starts, and its title: a line that reads as a whole report's
/// title after the first report's sections have begun, followed by section 一's heading
/// again (pages print last year's report below this year's, or several bodies' reports
/// one after another).
fn second_report_start(doc: &Document) -> Option<(usize, String)> {
    let mut sections_seen = 0;
    let mut previous: Option<(usize, &str)> = None;
    for (i, block) in doc.blocks.iter().enumerate() {
        let Block::Paragraph(text) = block else {
            previous = None;
            continue;
        };
        let line = text.trim();
        if let Some(index) = sections::heading_index(line) {
            sections_seen = sections_seen.max(index);
            previous = None;
            continue;
        }
        let short = line.chars().count() <= 80 && !line.contains('。');
        let title = (sections_seen >= 2
            && short
            && (line.contains("报告") || line.contains("年报"))
            && !nianbao_wording::site::is_page_chrome(line))
        .then(|| {
            // Whole on its line, or broken after the body and year (`…人民政府2023年` /
            // `政府信息公开工作年度报告`).
            let whole = |t: &str| nianbao_wording::parse_title(t).is_report();
            if whole(line) {
                return Some((i, line.to_string()));
            }
            let (start, before) = previous?;
            let joined = format!("{before}{line}");
            whole(&joined).then_some((start, joined))
        })
        .flatten();
        let sections_again = || {
            doc.blocks[i + 1..]
                .iter()
                .take(SECOND_REPORT_LOOKAHEAD)
                .any(|b| matches!(b, Block::Paragraph(p) if sections::heading_index(p.trim()) == Some(1)))
        };
        if let Some(found) = title.filter(|_| sections_again()) {
            return Some(found);
        }
        previous = short.then_some((i, line));
    }
    None
}

/// Blocks after a second title within which its section 一 must start.
const SECOND_REPORT_LOOKAHEAD: usize = 12;

/// What the document is instead of a report, with the title that says so: its title (or,
/// with none that names a report, its first line) names a look-alike (a notice about
/// compiling reports, an interpretation, a budget …) and it holds no figure of the report's
/// tables. A notice that prints the report it publishes (关于印发…年度报告的通知) keeps its
/// tables.
fn look_alike(doc: &Document, report: &Report) -> Option<(String, &'static str)> {
    let figures = !report.applications.is_empty()
        || !report.review_litigation.is_empty()
        || !report.active_disclosure.is_empty()
        || !report.statistics.is_empty();
    if figures {
        return None;
    }
    let title = if report.metadata.title.is_empty() {
        doc.paragraphs().next()?.trim()
    } else {
        report.metadata.title.as_str()
    };
    let what = nianbao_wording::parse_title(title).kind.look_alike()?;
    Some((title.to_string(), what))
}

/// Every paragraph and cell, normalised, for label searches over the whole document. Each
/// table cell is a line of its own: cells printed apart are never read as figures run
/// together ([`joined`] splits only runs within a line).
fn normalized_text(doc: &Document, tables: &[Vec<tables::NormRow<'_>>]) -> String {
    // Sized once: normalising never lengthens a paragraph, and the rows are done already.
    let size: usize = doc
        .blocks
        .iter()
        .zip(tables)
        .map(|(block, rows)| match block {
            Block::Paragraph(p) => p.len() + 1,
            Block::Table(_) => rows
                .iter()
                .map(|r| r.joined.len() + r.row.cells.len())
                .sum(),
        })
        .sum();
    let mut text = String::with_capacity(size);
    for (block, rows) in doc.blocks.iter().zip(tables) {
        match block {
            Block::Paragraph(p) => {
                normalize_label_into(p, &mut text);
                text.push('\n');
            }
            Block::Table(_) => {
                for cell in rows.iter().flat_map(|r| r.cells()) {
                    text.push_str(cell);
                    text.push('\n');
                }
            }
        }
    }
    text
}

/// Where narrative figures are stated: section 一 (总体情况) when it was found, else
/// every paragraph.
fn narrative_text(doc: &Document, report: &Report) -> String {
    match report.sections.iter().find(|s| s.index == 1) {
        Some(section) => section.text.clone(),
        None => doc.paragraphs().collect::<Vec<_>>().join("\n"),
    }
}
