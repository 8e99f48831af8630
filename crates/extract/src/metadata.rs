//! Report metadata: title (often broken over two lines), year reported on, the reporting
//! body and the places above it, publication date and URL from the page's own fields.

use std::sync::LazyLock;

use nianbao_model::{Level, Metadata, WarningCode};
use nianbao_read::{
    Document, FIELD_LABELS, LISTING_COLUMN, LISTING_TITLE, PAGE_HEADING, PAGE_TITLE,
};
use nianbao_wording::site::{heading, is_page_chrome, Heading};
use nianbao_wording::{
    first_year, parse_title, parse_year_number, title_part, Title, TitleKind, YEAR_NUMBER,
};
use regex::Regex;

/// How many leading paragraphs may hold the title.
const TITLE_SEARCH_PARAGRAPHS: usize = 6;
const MAX_TITLE_LINE_CHARS: usize = 60;

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
        .expect("static regex")
});
/// "本报告中所列数据统计期限自2023年1月1日起至2023年12月31日止"
static STATISTICAL_PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"统计期限(?:为|自|是|从)?\s*({YEAR_NUMBER})\s*年\s*1\s*月\s*1\s*日"
    ))
    .expect("static regex")
});

const PROVINCES: &[&str] = &[
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "台湾省",
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
];
const MUNICIPALITIES: &[&str] = &["北京市", "天津市", "上海市", "重庆市"];

/// A place name below province level: up to seven characters closed by a level suffix.
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{1,7}?(?:自治州|自治县|自治旗|地区|街道|苏木|市|州|盟|区|县|旗|镇|乡)")
        .expect("static regex")
});
/// Most characters of a place name the division list is asked about.
const MAX_PLACE_CHARS: usize = 16;
/// Characters that end a place name; a match followed by one is extended (新市 + 镇).
const PLACE_SUFFIX_CHARS: &[char] = &['市', '州', '盟', '区', '县', '旗', '镇', '乡'];
/// What a people's government is called after its place name.
const GOVERNMENT_BODIES: &[&str] = &["人民政府", "政府", "街道办事处", "办事处", "人民政府办事处"];

/// Reads the metadata; `warnings` gets (code, location, message) for what is missing or
/// came from outside the document.
pub fn extract_metadata(
    doc: &Document,
    warnings: &mut Vec<(WarningCode, String, String)>,
) -> Metadata {
    let title = find_title(doc);
    let read = title.as_deref().map(parse_title);
    // What the crawl's listing said of the link it followed here: the last source.
    let listing = doc.meta(LISTING_TITLE).map(parse_title);
    let year = read
        .as_ref()
        .and_then(|t| t.year)
        .or_else(|| title.as_deref().and_then(first_year))
        .or_else(|| statistical_period_year(doc))
        .or_else(|| listing.as_ref().and_then(|t| t.year));
    if year.is_none() {
        warnings.push((
            WarningCode::MetadataMissing,
            "metadata.year".into(),
            "the year reported on was not found".into(),
        ));
    }

    let title_agency = read.map(|t| t.agency).unwrap_or_default();
    let publisher = doc
        .meta("发布机构")
        .or_else(|| doc.meta("信息来源"))
        .or_else(|| doc.meta("来源"))
        .or_else(|| field_in_lines(doc, "发布机构"))
        .unwrap_or_default();
    // The page's publisher field sometimes names the parent office publishing on behalf of
    // the body; take it only where it extends the title's own name (平潭综合实验区 →
    // 平潭综合实验区管委会办公室), or where neither the title nor the signature at the end
    // (the body signing its own report) names a body.
    let extends_title =
        publisher.starts_with(title_agency.as_str()) && publisher.len() > title_agency.len();
    let mut agency_full = if !title_agency.is_empty() && extends_title {
        publisher.to_string()
    } else {
        title_agency
    };
    if agency_full.is_empty() {
        agency_full = signature(doc).unwrap_or(publisher).to_string();
    }
    if agency_full.is_empty() {
        if let Some((body, from)) = listing_body(doc, listing.as_ref()) {
            warnings.push((
                WarningCode::MetadataFromListing,
                "metadata.agency".into(),
                format!("the document names no body; {body} is taken from the crawl's {from}"),
            ));
            agency_full = body;
        }
    }
    if agency_full.is_empty() {
        warnings.push((
            WarningCode::MetadataMissing,
            "metadata.agency".into(),
            "the reporting body was not found".into(),
        ));
    }

    let places = parse_places(&agency_full);
    Metadata {
        title: title.unwrap_or_default(),
        agency: places.agency,
        agency_full,
        province: places.province,
        city: places.city,
        county: places.county,
        township: places.township,
        level: places.level,
        division_code: String::new(),
        year,
        published_date: [
            "发布时间",
            "发布日期",
            "发文日期",
            "成文日期",
            "生成日期",
            "时间",
        ]
        .iter()
        .find_map(|k| doc.meta(k).and_then(iso_date))
        .unwrap_or_default(),
        source_url: ["原文链接", "链接", "URL", "url"]
            .iter()
            .find_map(|k| doc.meta(k))
            .unwrap_or_default()
            .to_string(),
    }
}

