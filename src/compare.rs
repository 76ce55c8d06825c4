//! Year-over-year comparison: one row per department × project × metric, one
//! column per year, with the change between consecutive years, and its cells
//! as text for the terminal table (`sink::comparison` writes the CSV, XLSX and
//! JSON files). Departments and projects are matched across years by
//! [`name_key`] (codes, spacing, full-width and traditional forms folded);
//! a row shows the latest year's spelling.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_decimal::Decimal;

use crate::figures::{UNKNOWN_DEPARTMENT, document_keys, name_key, to_decimal};
use crate::record::{FigureRecord, Record};
use crate::render::aligned_table;

/// Change from one year column to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub from: i32,
    pub to: i32,
    pub delta: Option<Decimal>,
    /// Percent of the earlier value, rounded to 2 places; empty when the
    /// earlier value is 0 or either year is missing.
    pub pct: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    pub department: String,
    /// The project (项目名称) of a project form the figures come from; empty
    /// for a department's own figures.
    pub project: String,
    pub metric: String,
    pub unit: String,
    pub values: BTreeMap<i32, Decimal>,
    pub changes: Vec<Change>,
    /// Per year: (other figures with this metric, how many of them disagree).
    pub disagreements: BTreeMap<i32, (usize, usize)>,
}

impl CompareRow {
    /// Human note on disagreeing figures, empty when all agree.
    pub fn note(&self) -> String {
        self.disagreements
            .iter()
            .filter(|(_, (_, d))| *d > 0)
            .map(|(y, (o, d))| format!("{y}: {d} of {o} other figures disagree"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The whole comparison: `years` are the year columns (every year seen).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comparison {
    pub years: Vec<i32>,
    pub rows: Vec<CompareRow>,
}

/// Builds the comparison from records. Figures without a metric or a year
/// (own or inherited from their document) cannot be placed and are left out.
/// Within one department-year, documents are taken in input order and figures
/// in document order; the first figure of a project's metric is the value.
pub fn compare(records: &[Record]) -> Comparison {
    let mut keys = NameKeys::default();
    let mut years = BTreeSet::new();
    let mut spellings: HashMap<String, &str> = HashMap::new();
    let mut rows: BTreeMap<(String, String, String), CompareRow> = BTreeMap::new();
    // Years ascending, so the latest spelling of a name is the one kept.
    for ((year, department_key), figs) in year_departments(records, &mut keys) {
        years.insert(year);
        for ((project_key, metric), sel) in select_first_doc_order(&figs, &mut keys) {
            if let Some(department) = sel.department {
                spellings.insert(department_key.clone(), department);
            }
            let key = (department_key.clone(), project_key, metric.clone());
            let row = rows.entry(key).or_insert_with(|| CompareRow {
                department: department_key.clone(),
                project: String::new(),
                metric: metric.clone(),
                unit: sel.figure.unit.clone(),
                values: BTreeMap::new(),
                changes: Vec::new(),
                disagreements: BTreeMap::new(),
            });
            if let Some(project) = &sel.figure.project {
                row.project = project.clone();
            }
            row.values.insert(year, sel.value);
            row.disagreements
                .insert(year, (sel.others, sel.disagreeing));
        }
    }
    let years: Vec<i32> = years.into_iter().collect();
    let mut rows: Vec<CompareRow> = rows.into_values().collect();
    for row in &mut rows {
        if let Some(spelling) = spellings.get(&row.department) {
            row.department = spelling.to_string();
        }
        row.changes = years
            .windows(2)
            .map(|w| change(w[0], w[1], row.values.get(&w[0]), row.values.get(&w[1])))
            .collect();
    }
    Comparison { years, rows }
}

/// [`name_key`] of each name met, computed once per distinct spelling (an
/// archive repeats a department's name on every figure).
#[derive(Default)]
struct NameKeys(HashMap<String, String>);

impl NameKeys {
    fn of(&mut self, name: &str) -> String {
        if let Some(key) = self.0.get(name) {
            return key.clone();
        }
        let key = name_key(name);
        self.0.insert(name.to_string(), key.clone());
        key
    }
}

/// (year, department key) → its figures with a metric, in (document in input
/// order, page, line, span) order. A figure's department is its own or its
/// document's; without either it is [`UNKNOWN_DEPARTMENT`].
fn year_departments<'a>(
    records: &'a [Record],
    keys: &mut NameKeys,
) -> BTreeMap<(i32, String), Vec<FigureWithDepartment<'a>>> {
    let docs = document_keys(records);
    let mut doc_rank: HashMap<&str, usize> = HashMap::new();
    for r in records {
        let id = match r {
            Record::Document(d) => d.doc_id.as_str(),
            Record::Figure(f) => f.doc_id.as_str(),
            _ => continue,
        };
        let n = doc_rank.len();
        doc_rank.entry(id).or_insert(n);
    }
    let mut groups: BTreeMap<(i32, String), Vec<FigureWithDepartment<'a>>> = BTreeMap::new();
    for r in records {
        let Record::Figure(f) = r else { continue };
        if f.metric.is_none() {
            continue;
        }
        let (ddep, dyear) = docs.get(f.doc_id.as_str()).copied().unwrap_or((None, None));
        let Some(year) = f.year.or(dyear) else {
            continue;
        };
        let department = f.department.as_deref().or(ddep);
        let key = department.map_or_else(|| UNKNOWN_DEPARTMENT.to_string(), |d| keys.of(d));
        let figure = FigureWithDepartment {
            figure: f,
            department,
        };
        groups.entry((year, key)).or_default().push(figure);
    }
    for figs in groups.values_mut() {
        // Document order first, so the position sort only breaks ties within a document.
        figs.sort_by_key(|f| {
            let rank = doc_rank.get(f.figure.doc_id.as_str()).copied();
            (
                rank.unwrap_or(usize::MAX),
                f.figure.page,
                f.figure.line,
                f.figure.span.start,
            )
        });
    }
    groups
}

/// A figure and the department it is counted under (its own or its document's).
struct FigureWithDepartment<'a> {
    figure: &'a FigureRecord,
    department: Option<&'a str>,
}

/// The first figure of each (project key, metric), with the department it
/// was counted under; counts of the others and of those that disagree.
struct FirstFigure<'a> {
    figure: &'a FigureRecord,
    department: Option<&'a str>,
    value: Decimal,
    others: usize,
    disagreeing: usize,
}

