//! The grid builder under arbitrary rows, spans and column skips: no panic, and never
//! more cells than the cap or spans past the bound.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nianbao_read::{TableBuilder, MAX_SPAN, MAX_TABLE_CELLS};

fuzz_target!(|data: &[u8]| {
    let mut builder = TableBuilder::new();
    let mut ops = data.chunks_exact(3);
    for op in &mut ops {
        let span = |b: u8| match b {
            0xFF => usize::MAX,
            0xFE => 0,
            b => usize::from(b % 40),
        };
        match op[0] % 4 {
            0 => builder.start_row(),
            1 => builder.push_cell("x", span(op[1]), span(op[2])),
            2 => builder.skip_to_column(usize::from(op[1]) * 300),
            _ => {
                builder.continue_cell("y");
            }
        }
    }
    let (table, _) = builder.finish();
    let cells: usize = table.rows.iter().map(|r| r.cells.len()).sum();
    assert!(cells <= MAX_TABLE_CELLS);
    for cell in table.rows.iter().flat_map(|r| &r.cells) {
        assert!(cell.row_span <= MAX_SPAN && cell.col_span <= MAX_SPAN);
    }
});
