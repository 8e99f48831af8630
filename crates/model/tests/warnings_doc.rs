//! `docs/warnings.md` lists every warning code with its meaning, as `WarningCode::ALL`
//! says them: a code added, renamed or explained otherwise fails here until the document
//! says so too.

use nianbao_model::WarningCode;

const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/warnings.md");

/// The table the document must hold, one row per code in `ALL` order.
fn expected_table() -> String {
    let mut table = String::from("| code | meaning |\n|---|---|\n");
    for code in WarningCode::ALL {
        // A `|` inside a cell would end it.
        let meaning = code.meaning().replace('|', "\\|");
        table.push_str(&format!("| `{}` | {meaning} |\n", code.key()));
    }
    table
}

/// The document's table: its lines that start with `|`.
fn documented_table(doc: &str) -> String {
    doc.lines()
        .filter(|line| line.starts_with('|'))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn the_document_lists_every_code_with_its_meaning() {
    let doc = std::fs::read_to_string(DOC).unwrap_or_else(|e| panic!("{DOC}: {e}"));
    let expected = expected_table();
    assert!(
        documented_table(&doc) == expected,
        "docs/warnings.md differs from WarningCode::ALL; its table should be:\n\n{expected}"
    );
}