/// Over figures already in (document, position) order across several
/// documents: the first figure of each (project, metric) wins.
fn select_first_doc_order<'a>(
    figs: &[FigureWithDepartment<'a>],
    keys: &mut NameKeys,
) -> BTreeMap<(String, String), FirstFigure<'a>> {
    let mut out: BTreeMap<(String, String), FirstFigure<'a>> = BTreeMap::new();
    for f in figs {
        let (Some(m), Some(v)) = (&f.figure.metric, to_decimal(f.figure.value)) else {
            continue;
        };
        let project_key = f
            .figure
            .project
            .as_deref()
            .map(|p| keys.of(p))
            .unwrap_or_default();
        match out.get_mut(&(project_key.clone(), m.clone())) {
            Some(sel) => {
                sel.others += 1;
                if sel.value != v {
                    sel.disagreeing += 1;
                }
            }
            None => {
                let first = FirstFigure {
                    figure: f.figure,
                    department: f.department,
                    value: v,
                    others: 0,
                    disagreeing: 0,
                };
                out.insert((project_key, m.clone()), first);
            }
        }
    }
    out
}

fn change(from: i32, to: i32, a: Option<&Decimal>, b: Option<&Decimal>) -> Change {
    let (delta, pct) = match (a, b) {
        (Some(a), Some(b)) => {
            let delta = b.checked_sub(*a);
            let pct = if a.is_zero() {
                None
            } else {
                delta
                    .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED))
                    .and_then(|d| d.checked_div(*a))
                    .map(|p| p.round_dp(2).normalize())
            };
            (delta.map(|d| d.normalize()), pct)
        }
        _ => (None, None),
    };
    Change {
        from,
        to,
        delta,
        pct,
    }
}

/// Column headers shared by the table, CSV and XLSX renderings.
pub fn headers(cmp: &Comparison) -> Vec<String> {
    let mut h = vec![
        "department".to_string(),
        "project".into(),
        "metric".into(),
        "unit".into(),
    ];
    h.extend(cmp.years.iter().map(|y| y.to_string()));
    for w in cmp.years.windows(2) {
        h.push(format!("change {}→{}", w[0], w[1]));
        h.push(format!("% {}→{}", w[0], w[1]));
    }
    h.push("note".into());
    h
}

/// Cells of one row as text (empty for missing), in [`headers`] order.
pub fn row_cells(cmp: &Comparison, row: &CompareRow) -> Vec<String> {
    let mut c = vec![
        row.department.clone(),
        row.project.clone(),
        row.metric.clone(),
        row.unit.clone(),
    ];
    for y in &cmp.years {
        c.push(row.values.get(y).map(|v| v.to_string()).unwrap_or_default());
    }
    for ch in &row.changes {
        c.push(ch.delta.map(|d| d.to_string()).unwrap_or_default());
        c.push(ch.pct.map(|p| format!("{p}%")).unwrap_or_default());
    }
    c.push(row.note());
    c
}

