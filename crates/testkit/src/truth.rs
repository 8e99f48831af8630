//! The truth of a report: every figure as printed and the value it must read as, and the
//! metadata, generated at random (internally consistent) or taken from expected values.

use nianbao_model::{
    ActiveCategory, ActiveItem, ActiveMetric, Applicant, ApplicationRow, Level, Outcome,
    Proceeding, Template,
};
use serde_json::Value;

use crate::rng::Rng;

/// A printed cell and the value extraction must give for it (`None` for blank).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Printed {
    pub raw: String,
    pub value: Option<String>,
}

impl Printed {
    pub fn plain(value: impl ToString) -> Printed {
        let v = value.to_string();
        Printed {
            raw: v.clone(),
            value: Some(v),
        }
    }

    pub fn blank() -> Printed {
        Printed {
            raw: String::new(),
            value: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveTruth {
    pub item: ActiveItem,
    pub category: ActiveCategory,
    pub metric: ActiveMetric,
    pub printed: Printed,
    /// The unit extraction must report.
    pub unit: String,
}

/// Where a generated report's body sits, with the parse the extractor must give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub agency_full: &'static str,
    pub agency: &'static str,
    pub province: &'static str,
    pub city: &'static str,
    pub county: &'static str,
    pub township: &'static str,
    pub level: Level,
    /// The official code the extractor must resolve the place to.
    pub code: &'static str,
}

/// Bodies in the shapes domain.md describes: townships, sub-districts, departments,
/// governments, in municipalities and in provinces.
pub const PLACES: &[Place] = &[
    Place {
        agency_full: "北京市丰台区北宫镇人民政府",
        agency: "北宫镇人民政府",
        province: "北京市",
        city: "",
        county: "丰台区",
        township: "北宫镇",
        level: Level::Township,
        code: "110106100",
    },
    Place {
        agency_full: "北京市丰台区王佐镇人民政府",
        agency: "王佐镇人民政府",
        province: "北京市",
        city: "",
        county: "丰台区",
        township: "王佐镇",
        level: Level::Township,
        code: "110106101",
    },
    Place {
        agency_full: "南京市鼓楼区人民政府华侨路街道办事处",
        agency: "华侨路街道办事处",
        province: "",
        city: "南京市",
        county: "鼓楼区",
        township: "华侨路街道",
        level: Level::Township,
        code: "320106002",
    },
    Place {
        agency_full: "北京市大兴区城市管理委员会",
        agency: "大兴区城市管理委员会",
        province: "北京市",
        city: "",
        county: "大兴区",
        township: "",
        level: Level::Department,
        code: "110115",
    },
    Place {
        agency_full: "江苏省南京市人民政府",
        agency: "南京市人民政府",
        province: "江苏省",
        city: "南京市",
        county: "",
        township: "",
        level: Level::City,
        code: "320100",
    },
    Place {
        agency_full: "浙江省丽水市莲都区人民政府",
        agency: "莲都区人民政府",
        province: "浙江省",
        city: "丽水市",
        county: "莲都区",
        township: "",
        level: Level::County,
        code: "331102",
    },
    Place {
        agency_full: "甘肃省张掖市甘州区北街街道办事处",
        agency: "北街街道办事处",
        province: "甘肃省",
        city: "张掖市",
        county: "甘州区",
        township: "北街街道",
        level: Level::Township,
        code: "620702004",
    },
    Place {
        agency_full: "上海市人民政府办公厅",
        agency: "上海市人民政府办公厅",
        province: "上海市",
        city: "",
        county: "",
        township: "",
        level: Level::Department,
        code: "310000",
    },
];

/// How figures are printed: the noise real sites show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Noise {
    /// Some figures in full-width digits (`１２`).
    pub fullwidth: bool,
    /// Figures of 1000 and more with thousands separators (`1,549`).
    pub thousands: bool,
    /// Some zeros printed as blank cells (read as blank, never as 0).
    pub blank_zeros: bool,
    /// Label variants: half-width brackets, ASCII quotes, `，` for `、`.
    pub label_variants: bool,
}

impl Noise {
    pub const ALL: Noise = Noise {
        fullwidth: true,
        thousands: true,
        blank_zeros: true,
        label_variants: true,
    };
}

/// A whole report's truth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Truth {
    pub template: Template,
    pub place: Place,
    pub year: u16,
    /// Publication date (YYYY-MM-DD) a page states, early in the following year.
    pub published: String,
    /// Whether the title is printed over two lines, as in the seed.
    pub split_title: bool,
    /// How section headings are numbered: 0 `一、`, 1 `1、 ` (as in the seed), 2 `1.`, 3 mixed.
    pub heading_style: u8,
    /// Rows of table 三 with the seven applicant columns, in printed order.
    pub applications: Vec<(ApplicationRow, Vec<Printed>)>,
    /// Table 四: the five outcomes of each proceeding.
    pub review: Vec<(Proceeding, Vec<Printed>)>,
    pub active: Vec<ActiveTruth>,
    /// 2019 procurement amount printed with `元` in the cell, else `(万元)` in the header.
    pub procurement_unit_in_cell: bool,
    pub label_variants: bool,
}

