//! `quality.html`: one self-contained page (no script, no request: styles inline, charts
//! as inline SVG) that shows what a run found. Coverage of bodies by year, the checks that
//! fail by kind and by body, warnings by code, the panel's headline figures from year to
//! year, the cross-year findings, and every document that is not in the panel or not ok,
//! with the reason.

use std::collections::BTreeMap;
use std::fmt::Write;

use nianbao_model::Status;

use crate::cross_year::Findings;
use crate::ledger::Record;
use crate::panel::Role;
use crate::Summary;

pub const QUALITY_FILE: &str = "quality.html";

/// Bodies drawn in the coverage grid; the rest are counted under it.
const GRID_BODIES: usize = 200;
/// Rows of a findings table; the rest are counted under it (all are in checks.csv).
const TABLE_ROWS: usize = 500;

/// What the page is made of: the run's counts and its documents.
pub struct QualityInput<'a> {
    pub summary: &'a Summary,
    pub records: &'a [Record<'a>],
    /// Per record: its role and its primary's report id.
    pub roles: &'a [(Role, &'a str)],
    /// The records that are the panel's rows of a known body and year.
    pub primaries: &'a [usize],
    pub cross_year: &'a Findings,
    /// Panel rows whose complete sources disagree: the primary's record and the detail.
    pub conflicts: &'a [(usize, &'a str)],
}

const OK: &str = "#2e7d32";
const PARTIAL: &str = "#f9a825";
const FAILED: &str = "#c62828";
const BAR: &str = "#1565c0";

/// The page.
pub fn page(input: &QualityInput<'_>) -> String {
    let mut html = String::with_capacity(64 * 1024);
    let s = input.summary;
    html.push_str(HEAD);
    let _ = write!(
        html,
        "<h1>nianbao: data quality</h1>\n<p class=\"counts\">{} documents: {} ok, {} partial, \
         {} failed; {} panel rows of a known body and year; {} checks failed; {} warnings.</p>\n",
        s.documents,
        s.ok,
        s.partial,
        s.failed,
        input.primaries.len(),
        s.checks_failed,
        s.warnings
    );
    coverage_by_year(&mut html, input);
    coverage_grid(&mut html, input);
    checks_by_kind(&mut html, input);
    checks_by_body(&mut html, input);
    section(&mut html, "warnings", "Warnings by code");
    let warnings: Vec<(String, u64)> = s
        .warnings_by_code
        .iter()
        .map(|(code, n)| (code.clone(), *n as u64))
        .collect();
    bars(&mut html, &warnings, BAR, "no warnings");
    headlines(&mut html, input);
    cross_year_findings(&mut html, input);
    conflicts(&mut html, input);
    outside_the_panel(&mut html, input);
    html.push_str("</body>\n</html>\n");
    html
}

