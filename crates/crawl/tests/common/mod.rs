//! Helpers shared by the crawl tests.

use std::collections::HashMap;

use nianbao_crawl::store::{Manifest, Record};

/// The latest record of each URL in a corpus' manifest.
pub fn latest(corpus: &std::path::Path) -> HashMap<String, Record> {
    let manifest = Manifest::load(corpus).unwrap();
    manifest
        .latest()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

// Not every test file serves scripted answers.
#[allow(dead_code)]
pub mod server;
