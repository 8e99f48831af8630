//! Class 3 on the truth: units printed inside figure cells. Counts carry `件` in a share
//! of their cells; table 二's money cell prints `万元` or `元` after its amount, converted
//! where the unit changes.
//!
//! Input: the truth, the [`Units`] drawn and a random stream for the per-cell choices.
//! Output: the truth as printed — raw texts with their units, and for the money cell its
//! value and unit in the unit the cell prints.

use nianbao_model::ActiveMetric;

use super::{AmountPrint, Units};
use crate::rng::Rng;
use crate::truth::{Printed, Truth};

pub(super) fn apply(truth: &mut Truth, units: Units, rng: &mut Rng) {
    let share = f64::from(units.counts_percent) / 100.0;
    let tables = truth.applications.iter_mut().map(|(_, cells)| cells);
    let review = truth.review.iter_mut().map(|(_, cells)| cells);
    for cell in tables.chain(review).flatten() {
        count_unit(cell, share, rng);
    }
    for cell in truth.active.iter_mut() {
        // 本年增/减 prints a sign; money has units of its own.
        if !cell.metric.is_amount() && cell.metric != ActiveMetric::Change {
            count_unit(&mut cell.printed, share, rng);
        }
    }
    amount(truth, units.amount);
}

/// `12` → `12件`; a blank cell stays blank.
fn count_unit(p: &mut Printed, share: f64, rng: &mut Rng) {
    if p.value.is_some() && rng.chance(share) {
        p.raw.push('件');
    }
}

fn amount(truth: &mut Truth, print: AmountPrint) {
    if print == AmountPrint::AsDrawn {
        return;
    }
    let Some(cell) = truth.active.iter_mut().find(|c| c.metric.is_amount()) else {
        return;
    };
    let Some(value) = cell.printed.value.clone() else {
        return;
    };
    let (wan, wan_raw) = if cell.unit == "元" {
        let wan = yuan_to_wan(&value);
        (wan.clone(), wan)
    } else {
        (value, cell.printed.raw.clone())
    };
    let (raw, value, unit) = match print {
        AmountPrint::CellYuan => {
            let yuan = wan_to_yuan(&wan);
            (format!("{yuan}元"), yuan, "元")
        }
        _ => (format!("{wan_raw}万元"), wan, "万元"),
    };
    cell.printed = Printed {
        raw,
        value: Some(value),
    };
    cell.unit = unit.to_string();
    // With the unit in the cell, the 2019 header names none (采购总金额).
    let procurement = cell.metric == ActiveMetric::ProcurementAmount;
    truth.procurement_unit_in_cell |= procurement;
}

/// `1234.5678` (万元) → `12345678` (元); amounts carry at most four decimals.
fn wan_to_yuan(wan: &str) -> String {
    let (whole, frac) = wan.split_once('.').unwrap_or((wan, ""));
    let whole: u64 = whole.parse().expect("a drawn amount");
    let frac: u64 = format!("{frac:0<4}")
        .parse()
        .expect("four decimals at most");
    (whole * 10_000 + frac).to_string()
}

/// `251000` (元) → `25.1` (万元).
fn yuan_to_wan(yuan: &str) -> String {
    let n: u64 = yuan.parse().expect("a drawn amount in 元");
    let (whole, frac) = (n / 10_000, n % 10_000);
    if frac == 0 {
        return whole.to_string();
    }
    format!("{whole}.{frac:04}")
        .trim_end_matches('0')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_convert_exactly() {
        assert_eq!(wan_to_yuan("1234.5678"), "12345678");
        assert_eq!(wan_to_yuan("12.3"), "123000");
        assert_eq!(wan_to_yuan("0"), "0");
        assert_eq!(yuan_to_wan("251000"), "25.1");
        assert_eq!(yuan_to_wan("10000"), "1");
        assert_eq!(yuan_to_wan("1001"), "0.1001");
    }
}
