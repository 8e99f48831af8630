//! The documents of one report grouped together: `report_sources.csv` (each document's
//! role and its report's primary document) and `panel.csv` (one row per body and year).
//!
//! Input: what the ledger kept of every document ([`SourceEntry`], borrowed). Output:
//! the rows of both files, in their sorted order, as positions in the entries: the
//! fields are only written out, never copied, so grouping adds a few bytes a document to
//! the entries it reads.

use std::borrow::Cow;
use std::cmp::Ordering;

use nianbao_model::Status;

use crate::DocInfo;

/// The `panel_key` of a document read whose body or year is not known.
pub const UNRESOLVED: &str = "unresolved";

/// What grouping the sources of one report needs to know of each document, borrowed
/// from the batch's ledger (or a document's info).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SourceEntry<'a> {
    pub report_id: &'a str,
    /// Where the document was read from (a report at several sources has an entry each).
    pub source: &'a str,
    pub division_code: &'a str,
    pub agency: &'a str,
    pub year: Option<u16>,
    pub template: &'a str,
    pub status: Status,
    pub cells: usize,
    pub format: &'a str,
    pub fingerprint: &'a str,
}

impl<'a> SourceEntry<'a> {
    pub fn of(info: &'a DocInfo) -> SourceEntry<'a> {
        SourceEntry {
            report_id: &info.report_id,
            source: &info.source,
            division_code: &info.division_code,
            agency: &info.body_name,
            year: info.year,
            template: &info.template,
            status: info.status(),
            cells: info.cells,
            format: &info.format,
            fingerprint: &info.fingerprint,
        }
    }

    /// The body: `division_code|agency`.
    pub fn body(&self) -> String {
        format!("{}|{}", self.division_code, self.agency)
    }

    /// `panel.csv`'s key: the body ([`SourceEntry::body`]), or for a document whose
    /// body or year is not known, `unresolved|` and its report id.
    pub fn panel_key(&self) -> Cow<'a, str> {
        Cow::Owned(panel_key(
            self.division_code,
            self.agency,
            self.year,
            self.status,
            self.report_id,
        ))
    }

    /// Whether this is a document of `body` ([`SourceEntry::body`]), compared without
    /// making its own.
    pub fn is_of_body(&self, body: &str) -> bool {
        body.len() == self.division_code.len() + 1 + self.agency.len()
            && body.starts_with(self.division_code)
            && body.as_bytes().get(self.division_code.len()) == Some(&b'|')
            && body.ends_with(self.agency)
    }

    /// Documents of one body and year are one report: `division_code|agency|year`.
    fn group(&self) -> Option<String> {
        let year = self.year?;
        self.in_report()
            .then(|| format!("{}|{}|{year}", self.division_code, self.agency))
    }

    /// Whether the document belongs to a report of a body and year at all: it names
    /// both and was read. Only such a document is grouped, or evidence for another.
    pub fn in_report(&self) -> bool {
        in_report(self.agency, self.year, self.status)
    }

    /// [`SourceEntry::group`]'s text compared with another's, byte for byte, without
    /// making either (`None` first).
    fn cmp_group(&self, other: &SourceEntry<'_>) -> Ordering {
        match (self.in_report(), other.in_report()) {
            (false, false) => Ordering::Equal,
            (false, true) => Ordering::Less,
            (true, false) => Ordering::Greater,
            (true, true) => {
                let (mut a, mut b) = ([0; 5], [0; 5]);
                let (ya, yb) = (digits(self.year, &mut a), digits(other.year, &mut b));
                joined(&[self.division_code, "|", self.agency, "|"], ya)
                    .cmp(joined(&[other.division_code, "|", other.agency, "|"], yb))
            }
        }
    }

    /// The `group` column: the group's text, empty for a document of no report.
    fn group_text(&self) -> Cow<'static, str> {
        self.group().map_or(Cow::Borrowed(""), Cow::Owned)
    }
}

/// Whether a document belongs to a report of a body and year at all: it names both and
/// was read.
fn in_report(body_name: &str, year: Option<u16>, status: Status) -> bool {
    year.is_some() && !body_name.is_empty() && status != Status::Failed
}

