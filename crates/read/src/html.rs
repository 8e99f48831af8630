//! The HTML reader: a report page in any encoding → the article's paragraphs and tables,
//! and the page's own metadata fields.
//!
//! - Decoding: BOM, then the charset the server sent, then `<meta charset>` /
//!   `http-equiv`, GB2312 and GBK read as GB18030; a declaration the bytes contradict, or
//!   none at all, falls back to statistical detection.
//! - The article is found among the site furniture: known editor containers first (TRS,
//!   UCAP, …), else the element holding most of the page's non-link text.
//! - Tables: `rowspan`/`colspan` resolved by [`TableBuilder`]; `<p>`/`<br>` inside cells
//!   become line breaks; a table that holds other tables is layout, read as blocks.
//! - Bounds: elements, cells and nesting are counted while the page is parsed; a page
//!   past one is refused (`html_parse`).

use std::hash::{Hash, Hasher};

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use encoding_rs::{Encoding, GB18030, GBK, UTF_8};
use scraper::{ElementRef, Html, Node};

use crate::decode::{decode_with, Decoded};
use crate::document::{is_trim_char, Block, Document, Format, TableBuilder, TABLE_CUT};
use crate::html_parse::parse_bounded;
use crate::ReadError;

/// How much of the page the `<meta charset>` prescan looks at (as browsers do).
const PRESCAN_BYTES: usize = 4096;
/// Deepest element nesting walked; deeper content is dropped with a diagnostic.
const MAX_DEPTH: usize = 256;

/// Containers that CMSs put the article body in, most specific first.
const ARTICLE_SELECTORS: &[&str] = &[
    ".TRS_Editor",
    ".trs_editor_view",
    ".TRS_UEDITOR",
    "#UCAP-CONTENT",
    ".Custom_UnionStyle",
    "#zoom",
    ".zoom",
    ".article_content",
    ".article-content",
    ".articleContent",
    "#articleContent",
    ".zw",
    "#zw",
    ".main-txt",
    ".content_text",
    "article",
];

/// Class or id fragments of page furniture, never part of the article.
const FURNITURE: &[&str] = &[
    "nav",
    "menu",
    "breadcrumb",
    "crumb",
    "footer",
    "header",
    "share",
    "toolbar",
    "search",
    "related",
    "xglj",
    "fenxiang",
    "print",
    "wza",
    "barrier",
    "aged",
    "slb_none",
    "login",
    "qrcode",
    "ewm",
    "copyright",
];

/// Page metadata that TRS-style sites put in `<meta name=…>`, with the printed field it means.
/// The page metadata key of the page's `<title>`, as printed.
pub const PAGE_TITLE: &str = "页面标题";
/// The page field holding the text of the page's first `<h1>`, the article's heading
/// (which many sites print outside the article's container).
pub const PAGE_HEADING: &str = "页面大标题";

const META_TAGS: &[(&str, &str)] = &[
    ("ArticleTitle", "标题"),
    ("PubDate", "发布时间"),
    ("ContentSource", "发布机构"),
    ("Url", "原文链接"),
];

/// Printed metadata field names (domain.md §3.4), as they label values on the page.
pub const FIELD_LABELS: &[&str] = &[
    "索引号",
    "发布机构",
    "信息来源",
    "来源",
    "发文机关",
    "责任部门",
    "发布日期",
    "发布时间",
    "发文日期",
    "成文日期",
    "生成日期",
    "时间",
    "文号",
    "发文字号",
    "标题",
    "名称",
    "信息名称",
];

/// Picks the encoding of an HTML page and decodes it.
pub fn decode_html(bytes: &[u8], http_charset: Option<&str>) -> (Decoded, Vec<String>) {
    let mut diagnostics = Vec::new();
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return (decode_with(encoding, &bytes[bom_len..]), diagnostics);
    }
    let declared = http_charset
        .and_then(|c| Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| prescan_charset(bytes));
    let is_utf8 = std::str::from_utf8(bytes).is_ok();
    let chosen = match declared {
        Some(enc) if enc == UTF_8 && !is_utf8 => {
            let guess = sniff_encoding(bytes);
            diagnostics.push(format!(
                "page declares UTF-8 but is not; decoded as {}",
                guess.name()
            ));
            guess
        }
        Some(enc) if enc != UTF_8 && is_utf8 && !bytes.is_ascii() => {
            diagnostics.push(format!(
                "page declares {} but its bytes are UTF-8; decoded as UTF-8",
                enc.name()
            ));
            UTF_8
        }
        Some(enc) => widen_chinese(enc),
        None if is_utf8 => UTF_8,
        None => sniff_encoding(bytes),
    };
    let decoded = decode_with(chosen, bytes);
    if decoded.replaced > 0 {
        diagnostics.push(format!(
            "{} byte sequences could not be decoded as {} and were replaced",
            decoded.replaced, decoded.encoding
        ));
    }
    (decoded, diagnostics)
}

