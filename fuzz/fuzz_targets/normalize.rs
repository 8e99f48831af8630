//! Label and number normalisers: no panic, and normalising twice changes nothing.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nianbao_model::{normalize_label, parse_figure, strip_numbering, to_halfwidth};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let half = to_halfwidth(s);
    assert_eq!(to_halfwidth(&half), half);
    let label = normalize_label(s);
    assert_eq!(normalize_label(&label), label);
    let _ = strip_numbering(&label);
    if let Ok(n) = parse_figure(s) {
        // A figure read back from its own value reads the same.
        let again = parse_figure(&n.value.to_string()).expect("a value parses");
        assert_eq!(again.value, n.value);
    }
});
