//! Who publishes on a generated portal and how their titles print: a real district with
//! its real townships (official codes from the 2023 division list), the district's
//! departments, and every title form domain.md §3.8 lists.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use nianbao_model::Level;

use crate::rng::Rng;
use crate::truth::Place;

/// A district whose portal is generated: its prefix, code and townships (name, code).
pub(super) struct District {
    pub province: &'static str,
    /// Empty for a district of a municipality (北京市丰台区).
    pub city: &'static str,
    pub county: &'static str,
    pub code: &'static str,
    pub townships: &'static [(&'static str, &'static str)],
}

impl District {
    /// `杭州市余杭区`, `北京市丰台区`: the prefix a body's full name starts with.
    pub fn prefix(&self) -> String {
        let top = if self.city.is_empty() {
            self.province
        } else {
            self.city
        };
        format!("{top}{}", self.county)
    }

    /// `浙江省杭州市余杭区`: the prefix with the province, as some titles print it.
    pub fn long_prefix(&self) -> String {
        format!("{}{}{}", self.province, self.city, self.county)
    }

    /// `余杭` from `余杭区`, for the site's name and slugs of its news.
    pub fn short(&self) -> &'static str {
        self.county.strip_suffix('区').unwrap_or(self.county)
    }
}

pub(super) const DISTRICTS: &[District] = &[
    District {
        province: "北京市",
        city: "",
        county: "丰台区",
        code: "110106",
        townships: &[
            ("右安门街道", "110106001"),
            ("太平桥街道", "110106002"),
            ("西罗园街道", "110106003"),
            ("大红门街道", "110106004"),
            ("南苑街道", "110106005"),
            ("东高地街道", "110106006"),
            ("六里桥街道", "110106008"),
            ("长辛店街道", "110106011"),
            ("方庄街道", "110106013"),
            ("卢沟桥街道", "110106017"),
            ("北宫镇", "110106100"),
            ("王佐镇", "110106101"),
        ],
    },
    District {
        province: "浙江省",
        city: "杭州市",
        county: "余杭区",
        code: "330110",
        townships: &[
            ("五常街道", "330110005"),
            ("仁和街道", "330110009"),
            ("良渚街道", "330110010"),
            ("闲林街道", "330110011"),
            ("仓前街道", "330110012"),
            ("余杭街道", "330110013"),
            ("中泰街道", "330110014"),
            ("径山镇", "330110109"),
            ("瓶窑镇", "330110110"),
            ("鸬鸟镇", "330110111"),
            ("百丈镇", "330110112"),
            ("黄湖镇", "330110113"),
        ],
    },
    District {
        province: "江苏省",
        city: "南京市",
        county: "鼓楼区",
        code: "320106",
        townships: &[
            ("宁海路街道", "320106001"),
            ("华侨路街道", "320106002"),
            ("湖南路街道", "320106003"),
            ("中央门街道", "320106004"),
            ("挹江门街道", "320106005"),
            ("江东街道", "320106006"),
            ("凤凰街道", "320106007"),
            ("下关街道", "320106008"),
            ("热河南路街道", "320106009"),
            ("幕府山街道", "320106010"),
            ("建宁路街道", "320106011"),
            ("宝塔桥街道", "320106012"),
        ],
    },
    District {
        province: "甘肃省",
        city: "张掖市",
        county: "甘州区",
        code: "620702",
        townships: &[
            ("东街街道", "620702001"),
            ("南街街道", "620702002"),
            ("西街街道", "620702003"),
            ("北街街道", "620702004"),
            ("火车站街道", "620702005"),
            ("梁家墩镇", "620702100"),
            ("上秦镇", "620702101"),
            ("大满镇", "620702102"),
            ("沙井镇", "620702103"),
            ("党寨镇", "620702107"),
            ("龙渠乡", "620702202"),
            ("安阳乡", "620702203"),
        ],
    },
    District {
        province: "北京市",
        city: "",
        county: "大兴区",
        code: "110115",
        townships: &[
            ("兴丰街道", "110115001"),
            ("林校路街道", "110115002"),
            ("清源街道", "110115003"),
            ("观音寺街道", "110115009"),
            ("天宫院街道", "110115010"),
            ("高米店街道", "110115011"),
            ("青云店镇", "110115103"),
            ("采育镇", "110115104"),
            ("安定镇", "110115105"),
            ("礼贤镇", "110115106"),
            ("榆垡镇", "110115107"),
            ("庞各庄镇", "110115108"),
        ],
    },
    District {
        province: "广东省",
        city: "深圳市",
        county: "南山区",
        code: "440305",
        townships: &[
            ("南头街道", "440305001"),
            ("南山街道", "440305002"),
            ("沙河街道", "440305003"),
            ("蛇口街道", "440305005"),
            ("招商街道", "440305006"),
            ("粤海街道", "440305007"),
            ("桃源街道", "440305008"),
            ("西丽街道", "440305009"),
        ],
    },
];

