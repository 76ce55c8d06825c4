//! Output sinks for extracted records: JSON Lines, CSV, XLSX, SQLite, Parquet
//! and the HTML report. Each takes records and writes to a path; `Format` picks one
//! (an enum, not `dyn`, so the set is closed and matched exhaustively).
//! Also owns the flat column model shared by the tabular sinks, and writes
//! `jixiao compare`'s files ([`comparison`]).

pub mod comparison;
pub mod csv;
pub mod html;
pub mod jsonl;
pub mod parquet;
pub mod sqlite;
pub mod xlsx;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::compare;
use crate::record::{
    DocumentRecord, FigureRecord, FindingRecord, FormRecord, IndicatorRecord, LineItemRecord,
    Record,
};

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
    #[error("Arrow: {0}")]
    Arrow(String),
    #[error("Parquet: {0}")]
    Parquet(String),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("unknown compare format `{0}` (expected table, csv, xlsx or json)")]
    UnknownCompareFormat(String),
    #[error("unknown output format `{0}` (expected jsonl, csv, xlsx, sqlite, parquet or html)")]
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
    /// A directory with one Parquet file per record type.
    Parquet,
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
            "parquet" => Ok(Format::Parquet),
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
        Format::Parquet => parquet::write_dir(records, path),
        Format::Html => write_html(records, path),
    }
}

/// The HTML report of extracted records: their comparison, and the findings
/// among them (extraction makes none; a records file may hold the audit's).
fn write_html<I: IntoIterator<Item = Record>>(
    records: I,
    path: &Path,
) -> Result<Counts, SinkError> {
    let records: Vec<Record> = records.into_iter().collect();
    let mut counts = Counts::new();
    for r in &records {
        *counts.entry(r.type_name()).or_default() += 1;
    }
    let findings: Vec<FindingRecord> = records
        .iter()
        .filter_map(|r| match r {
            Record::Finding(f) => Some(f.clone()),
            _ => None,
        })
        .collect();
    html::write(&records, &compare::compare(&records), &findings, path)?;
    Ok(counts)
}

// ──────── flat column model shared by csv, xlsx, sqlite and parquet ────────

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    Int,
    Real,
    Bool,
}

/// One flat table per record type: `name` is the table/file/sheet name.
pub struct TableDef {
    pub name: &'static str,
    pub columns: Vec<(&'static str, ColType)>,
}

impl TableDef {
    pub fn column_names(&self) -> Vec<&'static str> {
        self.columns.iter().map(|(name, _)| *name).collect()
    }
}

/// A column: its name, its type, and the cell a record gives it.
struct Column<R> {
    name: &'static str,
    ty: ColType,
    cell: fn(&R) -> Cell,
}

const fn column<R>(name: &'static str, ty: ColType, cell: fn(&R) -> Cell) -> Column<R> {
    Column { name, ty, cell }
}

/// A flat table of one record type, each column declared once.
struct Table<R: 'static> {
    name: &'static str,
    columns: &'static [Column<R>],
}

impl<R> Table<R> {
    fn def(&self) -> TableDef {
        TableDef {
            name: self.name,
            columns: self.columns.iter().map(|c| (c.name, c.ty)).collect(),
        }
    }

    fn row(&self, record: &R) -> Vec<Cell> {
        self.columns.iter().map(|c| (c.cell)(record)).collect()
    }

    /// Where `doc_id`, `department` and `year` are in a row.
    fn key_columns(&self) -> (usize, usize, usize) {
        let position = |name: &str| {
            self.columns
                .iter()
                .position(|c| c.name == name)
                .expect("every table has doc_id, department and year")
        };
        (position("doc_id"), position("department"), position("year"))
    }
}

use ColType::{Bool, Int, Real, Text};

// Nested fields are flattened: `span` → `span_start`/`span_end`, `error` →
// `error_code`/`error_message`, finding `years` → `year_from`/`year_to`,
// finding `inputs` → JSON text.

const DOCUMENTS: Table<DocumentRecord> = Table {
    name: "documents",
    columns: &[
        column("doc_id", Text, |d| t(&d.doc_id)),
        column("path", Text, |d| t(&d.path)),
        column("format", Text, |d| t(d.format.as_str())),
        column("encoding", Text, |d| ot(&d.encoding)),
        column("pages", Int, |d| Cell::Int(d.pages.into())),
        column("chars", Int, |d| us(d.chars)),
        column("doc_kind", Text, |d| t(d.doc_kind.as_str())),
        column("department", Text, |d| ot(&d.department)),
        column("year", Int, |d| oi(d.year)),
        column("title", Text, |d| ot(&d.title)),
        column("status", Text, |d| t(d.status.as_str())),
        column("error_code", Text, |d| {
            d.error.as_ref().map_or(Cell::Null, |e| t(e.code.as_str()))
        }),
        column("error_message", Text, |d| {
            d.error.as_ref().map_or(Cell::Null, |e| t(&e.message))
        }),
    ],
};

