//! Output sinks for extracted records: JSON Lines, CSV, XLSX, SQLite and the
//! HTML report. Each takes records and writes to a path; `Format` picks one
//! (an enum, not `dyn`, so the set is closed and matched exhaustively).
//! Also owns the flat column model shared by the tabular sinks.

pub mod csv;
pub mod html;
pub mod jsonl;
pub mod sqlite;
pub mod xlsx;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::record::Record;

#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("line {line}: {message}")]
    BadLine { line: usize, message: String },
    #[error("CSV: {0}")]
    Csv(#[from] ::csv::Error),
    #[error("XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("comparison: {0}")]
    Compare(#[from] crate::compare::CompareError),
    #[error("unknown output format `{0}` (expected jsonl, csv, xlsx, sqlite or html)")]
    UnknownFormat(String),
}

impl SinkError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        SinkError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Which sink to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    /// A directory with one CSV per record type.
    Csv,
    Xlsx,
    Sqlite,
    Html,
}

impl FromStr for Format {
    type Err = SinkError;
    fn from_str(s: &str) -> Result<Self, SinkError> {
        match s {
            "jsonl" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            "sqlite" | "db" => Ok(Format::Sqlite),
            "html" => Ok(Format::Html),
            other => Err(SinkError::UnknownFormat(other.to_string())),
        }
    }
}

/// Records written, per record type.
pub type Counts = BTreeMap<&'static str, usize>;

/// Writes `records` to `path` in `format`.
pub fn write_records<I>(format: Format, records: I, path: &Path) -> Result<Counts, SinkError>
where
    I: IntoIterator<Item = Record>,
{
    match format {
        Format::Jsonl => jsonl::write_path(records, path),
        Format::Csv => csv::write_dir(records, path),
        Format::Xlsx => xlsx::write(records, path),
        Format::Sqlite => sqlite::write(records, path),
        Format::Html => html::write(records, path),
    }
}

// ───────────── flat column model shared by csv, xlsx and sqlite ─────────────

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    Int,
    Real,
    Bool,
}

/// One flat table per record type: `name` is the table/file/sheet name.
pub struct TableDef {
    pub record_type: &'static str,
    pub name: &'static str,
    pub columns: &'static [(&'static str, ColType)],
}

use ColType::{Bool, Int, Real, Text};

/// The five tables in SPEC order. Nested fields are flattened: `span` →
/// `span_start`/`span_end`, `error` → `error_code`/`error_message`, finding
/// `years` → `year_from`/`year_to`, finding `inputs` → JSON text. Line items
/// lacking department and year get their document's, so every table can be
/// filtered the same way.
pub const TABLES: [TableDef; 5] = [
    TableDef {
        record_type: "document",
        name: "documents",
        columns: &[
            ("doc_id", Text),
            ("path", Text),
            ("format", Text),
            ("encoding", Text),
            ("pages", Int),
            ("chars", Int),
            ("doc_kind", Text),
            ("department", Text),
            ("year", Int),
            ("title", Text),
            ("status", Text),
            ("error_code", Text),
            ("error_message", Text),
        ],
    },
    TableDef {
        record_type: "figure",
        name: "figures",
        columns: &[
            ("doc_id", Text),
            ("department", Text),
            ("year", Int),
            ("kind", Text),
            ("metric", Text),
            ("label", Text),
            ("value", Real),
            ("unit", Text),
            ("qualifier", Text),
            ("raw", Text),
            ("page", Int),
            ("line", Int),
            ("span_start", Int),
            ("span_end", Int),
            ("rule", Text),
        ],
    },
    TableDef {
        record_type: "indicator",
        name: "indicators",
        columns: &[
            ("doc_id", Text),
            ("department", Text),
            ("year", Int),
            ("level1", Text),
            ("level2", Text),
            ("level3", Text),
            ("target", Text),
            ("actual", Text),
            ("weight", Real),
            ("score", Real),
            ("note", Text),
            ("page", Int),
        ],
    },
    TableDef {
        record_type: "line_item",
        name: "line_items",
        columns: &[
            ("doc_id", Text),
            ("department", Text),
            ("year", Int),
            ("group", Text),
            ("label", Text),
            ("value", Real),
            ("unit", Text),
            ("raw", Text),
            ("page", Int),
            ("line", Int),
            ("span_start", Int),
            ("span_end", Int),
        ],
    },
    TableDef {
        record_type: "finding",
        name: "findings",
        columns: &[
            ("doc_id", Text),
            ("department", Text),
            ("year", Int),
            ("check", Text),
            ("holds", Bool),
            ("expected", Real),
            ("found", Real),
            ("tolerance", Real),
            ("year_from", Int),
            ("year_to", Int),
            ("inputs", Text),
        ],
    },
];

/// One cell of a flat row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Real(f64),
    Bool(bool),
}

impl Cell {
    /// Text for CSV: empty for null, shortest round-trip for numbers.
    pub fn to_text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Real(f) => format!("{f}"),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}
