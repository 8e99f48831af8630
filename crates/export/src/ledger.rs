//! What a batch keeps of every finished document until its end: the fields that group
//! the sources of one report into a panel row, and the table 二 counts that other
//! documents of the same body may draw on as evidence.
//!
//! Kept packed into one buffer, about 200 bytes a document, where a struct of strings and
//! a list of counts took some 600 bytes in a dozen allocations: what a batch holds grows
//! with the corpus three times more slowly.

use nianbao_model::Status;

use crate::panel::SourceEntry;
use crate::DocInfo;

/// Every finished document's record, in the order they were kept.
#[derive(Default)]
pub(crate) struct Ledger {
    bytes: Vec<u8>,
    /// Where each record starts in `bytes`.
    starts: Vec<usize>,
}

/// One document's record, read back borrowed from the ledger.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Record<'a> {
    pub entry: SourceEntry<'a>,
    /// Table 二 counts, packed (see [`Record::table_two`]); empty for a document that can
    /// never be evidence.
    table_two: &'a [u8],
    /// Count-prefixed `(row, applicant, value)` of table 三's carried rows.
    carry: &'a [u8],
    pub error: &'a str,
    /// The document's own checks that fail.
    pub checks_failed: u64,
    /// [`crate::HEADLINES`], where printed.
    pub headline: [Option<u64>; 3],
}

impl Ledger {
    /// A ledger with room for `documents` records' positions.
    pub fn with_capacity(documents: usize) -> Ledger {
        Ledger {
            bytes: Vec::new(),
            starts: Vec::with_capacity(documents),
        }
    }

    /// Keeps what the end of the batch needs of a document.
    pub fn push(&mut self, info: &DocInfo) {
        self.starts.push(self.bytes.len());
        let out = &mut self.bytes;
        for text in [
            &info.report_id,
            &info.division_code,
            &info.body_name,
            &info.template,
            &info.format,
            &info.fingerprint,
            &info.source,
            &info.error,
        ] {
            put_number(out, text.len() as u64);
            out.extend_from_slice(text.as_bytes());
        }
        put_number(out, info.year.map_or(0, |y| u64::from(y) + 1));
        out.push(match info.status() {
            Status::Ok => 0,
            Status::Partial => 1,
            Status::Failed => 2,
        });
        put_number(out, info.cells as u64);
        put_number(out, info.failed_check_kinds.len() as u64);
        for figure in info.headline {
            put_number(out, figure.map_or(0, |v| v.saturating_add(1)));
        }
        // Only a document of some body's report is ever evidence (`evidence_for`).
        let evidence = SourceEntry::of(info).in_report();
        let carry: &[(u8, u8, u64)] = if evidence { &info.carry } else { &[] };
        put_number(out, carry.len() as u64);
        for &(row, applicant, value) in carry {
            out.extend_from_slice(&[row, applicant]);
            put_number(out, value);
        }
        let cells: &[(u8, u8, u8, u64)] = if evidence { &info.table_two } else { &[] };
        put_number(out, cells.len() as u64);
        for &(item, category, metric, value) in cells {
            out.extend_from_slice(&[item, category, metric]);
            put_number(out, value);
        }
    }

    /// Documents recorded.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The records in the order they were kept.
    pub fn records(&self) -> impl Iterator<Item = Record<'_>> + '_ {
        self.starts.iter().enumerate().map(|(i, &start)| {
            let end = self.starts.get(i + 1).copied().unwrap_or(self.bytes.len());
            // Written by `push` just above: always whole.
            Record::read(&self.bytes[start..end]).expect("a ledger record reads back")
        })
    }
}

impl<'a> Record<'a> {
    fn read(mut bytes: &'a [u8]) -> Option<Record<'a>> {
        let input = &mut bytes;
        let report_id = take_str(input)?;
        let division_code = take_str(input)?;
        let agency = take_str(input)?;
        let template = take_str(input)?;
        let format = take_str(input)?;
        let fingerprint = take_str(input)?;
        let source = take_str(input)?;
        let error = take_str(input)?;
        let year = match take_number(input)? {
            0 => None,
            y => Some(u16::try_from(y - 1).ok()?),
        };
        let status = match take(input, 1)? {
            [0] => Status::Ok,
            [1] => Status::Partial,
            _ => Status::Failed,
        };
        let cells = usize::try_from(take_number(input)?).ok()?;
        let checks_failed = take_number(input)?;
        let mut headline = [None; 3];
        for figure in &mut headline {
            *figure = take_number(input)?.checked_sub(1);
        }
        let carry_start = *input;
        for _ in 0..take_number(input)? {
            take(input, 2)?;
            take_number(input)?;
        }
        let carry = &carry_start[..carry_start.len() - input.len()];
        // The counts run to the end of the record.
        take_number(input)?;
        Some(Record {
            entry: SourceEntry {
                report_id,
                source,
                division_code,
                agency,
                year,
                template,
                status,
                cells,
                format,
                fingerprint,
            },
            table_two: input,
            carry,
            error,
            checks_failed,
            headline,
        })
    }

    /// Table 二 counts as (item, category, metric) positions and value.
    /// Table 三's carried rows: `(row, applicant, value)`, `row` 0 for 二、上年结转 and 1
    /// for 四、结转下年度继续办理, `applicant` a position in `Applicant::ALL`.
    pub fn carry(&self) -> impl Iterator<Item = (u8, u8, u64)> + 'a {
        let mut rest = self.carry;
        let count = take_number(&mut rest).unwrap_or(0);
        (0..count).map_while(move |_| {
            let key = take(&mut rest, 2)?;
            let value = take_number(&mut rest)?;
            Some((key[0], key[1], value))
        })
    }