const HEAD: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<title>nianbao: data quality</title>\n<style>\n\
body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}\n\
h2{border-bottom:1px solid #ccc;margin-top:2em}\n\
table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}\n\
td.n{text-align:right}.note{color:#555}svg text{font-size:11px;font-family:sans-serif}\n\
.legend span{display:inline-block;width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}\n\
</style>\n</head>\n<body>\n";

fn section(html: &mut String, id: &str, title: &str) {
    let _ = writeln!(html, "<section id=\"{id}\">\n<h2>{}</h2>", escape(title));
}

fn legend(html: &mut String, items: &[(&str, &str)]) {
    html.push_str("<p class=\"legend\">");
    for (color, label) in items {
        let _ = write!(
            html,
            "<span style=\"background:{color}\"></span>{}",
            escape(label)
        );
    }
    html.push_str("</p>\n");
}

/// Reports of the panel per year, by the status of the document used; failed documents
/// under the year they name, if any.
fn coverage_by_year(html: &mut String, input: &QualityInput<'_>) {
    section(html, "coverage-years", "Reports by year");
    let mut years: BTreeMap<u16, [u64; 3]> = BTreeMap::new();
    for &p in input.primaries {
        let e = &input.records[p].entry;
        if let Some(year) = e.year {
            let slot = if e.status == Status::Ok { 0 } else { 1 };
            years.entry(year).or_default()[slot] += 1;
        }
    }
    for r in input.records {
        if let (Status::Failed, Some(year)) = (r.entry.status, r.entry.year) {
            years.entry(year).or_default()[2] += 1;
        }
    }
    legend(
        html,
        &[
            (OK, "ok"),
            (PARTIAL, "partial"),
            (FAILED, "failed document"),
        ],
    );
    let rows: Vec<(String, [u64; 3])> = years.iter().map(|(y, c)| (y.to_string(), *c)).collect();
    stacked_bars(html, &rows, [OK, PARTIAL, FAILED], "no report names a year");
    html.push_str("</section>\n");
}

/// The grid of bodies × years: which reports exist, and whether they read ok.
fn coverage_grid(html: &mut String, input: &QualityInput<'_>) {
    section(html, "coverage-grid", "Coverage: bodies × years");
    let mut bodies: BTreeMap<String, BTreeMap<u16, Status>> = BTreeMap::new();
    for &p in input.primaries {
        let e = &input.records[p].entry;
        if let Some(year) = e.year {
            bodies.entry(e.body()).or_default().insert(year, e.status);
        }
    }
    let years: Vec<u16> = {
        let mut y: Vec<u16> = bodies.values().flat_map(|m| m.keys().copied()).collect();
        y.sort_unstable();
        y.dedup();
        y
    };
    if bodies.is_empty() {
        html.push_str("<p class=\"note\">no report of a known body and year</p>\n</section>\n");
        return;
    }
    // The bodies with the most years first, so the grid shows the panel's core.
    let mut drawn: Vec<(&String, &BTreeMap<u16, Status>)> = bodies.iter().collect();
    drawn.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let rest = drawn.len().saturating_sub(GRID_BODIES);
    drawn.truncate(GRID_BODIES);
    legend(
        html,
        &[(OK, "ok"), (PARTIAL, "partial"), ("#eee", "no report")],
    );
    let (label_w, cell, top) = (320, 16, 40);
    let width = label_w + cell * years.len().max(1) + 10;
    let height = top + cell * drawn.len() + 10;
    let _ = writeln!(
        html,
        "<svg class=\"chart\" id=\"grid\" width=\"{width}\" height=\"{height}\" role=\"img\" \
         aria-label=\"coverage of bodies by year\">"
    );
    for (j, year) in years.iter().enumerate() {
        let x = label_w + j * cell + cell / 2;
        let _ = writeln!(
            html,
            "<text x=\"{x}\" y=\"{}\" transform=\"rotate(-60 {x} {})\">{year}</text>",
            top - 4,
            top - 4
        );
    }
    for (i, (body, statuses)) in drawn.iter().enumerate() {
        let y = top + i * cell;
        let _ = writeln!(
            html,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            label_w - 6,
            y + cell - 4,
            escape(&shortened(body, 40))
        );
        for (j, year) in years.iter().enumerate() {
            let color = match statuses.get(year) {
                Some(Status::Ok) => OK,
                Some(_) => PARTIAL,
                None => "#eee",
            };
            let _ = writeln!(
                html,
                "<rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{color}\"><title>{} {year}</title></rect>",
                label_w + j * cell,
                cell - 2,
                cell - 2,
                escape(body)
            );
        }
    }
    html.push_str("</svg>\n");
    if rest > 0 {
        let _ = writeln!(
            html,
            "<p class=\"note\">{rest} more bodies with fewer years are not drawn; every one is in panel.csv.</p>"
        );
    }
    html.push_str("</section>\n");
}

fn checks_by_kind(html: &mut String, input: &QualityInput<'_>) {
    section(html, "checks-kind", "Failed checks by kind");
    let rows: Vec<(String, u64)> = input
        .summary
        .failed_checks
        .iter()
        .map(|(kind, n)| (kind.clone(), *n as u64))
        .collect();
    bars(html, &rows, FAILED, "no check failed");
    html.push_str(
        "<p class=\"note\">A failed check is a finding about the source (its own arithmetic, \
         or its figures against last year's); no figure is changed. See checks.csv.</p>\n",
    );
}

/// The bodies whose reports fail the most checks, their own and cross-year ones.
fn checks_by_body(html: &mut String, input: &QualityInput<'_>) {
    section(
        html,
        "checks-body",
        "Failed checks by body (the 20 with most)",
    );
    let mut by_body: BTreeMap<String, u64> = BTreeMap::new();
    for &p in input.primaries {
        let r = &input.records[p];
        if r.checks_failed > 0 {
            *by_body.entry(r.entry.body()).or_default() += r.checks_failed;
        }
    }
    for (body, failed) in &input.cross_year.failed_by_body {
        *by_body.entry(body.clone()).or_default() += failed;
    }
    let mut rows: Vec<(String, u64)> = by_body.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows.truncate(20);
    bars(html, &rows, FAILED, "no body's report fails a check");
    html.push_str("</section>\n");
}

/// The headline figures summed over the panel's bodies per year, and the change from the
/// year before over the bodies that reported both years.
fn headlines(html: &mut String, input: &QualityInput<'_>) {
    section(html, "headlines", "Headline figures by year (panel)");
    const NAMES: [&str; 3] = ["applications received", "granted", "processed"];
    // Body → year → figures.
    let mut bodies: BTreeMap<String, BTreeMap<u16, [Option<u64>; 3]>> = BTreeMap::new();
    for &p in input.primaries {
        let r = &input.records[p];
        if let Some(year) = r.entry.year {
            bodies
                .entry(r.entry.body())
                .or_default()
                .insert(year, r.headline);
        }
    }
    // Year → figure sums, over the years where some body printed one (pre-2019 reports
    // have none: a zero there would be a fall that did not happen).
    let mut sums: BTreeMap<u16, [u64; 3]> = BTreeMap::new();
    // Year → per figure: bodies that printed it both years, its sums last year and this.
    let mut changes: BTreeMap<u16, [(u64, u64, u64); 3]> = BTreeMap::new();
    for years in bodies.values() {
        for (&year, figures) in years {
            if figures.iter().any(Option::is_some) {
                let sum = sums.entry(year).or_default();
                for (s, f) in sum.iter_mut().zip(figures) {
                    *s += f.unwrap_or(0);
                }
            }
            let Some(before) = year.checked_sub(1).and_then(|y| years.get(&y)) else {
                continue;
            };
            for k in 0..3 {
                if let (Some(b), Some(n)) = (before[k], figures[k]) {
                    let change = &mut changes.entry(year).or_default()[k];
                    change.0 += 1;
                    change.1 += b;
                    change.2 += n;
                }
            }
        }
    }
    let colors = [BAR, OK, "#6a1b9a"];
    legend(
        html,
        &[
            (colors[0], NAMES[0]),
            (colors[1], NAMES[1]),
            (colors[2], NAMES[2]),
        ],
    );
    lines(html, &sums, colors);
    html.push_str(
        "<p class=\"note\">The lines sum whichever bodies reported each year. The table \
         compares each year with the one before over the same bodies: those that printed \
         the figure both years (how many in brackets).</p>\n\
         <table id=\"changes\"><tr><th>year</th>",
    );
    for name in NAMES {
        let _ = write!(html, "<th>{name}: last year → this year</th>");
    }
    html.push_str("</tr>\n");
    for (year, figures) in &changes {
        let _ = write!(html, "<tr><td>{year}</td>");
        for (bodies, before, now) in figures {
            if *bodies == 0 {
                html.push_str("<td class=\"n\">–</td>");
                continue;
            }
            let _ = write!(
                html,
                "<td class=\"n\">{before} → {now} ({}) [{bodies}]</td>",
                percent_change(*before, *now)
            );
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</table>\n");
    if changes.is_empty() {
        html.push_str("<p class=\"note\">no body has reports of two consecutive years</p>\n");
    }
    html.push_str("</section>\n");
}

fn percent_change(before: u64, now: u64) -> String {
    if before == 0 {
        return "–".into();
    }
    format!(
        "{:+.1} %",
        (now as f64 - before as f64) * 100.0 / before as f64
    )
}

fn cross_year_findings(html: &mut String, input: &QualityInput<'_>) {
    section(html, "cross-year", "Cross-year findings");
    let f = input.cross_year;
    let _ = writeln!(
        html,
        "<p>{} cross-year checks: {} pass, {} fail, {} skipped (a figure not printed).</p>",
        f.total(),
        f.passed,
        f.failed,
        f.skipped
    );
    if !f.first_failed.is_empty() {
        html.push_str(
            "<table id=\"cross-year-failed\"><tr><th>body</th><th>year</th><th>check</th>\
             <th>expected</th><th>printed</th><th>reports</th></tr>\n",
        );
        for c in &f.first_failed {
            let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{} (last year {})</td></tr>",
                escape(&c.body),
                c.year,
                escape(&c.check),
                number(c.expected),
                number(c.actual),
                c.report_id,
                c.earlier_report_id
            );
        }
        html.push_str("</table>\n");
        more(html, f.failed, "checks.csv");
    }
    html.push_str("</section>\n");
}

fn conflicts(html: &mut String, input: &QualityInput<'_>) {
    section(html, "conflicts", "Sources that disagree");
    let _ = writeln!(
        html,
        "<p>{} panel rows have complete sources with different figures (panel.csv: \
         conflict); the panel uses the primary's.</p>",
        input.conflicts.len()
    );
    if !input.conflicts.is_empty() {
        html.push_str(
            "<table id=\"conflict-table\"><tr><th>body</th><th>year</th><th>primary</th><th>sources</th></tr>\n",
        );
        for (p, detail) in input.conflicts.iter().take(TABLE_ROWS) {
            let e = &input.records[*p].entry;
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&e.body()),
                e.year.map(|y| y.to_string()).unwrap_or_default(),
                e.report_id,
                escape(detail)
            );
        }
        html.push_str("</table>\n");
        more(html, input.conflicts.len(), "panel.csv");
    }
    html.push_str("</section>\n");
}

