//! `NAME.parquet` beside each `NAME.csv` (`--parquet`, cargo feature `parquet`): the same
//! rows, typed by the codebook: text, codes, ids as UTF-8 strings; integers as Int64;
//! decimals as Decimal128 with the column's largest scale, so every value stays exact;
//! dates as Date32; booleans as Boolean. A blank is a null.

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Decimal128Builder, Int64Builder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::schema::ColumnType;

/// Rows per record batch, and per row group (which the writer holds until it is full):
/// memory stays bounded whatever the file's size.
const BATCH_ROWS: usize = 16 * 1024;
const ROW_GROUP_ROWS: usize = 128 * 1024;
/// Decimal128's largest scale (and precision).
const MAX_SCALE: u32 = 38;

/// Writes `csv`'s rows to `parquet`, each column typed as `kinds` says (by position).
pub fn convert(csv: &Path, parquet: &Path, kinds: &[ColumnType]) -> io::Result<()> {
    let scales = decimal_scales(csv, kinds)?;
    if let Some(scale) = scales.iter().find(|&&s| s > MAX_SCALE) {
        return Err(io::Error::other(format!(
            "{}: a decimal with {scale} fractional digits, more than Parquet's {MAX_SCALE}",
            csv.display()
        )));
    }
    let fields: Vec<Field> = header(csv)?
        .iter()
        .zip(kinds)
        .zip(&scales)
        .map(|((name, kind), scale)| Field::new(name, data_type(*kind, *scale), true))
        .collect();
    if fields.len() != kinds.len() {
        return Err(io::Error::other(format!(
            "{}: {} columns, {} types",
            csv.display(),
            fields.len(),
            kinds.len()
        )));
    }
    let schema = Arc::new(Schema::new(fields));
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_size(ROW_GROUP_ROWS)
        .build();
    let out = File::create(parquet)?;
    let mut writer =
        ArrowWriter::try_new(out, schema.clone(), Some(properties)).map_err(io::Error::other)?;
    let mut reader = reader(csv)?;
    let mut rows: Vec<csv::StringRecord> = Vec::with_capacity(BATCH_ROWS);
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(io::Error::other)?;
        if more {
            rows.push(record.clone());
        }
        if rows.len() == BATCH_ROWS || (!more && !rows.is_empty()) {
            let columns = (0..kinds.len())
                .map(|i| column(&rows, i, kinds[i], scales[i]))
                .collect::<io::Result<Vec<ArrayRef>>>()?;
            let batch = RecordBatch::try_new(schema.clone(), columns).map_err(io::Error::other)?;
            writer.write(&batch).map_err(io::Error::other)?;
            rows.clear();
        }
        if !more {
            break;
        }
    }
    writer.close().map_err(io::Error::other)?;
    Ok(())
}

fn reader(csv: &Path) -> io::Result<csv::Reader<io::BufReader<File>>> {
    Ok(csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(io::BufReader::with_capacity(1 << 20, File::open(csv)?)))
}

fn header(csv: &Path) -> io::Result<Vec<String>> {
    let mut reader = reader(csv)?;
    let header = reader.headers().map_err(io::Error::other)?;
    Ok(header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect())
}

fn data_type(kind: ColumnType, scale: u32) -> DataType {
    match kind {
        ColumnType::Text | ColumnType::Code | ColumnType::Id => DataType::Utf8,
        ColumnType::Integer => DataType::Int64,
        ColumnType::Decimal => DataType::Decimal128(38, scale as i8),
        ColumnType::Date => DataType::Date32,
        ColumnType::Boolean => DataType::Boolean,
    }
}

/// Per column, the most fractional digits any of its decimals has.
fn decimal_scales(csv: &Path, kinds: &[ColumnType]) -> io::Result<Vec<u32>> {
    let mut scales = vec![0u32; kinds.len()];
    let mut reader = reader(csv)?;
    for record in reader.records() {
        let record = record.map_err(io::Error::other)?;
        for (i, field) in record.iter().enumerate() {
            if kinds.get(i) == Some(&ColumnType::Decimal) {
                if let Some((_, digits)) = field.split_once('.') {
                    scales[i] = scales[i].max(digits.len() as u32);
                }
            }
        }
    }
    Ok(scales)
}

fn bad(value: &str, kind: ColumnType) -> io::Error {
    io::Error::other(format!(
        "{value:?} is not a value of type {}",
        kind.as_str()
    ))
}

/// Column `i` of `rows` as an Arrow array of its type.
fn column(
    rows: &[csv::StringRecord],
    i: usize,
    kind: ColumnType,
    scale: u32,
) -> io::Result<ArrayRef> {
    let cells = rows.iter().map(|r| r.get(i).filter(|v| !v.is_empty()));
    Ok(match kind {
        ColumnType::Text | ColumnType::Code | ColumnType::Id => {
            let mut b = StringBuilder::new();
            cells.for_each(|v| b.append_option(v));
            Arc::new(b.finish())
        }
        ColumnType::Integer => {
            let mut b = Int64Builder::with_capacity(rows.len());
            for v in cells {
                b.append_option(v.map(|v| v.parse().map_err(|_| bad(v, kind))).transpose()?);
            }
            Arc::new(b.finish())
        }
        ColumnType::Decimal => {
            let mut b = Decimal128Builder::with_capacity(rows.len());
            for v in cells {
                b.append_option(
                    v.map(|v| scaled(v, scale).ok_or_else(|| bad(v, kind)))
                        .transpose()?,
                );
            }
            Arc::new(
                b.finish()
                    .with_precision_and_scale(38, scale as i8)
                    .map_err(io::Error::other)?,
            )
        }
        ColumnType::Date => {
            let mut b = Date32Builder::with_capacity(rows.len());
            for v in cells {
                b.append_option(v.map(|v| days(v).ok_or_else(|| bad(v, kind))).transpose()?);
            }
            Arc::new(b.finish())
        }
        ColumnType::Boolean => {
            let mut b = BooleanBuilder::with_capacity(rows.len());
            for v in cells {
                let value = v.map(|v| match v {
                    "true" => Ok(true),
                    "false" => Ok(false),
                    _ => Err(bad(v, kind)),
                });
                b.append_option(value.transpose()?);
            }
            Arc::new(b.finish())
        }
    })
}

/// A plain decimal (`-12.5`) as an integer of `scale` fractional digits (`-1250` at 2).
fn scaled(text: &str, scale: u32) -> Option<i128> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() || fraction.len() > scale as usize {
        return None;
    }
    let mut n: i128 = 0;
    let padded = fraction
        .chars()
        .chain(std::iter::repeat('0'))
        .take(scale as usize);
    for c in whole.chars().chain(padded) {
        n = n
            .checked_mul(10)?
            .checked_add(i128::from(c.to_digit(10)?))?;
    }
    Some(if negative { -n } else { n })
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
fn days(text: &str) -> Option<i32> {
    let mut parts = text.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    i32::try_from(nianbao_corpus::days_from_civil(y, m, d)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact_at_the_columns_scale() {
        assert_eq!(scaled("1549", 0), Some(1549));
        assert_eq!(scaled("-12.5", 2), Some(-1250));
        assert_eq!(scaled("4166.241619", 6), Some(4_166_241_619));
        assert_eq!(scaled("1.234", 2), None, "never rounded");
        assert_eq!(scaled("1,549", 0), None);
    }

    #[test]
    fn dates_count_days_from_1970() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2024-03-08"), Some(19_790));
        assert_eq!(days("2000-02-29"), Some(11_016));
        assert_eq!(days("2024-13-01"), None);
    }
}
