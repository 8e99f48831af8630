//! The layout fuzzer: from a seed, a report whose tables are laid out with random but
//! legal variation — the ways real sites, Word files and PDF-to-text tools print the
//! national form — rendered in every format, with the truth adjusted wherever a
//! variation changes what a cell prints.
//!
//! Input: a seed, and the variation classes that may be drawn ([`ClassSet`]). Output: a
//! [`FuzzedReport`]: the [`Truth`] (template 2021 or 2019, [`Noise::ALL`]), the
//! [`Variation`] drawn — one typed choice per class, printable with `Debug`, so that a
//! failure can be traced to its class — and the document bytes in each
//! [`FuzzRendering`].
//!
//! The classes ([`FuzzClass`]), each drawn in a share of seeds, several together:
//! 1. the row-label area of tables 二 and 三 widened to 1–3 grid columns, each label one
//!    merged cell across it or in one of its cells with the others empty (merges broken);
//! 2. table 三's header rows official, generic (`数据1 … 数据7`) or missing, and repeated
//!    in the middle of the table as after a page break;
//! 3. units printed in figure cells (`12件`; the table 二 amount as `0万元` or `251000元`);
//! 4. long labels of table 三 cut by a page break, the rest on a row of its own;
//! 5. a table split in two at a row, a page number or a blank line between;
//! 6. Shanghai-style rows of table 三 printed without their labels;
//! 7. one label per table misread by OCR (予→子, 复→夏, 开→升, 理→埋) inside a keyword;
//! 8. section headings numbered every way, or run into their paragraph;
//! 9. the title in each of its forms, marked up as markdown, or split over two lines.

mod draw;
mod prose;
pub use prose::HEADINGS as SECTION_HEADINGS;
mod tables;
mod units;

use nianbao_model::{ActiveCategory, ActiveItem, ApplicationRow, Template};

use crate::docx::render_docx;
use crate::html::{render_html_page, PageEncoding};
use crate::layout::{layout, Part};
use crate::markdown::render_markdown;
use crate::rng::Rng;
use crate::sheet::LabelSlot;
use crate::text::{render_text, TextStyle};
use crate::truth::{Noise, Truth};

/// The formats a fuzzed report is rendered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FuzzRendering {
    /// The seed's flattened text: one tab-prefixed cell per line.
    Tabbed,
    /// One `| a | b |` line per row, merged cells' placeholders as in `Tabbed`.
    PipeRows,
    /// Markdown tables: every grid column a cell, a `|---|` rule after the first row.
    Markdown,
    /// A UTF-8 web page, merges as `rowspan`/`colspan`.
    Html,
    Docx,
}

impl FuzzRendering {
    pub const ALL: [FuzzRendering; 5] = [
        FuzzRendering::Tabbed,
        FuzzRendering::PipeRows,
        FuzzRendering::Markdown,
        FuzzRendering::Html,
        FuzzRendering::Docx,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FuzzRendering::Tabbed => "tabbed",
            FuzzRendering::PipeRows => "pipe",
            FuzzRendering::Markdown => "markdown",
            FuzzRendering::Html => "html",
            FuzzRendering::Docx => "docx",
        }
    }

    pub fn from_name(name: &str) -> Option<FuzzRendering> {
        FuzzRendering::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Whether the format shows a title's markdown marks (`# …`, `**…**`) as text.
    fn prints_markup(self) -> bool {
        matches!(
            self,
            FuzzRendering::Tabbed | FuzzRendering::PipeRows | FuzzRendering::Markdown
        )
    }
}

/// The variation classes, for counting results by class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FuzzClass {
    LabelArea,
    HeaderRows,
    Units,
    CutLabels,
    SplitTables,
    Unlabelled,
    OcrSlips,
    Headings,
    Title,
}

