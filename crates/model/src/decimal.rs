//! An exact decimal: reports print amounts such as `4166.241619` 万元, and no digit may be
//! lost to floating point on the way to the CSV or in the arithmetic checks.

use std::cmp::Ordering;
use std::fmt;

/// `mantissa × 10^-scale`, kept normalised (no trailing fractional zeros).
#[derive(Clone, Copy, Debug)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

/// More fractional digits than any report prints; past this a value is not a number to us.
const MAX_SCALE: u32 = 12;
/// Integer digits we accept; larger is not a count or an amount in 万元/元.
const MAX_INT_DIGITS: usize = 20;

impl Decimal {
    pub const ZERO: Decimal = Decimal {
        mantissa: 0,
        scale: 0,
    };

    pub fn from_int(v: i64) -> Decimal {
        Decimal {
            mantissa: v as i128,
            scale: 0,
        }
    }

    /// Parses `[+-]digits[.digits]` (ASCII only; callers normalise first).
    pub fn parse(s: &str) -> Option<Decimal> {
        let bytes = s.as_bytes();
        let (negative, body) = match bytes.first()? {
            b'-' => (true, &bytes[1..]),
            b'+' => (false, &bytes[1..]),
            _ => (false, bytes),
        };
        let point = body.iter().position(|&b| b == b'.');
        let (int_part, frac_part) = match point {
            Some(at) => (&body[..at], &body[at + 1..]),
            None => (body, &[][..]),
        };
        if (int_part.is_empty() && frac_part.is_empty())
            || (point.is_some() && frac_part.is_empty())
            || int_part.len() > MAX_INT_DIGITS
            || frac_part.len() > MAX_SCALE as usize
        {
            return None;
        }
        // At most 32 digits: an i128 holds them; the first 19 are summed in a u64, which
        // is all most figures have.
        let digits = int_part.iter().chain(frac_part);
        let (mut small, mut mantissa, mut count) = (0u64, 0i128, 0);
        for &b in digits {
            if !b.is_ascii_digit() {
                return None; // a second point, or any other character
            }
            let digit = b - b'0';
            if count < 19 {
                small = small * 10 + u64::from(digit);
            } else {
                if count == 19 {
                    mantissa = i128::from(small);
                }
                mantissa = mantissa * 10 + i128::from(digit);
            }
            count += 1;
        }
        if count <= 19 {
            mantissa = i128::from(small);
        }
        if negative {
            mantissa = -mantissa;
        }
        Some(
            Decimal {
                mantissa,
                scale: frac_part.len() as u32,
            }
            .normalized(),
        )
    }

    fn normalized(mut self) -> Decimal {
        // Most figures are whole: no 128-bit division for them (the compiler would compute
        // the remainder before testing the scale).
        if self.scale == 0 {
            return self;
        }
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        self
    }

    fn rescaled(self, scale: u32) -> i128 {
        self.mantissa * 10i128.pow(scale - self.scale)
    }

    pub fn is_integer(&self) -> bool {
        self.scale == 0
    }

    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        if self.scale == 0 && other.scale == 0 {
            let mantissa = self.mantissa.checked_add(other.mantissa)?;
            return Some(Decimal { mantissa, scale: 0 });
        }
        let scale = self.scale.max(other.scale);
        let mantissa = self.rescaled(scale).checked_add(other.rescaled(scale))?;
        Some(Decimal { mantissa, scale }.normalized())
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Decimal {}
impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.scale == other.scale {
            return self.mantissa.cmp(&other.mantissa);
        }
        let scale = self.scale.max(other.scale);
        self.rescaled(scale).cmp(&other.rescaled(scale))
    }
}

impl Decimal {
    /// The number as [`Display`](fmt::Display) prints it, made without the formatting
    /// machinery (a report has hundreds of figures, each printed in several files): plain
    /// digits, a point only when there is a fraction: `1549`, `-0.25`.
    pub fn printed(&self) -> Printed {
        let mut printed = Printed {
            text: [0u8; 50],
            start: 0,
        };
        let len = self.printed_len();
        printed.start = printed.text.len() - len;
        self.fill(&mut printed.text[printed.start..]);
        printed
    }

    /// Appends [`Decimal::printed`] to `out`. The digits are written straight into place:
    /// a copy read back right after its bytes were stored one by one stalls the processor.
    pub fn print_to(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.resize(start + self.printed_len(), b'0');
        if let Some(slot) = out.get_mut(start..) {
            self.fill(slot);
        }
    }

    /// The length of the printed form: at most 39 digits of an i128, a leading `0.` and
    /// the scale's zeros past them, and a sign; the scale counts as at most 40 (more than
    /// any parse or sum makes), which keeps it within [`Printed`]'s 50 bytes.
    pub fn printed_len(&self) -> usize {
        let scale = self.print_scale();
        let abs = self.mantissa.unsigned_abs();
        // Counted on a u64 where it fits: dividing a u128 is a library call.
        let digits = match u64::try_from(abs) {
            Ok(small) => small.checked_ilog10().map_or(1, |d| d as usize + 1),
            Err(_) => abs.ilog10() as usize + 1,
        };
        digits.max(scale + 1) + usize::from(scale > 0) + usize::from(self.mantissa < 0)
    }

    fn print_scale(&self) -> usize {
        (self.scale as usize).min(40)
    }