/// GB2312 and GBK pages contain characters only GB18030 has.
fn widen_chinese(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == GBK {
        GB18030
    } else {
        encoding
    }
}

fn sniff_encoding(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    widen_chinese(detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow))
}

/// `charset=` in the first bytes: `<meta charset="gbk">` or `content="text/html; charset=gb2312"`.
fn prescan_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < lower.len() && matches!(lower[i], b' ' | b'=' | b'"' | b'\'') {
            i += 1;
        }
        let end = lower[i..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
            .map_or(lower.len(), |p| i + p);
        if let Some(enc) = Encoding::for_label(&lower[i..end]) {
            return Some(enc);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads an HTML page. `http_charset` is the charset the server declared, if known.
pub fn read_html(bytes: &[u8], http_charset: Option<&str>) -> Result<Document, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    let (decoded, mut diagnostics) = decode_html(bytes, http_charset);
    let html = parse_bounded(&decoded.text)?;
    let survey = survey(&html);
    let root = find_article(&html, &survey);
    let mut walker = Walker::new(&survey);
    match root {
        Some(article) => walker.walk(article, 0),
        None => diagnostics.push("no article body found on the page".into()),
    }
    let page_meta = page_metadata(&survey, root);
    let Walker {
        mut blocks,
        line,
        diagnostics: walk_diagnostics,
        ..
    } = walker;
    push_paragraph(&mut blocks, &line);
    diagnostics.extend(walk_diagnostics);
    Ok(Document {
        format: Format::Html,
        encoding: decoded.encoding,
        blocks,
        page_meta,
        diagnostics,
    })
}

/// The tree's own index of a node: `NodeId` keeps it private, but hashes exactly that
/// number, so a hasher that only records it reads it out. Survey tables are indexed by it
/// instead of hashing every element into a map.
pub(crate) fn node_index(id: NodeId) -> usize {
    #[derive(Default)]
    struct Recorder(usize);
    impl Hasher for Recorder {
        fn finish(&self) -> u64 {
            self.0 as u64
        }
        fn write(&mut self, bytes: &[u8]) {
            // Not reached for a `NodeId`; any number keeps lookups safe (they are bounded).
            for &b in bytes {
                self.0 = self.0.wrapping_mul(31).wrapping_add(usize::from(b));
            }
        }
        fn write_usize(&mut self, n: usize) {
            self.0 = n;
        }
    }
    let mut recorder = Recorder::default();
    id.hash(&mut recorder);
    recorder.0
}

/// Characters that are not whitespace (`char::is_whitespace`), counted on the bytes:
/// decoding every character of every page cost more than the rest of the weighing.
fn visible_chars(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let whitespace = match b {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => true,
            0x80..=0xBF => continue, // inside a character
            // U+0085, U+00A0
            0xC2 => matches!(bytes.get(i + 1), Some(0x85 | 0xA0)),
            // U+1680
            0xE1 => bytes.get(i + 1..i + 3) == Some(&[0x9A, 0x80]),
            // U+2000–U+200A, U+2028, U+2029, U+202F, U+205F
            0xE2 => matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F))
            ),
            // U+3000
            0xE3 => bytes.get(i + 1..i + 3) == Some(&[0x80, 0x80]),
            _ => false,
        };
        count += usize::from(!whitespace);
    }
    count
}

/// What one pass over the page learns of an element.
#[derive(Clone, Copy, Default)]
struct Seen {
    /// Characters of text under it outside links and inside them (scripts, styles and
    /// selects left out).
    plain: usize,
    linked: usize,
    /// Whether a `<table>` is somewhere below it.
    holds_table: bool,
    /// The range of [`Survey::chunks`] under it.
    chunks: (usize, usize),
}

