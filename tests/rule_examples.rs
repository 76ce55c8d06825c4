//! Every example written in the rule files is run: rules document themselves
//! and a wording change that breaks one fails here.

use jixiao::extract::extract;
use jixiao::source::{Document, Format};

use crate::common::{RULES, SEGMENTER};

fn metric_values(text: &str, metric: &str) -> Vec<f64> {
    let doc = Document::from_text(Format::Txt, "utf-8".into(), text.to_string());
    extract(&doc, &RULES, &SEGMENTER)
        .figures
        .iter()
        .filter(|f| f.metric.as_deref() == Some(metric))
        .map(|f| f.value_f64())
        .collect()
}

#[test]
fn every_rule_example_holds() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let examples = RULES
        .label_rules
        .iter()
        .flat_map(|r| r.examples.iter().map(move |e| (&r.id, &r.metric, e)))
        .chain(
            RULES
                .line_rules
                .iter()
                .flat_map(|r| r.examples.iter().map(move |e| (&r.id, &r.metric, e))),
        );
    for (id, metric, example) in examples {
        checked += 1;
        let found = metric_values(&example.text, metric);
        let ok = match example.value {
            Some(v) => found.iter().any(|f| (f - v).abs() < 1e-6),
            None => found.is_empty(),
        };
        if !ok {
            failures.push(format!(
                "{id}: `{}` expected {:?} for {metric}, found {found:?}",
                example.text, example.value
            ));
        }
    }
    assert!(checked >= 40, "only {checked} examples");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_an_example() {
    let bare: Vec<&str> = RULES
        .label_rules
        .iter()
        .filter(|r| r.examples.is_empty())
        .map(|r| r.id.as_str())
        .chain(
            RULES
                .line_rules
                .iter()
                .filter(|r| r.examples.is_empty())
                .map(|r| r.id.as_str()),
        )
        .collect();
    assert!(bare.is_empty(), "rules without examples: {bare:?}");
}

#[test]
fn every_metric_has_a_rule() {
    let unused: Vec<&str> = RULES
        .metrics
        .iter()
        .filter(|m| !RULES.label_rules.iter().any(|r| r.metric == m.id))
        .map(|m| m.id.as_str())
        .collect();
    assert!(unused.is_empty(), "metrics no rule produces: {unused:?}");
}

/// Every example of `units.toml`: the folded text gives a figure of the unit
/// with the example's value, or, for a counter-example, none of that unit.
#[test]
fn every_unit_example_holds() {
    use jixiao::source::NormalizedText;
    use rust_decimal::prelude::ToPrimitive;

    let mut failures = Vec::new();
    for unit in &RULES.unit_examples {
        let folded = NormalizedText::new(&unit.example.text);
        let found: Vec<f64> = RULES
            .units
            .scan(&folded.text)
            .iter()
            .filter(|q| q.kind == unit.kind && q.unit == unit.unit)
            .filter_map(|q| q.value.to_f64())
            .collect();
        let ok = match unit.example.value {
            Some(v) => found.iter().any(|f| (f - v).abs() < 1e-6),
            None => found.is_empty(),
        };
        if !ok {
            failures.push(format!(
                "{}: `{}` expected {:?} {}, found {found:?}",
                unit.word, unit.example.text, unit.example.value, unit.unit
            ));
        }
    }
    assert!(
        RULES.unit_examples.len() >= 40,
        "only {} unit examples",
        RULES.unit_examples.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
