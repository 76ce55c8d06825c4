//! CSV sink: a directory holding one CSV per record type (documents.csv,
//! figures.csv, indicators.csv, line_items.csv, findings.csv), each UTF-8 with
//! a BOM. One file per type rather than one wide file because the types share
//! few columns; every file is written, with its header, even when empty, so
//! scripts can rely on the set.

use std::io::{BufWriter, Write};
use std::path::Path;

use super::{Cell, Counts, SinkError, table_rows, tables};
use crate::record::Record;

pub fn write_dir<I: IntoIterator<Item = Record>>(
    records: I,
    dir: &Path,
) -> Result<Counts, SinkError> {
    std::fs::create_dir_all(dir).map_err(|e| SinkError::io(dir, e))?;
    // Buffered per table: line items need department/year from documents that
    // may come later in the stream.
    let (rows, counts) = table_rows(records);
    for (def, table) in tables().iter().zip(&rows) {
        let path = dir.join(format!("{}.csv", def.name));
        let f = std::fs::File::create(&path).map_err(|e| SinkError::io(&path, e))?;
        let text: Vec<Vec<String>> = table
            .iter()
            .map(|row| row.iter().map(Cell::to_text).collect())
            .collect();
        write_table(BufWriter::new(f), &def.column_names(), &text).map_err(|e| match e {
            SinkError::Io { source, .. } => SinkError::io(&path, source),
            other => other,
        })?;
    }
    Ok(counts)
}

/// One CSV table with a UTF-8 BOM: Excel reads BOM-less UTF-8 in the locale
/// code page and garbles the Chinese names.
pub fn write_table<W: Write, H: AsRef<str>>(
    mut w: W,
    header: &[H],
    rows: &[Vec<String>],
) -> Result<(), SinkError> {
    let output = |e| SinkError::io(Path::new("<output>"), e);
    w.write_all("\u{feff}".as_bytes()).map_err(output)?;
    let mut csv = ::csv::Writer::from_writer(w);
    csv.write_record(header.iter().map(|h| h.as_ref()))?;
    for row in rows {
        csv.write_record(row)?;
    }
    csv.flush().map_err(output)?;
    Ok(())
}