/// The whole page in one pass: what the article search, the reader and the metadata
/// need, so the tree is walked once whatever they ask.
struct Survey<'a> {
    /// By [`node_index`]; an element not seen (or out of range) reads as nothing seen.
    elements: Vec<Seen>,
    /// Elements matching an [`ARTICLE_SELECTORS`] entry: (entry, element), in page order.
    candidates: Vec<(usize, NodeId)>,
    /// The first `<body>`.
    body: Option<NodeId>,
    /// Every `<meta name=… content=…>`.
    meta: Vec<(&'a str, &'a str)>,
    /// The text of the first `<title>`.
    title: Option<String>,
    /// The text of the first `<h1>`: the article's heading, often outside the article.
    heading: Option<String>,
    /// The page's text pieces in order, trimmed; scripts, styles and the title left out.
    chunks: Vec<&'a str>,
}

impl Survey<'_> {
    fn seen(&self, element: ElementRef<'_>) -> Seen {
        self.elements
            .get(node_index(element.id()))
            .copied()
            .unwrap_or_default()
    }

    /// An element's weight: its non-link text, less half its link text.
    fn weight(&self, element: ElementRef<'_>) -> usize {
        let seen = self.seen(element);
        seen.plain.saturating_sub(seen.linked / 2)
    }

    fn holds_table(&self, element: ElementRef<'_>) -> bool {
        self.seen(element).holds_table
    }
}

/// Which [`ARTICLE_SELECTORS`] entry an element matches first, if any. Reads the
/// attributes as text: `classes()` would build and keep an atom list per element.
fn article_selector(element: &scraper::node::Element) -> Option<usize> {
    let mut id = None;
    let mut has_class = false;
    for (name, value) in element.attrs() {
        match name {
            "id" if id.is_none() => id = Some(value),
            "class" => has_class = true,
            _ => {}
        }
    }
    if id.is_none() && !has_class {
        // Most elements: only a tag selector can match.
        let name = element.name();
        return ARTICLE_SELECTORS
            .iter()
            .position(|selector| *selector == name);
    }
    let in_class = |wanted: &str| {
        has_class
            && element
                .attrs()
                .filter(|(name, _)| *name == "class")
                .any(|(_, value)| value.split_ascii_whitespace().any(|c| c == wanted))
    };
    ARTICLE_SELECTORS.iter().position(|selector| {
        if let Some(class) = selector.strip_prefix('.') {
            in_class(class)
        } else if let Some(wanted) = selector.strip_prefix('#') {
            id == Some(wanted)
        } else {
            element.name() == *selector
        }
    })
}

