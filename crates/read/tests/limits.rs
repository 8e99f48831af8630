//! Every bound on what is read from outside, tested at its edge: at the limit the input
//! is read, one past it the reader refuses it (or cuts it) with a reason naming the bound.

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Object, Stream};
use nianbao_read::{
    read, read_docx, ReadError, TableBuilder, LIMIT_PREFIX, MAX_DOCUMENT_BYTES, MAX_DOCUMENT_CELLS,
    MAX_DOCUMENT_PARAGRAPHS, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS, MAX_HTML_TAGS, MAX_MARKUP_BYTES,
    MAX_PAGE_GLYPHS, MAX_PDF_PAGES, MAX_TABLE_CELLS, MAX_XML_DEPTH,
};

#[test]
fn document_bytes() {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(MAX_DOCUMENT_BYTES, b' ');
    let at = read(&bytes).unwrap_err();
    assert!(!matches!(at, ReadError::TooLarge { .. }), "{at}");
    bytes.push(b' ');
    let past = read(&bytes).unwrap_err();
    assert!(matches!(past, ReadError::TooLarge { .. }), "{past}");
    assert!(past.to_string().contains("limit"), "{past}");
}

#[test]
fn text_and_html_bytes() {
    // Long lines, so that the bound on lines is not hit first.
    let line = format!("{}\n", "一、总体情况".repeat(8));
    let mut text = line.repeat(MAX_MARKUP_BYTES / line.len());
    assert!(text.lines().count() < MAX_DOCUMENT_PARAGRAPHS);
    text.push_str(&"x".repeat(MAX_MARKUP_BYTES - text.len()));
    assert_eq!(text.len(), MAX_MARKUP_BYTES);
    assert!(read(text.as_bytes()).is_ok());
    text.push('x');
    assert!(matches!(
        read(text.as_bytes()),
        Err(ReadError::TooLarge { .. })
    ));
}

/// A Word document whose deepest element is `depth` levels down.
fn docx_nested(depth: usize) -> Vec<u8> {
    // w:document, w:body, then w:sdt levels, then w:p, w:r and w:t.
    let sdt = depth - 5;
    docx(&format!(
        "{}<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>{}",
        "<w:sdt>".repeat(sdt),
        "</w:sdt>".repeat(sdt)
    ))
}

/// A Word document whose body is `body`, stored uncompressed (a repetitive body would
/// deflate past the inflation ratio).
fn docx(body: &str) -> Vec<u8> {
    use std::io::Write;
    let xml = format!("<w:document xmlns:w=\"w\"><w:body>{body}</w:body></w:document>");
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    writer.start_file("word/document.xml", stored).unwrap();
    writer.write_all(xml.as_bytes()).unwrap();
    writer.finish().unwrap().into_inner()
}

/// A Word table of `rows` rows of ten cells.
fn docx_table(rows: usize) -> String {
    let cell = "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>";
    format!(
        "<w:tbl>{}</w:tbl>",
        format!("<w:tr>{}</w:tr>", cell.repeat(10)).repeat(rows)
    )
}

#[test]
fn docx_cells() {
    let table = docx_table(MAX_TABLE_CELLS / 10);
    let doc = read_docx(&docx(&format!("{table}{table}"))).unwrap();
    let cells: usize = doc
        .tables()
        .flat_map(|t| &t.rows)
        .map(|r| r.cells.len())
        .sum();
    assert_eq!(cells, MAX_DOCUMENT_CELLS);
    let one_more = "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>";
    let err = read_docx(&docx(&format!("{table}{table}{one_more}"))).unwrap_err();
    let reason = format!("more than {MAX_DOCUMENT_CELLS} table cells");
    assert!(err.to_string().contains(&reason), "{err}");
}

#[test]
fn a_docx_of_a_million_cells_is_refused() {
    let err = read(&docx(&docx_table(100_000))).unwrap_err();
    let reason = format!("more than {MAX_DOCUMENT_CELLS} table cells");
    assert!(err.to_string().contains(&reason), "{err}");
}

#[test]
fn xml_depth() {
    assert!(read_docx(&docx_nested(MAX_XML_DEPTH)).is_ok());
    let err = read_docx(&docx_nested(MAX_XML_DEPTH + 1)).unwrap_err();
    assert!(err.to_string().contains("deeper than"), "{err}");
}

