//! Wire types: the JSON Lines records of SPEC.md, `type` first, stable field order.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    Document(DocumentRecord),
    Figure(FigureRecord),
    LineItem(LineItemRecord),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocumentRecord {
    pub doc_id: String,
    pub path: String,
    pub format: String,
    pub encoding: Option<String>,
    pub pages: u32,
    pub chars: usize,
    pub doc_kind: String,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub title: Option<String>,
    pub status: String,
    pub error: Option<ErrorInfo>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FigureRecord {
    pub doc_id: String,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub kind: String,
    pub metric: Option<String>,
    pub label: String,
    pub value: f64,
    pub unit: String,
    pub qualifier: Option<String>,
    pub raw: String,
    pub page: u32,
    pub line: u32,
    pub span: [usize; 2],
    pub rule: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LineItemRecord {
    pub doc_id: String,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub group: Option<String>,
    pub label: String,
    pub value: f64,
    pub unit: String,
    pub raw: String,
    pub page: u32,
    pub line: u32,
    pub span: [usize; 2],
}

impl Record {
    pub fn to_json_line(&self) -> String {
        // Serialising these plain structs cannot fail.
        serde_json::to_string(self).expect("records serialise")
    }
}
