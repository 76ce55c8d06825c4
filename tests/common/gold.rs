//! The gold files (tests/data/*.gold.json) read into types: what each seed
//! report states, written by hand from the report. They measure extraction and
//! are never rewritten from its output.

use std::collections::BTreeMap;

use jixiao::record::{DocKind, Kind};
use serde::Deserialize;

use super::root;

/// The parts of a gold file the tests check (its `audit` and `notes` are for
/// people).
#[derive(Debug, Deserialize)]
pub struct Gold {
    pub document: Document,
    /// Every quantity the text writes with a unit, in no particular order.
    pub mentions: Vec<Mention>,
    /// The value each metric is first stated with.
    pub metrics: BTreeMap<String, f64>,
    /// The rows of a form's indicator table.
    pub indicators: Option<Vec<Indicator>>,
    /// The items of a report's numbered project list.
    pub line_items: Option<Vec<LineItem>>,
}

#[derive(Debug, Deserialize)]
pub struct Document {
    pub department: String,
    pub year: i32,
    pub doc_kind: DocKind,
}

#[derive(Debug, Deserialize)]
pub struct Mention {
    pub kind: Kind,
    pub unit: String,
    pub value: f64,
    pub raw: String,
}

#[derive(Debug, Deserialize)]
#[serde(from = "IndicatorArray")]
pub struct Indicator {
    pub level1: String,
    pub level2: String,
    pub level3: String,
    pub weight: Option<f64>,
    pub score: Option<f64>,
    /// Fragments the 实际完成值 cell must contain: a cell continued after a
    /// page break must be joined.
    pub actual_contains: Vec<String>,
}

/// How a gold file writes an indicator row, as the form reads left to right:
/// `[level1, level2, level3, weight, score, {"actual_contains": […]}]`.
type IndicatorArray = (String, String, String, Option<f64>, Option<f64>, ActualCell);

#[derive(Deserialize)]
struct ActualCell {
    actual_contains: Vec<String>,
}

impl From<IndicatorArray> for Indicator {
    fn from((level1, level2, level3, weight, score, actual): IndicatorArray) -> Indicator {
        Indicator {
            level1,
            level2,
            level3,
            weight,
            score,
            actual_contains: actual.actual_contains,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct LineItem {
    pub label: String,
    pub value: f64,
}

/// The gold file `name` of tests/data.
pub fn read(name: &str) -> Gold {
    let path = root().join("tests/data").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}
