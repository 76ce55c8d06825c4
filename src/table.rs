//! Indicator tables (绩效指标表): finds them in a document's text and reads one
//! [`IndicatorRow`] per indicator, whatever the export did to the table's cells.
//!
//! Layouts read: tab-separated rows, `|` pipe rows, and one cell per line. The
//! wording (header names, level-1 names, rows that are not indicators) comes
//! from `rules/tables.toml` so another province's template is a rule edit.
//!
//! What exports do to these tables, and how it is undone:
//! - merged cells come out empty (or missing): level1/level2 are carried down;
//! - a merged leading cell shifts a row one column left: the level-1 cell
//!   (`效益指标 (40分)`) is found and the row re-aligned on it, and 分值/得分
//!   fall back to the last two numeric cells;
//! - a page break splits a cell: the rest comes as a row holding only text in
//!   the target/actual/note columns, which is joined to the row above.
//!
//! A row that cannot be read is reported as a warning, never emitted as a guess.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::rules::{RuleSet, TableRules};
use crate::source::Document;

/// One indicator of a performance indicator table.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    pub level1: String,
    pub level2: String,
    pub level3: String,
    /// 年度指标值, with 指标性质 (≥ ≤ =) before and 度量单位 after when the table has them.
    pub target: String,
    /// 实际完成值 (with 度量单位 when the value is a bare number).
    pub actual: String,
    /// 分值 / 权重.
    pub weight: Option<f64>,
    pub score: Option<f64>,
    pub note: String,
    pub page: u32,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Level1,
    Level2,
    Level3,
    Nature,
    Target,
    Unit,
    Actual,
    Weight,
    Score,
    Note,
}

impl Col {
    fn from_name(name: &str) -> Option<Col> {
        Some(match name {
            "level1" => Col::Level1,
            "level2" => Col::Level2,
            "level3" => Col::Level3,
            "nature" => Col::Nature,
            "target" => Col::Target,
            "unit" => Col::Unit,
            "actual" => Col::Actual,
            "weight" => Col::Weight,
            "score" => Col::Score,
            "note" => Col::Note,
            _ => return None,
        })
    }
}

/// A 分值/得分 cell: a bare number, maybe followed by 分.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+(?:\.\d+)?)\s*分?$").expect("valid regex"));
/// A markdown separator row (`|---|:--:|`).
static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s\-:=+]+$").expect("valid regex"));

fn number(cell: &str) -> Option<f64> {
    NUMBER
        .captures(cell.trim())
        .and_then(|c| c[1].parse::<f64>().ok())
}