/// Why a document is not a panel row of its own, or not ok; `None` when it is both.
fn reason<'a>(r: &Record<'a>, (role, primary): (Role, &'a str)) -> Option<String> {
    let e = &r.entry;
    if e.status == Status::Failed {
        return Some(format!("failed: {}", r.error));
    }
    if !e.in_report() {
        return Some(format!(
            "not in the panel: its {} is not known (unresolved|{})",
            if e.agency.is_empty() { "body" } else { "year" },
            e.report_id
        ));
    }
    if role == Role::Alternate && primary == e.report_id {
        return Some("alternate: the same bytes as the panel's document, at another source".into());
    }
    if role == Role::Alternate {
        return Some(format!(
            "alternate: {primary} is the panel's document of this body and year"
        ));
    }
    (e.status == Status::Partial).then(|| format!("partial: {}", r.error))
}

fn outside_the_panel(html: &mut String, input: &QualityInput<'_>) {
    section(html, "outside", "Documents not in the panel, or not ok");
    let rows: Vec<(&Record<'_>, String)> = input
        .records
        .iter()
        .zip(input.roles)
        .filter_map(|(r, role)| reason(r, *role).map(|why| (r, why)))
        .collect();
    let _ = writeln!(
        html,
        "<p>{} documents (report_sources.csv and reports.csv have them all).</p>",
        rows.len()
    );
    if rows.is_empty() {
        html.push_str("</section>\n");
        return;
    }
    html.push_str(
        "<table id=\"outside-table\"><tr><th>report_id</th><th>source</th><th>status</th><th>reason</th></tr>\n",
    );
    for (r, why) in &rows {
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(r.entry.report_id),
            escape(r.entry.source),
            r.entry.status.as_str(),
            escape(why)
        );
    }
    html.push_str("</table>\n</section>\n");
}