/// The report's title: the page's own title field (标题, 名称); else the part of the
/// page's `<title>` that is a report title; else the first of the leading lines that
/// names a report, joined with the line before when the title is broken over two
/// (`…人民政府2024年` / `政府信息公开工作年度报告`, `2024 年上海市科委政府信息公开工作` /
/// `年度报告`).
/// The report's title: a page field (标题), else the title the body's first lines or the
/// page's `<h1>` print when it names its body and year, else the part of the page's
/// `<title>` that reads as a report's, else whatever the first lines print.
fn find_title(doc: &Document) -> Option<String> {
    if let Some(t) = doc.meta("标题").or_else(|| doc.meta("名称")) {
        return Some(without_markup(t).to_string());
    }
    let in_lines = title_in_lines(doc);
    let whole = |t: &String| {
        let title = parse_title(t);
        title.is_report() && !title.agency.is_empty() && title.year.is_some()
    };
    let heading = doc
        .meta(PAGE_HEADING)
        .map(|h| without_markup(h).to_string());
    if let Some(title) = in_lines.iter().chain(&heading).find(|t| whole(t)) {
        return Some(title.clone());
    }
    doc.meta(PAGE_TITLE)
        .map(title_part)
        .filter(|t| parse_title(t).is_report())
        .map(String::from)
        .or(in_lines)
}

fn title_in_lines(doc: &Document) -> Option<String> {
    let mut previous: Option<&str> = None;
    let article = doc.paragraphs().filter(|p| !is_page_chrome(p));
    for line in article.take(TITLE_SEARCH_PARAGRAPHS) {
        let line = without_markup(line);
        if line.chars().count() > MAX_TITLE_LINE_CHARS {
            previous = None;
            continue;
        }
        let sentence = line.contains('。');
        if !sentence && (line.contains("报告") || line.contains("年报")) {
            let alone = parse_title(line);
            let joined = previous
                .filter(|p| completes(p, &alone, &parse_title(&format!("{p}{line}"))))
                .map(|p| format!("{p}{line}"));
            return Some(joined.unwrap_or_else(|| line.to_string()));
        }
        // A sentence or a page's field (索引号：…) is no part of a title.
        previous = (!sentence && !is_field(line)).then_some(line);
    }
    None
}

/// The joined lines make a report title that the last line alone is not, give it the
/// agency or year it lacks, or put the places its body is in before it (成都市武侯区 /
/// 人民政府2023年…).
fn completes(previous: &str, alone: &Title, joined: &Title) -> bool {
    let places_before = is_places(previous)
        && alone.kind == TitleKind::AnnualReport
        && joined.agency == format!("{previous}{}", alone.agency);
    joined.is_report()
        && (!alone.is_report()
            || places_before
            || (alone.agency.is_empty()
                && !joined.agency.is_empty()
                && alone.kind == TitleKind::AnnualReport))
}