/// A district's departments, as their names follow the district's (`余杭区财政局`). The
/// 统计局 is there on purpose: its report is a report, the 统计年报 notices are not.
const DEPARTMENTS: &[&str] = &[
    "财政局",
    "教育局",
    "民政局",
    "人力资源和社会保障局",
    "卫生健康委员会",
    "市场监督管理局",
    "住房和城乡建设局",
    "发展和改革委员会",
    "司法局",
    "城市管理局",
    "农业农村局",
    "文化和旅游局",
    "应急管理局",
    "审计局",
    "统计局",
    "退役军人事务局",
    "医疗保障局",
    "交通运输局",
    "商务局",
    "科学技术局",
    "人民政府办公室",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum BodyKind {
    Government,
    Department,
    Township,
}

/// A body that publishes reports on the portal.
#[derive(Clone, Debug)]
pub(super) struct Body {
    pub kind: BodyKind,
    /// How the 年报 hub names it: `区政府`, `区财政局`, `良渚街道`.
    pub short: String,
    /// The place the truth carries (`agency_full` is the full name, the same in every
    /// report of the body).
    pub place: Place,
    /// The ways a title prints the body: full name, without the city, with the province.
    pub printed: Vec<String>,
}

/// A `&'static str` for a generated name, so it can sit in a [`Place`]. Names come from
/// the fixed tables above, so the set stays small however many portals a run makes.
fn intern(s: String) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(&name) = names.get(s.as_str()) {
        return name;
    }
    let name: &'static str = Box::leak(s.into_boxed_str());
    names.insert(name);
    name
}

fn place(d: &District, full: String, agency: String, township: &str, level: Level) -> Place {
    let code = d
        .townships
        .iter()
        .find(|(name, _)| *name == township)
        .map_or(d.code, |(_, code)| code);
    Place {
        agency_full: intern(full),
        agency: intern(agency),
        province: d.province,
        city: d.city,
        county: d.county,
        township: intern(township.to_string()),
        level,
        code,
    }
}

pub(super) fn government(d: &District) -> Body {
    let body = "人民政府";
    Body {
        kind: BodyKind::Government,
        short: "区政府".into(),
        place: place(
            d,
            format!("{}{body}", d.prefix()),
            format!("{}{body}", d.county),
            "",
            Level::County,
        ),
        printed: vec![
            format!("{}{body}", d.prefix()),
            format!("{}{body}", d.county),
            format!("{}{body}", d.long_prefix()),
        ],
    }
}

pub(super) fn department(d: &District, name: &str) -> Body {
    Body {
        kind: BodyKind::Department,
        short: format!("区{name}"),
        place: place(
            d,
            format!("{}{name}", d.prefix()),
            format!("{}{name}", d.county),
            "",
            Level::Department,
        ),
        printed: vec![
            format!("{}{name}", d.prefix()),
            format!("{}{name}", d.county),
            format!("{}{name}", d.long_prefix()),
        ],
    }
}

pub(super) fn township(d: &District, name: &str) -> Body {
    let office = if name.ends_with("街道") {
        "办事处"
    } else {
        "人民政府"
    };
    Body {
        kind: BodyKind::Township,
        short: name.to_string(),
        place: place(
            d,
            format!("{}{name}{office}", d.prefix()),
            format!("{name}{office}"),
            name,
            Level::Township,
        ),
        printed: vec![
            format!("{}{name}{office}", d.prefix()),
            format!("{name}{office}"),
            format!("{}{name}{office}", d.long_prefix()),
            name.to_string(),
        ],
    }
}

