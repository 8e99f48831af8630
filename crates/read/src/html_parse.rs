//! Parses a page into scraper's tree within bounds: elements, table cells and nesting are
//! counted as the tree is built, tags as the page is fed to the parser, and parsing stops
//! soon after the first bound is hit.
//!
//! The HTML parser itself has no bounds: a page nested 200,000 deep costs it minutes
//! (each start tag searches the stack of open elements), a million cells half a gigabyte,
//! millions of stray end tags below a deep stack seconds (each searches the stack too).
//! Counting the tree as it is built (rather than guessing from the bytes) sees what the
//! parser really makes of the page: implied elements, comments, reopened formatting
//! elements, template contents. Tags are counted on the bytes: stray end tags build
//! nothing.

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};

use ego_tree::NodeId;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{driver, Attribute, QualName};
use scraper::{Html, HtmlTreeSink};

use crate::document::MAX_DOCUMENT_CELLS;
use crate::html::node_index;
use crate::ReadError;

/// Most elements (comments included) one page may have: a report page has a few thousand.
pub const MAX_HTML_ELEMENTS: usize = 200_000;
/// Most tags (start and end tags, comments, doctypes) one page may have: a report page
/// has a few thousand. Bounds the parser's work on tags that build nothing, each of which
/// may search the whole stack of open elements (at most [`MAX_HTML_DEPTH`] deep).
pub const MAX_HTML_TAGS: usize = 200_000;
/// Deepest element nesting accepted, counted from the document (`<html>` is 1): report
/// pages nest a few dozen deep.
pub const MAX_HTML_DEPTH: usize = 512;

/// Text fed to the parser between checks of the bounds: past a bound it does at most
/// this much more work.
const CHUNK_BYTES: usize = 16 * 1024;

/// Parses a page, or says which bound it exceeds.
pub(crate) fn parse_bounded(text: &str) -> Result<Html, ReadError> {
    let sink = BoundedSink {
        inner: HtmlTreeSink::new(Html::new_document()),
        depths: RefCell::new(Vec::new()),
        elements: Cell::new(0),
        cells: Cell::new(0),
        exceeded: Cell::new(None),
    };
    let mut parser = driver::parse_document(sink, Default::default());
    let mut tags = 0;
    let mut fed = 0;
    for chunk in chunks(text, CHUNK_BYTES) {
        tags += count_tags(text.as_bytes(), fed, chunk.len());
        if tags > MAX_HTML_TAGS {
            return Err(ReadError::LimitExceeded(format!(
                "HTML page has more than {MAX_HTML_TAGS} tags"
            )));
        }
        fed += chunk.len();
        parser.process(StrTendril::from_slice(chunk));
        if let Some(bound) = parser.tokenizer.sink.sink.exceeded.get() {
            return Err(ReadError::LimitExceeded(bound.reason()));
        }
    }
    parser
        .finish()
        .map_err(|bound| ReadError::LimitExceeded(bound.reason()))
}

/// Tags starting in `bytes[start..start + len]`: a `<` followed by a letter, `/`, `!` or
/// `?`, as the tokenizer reads them (the next byte may be past the range). Counts a few
/// that are text in scripts: harmless at this bound.
fn count_tags(bytes: &[u8], start: usize, len: usize) -> usize {
    memchr::memchr_iter(b'<', &bytes[start..start + len])
        .filter(|&i| {
            matches!(
                bytes.get(start + i + 1),
                Some(b'a'..=b'z' | b'A'..=b'Z' | b'/' | b'!' | b'?')
            )
        })
        .count()
}

/// `text` in pieces of about `size` bytes, cut between characters.
fn chunks(text: &str, size: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = size.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (chunk, after) = rest.split_at(end);
        rest = after;
        Some(chunk)
    })
}

#[derive(Clone, Copy, Debug)]
enum Bound {
    Elements,
    Cells,
    Depth,
}

impl Bound {
    fn reason(self) -> String {
        match self {
            Bound::Elements => format!("HTML page has more than {MAX_HTML_ELEMENTS} elements"),
            Bound::Cells => format!("HTML page has more than {MAX_DOCUMENT_CELLS} table cells"),
            Bound::Depth => format!("HTML elements nested deeper than {MAX_HTML_DEPTH}"),
        }
    }
}

