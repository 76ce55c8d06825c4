//! Figures read back from records, for the stages after extraction (compare,
//! audit, sinks): the one conversion between wire numbers (`f64`) and exact
//! decimals, and the rule "which figure is a document's value for a metric".

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::record::{FigureRecord, Record};
use crate::source::NormalizedText;

/// Department name used when neither a figure nor its document names one.
pub const UNKNOWN_DEPARTMENT: &str = "(unknown)";

/// The key a department's or project's name is matched by across documents
/// and years: full-width forms, traditional characters and spacing folded, a
/// code before the name (`105001-`, `[219]`, `〔105〕`) and a seal note
/// (`（盖章）`) dropped. `105-衡阳市 自然资源和规划局` and `衡阳市自然資源和規劃局`
/// are one department.
pub fn name_key(name: &str) -> String {
    static CODE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\[\d+\]|〔\d+〕|\(\d+\)|\d+\s*[-—_.、:：]?)\s*")
            .expect("valid code pattern")
    });
    let folded = NormalizedText::folded(name);
    let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.replace("(盖章)", "").replace("(公章)", "");
    let without_code = CODE.replace(&compact, "");
    // A name that is all code stays itself rather than becoming nothing.
    if without_code.is_empty() {
        compact
    } else {
        without_code.into_owned()
    }
}

/// Converts a record's `f64` to an exact decimal through its shortest
/// round-trip text, so 146230900.0 and 127.55 come back as written in the JSON
/// (going through the binary value would carry f64 noise into the arithmetic).
pub fn to_decimal(v: f64) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    Decimal::from_str(&format!("{v}"))
        .ok()
        .map(|d| d.normalize())
}

/// Back to a JSON number for the wire types (exact for the ≤15 significant
/// digits that report figures have).
pub fn to_f64(d: Decimal) -> f64 {
    f64::from_str(&d.normalize().to_string()).unwrap_or(f64::NAN)
}

/// The value a document gives for one metric.
#[derive(Debug, Clone)]
pub struct Selected<'a> {
    /// The first figure in document order (page, line, span).
    pub figure: &'a FigureRecord,
    pub value: Decimal,
    /// Other figures with the same metric in the same document(s).
    pub others: usize,
    /// How many of those others carry a different value.
    pub disagreeing: usize,
}

/// Picks, per metric, the first figure in document order. `figures` must all
/// belong to one document (or one department-year, taken in document order).
pub fn select_metrics<'a, I>(figures: I) -> BTreeMap<String, Selected<'a>>
where
    I: IntoIterator<Item = &'a FigureRecord>,
{
    let mut by_metric: BTreeMap<String, Vec<&'a FigureRecord>> = BTreeMap::new();
    for f in figures {
        if let Some(m) = &f.metric {
            by_metric.entry(m.clone()).or_default().push(f);
        }
    }
    let mut out = BTreeMap::new();
    for (metric, mut figs) in by_metric {
        // Stable sort: ties keep input order, so equal positions stay deterministic.
        figs.sort_by_key(|f| (f.page, f.line, f.span));
        let Some(first) = figs.iter().find(|f| to_decimal(f.value).is_some()) else {
            continue;
        };
        let value = to_decimal(first.value).unwrap_or_default();
        let others = figs.len() - 1;
        let disagreeing = figs
            .iter()
            .filter(|f| !std::ptr::eq(**f, *first))
            .filter(|f| to_decimal(f.value) != Some(value))
            .count();
        out.insert(
            metric,
            Selected {
                figure: first,
                value,
                others,
                disagreeing,
            },
        );
    }
    out
}

/// Department and year of every document, so figures lacking them inherit
/// their document's.
pub fn document_keys(records: &[Record]) -> HashMap<&str, (Option<&str>, Option<i32>)> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Document(d) => Some((d.doc_id.as_str(), (d.department.as_deref(), d.year))),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whatever_their_codes_spacing_width_and_script() {
        let key = name_key("衡阳市自然资源和规划局");
        for spelling in [
            "105-衡阳市自然资源和规划局",
            "105001 - 衡阳市 自然资源和规划局",
            "[219]衡阳市自然资源和规划局",
            "〔105〕衡阳市自然资源和规划局",
            "衡阳市自然资源和规划局（盖章）",
            "衡陽市自然資源和規劃局",
        ] {
            assert_eq!(name_key(spelling), key, "{spelling}");
        }
        assert_ne!(name_key("衡阳市财政局"), key);
        // A name that is only a number is kept, not emptied.
        assert_eq!(name_key("2024"), "2024");
    }
}