const FORMS: Table<FormRecord> = Table {
    name: "forms",
    columns: &[
        column("doc_id", Text, |f| t(&f.doc_id)),
        column("form", Int, |f| Cell::Int(f.form.into())),
        column("kind", Text, |f| t(f.kind.as_str())),
        column("title", Text, |f| ot(&f.title)),
        column("department", Text, |f| ot(&f.department)),
        column("year", Int, |f| oi(f.year)),
        column("project", Text, |f| ot(&f.project)),
        column("implementing_unit", Text, |f| ot(&f.implementing_unit)),
        column("page", Int, |f| Cell::Int(f.page.into())),
        column("line", Int, |f| Cell::Int(f.line.into())),
        column("funds", Text, |f| {
            Cell::Text(serde_json::to_string(&f.funds).unwrap_or_default())
        }),
        column("funds_unit", Text, |f| ot(&f.funds_unit)),
        column("total_score", Real, |f| of(f.total_score)),
        column("total_weight", Real, |f| of(f.total_weight)),
        column("grade", Text, |f| ot(&f.grade)),
        column("truncated", Bool, |f| Cell::Bool(f.truncated)),
    ],
};

const FIGURES: Table<FigureRecord> = Table {
    name: "figures",
    columns: &[
        column("doc_id", Text, |f| t(&f.doc_id)),
        column("form", Int, |f| oi(f.form)),
        column("project", Text, |f| ot(&f.project)),
        column("department", Text, |f| ot(&f.department)),
        column("year", Int, |f| oi(f.year)),
        column("kind", Text, |f| t(f.kind.as_str())),
        column("metric", Text, |f| ot(&f.metric)),
        column("label", Text, |f| t(&f.label)),
        column("value", Real, |f| Cell::Real(f.value)),
        column("unit", Text, |f| t(&f.unit)),
        column("resolution", Real, |f| of(f.resolution)),
        column("qualifier", Text, |f| {
            f.qualifier.map_or(Cell::Null, |q| t(q.as_str()))
        }),
        column("range_from", Real, |f| of(f.range_from)),
        column("range_to", Real, |f| of(f.range_to)),
        column("raw", Text, |f| t(&f.raw)),
        column("page", Int, |f| Cell::Int(f.page.into())),
        column("line", Int, |f| Cell::Int(f.line.into())),
        column("span_start", Int, |f| us(f.span.start)),
        column("span_end", Int, |f| us(f.span.end)),
        column("rule", Text, |f| t(&f.rule)),
        column("from_header", Bool, |f| Cell::Bool(f.from_header)),
    ],
};

const INDICATORS: Table<IndicatorRecord> = Table {
    name: "indicators",
    columns: &[
        column("doc_id", Text, |i| t(&i.doc_id)),
        column("form", Int, |i| oi(i.form)),
        column("project", Text, |i| ot(&i.project)),
        column("department", Text, |i| ot(&i.department)),
        column("year", Int, |i| oi(i.year)),
        column("level1", Text, |i| t(&i.level1)),
        column("level2", Text, |i| t(&i.level2)),
        column("level3", Text, |i| t(&i.level3)),
        column("target", Text, |i| t(&i.target)),
        column("actual", Text, |i| t(&i.actual)),
        column("weight", Real, |i| of(i.weight)),
        column("score", Real, |i| of(i.score)),
        column("note", Text, |i| t(&i.note)),
        column("page", Int, |i| Cell::Int(i.page.into())),
        column("line", Int, |i| oi(i.line)),
    ],
};