fn ot(s: &Option<String>) -> Cell {
    s.as_deref().map(t).unwrap_or(Cell::Null)
}
fn oi<T: Into<i64> + Copy>(v: Option<T>) -> Cell {
    v.map(|v| Cell::Int(v.into())).unwrap_or(Cell::Null)
}
fn of(v: Option<f64>) -> Cell {
    v.map(Cell::Real).unwrap_or(Cell::Null)
}
fn us(v: usize) -> Cell {
    Cell::Int(i64::try_from(v).unwrap_or(i64::MAX))
}

/// The table index (into [`TABLES`]) and flat row of a record.
pub fn flatten(rec: &Record) -> (usize, Vec<Cell>) {
    match rec {
        Record::Document(d) => (
            0,
            vec![
                t(&d.doc_id),
                t(&d.path),
                t(d.format.as_str()),
                ot(&d.encoding),
                Cell::Int(d.pages.into()),
                us(d.chars),
                t(d.doc_kind.as_str()),
                ot(&d.department),
                oi(d.year),
                ot(&d.title),
                t(d.status.as_str()),
                d.error
                    .as_ref()
                    .map(|e| t(e.code.as_str()))
                    .unwrap_or(Cell::Null),
                d.error
                    .as_ref()
                    .map(|e| t(&e.message))
                    .unwrap_or(Cell::Null),
            ],
        ),
        Record::Figure(f) => (
            1,
            vec![
                t(&f.doc_id),
                ot(&f.department),
                oi(f.year),
                t(f.kind.as_str()),
                ot(&f.metric),
                t(&f.label),
                Cell::Real(f.value),
                t(&f.unit),
                f.qualifier.map(|q| t(q.as_str())).unwrap_or(Cell::Null),
                t(&f.raw),
                Cell::Int(f.page.into()),
                Cell::Int(f.line.into()),
                us(f.span.start),
                us(f.span.end),
                t(&f.rule),
            ],
        ),
        Record::Indicator(i) => (
            2,
            vec![
                t(&i.doc_id),
                ot(&i.department),
                oi(i.year),
                t(&i.level1),
                t(&i.level2),
                t(&i.level3),
                t(&i.target),
                t(&i.actual),
                of(i.weight),
                of(i.score),
                t(&i.note),
                Cell::Int(i.page.into()),
            ],
        ),
        Record::LineItem(l) => (
            3,
            vec![
                t(&l.doc_id),
                ot(&l.department),
                oi(l.year),
                ot(&l.group),
                t(&l.label),
                Cell::Real(l.value),
                t(&l.unit),
                t(&l.raw),
                Cell::Int(l.page.into()),
                Cell::Int(l.line.into()),
                l.span.map(|s| us(s.start)).unwrap_or(Cell::Null),
                l.span.map(|s| us(s.end)).unwrap_or(Cell::Null),
            ],
        ),
        Record::Finding(f) => (
            4,
            vec![
                t(&f.doc_id),
                ot(&f.department),
                oi(f.year),
                t(&f.check),
                Cell::Bool(f.holds),
                Cell::Real(f.expected),
                Cell::Real(f.found),
                of(f.tolerance),
                oi(f.years.as_ref().and_then(|y| y.first().copied())),
                oi(f.years.as_ref().and_then(|y| y.last().copied())),
                Cell::Text(serde_json::to_string(&f.inputs).unwrap_or_default()),
            ],
        ),
    }
}

/// Fills missing department/year of line items (SPEC gives them only a
/// doc_id) from their document rows, which may come before or after them.
/// Every record as a row of its table (in `TABLES` order), with line items'
/// department and year filled from their documents, and the counts per type.
/// Buffered whole: line items may come before the document that names them.
pub(crate) fn table_rows<I: IntoIterator<Item = Record>>(
    records: I,
) -> (Vec<Vec<Vec<Cell>>>, Counts) {
    let mut rows: Vec<Vec<Vec<Cell>>> = vec![Vec::new(); TABLES.len()];
    let mut counts = Counts::new();
    for r in records {
        let (i, row) = flatten(&r);
        rows[i].push(row);
        *counts.entry(r.type_name()).or_default() += 1;
    }
    let (docs, rest) = rows.split_at_mut(1);
    fill_line_item_keys(&mut rest[2], &docs[0]);
    (rows, counts)
}

pub(crate) fn fill_line_item_keys(rows: &mut [Vec<Cell>], docs: &[Vec<Cell>]) {
    let keys: std::collections::HashMap<String, (Cell, Cell)> = docs
        .iter()
        .filter_map(|d| match &d[0] {
            Cell::Text(id) => Some((id.clone(), (d[7].clone(), d[8].clone()))),
            _ => None,
        })
        .collect();
    for r in rows {
        if let Cell::Text(id) = &r[0]
            && let Some((dep, year)) = keys.get(id)
        {
            if r[1] == Cell::Null {
                r[1] = dep.clone();
            }
            if r[2] == Cell::Null {
                r[2] = year.clone();
            }
        }
    }
}