/// The name that, after its division code, identifies a body: its own name (`agency`,
/// without the places above it) where the code says where it is, so that one body
/// printed with more or fewer of its places is one body; else the name as printed.
pub(crate) fn body_name<'a>(division_code: &str, agency: &'a str, agency_full: &'a str) -> &'a str {
    if division_code.is_empty() || agency.is_empty() {
        agency_full
    } else {
        agency
    }
}

/// `panel.csv`'s key of a document: its body, `division_code|` and its
/// [`body_name`]; for a document read whose body or year is not known, `unresolved|` and
/// its report id; none for a failed document, which is in no panel row.
pub(crate) fn panel_key(
    division_code: &str,
    body_name: &str,
    year: Option<u16>,
    status: Status,
    report_id: &str,
) -> String {
    if status == Status::Failed {
        String::new()
    } else if in_report(body_name, year, status) {
        format!("{division_code}|{body_name}")
    } else {
        format!("{UNRESOLVED}|{report_id}")
    }
}

/// The bytes of `parts` and then `last`, one after another.
fn joined<'s>(parts: &'s [&'s str], last: &'s [u8]) -> impl Iterator<Item = u8> + 's {
    parts
        .iter()
        .flat_map(|p| p.bytes())
        .chain(last.iter().copied())
}

/// A year as its decimal digits (empty for none), written into `buffer`.
fn digits(year: Option<u16>, buffer: &mut [u8; 5]) -> &[u8] {
    let Some(mut y) = year else {
        return &[];
    };
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (y % 10) as u8;
        y /= 10;
        if y == 0 {
            return &buffer[at..];
        }
    }
}

/// A number's decimal text compared with another's as text.
fn cmp_as_text(a: usize, b: usize) -> Ordering {
    a.to_string().cmp(&b.to_string())
}

/// The grouped documents: rows of both files, sorted as the files are.
pub(crate) struct Grouped<'e> {
    entries: &'e [SourceEntry<'e>],
    /// `report_sources.csv`: a document and its report's primary document.
    sources: Vec<(u32, u32)>,
    /// `panel.csv`: a report's primary document, its number of documents, and whether
    /// its complete sources disagree (with their ids).
    panel: Vec<(u32, u32, Option<Box<str>>)>,
}

/// A document's part in its report: the one the panel uses, or another copy of it.
/// Ordered as their names sort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    Alternate,
    Primary,
}

impl Role {
    /// The role of entry `e`, whose primary is entry `p`.
    fn of(e: u32, p: u32) -> Role {
        if e == p {
            Role::Primary
        } else {
            Role::Alternate
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Alternate => "alternate",
        }
    }
}

