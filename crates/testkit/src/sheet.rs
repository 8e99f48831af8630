//! A table as a dense grid, for editing: every grid position holds either the start of a
//! cell (its text, spans and role in the form) or the mark of a cell that covers it from
//! above or from the left.
//!
//! Input: a [`Grid`] (cells listed in the row where they start). Output: a [`Grid`] again
//! after edits that keep every position covered by exactly one cell (widening a column,
//! breaking merges, cutting spans at a row, inserting rows, splitting the table), or each
//! row's texts one per grid column (what a markdown table prints).

use nianbao_model::{ActiveCategory, ActiveItem, ApplicationRow};

use crate::layout::{Grid, GridCell};

/// What a cell is in the form, so that a variation knows which cells it may change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Header,
    /// A sub-table title row of table 二 (第二十条第（一）项).
    Title,
    /// A label of the rows below or beside it: 三、本年度办理结果, （三）不予公开.
    Context,
    /// The row's own label.
    Label,
    Figure,
    /// An empty cell the variation made (a merge broken, a span cut).
    Filler,
}

/// Which row of the form a sheet row is, so variations can name rows across edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowTag {
    Header,
    Title(ActiveItem),
    Active(ActiveItem, ActiveCategory),
    Application(ApplicationRow),
    ReviewFigures,
    /// A row a page break made: the rest of a label cut in two.
    Continuation,
    Untagged,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Cell {
    pub text: String,
    pub rows: usize,
    pub cols: usize,
    pub role: Role,
}