/// Terminal table; widths count CJK characters as two columns so department
/// names line up.
pub fn render_table(cmp: &Comparison) -> String {
    let head = headers(cmp);
    let body: Vec<Vec<String>> = cmp.rows.iter().map(|r| row_cells(cmp, r)).collect();
    aligned_table(&head, &body, 3)
}

#[cfg(test)]
mod tests {
    use unicode_width::UnicodeWidthStr;

    use super::*;
    use crate::record::FigureRecord;

    fn fig(metric: &str, value: f64, year: i32, line: u32) -> Record {
        Record::Figure(FigureRecord {
            doc_id: format!("d{year}"),
            department: Some("局".into()),
            year: Some(year),
            metric: Some(metric.into()),
            span: crate::record::Span {
                start: line as usize,
                end: line as usize + 1,
            },
            ..FigureRecord::new(crate::record::Kind::Amount, value, "CNY", 1, line)
        })
    }

    fn project_fig(department: &str, project: Option<&str>, value: f64, year: i32) -> Record {
        let mut record = fig("budget.executed", value, year, 1);
        if let Record::Figure(f) = &mut record {
            f.department = Some(department.into());
            f.project = project.map(str::to_string);
        }
        record
    }

    #[test]
    fn rows_are_per_department_project_and_metric_with_names_matched_across_years() {
        let recs = vec![
            project_fig("105001-衡阳市 自然资源局", Some("土地整治项目"), 10.0, 2022),
            project_fig("105001-衡阳市 自然资源局", Some("测绘项目"), 3.0, 2022),
            project_fig("105001-衡阳市 自然资源局", None, 100.0, 2022),
            project_fig("衡阳市自然資源局", Some("土地整治 项目"), 12.0, 2023),
            project_fig("衡阳市自然資源局", None, 90.0, 2023),
        ];
        let cmp = compare(&recs);
        let cells: Vec<(String, String, Vec<String>)> = cmp
            .rows
            .iter()
            .map(|r| {
                let values = r.values.values().map(|v| v.to_string()).collect();
                (r.department.clone(), r.project.clone(), values)
            })
            .collect();
        let department = "衡阳市自然資源局".to_string();
        assert_eq!(
            cells,
            vec![
                (
                    department.clone(),
                    String::new(),
                    vec!["100".into(), "90".into()]
                ),
                (
                    department.clone(),
                    "土地整治 项目".into(),
                    vec!["10".into(), "12".into()]
                ),
                (department, "测绘项目".into(), vec!["3".into()]),
            ]
        );
        assert_eq!(cmp.rows[1].changes[0].delta.unwrap().to_string(), "2");
        assert_eq!(
            headers(&cmp)[..4],
            ["department", "project", "metric", "unit"]
        );
    }

    #[test]
    fn decimal_changes_have_no_float_drift() {
        // 0.1 + 0.2 style values: f64 subtraction would give 0.30000000000000004.
        let recs = vec![fig("m", 0.1, 2022, 1), fig("m", 0.4, 2023, 1)];
        let cmp = compare(&recs);
        assert_eq!(cmp.rows[0].changes[0].delta.unwrap().to_string(), "0.3");
        assert_eq!(cmp.rows[0].changes[0].pct.unwrap().to_string(), "300");
    }

    #[test]
    fn first_figure_in_document_order_wins_and_disagreements_counted() {
        let recs = vec![
            fig("m", 5.0, 2022, 9),
            fig("m", 7.0, 2022, 2),
            fig("m", 7.0, 2022, 4),
        ];
        let cmp = compare(&recs);
        assert_eq!(cmp.rows[0].values[&2022].to_string(), "7");
        assert_eq!(cmp.rows[0].disagreements[&2022], (2, 1));
        assert!(cmp.rows[0].note().contains("1 of 2"));
    }

    #[test]
    fn missing_years_are_empty_and_cjk_aligned() {
        let recs = vec![fig("a", 1.0, 2022, 1), fig("b", 2.0, 2024, 1)];
        let cmp = compare(&recs);
        assert_eq!(cmp.years, vec![2022, 2024]);
        assert!(cmp.rows[0].changes[0].delta.is_none());
        let t = render_table(&cmp);
        let widths: Vec<usize> = t
            .lines()
            .skip(2)
            .map(|l| l.find("CNY").map(|i| l[..i].width()).unwrap())
            .collect();
        assert_eq!(widths[0], widths[1]);
    }
}