impl FuzzClass {
    pub const ALL: [FuzzClass; 9] = [
        FuzzClass::LabelArea,
        FuzzClass::HeaderRows,
        FuzzClass::Units,
        FuzzClass::CutLabels,
        FuzzClass::SplitTables,
        FuzzClass::Unlabelled,
        FuzzClass::OcrSlips,
        FuzzClass::Headings,
        FuzzClass::Title,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FuzzClass::LabelArea => "label_area",
            FuzzClass::HeaderRows => "header_rows",
            FuzzClass::Units => "units",
            FuzzClass::CutLabels => "cut_labels",
            FuzzClass::SplitTables => "split_tables",
            FuzzClass::Unlabelled => "unlabelled",
            FuzzClass::OcrSlips => "ocr_slips",
            FuzzClass::Headings => "headings",
            FuzzClass::Title => "title",
        }
    }

    pub fn from_name(name: &str) -> Option<FuzzClass> {
        FuzzClass::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The classes a seed may draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassSet(u16);

impl ClassSet {
    pub const ALL: ClassSet = ClassSet((1 << FuzzClass::ALL.len()) - 1);
    pub const NONE: ClassSet = ClassSet(0);

    pub fn contains(self, class: FuzzClass) -> bool {
        self.0 & (1 << class as u16) != 0
    }

    pub fn with(self, class: FuzzClass) -> ClassSet {
        ClassSet(self.0 | 1 << class as u16)
    }

    /// From a comma-separated list of [`FuzzClass::name`]s; `None` if one is unknown.
    pub fn from_names(list: &str) -> Option<ClassSet> {
        list.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .try_fold(ClassSet::NONE, |set, name| {
                FuzzClass::from_name(name).map(|c| set.with(c))
            })
    }
}

/// Which table of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableId {
    /// 二、主动公开政府信息情况.
    Active,
    /// 三、收到和处理政府信息公开申请情况.
    Applications,
    /// 四、政府信息公开行政复议、行政诉讼情况.
    Review,
}

/// Class 1: how wide a table's row-label area is and how its labels sit in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AreaShape {
    /// Grid columns the rows' own labels take (1 on the form).
    pub width: usize,
    pub fill: Fill,
}

impl AreaShape {
    pub const FORM: AreaShape = AreaShape {
        width: 1,
        fill: Fill::Merged,
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// Each label one cell spanning its part of the area (vertical labels spanning rows).
    Merged,
    /// Every merge of the area broken: the label in one cell, the others empty.
    Unmerged(SlotChoice),
}

/// Which cell of a broken merge holds the label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotChoice {
    First,
    Last,
    /// First and last by turns, row by row.
    Alternating,
}

impl SlotChoice {
    fn slot(self, row: usize) -> LabelSlot {
        match self {
            SlotChoice::First => LabelSlot::First,
            SlotChoice::Last => LabelSlot::Last,
            SlotChoice::Alternating if row.is_multiple_of(2) => LabelSlot::First,
            SlotChoice::Alternating => LabelSlot::Last,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelArea {
    pub active: AreaShape,
    pub applications: AreaShape,
}

/// Class 2: table 三's header rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderVariation {
    pub rows: HeaderRows,
    /// The header printed again before this row, as a page break repeats it.
    pub repeat_before: Option<ApplicationRow>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderRows {
    Official,
    /// One row: `项目 | 数据1 | … | 数据7`.
    Generic,
    Missing,
}

/// Class 3: units printed inside figure cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Units {
    /// Percent of the printed counts that carry `件`.
    pub counts_percent: u8,
    pub amount: AmountPrint,
}

/// How table 二's money cell (2021 收费金额, 2019 采购总金额) prints its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountPrint {
    /// As the truth drew it (the header's unit, or 2019's `元` in the cell).
    AsDrawn,
    /// `1234.5678万元`.
    CellWan,
    /// `12345678元`: the amount converted, the truth's unit `元`.
    CellYuan,
}

/// Class 4: a label of table 三 cut after `first_chars` characters by a page break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CutLabel {
    pub row: ApplicationRow,
    pub first_chars: usize,
}

/// Class 5: a table split into two tables before a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableSplit {
    pub before: SplitAt,
    pub gap: Gap,
    /// Table 三's header printed again at the top of the second part.
    pub repeat_header: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitAt {
    ActiveTitle(ActiveItem),
    ActiveRow(ActiveItem, ActiveCategory),
    Application(ApplicationRow),
    ReviewFigures,
}