impl Cell {
    pub fn new(text: impl Into<String>, role: Role) -> Cell {
        Cell {
            text: text.into(),
            rows: 1,
            cols: 1,
            role,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Pos {
    Start(Cell),
    Covered,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SheetRow {
    pub tag: RowTag,
    pub pos: Vec<Pos>,
}

/// Where the text of a broken merge goes within the merge's first row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelSlot {
    First,
    Last,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Sheet {
    pub rows: Vec<SheetRow>,
}

impl Sheet {
    /// The grid placed on dense rows, as a browser lays out `rowspan`/`colspan`.
    pub fn from_grid(grid: &Grid) -> Sheet {
        let mut dense: Vec<Vec<Option<Pos>>> = Vec::new();
        for (r, row) in grid.iter().enumerate() {
            grow(&mut dense, r + 1, 0);
            let mut col = 0;
            for cell in row {
                while dense[r].get(col).is_some_and(Option::is_some) {
                    col += 1;
                }
                place(&mut dense, r, col, cell);
                col += cell.cols;
            }
        }
        let width = dense.iter().map(Vec::len).max().unwrap_or(0);
        let rows = dense
            .into_iter()
            .map(|mut row| {
                // A ragged row is padded with empty cells: every row is `width` wide.
                row.resize(width, None);
                let pos = row
                    .into_iter()
                    .map(|p| p.unwrap_or_else(|| Pos::Start(Cell::new("", Role::Filler))))
                    .collect();
                SheetRow {
                    tag: RowTag::Untagged,
                    pos,
                }
            })
            .collect();
        Sheet { rows }
    }

    pub fn to_grid(&self) -> Grid {
        self.rows
            .iter()
            .map(|row| {
                row.pos
                    .iter()
                    .filter_map(|p| match p {
                        Pos::Start(c) => Some(GridCell {
                            text: c.text.clone(),
                            rows: c.rows,
                            cols: c.cols,
                        }),
                        Pos::Covered => None,
                    })
                    .collect()
            })
            .collect()
    }

    /// Each row's text per grid column: a merged cell's text at its top-left position.
    pub fn dense_texts(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|row| {
                row.pos
                    .iter()
                    .map(|p| match p {
                        Pos::Start(c) => c.text.clone(),
                        Pos::Covered => String::new(),
                    })
                    .collect()
            })
            .collect()
    }

    pub fn width(&self) -> usize {
        self.rows.first().map_or(0, |r| r.pos.len())
    }

    /// The cells that start in row `r`, with their columns.
    pub fn starts(&self, r: usize) -> impl Iterator<Item = (usize, &Cell)> {
        self.rows[r]
            .pos
            .iter()
            .enumerate()
            .filter_map(|(c, p)| match p {
                Pos::Start(cell) => Some((c, cell)),
                Pos::Covered => None,
            })
    }

    pub fn cell_mut(&mut self, r: usize, c: usize) -> Option<&mut Cell> {
        match self.rows.get_mut(r)?.pos.get_mut(c)? {
            Pos::Start(cell) => Some(cell),
            Pos::Covered => None,
        }
    }

    /// Every cell that starts in the sheet, mutably.
    pub fn cells_mut(&mut self) -> impl Iterator<Item = &mut Cell> {
        self.rows
            .iter_mut()
            .flat_map(|row| row.pos.iter_mut())
            .filter_map(|p| match p {
                Pos::Start(cell) => Some(cell),
                Pos::Covered => None,
            })
    }

    /// The first row with this tag.
    pub fn find(&self, tag: RowTag) -> Option<usize> {
        self.rows.iter().position(|r| r.tag == tag)
    }

    /// The position where the cell covering `(r, c)` starts.
    fn owner(&self, r: usize, c: usize) -> (usize, usize) {
        for r0 in (0..=r).rev() {
            for c0 in (0..=c).rev() {
                if let Pos::Start(cell) = &self.rows[r0].pos[c0] {
                    if r0 + cell.rows > r && c0 + cell.cols > c {
                        return (r0, c0);
                    }
                }
            }
        }
        (r, c) // unreachable on a consistent sheet; keeps the edit local if not
    }

    /// The label area widened: `extra` more grid columns after column `col`, covered by
    /// whichever cell covers `col` in each row (its colspan grows).
    pub fn widen(&mut self, col: usize, extra: usize) {
        if extra == 0 {
            return;
        }
        for cell in self.spanning_column(col) {
            if let Some(c) = self.cell_mut(cell.0, cell.1) {
                c.cols += extra;
            }
        }
        for row in &mut self.rows {
            for _ in 0..extra {
                row.pos.insert(col + 1, Pos::Covered);
            }
        }
    }

    /// The starts of the cells covering some position of column `col`.
    fn spanning_column(&self, col: usize) -> Vec<(usize, usize)> {
        let mut owners: Vec<(usize, usize)> =
            (0..self.rows.len()).map(|r| self.owner(r, col)).collect();
        owners.dedup();
        owners
    }

    /// Every merge lying within the first `area` columns broken into single cells: the
    /// text in the merge's first row, at `slot(r)`'s end of it, the other cells empty.
    pub fn unmerge(&mut self, area: usize, slot: impl Fn(usize) -> LabelSlot) {
        for r in 0..self.rows.len() {
            for c in 0..area.min(self.width()) {
                let Some(cell) = self.cell_mut(r, c) else {
                    continue;
                };
                if c + cell.cols > area || (cell.rows == 1 && cell.cols == 1) {
                    continue;
                }
                let merged = cell.clone();
                let text_col = match slot(r) {
                    LabelSlot::First => c,
                    LabelSlot::Last => c + merged.cols - 1,
                };
                for rr in r..r + merged.rows {
                    for cc in c..c + merged.cols {
                        let piece = if rr == r && cc == text_col {
                            Cell::new(merged.text.clone(), merged.role)
                        } else {
                            Cell::new("", Role::Filler)
                        };
                        self.rows[rr].pos[cc] = Pos::Start(piece);
                    }
                }
            }
        }
    }

    /// Every cell spanning from above row `r` into it cut there: the part from `r` on
    /// becomes an empty cell of its own, as a page break leaves a merged cell.
    pub fn cut(&mut self, r: usize) {
        if r == 0 || r >= self.rows.len() {
            return;
        }
        for c in 0..self.width() {
            let (r0, c0) = self.owner(r, c);
            if r0 == r || c0 != c {
                continue;
            }
            let Some(cell) = self.cell_mut(r0, c0) else {
                continue;
            };
            let below = r0 + cell.rows - r;
            cell.rows = r - r0;
            let piece = Cell {
                text: String::new(),
                rows: below,
                cols: cell.cols,
                role: cell.role,
            };
            self.rows[r].pos[c] = Pos::Start(piece);
        }
    }

    /// `rows` (whole rows of this sheet's width) inserted before row `r`.
    pub fn insert_rows(&mut self, r: usize, rows: Vec<SheetRow>) {
        self.cut(r);
        self.rows.splice(r..r, rows);
    }

    /// The rows from `r` on, as a table of their own.
    pub fn split_off(&mut self, r: usize) -> Sheet {
        self.cut(r);
        Sheet {
            rows: self.rows.split_off(r.min(self.rows.len())),
        }
    }

    /// A row inserted after `r`, as a PDF-to-text tool prints the second line of a label
    /// cut by the page: `rest` under the label, the other cells empty, the cells spanning
    /// several rows grown over it.
    pub fn insert_continuation(&mut self, r: usize, label_col: usize, rest: String) {
        let new = (0..self.width())
            .map(|c| self.continue_column(r, c, label_col, &rest))
            .collect();
        let row = SheetRow {
            tag: RowTag::Continuation,
            pos: new,
        };
        self.rows.insert(r + 1, row);
    }

    /// What the continuation row below `r` holds at column `c`; a cell spanning rows
    /// grows over it instead.
    fn continue_column(&mut self, r: usize, c: usize, label_col: usize, rest: &str) -> Pos {
        let (r0, c0) = self.owner(r, c);
        let Some(cell) = self.cell_mut(r0, c0).filter(|_| c0 == c) else {
            return Pos::Covered; // a column a cell from the left covers
        };
        let text = if r0 == r && c == label_col {
            rest
        } else if r0 < r || cell.rows > 1 {
            cell.rows += 1;
            return Pos::Covered;
        } else {
            ""
        };
        let role = if text.is_empty() {
            Role::Filler
        } else {
            Role::Label
        };
        Pos::Start(Cell {
            text: text.to_string(),
            rows: 1,
            cols: cell.cols,
            role,
        })
    }
}

fn grow(dense: &mut Vec<Vec<Option<Pos>>>, rows: usize, cols: usize) {
    if dense.len() < rows {
        dense.resize(rows, Vec::new());
    }
    for row in dense.iter_mut() {
        if row.len() < cols {
            row.resize(cols, None);
        }
    }
}

fn place(dense: &mut Vec<Vec<Option<Pos>>>, r: usize, c: usize, cell: &GridCell) {
    let rows = cell.rows.max(1);
    let cols = cell.cols.max(1);
    grow(dense, r + rows, c + cols);
    for row in &mut dense[r..r + rows] {
        row[c..c + cols].fill(Some(Pos::Covered));
    }
    dense[r][c] = Some(Pos::Start(Cell {
        text: cell.text.clone(),
        rows,
        cols,
        role: Role::Filler,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{applications_grid, review_grid};
    use crate::text::flatten;
    use crate::truth::{Noise, Truth};
    use nianbao_model::Template;

    fn truth() -> Truth {
        Truth::random(3, Template::T2021, Noise::default())
    }

    #[test]
    fn a_grid_round_trips() {
        for grid in [applications_grid(&truth()), review_grid(&truth())] {
            assert_eq!(Sheet::from_grid(&grid).to_grid(), grid);
        }
    }

    #[test]
    fn widening_keeps_every_row_as_wide() {
        let mut sheet = Sheet::from_grid(&applications_grid(&truth()));
        sheet.widen(2, 2);
        let again = Sheet::from_grid(&sheet.to_grid());
        assert_eq!(again.width(), 12);
        assert!(again.rows.iter().all(|r| r.pos.len() == 12));
        assert_eq!(again.to_grid(), sheet.to_grid());
    }

    #[test]
    fn cutting_and_continuations_keep_the_sheet_consistent() {
        let mut sheet = Sheet::from_grid(&applications_grid(&truth()));
        let mut tail = sheet.split_off(10);
        tail.insert_continuation(2, 2, "续".into());
        sheet.unmerge(3, |_| LabelSlot::Last);
        for s in [&sheet, &tail] {
            let grid = s.to_grid();
            assert_eq!(Sheet::from_grid(&grid).to_grid(), grid);
            assert!(flatten(&grid).iter().all(|r| !r.is_empty()));
        }
        assert_eq!(tail.rows.len(), applications_grid(&truth()).len() - 10 + 1);
    }
}