fn more(html: &mut String, total: usize, file: &str) {
    if total > TABLE_ROWS {
        let _ = writeln!(
            html,
            "<p class=\"note\">{} more in {file}.</p>",
            total - TABLE_ROWS
        );
    }
}

/// A horizontal bar chart of labelled counts.
fn bars(html: &mut String, rows: &[(String, u64)], color: &str, empty: &str) {
    if rows.is_empty() {
        let _ = writeln!(html, "<p class=\"note\">{}</p>", escape(empty));
        return;
    }
    let (label_w, bar_w, row_h) = (320.0, 600.0, 18);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let height = row_h * rows.len() + 6;
    let _ = writeln!(
        html,
        "<svg class=\"chart\" width=\"{}\" height=\"{height}\" role=\"img\">",
        label_w + bar_w + 80.0
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = i * row_h;
        let w = (*n as f64 / max * bar_w).max(1.0);
        let _ = writeln!(
            html,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{}\" width=\"{w:.1}\" height=\"{}\" fill=\"{color}\"><title>{}: {n}</title></rect>\
             <text x=\"{:.1}\" y=\"{}\">{n}</text>",
            label_w - 6.0,
            y + 13,
            escape(&shortened(label, 44)),
            y + 2,
            row_h - 4,
            escape(label),
            label_w + w + 4.0,
            y + 13
        );
    }
    html.push_str("</svg>\n");
}

