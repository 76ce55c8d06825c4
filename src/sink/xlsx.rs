//! XLSX sink: one worksheet per record type (same columns as the CSV sink),
//! numbers as numbers, header row frozen.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};

use super::{Cell, Counts, SinkError, TABLES, table_rows};
use crate::record::Record;

/// Excel's row limit; a larger sheet would make the whole file unreadable.
const MAX_ROWS: usize = 1_048_575;

pub fn write<I: IntoIterator<Item = Record>>(records: I, path: &Path) -> Result<Counts, SinkError> {
    let (rows, counts) = table_rows(records);
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for (def, table) in TABLES.iter().zip(&rows) {
        let ws = wb.add_worksheet();
        ws.set_name(def.name)?;
        for (c, (name, _)) in def.columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *name, &bold)?;
        }
        for (r, row) in table.iter().take(MAX_ROWS).enumerate() {
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
        ws.set_freeze_panes(1, 0)?;
    }
    wb.save(path)?;
    Ok(counts)
}
