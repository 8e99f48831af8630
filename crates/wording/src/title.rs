//! The title grammar: what a report's title, a link's text or a page's `<title>` says.
//!
//! A title is `[prefix] subject [suffix]`, where the subject is the report's own name
//! (政府信息公开工作年度报告, 政府信息公开年报, 信息公开工作2023年度报告, 政务公开工作年度
//! 报告, 政府信息公开工作情况的报告 …). The year sits at the start of the prefix
//! (`2023年度某某局…`), at its end (`某某局2023年…`, `某某局关于2023年度…`), inside the
//! subject (`某某局政府信息公开工作2023年度报告`) or in brackets after it, with or without
//! 年 (`…年度报告（2023）`); the agency is the rest of the prefix. Words that make a title about a report rather than the report
//! (通知, 解读, 图解, 送审稿) are read first; titles without the subject may still be a
//! year's report under a body's column (`2023年度报告`), another kind of report
//! (法治政府建设年度报告, 市场主体年报), or cut short before they say (`…2023年政府信息公开...`).

use std::sync::LazyLock;

use nianbao_model::to_halfwidth;
use regex::Regex;

use crate::year::{parse_year_number, YEAR_NUMBER};

/// What a title names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TitleKind {
    /// The information-disclosure annual report (or, with no year, a column of them).
    AnnualReport,
    /// `2023年度报告`, `良渚街道2023年报`: a year's report whose subject the context gives
    /// (a body's column in a 年报 hub).
    YearOnly,
    /// Cut short (`…2023年政府信息公开...`) before it says what it is: only the page can tell.
    Truncated,
    /// A notice about compiling or publishing reports (关于做好…的通知).
    Notice,
    /// An interpretation of a report (解读, 答记者问).
    Interpretation,
    /// A graphic version (图解, 一图读懂).
    Graphic,
    /// A draft (送审稿, 征求意见稿, 内部审核稿).
    Draft,
    /// Another kind of report: 法治政府建设年度报告, 市场主体年报, 统计年报, 预决算 …
    OtherReport,
    /// Anything else.
    Unrelated,
}

impl TitleKind {
    /// What a title of this kind names when it is one of the report's look-alikes
    /// (domain.md §3.8: notices, 解读, 图解, drafts, other reports); `None` for the report
    /// or what may be one.
    pub fn look_alike(self) -> Option<&'static str> {
        match self {
            TitleKind::Notice => Some("a notice about compiling or publishing reports"),
            TitleKind::Interpretation => Some("an interpretation of a report"),
            TitleKind::Graphic => Some("a graphic version of a report"),
            TitleKind::Draft => Some("a draft"),
            TitleKind::OtherReport => Some("another kind of report"),
            TitleKind::AnnualReport
            | TitleKind::YearOnly
            | TitleKind::Truncated
            | TitleKind::Unrelated => None,
        }
    }
}

/// A title read by the grammar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Title {
    /// The reporting body as the title prints it (province and city prefixes kept); empty
    /// when the title names none.
    pub agency: String,
    pub year: Option<u16>,
    pub kind: TitleKind,
    /// The text ended in `...` or `…`.
    pub cut: bool,
}

impl Title {
    /// A whole report title: the subject and a year.
    pub fn is_report(&self) -> bool {
        self.kind == TitleKind::AnnualReport && self.year.is_some()
    }

    /// The subject without a year: the name of a column of reports (政府信息公开年报).
    pub fn is_report_column(&self) -> bool {
        self.kind == TitleKind::AnnualReport && self.year.is_none()
    }

    /// A report, or what may be one once its page is read (a bare year, a cut title).
    pub fn may_be_report(&self) -> bool {
        self.is_report() || matches!(self.kind, TitleKind::YearOnly | TitleKind::Truncated)
    }
}

/// Marks and quotes that carry no words: markdown, book-title marks, quotes, brackets
/// around buttons.
const MARKUP: &[char] = &[
    '#', '*', '《', '》', '「', '」', '“', '”', '"', '\'', '【', '】', '〔', '〕',
];
/// What separates a title from a site name, a breadcrumb or a field name.
const SEPARATORS: &[char] = &['_', '|', '｜', '—', '–', '-', ':', '>', '»', '·', '/'];
/// File types a link text may name.
const FILE_SUFFIXES: &[&str] = &[
    ".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xls", ".html", ".htm",
];

