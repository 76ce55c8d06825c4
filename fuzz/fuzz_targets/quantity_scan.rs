//! The quantity scanner over arbitrary text: numbers, Chinese numerals, units and
//! qualifiers in any combination must never panic, spans must slice the text
//! on character boundaries, and figures come in order without overlapping.
#![no_main]

use std::sync::OnceLock;

use jixiao::rules::{RuleSet, default_dir};
use libfuzzer_sys::fuzz_target;

/// Loading the rules is slow next to one scan: do it once per process.
fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::load(&default_dir()).expect("shipped rules load"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let found = rules().units.scan(&text);
    for q in &found {
        assert!(q.start < q.end && q.end <= text.len(), "{q:?}");
        assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
    }
    for pair in found.windows(2) {
        assert!(pair[0].end <= pair[1].start, "overlap: {pair:?}");
    }
});
