//! Wire types of jixiao's JSON Lines records (SPEC "Records"). Closed sets
//! (status, format, doc kind, figure kind, qualifier, error code) are enums
//! with their SPEC spelling; fields beyond SPEC default when absent so
//! SPEC-only input still parses.

use serde::{Deserialize, Serialize};

pub use crate::quantity::{Kind, Qualifier};
pub use crate::rules::DocKind;
pub use crate::rules::forms::FundsRowKind;
use crate::source::SourceError;
pub use crate::wire::Span;

crate::closed_set! {
    /// Whether a document was read (`ok`) or became an error record.
    pub enum Status {
        Ok = "ok",
        Error = "error",
    }
}

crate::closed_set! {
    /// The format a document was read as.
    pub enum DocumentFormat {
        Txt = "txt",
        Pdf = "pdf",
    }
}

impl From<crate::source::Format> for DocumentFormat {
    fn from(format: crate::source::Format) -> DocumentFormat {
        match format {
            crate::source::Format::Txt => DocumentFormat::Txt,
            crate::source::Format::Pdf => DocumentFormat::Pdf,
        }
    }
}

crate::closed_set! {
    /// Why a document could not be read: one code per [`SourceError`].
    pub enum ErrorCode {
        Io = "io",
        Empty = "empty",
        BadEncoding = "bad_encoding",
        Corrupt = "corrupt",
        Encrypted = "encrypted",
        NoTextLayer = "no_text_layer",
        OcrUnavailable = "ocr_unavailable",
        Unsupported = "unsupported",
        Timeout = "timeout",
        TooLarge = "too_large",
        Panic = "panic",
        NotAFile = "not_a_file",
    }
}

impl From<&SourceError> for ErrorCode {
    fn from(error: &SourceError) -> ErrorCode {
        match error {
            SourceError::Io(_) => ErrorCode::Io,
            SourceError::Empty => ErrorCode::Empty,
            SourceError::NotText(_) => ErrorCode::BadEncoding,
            SourceError::Corrupt(_) => ErrorCode::Corrupt,
            SourceError::Encrypted(_) => ErrorCode::Encrypted,
            SourceError::NoTextLayer => ErrorCode::NoTextLayer,
            SourceError::OcrUnavailable(_) => ErrorCode::OcrUnavailable,
            SourceError::Unsupported(_) => ErrorCode::Unsupported,
            SourceError::Timeout => ErrorCode::Timeout,
            SourceError::TooLarge(_) => ErrorCode::TooLarge,
            SourceError::Panic(_) => ErrorCode::Panic,
            SourceError::NotAFile(_) => ErrorCode::NotAFile,
        }
    }
}

/// One line of a records file. Serde's internal tag puts `type` first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    Document(DocumentRecord),
    Form(FormRecord),
    Figure(FigureRecord),
    Indicator(IndicatorRecord),
    LineItem(LineItemRecord),
    Finding(FindingRecord),
}

impl Record {
    pub fn to_json_line(&self) -> String {
        // Serialising these plain structs cannot fail.
        serde_json::to_string(self).expect("records serialise")
    }

