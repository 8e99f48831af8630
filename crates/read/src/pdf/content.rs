//! A page's content stream run far enough to know where each glyph and each ruling line
//! lands: text state, the transformation matrices, form XObjects; no rendering.

use std::collections::HashMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document as PdfDocument, Object, ObjectId};

use super::font::Font;

/// Largest decompressed content of one page or form, in bytes.
pub const MAX_CONTENT_BYTES: usize = 32 * 1024 * 1024;
/// Deepest nesting of form XObjects followed.
const MAX_FORM_DEPTH: usize = 8;
/// Most glyphs read from one page; a page past it is cut with a diagnostic.
pub const MAX_PAGE_GLYPHS: usize = 200_000;
/// Thickest filled rectangle still taken for a ruling line, in points.
const RULE_THICKNESS: f64 = 2.5;

/// One glyph on the page, in top-down page coordinates (points from the top-left).
#[derive(Clone, Debug)]
pub(super) struct Glyph {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    /// Baseline, from the top of the page.
    pub base: f64,
    pub size: f64,
    pub vertical: bool,
}

impl Glyph {
    pub fn center_x(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }

    /// Middle of the glyph's body: a little above the baseline.
    pub fn center_y(&self) -> f64 {
        self.base - 0.35 * self.size
    }
}

/// A horizontal or vertical ruling line, in top-down page coordinates.
#[derive(Clone, Copy, Debug)]
pub(super) struct Rule {
    pub horizontal: bool,
    /// y of a horizontal line, x of a vertical one.
    pub at: f64,
    pub from: f64,
    pub to: f64,
}

