//! pdftotext's reference counts for the real PDFs and the CJK/digit multiset measure.
//!
//! Shared with the main crate's test of `jixiao text` (it includes this file by
//! path), so nothing here knows where the test data lives: callers pass paths.

use std::collections::HashMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

/// The published PDFs of `tests/data/realpdf`, each with a `NAME.ref.json` beside it.
pub const REALPDF: &[&str] = &[
    "dept-budget-wps-sheet",
    "national-final-accounts-template",
    "shanghai-putuo-finance-bureau-2024-final-accounts",
    "shanghai-putuo-planning-natural-resources-2024-final-accounts",
    "shanghai-putuo-social-work-dept-2024-final-accounts",
    "unit-budget-wps-sheet",
];

/// pdftotext's counts, as `scripts/gen_reference.py` wrote them to a `.ref.json` file.
pub fn reference_counts(path: &Path) -> HashMap<char, usize> {
    let json = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let raw: HashMap<String, usize> = serde_json::from_str(&json).unwrap();
    raw.into_iter()
        .map(|(k, v)| (k.chars().next().unwrap(), v))
        .collect()
}

/// Same rule as scripts/gen_reference.py: NFKC, then CJK ideographs (3400–4DBF, 4E00–9FFF,
/// F900–FAFF) and ASCII digits.
pub fn counts(text: &str) -> HashMap<char, usize> {
    let mut m = HashMap::new();
    for c in text.nfkc() {
        let cp = c as u32;
        if c.is_ascii_digit()
            || (0x3400..=0x4DBF).contains(&cp)
            || (0x4E00..=0x9FFF).contains(&cp)
            || (0xF900..=0xFAFF).contains(&cp)
        {
            *m.entry(c).or_insert(0) += 1;
        }
    }
    m
}

/// (recall, precision) of `ours` against `reference`, as multisets.
pub fn recall_precision(
    ours: &HashMap<char, usize>,
    reference: &HashMap<char, usize>,
) -> (f64, f64) {
    let inter: usize = reference
        .iter()
        .map(|(c, n)| (*n).min(ours.get(c).copied().unwrap_or(0)))
        .sum();
    let r: usize = reference.values().sum();
    let o: usize = ours.values().sum();
    (
        inter as f64 / r.max(1) as f64,
        inter as f64 / o.max(1) as f64,
    )
}