    pub fn table_two(&self) -> impl Iterator<Item = (u8, u8, u8, u64)> + 'a {
        let mut rest = self.table_two;
        std::iter::from_fn(move || {
            let key = take(&mut rest, 3)?;
            let value = take_number(&mut rest)?;
            Some((key[0], key[1], key[2], value))
        })
    }
}

/// A number in LEB128: seven bits a byte, low bits first.
fn put_number(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn take<'a>(input: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (head, rest) = input.split_at_checked(n)?;
    *input = rest;
    Some(head)
}

fn take_number(input: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *take(input, 1)?.first()?;
        n |= u64::from(byte & 0x7F) << shift;
        if byte < 0x80 {
            return Some(n);
        }
    }
    None
}

fn take_str<'a>(input: &mut &'a [u8]) -> Option<&'a str> {
    let len = usize::try_from(take_number(input)?).ok()?;
    std::str::from_utf8(take(input, len)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(id: &str, agency: &str, year: Option<u16>, status: &str) -> DocInfo {
        DocInfo {
            report_id: id.into(),
            source: format!("{id}.html"),
            format: "html".into(),
            template: "2021".into(),
            status: status.into(),
            error: String::new(),
            failed_check_kinds: Vec::new(),
            warnings: 0,
            body_name: agency.into(),
            division_code: "110105".into(),
            year,
            cells: 130,
            fingerprint: "0123456789abcdef".into(),
            table_two: vec![
                (0, 1, 2, 0),
                (3, 4, 5, 127),
                (6, 7, 8, 128),
                (1, 0, 2, u64::MAX),
            ],
            ambiguous: false,
            carry: vec![(0, 0, 3), (1, 6, 300), (1, 2, u64::MAX)],
            headline: [Some(0), None, Some(u64::MAX - 1)],
            warning_codes: Vec::new(),
            filled: Vec::new(),
        }
    }

    #[test]
    fn records_read_back_as_kept() {
        let kept = [
            info("r1", "北京市朝阳区人民政府", Some(2024), "ok"),
            info("r2", "", Some(2023), "partial"),
            info("r3", "某局", None, "ok"),
            info("r4", "某局", Some(0), "failed"),
            info("", "", None, "ok"),
        ];
        let mut ledger = Ledger::with_capacity(kept.len());
        for i in &kept {
            ledger.push(i);
        }
        let records: Vec<Record<'_>> = ledger.records().collect();
        assert_eq!(records.len(), kept.len());
        for (record, info) in records.iter().map(|r| r.entry).zip(&kept) {
            assert_eq!(record.report_id, info.report_id);
            assert_eq!(record.division_code, info.division_code);
            assert_eq!(record.agency, info.body_name);
            assert_eq!(record.template, info.template);
            assert_eq!(record.format, info.format);
            assert_eq!(record.fingerprint, info.fingerprint);
            assert_eq!(record.year, info.year);
            assert_eq!(record.status, info.status());
            assert_eq!(record.cells, info.cells);
        }
        for (record, info) in records.iter().zip(&kept) {
            assert_eq!(record.entry.source, info.source);
            assert_eq!(record.headline, info.headline);
        }
        // Counts are kept only where they can be evidence: an ok or partial document
        // with an agency and a year.
        let counts: Vec<Vec<_>> = records.iter().map(|r| r.table_two().collect()).collect();
        assert_eq!(counts[0], kept[0].table_two);
        assert!(counts[1..].iter().all(Vec::is_empty), "{counts:?}");
        let carried: Vec<Vec<_>> = records.iter().map(|r| r.carry().collect()).collect();
        assert_eq!(carried[0], kept[0].carry);
        assert!(carried[1..].iter().all(Vec::is_empty), "{carried:?}");
    }

    #[test]
    fn bodies_are_matched_whole() {
        let mut ledger = Ledger::default();
        ledger.push(&info("r1", "某局", Some(2024), "ok"));
        let record = ledger.records().next().unwrap();
        assert!(record.entry.is_of_body("110105|某局"));
        for other in [
            "110105|某局 ",
            "110105某局",
            "11010|某局",
            "110105|局",
            "|某局",
            "",
        ] {
            assert!(!record.entry.is_of_body(other), "{other:?}");
        }
    }

    #[test]
    fn numbers_round_trip() {
        for n in [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = Vec::new();
            put_number(&mut out, n);
            let mut input = out.as_slice();
            assert_eq!(take_number(&mut input), Some(n));
            assert!(input.is_empty());
        }
        assert_eq!(take_number(&mut [0x80u8, 0x80].as_slice()), None);
    }
}