/// A line that is only the places a body is in (成都市武侯区, 良渚街道), or the
/// government above it (南京市鼓楼区人民政府 above 华侨路街道办事处).
fn is_places(line: &str) -> bool {
    let ideographs = line.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    let count = line.chars().count();
    ideographs
        && (2..=14).contains(&count)
        && (line.ends_with(PLACE_SUFFIX_CHARS)
            || ["省", "自治区", "街道", "人民政府"]
                .iter()
                .any(|s| line.ends_with(s)))
}

/// A page's field printed as a line (`索引号：…`, `发布机构：…`).
fn is_field(line: &str) -> bool {
    line.split_once(['：', ':'])
        .is_some_and(|(label, _)| FIELD_LABELS.contains(&label.trim()))
}

/// A field printed as a line of the body's start (`发布机构：某某局`), as text pages of
/// saved sites print the page's fields.
fn field_in_lines<'d>(doc: &'d Document, name: &str) -> Option<&'d str> {
    doc.paragraphs()
        .take(TITLE_SEARCH_PARAGRAPHS)
        .find_map(|line| {
            let value = line.trim().strip_prefix(name)?.trim_start();
            let value = value.strip_prefix(['：', ':'])?.trim();
            // The value ends at a wide gap, where the next field starts.
            let value = value
                .split(['\u{3000}', '\t'])
                .next()?
                .split("  ")
                .next()?
                .trim();
            (!value.is_empty()).then_some(value)
        })
}

/// The body the crawl's listing names: in the link's text (a report title), or as the
/// listing's column when that is one body's name (区财政局); with where it was found.
fn listing_body(doc: &Document, listing: Option<&Title>) -> Option<(String, &'static str)> {
    if let Some(agency) = listing.filter(|t| t.is_report()).map(|t| &t.agency) {
        if !agency.is_empty() {
            return Some((agency.clone(), "link text"));
        }
    }
    let column = doc.meta(LISTING_COLUMN)?;
    (heading(column) == Heading::Body).then(|| (column.to_string(), "listing column"))
}

/// A line without the markdown a PDF-to-text tool puts around a title (`# …`, `**…**`).
fn without_markup(line: &str) -> &str {
    let line = line.trim().trim_start_matches('#').trim();
    let inner = line.trim_matches(['*', '_']).trim();
    if inner.len() + 2 <= line.len() {
        inner
    } else {
        line
    }
}

/// How many paragraphs from the end may hold the signature.
const SIGNATURE_SEARCH_PARAGRAPHS: usize = 4;
const MAX_SIGNATURE_CHARS: usize = 30;

/// The body that signs the report at its end (`某某县人民政府办公室`, then the date, or
/// both on one line): a short line that is a body's name and nothing else.
fn signature(doc: &Document) -> Option<&str> {
    let paragraphs: Vec<&str> = doc.paragraphs().filter(|p| !is_page_chrome(p)).collect();
    paragraphs
        .iter()
        .rev()
        .take(SIGNATURE_SEARCH_PARAGRAPHS)
        .map(|p| without_markup(p))
        .map(|line| match DATE.find(line) {
            Some(date) if matches!(line[date.end()..].trim(), "" | "日") => {
                line[..date.start()].trim()
            }
            _ => line,
        })
        .find(|line| is_body_name(line))
}

fn is_body_name(line: &str) -> bool {
    line.chars().count() <= MAX_SIGNATURE_CHARS
        && line
            .chars()
            .all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '（' || c == '）')
        && (GOVERNMENT_BODIES.iter().any(|b| line.ends_with(b))
            || nianbao_wording::site::BODY_SUFFIXES
                .iter()
                .any(|s| line.ends_with(s)))
        && line.chars().count() >= 4
}

