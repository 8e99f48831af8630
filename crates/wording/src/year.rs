//! Years as reports print them: `2023`, `2023 年`, `二〇二三`, `二零二三`, `二○二三`.

use std::sync::LazyLock;

use regex::Regex;

/// A year's number in a regular expression: four Arabic digits from 1990 to 2099, or four
/// Chinese numerals (〇, ○ and 零 for zero; a stray Arabic 0 too, as typed). Compose it
/// into patterns that need a year, so there is one idea of what a year looks like.
pub const YEAR_NUMBER: &str = r"(?:199\d|20\d{2}|[一二][〇○零0一二三四五六七八九]{3})";

static YEAR_WITH_NIAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"({YEAR_NUMBER})\s*年")).expect("static regex"));

/// The value of a year's number as printed (`2023`, `二〇二三`), if it is one.
pub fn parse_year_number(printed: &str) -> Option<u16> {
    let digits: String = printed
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '〇' | '○' | '零' | 'Ｏ' | '０' => Some('0'),
            '一' | '１' => Some('1'),
            '二' | '２' => Some('2'),
            '三' | '３' => Some('3'),
            '四' | '４' => Some('4'),
            '五' | '５' => Some('5'),
            '六' | '６' => Some('6'),
            '七' | '７' => Some('7'),
            '八' | '８' => Some('8'),
            '九' | '９' => Some('9'),
            d if d.is_ascii_digit() => Some(d),
            _ => None,
        })
        .collect::<Option<String>>()?;
    if digits.len() != 4 {
        return None;
    }
    digits.parse().ok().filter(|y| (1990..2100).contains(y))
}

/// The first year followed by 年 in `text` (`2024 年`, `二〇二一年度`).
pub fn first_year(text: &str) -> Option<u16> {
    YEAR_WITH_NIAN
        .captures_iter(text)
        .find_map(|c| parse_year_number(&c[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_year_form() {
        for (printed, year) in [
            ("2023", 2023),
            ("二〇二三", 2023),
            ("二零二三", 2023),
            ("二○二一", 2021),
            ("二0二二", 2022),
            ("２０２４", 2024),
            ("一九九九", 1999),
        ] {
            assert_eq!(parse_year_number(printed), Some(year), "{printed}");
        }
        assert_eq!(parse_year_number("1850"), None);
        assert_eq!(parse_year_number("二〇二"), None);
    }

    #[test]
    fn first_year_needs_nian() {
        assert_eq!(first_year("北宫镇2024 年政府信息公开"), Some(2024));
        assert_eq!(first_year("二〇二一年度报告"), Some(2021));
        assert_eq!(first_year("第2023号"), None);
        assert_eq!(first_year("政府信息公开工作年度报告"), None);
    }
}