impl SplitAt {
    pub fn table(self) -> TableId {
        match self {
            SplitAt::ActiveTitle(_) | SplitAt::ActiveRow(..) => TableId::Active,
            SplitAt::Application(_) => TableId::Applications,
            SplitAt::ReviewFigures => TableId::Review,
        }
    }
}

/// What stands between the two parts of a split table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// `- 3 -`.
    PageNumber(u8),
    /// An empty paragraph.
    Blank,
}

/// Class 7: a label misread by OCR, one character replaced by a look-alike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slip {
    pub table: TableId,
    pub label: String,
    pub misread: String,
}

/// Class 8: how one section heading is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeadingForm {
    pub number: Numbering,
    /// The heading and its first sentence in one paragraph (`一、总体情况。本年度…`).
    pub run_in: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numbering {
    /// `一、`
    Chinese,
    /// `1.`
    ArabicDot,
    /// `1、`
    ArabicComma,
    /// `（一）`
    Bracketed,
    /// `第一部分　`
    Part,
    Unnumbered,
}

/// Class 9: the title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TitleVariation {
    pub form: TitleForm,
    pub markup: TitleMarkup,
    pub split: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TitleForm {
    /// `{agency}{year}年政府信息公开工作年度报告`
    AgencyYear,
    /// `{year}年{agency}政府信息公开工作年度报告`
    YearAgency,
    /// `{agency}政府信息公开工作{year}年度报告`
    AgencyThenYear,
}

/// Markdown marks on the title, printed by the text formats only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TitleMarkup {
    Plain,
    /// `# …`
    Hash,
    /// `**…**`
    Bold,
}

/// Every choice drawn for one seed; `None` / empty where the class was not drawn.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Variation {
    pub label_area: Option<LabelArea>,
    pub header: Option<HeaderVariation>,
    pub units: Option<Units>,
    pub cut_labels: Vec<CutLabel>,
    pub splits: Vec<TableSplit>,
    pub unlabelled: Vec<ApplicationRow>,
    pub slips: Vec<Slip>,
    pub headings: Option<[HeadingForm; 6]>,
    pub title: Option<TitleVariation>,
}

impl Variation {
    /// The classes this variation draws.
    pub fn classes(&self) -> Vec<FuzzClass> {
        let drawn = [
            self.label_area.is_some(),
            self.header.is_some(),
            self.units.is_some(),
            !self.cut_labels.is_empty(),
            !self.splits.is_empty(),
            !self.unlabelled.is_empty(),
            !self.slips.is_empty(),
            self.headings.is_some(),
            self.title.is_some(),
        ];
        FuzzClass::ALL
            .into_iter()
            .zip(drawn)
            .filter_map(|(c, d)| d.then_some(c))
            .collect()
    }

    /// The classes drawn and their choices on one line, for a list of failures.
    pub fn summary(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        if let Some(a) = self.label_area {
            out.push(format!(
                "label_area(二 {}×{:?}, 三 {}×{:?})",
                a.active.width, a.active.fill, a.applications.width, a.applications.fill
            ));
        }
        if let Some(h) = self.header {
            out.push(format!(
                "header({:?}, repeat before {:?})",
                h.rows, h.repeat_before
            ));
        }
        if let Some(u) = self.units {
            out.push(format!("units({}% 件, {:?})", u.counts_percent, u.amount));
        }
        if !self.cut_labels.is_empty() {
            let cuts: Vec<String> = self
                .cut_labels
                .iter()
                .map(|c| format!("{}@{}", c.row.key(), c.first_chars))
                .collect();
            out.push(format!("cut_labels({})", cuts.join(", ")));
        }
        for s in &self.splits {
            let header = if s.repeat_header {
                ", header again"
            } else {
                ""
            };
            out.push(format!("split(before {:?}, {:?}{header})", s.before, s.gap));
        }
        if !self.unlabelled.is_empty() {
            let rows: Vec<&str> = self.unlabelled.iter().map(|r| r.key()).collect();
            out.push(format!("unlabelled({})", rows.join(", ")));
        }
        if !self.slips.is_empty() {
            let slips: Vec<&str> = self.slips.iter().map(|s| s.misread.as_str()).collect();
            out.push(format!("ocr_slips({})", slips.join(", ")));
        }
        if let Some(forms) = self.headings {
            let forms: Vec<String> = forms
                .iter()
                .map(|f| format!("{:?}{}", f.number, if f.run_in { "+run_in" } else { "" }))
                .collect();
            out.push(format!("headings({})", forms.join(" ")));
        }
        if let Some(t) = self.title {
            let split = if t.split { ", split" } else { "" };
            out.push(format!("title({:?}, {:?}{split})", t.form, t.markup));
        }
        if out.is_empty() {
            return "none".into();
        }
        out.join(" ")
    }