fn statistical_period_year(doc: &Document) -> Option<u16> {
    doc.paragraphs()
        .find_map(|p| STATISTICAL_PERIOD.captures(p))
        .and_then(|c| parse_year_number(&c[1]))
}

fn iso_date(text: &str) -> Option<String> {
    let caps = DATE.captures(text)?;
    let month: u8 = caps[2].parse().ok()?;
    let day: u8 = caps[3].parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| format!("{}-{month:02}-{day:02}", &caps[1]))
}

/// The places of a body's chain and its level, parsed from its printed name.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Places {
    pub province: String,
    pub city: String,
    pub county: String,
    pub township: String,
    pub level: Level,
    /// The body's name from its own place down (北宫镇人民政府, 丰台区教育委员会).
    pub agency: String,
}

/// Reads `北京市丰台区北宫镇人民政府` as 北京市 / – / 丰台区 / 北宫镇, township level.
/// Rule-based (suffixes and a province list); a gazetteer can later confirm or refine it.
pub fn parse_places(name: &str) -> Places {
    let name = name.trim();
    let mut places = Places::default();
    let mut rest = name;
    let mut deepest: Option<(Level, usize)> = None; // level and byte offset of its name
    let mut above_township = None;
    loop {
        let offset = name.len() - rest.len();
        let next = if deepest.is_none() {
            PROVINCES
                .iter()
                .find(|p| rest.starts_with(*p))
                .map(|p| (Level::Province, p.len()))
        } else {
            None
        }
        .or_else(|| place_below_province(rest, &places, deepest.map(|d| d.0)));
        let Some((level, len)) = next else {
            // `人民政府` between two places: 南京市鼓楼区人民政府华侨路街道办事处.
            if let Some(after) = rest.strip_prefix("人民政府") {
                if place_below_province(after, &places, deepest.map(|d| d.0)).is_some() {
                    rest = after;
                    continue;
                }
            }
            break;
        };
        let place = &rest[..len];
        if level == Level::Township {
            above_township = deepest;
        }
        match level {
            Level::Province => places.province = place.to_string(),
            Level::City => places.city = place.to_string(),
            Level::County => places.county = place.to_string(),
            Level::Township => places.township = place.to_string(),
            Level::Department | Level::Unknown => {}
        }
        deepest = Some((level, offset));
        rest = &rest[len..];
    }
    // A township's name is followed by its government or nothing; followed by another
    // body it was part of a department's name (住房和城乡|建设局, 城乡|规划局).
    let body = rest.trim();
    if deepest.is_some_and(|(level, _)| level == Level::Township)
        && !(body.is_empty() || GOVERNMENT_BODIES.contains(&body) || body.starts_with('党'))
    {
        places.township.clear();
        deepest = above_township;
    }
    match deepest {
        Some((level, offset)) => {
            places.agency = name[offset..].to_string();
            let body = rest.trim();
            places.level = if body.is_empty() || GOVERNMENT_BODIES.contains(&body) {
                level
            } else {
                Level::Department
            };
        }
        None => {
            places.agency = name.to_string();
            places.level = if name.is_empty() {
                Level::Unknown
            } else {
                Level::Department
            };
        }
    }
    places
}

/// The longest start of `rest` that the division list names a place of one level, and
/// that level: where the pattern alone is ambiguous the list decides (青岛市 + 市南区, not
/// 青岛市市 + 南区; 苏州工业园区, not 苏州 + 工业园区; 仙桃市 a county under its province).
/// Names the list lacks are left to the pattern.
fn known_place(rest: &str) -> Option<(usize, Level)> {
    rest.char_indices()
        .skip(1)
        .take(MAX_PLACE_CHARS)
        .map(|(i, c)| i + c.len_utf8())
        .filter_map(|end| {
            let name = &rest[..end];
            let ends_like_a_place = name.ends_with(PLACE_SUFFIX_CHARS)
                || ["街道", "地区", "苏木"].iter().any(|s| name.ends_with(s));
            let level = nianbao_divisions::level_of(name).filter(|_| ends_like_a_place)?;
            Some((end, level_of_division(level)))
        })
        .last()
}