const LINE_ITEMS: Table<LineItemRecord> = Table {
    name: "line_items",
    columns: &[
        column("doc_id", Text, |l| t(&l.doc_id)),
        column("form", Int, |l| oi(l.form)),
        column("project", Text, |l| ot(&l.project)),
        column("department", Text, |l| ot(&l.department)),
        column("year", Int, |l| oi(l.year)),
        column("group", Text, |l| ot(&l.group)),
        column("label", Text, |l| t(&l.label)),
        column("value", Real, |l| Cell::Real(l.value)),
        column("unit", Text, |l| t(&l.unit)),
        column("resolution", Real, |l| of(l.resolution)),
        column("raw", Text, |l| t(&l.raw)),
        column("page", Int, |l| Cell::Int(l.page.into())),
        column("line", Int, |l| Cell::Int(l.line.into())),
        column("span_start", Int, |l| {
            l.span.map_or(Cell::Null, |s| us(s.start))
        }),
        column("span_end", Int, |l| {
            l.span.map_or(Cell::Null, |s| us(s.end))
        }),
    ],
};

const FINDINGS: Table<FindingRecord> = Table {
    name: "findings",
    columns: &[
        column("doc_id", Text, |f| t(&f.doc_id)),
        column("department", Text, |f| ot(&f.department)),
        column("year", Int, |f| oi(f.year)),
        column("form", Int, |f| oi(f.form)),
        column("check", Text, |f| t(&f.check)),
        column("holds", Bool, |f| Cell::Bool(f.holds)),
        column("expected", Real, |f| Cell::Real(f.expected)),
        column("found", Real, |f| Cell::Real(f.found)),
        column("tolerance", Real, |f| of(f.tolerance)),
        column("year_from", Int, |f| {
            oi(f.years.as_ref().and_then(|y| y.first().copied()))
        }),
        column("year_to", Int, |f| {
            oi(f.years.as_ref().and_then(|y| y.last().copied()))
        }),
        column("inputs", Text, |f| {
            Cell::Text(serde_json::to_string(&f.inputs).unwrap_or_default())
        }),
    ],
};

/// The six tables in SPEC order; [`flatten`] gives each record's row and
/// its index here.
pub fn tables() -> [TableDef; 6] {
    [
        DOCUMENTS.def(),
        FORMS.def(),
        FIGURES.def(),
        INDICATORS.def(),
        LINE_ITEMS.def(),
        FINDINGS.def(),
    ]
}

/// The table index (into [`tables`]) and flat row of a record.
pub fn flatten(rec: &Record) -> (usize, Vec<Cell>) {
    match rec {
        Record::Document(d) => (0, DOCUMENTS.row(d)),
        Record::Form(f) => (1, FORMS.row(f)),
        Record::Figure(f) => (2, FIGURES.row(f)),
        Record::Indicator(i) => (3, INDICATORS.row(i)),
        Record::LineItem(l) => (4, LINE_ITEMS.row(l)),
        Record::Finding(f) => (5, FINDINGS.row(f)),
    }
}

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

/// Every record as a row of its table (in [`tables`] order), with line items'
/// department and year filled from their documents, and the counts per type.
/// Buffered whole: line items may come before the document that names them.
pub(crate) fn table_rows<I: IntoIterator<Item = Record>>(
    records: I,
) -> (Vec<Vec<Vec<Cell>>>, Counts) {
    let mut rows: Vec<Vec<Vec<Cell>>> = vec![Vec::new(); tables().len()];
    let mut counts = Counts::new();
    for r in records {
        let (i, row) = flatten(&r);
        rows[i].push(row);
        *counts.entry(r.type_name()).or_default() += 1;
    }
    let items = tables()
        .iter()
        .position(|t| t.name == LINE_ITEMS.name)
        .expect("line items have a table");
    let (docs, rest) = rows.split_at_mut(1);
    fill_line_item_keys(&mut rest[items - 1], &docs[0]);
    (rows, counts)
}

/// Fills missing department/year of line items (SPEC gives them only a
/// doc_id) from their document rows.
fn fill_line_item_keys(items: &mut [Vec<Cell>], docs: &[Vec<Cell>]) {
    let (doc_id, department, year) = DOCUMENTS.key_columns();
    let keys: std::collections::HashMap<String, (Cell, Cell)> = docs
        .iter()
        .filter_map(|d| match &d[doc_id] {
            Cell::Text(id) => Some((id.clone(), (d[department].clone(), d[year].clone()))),
            _ => None,
        })
        .collect();
    let (item_doc_id, item_department, item_year) = LINE_ITEMS.key_columns();
    for r in items {
        if let Cell::Text(id) = &r[item_doc_id]
            && let Some((dep, y)) = keys.get(id)
        {
            if r[item_department] == Cell::Null {
                r[item_department] = dep.clone();
            }
            if r[item_year] == Cell::Null {
                r[item_year] = y.clone();
            }
        }
    }
}