/// scraper's tree sink, counting what is built.
struct BoundedSink {
    inner: HtmlTreeSink,
    /// Each node's depth by [`node_index`]. Nodes moved with their parent (the rare
    /// reparenting of misnested markup) keep their old depth: close enough for a bound.
    depths: RefCell<Vec<u32>>,
    elements: Cell<usize>,
    cells: Cell<usize>,
    /// The first bound exceeded.
    exceeded: Cell<Option<Bound>>,
}

impl BoundedSink {
    fn exceed(&self, bound: Bound) {
        if self.exceeded.get().is_none() {
            self.exceeded.set(Some(bound));
        }
    }

    fn count_node(&self) {
        self.elements.set(self.elements.get() + 1);
        if self.elements.get() > MAX_HTML_ELEMENTS {
            self.exceed(Bound::Elements);
        }
    }

    fn depth(&self, node: NodeId) -> usize {
        let depths = self.depths.borrow();
        depths.get(node_index(node)).map_or(0, |&d| d as usize)
    }

    fn set_depth(&self, node: NodeId, depth: usize) {
        if depth > MAX_HTML_DEPTH {
            self.exceed(Bound::Depth);
        }
        let at = node_index(node);
        let mut depths = self.depths.borrow_mut();
        if at >= depths.len() {
            depths.resize(at + 1, 0);
        }
        depths[at] = u32::try_from(depth).unwrap_or(u32::MAX);
    }

    fn has_parent(&self, node: NodeId) -> bool {
        let html = self.inner.0.borrow();
        html.tree.get(node).is_some_and(|n| n.parent().is_some())
    }
}

impl TreeSink for BoundedSink {
    type Output = Result<Html, Bound>;
    type Handle = NodeId;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Self::Output {
        match self.exceeded.get() {
            Some(bound) => Err(bound),
            None => Ok(self.inner.finish()),
        }
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg);
    }

    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        self.inner.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.count_node();
        if matches!(&*name.local, "td" | "th") {
            self.cells.set(self.cells.get() + 1);
            if self.cells.get() > MAX_DOCUMENT_CELLS {
                self.exceed(Bound::Cells);
            }
        }
        self.inner.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        // Comments cost a node each, like elements, and split text into nodes.
        self.count_node();
        self.inner.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.count_node();
        self.inner.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        if let NodeOrText::AppendNode(node) = &child {
            self.set_depth(*node, self.depth(*parent) + 1);
        }
        self.inner.append(parent, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        // As scraper's sink does, but through the counting `append`s.
        if self.has_parent(*element) {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id);
    }

    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node);
    }

    fn pop(&self, node: &NodeId) {
        self.inner.pop(node);
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        let contents = self.inner.get_template_contents(target);
        // Template contents sit below the template: nesting templates nests deeper.
        self.set_depth(contents, self.depth(*target) + 1);
        contents
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode);
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        if let NodeOrText::AppendNode(node) = &new_node {
            self.set_depth(*node, self.depth(*sibling));
        }
        self.inner.append_before_sibling(sibling, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs);
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cut_between_characters_and_keep_every_byte() {
        let text = "一、总体情况abc".repeat(5);
        for size in 1..8 {
            let pieces: Vec<&str> = chunks(&text, size).collect();
            assert_eq!(pieces.concat(), text);
            assert!(pieces.iter().all(|p| !p.is_empty()));
        }
    }

    #[test]
    fn tags_are_counted_across_chunk_edges() {
        let page = b"<p>a < b</p><!-- c --><?x><3";
        assert_eq!(count_tags(page, 0, page.len()), 4);
        // A tag cut after its `<` counts in the chunk holding the `<`.
        assert_eq!(
            count_tags(page, 0, 1) + count_tags(page, 1, page.len() - 1),
            4
        );
    }

    #[test]
    fn a_page_parses_as_scraper_parses_it_whatever_the_chunks() {
        let row =
            "<tr>\r\n<td rowspan=2>一、总体情况</td><td>&nbsp;1,549&amp;</td><!-- 注 --></tr>";
        let page = format!(
            "<!DOCTYPE html><html><head><title>年报</title><script>if (a<b) {{}}</script></head>\
             <body><div class=\"TRS_Editor\"><p>正文<b>粗<p>体</b><table>{}</table></div></body></html>",
            row.repeat(2_000)
        );
        let bounded = parse_bounded(&page).expect("within the bounds");
        assert_eq!(bounded.html(), Html::parse_document(&page).html());
    }
}
