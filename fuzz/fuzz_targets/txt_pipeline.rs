//! Any bytes as a TXT report through the whole pipeline (decode, normalise,
//! segment, rules, tables, forms): the pipeline catches panics into `panic`
//! error records, so such a record is the crash here; every figure's and line
//! item's `raw` must be the document's text at its `span`.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use jixiao::pipeline::{Limits, process_bytes_with};
use jixiao::record::{ErrorCode, Record};
use jixiao::rules::{RuleSet, default_dir};
use jixiao::segment::Segmenter;
use jixiao::source::{Format, load};
use libfuzzer_sys::fuzz_target;

/// The rules and the segmenter take seconds to build: once per process.
fn rules() -> &'static (RuleSet, Segmenter) {
    static RULES: OnceLock<(RuleSet, Segmenter)> = OnceLock::new();
    RULES.get_or_init(|| {
        let rules = RuleSet::load(&default_dir()).expect("shipped rules load");
        let segmenter = Segmenter::from_rules(&rules);
        (rules, segmenter)
    })
}

fuzz_target!(|data: &[u8]| {
    let (rules, segmenter) = rules();
    let output = process_bytes_with(
        Path::new("fuzz.txt"),
        data,
        rules,
        &|| segmenter,
        &Limits::default(),
    );
    let text = load(Format::Txt, data)
        .map(|doc| doc.text)
        .unwrap_or_default();
    for record in &output.records {
        match record {
            Record::Document(doc) => {
                let code = doc.error.as_ref().map(|e| e.code);
                assert!(code != Some(ErrorCode::Panic), "{:?}", doc.error);
            }
            Record::Figure(f) => assert_eq!(text.get(f.span.range()), Some(f.raw.as_str())),
            Record::LineItem(item) => {
                if let Some(span) = item.span {
                    assert_eq!(text.get(span.range()), Some(item.raw.as_str()));
                }
            }
            _ => {}
        }
    }
});