/// Header cells are compared without whitespace and with ASCII brackets, so the
/// rule file need not spell every full-width / spacing variant.
fn fold(cell: &str) -> String {
    cell.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

fn header_col(cell: &str, rules: &TableRules) -> Option<Col> {
    let folded = fold(cell);
    if folded.is_empty() {
        return None;
    }
    rules
        .columns
        .iter()
        .find(|(_, patterns)| patterns.iter().any(|p| p.is_match(&folded)))
        .and_then(|(name, _)| Col::from_name(name))
}

/// The level-1 name a cell holds (`产出指标 (50分)` → `产出指标`), if it holds one.
fn level1_name(cell: &str, rules: &TableRules) -> Option<String> {
    let folded = fold(cell);
    let name = rules.level1_suffix.replace(&folded, "");
    rules.level1.iter().find(|l| **l == name).cloned()
}

fn clean(cell: &str, rules: &TableRules) -> String {
    let mut text = cell.replace('\x0c', "");
    for strip in &rules.cell_strip {
        text = strip.replace_all(&text, "").into_owned();
    }
    text.trim().to_string()
}

/// The cells of a tab or pipe row; `None` for a line that is not a table row.
fn split_cells(line: &str, rules: &TableRules) -> Option<Vec<String>> {
    let line = line.replace('\x0c', "");
    let trimmed = line.trim();
    let raw: Vec<&str> = if line.contains('\t') {
        line.split('\t').collect()
    } else if trimmed.starts_with('|') {
        let inner = trimmed.trim_start_matches('|');
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        inner.split('|').collect()
    } else {
        return None;
    };
    Some(raw.iter().map(|c| clean(c, rules)).collect())
}

fn matches_any(patterns: &[Regex], text: &str) -> bool {
    let folded = fold(text);
    patterns.iter().any(|p| p.is_match(&folded))
}

/// Joins the two halves of a cell split by a page break: Chinese text runs on,
/// Latin words keep a space.
fn join(into: &mut String, more: &str) {
    if more.is_empty() {
        return;
    }
    let ascii_edge = into
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && more
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if ascii_edge {
        into.push(' ');
    }
    into.push_str(more);
}

/// Collects rows, carrying merged level1/level2 cells down.
#[derive(Default)]
struct Builder {
    rows: Vec<IndicatorRow>,
    warnings: Vec<String>,
    level1: String,
    level2: String,
}

/// The cells of one row, by column, before carrying down.
#[derive(Default)]
struct RawRow {
    cells: HashMap<Col, String>,
    level1: Option<String>,
    weight: Option<f64>,
    score: Option<f64>,
    page: u32,
    line: u32,
}

impl RawRow {
    fn get(&self, col: Col) -> &str {
        self.cells.get(&col).map_or("", |s| s.as_str())
    }
}

impl Builder {
    fn push(&mut self, raw: RawRow) {
        let level2 = raw.get(Col::Level2);
        let level3 = raw.get(Col::Level3);
        let texts = [Col::Target, Col::Actual, Col::Note];
        let is_continuation = raw.level1.is_none()
            && level2.is_empty()
            && level3.is_empty()
            && raw.weight.is_none()
            && raw.score.is_none()
            && texts.iter().any(|c| !raw.get(*c).is_empty());
        if is_continuation {
            match self.rows.last_mut() {
                Some(prev) => {
                    join(&mut prev.target, raw.get(Col::Target));
                    join(&mut prev.actual, raw.get(Col::Actual));
                    join(&mut prev.note, raw.get(Col::Note));
                }
                None => self.warnings.push(format!(
                    "line {}: indicator table text before any indicator row, skipped",
                    raw.line
                )),
            }
            return;
        }
        if let Some(l1) = &raw.level1 {
            // A new level-1 group starts a new level-2 group too.
            self.level1 = l1.clone();
            self.level2.clear();
        }
        if !level2.is_empty() {
            self.level2 = level2.to_string();
        }
        let unit = raw.get(Col::Unit);
        let mut target = format!("{}{}{}", raw.get(Col::Nature), raw.get(Col::Target), unit);
        // A scored row with an empty 三级指标 lost a cell on its left (a merged
        // 二级指标 spanning two columns): its 三级指标 text moved right, into 指标值.
        let mut level3 = level3.to_string();
        if level3.is_empty()
            && raw.weight.is_some()
            && raw.score.is_some()
            && !raw.get(Col::Target).is_empty()
        {
            level3 = std::mem::take(&mut target);
        }
        let mut actual = raw.get(Col::Actual).to_string();
        if !unit.is_empty() && number(&actual).is_some() {
            actual.push_str(unit);
        }
        let has_content =
            raw.weight.is_some() || raw.score.is_some() || !target.is_empty() || !actual.is_empty();
        if self.level1.is_empty() || level3.is_empty() || !has_content {
            self.warnings.push(format!(
                "line {}: indicator table row not understood (no level-1 group, 三级指标 or values), skipped",
                raw.line
            ));
            return;
        }
        self.rows.push(IndicatorRow {
            level1: self.level1.clone(),
            level2: self.level2.clone(),
            level3,
            target,
            actual,
            weight: raw.weight,
            score: raw.score,
            note: raw.get(Col::Note).to_string(),
            page: raw.page,
            line: raw.line,
        });
    }
}

/// Every indicator row of every indicator table in `doc`, in order, and the
/// problems met (tables or rows that could not be read).
pub fn indicator_rows(doc: &Document, rules: &RuleSet) -> (Vec<IndicatorRow>, Vec<String>) {
    let rules = &rules.tables;
    let mut rows = Vec::new();
    let mut warnings = Vec::new();
    let mut i = 0;
    while i < doc.lines.len() {
        let line = &doc.lines[i];
        let text = doc.line_text(line);
        if line.furniture {
            i += 1;
            continue;
        }
        // A header row: three or more cells naming columns, one of them 三级指标.
        if let Some(cells) = split_cells(text, rules) {
            let cols: Vec<Option<Col>> = cells.iter().map(|c| header_col(c, rules)).collect();
            if is_header(&cols) {
                let (table, mut w, next) = row_table(doc, i + 1, &cols, rules);
                table_done(doc, i, table, &mut w, &mut rows);
                warnings.extend(w);
                i = next;
                continue;
            }
        } else if header_col(text, rules).is_some() {
            // A header of one cell per line: consecutive lines each naming a column.
            let mut cols = Vec::new();
            let mut j = i;
            while j < doc.lines.len() {
                match header_col(doc.line_text(&doc.lines[j]), rules) {
                    Some(c) => cols.push(Some(c)),
                    None => break,
                }
                j += 1;
            }
            if is_header(&cols) {
                let (table, mut w, next) = line_table(doc, j, &cols, rules);
                table_done(doc, i, table, &mut w, &mut rows);
                warnings.extend(w);
                i = next;
                continue;
            }
        }
        i += 1;
    }
    (rows, warnings)
}

fn is_header(cols: &[Option<Col>]) -> bool {
    cols.iter().flatten().count() >= 3 && cols.contains(&Some(Col::Level3))
}

fn table_done(
    doc: &Document,
    header_line: usize,
    table: Vec<IndicatorRow>,
    warnings: &mut Vec<String>,
    rows: &mut Vec<IndicatorRow>,
) {
    if table.is_empty() {
        warnings.push(format!(
            "line {}: indicator table header found but no row could be read",
            doc.lines[header_line].number
        ));
    }
    rows.extend(table);
}

/// Reads tab or pipe rows after a header row; returns the rows, warnings and
/// the index of the first line after the table.
fn row_table(
    doc: &Document,
    start: usize,
    header: &[Option<Col>],
    rules: &TableRules,
) -> (Vec<IndicatorRow>, Vec<String>, usize) {
    let mut builder = Builder::default();
    let index_of = |col: Col| header.iter().position(|c| *c == Some(col));
    let l1_index = index_of(Col::Level1).unwrap_or(0);
    let l3_index = index_of(Col::Level3).unwrap_or(0);
    let mut i = start;
    while i < doc.lines.len() {
        let line = &doc.lines[i];
        let text = doc.line_text(line);
        i += 1;
        if line.furniture || text.replace('\x0c', "").trim().is_empty() {
            // Blank lines come from page breaks inside the table.
            continue;
        }
        let Some(cells) = split_cells(text, rules) else {
            // Text that is not a row ends the table.
            i -= 1;
            break;
        };
        let Some(first) = cells.iter().find(|c| !c.is_empty()) else {
            continue;
        };
        if cells.iter().all(|c| c.is_empty() || SEPARATOR.is_match(c)) {
            continue;
        }
        if matches_any(&rules.end_rows, first) {
            break;
        }
        if matches_any(&rules.skip_rows, first) {
            continue;
        }
        // Re-align on the level-1 cell: a merged cell before it may be missing,
        // which moves the row left of the header.
        let found = cells
            .iter()
            .take(l1_index + 1)
            .enumerate()
            .find_map(|(k, c)| level1_name(c, rules).map(|name| (k, name)));
        let offset = found.as_ref().map_or(0, |(k, _)| l1_index - k);
        let cell_at = |col: Col, offset: usize| -> Option<&String> {
            let at = index_of(col)?;
            cells.get(at.checked_sub(offset)?)
        };
        let mut weight = cell_at(Col::Weight, offset).and_then(|c| number(c));
        let mut score = cell_at(Col::Score, offset).and_then(|c| number(c));
        // Cells right of 三级指标 are placed relative to 分值: a cell lost
        // between them moves 分值/得分 left, and the text cells with them.
        let mut tail_offset = offset as isize;
        if weight.is_none() || score.is_none() {
            // 分值 and 得分 are the last two numeric cells after 三级指标.
            let numbers: Vec<(usize, f64)> = cells
                .iter()
                .enumerate()
                .skip((l3_index + 1).saturating_sub(offset))
                .filter_map(|(k, c)| number(c).map(|n| (k, n)))
                .collect();
            if let [.., (k, w), (_, s)] = numbers[..] {
                weight = Some(w);
                score = Some(s);
                if let Some(at) = index_of(Col::Weight) {
                    tail_offset = at as isize - k as isize;
                }
            }
        }
        let l3_cell = l3_index.checked_sub(offset);
        let mut raw = RawRow {
            level1: found.map(|(_, name)| name),
            weight,
            score,
            page: line.page,
            line: line.number,
            ..RawRow::default()
        };
        for col in [Col::Level2, Col::Level3] {
            if let Some(c) = cell_at(col, offset) {
                raw.cells.insert(col, c.clone());
            }
        }
        for col in [Col::Nature, Col::Target, Col::Unit, Col::Actual, Col::Note] {
            let Some(at) =
                index_of(col).and_then(|at| usize::try_from(at as isize - tail_offset).ok())
            else {
                continue;
            };
            // Never reach back into 三级指标 or the cells before it.
            if l3_cell.is_some_and(|l3| at <= l3) {
                continue;
            }
            if let Some(c) = cells.get(at) {
                raw.cells.insert(col, c.clone());
            }
        }
        builder.push(raw);
    }
    (builder.rows, builder.warnings, i)
}

/// A cell of a one-cell-per-line table.
struct Token {
    text: String,
    number: Option<f64>,
    page: u32,
    line: u32,
}

/// Reads a one-cell-per-line table: each row is its text cells (merged ones
/// absent) followed by 分值 and 得分; a row's note, if any, comes first in the
/// next run of text cells and is told apart by counting cells.
fn line_table(
    doc: &Document,
    start: usize,
    header: &[Option<Col>],
    rules: &TableRules,
) -> (Vec<IndicatorRow>, Vec<String>, usize) {
    let mut builder = Builder::default();
    // The text columns in header order, before 分值.
    let text_cols: Vec<Col> = header
        .iter()
        .flatten()
        .copied()
        .take_while(|c| !matches!(c, Col::Weight | Col::Score))
        .filter(|c| *c != Col::Note)
        .collect();
    let has_note = header.contains(&Some(Col::Note));
    let mut tokens = Vec::new();
    let mut dropping_numbers = false;
    let mut i = start;
    while i < doc.lines.len() {
        let line = &doc.lines[i];
        i += 1;
        let text = clean(doc.line_text(line), rules);
        if line.furniture || text.is_empty() {
            continue;
        }
        if matches_any(&rules.end_rows, &text) {
            break;
        }
        if matches_any(&rules.skip_rows, &text) {
            // The skipped row's own numbers follow it.
            dropping_numbers = true;
            continue;
        }
        let number = number(&text);
        if number.is_some() && dropping_numbers {
            continue;
        }
        dropping_numbers = false;
        tokens.push(Token {
            text,
            number,
            page: line.page,
            line: line.number,
        });
    }
    // Group: text cells, then a run of numbers ends the row.
    let mut pending: Vec<Token> = Vec::new();
    let mut numbers: Vec<Token> = Vec::new();
    let mut groups = Vec::new();
    for token in tokens {
        if token.number.is_some() {
            numbers.push(token);
        } else {
            if !numbers.is_empty() {
                groups.push((std::mem::take(&mut pending), std::mem::take(&mut numbers)));
            }
            pending.push(token);
        }
    }
    if !numbers.is_empty() {
        groups.push((std::mem::take(&mut pending), numbers));
    }
    for (mut texts, mut nums) in groups {
        if nums.len() < 2 {
            let at = nums.first().map_or(0, |t| t.line);
            builder.warnings.push(format!(
                "line {at}: indicator row without both 分值 and 得分, skipped"
            ));
            continue;
        }
        let score = nums.pop().and_then(|t| t.number);
        let weight = nums.pop().and_then(|t| t.number);
        // Leading numbers of the run are numeric text cells (实际完成值 12).
        texts.extend(nums);
        let level1_at = texts
            .iter()
            .position(|t| level1_name(&t.text, rules).is_some());
        // Cells that fit no column of this row are the previous row's note.
        let room = if level1_at.is_some() {
            text_cols.len()
        } else {
            text_cols.len().saturating_sub(1)
        };
        let excess = match level1_at {
            Some(at) => at,
            None => texts.len().saturating_sub(room),
        };
        let leading: Vec<Token> = texts.drain(..excess.min(texts.len())).collect();
        if !leading.is_empty() {
            let note: Vec<&str> = leading.iter().map(|t| t.text.as_str()).collect();
            match builder.rows.last_mut() {
                Some(prev) if has_note => join(&mut prev.note, &note.join("")),
                _ => builder.warnings.push(format!(
                    "line {}: indicator table cells that fit no column, skipped",
                    leading[0].line
                )),
            }
        }
        let Some(first) = texts.first().or(leading.first()) else {
            continue;
        };
        let mut raw = RawRow {
            weight,
            score,
            page: first.page,
            line: first.line,
            ..RawRow::default()
        };
        let mut rest = &texts[..];
        if level1_at.is_some() {
            raw.level1 = level1_name(&texts[0].text, rules);
            rest = &texts[1..];
        }
        if rest.len() >= text_cols.len() {
            // More cells than columns after level 1: no reading is safe.
            builder.warnings.push(format!(
                "line {}: indicator row with more cells than the header has columns, skipped",
                raw.line
            ));
            continue;
        }
        // Merged (absent) cells are the leading ones: align the rest right.
        let cols = &text_cols[text_cols.len().saturating_sub(rest.len())..];
        for (col, token) in cols.iter().zip(rest) {
            raw.cells.insert(*col, token.text.clone());
        }
        builder.push(raw);
    }
    // Text after the last row's 得分 is its note.
    if !pending.is_empty() {
        let note: Vec<&str> = pending.iter().map(|t| t.text.as_str()).collect();
        match builder.rows.last_mut() {
            Some(prev) if has_note => join(&mut prev.note, &note.join("")),
            _ => builder.warnings.push(format!(
                "line {}: indicator table text after the last row, skipped",
                pending[0].line
            )),
        }
    }
    (builder.rows, builder.warnings, i)
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;
    use crate::rules::default_dir;
    use crate::source::Format;

    static RULES: LazyLock<RuleSet> =
        LazyLock::new(|| RuleSet::load(&default_dir()).expect("shipped rules load"));

    fn read(text: &str) -> (Vec<IndicatorRow>, Vec<String>) {
        let doc = Document::from_text(Format::Txt, "utf-8".into(), text.to_string());
        indicator_rows(&doc, &RULES)
    }

    const HEADER: &str = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n";

    #[test]
    fn cells_and_names() {
        assert_eq!(number("10"), Some(10.0));
        assert_eq!(number(" 9.5分 "), Some(9.5));
        assert_eq!(number("12个"), None);
        let t = &RULES.tables;
        assert_eq!(
            level1_name("产出指标 (50分)", t).as_deref(),
            Some("产出指标")
        );
        assert_eq!(
            level1_name("满意度指标（10分）", t).as_deref(),
            Some("满意度指标")
        );
        assert_eq!(level1_name("数量指标", t), None);
        assert_eq!(header_col("年初目标值（A）", t), Some(Col::Target));
        assert_eq!(header_col("实际完成值 (B)", t), Some(Col::Actual));
        assert_eq!(header_col("权重", t), Some(Col::Weight));
        assert_eq!(clean("<p>甲</p> <p>乙</p>", t), "甲 乙");
    }

    #[test]
    fn merged_cells_carry_down_and_totals_are_not_rows() {
        let text = format!(
            "说明\t这一行在表头之前\t1\t2\n{HEADER}产出指标 (50分)\t数量指标\t甲\t≥1个\t2个\t10\t9\t\n\t\t乙\t1\t1\t10\t10\t\n\t质量指标\t丙\t好\t好\t5\t5\t\n总分\t\t\t\t\t100\t96\t\n"
        );
        let (rows, warnings) = read(&text);
        assert!(warnings.is_empty(), "{warnings:?}");
        let got: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (r.level1.as_str(), r.level2.as_str(), r.level3.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("产出指标", "数量指标", "甲"),
                ("产出指标", "数量指标", "乙"),
                ("产出指标", "质量指标", "丙"),
            ]
        );
        assert_eq!((rows[0].weight, rows[0].score), (Some(10.0), Some(9.0)));
        assert_eq!(rows[0].line, 3);
    }

    #[test]
    fn continuation_after_page_break_is_joined() {
        let text = format!(
            "{HEADER}产出指标\t数量指标\t甲\t目标前半\t实际前半\t10\t10\t\n\n\x0c\t\t\t目标后半\t实际后半\t\t\t\n\t\t乙\tx\ty\t5\t5\t\n"
        );
        let (rows, warnings) = read(&text);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].target, "目标前半目标后半");
        assert_eq!(rows[0].actual, "实际前半实际后半");
        assert_eq!(rows[1].page, 2);
    }

    #[test]
    fn misaligned_rows_align_on_level1_and_scores() {
        // The level-1 cell one column left; a row that lost its target cell.
        let text = format!(
            "\t{HEADER}说明\t产出指标\t数量指标\t甲\tt\ta\t10\t10\t\n效益指标 (40分)\t社会效益指标\t乙\tt2\ta2\t20\t18\t\t\n\t\t满意度\t丙\t只有实际\t5\t4\t\n"
        );
        let (rows, warnings) = read(&text);
        assert!(warnings.is_empty(), "{warnings:?}");
        type Cells<'a> = (
            &'a str,
            &'a str,
            &'a str,
            &'a str,
            &'a str,
            Option<f64>,
            Option<f64>,
        );
        let got: Vec<Cells> = rows
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
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "产出指标",
                    "数量指标",
                    "甲",
                    "t",
                    "a",
                    Some(10.0),
                    Some(10.0)
                ),
                (
                    "效益指标",
                    "社会效益指标",
                    "乙",
                    "t2",
                    "a2",
                    Some(20.0),
                    Some(18.0)
                ),
                (
                    "效益指标",
                    "满意度",
                    "丙",
                    "",
                    "只有实际",
                    Some(5.0),
                    Some(4.0)
                ),
            ]
        );
    }

    #[test]
    fn rows_without_a_level1_group_are_warnings() {
        let text = format!("{HEADER}\t\t甲\tt\ta\t10\t10\t\n");
        let (rows, warnings) = read(&text);
        assert!(rows.is_empty());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("line 2:"));
        assert!(warnings[1].contains("no row could be read"));
    }
}