fn survey(html: &Html) -> Survey<'_> {
    struct Open {
        id: NodeId,
        seen: Seen,
        in_link: bool,
        /// Not weighed: inside a script, style, noscript or select.
        unweighed: bool,
    }
    let mut survey = Survey {
        // Indices run from 1 to the node count.
        elements: vec![Seen::default(); html.tree.values().len() + 1],
        candidates: Vec::new(),
        body: None,
        meta: Vec::new(),
        title: None,
        heading: None,
        chunks: Vec::new(),
    };
    let mut stack: Vec<Open> = Vec::new();
    // The outermost open script, style, noscript or title: no text pieces inside it.
    let mut unread: Option<NodeId> = None;
    let mut in_title: Option<NodeId> = None;
    let mut in_heading: Option<NodeId> = None;
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    let (in_link, unweighed) = stack
                        .last()
                        .map_or((false, false), |p| (p.in_link, p.unweighed));
                    let at = survey.chunks.len();
                    stack.push(Open {
                        id: node.id(),
                        seen: Seen {
                            chunks: (at, at),
                            ..Seen::default()
                        },
                        in_link: in_link || name == "a",
                        unweighed: unweighed
                            || matches!(name, "script" | "style" | "noscript" | "select"),
                    });
                    if let Some(i) = article_selector(e) {
                        survey.candidates.push((i, node.id()));
                    }
                    match name {
                        "body" if survey.body.is_none() => survey.body = Some(node.id()),
                        "meta" => {
                            let attr = |wanted: &str| e.attrs().find(|(n, _)| *n == wanted);
                            if let Some((_, meta_name)) = attr("name") {
                                let content = attr("content").map_or("", |(_, v)| v);
                                survey.meta.push((meta_name, content));
                            }
                        }
                        "title" if survey.title.is_none() => {
                            in_title = Some(node.id());
                            survey.title = Some(String::new());
                        }
                        "h1" if survey.heading.is_none() => {
                            in_heading = Some(node.id());
                            survey.heading = Some(String::new());
                        }
                        _ => {}
                    }
                    if unread.is_none() && matches!(name, "script" | "style" | "noscript" | "title")
                    {
                        unread = Some(node.id());
                    }
                }
                Node::Text(text) => {
                    if in_title.is_some() {
                        if let Some(title) = &mut survey.title {
                            title.push_str(text);
                        }
                    }
                    if in_heading.is_some() {
                        if let Some(heading) = &mut survey.heading {
                            push_text(heading, text);
                        }
                    }
                    if unread.is_none() {
                        let piece = text.trim_matches(is_trim_char);
                        if !piece.is_empty() {
                            survey.chunks.push(piece);
                        }
                    }
                    if let Some(top) = stack.last_mut().filter(|t| !t.unweighed) {
                        let count = visible_chars(text);
                        if top.in_link {
                            top.seen.linked += count;
                        } else {
                            top.seen.plain += count;
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Node::Element(e) = node.value() else {
                    continue;
                };
                if unread == Some(node.id()) {
                    unread = None;
                }
                if in_title == Some(node.id()) {
                    in_title = None;
                }
                if in_heading == Some(node.id()) {
                    in_heading = None;
                }
                if let Some(mut done) = stack.pop() {
                    done.seen.chunks.1 = survey.chunks.len();
                    let at = node_index(done.id);
                    if at >= survey.elements.len() {
                        survey.elements.resize(at + 1, Seen::default());
                    }
                    survey.elements[at] = done.seen;
                    if let Some(parent) = stack.last_mut() {
                        parent.seen.plain += done.seen.plain;
                        parent.seen.linked += done.seen.linked;
                        parent.seen.holds_table |= done.seen.holds_table || e.name() == "table";
                    }
                }
            }
        }
    }
    survey
}

/// The element holding the article: a known editor container with text, else the
/// element most of the page's non-link text sits in.
fn find_article<'a>(html: &'a Html, survey: &Survey<'_>) -> Option<ElementRef<'a>> {
    // For each known container (`.class`, `#id`, tag), its heaviest element with text.
    let mut best: Vec<Option<(usize, ElementRef<'a>)>> = vec![None; ARTICLE_SELECTORS.len()];
    for &(i, id) in &survey.candidates {
        let Some(element) = html.tree.get(id).and_then(ElementRef::wrap) else {
            continue;
        };
        let w = survey.weight(element);
        if w >= 50 && best[i].is_none_or(|(bw, _)| w > bw) {
            best[i] = Some((w, element));
        }
    }
    if let Some((_, element)) = best.into_iter().flatten().next() {
        return Some(element);
    }
    let body = survey
        .body
        .and_then(|id| html.tree.get(id))
        .and_then(ElementRef::wrap)
        .unwrap_or_else(|| html.root_element());
    Some(densest(body, survey))
}

/// Descends while one container child holds most of the text (furniture aside): stops
/// where the text spreads over several children, which is where an article's paragraphs
/// are. Never descends into a paragraph-like element.
fn densest<'a>(mut element: ElementRef<'a>, survey: &Survey<'_>) -> ElementRef<'a> {
    loop {
        let children: Vec<(usize, ElementRef<'a>)> = element
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| !is_furniture(e))
            .map(|e| (survey.weight(e), e))
            .collect();
        let total: usize = children.iter().map(|(w, _)| w).sum();
        let heaviest = children.into_iter().max_by_key(|(w, _)| *w);
        match heaviest {
            Some((w, child)) if total > 0 && w * 3 >= total * 2 && is_container(child, survey) => {
                element = child
            }
            _ => return element,
        }
    }
}

/// An element the article may be inside: a block container, or a layout table's parts.
/// A data table's parts are never a container (the article would lose the table).
fn is_container(element: ElementRef<'_>, survey: &Survey<'_>) -> bool {
    match element.value().name() {
        "div" | "section" | "article" | "main" | "center" | "form" => true,
        "table" | "tbody" | "thead" | "tr" | "td" | "th" => survey.holds_table(element),
        _ => false,
    }
}

fn is_furniture(element: &ElementRef<'_>) -> bool {
    let value = element.value();
    if matches!(
        value.name(),
        "nav"
            | "header"
            | "footer"
            | "aside"
            | "script"
            | "style"
            | "noscript"
            | "select"
            | "button"
            | "iframe"
            | "template"
            | "input"
            | "textarea"
    ) {
        return true;
    }
    // `attrs()` compares names as text: `attr("class")` would look up an atom each call.
    let (mut class, mut id) = ("", "");
    for (name, v) in value.attrs() {
        match name {
            "class" => class = v,
            "id" => id = v,
            _ => {}
        }
    }
    if class.is_empty() && id.is_empty() {
        return false;
    }
    // The fragments are lowercase ASCII without spaces, so each attribute is searched on
    // its own, case aside, without building a lowercased copy.
    let holds = |text: &str, fragment: &str| {
        text.as_bytes()
            .windows(fragment.len())
            .any(|w| w.eq_ignore_ascii_case(fragment.as_bytes()))
    };
    FURNITURE.iter().any(|f| holds(class, f) || holds(id, f))
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "section"
            | "article"
            | "blockquote"
            | "pre"
            | "center"
            | "dd"
            | "dt"
            | "dl"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "hr"
            | "address"
            | "figure"
            | "figcaption"
            | "main"
            | "body"
            | "tbody"
            | "thead"
            | "tfoot"
    )
}