#[test]
fn cells_per_table() {
    let build = |cells: usize| {
        let mut b = TableBuilder::new();
        for i in 0..cells {
            if i % 10 == 0 {
                b.start_row();
            }
            b.push_cell("1", 1, 1);
        }
        b.finish()
    };
    let count = |t: &nianbao_read::Table| t.rows.iter().map(|r| r.cells.len()).sum::<usize>();
    let (table, truncated) = build(MAX_TABLE_CELLS);
    assert!(!truncated);
    assert_eq!(count(&table), MAX_TABLE_CELLS);
    let (table, truncated) = build(MAX_TABLE_CELLS + 1);
    assert!(truncated);
    assert_eq!(count(&table), MAX_TABLE_CELLS);
}

/// A PDF of `pages` pages, each showing `glyphs` letters in a standard font.
fn pdf(pages: usize, glyphs: usize) -> Vec<u8> {
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let text = "a".repeat(glyphs);
    let mut kids: Vec<Object> = Vec::new();
    for _ in 0..pages {
        let content = Content {
            operations: vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 1.into()]),
                Operation::new("Td", vec![10.into(), 800.into()]),
                Operation::new("Tj", vec![Object::string_literal(text.clone())]),
                Operation::new("ET", vec![]),
            ],
        };
        let stream = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => stream,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => pages as i64, "Resources" => resources,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

/// Whether a diagnostic reports a bound that cut the document, naming `what`.
fn says(diagnostics: &[String], what: &str) -> bool {
    diagnostics
        .iter()
        .any(|d| d.starts_with(LIMIT_PREFIX) && d.contains(what))
}

#[test]
fn pdf_pages() {
    let cut = format!("only the first {MAX_PDF_PAGES} read");
    let at = read(&pdf(MAX_PDF_PAGES, 1)).unwrap();
    assert!(!says(&at.diagnostics, &cut), "{:?}", at.diagnostics);
    let past = read(&pdf(MAX_PDF_PAGES + 1, 1)).unwrap();
    assert!(says(&past.diagnostics, &cut), "{:?}", past.diagnostics);
}

#[test]
fn pdf_glyphs_per_page() {
    let cut = "glyphs, the rest not read";
    let at = read(&pdf(1, MAX_PAGE_GLYPHS)).unwrap();
    assert!(!says(&at.diagnostics, cut), "{:?}", at.diagnostics);
    let past = read(&pdf(1, MAX_PAGE_GLYPHS + 1)).unwrap();
    assert!(says(&past.diagnostics, cut), "{:?}", past.diagnostics);
}

