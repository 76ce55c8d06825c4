//! HTML report: one self-contained page (inline CSS and SVG, no script, no
//! network) with, per department, budget-vs-execution and score charts by
//! year, the comparison table and the audit findings linked to their sources.
//! Every piece of text from the records is escaped.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use super::SinkError;
use crate::compare::{self, Comparison};
use crate::figures::{UNKNOWN_DEPARTMENT, name_key, to_f64};
use crate::record::{DocumentRecord, FindingRecord, Record};
use crate::render::format_number;

/// Writes the report: `comparison` and `findings` are computed from `records`
/// by the caller (`jixiao report` runs the audit; `extract --format html`
/// shows the findings among the records).
pub fn write(
    records: &[Record],
    comparison: &Comparison,
    findings: &[FindingRecord],
    path: &Path,
) -> Result<(), SinkError> {
    let html = render(records, comparison, findings);
    std::fs::write(path, html).map_err(|e| SinkError::io(path, e))
}

/// Escapes text for element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link target for a source file: never a URL scheme (a path such as
/// `javascript:…` must not become a live link), page fragment for PDF viewers.
fn file_href(path: &str, page: Option<u32>) -> String {
    let p = if path.contains(':') && !path.starts_with('/') {
        format!("./{path}")
    } else {
        path.to_string()
    };
    let enc: String = p
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '#' => "%23".to_string(),
            '?' => "%3F".to_string(),
            '%' => "%25".to_string(),
            c => c.to_string(),
        })
        .collect();
    match page {
        Some(n) => escape(&format!("{enc}#page={n}")),
        None => escape(&enc),
    }
}

