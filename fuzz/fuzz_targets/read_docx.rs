//! DOCX reader: zip container and XML → Document → Report, no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = nianbao_read::read_docx(data) {
        let _ = nianbao_extract::extract(&doc);
    }
});
