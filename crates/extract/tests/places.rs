//! Every county and a sample of townships of the official division list, printed as the
//! bodies that publish reports name themselves (with or without the places above), parse
//! into the places of their chain and resolve to their own code.

use std::collections::HashMap;

use nianbao_extract::parse_places;
use nianbao_model::Level;

struct Division {
    code: String,
    name: String,
    level: String,
}

fn divisions() -> Vec<Division> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../divisions/data/divisions-2023.csv"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            Division {
                code: f[0].to_string(),
                name: f[1].to_string(),
                level: f[2].to_string(),
            }
        })
        .collect()
}

/// The bodies a place's chain prints, with the places the parse must find.
fn bodies(chain: &[&Division]) -> Vec<(String, [String; 4], Level)> {
    let names: Vec<&str> = chain.iter().map(|d| d.name.as_str()).collect();
    let mut places: [String; 4] = Default::default();
    for d in chain {
        let slot = match d.level.as_str() {
            "province" => 0,
            "city" => 1,
            "county" => 2,
            _ => 3,
        };
        places[slot] = d.name.clone();
    }
    let own = chain.last().unwrap();
    let government = if own.level == "township" && own.name.ends_with("街道") {
        "办事处"
    } else {
        "人民政府"
    };
    let level = match own.level.as_str() {
        "city" => Level::City,
        "county" => Level::County,
        _ => Level::Township,
    };
    let mut out = vec![(
        format!("{}{government}", names.concat()),
        places.clone(),
        level,
    )];
    if own.level != "township" {
        out.push((
            format!("{}财政局", names.concat()),
            places,
            Level::Department,
        ));
    }
    out
}

#[test]
fn every_county_and_sampled_townships_parse_into_their_chain() {
    let all = divisions();
    let by_code: HashMap<&str, &Division> = all.iter().map(|d| (d.code.as_str(), d)).collect();
    let chain_of = |d: &Division| -> Vec<&Division> {
        let mut chain: Vec<&Division> = [2, 4, 6]
            .iter()
            .filter(|&&n| n < d.code.len())
            .filter_map(|&n| by_code.get(&d.code[..n]).copied())
            .collect();
        chain.push(by_code[d.code.as_str()]);
        chain
    };
    let mut wrong = Vec::new();
    let mut tried = 0;
    // Only what governments are: statistical units (farms, parks, zones under a 管委会)
    // publish under other names.
    let ends = |d: &Division, suffixes: &[&str]| suffixes.iter().any(|s| d.name.ends_with(s));
    // Township sample: every 40th, enough to meet every province.
    let townships = all
        .iter()
        .filter(|d| d.level == "township" && ends(d, &["镇", "乡", "街道", "苏木"]))
        .step_by(40);
    let counties = all.iter().filter(|d| {
        d.level == "county"
            && d.name != "市辖区"
            && !d.name.contains("开发区")
            && !d.name.contains("园区")
            && ends(d, &["区", "县", "市", "旗"])
    });
    for d in counties.chain(townships) {
        let chain = chain_of(d);
        // Municipalities print no city: 北京市丰台区.
        // Municipalities print no city (北京市丰台区), nor do counties under their
        // province (湖北省仙桃市).
        let chain: Vec<&Division> = chain
            .into_iter()
            .filter(|c| !["市辖区", "县"].contains(&c.name.as_str()) && !c.name.contains("直辖"))
            .collect();
        for (body, places, level) in bodies(&chain) {
            tried += 1;
            let p = parse_places(&body);
            let got = [p.province, p.city, p.county, p.township];
            let code = nianbao_divisions::resolve(&got[0], &got[1], &got[2], &got[3]).code;
            if got != places || p.level != level || code != d.code {
                wrong.push(format!("{body}: {got:?} {:?} {code}", p.level));
            }
        }
    }
    println!("{} of {tried} bodies parse wrong", wrong.len());
    assert!(
        wrong.is_empty(),
        "{} of {tried}:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