/// The report's own name. 政务公开 names the same report where the disclosure work is
/// called by its wider name (政务公开工作年度报告), and `关于…情况的报告` is how a body
/// reports to its superior: the report, where `关于…报告的通知` is about one.
static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:(?:政府|政务)?信息公开|政务公开)(?:工作)?(?:情况)?(?:\(?({YEAR_NUMBER})年度?\)?)?(?:年度)?(?:工作)?(?:情况的?)?(?:报告|年报)"
    ))
    .expect("static regex")
});
/// A year in brackets, with or without 年: `…年度报告(2023)`.
static YEAR_IN_BRACKETS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\(({YEAR_NUMBER})(?:年度?)?\)")).expect("static regex"));
static YEAR_AT_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\(?({YEAR_NUMBER})年度?\)?")).expect("static regex"));
static YEAR_AT_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\(?({YEAR_NUMBER})年度?\)?$")).expect("static regex"));
static YEAR_ANYWHERE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\(?({YEAR_NUMBER})年度?\)?")).expect("static regex"));
/// `2023年度报告`, `良渚街道2023年报`.
static YEAR_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(.*?)\(?({YEAR_NUMBER})(?:年度报告|年报|年度年报)\)?$"
    ))
    .expect("static regex")
});
static LEADING_NOISE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\[?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\]?|\d{1,3}[.、]|\([一二三四五六七八九十\d]{1,3}\)|附件\d*)+")
        .expect("static regex")
});

/// Words that make a title something other than the report, in the order they are tried.
const DRAFT: &[&str] = &[
    "送审稿",
    "征求意见稿",
    "审核稿",
    "讨论稿",
    "草案",
    "草稿",
    "初稿",
];
const INTERPRETATION: &[&str] = &["解读", "答记者问", "问答"];
const GRAPHIC: &[&str] = &[
    "图解",
    "一图读懂",
    "一图看懂",
    "图说",
    "图读",
    "长图",
    "动漫",
];
const NOTICE: &[&str] = &[
    "通知",
    "通告",
    "公告",
    "提醒",
    "说明",
    "的函",
    "工作要点",
    "部署",
    "培训",
    "编制工作",
    "报送工作",
];
/// `关于` and a verb: a title about doing something with reports (关于做好…, 关于公开…).
static ABOUT_DOING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"关于(?:做好|做|编制|报送|印发|开展|公布|发布|公开|转发|组织|召开|加强|进一步|规范|落实)",
    )
    .expect("static regex")
});
/// What other reports are about when their titles do not say 报告 or 年报 (预决算).
const OTHER_REPORTS: &[&str] = &["预算", "决算", "年鉴"];
/// Characters of the subject; a cut text ending in a run of them may be a report.
const SUBJECT_START: &str = "政府信息公开工作年度报告";

/// Reads a title, a link text or a page title.
pub fn parse_title(text: &str) -> Title {
    let (clean, cut) = clean(text);
    let mut title = Title {
        agency: String::new(),
        year: None,
        kind: TitleKind::Unrelated,
        cut,
    };
    if let Some(kind) = excluded(&clean) {
        title.kind = kind;
        title.year = YEAR_ANYWHERE
            .captures(&clean)
            .or_else(|| YEAR_IN_BRACKETS.captures(&clean))
            .and_then(|c| parse_year_number(&c[1]));
        return title;
    }
    if let Some(subject) = SUBJECT.captures(&clean) {
        let whole = subject.get(0).expect("match");
        let (agency, year) = read_prefix(&clean[..whole.start()]);
        let after = after_separator(&clean[whole.end()..]);
        if after.starts_with('的') {
            // `…年度报告的通知`, `…年度报告的...`: about a report, not the report.
            title.kind = TitleKind::Notice;
            title.year =
                year.or_else(|| subject.get(1).and_then(|y| parse_year_number(y.as_str())));
            return title;
        }
        title.agency = agency;
        title.year = year
            .or_else(|| subject.get(1).and_then(|y| parse_year_number(y.as_str())))
            .or_else(|| {
                YEAR_AT_START
                    .captures(after)
                    .or_else(|| {
                        // Right after the subject only: a bracket further on is another's.
                        YEAR_IN_BRACKETS
                            .captures(after)
                            .filter(|c| c.get(0).is_some_and(|m| m.start() == 0))
                    })
                    .and_then(|c| parse_year_number(&c[1]))
            });
        // A body's subject cut before its year in brackets (`…年度报告（20...`,
        // `某某局…年度报告...`): not a column's name, a report whose year only the page
        // can tell.
        let year_cut_off = !after.is_empty() || !title.agency.is_empty();
        title.kind = if cut && title.year.is_none() && year_cut_off {
            TitleKind::Truncated
        } else {
            TitleKind::AnnualReport
        };
        return title;
    }
    let segment = last_segment(&clean);
    if let Some(c) = YEAR_ONLY.captures(segment) {
        title.agency = clean_agency(&c[1]);
        title.year = parse_year_number(&c[2]);
        title.kind = TitleKind::YearOnly;
        return title;
    }
    title.year = YEAR_ANYWHERE
        .captures(segment)
        .and_then(|c| parse_year_number(&c[1]))
        .or_else(|| {
            // Cut right after the year's digits: `…街道办事处2023...`.
            let tail: String = segment
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            cut.then(|| parse_year_number(&tail)).flatten()
        });
    title.kind =
        if contains_any(&clean, OTHER_REPORTS) || clean.contains("报告") || clean.contains("年报")
        {
            TitleKind::OtherReport
        } else if cut
            && (title.year.is_some() || ends_in_subject(segment) || clean.contains("信息公开"))
        {
            TitleKind::Truncated
        } else {
            TitleKind::Unrelated
        };
    title
}

