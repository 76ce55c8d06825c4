//! The audit over the seed fixture reproduces the gold audit results.

use jixiao::audit::{self, AuditReport};
use jixiao::record::Record;

use crate::common;

fn finding<'a>(r: &'a AuditReport, check: &str, year: i32) -> &'a jixiao::record::FindingRecord {
    r.findings
        .iter()
        .find(|f| f.check == check && f.year == Some(year))
        .unwrap_or_else(|| panic!("no finding {check} {year}"))
}

#[test]
fn gold_audit_items_hold_except_the_2024_score_total() {
    let recs = common::fixture();
    let rules = common::rules();
    let report = audit::audit(&recs, &rules);
    let table = audit::render_table(&report, &recs, &rules);
    println!("{table}");
    assert!(report.evaluated() >= 12, "evaluated {}", report.evaluated());
    assert!(
        !report.skipped.is_empty(),
        "some checks lack inputs in each seed"
    );
    let failing: Vec<_> = report.findings.iter().filter(|f| !f.holds).collect();
    assert_eq!(failing.len(), 1, "{failing:#?}");
    let f = failing[0];
    assert_eq!((f.check.as_str(), f.year), ("score.categories", Some(2024)));
    assert_eq!((f.expected, f.found), (100.0, 99.0));
    assert_eq!(f.inputs.len(), 6);

    // Every gold audit item, by check id.
    for (check, year) in [
        ("income.sources_general", 2022),
        ("expense.basic_plus_project", 2022),
        ("budget.execution_rate", 2022),
        ("score.indicators_plus_execution", 2022),
        ("weight.output", 2022),
        ("weight.benefit", 2022),
        ("expense.basic_plus_project", 2024),
        ("expense.personnel_plus_public", 2024),
        ("expense.business_plus_operation", 2024),
        ("three_public.parts", 2024),
        ("staff.parts", 2024),
        ("line_items.business", 2024),
        ("three_public.within_budget", 2024),
    ] {
        assert!(finding(&report, check, year).holds, "{check} {year}");
    }
    // Gold details.
    let staff = finding(&report, "staff.parts", 2024);
    assert_eq!((staff.expected, staff.found), (380.0, 380.0));
    assert_eq!(staff.inputs.len(), 4);
    let items = finding(&report, "line_items.business", 2024);
    assert_eq!(items.expected, 41829500.0);
    assert_eq!(items.inputs.len(), 19);
    // least precise inputs: 680万元, 1186万元, 8万元 → half of 1 万元
    assert_eq!(items.tolerance, Some(5000.0));
    let rate = finding(&report, "budget.execution_rate", 2022);
    assert_eq!(rate.tolerance, Some(0.005));
    let parts = finding(&report, "expense.basic_plus_project", 2022);
    assert_eq!(parts.tolerance, Some(50.0));
    let income = finding(&report, "income.sources_general", 2022);
    // 1655 万元 and 1200 万元 are the least precise inputs: half of 1 万元.
    assert_eq!(income.tolerance, Some(5000.0));
    let ind = finding(&report, "score.indicators_plus_execution", 2022);
    assert_eq!((ind.expected, ind.found), (100.0, 100.0));

    // Cross-year: carries years and both inputs with their documents.
    let y = finding(&report, "budget.total.year_change", 2024);
    assert_eq!(y.years, Some(vec![2022, 2024]));
    assert!(y.holds);
    assert_eq!(y.found, -2.9);
    assert!(y.inputs.iter().all(|i| i.doc_id.is_some()));

    // The 2024 report states no budget.executed: the rate check is skipped there.
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.check == "budget.execution_rate" && s.year == Some(2024))
    );
    assert!(table.contains("✗"));
    assert!(table.contains(&format!("{} checks evaluated", report.evaluated())));
}

#[test]
fn findings_jsonl_matches_spec_shape() {
    let recs = common::fixture();
    let report = audit::audit(&recs, &common::rules());
    let mut buf = Vec::new();
    let findings = report.findings.iter().cloned().map(Record::Finding);
    jixiao::sink::jsonl::write_records(findings, &mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("{\"type\":\"finding\",\"doc_id\":"),
        "{first}"
    );
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for k in [
            "doc_id",
            "department",
            "year",
            "check",
            "holds",
            "expected",
            "found",
            "inputs",
        ] {
            assert!(v.get(k).is_some(), "{k} missing in {line}");
        }
        for i in v["inputs"].as_array().unwrap() {
            for k in ["metric", "value", "page", "line", "span"] {
                assert!(i.get(k).is_some(), "input {k} missing in {line}");
            }
        }
    }
}

#[test]
fn absent_optional_part_is_not_zero_unless_declared() {
    use jixiao::rules::audit::{parse_audit_rules, starter_metrics};
    let src = r#"
[[check]]
id = "tp.absent"
assert = "three_public.actual == three_public.vehicle + three_public.reception + three_public.abroad"
[[check]]
id = "tp.zero"
assert = "three_public.actual == three_public.vehicle + three_public.reception + three_public.abroad"
missing = "zero"
"#;
    let rules = parse_audit_rules(src, "t.toml", &starter_metrics()).unwrap();
    let report = audit::audit(&common::fixture(), &rules);
    assert!(report.findings.iter().all(|f| f.check == "tp.zero"));
    assert_eq!(report.findings.len(), 1);
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.check == "tp.absent" && s.reason.contains("abroad"))
    );
    // 2022 states none of the parts: skipped even with missing = "zero".
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.check == "tp.zero" && s.year == Some(2022))
    );
}

#[test]
fn spec_only_line_items_parse_and_count_as_exact() {
    let line = r#"{"type":"line_item","doc_id":"d","group":"expense.project.business","label":"纪检组经费","value":79500.0,"unit":"CNY","page":2,"line":40}"#;
    let recs = jixiao::sink::jsonl::read_records(line.as_bytes()).unwrap();
    let Record::LineItem(li) = &recs[0] else {
        panic!("not a line item")
    };
    assert_eq!(
        (li.raw.as_str(), li.span, li.department.as_deref()),
        ("", None, None)
    );
}

#[test]
fn records_without_resolution_take_the_precision_their_values_imply() {
    let mut recs = common::fixture();
    for r in &mut recs {
        match r {
            Record::Figure(f) => f.resolution = None,
            Record::LineItem(l) => l.resolution = None,
            _ => {}
        }
    }
    let report = audit::audit(&recs, &common::rules());
    // 1200 万元 read as a round 12000000: half of its last digit's place, 1000000.
    let income = finding(&report, "income.sources_general", 2022);
    assert_eq!(income.tolerance, Some(500000.0));
    let parts = finding(&report, "expense.basic_plus_project", 2022);
    assert_eq!(parts.tolerance, Some(50.0));
}