fn push_paragraph(blocks: &mut Vec<Block>, line: &str) {
    let text = line.trim_matches(is_trim_char);
    if !text.is_empty() {
        blocks.push(Block::Paragraph(text.to_string()));
    }
}

/// Appends HTML text with its whitespace collapsed (a no-break space is kept as a space).
fn push_text(line: &mut String, text: &str) {
    // Runs between spaces are copied whole; each run of spaces becomes one. Spaces are
    // found on the bytes: ASCII whitespace, or C2 A0 (a UTF-8 C2 byte always leads).
    let bytes = text.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    let mut space_before = false;
    while i < bytes.len() {
        let width = match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0C => 1,
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => 2,
            _ => {
                i += 1;
                continue;
            }
        };
        push_run(
            line,
            text.get(run_start..i).unwrap_or_default(),
            space_before,
        );
        space_before = true;
        i += width;
        run_start = i;
    }
    push_run(
        line,
        text.get(run_start..).unwrap_or_default(),
        space_before,
    );
}

/// One run of [`push_text`]: after a space (one is written unless the line is empty or
/// ends with one), then the run's text.
fn push_run(line: &mut String, run: &str, after_space: bool) {
    if after_space && !line.is_empty() && !line.ends_with(' ') {
        line.push(' ');
    }
    line.push_str(run);
}

/// Reads an element's content into paragraphs and tables.
struct Walker<'s> {
    survey: &'s Survey<'s>,
    blocks: Vec<Block>,
    line: String,
    diagnostics: Vec<String>,
    too_deep: bool,
}