const STYLE: &str = "
body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.6em;border-bottom:2px solid #345}h2{margin-top:2em;border-bottom:1px solid #aaa}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}
th,td{border:1px solid #ccc;padding:3px 7px;vertical-align:top}th{background:#eef2f6;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ok{color:#17803d;font-weight:bold}.bad{color:#c0262d;font-weight:bold}
tr.fail{background:#fff1f1}.charts{display:flex;flex-wrap:wrap;gap:1.5em}
figure{margin:0}summary{cursor:pointer;color:#345}.muted{color:#777}
";

/// The report's department sections and the keys that put rows and findings
/// in them.
struct Sections {
    /// The comparison rows' department keys, row by row.
    row_keys: Vec<String>,
    /// The findings' department keys, finding by finding.
    finding_keys: Vec<String>,
    /// (key, name shown), sorted by name.
    departments: Vec<(String, String)>,
}

/// One section per department as the comparison matches them (codes and
/// spacing folded), under the comparison's spelling; each name's key is made
/// once.
fn sections(cmp: &Comparison, findings: &[FindingRecord]) -> Sections {
    let row_keys: Vec<String> = cmp.rows.iter().map(|r| name_key(&r.department)).collect();
    let finding_department = |f: &FindingRecord| {
        f.department
            .clone()
            .unwrap_or_else(|| UNKNOWN_DEPARTMENT.into())
    };
    let finding_keys: Vec<String> = findings
        .iter()
        .map(|f| name_key(&finding_department(f)))
        .collect();
    let mut departments: Vec<(String, String)> = row_keys
        .iter()
        .cloned()
        .zip(cmp.rows.iter().map(|r| r.department.clone()))
        .chain(
            finding_keys
                .iter()
                .cloned()
                .zip(findings.iter().map(finding_department)),
        )
        .collect();
    let mut seen = std::collections::HashSet::new();
    departments.retain(|(key, _)| seen.insert(key.clone()));
    departments.sort_by(|a, b| a.1.cmp(&b.1));

    Sections {
        row_keys,
        finding_keys,
        departments,
    }
}

/// Renders the whole page.
pub fn render(records: &[Record], cmp: &Comparison, findings: &[FindingRecord]) -> String {
    let docs: Vec<&DocumentRecord> = records
        .iter()
        .filter_map(|r| match r {
            Record::Document(d) => Some(d),
            _ => None,
        })
        .collect();
    let doc_by_id: HashMap<&str, &DocumentRecord> =
        docs.iter().map(|d| (d.doc_id.as_str(), *d)).collect();
    let Sections {
        row_keys,
        finding_keys,
        departments,
    } = sections(cmp, findings);

    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    h.push_str("<title>jixiao 绩效报告对比与审计</title><style>");
    h.push_str(STYLE);
    h.push_str(
        "</style></head><body>\n<h1>jixiao 绩效报告对比与审计 / comparison and audit</h1>\n",
    );
    let failed = findings.iter().filter(|f| !f.holds).count();
    let _ = writeln!(
        h,
        "<p>{} documents, {} departments, {} audit findings ({} do not hold).</p>",
        docs.len(),
        departments.len(),
        findings.len(),
        failed
    );
    h.push_str("<nav><ul>");
    for (i, (_, d)) in departments.iter().enumerate() {
        let _ = write!(h, "<li><a href=\"#dep-{i}\">{}</a></li>", escape(d));
    }
    h.push_str("<li><a href=\"#sources\">Sources / 来源文件</a></li></ul></nav>\n");

    for (i, (key, dep)) in departments.iter().enumerate() {
        let _ = writeln!(h, "<section id=\"dep-{i}\"><h2>{}</h2>", escape(dep));
        let rows: Vec<&compare::CompareRow> = cmp
            .rows
            .iter()
            .zip(&row_keys)
            .filter(|(_, k)| *k == key)
            .map(|(r, _)| r)
            .collect();
        h.push_str("<div class=\"charts\">");
        h.push_str(&budget_chart(cmp, &rows));
        h.push_str(&score_chart(cmp, &rows));
        h.push_str("</div>\n");
        h.push_str(&compare_table(cmp, &rows));
        let dep_findings: Vec<&FindingRecord> = findings
            .iter()
            .zip(&finding_keys)
            .filter(|(_, k)| *k == key)
            .map(|(f, _)| f)
            .collect();
        h.push_str(&findings_table(&dep_findings, &doc_by_id));
        h.push_str("</section>\n");
    }

    h.push_str(&sources_table(&docs));
    h.push_str("</body></html>\n");
    h
}

/// Every document read, with its status: the targets of the findings' links.
fn sources_table(docs: &[&DocumentRecord]) -> String {
    let mut h = String::new();
    h.push_str("<section id=\"sources\"><h2>Sources / 来源文件</h2><table><tr><th>document</th><th>department</th><th>year</th><th>kind</th><th>pages</th><th>status</th></tr>\n");
    for d in docs {
        let status = match &d.error {
            Some(e) => format!("{} ({}: {})", d.status, e.code, e.message),
            None => d.status.to_string(),
        };
        let _ = writeln!(
            h,
            "<tr id=\"src-{}\"><td><a href=\"{}\">{}</a><br><span class=\"muted\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&d.doc_id),
            file_href(&d.path, None),
            escape(&d.path),
            escape(&d.doc_id),
            escape(d.department.as_deref().unwrap_or("")),
            d.year.map(|y| y.to_string()).unwrap_or_default(),
            escape(d.doc_kind.as_str()),
            d.pages,
            escape(&status)
        );
    }
    h.push_str("</table></section>\n");
    h
}

fn values_of(cmp: &Comparison, rows: &[&compare::CompareRow], metric: &str) -> Vec<Option<f64>> {
    // The department's own figure, not one of its projects'.
    let row = rows
        .iter()
        .find(|r| r.metric == metric && r.project.is_empty())
        .or_else(|| rows.iter().find(|r| r.metric == metric));
    cmp.years
        .iter()
        .map(|y| row.and_then(|r| r.values.get(y)).map(|d| to_f64(*d)))
        .collect()
}

fn budget_chart(cmp: &Comparison, rows: &[&compare::CompareRow]) -> String {
    let series = vec![
        (
            "预算 budget.total",
            "#4a78b5",
            values_of(cmp, rows, "budget.total"),
        ),
        (
            "执行 budget.executed",
            "#e08a2e",
            values_of(cmp, rows, "budget.executed"),
        ),
    ];
    // Amounts are shown in 万元, the unit the reports themselves use.
    let series: Vec<_> = series
        .into_iter()
        .map(|(n, c, v)| {
            (
                n,
                c,
                v.into_iter().map(|x| x.map(|x| x / 10_000.0)).collect(),
            )
        })
        .collect();
    bar_chart(
        "预算与执行 Budget vs execution (万元)",
        &cmp.years,
        &series,
        "chart-budget",
    )
}

fn score_chart(cmp: &Comparison, rows: &[&compare::CompareRow]) -> String {
    let series = vec![
        (
            "总分 score.total",
            "#3d9a5b",
            values_of(cmp, rows, "score.total"),
        ),
        (
            "预算执行 score.budget_execution",
            "#9a7bd1",
            values_of(cmp, rows, "score.budget_execution"),
        ),
    ];
    bar_chart("得分 Scores (分)", &cmp.years, &series, "chart-score")
}

/// Grouped bar chart as inline SVG; missing values leave a gap labelled "—".
fn bar_chart(
    title: &str,
    years: &[i32],
    series: &[(&str, &str, Vec<Option<f64>>)],
    class: &str,
) -> String {
    let (w, h) = (520.0_f64, 260.0_f64);
    let (left, right, top, bottom) = (64.0, 12.0, 40.0, 52.0);
    let max = series
        .iter()
        .flat_map(|s| s.2.iter().flatten())
        .fold(0.0_f64, |a, b| a.max(*b));
    let ymax = nice_ceiling(max);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let mut s = String::new();
    let _ = write!(
        s,
        "<figure><svg class=\"{class}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = escape(title)
    );
    let _ = write!(
        s,
        "<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>"
    );
    for k in 0..=4 {
        let v = ymax * k as f64 / 4.0;
        let y = top + plot_h - plot_h * k as f64 / 4.0;
        let _ = write!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{x2}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{tx}\" y=\"{ty:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">{}</text>",
            fmt_axis(v),
            x2 = w - right,
            tx = left - 6.0,
            ty = y + 4.0
        );
    }
    year_bars(&mut s, years, series, (left, top, plot_w, plot_h), ymax);
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"#333\"/>",
        y = top + plot_h,
        x2 = w - right
    );
    legend(&mut s, series, left, h);
    let _ = write!(
        s,
        "<text x=\"{left}\" y=\"18\" font-size=\"13\" font-weight=\"bold\">{}</text></svg></figure>",
        escape(title)
    );
    s
}

/// One group of bars per year; `(left, top, width, height)` is the plot area.
fn year_bars(
    s: &mut String,
    years: &[i32],
    series: &[(&str, &str, Vec<Option<f64>>)],
    (left, top, plot_w, plot_h): (f64, f64, f64, f64),
    ymax: f64,
) {
    let groups = years.len().max(1) as f64;
    let gw = plot_w / groups;
    let bw = (gw * 0.7) / series.len().max(1) as f64;
    for (gi, year) in years.iter().enumerate() {
        let gx = left + gw * gi as f64 + gw * 0.15;
        for (si, (_, color, vals)) in series.iter().enumerate() {
            let x = gx + bw * si as f64;
            match vals.get(gi).copied().flatten() {
                Some(v) if ymax > 0.0 => {
                    let bh = plot_h * v / ymax;
                    let y = top + plot_h - bh;
                    let _ = write!(
                        s,
                        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{bh:.1}\" fill=\"{color}\"><title>{year}: {}</title></rect><text x=\"{cx:.1}\" y=\"{ly:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                        fmt_axis(v),
                        fmt_axis(v),
                        cx = x + bw / 2.0,
                        ly = y - 3.0
                    );
                }
                _ => {
                    let _ = write!(
                        s,
                        "<text x=\"{cx:.1}\" y=\"{ly:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#999\">—</text>",
                        cx = x + bw / 2.0,
                        ly = top + plot_h - 3.0
                    );
                }
            }
        }
        let _ = write!(
            s,
            "<text x=\"{cx:.1}\" y=\"{ty:.1}\" font-size=\"12\" text-anchor=\"middle\">{year}</text>",
            cx = left + gw * gi as f64 + gw / 2.0,
            ty = top + plot_h + 16.0
        );
    }
}

/// A colour swatch and name per series, along the bottom edge.
fn legend(s: &mut String, series: &[(&str, &str, Vec<Option<f64>>)], left: f64, h: f64) {
    let mut lx = left;
    for (name, color, _) in series {
        let _ = write!(
            s,
            "<rect x=\"{lx:.1}\" y=\"{ly}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{tx:.1}\" y=\"{ty}\" font-size=\"11\">{}</text>",
            escape(name),
            ly = h - 20.0,
            tx = lx + 14.0,
            ty = h - 11.0
        );
        lx += 14.0 + name.chars().count() as f64 * 8.0 + 16.0;
    }
}

fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let mag = 10f64.powf(v.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * mag >= v {
            return step * mag;
        }
    }
    10.0 * mag
}

