//! `compare` over the seed fixture: 2022 and 2024 side by side with changes.

use jixiao::compare;
use jixiao::sink::comparison::{self, CompareFormat};

use crate::common;

/// The CSV's columns for the seeds' two years.
const HEADER: [&str; 9] = [
    "department",
    "project",
    "metric",
    "unit",
    "2022",
    "2024",
    "change 2022→2024",
    "% 2022→2024",
    "note",
];

#[test]
fn csv_shows_both_years_and_exact_changes() {
    let recs = common::fixture();
    let cmp = compare::compare(&recs);
    assert_eq!(cmp.years, vec![2022, 2024]);
    let mut buf = Vec::new();
    comparison::write(&cmp, CompareFormat::Csv, &mut buf).unwrap();
    assert!(
        buf.starts_with("\u{feff}".as_bytes()),
        "CSV starts with a BOM"
    );
    let mut rd = csv::Reader::from_reader(&buf[3..]);
    let head: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(head, HEADER);
    let rows: Vec<Vec<String>> = rd
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let row = |m: &str| {
        rows.iter()
            .find(|r| r[2] == m)
            .unwrap_or_else(|| panic!("{m}"))
            .clone()
    };
    let dep = "衡阳市自然资源和规划局";
    assert_eq!(
        row("budget.total"),
        [
            dep,
            "",
            "budget.total",
            "CNY",
            "146230900",
            "141992500",
            "-4238400",
            "-2.9%",
            ""
        ]
    );
    assert_eq!(
        row("expense.basic"),
        [
            dep,
            "",
            "expense.basic",
            "CNY",
            "73016400",
            "89317000",
            "16300600",
            "22.32%",
            ""
        ]
    );
    assert_eq!(
        row("expense.project"),
        [
            dep,
            "",
            "expense.project",
            "CNY",
            "73214500",
            "52675500",
            "-20539000",
            "-28.05%",
            ""
        ]
    );
    assert_eq!(
        row("score.total"),
        [dep, "", "score.total", "分", "100", "99", "-1", "-1%", ""]
    );
    // Only in one year: the other column and the changes stay empty.
    let staff = row("staff.total");
    assert_eq!(&staff[4..8], ["", "380", "", ""]);
    // Stated twice in 2024, both agree: no note.
    assert_eq!(row("expense.project.operation")[8], "");
}

#[test]
fn table_json_and_xlsx_render() {
    let recs = common::fixture();
    let cmp = compare::compare(&recs);
    let table = compare::render_table(&cmp);
    println!("{table}");
    assert!(table.contains("budget.total") && table.contains("-2.9%"));
    let json = comparison::to_json(&cmp);
    let bt = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == "budget.total")
        .unwrap();
    assert_eq!(bt["values"]["2022"], 146230900.0);
    assert_eq!(bt["project"], "");
    assert_eq!(bt["changes"][0]["change"], -4238400.0);
    let bytes = comparison::to_xlsx(&cmp).unwrap();
    use calamine::{Reader, Xlsx};
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("compare").unwrap();
    assert_eq!(range.height(), cmp.rows.len() + 1);
    // Every row as wide as the header: department, project, metric, unit, …
    assert_eq!(range.width(), compare::headers(&cmp).len());
    assert_eq!(
        range.get((1, 2)).map(|c| c.to_string()),
        Some(cmp.rows[0].metric.clone())
    );
}
