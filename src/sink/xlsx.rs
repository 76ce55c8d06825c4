//! XLSX sink: one worksheet per record type (same columns as the CSV sink),
//! numbers as numbers, header row frozen.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{Cell, Counts, SinkError, table_rows, tables};
use crate::record::Record;

/// Excel's row limit; a larger sheet would make the whole file unreadable.
const MAX_ROWS: usize = 1_048_575;

pub fn write<I: IntoIterator<Item = Record>>(records: I, path: &Path) -> Result<Counts, SinkError> {
    let (rows, counts) = table_rows(records);
    let mut wb = Workbook::new();
    for (def, table) in tables().iter().zip(&rows) {
        let ws = wb.add_worksheet();
        ws.set_name(def.name)?;
        write_sheet(ws, &def.column_names(), table)?;
        ws.set_freeze_panes(1, 0)?;
    }
    wb.save(path)?;
    Ok(counts)
}

/// A bold header row, then the rows (at most Excel's limit); null cells stay blank.
pub fn write_sheet<H: AsRef<str>>(
    ws: &mut Worksheet,
    header: &[H],
    rows: &[Vec<Cell>],
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, name) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, name.as_ref(), &bold)?;
    }
    for (r, row) in rows.iter().take(MAX_ROWS).enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Null => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                Cell::Int(i) => {
                    ws.write_number(r, c, *i as f64)?;
                }
                Cell::Real(f) => {
                    ws.write_number(r, c, *f)?;
                }
                Cell::Bool(b) => {
                    ws.write_boolean(r, c, *b)?;
                }
            }
        }
    }
    Ok(())
}
