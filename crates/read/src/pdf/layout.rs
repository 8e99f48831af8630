//! Glyphs and ruling lines → lines of text and ruled tables, in reading order.
//!
//! A table is a connected set of horizontal and vertical rules. Its grid comes from the
//! rules' positions; two neighbouring grid cells are one merged cell where the rule
//! between them is missing, so merges come out as spans as they do from HTML and DOCX.
//! Glyphs are placed in cells by their centre. Everything else becomes lines, grouped by
//! baseline and ordered by x.

use crate::document::{Table, TableBuilder, MAX_TABLE_CELLS};

use super::content::{Glyph, PageContent, Rule};

/// Positions closer than this (points) are the same line of the grid.
const SNAP: f64 = 2.0;
/// Most ruling lines considered on one page (a real page has a few hundred).
const MAX_RULES: usize = 5_000;

/// A line of text outside tables.
#[derive(Clone, Debug)]
pub(super) struct Line {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    pub top: f64,
    pub base: f64,
    pub size: f64,
}

#[derive(Debug)]
pub(super) struct PageTable {
    pub table: Table,
    pub top: f64,
    pub columns: Vec<f64>,
}

#[derive(Debug)]
pub(super) enum Item {
    Line(Line),
    Table(PageTable),
}

impl Item {
    fn top(&self) -> f64 {
        match self {
            Item::Line(l) => l.top,
            Item::Table(t) => t.top,
        }
    }
}

/// The page's lines and tables, top to bottom.
pub(super) fn page_items(page: PageContent, diagnostics: &mut Vec<String>) -> Vec<Item> {
    let mut rules = page.rules;
    if rules.len() > MAX_RULES {
        diagnostics.push(format!(
            "limit: a page with {} ruling lines: only the first {MAX_RULES} read for tables",
            rules.len()
        ));
        rules.truncate(MAX_RULES);
    }
    let mut free: Vec<Option<Glyph>> = page.glyphs.into_iter().map(Some).collect();
    let mut items = Vec::new();
    for grid in grids(&rules) {
        if let Some(table) = grid.fill(&mut free, diagnostics) {
            items.push(Item::Table(table));
        }
    }
    let glyphs: Vec<Glyph> = free.into_iter().flatten().collect();
    items.extend(lines(glyphs).into_iter().map(Item::Line));
    items.sort_by(|a, b| a.top().total_cmp(&b.top()));
    items
}

/// Groups glyphs into lines by baseline and orders each line by x.
fn lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.sort_by(|a, b| a.base.total_cmp(&b.base));
    let mut groups: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match groups.last_mut() {
            Some(group) if (g.base - group[0].base).abs() <= 0.4 * group[0].size.max(g.size) => {
                group.push(g)
            }
            _ => groups.push(vec![g]),
        }
    }
    groups
        .into_iter()
        .map(|mut group| {
            group.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            let size = group.iter().map(|g| g.size).fold(0.0, f64::max);
            let base = group[0].base;
            Line {
                text: join_line(&group, true),
                x0: group[0].x0,
                x1: group.iter().map(|g| g.x1).fold(f64::MIN, f64::max),
                top: base - size,
                base,
                size,
            }
        })
        .collect()
}

/// The text of glyphs on one line, in x order: a space where a gap separates words, a
/// tab (outside tables) where a gap separates columns.
fn join_line(glyphs: &[Glyph], tabs: bool) -> String {
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    for g in glyphs {
        if let Some(p) = prev {
            let gap = g.x0 - p.x1;
            let size = p.size.max(g.size).max(1.0);
            let ascii = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric());
            if tabs && gap > 2.5 * size {
                text.push('\t');
            } else if gap > 1.0 * size || (gap > 0.25 * size && (ascii(&p.text) || ascii(&g.text)))
            {
                text.push(' ');
            }
        }
        text.push_str(&g.text);
        prev = Some(g);
    }
    text
}

/// The text of one table cell: its lines top to bottom; vertical writing read downwards.
fn cell_text(mut glyphs: Vec<Glyph>) -> String {
    if !glyphs.is_empty() && glyphs.iter().all(|g| g.vertical) {
        glyphs.sort_by(|a, b| {
            (a.x0 / a.size)
                .round()
                .total_cmp(&(b.x0 / b.size).round())
                .then(a.base.total_cmp(&b.base))
        });
        return glyphs.into_iter().map(|g| g.text).collect();
    }
    let lines: Vec<String> = lines(glyphs).into_iter().map(|l| l.text).collect();
    // A number wrapped in a narrow cell (`1` over `0`) is one number.
    let numeric = |l: &String| {
        l.chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || matches!(c, '.' | ','))
    };
    if lines.len() > 1 && lines.iter().all(numeric) {
        return lines.concat();
    }
    lines.join("\n")
}