fn fullwidth_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn with_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Prints a count with the chosen noise.
fn print_count(n: u64, noise: Noise, rng: &mut Rng) -> Printed {
    if n == 0 && noise.blank_zeros && rng.chance(0.15) {
        return Printed::blank();
    }
    let mut raw = if n >= 1000 && noise.thousands && rng.chance(0.5) {
        with_thousands(n)
    } else {
        n.to_string()
    };
    if noise.fullwidth && rng.chance(0.1) {
        raw = fullwidth_digits(&raw);
    }
    Printed {
        raw,
        value: Some(n.to_string()),
    }
}

fn small(rng: &mut Rng, zero_share: f64, max: u64) -> u64 {
    if rng.chance(zero_share) {
        0
    } else {
        rng.range(1, max)
    }
}

impl Truth {
    /// A random report, every relation of the template holding.
    pub fn random(seed: u64, template: Template, noise: Noise) -> Truth {
        let mut rng = Rng::new(seed);
        let place = PLACES[rng.range(0, PLACES.len() as u64 - 1) as usize].clone();
        let year = match template {
            Template::T2019 => 2019 + rng.range(0, 1) as u16,
            _ => 2021 + rng.range(0, 4) as u16,
        };
        let result_rows: Vec<ApplicationRow> = ApplicationRow::ALL
            .iter()
            .copied()
            .filter(|r| r.is_result())
            .filter(|r| match r {
                ApplicationRow::Other => template == Template::T2019,
                ApplicationRow::OtherNoCorrection
                | ApplicationRow::OtherUnpaidFee
                | ApplicationRow::OtherOther => template == Template::T2021,
                _ => true,
            })
            .collect();
        // Column by column (six applicants), then the 总计 column as their sum.
        let mut columns: Vec<Vec<(ApplicationRow, u64)>> = Vec::new();
        for applicant in &Applicant::ALL[..6] {
            let max = if *applicant == Applicant::NaturalPerson {
                40
            } else {
                4
            };
            let results: Vec<(ApplicationRow, u64)> = result_rows
                .iter()
                .map(|&r| (r, small(&mut rng, 0.6, max)))
                .collect();
            let total_processed: u64 = results.iter().map(|(_, v)| v).sum();
            let carried_forward = small(&mut rng, 0.5, 6);
            let carried_over = rng.range(0, (total_processed + carried_forward).min(6));
            let new_received = total_processed + carried_forward - carried_over;
            let mut column = vec![
                (ApplicationRow::NewReceived, new_received),
                (ApplicationRow::CarriedOver, carried_over),
            ];
            column.extend(results);
            column.push((ApplicationRow::TotalProcessed, total_processed));
            column.push((ApplicationRow::CarriedForward, carried_forward));
            columns.push(column);
        }
        let applications = (0..columns[0].len())
            .map(|i| {
                let row = columns[0][i].0;
                let values: Vec<u64> = columns.iter().map(|c| c[i].1).collect();
                let total: u64 = values.iter().sum();
                let printed = values
                    .iter()
                    .chain(std::iter::once(&total))
                    .map(|&v| print_count(v, noise, &mut rng))
                    .collect();
                (row, printed)
            })
            .collect();
        let review = Proceeding::ALL
            .iter()
            .map(|&p| {
                let outcomes: Vec<u64> = (0..4).map(|_| small(&mut rng, 0.6, 12)).collect();
                let total: u64 = outcomes.iter().sum();
                let printed = outcomes
                    .iter()
                    .chain(std::iter::once(&total))
                    .map(|&v| print_count(v, noise, &mut rng))
                    .collect();
                (p, printed)
            })
            .collect();
        let procurement_unit_in_cell = rng.chance(0.5);
        let active = random_active(template, noise, procurement_unit_in_cell, &mut rng);
        let published = format!(
            "{}-{:02}-{:02}",
            year + 1,
            rng.range(1, 3),
            rng.range(1, 28)
        );
        Truth {
            template,
            place,
            year,
            published,
            split_title: rng.chance(0.5),
            heading_style: rng.range(0, 3) as u8,
            applications,
            review,
            active,
            procurement_unit_in_cell,
            label_variants: noise.label_variants && rng.chance(0.5),
        }
    }