    /// The SPEC name of the record type (the `type` field).
    pub fn type_name(&self) -> &'static str {
        match self {
            Record::Document(_) => "document",
            Record::Form(_) => "form",
            Record::Figure(_) => "figure",
            Record::Indicator(_) => "indicator",
            Record::LineItem(_) => "line_item",
            Record::Finding(_) => "finding",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub doc_id: String,
    pub path: String,
    pub format: DocumentFormat,
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub pages: u32,
    #[serde(default)]
    pub chars: usize,
    #[serde(default = "unknown_kind")]
    pub doc_kind: DocKind,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub title: Option<String>,
    pub status: Status,
    #[serde(default)]
    pub error: Option<ErrorInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

fn unknown_kind() -> DocKind {
    DocKind::Unknown
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorInfo {
    pub code: ErrorCode,
    pub message: String,
}

/// One standard form of a document (SPEC `form`); money in yuan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormRecord {
    pub doc_id: String,
    /// 1-based, in the document's order.
    pub form: u32,
    pub kind: DocKind,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub implementing_unit: Option<String>,
    pub page: u32,
    pub line: u32,
    #[serde(default)]
    pub funds: Vec<FundsRecord>,
    #[serde(default)]
    pub funds_unit: Option<String>,
    #[serde(default)]
    pub total_score: Option<f64>,
    /// Extension: the weights' total of the 总分 row (100), when written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_weight: Option<f64>,
    #[serde(default)]
    pub grade: Option<String>,
    /// The text ends inside the form.
    #[serde(default)]
    pub truncated: bool,
}

/// One row of a form's funds block; a blank or `—` cell is `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundsRecord {
    pub row: FundsRowKind,
    pub initial_budget: Option<f64>,
    pub budget: Option<f64>,
    pub executed: Option<f64>,
    pub weight: Option<f64>,
    pub rate: Option<f64>,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureRecord {
    pub doc_id: String,
    /// The form the figure stands in (1-based), when it stands in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<u32>,
    /// That form's project (项目名称).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    pub kind: Kind,
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default)]
    pub label: String,
    pub value: f64,
    /// Value of one unit in the last written place, in `unit` (14623.09 万元 →
    /// 100): the precision the audit allows. Absent in files written before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<f64>,
    /// The canonical unit (`CNY`, `%`, `亩`, `人`…): an open set, since
    /// `rules/units.toml` declares the units.
    pub unit: String,
    #[serde(default)]
    pub qualifier: Option<Qualifier>,
    /// A written range (3-6岁, 50-80亩): its ends, in `unit`; `value` is the
    /// lower end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_from: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_to: Option<f64>,
    pub raw: String,
    pub page: u32,
    pub line: u32,
    pub span: Span,
    #[serde(default)]
    pub rule: String,
    /// A bare number whose unit a table's header (or a form's structure)
    /// gives: `(万元)` over a cell, a 分值 / 得分 column.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_header: bool,
    /// Read by OCR from a scanned page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ocr: bool,
    /// With `ocr`: the recognition confidence (0–1) of its least sure word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

impl FigureRecord {
    /// A figure of `value` in `unit` at `page`:`line`, everything else empty:
    /// what stages that make figures of their own (the audit's form cells,
    /// tests) start from, setting what they know with struct update syntax.
    pub fn new(kind: Kind, value: f64, unit: &str, page: u32, line: u32) -> FigureRecord {
        FigureRecord {
            doc_id: String::new(),
            department: None,
            year: None,
            kind,
            metric: None,
            label: String::new(),
            value,
            resolution: None,
            unit: unit.to_string(),
            qualifier: None,
            range_from: None,
            range_to: None,
            raw: String::new(),
            page,
            line,
            span: Span { start: 0, end: 0 },
            rule: String::new(),
            form: None,
            project: None,
            from_header: false,
            ocr: false,
            confidence: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRecord {
    pub doc_id: String,
    /// As for figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    pub level1: String,
    pub level2: String,
    pub level3: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub actual: String,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub score: Option<f64>,
    #[serde(default)]
    pub note: String,
    pub page: u32,
    /// Extension: the row's first line, so audit inputs from indicator rows
    /// carry the same provenance as figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineItemRecord {
    pub doc_id: String,
    /// As for figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub group: Option<String>,
    pub label: String,
    pub value: f64,
    /// As for figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<f64>,
    /// The canonical unit, as for figures.
    pub unit: String,
    /// Beyond SPEC (jixiao writes it): the amount as written, for precision.
    #[serde(default)]
    pub raw: String,
    pub page: u32,
    pub line: u32,
    #[serde(default)]
    pub span: Option<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingRecord {
    /// For a cross-year check: the document of the later year.
    pub doc_id: String,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub year: Option<i32>,
    /// Extension: the form a form- or indicator-scope check looked at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<u32>,
    pub check: String,
    pub holds: bool,
    pub expected: f64,
    pub found: f64,
    pub inputs: Vec<FindingInput>,
    /// Cross-year checks only: the years compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<Vec<i32>>,
    /// Extension: the tolerance the comparison allowed (same unit as `found`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
}

impl FindingRecord {
    /// The year a finding is about, as people read it: `2024`, or `2022→2024`
    /// for a cross-year check.
    pub fn year_label(&self) -> String {
        match &self.years {
            Some(years) => years
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join("→"),
            None => self.year.map(|y| y.to_string()).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingInput {
    pub metric: String,
    pub value: f64,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub line: Option<u32>,
    #[serde(default)]
    pub span: Option<Span>,
    /// Extension: set when the input comes from another document than the
    /// finding's (cross-year checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_are_spelled_as_the_source_names_them() {
        let errors = [
            SourceError::Io(std::io::Error::other("x")),
            SourceError::Empty,
            SourceError::NotText(String::new()),
            SourceError::Corrupt(String::new()),
            SourceError::Encrypted(String::new()),
            SourceError::NoTextLayer,
            SourceError::OcrUnavailable(String::new()),
            SourceError::Unsupported(String::new()),
            SourceError::Timeout,
            SourceError::TooLarge(String::new()),
            SourceError::Panic(String::new()),
            SourceError::NotAFile("fifo"),
        ];
        assert_eq!(errors.len(), ErrorCode::ALL.len());
        for error in &errors {
            assert_eq!(ErrorCode::from(error).as_str(), error.code());
        }
    }
}
