//! HTML reader: page bytes in any encoding → Document → Report, no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = nianbao_read::read_html(data, None) {
        let _ = nianbao_extract::extract(&doc);
    }
});