    /// Writes the printed form into `slot`, which is [`Decimal::printed_len`] long, from
    /// the right.
    fn fill(&self, slot: &mut [u8]) {
        let mut w = RightToLeft {
            at: slot.len(),
            slot,
            written: 0,
            scale: self.print_scale(),
        };
        let mut rest = self.mantissa.unsigned_abs();
        while rest > u128::from(u64::MAX) {
            w.digit((rest % 10) as u8);
            rest /= 10;
        }
        let mut small = rest as u64; // fits: the loop above left at most u64::MAX
        loop {
            w.digit((small % 10) as u8);
            small /= 10;
            // Past the point, so that `0.05` keeps its leading zero.
            if small == 0 && w.written > w.scale {
                break;
            }
        }
        if self.mantissa < 0 {
            w.put(b'-');
        }
    }
}

/// Writes a number's characters from the right end of a slot.
struct RightToLeft<'a> {
    slot: &'a mut [u8],
    at: usize,
    /// Digits written so far; the point goes before the `scale`-th from the right.
    written: usize,
    scale: usize,
}

impl RightToLeft<'_> {
    fn put(&mut self, b: u8) {
        // The slot is sized by `printed_len`, so `at` never runs out; checked all the same.
        if let Some(at) = self.at.checked_sub(1) {
            self.at = at;
            self.slot[at] = b;
        }
    }

    fn digit(&mut self, d: u8) {
        if self.written == self.scale && self.scale > 0 {
            self.put(b'.');
        }
        self.put(b'0' + d);
        self.written += 1;
    }
}

/// A number's printed form, on the stack; derefs to the text.
pub struct Printed {
    text: [u8; 50],
    /// Where the text starts: it is written at the end.
    start: usize,
}

impl std::ops::Deref for Printed {
    type Target = str;
    fn deref(&self) -> &str {
        // Only ASCII digits, `-` and `.` are written.
        std::str::from_utf8(&self.text[self.start..]).unwrap_or_default()
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.printed())
    }
}

impl std::iter::Sum for Decimal {
    fn sum<I: Iterator<Item = Decimal>>(iter: I) -> Decimal {
        iter.fold(Decimal::ZERO, |a, b| a.checked_add(b).unwrap_or(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_exactly() {
        for (input, printed) in [
            ("1549", "1549"),
            ("4166.241619", "4166.241619"),
            ("0.50", "0.5"),
            ("+1036", "1036"),
            ("-3", "-3"),
            ("0.05", "0.05"),
            ("007", "7"),
        ] {
            assert_eq!(
                Decimal::parse(input).unwrap().to_string(),
                printed,
                "{input}"
            );
        }
    }

    #[test]
    fn prints_every_width_and_scale_like_the_plain_formula() {
        let reference = |mantissa: i128, scale: u32| {
            let digits = format!(
                "{:0>width$}",
                mantissa.unsigned_abs(),
                width = scale as usize + 1
            );
            let (int_part, frac_part) = digits.split_at(digits.len() - scale as usize);
            let sign = if mantissa < 0 { "-" } else { "" };
            let point = if scale > 0 { "." } else { "" };
            format!("{sign}{int_part}{point}{frac_part}")
        };
        let big = i128::from(u64::MAX);
        for mantissa in [
            0,
            1,
            -1,
            7,
            -10,
            123_456_789,
            big,
            big + 1,
            -big - 1,
            10i128.pow(38) + 5,
            i128::MAX,
            i128::MIN + 1,
        ] {
            for scale in 0..=MAX_SCALE {
                let decimal = Decimal { mantissa, scale };
                let expected = reference(mantissa, scale);
                assert_eq!(decimal.to_string(), expected, "{mantissa} scale {scale}");
                assert_eq!(decimal.printed_len(), expected.len());
                let mut appended = b"x,".to_vec();
                decimal.print_to(&mut appended);
                assert_eq!(appended, format!("x,{expected}").as_bytes());
            }
        }
    }

    #[test]
    fn parses_every_length_exactly() {
        // Across the point where the sum moves from a u64 to an i128, up to the 20
        // integer and 12 fractional digits accepted.
        let digits =
            |len: usize| -> String { (0..len).map(|i| char::from(b'1' + (i % 9) as u8)).collect() };
        for len in 1..=20 {
            for text in [digits(len), format!("-{}", digits(len))] {
                let value = Decimal::parse(&text).unwrap();
                assert_eq!(value.to_string(), text, "{len} digits");
            }
        }
        for frac in 1..=12 {
            let text = format!("{}.{}", digits(20), digits(frac));
            assert_eq!(Decimal::parse(&text).unwrap().to_string(), text);
        }
        assert_eq!(Decimal::parse(".5").unwrap().to_string(), "0.5");
        assert!(Decimal::parse(&"9".repeat(21)).is_none());
        assert!(Decimal::parse(&format!("1.{}", "1".repeat(13))).is_none());
    }

    #[test]
    fn rejects_non_numbers() {
        for input in [
            "", "-", "1.", ".", "1.2.3", "12a", "１２", "1,549", "+", "-.", "1-2",
        ] {
            assert!(Decimal::parse(input).is_none(), "{input}");
        }
    }

    #[test]
    fn adds_across_scales() {
        let a = Decimal::parse("0.1").unwrap();
        let b = Decimal::parse("2.25").unwrap();
        assert_eq!(a.checked_add(b).unwrap(), Decimal::parse("2.35").unwrap());
        assert_eq!(
            Decimal::parse("3").unwrap(),
            Decimal::parse("3.000").unwrap()
        );
    }
}