/// The part of a page's `<title>` that names a report (`北宫镇2023年…年度报告_丰台区人民
/// 政府`), or the whole text when no part does.
pub fn title_part(text: &str) -> &str {
    text.split(['_', '|', '｜', '—', '–', '-'])
        .map(str::trim)
        .find(|part| {
            matches!(
                parse_title(part).kind,
                TitleKind::AnnualReport | TitleKind::YearOnly
            )
        })
        .unwrap_or(text.trim())
}

/// Half-width, no whitespace or markup, no file suffix; and whether it was cut short.
fn clean(text: &str) -> (String, bool) {
    let mut s: String = to_halfwidth(text)
        .chars()
        .filter(|c| !c.is_whitespace() && !MARKUP.contains(c))
        .collect();
    s = LEADING_NOISE.replace(&s, "").into_owned();
    for suffix in FILE_SUFFIXES {
        if s.len() > suffix.len() && s.is_char_boundary(s.len() - suffix.len()) {
            let tail = &s[s.len() - suffix.len()..];
            if tail.eq_ignore_ascii_case(suffix) {
                s.truncate(s.len() - suffix.len());
                break;
            }
        }
    }
    let mut cut = false;
    loop {
        let trimmed = s
            .strip_suffix("...")
            .or_else(|| s.strip_suffix('…'))
            .or_else(|| s.strip_suffix("。。。"))
            .or_else(|| s.strip_suffix(".."));
        match trimmed {
            Some(t) => {
                s = t.to_string();
                cut = true;
            }
            None => break,
        }
    }
    (s, cut)
}

fn excluded(clean: &str) -> Option<TitleKind> {
    [
        (DRAFT, TitleKind::Draft),
        (INTERPRETATION, TitleKind::Interpretation),
        (GRAPHIC, TitleKind::Graphic),
        (NOTICE, TitleKind::Notice),
    ]
    .into_iter()
    .find(|(words, _)| contains_any(clean, words))
    .map(|(_, kind)| kind)
    .or_else(|| ABOUT_DOING.is_match(clean).then_some(TitleKind::Notice))
}

fn contains_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// The agency and year before the subject. A `人民` left at the end lent its 政府 to the
/// subject (`北京市人民政府信息公开…`).
fn read_prefix(prefix: &str) -> (String, Option<u16>) {
    let prefix = last_segment(prefix);
    let (rest, year) = if let Some(c) = YEAR_AT_START.captures(prefix) {
        (
            &prefix[c.get(0).expect("match").end()..],
            parse_year_number(&c[1]),
        )
    } else if let Some(c) = YEAR_AT_END.captures(prefix) {
        (
            &prefix[..c.get(0).expect("match").start()],
            parse_year_number(&c[1]),
        )
    } else {
        (prefix, None)
    };
    let mut agency = clean_agency(rest);
    if agency.ends_with("人民") {
        agency.push_str("政府");
    }
    (agency, year)
}

/// The text after the last separator: the title without a breadcrumb or field name.
fn last_segment(text: &str) -> &str {
    text.rfind(SEPARATORS).map_or(text, |i| {
        &text[i + text[i..].chars().next().map_or(1, char::len_utf8)..]
    })
}

/// The text before the first separator: the suffix without a site name.
fn after_separator(text: &str) -> &str {
    text.find(SEPARATORS).map_or(text, |i| &text[..i])
}

/// A body's name without numbering, dates, 关于/的 or a dangling 年度.
fn clean_agency(name: &str) -> String {
    let mut name = LEADING_NOISE.replace(name, "").into_owned();
    loop {
        let before = name.len();
        for affix in ["关于", "的", "年度", "、", ",", "."] {
            if let Some(s) = name.strip_suffix(affix) {
                name = s.to_string();
            }
            if let Some(s) = name.strip_prefix(affix) {
                name = s.to_string();
            }
        }
        // A bracket left open or closed by the year taken out (`(2023年)`), not a
        // bracketed part of the name (`财政局(国资局)`).
        let (opened, closed) = (name.matches('(').count(), name.matches(')').count());
        if opened > closed {
            if let Some(s) = name.strip_suffix('(') {
                name = s.to_string();
            }
        } else if closed > opened {
            if let Some(s) = name.strip_prefix(')') {
                name = s.to_string();
            }
        }
        if name.len() == before {
            return name;
        }
    }
}

/// The text ends in the first two or more characters of the subject (`…政府信`).
fn ends_in_subject(text: &str) -> bool {
    let chars: Vec<char> = SUBJECT_START.chars().collect();
    (2..=chars.len()).any(|n| text.ends_with(&chars[..n].iter().collect::<String>()))
}

/// Builds the grammar's patterns now, so that the first title is not slower.
pub fn prepare() {
    for pattern in [
        &SUBJECT,
        &YEAR_AT_START,
        &YEAR_AT_END,
        &YEAR_ANYWHERE,
        &YEAR_ONLY,
        &YEAR_IN_BRACKETS,
        &LEADING_NOISE,
        &ABOUT_DOING,
    ] {
        LazyLock::force(pattern);
    }
}
