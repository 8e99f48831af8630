//! Property: any generated report (any seed, both templates, with the noise real sites
//! print), rendered in any format, extracts to exactly its truth. The seeded loops in
//! `generated.rs` cover fixed seeds; here proptest draws them and shrinks a failure to
//! its smallest seed.

mod common;

use common::{assert_matches_truth, assert_metadata_matches_truth};
use nianbao_extract::extract;
use nianbao_model::Template;
use nianbao_read::read;
use nianbao_testkit::{render, Noise, Rendering, Truth};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_generated_report_in_any_format_extracts_to_its_truth(
        seed in any::<u64>(),
        t2021 in any::<bool>(),
        rendering in 0usize..Rendering::ALL.len(),
    ) {
        let template = if t2021 { Template::T2021 } else { Template::T2019 };
        let rendering = Rendering::ALL[rendering];
        let truth = Truth::random(seed, template, Noise::ALL);
        let bytes = render(&truth, rendering, seed);
        let doc = read(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let report = extract(&doc);
        let context = format!("{rendering:?} {template:?} seed {seed}");
        assert_matches_truth(&report, &truth, &context);
        assert_metadata_matches_truth(&report, &truth, &context);
    }
}