/// Opens a chart's SVG, with its largest value written at the top of its scale.
fn open_chart(html: &mut String, id: &str, width: f64, height: f64, max: f64) {
    let _ = writeln!(
        html,
        "<svg class=\"chart\" id=\"{id}\" width=\"{width}\" height=\"{height}\" role=\"img\">\n\
         <text x=\"2\" y=\"12\">{}</text>",
        max as u64
    );
}

/// Vertical bars, one per label, stacked from three counts.
fn stacked_bars(html: &mut String, rows: &[(String, [u64; 3])], colors: [&str; 3], empty: &str) {
    if rows.is_empty() {
        let _ = writeln!(html, "<p class=\"note\">{}</p>", escape(empty));
        return;
    }
    let (height, col_w, left, bottom) = (220.0, 34.0, 40.0, 24.0);
    let max = rows
        .iter()
        .map(|r| r.1.iter().sum::<u64>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let width = left + col_w * rows.len() as f64 + 10.0;
    open_chart(html, "years", width, height + bottom, max);
    for (i, (label, counts)) in rows.iter().enumerate() {
        let x = left + col_w * i as f64;
        let mut y = height;
        for (count, color) in counts.iter().zip(colors) {
            let h = *count as f64 / max * (height - 10.0);
            y -= h;
            if *count > 0 {
                let _ = writeln!(
                    html,
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{color}\"><title>{} {count}</title></rect>",
                    col_w - 6.0,
                    escape(label)
                );
            }
        }
        let _ = writeln!(
            html,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + (col_w - 6.0) / 2.0,
            height + 16.0,
            escape(label)
        );
    }
    html.push_str("</svg>\n");
}

/// Three series over the years, as lines with points.
fn lines(html: &mut String, sums: &BTreeMap<u16, [u64; 3]>, colors: [&str; 3]) {
    if sums.is_empty() {
        html.push_str("<p class=\"note\">no figures</p>\n");
        return;
    }
    let (height, step, left, bottom) = (220.0, 60.0, 60.0, 24.0);
    let max = sums
        .values()
        .flat_map(|s| s.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let width = left + step * sums.len() as f64 + 20.0;
    open_chart(html, "headline-lines", width, height + bottom, max);
    let point = |i: usize, v: u64| {
        (
            left + step * i as f64 + step / 2.0,
            height - v as f64 / max * (height - 10.0),
        )
    };
    for (k, color) in colors.iter().enumerate() {
        let points: Vec<String> = sums
            .values()
            .enumerate()
            .map(|(i, s)| {
                let (x, y) = point(i, s[k]);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = writeln!(
            html,
            "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{}\"/>",
            points.join(" ")
        );
        for (i, (year, s)) in sums.iter().enumerate() {
            let (x, y) = point(i, s[k]);
            let _ = writeln!(
                html,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\" fill=\"{color}\"><title>{year}: {}</title></circle>",
                s[k]
            );
        }
    }
    for (i, year) in sums.keys().enumerate() {
        let (x, _) = point(i, 0);
        let _ = writeln!(
            html,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{year}</text>",
            height + 16.0
        );
    }
    html.push_str("</svg>\n");
}

/// At most `chars` characters, with an ellipsis when cut.
fn shortened(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let mut short: String = text.chars().take(chars - 1).collect();
    short.push('…');
    short
}

/// Text made safe for HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_cut_at_characters() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(shortened("北京市丰台区北宫镇人民政府", 5), "北京市丰…");
        assert_eq!(shortened("短", 5), "短");
    }

    #[test]
    fn percent_change_says_when_there_is_no_base() {
        assert_eq!(percent_change(0, 5), "–");
        assert_eq!(percent_change(200, 150), "-25.0 %");
    }
}
