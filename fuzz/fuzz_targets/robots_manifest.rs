//! robots.txt rules and crawl-manifest lines from arbitrary bytes: no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nianbao_crawl::store::Manifest;
use nianbao_crawl::RobotsRules;

fuzz_target!(|data: &[u8]| {
    if let Ok(rules) = RobotsRules::parse("nianbao", data) {
        let url = url::Url::parse("http://www.example.gov.cn/zwgk/ndbg/2024.html").unwrap();
        let _ = rules.allows(&url);
        assert!(rules.delay.is_none_or(|d| d.as_secs() <= 60));
    }
    let manifest = Manifest::parse(data);
    let _ = manifest.last_run();
    let _ = manifest.current_documents();
});
