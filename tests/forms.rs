//! Files of several standard forms (tests/data/forms: three 项目支出绩效自评表
//! a year, the department written with a code one year and spaced the next):
//! a `form` record per form, every figure and indicator row tied to its form
//! and project, and a comparison row per department × project × metric.

use jixiao::compare::compare;
use jixiao::record::Record;

use crate::common::{records_of, root};

const PROJECTS: [&str; 3] = ["校舍维修改造项目", "学生营养改善计划", "教师培训项目"];

fn records(year: i32) -> Vec<Record> {
    records_of(&root().join(format!("tests/data/forms/three_project_forms_{year}.txt")))
}

#[test]
fn three_project_forms_give_three_form_records_and_tie_their_figures() {
    for year in [2022, 2023] {
        let records = records(year);
        let forms: Vec<_> = records
            .iter()
            .filter_map(|r| match r {
                Record::Form(f) => Some(f),
                _ => None,
            })
            .collect();
        let projects: Vec<_> = forms
            .iter()
            .map(|f| f.project.as_deref().unwrap())
            .collect();
        assert_eq!(projects, PROJECTS, "{year}");
        for form in &forms {
            assert_eq!(form.department.as_deref(), Some("某县教育局"), "{year}");
            assert_eq!(form.year, Some(year));
            assert_eq!(form.total_score, Some(95.0));
            assert_eq!(form.funds.len(), 4, "{year}: {:?}", form.funds);
        }
        let mut figures_per_form = [0; 3];
        let mut rows_per_form = [0; 3];
        for record in &records {
            let (form, project) = match record {
                Record::Figure(f) => (f.form, f.project.as_deref()),
                Record::Indicator(i) => (i.form, i.project.as_deref()),
                _ => continue,
            };
            let form = form.expect("every figure of the file is inside a form") as usize;
            assert_eq!(project, Some(PROJECTS[form - 1]));
            match record {
                Record::Figure(_) => figures_per_form[form - 1] += 1,
                _ => rows_per_form[form - 1] += 1,
            }
        }
        assert_eq!(rows_per_form, [4, 4, 4], "{year}");
        assert!(
            figures_per_form.iter().all(|&n| n >= 20),
            "{year}: {figures_per_form:?}"
        );
    }
}

#[test]
fn the_comparison_has_a_row_per_department_project_and_metric() {
    let mut all = records(2022);
    all.extend(records(2023));
    let cmp = compare(&all);
    assert_eq!(cmp.years, [2022, 2023]);
    for project in PROJECTS {
        let row = cmp
            .rows
            .iter()
            .find(|r| r.project == project && r.metric == "budget.total")
            .unwrap_or_else(|| panic!("no budget.total row for {project}"));
        assert_eq!(row.department, "某县教育局");
        assert_eq!(row.values.len(), 2, "{project}: both years on one row");
    }
    let executed: Vec<String> = cmp
        .rows
        .iter()
        .filter(|r| r.metric == "budget.executed")
        .map(|r| {
            format!(
                "{} {:?}",
                r.project,
                r.values.values().map(|v| v.to_string()).collect::<Vec<_>>()
            )
        })
        .collect();
    assert_eq!(
        executed,
        [
            "学生营养改善计划 [\"350000\", \"399000\"]",
            "教师培训项目 [\"512000\", \"550000\"]",
            "校舍维修改造项目 [\"1183700\", \"1274000\"]",
        ]
    );
}

/// The form-scope and indicator-scope checks of rules/audit.toml, on each of
/// the six forms. The third 2022 form's 总分 (95) is not its rows' scores plus
/// the funds score (93.53), as written in the fixture on purpose: a check that
/// can fail must be seen failing.
#[test]
fn each_form_is_audited_on_its_own() {
    let mut all = records(2022);
    all.extend(records(2023));
    let report = jixiao::audit::audit(&all, &crate::common::rules());
    let per_form = |check: &str| -> Vec<(i32, u32, bool)> {
        report
            .findings
            .iter()
            .filter(|f| f.check == check)
            .map(|f| (f.year.unwrap(), f.form.unwrap(), f.holds))
            .collect()
    };
    let all_hold = |year_forms: &[(i32, u32, bool)]| year_forms.iter().all(|(_, _, holds)| *holds);
    for check in [
        "form.execution_rate",
        "form.funds_sources_budget",
        "form.funds_sources_executed",
        "form.weights_total",
        "form.funds_score_within_weight",
    ] {
        let findings = per_form(check);
        assert_eq!(findings.len(), 6, "{check}: {findings:?}");
        assert!(all_hold(&findings), "{check}: {findings:?}");
    }
    let totals = per_form("form.scores_total");
    let failing: Vec<_> = totals.iter().filter(|(_, _, holds)| !holds).collect();
    assert_eq!(failing, [&(2022, 3, false)], "{totals:?}");
    let rows = per_form("indicator.score_within_weight");
    assert_eq!(rows.len(), 24);
    assert!(all_hold(&rows));
    // The finding points at the cells it read.
    let rate = report
        .findings
        .iter()
        .find(|f| f.check == "form.execution_rate")
        .unwrap();
    assert!(
        rate.inputs.iter().all(|i| i.line == Some(6)),
        "{:?}",
        rate.inputs
    );
    // Summing three forms' rows against the first form's total would be no
    // check: the document-scope one is skipped for files of several forms.
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.check != "score.indicators_plus_execution")
    );
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.check == "score.indicators_plus_execution" && s.reason.contains("3 forms"))
    );
}

fn records_of_text(text: &str) -> Vec<Record> {
    let output = jixiao::pipeline::process_bytes_with(
        std::path::Path::new("form.txt"),
        text.as_bytes(),
        &crate::common::RULES,
        &|| &*crate::common::SEGMENTER,
        &jixiao::pipeline::Limits::default(),
    );
    output.records
}

/// The document's warnings and its form records.
fn form_records(text: &str) -> (Vec<String>, Vec<jixiao::record::FormRecord>) {
    let mut warnings = Vec::new();
    let mut forms = Vec::new();
    for record in records_of_text(text) {
        match record {
            Record::Document(d) => warnings = d.warnings,
            Record::Form(f) => forms.push(f),
            _ => {}
        }
    }
    (warnings, forms)
}

/// A form whose text stops inside its indicator table is `truncated`, with a
/// warning, and keeps the rows before the cut; one that ends in its 总分 row
/// or in notes under it is whole.
#[test]
fn a_form_cut_mid_table_is_truncated_with_a_warning() {
    let text =
        std::fs::read_to_string(root().join("tests/data/forms/three_project_forms_2022.txt"))
            .unwrap();
    let first_form: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).collect();
    let cut = first_form[..12].join("\n");
    let (warnings, forms) = form_records(&cut);
    assert_eq!(forms.len(), 1);
    assert!(forms[0].truncated);
    assert!(
        warnings.iter().any(|w| w.contains("ends inside this form")),
        "{warnings:?}"
    );
    let rows = records_of_text(&cut)
        .iter()
        .filter(|r| matches!(r, Record::Indicator(_)))
        .count();
    assert_eq!(rows, 2, "the rows before the cut are kept");

    let (warnings, forms) = form_records(&first_form.join("\n"));
    assert!(!forms[0].truncated && warnings.is_empty(), "{warnings:?}");
    let noted = format!("{cut}\n说明：本表金额单位为万元。\n");
    let (_, forms) = form_records(&noted);
    assert!(!forms[0].truncated);
}