/// What one page holds.
#[derive(Debug, Default)]
pub(super) struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    pub images: usize,
    pub unmapped: usize,
    pub height: f64,
    pub truncated: bool,
    pub errors: Vec<String>,
}

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` in PDF's row-vector convention: apply `a`, then `b`.
fn multiply(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<ObjectId>,
    font_size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scale: f64,
    leading: f64,
    rise: f64,
}

impl Default for State {
    fn default() -> Self {
        State {
            ctm: IDENTITY,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// Runs the content of one page.
pub(super) fn run_page(
    doc: &PdfDocument,
    page: ObjectId,
    fonts: &mut HashMap<ObjectId, Font>,
) -> PageContent {
    let media = page_box(doc, page);
    let mut out = PageContent {
        height: media[3] - media[1],
        ..PageContent::default()
    };
    let content = match doc.get_page_content_with_limit(page, MAX_CONTENT_BYTES) {
        Ok(c) => c,
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            out.errors.push(format!(
                "{}content inflates past {MAX_CONTENT_BYTES} bytes, not read",
                crate::LIMIT_PREFIX
            ));
            return out;
        }
        Err(e) => {
            out.errors.push(format!("page content unreadable: {e}"));
            return out;
        }
    };
    let resources = page_resources(doc, page);
    let mut runner = Runner {
        doc,
        fonts,
        out: &mut out,
        // Page space → top-down coordinates from the media box's top-left.
        base: [1.0, 0.0, 0.0, -1.0, -media[0], media[3]],
    };
    runner.run(&content, resources.as_ref(), IDENTITY, 0);
    out
}

fn page_box(doc: &PdfDocument, page: ObjectId) -> [f64; 4] {
    let mut node = doc.get_dictionary(page).ok();
    // MediaBox is inheritable: walk up the page tree (bounded against loops).
    for _ in 0..32 {
        let Some(dict) = node else { break };
        if let Ok(array) = dict.get_deref(b"MediaBox", doc).and_then(Object::as_array) {
            let v: Vec<f64> = array
                .iter()
                .filter_map(|o| o.as_float().ok().map(f64::from))
                .collect();
            if v.len() == 4 && v[3] > v[1] {
                return [v[0], v[1], v[2], v[3]];
            }
        }
        node = dict
            .get(b"Parent")
            .and_then(Object::as_reference)
            .and_then(|id| doc.get_dictionary(id))
            .ok();
    }
    [0.0, 0.0, 595.0, 842.0]
}

/// The page's resource dictionary, inherited resources merged under its own.
fn page_resources(doc: &PdfDocument, page: ObjectId) -> Option<Dictionary> {
    let (own, inherited) = doc.get_page_resources(page).ok()?;
    let mut merged = Dictionary::new();
    for id in inherited.iter().rev() {
        if let Ok(dict) = doc.get_dictionary(*id) {
            merge_resources(&mut merged, dict, doc);
        }
    }
    if let Some(dict) = own {
        merge_resources(&mut merged, dict, doc);
    }
    Some(merged)
}

fn merge_resources(into: &mut Dictionary, from: &Dictionary, doc: &PdfDocument) {
    for key in [b"Font".as_slice(), b"XObject".as_slice()] {
        let Ok(dict) = from.get_deref(key, doc).and_then(Object::as_dict) else {
            continue;
        };
        let mut target = into
            .get(key)
            .and_then(Object::as_dict)
            .cloned()
            .unwrap_or_default();
        for (k, v) in dict.iter() {
            target.set(k.clone(), v.clone());
        }
        into.set(key, Object::Dictionary(target));
    }
}

struct Runner<'a> {
    doc: &'a PdfDocument,
    fonts: &'a mut HashMap<ObjectId, Font>,
    out: &'a mut PageContent,
    base: Matrix,
}

impl Runner<'_> {
    fn run(&mut self, content: &[u8], resources: Option<&Dictionary>, ctm: Matrix, depth: usize) {
        let ops = match Content::decode(content) {
            Ok(c) => c.operations,
            Err(e) => {
                self.out
                    .errors
                    .push(format!("content stream unreadable: {e}"));
                return;
            }
        };
        let font_dict = resources
            .and_then(|r| r.get_deref(b"Font", self.doc).ok())
            .and_then(|o| o.as_dict().ok());
        let xobjects = resources
            .and_then(|r| r.get_deref(b"XObject", self.doc).ok())
            .and_then(|o| o.as_dict().ok());
        let mut state = State {
            ctm,
            ..State::default()
        };
        let mut stack: Vec<State> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut path: Vec<(f64, f64, bool)> = Vec::new(); // points; bool = starts a subpath
        let mut rects: Vec<[f64; 4]> = Vec::new();

        for op in &ops {
            if self.out.truncated {
                return; // the glyph cap was hit: the rest of the page is not read
            }
            let n = |i: usize| -> f64 {
                op.operands
                    .get(i)
                    .and_then(|o| o.as_float().ok())
                    .map_or(0.0, f64::from)
            };
            match op.operator.as_str() {
                "q" if stack.len() < 256 => stack.push(state.clone()),
                "Q" => {
                    if let Some(s) = stack.pop() {
                        state = s;
                    }
                }
                "cm" => {
                    let m = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    state.ctm = multiply(&m, &state.ctm);
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    state.font = op
                        .operands
                        .first()
                        .and_then(|o| o.as_name().ok())
                        .and_then(|name| self.font_id(font_dict, name));
                    state.font_size = n(1);
                }
                "Tc" => state.char_spacing = n(0),
                "Tw" => state.word_spacing = n(0),
                "Tz" => state.scale = n(0) / 100.0,
                "TL" => state.leading = n(0),
                "Ts" => state.rise = n(0),
                "Td" | "TD" => {
                    if op.operator == "TD" {
                        state.leading = -n(1);
                    }
                    tlm = multiply(&[1.0, 0.0, 0.0, 1.0, n(0), n(1)], &tlm);
                    tm = tlm;
                }
                "Tm" => {
                    tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    tm = tlm;
                }
                "T*" => {
                    tlm = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -state.leading], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if op.operator != "Tj" && op.operator != "TJ" {
                        if op.operator == "\"" {
                            state.word_spacing = n(0);
                            state.char_spacing = n(1);
                        }
                        tlm = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -state.leading], &tlm);
                        tm = tlm;
                    }
                    match op.operands.last() {
                        Some(Object::Array(items)) => {
                            for item in items {
                                match item {
                                    Object::String(bytes, _) => {
                                        self.show(bytes, &state, &mut tm);
                                    }
                                    other => {
                                        let adjust = other.as_float().map_or(0.0, f64::from);
                                        let shift = -adjust / 1000.0 * state.font_size;
                                        let vertical = self.is_vertical(&state);
                                        let step = if vertical {
                                            [1.0, 0.0, 0.0, 1.0, 0.0, shift]
                                        } else {
                                            [1.0, 0.0, 0.0, 1.0, shift * state.scale, 0.0]
                                        };
                                        tm = multiply(&step, &tm);
                                    }
                                }
                            }
                        }
                        Some(Object::String(bytes, _)) => self.show(bytes, &state, &mut tm),
                        _ => {}
                    }
                }
                "m" => path.push((n(0), n(1), true)),
                "l" => path.push((n(0), n(1), false)),
                "re" => rects.push([n(0), n(1), n(2), n(3)]),
                "h" | "c" | "v" | "y" => {}
                "S" | "s" => {
                    self.stroke(&path, &rects, &state.ctm);
                    path.clear();
                    rects.clear();
                }
                "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    if op.operator.starts_with(['B', 'b']) {
                        self.stroke(&path, &rects, &state.ctm);
                    } else {
                        self.fill(&rects, &state.ctm);
                    }
                    path.clear();
                    rects.clear();
                }
                "n" => {
                    path.clear();
                    rects.clear();
                }
                "Do" => {
                    if let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) {
                        self.draw_object(xobjects, resources, name, &state.ctm, depth);
                    }
                }
                "BI" | "ID" | "EI" => self.out.images += usize::from(op.operator == "BI"),
                _ => {}
            }
        }
    }

    fn font_id(&mut self, fonts: Option<&Dictionary>, name: &[u8]) -> Option<ObjectId> {
        let id = fonts?.get(name).ok()?.as_reference().ok()?;
        if !self.fonts.contains_key(&id) {
            let dict = self.doc.get_dictionary(id).ok()?;
            self.fonts.insert(id, Font::load(self.doc, dict));
        }
        Some(id)
    }

    fn is_vertical(&self, state: &State) -> bool {
        state
            .font
            .and_then(|id| self.fonts.get(&id))
            .is_some_and(|f| f.vertical)
    }

    fn show(&mut self, bytes: &[u8], state: &State, tm: &mut Matrix) {
        let Some(font) = state.font.and_then(|id| self.fonts.get(&id)) else {
            return;
        };
        let size = state.font_size;
        for code in font.decode(bytes) {
            if self.out.glyphs.len() >= MAX_PAGE_GLYPHS {
                self.out.truncated = true;
                return;
            }
            let trm = multiply(
                &[size * state.scale, 0.0, 0.0, size, 0.0, state.rise],
                &multiply(tm, &multiply(&state.ctm, &self.base)),
            );
            let advance = code.width / 1000.0 * size;
            let spacing = state.char_spacing
                + if code.is_space {
                    state.word_spacing
                } else {
                    0.0
                };
            let (x, y) = apply(&trm, 0.0, 0.0);
            let glyph_size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            if font.vertical {
                // Vertical writing: the origin is the top centre of the glyph's box.
                let half = glyph_size / 2.0;
                self.out.glyphs.push(Glyph {
                    text: code.text,
                    x0: x - half,
                    x1: x + half,
                    base: y + 0.88 * glyph_size,
                    size: glyph_size,
                    vertical: true,
                });
                let step = -(size + spacing);
                *tm = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, step], tm);
            } else {
                let (x_end, _) = apply(&trm, code.width / 1000.0, 0.0);
                let (x0, x1) = if x_end >= x { (x, x_end) } else { (x_end, x) };
                if !code.text.trim().is_empty() {
                    self.out.glyphs.push(Glyph {
                        text: code.text,
                        x0,
                        x1,
                        base: y,
                        size: glyph_size,
                        vertical: false,
                    });
                }
                let step = (advance + spacing) * state.scale;
                *tm = multiply(&[1.0, 0.0, 0.0, 1.0, step, 0.0], tm);
            }
            if !code.mapped {
                self.out.unmapped += 1;
            }
        }
    }

    /// Records the straight axis-parallel segments of a stroked path.
    fn stroke(&mut self, path: &[(f64, f64, bool)], rects: &[[f64; 4]], ctm: &Matrix) {
        let m = multiply(ctm, &self.base);
        for pair in path.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if b.2 {
                continue; // a new subpath starts: no segment between them
            }
            self.segment(apply(&m, a.0, a.1), apply(&m, b.0, b.1));
        }
        for r in rects {
            let corners = [
                apply(&m, r[0], r[1]),
                apply(&m, r[0] + r[2], r[1]),
                apply(&m, r[0] + r[2], r[1] + r[3]),
                apply(&m, r[0], r[1] + r[3]),
            ];
            for i in 0..4 {
                self.segment(corners[i], corners[(i + 1) % 4]);
            }
        }
    }

    /// A filled rectangle thin enough to be a line is one (Word and WPS draw cell borders
    /// that way); wider fills are shading.
    fn fill(&mut self, rects: &[[f64; 4]], ctm: &Matrix) {
        let m = multiply(ctm, &self.base);
        for r in rects {
            let (x0, y0) = apply(&m, r[0], r[1]);
            let (x1, y1) = apply(&m, r[0] + r[2], r[1] + r[3]);
            let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
            if h <= RULE_THICKNESS && w > h {
                let y = (y0 + y1) / 2.0;
                self.segment((x0, y), (x1, y));
            } else if w <= RULE_THICKNESS && h > w {
                let x = (x0 + x1) / 2.0;
                self.segment((x, y0), (x, y1));
            }
        }
    }

    fn segment(&mut self, a: (f64, f64), b: (f64, f64)) {
        const SLANT: f64 = 0.5;
        if (a.1 - b.1).abs() <= SLANT && (a.0 - b.0).abs() > SLANT {
            self.out.rules.push(Rule {
                horizontal: true,
                at: (a.1 + b.1) / 2.0,
                from: a.0.min(b.0),
                to: a.0.max(b.0),
            });
        } else if (a.0 - b.0).abs() <= SLANT && (a.1 - b.1).abs() > SLANT {
            self.out.rules.push(Rule {
                horizontal: false,
                at: (a.0 + b.0) / 2.0,
                from: a.1.min(b.1),
                to: a.1.max(b.1),
            });
        }
    }

    fn draw_object(
        &mut self,
        xobjects: Option<&Dictionary>,
        parent_resources: Option<&Dictionary>,
        name: &[u8],
        ctm: &Matrix,
        depth: usize,
    ) {
        let Some(stream) = xobjects
            .and_then(|x| x.get_deref(name, self.doc).ok())
            .and_then(|o| o.as_stream().ok())
        else {
            return;
        };
        let subtype = stream.dict.get(b"Subtype").and_then(Object::as_name).ok();
        if subtype == Some(b"Image".as_slice()) {
            self.out.images += 1;
            return;
        }
        if subtype != Some(b"Form".as_slice()) || depth >= MAX_FORM_DEPTH {
            return;
        }
        let matrix = stream
            .dict
            .get(b"Matrix")
            .and_then(Object::as_array)
            .ok()
            .map(|a| {
                a.iter()
                    .filter_map(|o| o.as_float().ok().map(f64::from))
                    .collect::<Vec<_>>()
            })
            .filter(|v| v.len() == 6)
            .map_or(IDENTITY, |v| [v[0], v[1], v[2], v[3], v[4], v[5]]);
        let Ok(content) = stream.decompressed_content_with_limit(MAX_CONTENT_BYTES) else {
            self.out
                .errors
                .push("a form's content cannot be inflated".into());
            return;
        };
        let resources = stream
            .dict
            .get_deref(b"Resources", self.doc)
            .and_then(Object::as_dict)
            .ok()
            .or(parent_resources)
            .cloned();
        self.run(
            &content,
            resources.as_ref(),
            multiply(&matrix, ctm),
            depth + 1,
        );
    }
}