impl<'s> Walker<'s> {
    fn new(survey: &'s Survey<'s>) -> Walker<'s> {
        Walker {
            survey,
            blocks: Vec::new(),
            line: String::new(),
            diagnostics: Vec::new(),
            too_deep: false,
        }
    }

    fn flush(&mut self) {
        push_paragraph(&mut self.blocks, &self.line);
        self.line.clear();
    }

    fn walk(&mut self, element: ElementRef<'_>, depth: usize) {
        if depth > MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.diagnostics.push(format!(
                    "limit: content nested deeper than {MAX_DEPTH} elements dropped"
                ));
            }
            return;
        }
        for child in element.children() {
            match child.value() {
                Node::Text(text) => push_text(&mut self.line, text),
                Node::Element(e) => {
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let name = e.name();
                    if is_furniture(&child) {
                        continue;
                    }
                    if name == "br" {
                        self.flush();
                    } else if name == "sup" {
                        // A footnote marker (`48<sup>1</sup>`) never joins a figure's digits.
                        self.line.push('^');
                        self.walk(child, depth + 1);
                    } else if name == "table" && !self.survey.holds_table(child) {
                        self.flush();
                        let (table, truncated) = read_table(child, self.survey);
                        if truncated {
                            self.diagnostics.push(TABLE_CUT.into());
                        }
                        if !table.rows.is_empty() {
                            self.blocks.push(Block::Table(table));
                        }
                    } else if is_block(name) || name == "table" {
                        self.flush();
                        self.walk(child, depth + 1);
                        self.flush();
                    } else {
                        self.walk(child, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }
}

fn span_attr(cell: ElementRef<'_>, name: &str) -> usize {
    cell.value()
        .attrs()
        .find(|(n, _)| *n == name)
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .filter(|&v| v > 0)
        .unwrap_or(1)
}

fn read_table(table: ElementRef<'_>, survey: &Survey<'_>) -> (crate::Table, bool) {
    let mut builder = TableBuilder::new();
    let rows = table
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "tr");
    for row in rows {
        builder.start_row();
        for cell in row
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| matches!(e.value().name(), "td" | "th"))
        {
            builder.push_cell(
                cell_text(cell, survey),
                span_attr(cell, "rowspan"),
                span_attr(cell, "colspan"),
            );
        }
        builder.end_row();
    }
    builder.finish()
}

/// A cell's text, `<p>`, `<div>` and `<br>` read as line breaks.
fn cell_text(cell: ElementRef<'_>, survey: &Survey<'_>) -> String {
    if let Some(text) = lone_text(cell) {
        // What the walk below makes of it: one paragraph, or none.
        let mut line = String::with_capacity(text.len());
        push_text(&mut line, text);
        let trimmed = line.trim_matches(is_trim_char);
        // Most cells have nothing to trim: the line is the text, not copied again.
        return if trimmed.len() == line.len() {
            line
        } else {
            trimmed.to_string()
        };
    }
    let mut walker = Walker::new(survey);
    walker.walk(cell, 0);
    walker.flush();
    let mut paragraphs = walker.blocks.into_iter().filter_map(|b| match b {
        Block::Paragraph(p) => Some(p),
        Block::Table(_) => None,
    });
    // Most cells are one paragraph, which is the text as it is.
    let first = paragraphs.next().unwrap_or_default();
    paragraphs.fold(first, |mut text, p| {
        text.push('\n');
        text.push_str(&p);
        text
    })
}

/// The text of a cell that holds one text node, alone or inside a chain of single
/// elements (`<td><p><span>12</span></p></td>`) none of which is a break, a table or
/// furniture: most cells, read without a walk.
fn lone_text<'a>(cell: ElementRef<'a>) -> Option<&'a str> {
    let mut node = *cell;
    for _ in 0..MAX_DEPTH {
        let only = node.first_child()?;
        if only.next_sibling().is_some() {
            return None;
        }
        match only.value() {
            Node::Text(text) => return Some(text),
            Node::Element(e) => {
                let element = ElementRef::wrap(only)?;
                if matches!(e.name(), "br" | "table" | "sup") || is_furniture(&element) {
                    return None;
                }
            }
            _ => return None,
        }
        node = only;
    }
    None
}

/// The page's own metadata: TRS `<meta>` tags, then labelled fields outside the article
/// (`发布机构：…` in one text, or a label cell followed by its value).
fn page_metadata(survey: &Survey<'_>, article: Option<ElementRef<'_>>) -> Vec<(String, String)> {
    let mut meta: Vec<(String, String)> = Vec::new();
    let add = |key: &str, value: &str, meta: &mut Vec<(String, String)>| {
        let value = value.trim_matches(is_trim_char);
        if !value.is_empty() && !meta.iter().any(|(k, _)| k == key) {
            meta.push((key.to_string(), value.to_string()));
        }
    };
    for (name, content) in &survey.meta {
        if let Some((_, key)) = META_TAGS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            add(key, content, &mut meta);
        }
    }
    // The text pieces outside the article.
    let (start, end) = article.map_or((0, 0), |a| survey.seen(a).chunks);
    let before = survey.chunks.get(..start).unwrap_or_default();
    let after = survey.chunks.get(end..).unwrap_or_default();
    let chunks: Vec<&str> = before.iter().chain(after).copied().collect();
    for (i, chunk) in chunks.iter().enumerate() {
        // Only a piece that starts like a label can be one (most are not).
        let Some(first) = chunk.chars().find(|c| !is_trim_char(*c)) else {
            continue;
        };
        if !FIELD_LABELS.iter().any(|l| l.starts_with(first)) {
            continue;
        }
        let compact: String = chunk.chars().filter(|c| !is_trim_char(*c)).collect();
        for label in FIELD_LABELS {
            let Some(rest) = compact.strip_prefix(label) else {
                continue;
            };
            // `发布机构：X`, or the label alone with its value in the next piece.
            let value = match rest.strip_prefix(['：', ':']) {
                Some(value) => value,
                None if rest.is_empty() => rest,
                None => continue,
            };
            if value.is_empty() {
                if let Some(next) = chunks.get(i + 1) {
                    add(label, next, &mut meta);
                }
            } else {
                let original = chunk.split_once(['：', ':']).map_or("", |(_, v)| v);
                add(label, field_value(original), &mut meta);
            }
            break;
        }
    }
    if let Some(title) = &survey.title {
        // As printed (`报告标题_栏目_站点`): which part names the report, extraction reads.
        add(PAGE_TITLE, title, &mut meta);
    }
    if let Some(heading) = &survey.heading {
        add(PAGE_HEADING, heading, &mut meta);
    }
    meta
}

