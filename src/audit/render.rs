//! Findings for people: one aligned row per finding, then the counts.

use std::collections::HashMap;

use super::AuditReport;
use crate::record::{FindingInput, FindingRecord, Record};
use crate::render::{aligned_table, format_number};
use crate::rules::audit::{AuditRules, Check, CheckKind};

const HEADERS: [&str; 7] = [
    "department",
    "year",
    "check",
    "holds",
    "expected",
    "found",
    "where",
];

/// Findings for people: check, ✓/✗, expected, found, where (path:page:line of
/// the first input), then a count of evaluated and skipped checks.
pub fn render_table(report: &AuditReport, records: &[Record], rules: &AuditRules) -> String {
    let paths: HashMap<&str, &str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Document(d) => Some((d.doc_id.as_str(), d.path.as_str())),
            _ => None,
        })
        .collect();
    let descriptions: HashMap<&str, String> = rules
        .checks
        .iter()
        .map(|c| (c.id.as_str(), description(c)))
        .collect();
    let head: Vec<String> = HEADERS.iter().map(|s| s.to_string()).collect();
    let body: Vec<Vec<String>> = report
        .findings
        .iter()
        .map(|f| {
            let check = descriptions
                .get(f.check.as_str())
                .cloned()
                .unwrap_or_else(|| f.check.clone());
            vec![
                f.department.clone().unwrap_or_default(),
                f.year_label(),
                check,
                if f.holds { "✓" } else { "✗" }.to_string(),
                format_number(f.expected),
                format_number(f.found),
                f.inputs
                    .first()
                    .map(|i| place(f, i, &paths))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let mut out = aligned_table(&head, &body, 4);
    out.push_str(&format!(
        "{} checks evaluated, {} do not hold, {} skipped (inputs absent)\n",
        report.evaluated(),
        report.failed(),
        report.skipped.len()
    ));
    out
}

/// What a check asserts, as its author described it or as it is written.
fn description(check: &Check) -> String {
    match (&check.description, &check.kind) {
        (Some(d), _) => d.clone(),
        (None, CheckKind::Assert { text, .. }) => text.clone(),
        (None, CheckKind::YearChange { metric, max_pct }) => {
            format!("{metric} moves ≤ {max_pct}%")
        }
    }
}

/// `path:page:line` of an input, its document's path looked up by doc_id.
fn place(finding: &FindingRecord, input: &FindingInput, paths: &HashMap<&str, &str>) -> String {
    let doc = input.doc_id.as_deref().unwrap_or(&finding.doc_id);
    let path = paths.get(doc).copied().unwrap_or(doc);
    match (input.page, input.line) {
        (Some(p), Some(l)) => format!("{path}:{p}:{l}"),
        (Some(p), None) => format!("{path} p.{p}"),
        _ => path.to_string(),
    }
}