    /// The label area of a table, the form's where class 1 was not drawn.
    fn area(&self, table: TableId) -> AreaShape {
        match (self.label_area, table) {
            (Some(a), TableId::Active) => a.active,
            (Some(a), TableId::Applications) => a.applications,
            _ => AreaShape::FORM,
        }
    }
}

/// A fuzzed report: its truth, the variation drawn, and the laid-out document.
#[derive(Clone, Debug)]
pub struct FuzzedReport {
    pub seed: u64,
    pub truth: Truth,
    pub variation: Variation,
    /// The title as printed, one line or two, without markup.
    title: Vec<String>,
    /// Everything after the title.
    body: Vec<Part>,
}

impl FuzzedReport {
    /// The report a seed draws, with only the classes of `classes` drawn.
    pub fn draw(seed: u64, classes: ClassSet) -> FuzzedReport {
        let mut rng = Rng::new(seed ^ 0xF0_22ED);
        let template = if rng.chance(0.5) {
            Template::T2021
        } else {
            Template::T2019
        };
        let mut truth = Truth::random(seed, template, Noise::ALL);
        let variation = draw::variation(&mut rng, &truth, classes);
        if let Some(u) = variation.units {
            units::apply(&mut truth, u, &mut Rng::new(seed ^ 0x0417));
        }
        let title = prose::title_lines(&truth, variation.title);
        let mut body = layout(&truth);
        body.drain(..if truth.split_title { 2 } else { 1 });
        if let Some(forms) = &variation.headings {
            prose::restyle_headings(&mut body, forms);
        }
        let body = tables::replace_tables(body, &truth, &variation);
        FuzzedReport {
            seed,
            truth,
            variation,
            title,
            body,
        }
    }
    /// The laid-out document, the title marked up where the format prints marks.
    pub fn parts(&self, rendering: FuzzRendering) -> Vec<Part> {
        let markup = match self.variation.title {
            Some(t) if rendering.prints_markup() => t.markup,
            _ => TitleMarkup::Plain,
        };
        let mut parts: Vec<Part> = prose::marked_up(&self.title, markup)
            .into_iter()
            .map(Part::Paragraph)
            .collect();
        parts.extend(self.body.iter().cloned());
        parts
    }

    /// The document bytes in one format.
    pub fn render(&self, rendering: FuzzRendering) -> Vec<u8> {
        let parts = self.parts(rendering);
        match rendering {
            FuzzRendering::Tabbed => render_text(&parts, TextStyle::Tabbed).into_bytes(),
            FuzzRendering::PipeRows => render_text(&parts, TextStyle::PipeRows).into_bytes(),
            FuzzRendering::Markdown => render_markdown(&parts).into_bytes(),
            FuzzRendering::Html => self.html_page(&parts),
            FuzzRendering::Docx => render_docx(&parts, self.seed),
        }
    }

    /// The test kit's page, its `<title>` and `<h1>` in this report's title form.
    fn html_page(&self, parts: &[Part]) -> Vec<u8> {
        let page = render_html_page(&self.truth, parts, PageEncoding::Utf8, self.seed);
        let page = String::from_utf8(page).expect("a UTF-8 page");
        let standard = format!(
            "{}{}年政府信息公开工作年度报告",
            self.truth.place.agency_full, self.truth.year
        );
        page.replace(&standard, &self.title.concat()).into_bytes()
    }
}
