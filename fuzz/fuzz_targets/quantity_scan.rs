//! The quantity scanner over arbitrary text: numbers, Chinese numerals, units and
//! qualifiers in any combination must never panic, and spans must slice the text.
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
    let _ = rules().units.scan(&text);
});