    /// The truth of a real report, from its `*.expected.json` (shared/real/README.md).
    /// Figures are printed plainly; the place is the first of [`PLACES`] unless the JSON
    /// names an agency, in which case that name is printed and parsed by the extractor.
    pub fn from_expected(expected: &Value) -> Option<Truth> {
        let template = match expected["metadata"]["template"].as_str()? {
            "2021" => Template::T2021,
            "2019" => Template::T2019,
            _ => return None,
        };
        let print = |v: &Value| match v {
            Value::Null => Printed::blank(),
            Value::String(s) => Printed::plain(s),
            other => Printed::plain(other),
        };
        let apps = expected["applications"].as_object()?;
        let applications = ApplicationRow::ALL
            .iter()
            .filter_map(|r| {
                let row = apps.get(r.key())?;
                let printed = Applicant::ALL
                    .iter()
                    .map(|a| print(&row[a.key()]))
                    .collect();
                Some((*r, printed))
            })
            .collect();
        let review = Proceeding::ALL
            .iter()
            .map(|p| {
                let row = &expected["review_litigation"][p.key()];
                (
                    *p,
                    Outcome::ALL.iter().map(|o| print(&row[o.key()])).collect(),
                )
            })
            .collect();
        let mut active = Vec::new();
        let mut procurement_unit_in_cell = false;
        for item in ActiveItem::ALL {
            let Some(categories) = expected["active_disclosure"][item.key()].as_object() else {
                continue;
            };
            for category in ActiveCategory::ALL {
                let Some(metrics) = categories.get(category.key()) else {
                    continue;
                };
                for metric in ActiveMetric::ALL {
                    let cell = &metrics[metric.key()];
                    if cell.is_null() {
                        continue;
                    }
                    let unit = cell["unit"].as_str().unwrap_or("").to_string();
                    let mut printed = print(&cell["value"]);
                    if *metric == ActiveMetric::ProcurementAmount && unit == "元" {
                        printed.raw.push('元');
                        procurement_unit_in_cell = true;
                    }
                    active.push(ActiveTruth {
                        item: *item,
                        category: *category,
                        metric: *metric,
                        printed,
                        unit,
                    });
                }
            }
        }
        Some(Truth {
            template,
            place: PLACES[0].clone(),
            year: expected["metadata"]["year"].as_u64()? as u16,
            published: expected["metadata"]["published_date"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            split_title: true,
            heading_style: 0,
            applications,
            review,
            active,
            procurement_unit_in_cell,
            label_variants: false,
        })
    }

    /// Whether （六）其他处理 is one row (the 2019 form, and some 2021 reports).
    pub fn single_other(&self) -> bool {
        self.applications
            .iter()
            .any(|(r, _)| *r == ApplicationRow::Other)
    }

    pub fn application_total(&self, row: ApplicationRow) -> u64 {
        self.applications
            .iter()
            .find(|(r, _)| *r == row)
            .and_then(|(_, cells)| cells[6].value.as_deref())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }
}

fn random_active(
    template: Template,
    noise: Noise,
    unit_in_cell: bool,
    rng: &mut Rng,
) -> Vec<ActiveTruth> {
    use ActiveCategory::*;
    use ActiveItem::*;
    use ActiveMetric::*;
    let mut cells = Vec::new();
    let mut push = |item, category, metric, printed: Printed, unit: &str| {
        cells.push(ActiveTruth {
            item,
            category,
            metric,
            printed,
            unit: unit.to_string(),
        })
    };
    match template {
        Template::T2021 => {
            for category in [Regulations, NormativeDocuments] {
                let issued = small(rng, 0.4, 30);
                let repealed = small(rng, 0.6, 10);
                let in_force = issued + small(rng, 0.2, 400);
                for (metric, v) in [(Issued, issued), (Repealed, repealed), (InForce, in_force)] {
                    push(Item1, category, metric, print_count(v, noise, rng), "");
                }
            }
            push(
                Item5,
                AdministrativeLicense,
                Decisions,
                print_count(small(rng, 0.2, 5000), noise, rng),
                "",
            );
            for category in [AdministrativePenalty, AdministrativeCoercion] {
                push(
                    Item6,
                    category,
                    Decisions,
                    print_count(small(rng, 0.3, 5000), noise, rng),
                    "",
                );
            }
            let fee = if rng.chance(0.4) {
                Printed::plain(0)
            } else {
                let whole = rng.range(0, 9000);
                let frac = rng.range(1, 9999);
                let text = format!("{whole}.{frac:04}");
                let value = text.trim_end_matches('0').to_string();
                Printed {
                    raw: text,
                    value: Some(value),
                }
            };
            push(Item8, AdministrativeFees, FeeAmount, fee, "万元");
        }
        Template::T2019 => {
            for category in [Regulations, NormativeDocuments] {
                let made = small(rng, 0.4, 100);
                for (metric, v) in [
                    (NewlyMade, made),
                    (NewlyPublished, made),
                    (TotalPublished, made + small(rng, 0.3, 300)),
                ] {
                    push(Item1, category, metric, print_count(v, noise, rng), "");
                }
            }
            let with_change = |rng: &mut Rng| {
                let change = rng.range(0, 20) as i64 - 10;
                match change {
                    0 => Printed::plain(0),
                    c if c > 0 => Printed {
                        raw: format!("+{c}"),
                        value: Some(c.to_string()),
                    },
                    c => Printed::plain(c),
                }
            };
            for (item, categories) in [
                (Item5, [AdministrativeLicense, OtherExternalServices]),
                (Item6, [AdministrativePenalty, AdministrativeCoercion]),
            ] {
                for category in categories {
                    push(
                        item,
                        category,
                        PriorYearCount,
                        print_count(small(rng, 0.2, 3000), noise, rng),
                        "",
                    );
                    push(item, category, Change, with_change(rng), "");
                    push(
                        item,
                        category,
                        Decisions,
                        print_count(small(rng, 0.3, 500), noise, rng),
                        "",
                    );
                }
            }
            push(
                Item8,
                AdministrativeFees,
                PriorYearCount,
                print_count(small(rng, 0.3, 50), noise, rng),
                "",
            );
            push(Item8, AdministrativeFees, Change, with_change(rng), "");
            push(
                Item9,
                CentralizedProcurement,
                ProcurementCount,
                print_count(small(rng, 0.2, 200), noise, rng),
                "",
            );
            let amount = if unit_in_cell {
                let v = rng.range(1000, 90_000_000);
                Printed {
                    raw: format!("{v}元"),
                    value: Some(v.to_string()),
                }
            } else {
                let whole = rng.range(0, 9000);
                let frac = rng.range(1, 99);
                let text = format!("{whole}.{frac:02}");
                Printed {
                    value: Some(text.trim_end_matches('0').to_string()),
                    raw: text,
                }
            };
            push(
                Item9,
                CentralizedProcurement,
                ProcurementAmount,
                amount,
                if unit_in_cell { "元" } else { "万元" },
            );
        }
        Template::Pre2019 | Template::Unknown => {}
    }
    cells
}