fn level_of_division(level: nianbao_divisions::Level) -> Level {
    match level {
        nianbao_divisions::Level::Province => Level::Province,
        nianbao_divisions::Level::City => Level::City,
        nianbao_divisions::Level::County => Level::County,
        nianbao_divisions::Level::Township => Level::Township,
    }
}

/// The next place name in `rest`, if it is deeper than the last one found.
fn place_below_province(
    rest: &str,
    places: &Places,
    last: Option<Level>,
) -> Option<(Level, usize)> {
    let (len, known_level) = match known_place(rest) {
        Some((len, level)) => (len, Some(level)),
        None => {
            let mut len = PLACE.find(rest)?.end();
            if rest[len..].starts_with(PLACE_SUFFIX_CHARS) && !rest[len..].starts_with("市场") {
                len += rest[len..].chars().next().map_or(0, char::len_utf8);
            }
            (len, None)
        }
    };
    let place = &rest[..len];
    if place.contains("政府") {
        return None; // 人民政府华侨路街道: the government's name, not a place
    }
    let level = if let Some(level) = known_level {
        level
    } else if place.ends_with("街道")
        || place.ends_with('镇')
        || place.ends_with('乡')
        || place.ends_with("苏木")
    {
        Level::Township
    } else if place.ends_with("自治州")
        || place.ends_with("地区")
        || place.ends_with('盟')
        || place.ends_with('州')
    {
        Level::City
    } else if place.ends_with('市') {
        let in_municipality = MUNICIPALITIES.contains(&places.province.as_str());
        if places.city.is_empty() && !in_municipality && last != Some(Level::County) {
            Level::City
        } else {
            Level::County
        }
    } else {
        Level::County
    };
    let rank = |l: Level| match l {
        Level::Province => 0,
        Level::City => 1,
        Level::County => 2,
        Level::Township => 3,
        _ => 4,
    };
    match last {
        Some(prev) if rank(level) <= rank(prev) => None,
        _ => Some((level, len)),
    }
}