fn fmt_axis(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.2}")
    }
}

fn compare_table(cmp: &Comparison, rows: &[&compare::CompareRow]) -> String {
    if rows.is_empty() {
        return "<p class=\"muted\">No metric figures for this department.</p>".into();
    }
    let mut s = String::from("<h3>Year over year / 逐年对比</h3><table class=\"compare\"><tr>");
    let heads = compare::headers(cmp);
    for hd in heads.iter().skip(1) {
        let _ = write!(s, "<th>{}</th>", escape(hd));
    }
    s.push_str("</tr>\n");
    for r in rows {
        s.push_str("<tr>");
        let cells = compare::row_cells(cmp, r);
        let n = cells.len();
        for (i, c) in cells.iter().enumerate().skip(1) {
            let class = if i >= 3 && i + 1 < n {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(s, "<td{class}>{}</td>", escape(c));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table>\n");
    s
}

fn findings_table(findings: &[&FindingRecord], docs: &HashMap<&str, &DocumentRecord>) -> String {
    if findings.is_empty() {
        return "<p class=\"muted\">No audit findings for this department.</p>".into();
    }
    let mut s = String::from(
        "<h3>Audit / 审计</h3><table class=\"findings\"><tr><th>year</th><th>check</th><th>holds</th><th>expected</th><th>found</th><th>inputs (source)</th></tr>\n",
    );
    // Stable order: year, then failing checks first within a year.
    let mut sorted: Vec<&&FindingRecord> = findings.iter().collect();
    sorted.sort_by_key(|f| (f.year, f.holds, f.check.clone()));
    for f in sorted {
        let year = f.year_label();
        let (mark, class) = if f.holds {
            ("✓", "ok")
        } else {
            ("✗", "bad")
        };
        let row_class = if f.holds { "" } else { " class=\"fail\"" };
        let mut inputs = String::new();
        for (n, i) in f.inputs.iter().enumerate() {
            // Long input lists (indicator rows, line items) fold after four.
            if n == 4 && f.inputs.len() > 5 {
                let _ = write!(
                    inputs,
                    "<details><summary>{} more inputs</summary>",
                    f.inputs.len() - 4
                );
            }
            let doc_id = i.doc_id.as_deref().unwrap_or(&f.doc_id);
            let path = docs.get(doc_id).map(|d| d.path.as_str()).unwrap_or(doc_id);
            let place = match (i.page, i.line) {
                (Some(p), Some(l)) => format!("{path} p.{p} l.{l}"),
                (Some(p), None) => format!("{path} p.{p}"),
                _ => path.to_string(),
            };
            let _ = write!(
                inputs,
                "<div>{} = {} — <a href=\"#src-{}\">{}</a> <a class=\"muted\" href=\"{}\">[file]</a></div>",
                escape(&i.metric),
                escape(&format_number(i.value)),
                escape(doc_id),
                escape(&place),
                file_href(path, i.page)
            );
        }
        if f.inputs.len() > 5 {
            inputs.push_str("</details>");
        }
        let _ = writeln!(
            s,
            "<tr{row_class}><td>{}</td><td>{}</td><td class=\"{class}\">{mark}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{inputs}</td></tr>",
            escape(&year),
            escape(&f.check),
            escape(&format_number(f.expected)),
            escape(&format_number(f.found)),
        );
    }
    s.push_str("</table>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_neutralises_schemes() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(
            file_href("javascript:alert(1)", None),
            "./javascript:alert(1)"
        );
        assert_eq!(file_href("a b#c.pdf", Some(2)), "a%20b%23c.pdf#page=2");
    }
}
