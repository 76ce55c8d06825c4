//! Indicator tables: the seed form against its gold, and small fixtures for the
//! other layouts (pipe rows, one cell per line, Sichuan columns).

use std::path::Path;

use jixiao::record::Record;
use jixiao::source::{self, Format};
use jixiao::table::{IndicatorRow, indicator_rows};

use crate::common::{self, gold, nfkc};

fn rows_of(path: &Path) -> (Vec<IndicatorRow>, Vec<String>) {
    let bytes = std::fs::read(path).unwrap();
    let doc = source::load(Format::from_path(path).unwrap(), &bytes).unwrap();
    indicator_rows(&doc, &common::RULES)
}

fn fixture(name: &str) -> (Vec<IndicatorRow>, Vec<String>) {
    rows_of(&common::root().join("tests/data/tables").join(name))
}

/// (level1, level2, level3, target, actual, weight, score, note) of each row.
type Row<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<f64>,
    Option<f64>,
    &'a str,
);

fn assert_rows(rows: &[IndicatorRow], expected: &[Row]) {
    let got: Vec<Row> = rows
        .iter()
        .map(|r| {
            (
                r.level1.as_str(),
                r.level2.as_str(),
                r.level3.as_str(),
                r.target.as_str(),
                r.actual.as_str(),
                r.weight,
                r.score,
                r.note.as_str(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn seed_form_gives_the_gold_rows() {
    seed_rows_match_the_gold("corpus/2022_form.txt");
}

/// The PDF rendering: a ruled table whose cells wrap, split by page breaks,
/// with merged cells; read through the grid of its borders.
#[test]
fn seed_form_pdf_gives_the_gold_rows() {
    seed_rows_match_the_gold("corpus/2022_form.pdf");
}

fn seed_rows_match_the_gold(file: &str) {
    let (rows, warnings) = rows_of(&common::root().join(file));
    assert!(warnings.is_empty(), "{warnings:#?}");
    let gold = gold::read("2022_form.gold.json")
        .indicators
        .expect("the form's gold lists its indicator rows");
    assert_eq!(rows.len(), gold.len(), "{rows:#?}");
    for (row, g) in rows.iter().zip(&gold) {
        assert_eq!(nfkc(&row.level1), nfkc(&g.level1));
        assert_eq!(nfkc(&row.level2), nfkc(&g.level2));
        assert_eq!(nfkc(&row.level3), nfkc(&g.level3));
        assert_eq!(row.weight, g.weight, "{}", row.level3);
        assert_eq!(row.score, g.score, "{}", row.level3);
        for fragment in &g.actual_contains {
            let fragment = nfkc(fragment);
            assert!(
                nfkc(&row.actual).contains(&fragment),
                "{}: actual {:?} lacks {fragment:?}",
                row.level3,
                row.actual
            );
        }
        // Markup and page-break rows never leak into cells.
        assert!(!row.actual.contains("<p>") && !row.level3.contains("<p>"));
        // The TXT export has no pages; the PDF's table runs over pages 2 and 3.
        let pages = if file.ends_with(".pdf") { 2..=3 } else { 1..=1 };
        assert!(
            pages.contains(&row.page),
            "{}: page {}",
            row.level3,
            row.page
        );
    }
    // The continuation after the page break is joined, not a row of its own.
    let third = &rows[2];
    assert!(third.actual.ends_with("目标任务。"), "{:?}", third.actual);
    if file.ends_with(".txt") {
        assert_eq!(third.line, 25);
    }
    // The last row lost a cell before its scores: its text stays in 实际完成值
    // and no score leaks into a text column.
    let last = rows.last().unwrap();
    assert!(last.actual.starts_with("落实行政审批"), "{:?}", last.actual);
    assert_eq!(last.target, "");
}

#[test]
fn pipe_rows_with_empty_merged_cells() {
    let (rows, warnings) = fixture("pipe.txt");
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_rows(
        &rows,
        &[
            (
                "产出指标",
                "数量指标",
                "完成项目数",
                "≥10个",
                "12个",
                Some(20.0),
                Some(20.0),
                "",
            ),
            (
                "产出指标",
                "数量指标",
                "完成验收数",
                "10个",
                "9个",
                Some(10.0),
                Some(8.0),
                "1个项目延期验收",
            ),
            (
                "产出指标",
                "质量指标",
                "验收合格率",
                "100%",
                "100%",
                Some(10.0),
                Some(10.0),
                "",
            ),
            (
                "效益指标",
                "社会效益指标",
                "带动农户增收",
                "明显",
                "户均增收1200元",
                Some(30.0),
                Some(28.0),
                "",
            ),
        ],
    );
}

#[test]
fn one_cell_per_line_block() {
    let (rows, warnings) = fixture("lines.txt");
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_rows(
        &rows,
        &[
            (
                "产出指标",
                "数量指标",
                "培训人数",
                "500人",
                "620人",
                Some(20.0),
                Some(20.0),
                "",
            ),
            (
                "产出指标",
                "质量指标",
                "培训合格率",
                "≥95%",
                "92%",
                Some(10.0),
                Some(8.0),
                "部分学员缺考",
            ),
            (
                "效益指标",
                "社会效益指标",
                "群众满意度提升",
                "明显提升",
                "有所提升",
                Some(20.0),
                Some(18.0),
                "",
            ),
        ],
    );
}

#[test]
fn sichuan_columns_nature_and_unit() {
    let (rows, warnings) = fixture("sichuan.txt");
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_rows(
        &rows,
        &[
            (
                "产出指标",
                "数量指标",
                "培训人次",
                "≥500人次",
                "620人次",
                Some(20.0),
                Some(20.0),
                "",
            ),
            (
                "产出指标",
                "数量指标",
                "覆盖区县数",
                "=12个",
                "12个",
                Some(10.0),
                Some(10.0),
                "",
            ),
            (
                "产出指标",
                "时效指标",
                "完成时限",
                "≤12月",
                "11月",
                Some(20.0),
                Some(20.0),
                "",
            ),
            (
                "效益指标",
                "社会效益指标",
                "群众知晓率",
                "≥90%",
                "88%",
                Some(30.0),
                Some(27.0),
                "宣传覆盖不足",
            ),
            (
                "满意度指标",
                "服务对象满意度指标",
                "参训人员满意度",
                "≥90%",
                "95%",
                Some(10.0),
                Some(10.0),
                "",
            ),
        ],
    );
}

#[test]
fn unreadable_table_is_a_warning_not_a_row() {
    let (rows, warnings) = fixture("broken.txt");
    assert!(rows.is_empty(), "{rows:#?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("line 1:") && w.contains("no row could be read")),
        "{warnings:#?}"
    );
}

#[test]
fn pipeline_emits_indicator_records_after_figures() {
    let records = common::records_of(&common::root().join("corpus/2022_form.txt"));
    let first = records
        .iter()
        .position(|r| matches!(r, Record::Indicator(_)))
        .expect("indicator records");
    assert!(
        records[first..]
            .iter()
            .all(|r| matches!(r, Record::Indicator(_)))
    );
    let Record::Indicator(ind) = &records[first] else {
        unreachable!()
    };
    assert_eq!(ind.level3, "统筹推进空间规划编制");
    assert_eq!(ind.department.as_deref(), Some("衡阳市自然资源和规划局"));
    assert_eq!(ind.year, Some(2022));
    assert_eq!(records.len() - first, 11);
}

#[test]
fn bad_tables_rules_are_located() {
    let rules = common::copy_of_the_rules();
    std::fs::write(
        rules.path().join("tables.toml"),
        "level1 = ['产出指标']\nlevel1_suffix = '('\n\n[[column]]\nname = \"level9\"\nheaders = ['^一级指标$']\nheader = []\nwithin = \"targets\"\n",
    )
    .unwrap();
    let errors = jixiao::rules::RuleSet::load(rules.path()).unwrap_err();
    let at = |line: usize, col: usize, text: &str| {
        errors.iter().any(|e| {
            e.file.ends_with("tables.toml")
                && e.line == line
                && e.col == col
                && e.message.contains(text)
        })
    };
    assert!(at(2, 17, "invalid regex"), "{errors:#?}");
    assert!(at(5, 8, "unknown column `level9`"), "{errors:#?}");
    assert!(at(7, 1, "unknown key `header`"), "{errors:#?}");
    assert!(at(8, 10, "unknown column `targets`"), "{errors:#?}");
}

/// A scoring rubric (一级指标 分值 二级指标 分值 三级指标 分值 评价标准 指标说明
/// 得分), flattened into one run of text and cut over lines with its numbers
/// leading the next cell: every level's weight, each row's weight and score,
/// and the criteria's own numbers (`计6分`) left in the criteria.
#[test]
fn scoring_rubrics_give_rows_and_level_weights() {
    type Expected<'a> = [(&'a str, &'a str, &'a str, f64, f64); 4];
    let cases: [(&str, Expected, [f64; 4]); 2] = [
        (
            "rubric_flattened.txt",
            [
                ("投入", "预算配置", "在职人员控制率", 6.0, 6.0),
                ("投入", "预算配置", "“三公经费”变动率", 6.0, 4.0),
                ("过程", "预算执行", "预算完成率", 10.0, 9.0),
                ("过程", "预算执行", "预算控制率", 10.0, 10.0),
            ],
            [12.0, 12.0, 20.0, 20.0],
        ),
        (
            "rubric_lines.txt",
            [
                ("投入", "预算配置", "在职人员控制率", 7.0, 7.0),
                ("投入", "预算配置", "三公经费 变动率", 7.0, 7.0),
                ("过程", "预算执行", "预算完成率", 15.0, 15.0),
                ("过程", "预算执行", "预算控制率", 15.0, 12.0),
            ],
            [14.0, 14.0, 30.0, 30.0],
        ),
    ];
    for (file, expected, level_weights) in cases {
        let records = common::records_of(&common::root().join("tests/data/tables").join(file));
        let rows: Vec<_> = records
            .iter()
            .filter_map(|r| match r {
                Record::Indicator(i) => Some((
                    i.level1.as_str(),
                    i.level2.as_str(),
                    i.level3.as_str(),
                    i.weight.unwrap_or(f64::NAN),
                    i.score.unwrap_or(f64::NAN),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(rows, expected, "{file}");
        let criteria = records.iter().find_map(|r| match r {
            Record::Indicator(i) => Some(i.target.clone()),
            _ => None,
        });
        assert!(
            criteria.is_some_and(|t| t.starts_with("以100%为标准") && t.contains("分;")),
            "{file}"
        );
        // The levels' weights are score figures read from their column.
        let levels: Vec<f64> = records
            .iter()
            .filter_map(|r| match r {
                Record::Figure(f) if f.label.ends_with(" 分值") && f.from_header => {
                    let name = f.label.trim_end_matches(" 分值");
                    ["投入", "预算配置", "过程", "预算执行"]
                        .contains(&name)
                        .then_some(f.value)
                }
                _ => None,
            })
            .collect();
        assert_eq!(levels, level_weights, "{file}");
    }
}

/// A score sheet (一级指标 二级指标 三级指标 得分) whose names carry their weights
/// (`依据充分性(5 分)`), each row's 得分 leading the next line: level-2 names
/// found by the weighted name after them, weights taken from the brackets.
#[test]
fn score_sheets_with_weights_in_the_names() {
    let records = common::records_of(&common::root().join("tests/data/tables/score_sheet.txt"));
    let rows: Vec<_> = records
        .iter()
        .filter_map(|r| match r {
            Record::Indicator(i) => Some((
                nfkc(&i.level1).replace(' ', ""),
                i.level2.clone(),
                i.level3.clone(),
                i.weight,
                i.score,
            )),
            _ => None,
        })
        .collect();
    let row = |l1: &str, l2: &str, l3: &str, w: f64, s: f64| {
        (
            l1.to_string(),
            l2.to_string(),
            l3.to_string(),
            Some(w),
            Some(s),
        )
    };
    assert_eq!(
        rows,
        [
            row("部门决策", "目标设定", "依据充分性", 5.0, 4.0),
            row("部门决策", "目标设定", "目标明确性", 5.0, 5.0),
            row("部门决策", "预算编制", "编制科学性", 6.0, 6.0),
            row("部门决策", "预算编制", "测算合理性", 4.0, 3.0),
            row("部门管理", "资金管理", "资金使用合规性", 30.0, 28.0),
        ]
    );
}
