//! Hostile or broken pages never panic the discovery functions or the manifest reader.

use nianbao_crawl::discover::{
    challenge, hanweb_jpage, page_links, pagination, record_links, soft_404,
};
use nianbao_crawl::store::Manifest;
use nianbao_model::Template;
use nianbao_testkit::{render, Noise, PageEncoding, Rendering, Rng, Truth};
use url::Url;

fn mangled_pages() -> Vec<String> {
    let mut rng = Rng::new(11);
    let mut pages = vec![
        String::new(),
        "<a href=".into(),
        "<a href=\"http://[::1\">x</a>".into(),
        "<base href=\"javascript:alert(1)\"><a href=\"a\">下一页</a>".into(),
        "createPageHTML(99999999999999999999, 0, \"index\", \"html\")".into(),
        "var countPage = 4000000000;".into(),
        "<record><![CDATA[<li><a href=\"".into(),
        "dataproxy.jsp columnid=' webid=".into(),
        "/module/web/jpage/dataproxy.jsp?columnid=1&unitid=".into(),
    ];
    for seed in 0..120u64 {
        let truth = Truth::random(seed, Template::T2021, Noise::ALL);
        let mut bytes = render(&truth, Rendering::Html(PageEncoding::Utf8), seed);
        for _ in 0..rng.range(1, 40) {
            let at = rng.range(0, bytes.len() as u64 - 1) as usize;
            bytes[at] = b"<>\"'&=/?#%[]{}.:;\n "[rng.range(0, 18) as usize];
        }
        let cut = rng.range(0, bytes.len() as u64) as usize;
        bytes.truncate(cut);
        pages.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    pages
}

#[test]
fn discovery_never_panics_on_broken_pages() {
    let base = Url::parse("http://127.0.0.1:8080/zwgk/ndbg/index.html").unwrap();
    for page in mangled_pages() {
        let html = scraper::Html::parse_document(&page);
        let links = page_links(&html, &base);
        let pages = pagination(&page, &base, &links);
        assert!(pages.len() <= 500 + links.len(), "pagination is bounded");
        let _ = record_links(&page, &base);
        let _ = hanweb_jpage(&page, &base);
        let _ = challenge(200, page.as_bytes());
        let _ = soft_404(page.as_bytes());
    }
}

#[test]
fn a_manifest_of_junk_loads_what_it_can() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(3);
    let mut junk = String::new();
    for _ in 0..200 {
        let len = rng.range(0, 80) as usize;
        let line: String = (0..len)
            .map(|_| char::from(b"{}[]\":,0123456789abcurlrun \\"[rng.range(0, 27) as usize]))
            .collect();
        junk.push_str(&line);
        junk.push('\n');
    }
    junk.push_str("{\"run\":1,\"url\":\"http://x/\",\"at\":\"t\",\"kind\":\"report\",\"outcome\":\"fetched\",\"path\":\"objects/a.html\"}\n");
    std::fs::write(dir.path().join("manifest.jsonl"), junk).unwrap();
    let manifest = Manifest::load(dir.path()).unwrap();
    assert_eq!(manifest.current_documents().len(), 1);
    assert!(manifest.skipped_lines > 0);
}
