//! `jixiao compare` output: the comparison as the terminal table, CSV (with
//! a BOM), an XLSX workbook or JSON.

use std::io::Write;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::{Cell, SinkError, csv, xlsx};
use crate::compare::{Comparison, headers, render_table, row_cells};
use crate::figures::to_f64;

/// Output formats of `jixiao compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareFormat {
    Table,
    Csv,
    Xlsx,
    Json,
}

impl FromStr for CompareFormat {
    type Err = SinkError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "table" => Ok(Self::Table),
            "csv" => Ok(Self::Csv),
            "xlsx" => Ok(Self::Xlsx),
            "json" => Ok(Self::Json),
            other => Err(SinkError::UnknownCompareFormat(other.to_string())),
        }
    }
}

/// Writes the comparison in `format` to `w`.
pub fn write<W: Write>(cmp: &Comparison, format: CompareFormat, mut w: W) -> Result<(), SinkError> {
    let output = |e| SinkError::io(Path::new("<output>"), e);
    match format {
        CompareFormat::Table => w.write_all(render_table(cmp).as_bytes()).map_err(output)?,
        CompareFormat::Csv => write_csv(cmp, w)?,
        CompareFormat::Xlsx => w.write_all(&to_xlsx(cmp)?).map_err(output)?,
        CompareFormat::Json => {
            serde_json::to_writer_pretty(&mut w, &to_json(cmp))?;
            w.write_all(b"\n").map_err(output)?;
        }
    }
    Ok(())
}

/// CSV with a UTF-8 BOM, the cells as the terminal table shows them.
pub fn write_csv<W: Write>(cmp: &Comparison, w: W) -> Result<(), SinkError> {
    let rows: Vec<Vec<String>> = cmp.rows.iter().map(|r| row_cells(cmp, r)).collect();
    csv::write_table(w, &headers(cmp), &rows)
}

/// XLSX workbook bytes: numbers as numbers (Excel holds f64 anyway), missing
/// cells left blank.
pub fn to_xlsx(cmp: &Comparison) -> Result<Vec<u8>, SinkError> {
    let number = |d: Option<Decimal>| d.map_or(Cell::Null, |d| Cell::Real(to_f64(d)));
    let rows: Vec<Vec<Cell>> = cmp
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                Cell::Text(row.department.clone()),
                Cell::Text(row.project.clone()),
                Cell::Text(row.metric.clone()),
                Cell::Text(row.unit.clone()),
            ];
            cells.extend(cmp.years.iter().map(|y| number(row.values.get(y).copied())));
            for change in &row.changes {
                cells.push(number(change.delta));
                cells.push(number(change.pct));
            }
            cells.push(Cell::Text(row.note()));
            cells
        })
        .collect();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("compare")?;
    xlsx::write_sheet(ws, &headers(cmp), &rows)?;
    // Department, project, metric and unit stay in view.
    ws.set_freeze_panes(1, 4)?;
    ws.autofit();
    Ok(wb.save_to_buffer()?)
}

/// JSON: `{"years":[…],"rows":[{"department","project","metric","unit","values":{"2022":…},
/// "changes":[{"from","to","change","pct"}],"note"}]}`.
pub fn to_json(cmp: &Comparison) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let num = |d: Option<Decimal>| d.map(|d| json!(to_f64(d))).unwrap_or(Value::Null);
    let rows: Vec<Value> = cmp
        .rows
        .iter()
        .map(|row| {
            let mut values = Map::new();
            for y in &cmp.years {
                values.insert(y.to_string(), num(row.values.get(y).copied()));
            }
            let changes: Vec<Value> = row
                .changes
                .iter()
                .map(|c| json!({"from": c.from, "to": c.to, "change": num(c.delta), "pct": num(c.pct)}))
                .collect();
            json!({
                "department": row.department,
                "project": row.project,
                "metric": row.metric,
                "unit": row.unit,
                "values": values,
                "changes": changes,
                "note": row.note(),
            })
        })
        .collect();
    json!({"years": cmp.years, "rows": rows})
}