/// One ruled table's grid.
struct Grid {
    rows: Vec<f64>,
    cols: Vec<f64>,
    rules: Vec<Rule>,
}

/// Connected sets of rules with at least two lines each way.
fn grids(rules: &[Rule]) -> Vec<Grid> {
    let n = rules.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for i in 0..n {
        for j in i + 1..n {
            if touches(&rules[i], &rules[j]) {
                union(&mut parent, i, j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<Rule>> = Default::default();
    for (i, rule) in rules.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(*rule);
    }
    groups
        .into_values()
        .filter_map(|rules| {
            // A table cut by a page break has no rule along the cut: the ends of the
            // rules the other way close it.
            let (h, v): (Vec<&Rule>, Vec<&Rule>) = rules.iter().partition(|r| r.horizontal);
            let ends = |rules: &[&Rule]| {
                let from = rules.iter().map(|r| r.from).fold(f64::MAX, f64::min);
                let to = rules.iter().map(|r| r.to).fold(f64::MIN, f64::max);
                [from, to].into_iter().filter(|v| v.is_finite())
            };
            let rows = snap(h.iter().map(|r| r.at).chain(ends(&v)));
            let cols = snap(v.iter().map(|r| r.at).chain(ends(&h)));
            (rows.len() >= 2 && cols.len() >= 2).then_some(Grid { rows, cols, rules })
        })
        .collect()
}

fn touches(a: &Rule, b: &Rule) -> bool {
    let within = |v: f64, from: f64, to: f64| v >= from - SNAP && v <= to + SNAP;
    if a.horizontal == b.horizontal {
        // Collinear pieces of one line (a border drawn cell by cell).
        (a.at - b.at).abs() <= SNAP && a.from <= b.to + SNAP && b.from <= a.to + SNAP
    } else {
        within(a.at, b.from, b.to) && within(b.at, a.from, a.to)
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

/// Sorted distinct positions, those within [`SNAP`] of each other taken as one.
fn snap(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    let mut out: Vec<(f64, usize)> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some((sum, count)) if x - *sum / *count as f64 <= SNAP => {
                *sum += x;
                *count += 1;
            }
            _ => out.push((x, 1)),
        }
    }
    out.into_iter().map(|(s, c)| s / c as f64).collect()
}

impl Grid {
    /// Whether a rule at grid position `at` runs across `mid` on the other axis.
    fn ruled(&self, horizontal: bool, at: f64, mid: f64) -> bool {
        self.rules.iter().any(|r| {
            r.horizontal == horizontal && (r.at - at).abs() <= SNAP && r.from <= mid && r.to >= mid
        })
    }

    /// Takes the glyphs inside the grid and builds the table.
    fn fill(&self, free: &mut [Option<Glyph>], diagnostics: &mut Vec<String>) -> Option<PageTable> {
        let (n_rows, n_cols) = (self.rows.len() - 1, self.cols.len() - 1);
        if n_rows.saturating_mul(n_cols) > MAX_TABLE_CELLS {
            diagnostics.push(format!(
                "limit: a ruled grid of {n_rows}×{n_cols} cells is past the {MAX_TABLE_CELLS}-cell limit: read as text"
            ));
            return None;
        }
        // Grid cells joined where no rule separates them.
        let index = |r: usize, c: usize| r * n_cols + c;
        let mut parent: Vec<usize> = (0..n_rows * n_cols).collect();
        for r in 0..n_rows {
            let mid_y = (self.rows[r] + self.rows[r + 1]) / 2.0;
            for c in 0..n_cols {
                let mid_x = (self.cols[c] + self.cols[c + 1]) / 2.0;
                if c + 1 < n_cols && !self.ruled(false, self.cols[c + 1], mid_y) {
                    union(&mut parent, index(r, c), index(r, c + 1));
                }
                if r + 1 < n_rows && !self.ruled(true, self.rows[r + 1], mid_x) {
                    union(&mut parent, index(r, c), index(r + 1, c));
                }
            }
        }
        // Each merged cell: its top-left grid cell and its extent.
        let mut extent: std::collections::HashMap<usize, (usize, usize, usize, usize)> =
            Default::default();
        for r in 0..n_rows {
            for c in 0..n_cols {
                let root = find(&mut parent, index(r, c));
                let e = extent.entry(root).or_insert((r, c, r, c));
                e.0 = e.0.min(r);
                e.1 = e.1.min(c);
                e.2 = e.2.max(r);
                e.3 = e.3.max(c);
            }
        }
        let mut texts: std::collections::HashMap<usize, Vec<Glyph>> = Default::default();
        let (top, bottom) = (self.rows[0], self.rows[n_rows]);
        let (left, right) = (self.cols[0], self.cols[n_cols]);
        for slot in free.iter_mut() {
            let Some(g) = slot else { continue };
            let (x, y) = (g.center_x(), g.center_y());
            if x < left || x > right || y < top || y > bottom {
                continue;
            }
            let r = self.rows.partition_point(|&v| v <= y).clamp(1, n_rows) - 1;
            let c = self.cols.partition_point(|&v| v <= x).clamp(1, n_cols) - 1;
            let root = find(&mut parent, index(r, c));
            if let Some(g) = slot.take() {
                texts.entry(root).or_default().push(g);
            }
        }
        if texts.is_empty() {
            return None; // a frame or a drawing, not a table
        }
        let mut cells: Vec<(usize, usize, usize, usize, usize)> = extent
            .iter()
            .map(|(&root, &(r0, c0, r1, c1))| (r0, c0, r1, c1, root))
            .collect();
        cells.sort_unstable();
        // Rows with no text in any cell that starts there (the open strip a page break
        // leaves) are not rows of the table.
        let mut has_text = vec![false; n_rows];
        for &(r0, _, _, _, root) in &cells {
            has_text[r0] |= texts.contains_key(&root);
        }
        let mut builder = TableBuilder::new();
        let mut current_row = usize::MAX;
        for (r0, c0, r1, c1, root) in cells {
            if !has_text[r0] {
                continue;
            }
            if r0 != current_row {
                builder.start_row();
                current_row = r0;
            }
            builder.skip_to_column(c0);
            let text = texts.remove(&root).map(cell_text).unwrap_or_default();
            builder.push_cell(&text, r1 - r0 + 1, c1 - c0 + 1);
        }
        let (table, cut) = builder.finish();
        if cut {
            diagnostics.push(crate::document::TABLE_CUT.into());
        }
        Some(PageTable {
            table,
            top,
            columns: self.cols.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x: f64, base: f64) -> Glyph {
        Glyph {
            text: text.into(),
            x0: x,
            x1: x + 10.0,
            base,
            size: 10.0,
            vertical: false,
        }
    }

    fn rule(horizontal: bool, at: f64, from: f64, to: f64) -> Rule {
        Rule {
            horizontal,
            at,
            from,
            to,
        }
    }

    #[test]
    fn a_missing_rule_makes_a_merged_cell() {
        // Two rows, two columns; the left column's middle rule is missing.
        let mut rules = vec![
            rule(true, 0.0, 0.0, 100.0),
            rule(true, 20.0, 50.0, 100.0),
            rule(true, 40.0, 0.0, 100.0),
        ];
        for x in [0.0, 50.0, 100.0] {
            rules.push(rule(false, x, 0.0, 40.0));
        }
        let page = PageContent {
            glyphs: vec![
                glyph("甲", 10.0, 25.0),
                glyph("乙", 60.0, 14.0),
                glyph("丙", 60.0, 34.0),
                glyph("正", 10.0, 80.0),
            ],
            rules,
            height: 100.0,
            ..PageContent::default()
        };
        let items = page_items(page, &mut Vec::new());
        let Item::Table(t) = &items[0] else {
            panic!("no table: {items:?}")
        };
        let rows: Vec<Vec<(&str, usize, usize)>> = t
            .table
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| (c.text.as_str(), c.col, c.row_span))
                    .collect()
            })
            .collect();
        assert_eq!(
            rows,
            vec![vec![("甲", 0, 2), ("乙", 1, 1)], vec![("丙", 1, 1)]]
        );
        let Item::Line(line) = &items[1] else {
            panic!("no line after the table")
        };
        assert_eq!(line.text, "正");
    }

    #[test]
    fn gaps_become_spaces_between_words_and_tabs_between_columns() {
        let glyphs = vec![
            glyph("A", 0.0, 10.0),
            glyph("B", 14.0, 10.0),
            glyph("中", 24.0, 10.0),
            glyph("文", 60.0, 10.0),
        ];
        assert_eq!(lines(glyphs)[0].text, "A B中\t文");
    }
}
