//! The crawler's link, pagination and list discovery on arbitrary pages: no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use nianbao_crawl::discover;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let page = url::Url::parse("http://www.example.gov.cn/zwgk/ndbg/index.html").unwrap();
    let html = scraper::Html::parse_document(&text);
    let links = discover::page_links(&html, &page);
    let _ = discover::page_title(&html);
    let _ = discover::pagination(&text, &page, &links);
    let _ = discover::hanweb_jpage(&text, &page);
    let _ = discover::record_links(&text, &page);
    let _ = discover::challenge(200, data);
    let _ = discover::soft_404(data);
    for link in &links {
        let _ = discover::is_navigation(link);
        let _ = discover::is_sub_column(link);
        let _ = discover::attachment_extension(&link.url);
        let _ = discover::report_year(link.label());
    }
});