impl<'e> Grouped<'e> {
    /// `report_sources.csv`'s rows: `report_id, source, role, primary_report_id, group`.
    pub fn source_rows(&self) -> impl Iterator<Item = [Cow<'e, str>; 5]> + '_ {
        self.sources.iter().map(|&(e, p)| {
            let role = Role::of(e, p);
            let (e, p) = (&self.entries[e as usize], &self.entries[p as usize]);
            [
                e.report_id.into(),
                e.source.into(),
                role.as_str().into(),
                p.report_id.into(),
                e.group_text(),
            ]
        })
    }

    /// The entry of each panel row whose body and year are known.
    pub fn primaries(&self) -> Vec<usize> {
        self.panel
            .iter()
            .map(|&(p, _, _)| p as usize)
            .filter(|&p| self.entries[p].in_report())
            .collect()
    }

    /// The panel rows whose complete sources disagree: the primary's entry and the detail.
    pub fn conflicts(&self) -> Vec<(usize, &str)> {
        self.panel
            .iter()
            .filter_map(|(p, _, c)| Some((*p as usize, c.as_deref()?)))
            .collect()
    }

    /// Per entry, in the entries' order: its role and the report id of its primary.
    pub fn roles(&self) -> Vec<(Role, &'e str)> {
        let mut roles = vec![(Role::Primary, ""); self.entries.len()];
        for &(e, p) in &self.sources {
            roles[e as usize] = (Role::of(e, p), self.entries[p as usize].report_id);
        }
        roles
    }

    /// `panel.csv`'s rows: `panel_key, division_code, agency, year, template,
    /// primary_report_id, documents, conflict, conflict_detail`.
    pub fn panel_rows(&self) -> impl Iterator<Item = [Cow<'_, str>; 9]> + '_ {
        self.panel.iter().map(|(p, members, conflict)| {
            let p = &self.entries[*p as usize];
            [
                p.panel_key(),
                p.division_code.into(),
                p.agency.into(),
                p.year.map(|y| y.to_string()).unwrap_or_default().into(),
                p.template.into(),
                p.report_id.into(),
                members.to_string().into(),
                if conflict.is_some() { "true" } else { "false" }.into(),
                conflict.as_deref().unwrap_or("").into(),
            ]
        })
    }
}

/// Which source of a report is its primary: the web page over the attachment.
fn format_rank(format: &str) -> usize {
    ["html", "docx", "pdf", "text"]
        .iter()
        .position(|x| *x == format)
        .unwrap_or(9)
}

/// Which source of a report is its primary: the more complete.
fn status_rank(status: Status) -> u8 {
    match status {
        Status::Ok => 0,
        Status::Partial => 1,
        Status::Failed => 2,
    }
}

/// Groups the documents of each report (same body and year, e.g. a page and its DOCX
/// attachment). The primary source is the one with the better status, then more table
/// cells extracted, then the web page over the attachment (HTML, DOCX, PDF, text), then
/// the smaller id. A report is one panel row; two complete (`ok`) sources whose figures
/// differ are a conflict, flagged with their ids.
pub(crate) fn group_sources<'e>(entries: &'e [SourceEntry<'e>]) -> Grouped<'e> {
    let position = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    // The entries' positions sorted, not the entries: a stable sort's buffer is then a
    // few bytes a document. Stable: of two documents equal here (the same id), the
    // earlier stays primary.
    let mut order: Vec<u32> = (0..entries.len()).map(position).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&entries[a as usize], &entries[b as usize]);
        a.cmp_group(b)
            .then(status_rank(a.status).cmp(&status_rank(b.status)))
            .then(b.cells.cmp(&a.cells))
            .then(format_rank(a.format).cmp(&format_rank(b.format)))
            .then(a.report_id.cmp(b.report_id))
    });
    let entry = |k: u32| &entries[k as usize];
    let mut sources = Vec::with_capacity(entries.len());
    let mut panel = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let first = entry(order[i]);
        if !first.in_report() {
            sources.push((order[i], order[i]));
            if first.status != Status::Failed {
                // Read, but of no known body or year: a panel row of its own.
                panel.push((order[i], 1, None));
            }
            i += 1;
            continue;
        }
        let end = i + order[i..]
            .iter()
            .take_while(|&&k| entry(k).cmp_group(first) == Ordering::Equal)
            .count();
        let members = &order[i..end];
        let primary = members[0];
        sources.extend(members.iter().map(|&k| (k, primary)));
        let complete: Vec<&SourceEntry> = members
            .iter()
            .map(|&k| entry(k))
            .filter(|e| e.status == Status::Ok)
            .collect();
        let conflict = complete
            .iter()
            .any(|e| e.fingerprint != complete[0].fingerprint)
            .then(|| {
                let ids: Vec<&str> = complete.iter().map(|e| e.report_id).collect();
                format!(
                    "complete sources with different figures: {}",
                    ids.join(", ")
                )
                .into_boxed_str()
            });
        panel.push((primary, position(members.len()), conflict));
        i = end;
    }
    drop(order);
    // The files' rows in the order their text sorts, field by field.
    sources.sort_unstable_by(|&(e1, p1), &(e2, p2)| {
        let (a, b) = (&entries[e1 as usize], &entries[e2 as usize]);
        a.report_id
            .cmp(b.report_id)
            .then(a.source.cmp(b.source))
            .then(Role::of(e1, p1).cmp(&Role::of(e2, p2)))
            .then(
                entries[p1 as usize]
                    .report_id
                    .cmp(entries[p2 as usize].report_id),
            )
            .then_with(|| a.group_text().cmp(&b.group_text()))
    });
    panel.sort_unstable_by(|(p1, n1, c1), (p2, n2, c2)| {
        let (a, b) = (&entries[*p1 as usize], &entries[*p2 as usize]);
        // The unresolved rows last, by report id.
        b.in_report()
            .cmp(&a.in_report())
            .then_with(|| {
                if a.in_report() {
                    joined(&[a.division_code, "|", a.agency], &[])
                        .cmp(joined(&[b.division_code, "|", b.agency], &[]))
                } else {
                    a.report_id.cmp(b.report_id)
                }
            })
            .then(a.division_code.cmp(b.division_code))
            .then(a.agency.cmp(b.agency))
            .then_with(|| {
                let (mut x, mut y) = ([0; 5], [0; 5]);
                digits(a.year, &mut x).cmp(digits(b.year, &mut y))
            })
            .then(a.template.cmp(b.template))
            .then(a.report_id.cmp(b.report_id))
            .then_with(|| cmp_as_text(*n1 as usize, *n2 as usize))
            // `false` before `true`, as their text sorts.
            .then(c1.is_some().cmp(&c2.is_some()))
            .then_with(|| c1.as_deref().unwrap_or("").cmp(c2.as_deref().unwrap_or("")))
    });
    Grouped {
        entries,
        sources,
        panel,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Rows = (Vec<Vec<String>>, Vec<Vec<String>>);

    fn rows(grouped: &Grouped<'_>) -> Rows {
        let text = |row: &[Cow<'_, str>]| row.iter().map(|f| f.to_string()).collect();
        (
            grouped.source_rows().map(|r| text(&r)).collect(),
            grouped.panel_rows().map(|r| text(&r)).collect(),
        )
    }

    fn entry(
        id: &'static str,
        agency: &'static str,
        status: Status,
        cells: usize,
        format: &'static str,
        figures: &'static str,
    ) -> SourceEntry<'static> {
        SourceEntry {
            report_id: id,
            source: id,
            division_code: "110106100",
            agency,
            year: Some(2024),
            template: "2021",
            status,
            cells,
            format,
            fingerprint: figures,
        }
    }

    #[test]
    fn the_page_is_primary_unless_its_attachment_reads_better() {
        let entries = vec![
            entry("r2", "北宫镇人民政府", Status::Ok, 210, "docx", "f1"),
            entry("r1", "北宫镇人民政府", Status::Ok, 210, "html", "f1"),
            entry("r3", "王佐镇人民政府", Status::Partial, 100, "html", "f2"),
            entry("r4", "王佐镇人民政府", Status::Ok, 210, "docx", "f3"),
            entry("r5", "", Status::Failed, 0, "unknown", ""),
        ];
        let grouped = group_sources(&entries);
        let (sources, panel) = rows(&grouped);
        let role = |id: &str| {
            sources
                .iter()
                .find(|r| r[0] == id)
                .map(|r| (r[2].clone(), r[3].clone()))
                .unwrap()
        };
        assert_eq!(role("r1"), ("primary".into(), "r1".into()));
        assert_eq!(role("r2"), ("alternate".into(), "r1".into()));
        assert_eq!(role("r4"), ("primary".into(), "r4".into()));
        assert_eq!(role("r3"), ("alternate".into(), "r4".into()));
        assert_eq!(role("r5"), ("primary".into(), "r5".into()));
        // One panel row per body and year; a partial source is no conflict.
        assert_eq!(panel.len(), 2);
        assert!(panel.iter().all(|row| row[7] == "false"));
        assert_eq!(panel[0][6], "2");
    }

    #[test]
    fn complete_sources_that_disagree_are_a_conflict() {
        let entries = vec![
            entry("r1", "北宫镇人民政府", Status::Ok, 210, "html", "f1"),
            entry("r2", "北宫镇人民政府", Status::Ok, 210, "docx", "f2"),
        ];
        let grouped = group_sources(&entries);
        let (_, panel) = rows(&grouped);
        assert_eq!(panel.len(), 1);
        assert_eq!(panel[0][7], "true");
        assert!(panel[0][8].contains("r1, r2"));
    }

    /// The grouping as first written, on owned rows: what `group_sources` must print.
    fn reference(entries: &mut [SourceEntry<'_>]) -> Rows {
        entries.sort_by_cached_key(|e| {
            (
                e.group(),
                status_rank(e.status),
                std::cmp::Reverse(e.cells),
                format_rank(e.format),
                e.report_id.to_string(),
            )
        });
        let (mut sources, mut panel, mut unresolved) = (Vec::new(), Vec::new(), Vec::new());
        let mut i = 0;
        while i < entries.len() {
            let Some(group) = entries[i].group() else {
                let e = &entries[i];
                let id = e.report_id.to_string();
                sources.push(vec![
                    id.clone(),
                    e.source.into(),
                    "primary".into(),
                    id.clone(),
                    String::new(),
                ]);
                if e.status != Status::Failed {
                    unresolved.push(vec![
                        format!("unresolved|{id}"),
                        e.division_code.into(),
                        e.agency.into(),
                        e.year.map(|y| y.to_string()).unwrap_or_default(),
                        e.template.into(),
                        id,
                        "1".into(),
                        "false".into(),
                        String::new(),
                    ]);
                }
                i += 1;
                continue;
            };
            let end = i + entries[i..]
                .iter()
                .take_while(|e| e.group().as_ref() == Some(&group))
                .count();
            let members = &entries[i..end];
            let primary = &members[0];
            for (n, e) in members.iter().enumerate() {
                let role = if n == 0 { "primary" } else { "alternate" };
                sources.push(vec![
                    e.report_id.into(),
                    e.source.into(),
                    role.into(),
                    primary.report_id.into(),
                    group.clone(),
                ]);
            }
            let complete: Vec<&SourceEntry> =
                members.iter().filter(|e| e.status == Status::Ok).collect();
            let conflict = complete
                .iter()
                .any(|e| e.fingerprint != complete[0].fingerprint);
            let detail = if conflict {
                let ids: Vec<&str> = complete.iter().map(|e| e.report_id).collect();
                format!(
                    "complete sources with different figures: {}",
                    ids.join(", ")
                )
            } else {
                String::new()
            };
            panel.push(vec![
                format!("{}|{}", primary.division_code, primary.agency),
                primary.division_code.into(),
                primary.agency.into(),
                primary.year.map(|y| y.to_string()).unwrap_or_default(),
                primary.template.into(),
                primary.report_id.into(),
                members.len().to_string(),
                conflict.to_string(),
                detail,
            ]);
            i = end;
        }
        sources.sort();
        panel.sort();
        unresolved.sort();
        panel.extend(unresolved);
        (sources, panel)
    }

    /// Entries drawn from small pools, so that bodies, years, ids and figures repeat,
    /// division codes are prefixes of one another and agencies hold the separator.
    fn entries() -> impl Strategy<Value = Vec<SourceEntry<'static>>> {
        const IDS: &[&str] = &["r1", "r2", "r10", "r3", "ra", ""];
        const DIVISIONS: &[&str] = &["1101", "110105", "11010", "", "1101|x"];
        const AGENCIES: &[&str] = &["某局", "某局|x", "x", "", "某"];
        const FORMATS: &[&str] = &["html", "docx", "pdf", "text", "unknown"];
        const FIGURES: &[&str] = &["f1", "f2", ""];
        let status = prop_oneof![
            Just(Status::Ok),
            Just(Status::Partial),
            Just(Status::Failed)
        ];
        let year = prop_oneof![Just(None), Just(Some(9)), Just(Some(10)), Just(Some(2024))];
        let one = (
            0..IDS.len(),
            0..DIVISIONS.len(),
            0..AGENCIES.len(),
            year,
            status,
            0usize..3,
            0..FORMATS.len(),
            0..FIGURES.len(),
            prop_oneof![Just("2019"), Just("2021")],
        )
            .prop_map(
                |(id, d, a, year, status, cells, f, fig, template)| SourceEntry {
                    report_id: IDS[id],
                    source: FORMATS[f],
                    division_code: DIVISIONS[d],
                    agency: AGENCIES[a],
                    year,
                    template,
                    status,
                    cells: cells * 100,
                    format: FORMATS[f],
                    fingerprint: FIGURES[fig],
                },
            );
        proptest::collection::vec(one, 0..40)
    }

    proptest! {
        #[test]
        fn rows_are_those_of_the_reference(entries in entries()) {
            let mut copy = entries.clone();
            let expected = reference(&mut copy);
            let grouped = group_sources(&entries);
            prop_assert_eq!(rows(&grouped), expected);
        }
    }

    #[test]
    fn years_print_as_their_digits() {
        for year in [0, 7, 10, 999, 2024, u16::MAX] {
            let mut buffer = [0; 5];
            assert_eq!(digits(Some(year), &mut buffer), year.to_string().as_bytes());
        }
        assert_eq!(digits(None, &mut [0; 5]), b"");
    }
}
