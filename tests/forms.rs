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

/// An indicator row as (三级指标, target, actual, weight, score).
type Row<S> = (S, S, S, Option<f64>, Option<f64>);

/// The indicator rows of `text`.
fn indicator_rows(text: &str) -> Vec<Row<String>> {
    records_of_text(text)
        .into_iter()
        .filter_map(|r| match r {
            Record::Indicator(i) => Some((i.level3, i.target, i.actual, i.weight, i.score)),
            _ => None,
        })
        .collect()
}

/// (raw, kind, value) of the figures a row's structure gives a unit.
fn header_figures(text: &str) -> Vec<(String, String, f64)> {
    records_of_text(text)
        .into_iter()
        .filter_map(|r| match r {
            Record::Figure(f) if f.from_header => {
                Some((f.raw, f.kind.as_str().to_string(), f.value))
            }
            _ => None,
        })
        .collect()
}

/// A Yunnan-style form (指标性质 | 指标值 | 度量单位 under 年度指标值, as a
/// second header row): the bare target and completed values take the row's
/// 度量单位; a row whose 三级指标 repeats a level-2 word (满意度) is a row; the
/// last row, cut after its 分值, keeps what it states.
const UNIT_COLUMN_FORM: &str = "\
项目支出绩效自评表
| 项目名称 | 某县道路养护补助 |
| 主管部门 | 某县交通运输局 | 实施单位 | 某县公路养护中心 |
| 绩效指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 |
| 产出指标 | 数量指标 | 养护里程 | ≥ | 120 | 公里 | 126 | 20 | 20 | |
| 质量指标 | 路面合格率 | ≥ | 95 | % | 96 | 20 | 19 | |
| 满意度指标 | 服务对象满意度指标 | 满意度 | ≥ | 90 | % | 92 | 10.00 |
";

#[test]
fn a_unit_column_gives_bare_target_and_actual_values_their_unit() {
    let rows = indicator_rows(UNIT_COLUMN_FORM);
    let names: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, ["养护里程", "路面合格率", "满意度"], "{rows:?}");
    assert_eq!((rows[0].3, rows[0].4), (Some(20.0), Some(20.0)));
    assert_eq!(
        (rows[2].2.as_str(), rows[2].3, rows[2].4),
        ("92%", Some(10.0), None)
    );
    let figures = header_figures(UNIT_COLUMN_FORM);
    for expected in [
        ("120", "length", 120.0),
        ("126", "length", 126.0),
        ("95", "rate", 95.0),
        ("96", "rate", 96.0),
        ("90", "rate", 90.0),
        ("92", "rate", 92.0),
    ] {
        let expected = (expected.0.to_string(), expected.1.to_string(), expected.2);
        assert!(
            figures.contains(&expected),
            "{expected:?} not in {figures:?}"
        );
    }
}

/// A Hebei-style form: one row per line with single spaces between cells, a
/// header over two rows whose second subdivides 预期指标值 (符号 | 单位) and 自评得分
/// (单项指标得分 | 权重占比(%) | 单项指标折算得分), and an explanation after each
/// indicator's name.
const SPACED_TWO_ROW_HEADER_FORM: &str = "\
某县民政局2021年度预算项目绩效自评表
一、基本情况 项目名称: 困难群众临时救助 实施(主管)单位 101001-某县民政局 金额单位: 万元
四、年度绩效指标完成情况 一级指标 二级指标 三级指标 指标分值 预期指标值 单项指标实际完成值 单项指标完成情况 自评得分
符号 单位(文字描述) 单项指标得分 权重占比(%) 单项指标折算得分
产出指标 数量指标 救助人次 当年实际救助的人次 >= 300 人次 320人次 完成 40.00 40.00 16.00
时效指标 救助及时率 申请后十日内发放的比例 >= 95 %(百分比) 100% 完成 30.00 30.00 9.00
满意度指标 服务对象满意度指标 受助对象满意度 受助对象的满意程度 >= 90 %(百分比) 95% 完成 30.00 30.00 9.00
";

#[test]
fn a_spaced_form_with_a_subdivided_header_gives_its_rows() {
    let rows = indicator_rows(SPACED_TWO_ROW_HEADER_FORM);
    let got: Vec<Row<&str>> = rows
        .iter()
        .map(|r| (r.0.as_str(), r.1.as_str(), r.2.as_str(), r.3, r.4))
        .collect();
    assert_eq!(
        got,
        [
            ("救助人次", ">=300人次", "320人次", Some(40.0), Some(40.0)),
            (
                "救助及时率",
                ">=95%(百分比)",
                "100%",
                Some(30.0),
                Some(30.0)
            ),
            (
                "受助对象满意度",
                ">=90%(百分比)",
                "95%",
                Some(30.0),
                Some(30.0)
            ),
        ]
    );
    let figures = header_figures(SPACED_TWO_ROW_HEADER_FORM);
    // 权重占比 is a share in per cent; 单项指标得分 and 折算得分 are points.
    for expected in [("40.00", "rate"), ("40.00", "score"), ("16.00", "score")] {
        assert!(
            figures
                .iter()
                .any(|(raw, kind, _)| raw == expected.0 && kind == expected.1),
            "{expected:?} not in {figures:?}"
        );
    }
}

/// A form filled for a unit (单位名称) and stamped by the body above it
/// (单位(盖章)): the unit is the implementing unit and the reporting body, the
/// stamping body the department; a 实施单位 field, where named, comes first.
#[test]
fn the_unit_a_form_is_filled_for_reports_it() {
    let text = "\
2021年度项目绩效评价信息表 单位(盖章):某市教育局 项目名称 乡村教师补助项目 单位名称 某镇中心小学 填报人 张三
";
    let records = records_of_text(text);
    let form = records
        .iter()
        .find_map(|r| match r {
            Record::Form(f) => Some(f),
            _ => None,
        })
        .expect("a form record");
    assert_eq!(form.department.as_deref(), Some("某市教育局"));
    assert_eq!(form.implementing_unit.as_deref(), Some("某镇中心小学"));
    let Some(Record::Document(doc)) = records.first() else {
        panic!("the document record comes first")
    };
    assert_eq!(doc.department.as_deref(), Some("某镇中心小学"));

    let named = text.replace("填报人", "实施单位 某县教育服务中心 填报人");
    let (_, forms) = form_records(&named);
    assert_eq!(
        forms[0].implementing_unit.as_deref(),
        Some("某县教育服务中心")
    );
}