/// Builds this module's patterns now (see [`crate::prepare`]).
pub(crate) fn prepare() {
    for pattern in [&DATE, &STATISTICAL_PERIOD, &PLACE] {
        LazyLock::force(pattern);
    }
    nianbao_wording::prepare();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(name: &str) -> (String, String, String, String, Level, String) {
        let p = parse_places(name);
        (p.province, p.city, p.county, p.township, p.level, p.agency)
    }

    #[test]
    fn the_division_list_decides_where_the_pattern_is_ambiguous() {
        let s = |x: &str| x.to_string();
        // A county whose name starts with 市.
        assert_eq!(
            places("青岛市市南区民政局"),
            (
                s(""),
                s("青岛市"),
                s("市南区"),
                s(""),
                Level::Department,
                s("市南区民政局")
            )
        );
        // A zone named after its city, and a county-level city under its province.
        assert_eq!(
            parse_places("苏州工业园区管理委员会").county,
            "苏州工业园区"
        );
        assert_eq!(
            places("湖北省仙桃市人民政府"),
            (
                s("湖北省"),
                s(""),
                s("仙桃市"),
                s(""),
                Level::County,
                s("仙桃市人民政府")
            )
        );
    }

    #[test]
    fn place_chains_of_the_examples() {
        let s = |x: &str| x.to_string();
        assert_eq!(
            places("北京市丰台区北宫镇人民政府"),
            (
                s("北京市"),
                s(""),
                s("丰台区"),
                s("北宫镇"),
                Level::Township,
                s("北宫镇人民政府")
            )
        );
        assert_eq!(
            places("南京市鼓楼区人民政府华侨路街道办事处"),
            (
                s(""),
                s("南京市"),
                s("鼓楼区"),
                s("华侨路街道"),
                Level::Township,
                s("华侨路街道办事处")
            )
        );
        assert_eq!(
            places("北京市大兴区城市管理委员会"),
            (
                s("北京市"),
                s(""),
                s("大兴区"),
                s(""),
                Level::Department,
                s("大兴区城市管理委员会")
            )
        );
        assert_eq!(
            places("上海市人民政府办公厅"),
            (
                s("上海市"),
                s(""),
                s(""),
                s(""),
                Level::Department,
                s("上海市人民政府办公厅")
            )
        );
        assert_eq!(
            places("江苏省南京市人民政府"),
            (
                s("江苏省"),
                s("南京市"),
                s(""),
                s(""),
                Level::City,
                s("南京市人民政府")
            )
        );
        assert_eq!(places("浙江省丽水市莲都区新市镇人民政府").3, "新市镇");
        // 城乡 in a department's name is no township.
        assert_eq!(
            places("北京市丰台区住房和城乡建设局"),
            (
                s("北京市"),
                s(""),
                s("丰台区"),
                s(""),
                Level::Department,
                s("丰台区住房和城乡建设局")
            )
        );
        assert_eq!(places("北街街道党工委").3, "北街街道");
        assert_eq!(places("丰台区教育委员会").4, Level::Department);
        // Leading space (a regression: offsets were taken on the untrimmed name).
        assert_eq!(places("　 北京市丰台区北宫镇人民政府").5, "北宫镇人民政府");
        assert_eq!(places("").4, Level::Unknown);
    }

    #[test]
    fn a_title_broken_over_two_lines_is_joined() {
        let doc = |lines: &[&str]| Document {
            blocks: lines
                .iter()
                .map(|l| nianbao_read::Block::Paragraph(l.to_string()))
                .collect(),
            format: nianbao_read::Format::Text,
            encoding: "UTF-8",
            page_meta: Vec::new(),
            diagnostics: Vec::new(),
        };
        for (lines, title) in [
            (
                &[
                    "北京市丰台区北宫镇人民政府2024年",
                    "政府信息公开工作年度报告",
                ][..],
                "北京市丰台区北宫镇人民政府2024年政府信息公开工作年度报告",
            ),
            (
                &["2024 年上海市科委政府信息公开工作", "年度报告"][..],
                "2024 年上海市科委政府信息公开工作年度报告",
            ),
            (
                &["某某局", "2023年政府信息公开工作年度报告"][..],
                "某某局2023年政府信息公开工作年度报告",
            ),
            (
                &["首页", "某某局政府信息公开工作2023年度报告", "一、总体情况"][..],
                "某某局政府信息公开工作2023年度报告",
            ),
        ] {
            assert_eq!(find_title(&doc(lines)).as_deref(), Some(title), "{lines:?}");
        }
    }

    #[test]
    fn the_page_title_names_the_report_when_the_lines_do_not() {
        let doc = Document {
            blocks: [
                "首页",
                "甘州概况",
                "新闻中心",
                "政务服务",
                "互动交流",
                "专题专栏",
                "正文",
            ]
            .iter()
            .map(|l| nianbao_read::Block::Paragraph(l.to_string()))
            .collect(),
            format: nianbao_read::Format::Html,
            encoding: "UTF-8",
            page_meta: vec![(
                PAGE_TITLE.to_string(),
                "甘州区北街街道办事处2024年度政府信息公开年报-张掖市甘州区人民政府".to_string(),
            )],
            diagnostics: Vec::new(),
        };
        assert_eq!(
            find_title(&doc).as_deref(),
            Some("甘州区北街街道办事处2024年度政府信息公开年报")
        );
    }

    #[test]
    fn dates_normalised() {
        assert_eq!(iso_date("2024-03-08 15:34").as_deref(), Some("2024-03-08"));
        assert_eq!(iso_date("2026年1月23日").as_deref(), Some("2026-01-23"));
        assert_eq!(iso_date("2026-13-01"), None);
    }
}
