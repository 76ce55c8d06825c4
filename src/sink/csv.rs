//! CSV sink: a directory holding one CSV per record type (documents.csv,
//! figures.csv, indicators.csv, line_items.csv, findings.csv), each UTF-8 with
//! a BOM. One file per type rather than one wide file because the types share
//! few columns; every file is written, with its header, even when empty, so
//! scripts can rely on the set.

use std::io::{BufWriter, Write};
use std::path::Path;

use super::{Cell, Counts, SinkError, TABLES, table_rows};
use crate::record::Record;

pub fn write_dir<I: IntoIterator<Item = Record>>(
    records: I,
    dir: &Path,
) -> Result<Counts, SinkError> {
    std::fs::create_dir_all(dir).map_err(|e| SinkError::io(dir, e))?;
    // Buffered per table: line items need department/year from documents that
    // may come later in the stream.
    let (rows, counts) = table_rows(records);
    for (def, table) in TABLES.iter().zip(&rows) {
        let path = dir.join(format!("{}.csv", def.name));
        let f = std::fs::File::create(&path).map_err(|e| SinkError::io(&path, e))?;
        let mut f = BufWriter::new(f);
        // BOM: Excel reads BOM-less UTF-8 in the locale code page.
        f.write_all("\u{feff}".as_bytes())
            .map_err(|e| SinkError::io(&path, e))?;
        let mut w = ::csv::Writer::from_writer(f);
        w.write_record(def.columns.iter().map(|c| c.0))?;
        for row in table {
            w.write_record(row.iter().map(Cell::to_text))?;
        }
        w.flush().map_err(|e| SinkError::io(&path, e))?;
    }
    Ok(counts)
}