/// The district government, `departments` of its departments and `townships` of its
/// townships, drawn without repeats.
pub(super) fn bodies(
    d: &District,
    departments: usize,
    townships: usize,
    rng: &mut Rng,
) -> Vec<Body> {
    let mut out = vec![government(d)];
    for i in pick(DEPARTMENTS.len(), departments, rng) {
        out.push(department(d, DEPARTMENTS[i]));
    }
    for i in pick(d.townships.len(), townships, rng) {
        out.push(township(d, d.townships[i].0));
    }
    out
}

/// `n` distinct indices below `len`, in ascending order (the order a hub lists them).
pub(super) fn pick(len: usize, n: usize, rng: &mut Rng) -> Vec<usize> {
    let mut all: Vec<usize> = (0..len).collect();
    for i in (1..all.len()).rev() {
        let j = rng.range(0, i as u64) as usize;
        all.swap(i, j);
    }
    let mut chosen: Vec<usize> = all.into_iter().take(n.min(len)).collect();
    chosen.sort_unstable();
    chosen
}

/// The title forms of domain.md §3.8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Form {
    /// `<agency><year>年政府信息公开工作年度报告`
    Standard,
    /// `<agency>政府信息公开工作<year>年度报告`
    WorkThenYear,
    /// `<year>年度<agency>政府信息公开工作年度报告`
    YearFirst,
    /// `<agency><year>年度政府信息公开年报`
    Nianbao,
    /// `<agency><year>年度政府信息公开工作年度报告`
    NianduReport,
    /// A year in Chinese numerals, with 〇, 零 or ○.
    ChineseYear,
    /// A space before 年.
    SpacedYear,
}

impl Form {
    /// A form as sites use them: mostly the standard one.
    pub fn draw(rng: &mut Rng) -> Form {
        match rng.range(0, 13) {
            0..=4 => Form::Standard,
            5 => Form::WorkThenYear,
            6 | 7 => Form::YearFirst,
            8 => Form::Nianbao,
            9 | 10 => Form::NianduReport,
            11 => Form::ChineseYear,
            _ => Form::SpacedYear,
        }
    }
}

/// `2023` as `二〇二三`, with the zero the site uses.
pub(super) fn chinese_year(year: u16, zero: char) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    year.to_string()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(0) => zero,
            Some(d) => DIGITS[d as usize],
            None => c,
        })
        .collect()
}

/// A report's title in a form beyond domain.md §3.8's that names the report all the
/// same: the work under its wider name (政务公开), a body reporting on its year
/// (关于…情况的报告), the year in brackets after the subject with no 年.
pub(super) fn wider_title(agency: &str, year: u16, rng: &mut Rng) -> String {
    match rng.range(0, 2) {
        0 => format!("{agency}{year}年政务公开工作年度报告"),
        1 => format!("{agency}关于{year}年度政府信息公开工作情况的报告"),
        _ => format!("{agency}政府信息公开工作年度报告（{year}）"),
    }
}

/// A report's title in a form, the agency printed as given.
pub(super) fn title(form: Form, agency: &str, year: u16, rng: &mut Rng) -> String {
    const WORK: &str = "政府信息公开工作年度报告";
    match form {
        Form::Standard => format!("{agency}{year}年{WORK}"),
        Form::WorkThenYear => format!("{agency}政府信息公开工作{year}年度报告"),
        Form::YearFirst => format!("{year}年度{agency}{WORK}"),
        Form::Nianbao => format!("{agency}{year}年度政府信息公开年报"),
        Form::NianduReport => format!("{agency}{year}年度{WORK}"),
        Form::ChineseYear => {
            let zero = ['〇', '零', '○'][rng.range(0, 2) as usize];
            let y = chinese_year(year, zero);
            match rng.range(0, 2) {
                0 => format!("{agency}{y}年度{WORK}"),
                1 => format!("{y}年度{agency}{WORK}"),
                _ => format!("{agency}{y}年{WORK}"),
            }
        }
        Form::SpacedYear => {
            if rng.chance(0.5) {
                format!("{agency}{year} 年{WORK}")
            } else {
                format!("{year} 年{agency}{WORK}")
            }
        }
    }
}