#[test]
fn html_nesting_walked() {
    // Depth counts from the article's container: the innermost div is `depth` levels in.
    let page = |depth: usize| {
        format!(
            "<html><body><div class=\"TRS_Editor\"><p>一、总体情况</p>{}深处的文字{}</div></body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        )
    };
    let at = read(page(256).as_bytes()).unwrap();
    assert!(at.paragraphs().any(|p| p.contains("深处的文字")));
    assert!(
        !says(&at.diagnostics, "nested deeper than"),
        "{:?}",
        at.diagnostics
    );
    let past = read(page(257).as_bytes()).unwrap();
    assert!(!past.paragraphs().any(|p| p.contains("深处的文字")));
    assert!(
        says(&past.diagnostics, "nested deeper than 256"),
        "{:?}",
        past.diagnostics
    );
}

/// Reads `page`, expecting it refused with a reason containing `reason`.
fn refused(page: &str, reason: &str) {
    match read(page.as_bytes()) {
        Err(err @ ReadError::LimitExceeded(_)) => {
            assert!(err.to_string().contains(reason), "{err}")
        }
        other => panic!("expected refused for {reason:?}, got {other:?}"),
    }
}

#[test]
fn html_elements() {
    // The parser adds `<html>`, `<head>` and `<body>`; each `<p>` closes the one before, so
    // the page has as many tags as elements (the bound on tags is not hit first).
    let page = |elements: usize| format!("<!DOCTYPE html>{}", "<p>1".repeat(elements - 3));
    let at = read(page(MAX_HTML_ELEMENTS).as_bytes()).unwrap();
    assert_eq!(at.paragraphs().count(), MAX_HTML_ELEMENTS - 3);
    let reason = format!("more than {MAX_HTML_ELEMENTS} elements");
    refused(&page(MAX_HTML_ELEMENTS + 1), &reason);
    // Comments cost a node each, as elements do: four elements and the comments.
    let comments = format!(
        "<!DOCTYPE html><p>1{}",
        "<!---->".repeat(MAX_HTML_ELEMENTS - 3)
    );
    refused(&comments, &reason);
}

#[test]
fn html_tags() {
    // Stray end tags build nothing, but each costs the parser a search of its stack.
    let page = |tags: usize| format!("<!DOCTYPE html><p>1{}", "</x>".repeat(tags - 2));
    assert!(read(page(MAX_HTML_TAGS).as_bytes()).is_ok());
    refused(
        &page(MAX_HTML_TAGS + 1),
        &format!("more than {MAX_HTML_TAGS} tags"),
    );
}

#[test]
fn html_cells() {
    // Two tables of `MAX_TABLE_CELLS` cells each, so neither is cut; cells and rows left
    // unclosed, as old pages do, keep the tags under their own bound.
    let table = format!(
        "<table>{}</table>",
        format!("<tr>{}", "<td>1".repeat(10)).repeat(MAX_TABLE_CELLS / 10)
    );
    assert_eq!(2 * MAX_TABLE_CELLS, MAX_DOCUMENT_CELLS);
    let at = format!("<html><body>{table}{table}</body></html>");
    let doc = read(at.as_bytes()).unwrap();
    let cells: usize = doc
        .tables()
        .flat_map(|t| &t.rows)
        .map(|r| r.cells.len())
        .sum();
    assert_eq!(cells, MAX_DOCUMENT_CELLS);
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
    let past = at.replace("</body>", "<table><tr><th>1</table></body>");
    refused(
        &past,
        &format!("more than {MAX_DOCUMENT_CELLS} table cells"),
    );
}

#[test]
fn html_depth() {
    // `<html>` is 1 deep and `<body>` 2: the innermost div is `depth` deep.
    let page = |depth: usize| {
        format!(
            "<html><body>{}深处的文字{}</body></html>",
            "<div>".repeat(depth - 2),
            "</div>".repeat(depth - 2)
        )
    };
    assert!(read(page(MAX_HTML_DEPTH).as_bytes()).is_ok());
    refused(
        &page(MAX_HTML_DEPTH + 1),
        &format!("nested deeper than {MAX_HTML_DEPTH}"),
    );
}

#[test]
fn a_page_nested_200000_deep_is_refused() {
    // Unbounded, the parser spends minutes on this page (each `<div>` searches the stack).
    let closed = format!(
        "<html><body>{}深处{}</body></html>",
        "<div>".repeat(200_000),
        "</div>".repeat(200_000)
    );
    refused(&closed, &format!("nested deeper than {MAX_HTML_DEPTH}"));
    let unclosed = format!("<html><body>{}", "<span>".repeat(200_000));
    refused(&unclosed, &format!("nested deeper than {MAX_HTML_DEPTH}"));
}

#[test]
fn a_page_of_a_million_cells_is_refused() {
    let reason = format!("more than {MAX_DOCUMENT_CELLS} table cells");
    let one_table = format!(
        "<html><body><table><tr>{}</table>",
        "<td>1".repeat(1_000_000)
    );
    refused(&one_table, &reason);
    // As many one-cell tables as fit under the byte limit: each table is four elements
    // (table, tbody, tr, td), so the element bound is hit first.
    let small_tables = format!(
        "<html><body>{}",
        "<table><td>1</table>".repeat(MAX_MARKUP_BYTES / 21)
    );
    refused(
        &small_tables,
        &format!("more than {MAX_HTML_ELEMENTS} elements"),
    );
}

#[test]
fn text_lines() {
    let text = |lines: usize| "一、总体情况\n".repeat(lines);
    assert!(read(text(MAX_DOCUMENT_PARAGRAPHS).as_bytes()).is_ok());
    let mut past = text(MAX_DOCUMENT_PARAGRAPHS);
    // An unterminated last line counts too.
    past.push('1');
    let err = read(past.as_bytes()).unwrap_err();
    let reason = format!("more than {MAX_DOCUMENT_PARAGRAPHS} lines");
    assert!(err.to_string().contains(&reason), "{err}");
    // Eight million short lines: refused before they are read.
    let err = read("1\n".repeat(MAX_MARKUP_BYTES / 2).as_bytes()).unwrap_err();
    assert!(err.to_string().contains(&reason), "{err}");
}

#[test]
fn docx_paragraphs() {
    let reason = format!("more than {MAX_DOCUMENT_PARAGRAPHS} paragraphs");
    assert!(read_docx(&docx(&"<w:p/>".repeat(MAX_DOCUMENT_PARAGRAPHS))).is_ok());
    let err = read_docx(&docx(&"<w:p/>".repeat(MAX_DOCUMENT_PARAGRAPHS + 1))).unwrap_err();
    assert!(err.to_string().contains(&reason), "{err}");
    // Ten million empty paragraphs used to cost a gigabyte.
    let err = read(&docx(&"<w:p/>".repeat(10_000_000))).unwrap_err();
    assert!(err.to_string().contains(&reason), "{err}");
}
