//! The generated layout flattens exactly as the seed page does.

use nianbao_model::Template;
use nianbao_testkit::{applications_grid, flatten, review_grid, Noise, Truth};

#[test]
fn flattened_application_header_matches_the_seed() {
    let truth = Truth::random(1, Template::T2021, Noise::default());
    let rows = flatten(&applications_grid(&truth));
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../corpus/beigong-2024.txt"
    ))
    .unwrap();
    // The seed's header rows and the first rows' label cells, as tab lines.
    let as_lines = |row: &[String], n: usize| {
        row.iter()
            .take(n)
            .map(|c| format!("\t{c}\n"))
            .collect::<String>()
    };
    for (i, cells) in [(0, 2), (1, 4), (2, 8)] {
        assert_eq!(rows[i].len(), cells, "row {i}: {:?}", rows[i]);
        assert!(
            seed.contains(&as_lines(&rows[i], cells)),
            "row {i}: {:?}",
            rows[i]
        );
    }
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(rows[5][..2], s(&["三、本年度办理结果", "（一）予以公开"]));
    assert_eq!(rows[6][0], "");
    assert_eq!(rows[7][..3], s(&["", "（三）不予公开", "1.属于国家秘密"]));
    assert_eq!(rows[8][..3], s(&["", "", "2.其他法律行政法规禁止公开"]));
    let review = flatten(&review_grid(&truth));
    assert_eq!(review[2].iter().filter(|c| c.is_empty()).count(), 5);
    assert_eq!(review[3].len(), 15);
}