/// A field's value on a line that may go on with other fields (`来源：X  时间：Y`,
/// `发布机构：X　发布时间：Y　【字体：大 中 小】`): it ends at a wide gap (two spaces, an
/// ideographic space, a tab) or where another field's label starts.
fn field_value(line: &str) -> &str {
    let gap = ["  ", "\u{3000}", "\t", "\u{a0}\u{a0}"]
        .iter()
        .filter_map(|g| {
            line.trim_start()
                .find(g)
                .map(|i| i + line.len() - line.trim_start().len())
        })
        .filter(|i| *i > 0);
    let next_label = FIELD_LABELS.iter().filter_map(|label| {
        line.match_indices(label)
            .map(|(i, _)| i)
            .find(|i| *i > 0 && line[i + label.len()..].starts_with(['：', ':']))
    });
    let end = gap.chain(next_label).min().unwrap_or(line.len());
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_value_ends_where_the_next_field_starts() {
        for (line, value) in [
            (
                "望城区教育局　发布时间：2024-01-26　【字体：大 中 小】",
                "望城区教育局",
            ),
            ("北街街道  发布日期：2025-01-23", "北街街道"),
            ("区财政局发布时间：2024-01-26", "区财政局"),
            ("平潭综合实验区管委会办公室", "平潭综合实验区管委会办公室"),
        ] {
            assert_eq!(field_value(line), value, "{line}");
        }
    }

    #[test]
    fn a_superscript_in_a_cell_is_marked_apart_from_the_figure() {
        let html = "<table><tr><td>一、本年新收</td><td>48<sup>1</sup></td><td><sup>2</sup></td></tr></table>";
        let doc = read_html(html.as_bytes(), None).expect("readable");
        let table = doc.tables().next().expect("a table");
        let texts: Vec<&str> = table.rows[0].texts().collect();
        assert_eq!(texts, ["一、本年新收", "48^1", "^2"]);
    }

    #[test]
    fn text_runs_collapse_their_spaces() {
        for (before, text, after) in [
            ("", "  一、 总体\u{A0}\u{A0}情况 ", "一、 总体 情况 "),
            ("前", "\n\t后", "前 后"),
            ("前 ", " 后", "前 后"),
            ("", "", ""),
            ("a", "b", "ab"),
            ("", "\u{A0}", ""),
            ("x", "\x0B\r\x0C\u{3000}y\u{C2}", "x\x0B \u{3000}y\u{C2}"),
            ("", "ä\u{A0}é", "ä é"),
        ] {
            let mut line = before.to_string();
            push_text(&mut line, text);
            assert_eq!(line, after, "{before:?} + {text:?}");
        }
    }

    #[test]
    fn visible_characters_are_counted_as_char_is_whitespace_says() {
        let mut every_kind = String::from("政府信息公开 2024年\t\n 、。「」（一）ａｂ");
        for c in (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
        {
            every_kind.push(c);
            every_kind.push('字');
        }
        // Neighbours of the whitespace sequences that are not whitespace.
        every_kind.push_str("\u{0084}\u{00A1}\u{1681}\u{200B}\u{2030}\u{205E}\u{3001}\u{2E80}");
        let expected = every_kind.chars().filter(|c| !c.is_whitespace()).count();
        assert_eq!(visible_chars(&every_kind), expected);
    }

    fn texts(doc: &Document) -> Vec<Vec<Vec<String>>> {
        doc.tables()
            .map(|t| {
                t.rows
                    .iter()
                    .map(|r| {
                        r.cells
                            .iter()
                            .map(|c| format!("{}@{}", c.text, c.col))
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn charset_from_meta_server_and_bytes() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>北宫镇</p></body></html>";
        let (gbk, _, _) = GB18030.encode(page);
        let (decoded, diagnostics) = decode_html(&gbk, None);
        assert_eq!(decoded.encoding, "gb18030");
        assert!(decoded.text.contains("北宫镇"));
        assert!(diagnostics.is_empty());
        // Declared UTF-8, really GBK: detected, with a diagnostic.
        let lying = page.replace("gb2312", "utf-8");
        let (bytes, _, _) = GB18030.encode(&lying);
        let (decoded, diagnostics) = decode_html(&bytes, None);
        assert!(decoded.text.contains("北宫镇"), "{}", decoded.text);
        assert_eq!(diagnostics.len(), 1);
        // No declaration at all.
        let bare =
            "<html><body><p>北京市丰台区北宫镇人民政府政府信息公开工作年度报告</p></body></html>";
        let (bytes, _, _) = GB18030.encode(bare);
        assert!(decode_html(&bytes, None).0.text.contains("北宫镇人民政府"));
        // The server's charset wins over none.
        assert_eq!(decode_html(&bytes, Some("GBK")).0.encoding, "gb18030");
    }

    #[test]
    fn spans_breaks_and_paragraphs_in_cells() {
        let page = r#"<html><body><div class="TRS_Editor">
            <p>一、总体情况&nbsp;</p><p>正文<br>第二行</p>
            <table><tr><td rowspan="2" colspan="2">角</td><td>商业<p>企业</p></td></tr>
            <tr><td>结果<br/>纠正</td></tr><tr><td>&nbsp;</td><td>1</td><td>2</td></tr></table>
            </div></body></html>"#;
        let doc = read_html(page.as_bytes(), None).unwrap();
        assert_eq!(
            doc.paragraphs().collect::<Vec<_>>(),
            vec!["一、总体情况", "正文", "第二行"]
        );
        assert_eq!(
            texts(&doc),
            vec![vec![
                vec!["角@0".to_string(), "商业\n企业@2".into()],
                vec!["结果\n纠正@2".into()],
                vec!["@0".into(), "1@1".into(), "2@2".into()],
            ]]
        );
    }

    #[test]
    fn the_article_is_found_among_furniture() {
        let page = r#"<html><body>
            <div class="nav"><a href="/">首页</a><a href="/a">政务公开</a><a href="/b">政府信息公开年报</a></div>
            <div class="breadcrumb">当前位置：首页 &gt; 政务公开</div>
            <table><tr><td>发布机构：</td><td>北宫镇人民政府</td><td>发布日期：2025-01-20</td></tr></table>
            <div class="main"><div class="left"><ul><li><a href="/x">相关链接一</a></li></ul></div>
              <div class="text"><p>一、总体情况</p><p>本镇主动公开政府信息，坚持以公开为常态、不公开为例外，依法依规做好公开工作。</p>
              <p>二、主动公开政府信息情况</p><p>全年主动公开信息2600余条，涵盖重点领域和民生事项。</p></div></div>
            <div class="footer">主办单位：某某区人民政府 版权所有</div></body></html>"#;
        let doc = read_html(page.as_bytes(), None).unwrap();
        let paragraphs: Vec<&str> = doc.paragraphs().collect();
        assert_eq!(paragraphs[0], "一、总体情况");
        assert!(
            !paragraphs
                .iter()
                .any(|p| p.contains("首页") || p.contains("主办单位") || p.contains("相关链接")),
            "{paragraphs:?}"
        );
        assert_eq!(doc.meta("发布机构"), Some("北宫镇人民政府"));
        assert_eq!(doc.meta("发布日期"), Some("2025-01-20"));
    }

    #[test]
    fn layout_tables_are_read_as_blocks() {
        let page = r#"<html><body><table><tr><td><p>一、总体情况</p><p>正文一段足够长的文字，说明本年度政府信息公开工作的总体情况。</p>
            <table><tr><td>规章</td><td>0</td></tr></table></td></tr></table></body></html>"#;
        let doc = read_html(page.as_bytes(), None).unwrap();
        assert_eq!(doc.tables().count(), 1);
        assert_eq!(doc.paragraphs().next(), Some("一、总体情况"));
    }
}
