//! SQLite sink: tables documents, figures, indicators, line_items, findings
//! with typed columns (INTEGER/REAL/TEXT, booleans as 0/1) and indexes for the
//! usual question "this metric of this department over the years".

use std::path::Path;

use rusqlite::{Connection, params_from_iter, types::Value};

use super::{Cell, ColType, Counts, SinkError, flatten, tables};
use crate::record::Record;

/// Writes a fresh database (an existing file at `path` is replaced, so a rerun
/// does not double the rows).
pub fn write<I: IntoIterator<Item = Record>>(records: I, path: &Path) -> Result<Counts, SinkError> {
    if path.exists() {
        std::fs::remove_file(path).map_err(|e| SinkError::io(path, e))?;
    }
    let mut conn = Connection::open(path)?;
    let counts = write_conn(records, &mut conn)?;
    conn.close().map_err(|(_, e)| SinkError::Sqlite(e))?;
    Ok(counts)
}

/// Creates the schema and inserts the records in one transaction.
pub fn write_conn<I: IntoIterator<Item = Record>>(
    records: I,
    conn: &mut Connection,
) -> Result<Counts, SinkError> {
    conn.execute_batch(&schema())?;
    let tx = conn.transaction()?;
    let mut counts = Counts::new();
    {
        let mut stmts = Vec::new();
        for def in &tables() {
            let cols: Vec<String> = def.columns.iter().map(|c| format!("\"{}\"", c.0)).collect();
            let marks: Vec<&str> = def.columns.iter().map(|_| "?").collect();
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                def.name,
                cols.join(", "),
                marks.join(", ")
            );
            stmts.push(tx.prepare(&sql)?);
        }
        for r in records {
            let (i, row) = flatten(&r);
            stmts[i].execute(params_from_iter(row.into_iter().map(to_sql)))?;
            *counts.entry(r.type_name()).or_default() += 1;
        }
    }
    // SPEC line items and some figures carry only a doc_id; give them their
    // document's department/year so the (department, metric, year) index serves them.
    tx.execute_batch(
        "UPDATE line_items SET department = COALESCE(department, (SELECT department FROM documents d WHERE d.doc_id = line_items.doc_id)),
                               year = COALESCE(year, (SELECT year FROM documents d WHERE d.doc_id = line_items.doc_id));
         UPDATE figures SET department = COALESCE(department, (SELECT department FROM documents d WHERE d.doc_id = figures.doc_id)),
                            year = COALESCE(year, (SELECT year FROM documents d WHERE d.doc_id = figures.doc_id));",
    )?;
    tx.commit()?;
    Ok(counts)
}

fn to_sql(c: Cell) -> Value {
    match c {
        Cell::Null => Value::Null,
        Cell::Text(s) => Value::Text(s),
        Cell::Int(i) => Value::Integer(i),
        Cell::Real(f) => Value::Real(f),
        Cell::Bool(b) => Value::Integer(b as i64),
    }
}

/// The DDL, public so that tools and docs can show it.
pub fn schema() -> String {
    let mut sql = String::new();
    for def in &tables() {
        let cols: Vec<String> = def
            .columns
            .iter()
            .map(|(name, ty)| {
                let ty = match ty {
                    ColType::Text => "TEXT".to_string(),
                    ColType::Int => "INTEGER".to_string(),
                    ColType::Real => "REAL".to_string(),
                    // A boolean is 0 or 1; the check names its own column.
                    ColType::Bool => format!("INTEGER CHECK (\"{name}\" IN (0, 1))"),
                };
                let not_null = if *name == "doc_id" { " NOT NULL" } else { "" };
                format!("\"{name}\" {ty}{not_null}")
            })
            .collect();
        sql.push_str(&format!(
            "CREATE TABLE IF NOT EXISTS {} ({});\n",
            def.name,
            cols.join(", ")
        ));
    }
    sql.push_str(
        "CREATE INDEX IF NOT EXISTS figures_dep_metric_year ON figures (department, metric, year);
CREATE INDEX IF NOT EXISTS figures_doc ON figures (doc_id);
CREATE INDEX IF NOT EXISTS indicators_dep_year ON indicators (department, year);
CREATE INDEX IF NOT EXISTS line_items_dep_group_year ON line_items (department, \"group\", year);
CREATE INDEX IF NOT EXISTS findings_dep_check_year ON findings (department, \"check\", year);
CREATE INDEX IF NOT EXISTS documents_id ON documents (doc_id);\n",
    );
    sql
}
