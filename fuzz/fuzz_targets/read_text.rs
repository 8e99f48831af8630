//! Text reader and extractor: any bytes (any encoding) → Document → Report, no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = nianbao_read::decode_text(data) {
        let doc = nianbao_read::read_text(&decoded.text, decoded.encoding);
        let _ = nianbao_extract::extract(&doc);
    }
});
