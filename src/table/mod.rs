//! Indicator tables (绩效指标表): finds them in a document's text and reads one
//! [`IndicatorRow`] per indicator, whatever the export did to the table's cells.
//!
//! Layouts read: rows of cells ([`crate::cells`]: tab-separated, `|` pipe), read
//! by [`rows`], and one cell per line, read by [`lines`]. The wording (header
//! names, level-1 names, rows that are not indicators) comes from
//! `rules/tables.toml` so another province's template is a rule edit.
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

mod lines;
mod rows;
pub mod stream;

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::cells::Row;
use crate::rules::{RuleSet, TableRules};
use crate::source::Document;
use crate::source::NormalizedText;
use crate::text::{fold_for_match, join_wrapped};

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
    /// Where the 分值 and 得分 numbers stand in the text the table was read
    /// from (byte ranges): they are figures whose unit the header gives.
    pub weight_at: Option<(usize, usize)>,
    pub score_at: Option<(usize, usize)>,
    pub note: String,
    /// Bare numbers whose unit the row or its header gives: 指标值 and 完成值
    /// under a 度量单位 cell (`72890 | 元`), 权重占比 (%), 折算得分 (分).
    pub measured: Vec<Measured>,
    /// The 分值 of the level groups this row opens (投入 13, 预算配置 13 in a
    /// scoring rubric), in level order.
    pub level_weights: Vec<LevelWeight>,
    pub page: u32,
    pub line: u32,
}

/// A bare number of an indicator row and the unit its cell takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// Where the number stands (a byte range of the text the table was read from).
    pub at: (usize, usize),
    /// The unit as written (`元`, `%`), to be read after the number.
    pub unit: String,
}

/// The 分值 written beside a level-1 or level-2 name: a figure whose unit the
/// header gives, and the sum its group's rows' 分值 should make.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelWeight {
    /// The level's name as the row carries it.
    pub level: String,
    pub value: f64,
    /// Where the number stands in the text the table was read from.
    pub at: Option<(usize, usize)>,
}

/// The columns an indicator table can have; `[[column]] name` in tables.toml
/// spells them in snake case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Level1,
    Level2,
    /// The 分值 of the level-1 or level-2 name just before it.
    LevelWeight,
    Level3,
    Nature,
    Target,
    Unit,
    Actual,
    /// 完成 / 未完成: kept with the note.
    Completion,
    Weight,
    Score,
    /// The weight as a share of the whole, in per cent.
    WeightShare,
    /// The score times the weight share.
    WeightedScore,
    /// A line explaining the 三级指标 after its name (指标解释 where the header
    /// names no such column): not kept.
    Explanation,
    Note,
}

impl Col {
    fn from_name(name: &str) -> Option<Col> {
        Some(match name {
            "level1" => Col::Level1,
            "level2" => Col::Level2,
            "level_weight" => Col::LevelWeight,
            "level3" => Col::Level3,
            "nature" => Col::Nature,
            "target" => Col::Target,
            "unit" => Col::Unit,
            "actual" => Col::Actual,
            "completion" => Col::Completion,
            "weight" => Col::Weight,
            "score" => Col::Score,
            "weight_share" => Col::WeightShare,
            "weighted_score" => Col::WeightedScore,
            "note" => Col::Note,
            _ => return None,
        })
    }
}

/// A 分值/得分 cell: a bare number, maybe followed by 分.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+(?:\.\d+)?)\s*分?$").expect("valid regex"));

/// The byte range of the number in `text[range]` (a 分值 cell `10` or `9.5分`).
fn number_at(text: &str, (start, end): (usize, usize)) -> Option<(usize, usize)> {
    static DIGITS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d+(?:\.\d+)?").expect("valid regex"));
    DIGITS
        .find(&text[start..end])
        .map(|m| (start + m.start(), start + m.end()))
}

fn number(cell: &str) -> Option<f64> {
    NUMBER
        .captures(cell.trim())
        .and_then(|c| c[1].parse::<f64>().ok())
}

/// A cell as the table rules compare it: NFKC, traditional characters as
/// simplified, whitespace removed, brackets as ASCII.
fn fold(cell: &str) -> String {
    fold_for_match(&NormalizedText::folded(cell))
}

fn header_col(cell: &str, rules: &TableRules) -> Option<Col> {
    let limit = rules.longest_header_cell.unwrap_or(usize::MAX);
    let folded = fold_for_match(&NormalizedText::folded_within(cell, limit)?);
    if folded.is_empty() {
        return None;
    }
    rules
        .columns
        .iter()
        .find(|c| c.cells.iter().any(|p| p.is_match(&folded)))
        .and_then(|c| Col::from_name(&c.name))
}

/// The level-1 name a cell holds, as the cell writes it without its weight
/// (`产出指标 (50分)` → `产出指标`, `產出指標` stays traditional), if it holds one.
fn level1_name(cell: &str, rules: &TableRules) -> Option<String> {
    let folded = fold(cell);
    let name = rules.level1_suffix.replace(&folded, "");
    if !rules.level1.contains(&name.to_string()) {
        return None;
    }
    let written = cell.trim();
    // NFKC maps the characters of a name and its weight one for one, so the
    // weight's length in characters is the same in the written cell.
    let nfkc = NormalizedText::folded(written);
    let suffix_chars = rules
        .level1_suffix
        .find(&nfkc)
        .map_or(0, |m| nfkc[m.start()..].chars().count());
    let keep = written.chars().count().saturating_sub(suffix_chars);
    Some(
        written
            .chars()
            .take(keep)
            .collect::<String>()
            .trim_end()
            .to_string(),
    )
}

/// A name written with its weight in brackets (`相关性(5 分)`): the name as
/// written and the weight; the bracket is the level-1 suffix of the rules.
fn weighted_name(cell: &str, rules: &TableRules) -> Option<(String, f64)> {
    static WEIGHT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\d+(?:\.\d+)?").expect("valid regex"));
    let nfkc = NormalizedText::folded(cell.trim());
    let suffix = rules.level1_suffix.find(&nfkc)?;
    let weight = WEIGHT.find(suffix.as_str())?.as_str().parse().ok()?;
    let name = nfkc[..suffix.start()].trim();
    (!name.is_empty() && name.chars().any(char::is_alphabetic)).then(|| (name.to_string(), weight))
}

/// What a cell of a table holds, for a reader that must tell rows apart by
/// their shape ([`stream`]).
fn classify(cell: &str, rules: &TableRules) -> stream::CellClass {
    use stream::CellClass;
    static VALUE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[≥≤><=＝﹦≧≦]=?|不低于|不高于|不少于|不超过|大于|小于|约)?\s*[-+]?\d")
            .expect("valid value pattern")
    });
    static SIGN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:[≥≤><=＝﹦≧≦]=?)$").expect("valid sign pattern"));
    if let Some(name) = level1_name(cell, rules) {
        return CellClass::Level1(name);
    }
    let folded = fold(cell);
    if rules.level2.contains(&folded) {
        return CellClass::Level2(cell.trim().to_string());
    }
    if let Some((name, weight)) = weighted_name(cell, rules) {
        return if rules.level2.contains(&fold(&name)) {
            CellClass::Level2(name)
        } else {
            CellClass::WeightedName(name, weight)
        };
    }
    if let Some(v) = number(cell) {
        return CellClass::Number(v);
    }
    if SIGN.is_match(&folded) {
        return CellClass::Sign;
    }
    if rules.unit_cells.is_match(&folded) {
        return CellClass::Unit;
    }
    if rules.completion_words.contains(&folded) {
        return CellClass::Status;
    }
    if VALUE.is_match(&folded) {
        return CellClass::Value;
    }
    CellClass::Text
}

fn clean(cell: &str, rules: &TableRules) -> String {
    let mut text = cell.replace('\x0c', "");
    for strip in &rules.cell_strip {
        text = strip.replace_all(&text, "").into_owned();
    }
    text.trim().to_string()
}

/// The cleaned cells of a table row; `None` for a line that is not one.
fn split_cells(line: &str, rules: &TableRules) -> Option<Vec<String>> {
    let row = Row::split(line);
    row.is_table_row()
        .then(|| row.texts(line).map(|c| clean(c, rules)).collect())
}

fn matches_any(patterns: &[Regex], text: &str) -> bool {
    let folded = fold(text);
    patterns.iter().any(|p| p.is_match(&folded))
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
    /// The cells of the row (by index) that held 分值 and 得分.
    weight_cell: Option<usize>,
    score_cell: Option<usize>,
    weight_at: Option<(usize, usize)>,
    score_at: Option<(usize, usize)>,
    /// Where bare numbers in the target and actual columns stand, and (rows
    /// of separated cells) the cells that hold them.
    measured_at: Vec<(usize, usize)>,
    measured_cells: Vec<usize>,
    /// Numbers with a unit of their own column (权重占比, 折算得分).
    measured: Vec<Measured>,
    weight_share: Option<f64>,
    /// The numbers of the row's level-weight cells, each after its level's
    /// column (Level1 or Level2).
    level_weights: Vec<RawLevelWeight>,
    page: u32,
    line: u32,
}

/// A level's weight as a row reads it: the level's column, the number, where
/// it stands.
type RawLevelWeight = (Col, f64, Option<(usize, usize)>);

impl RawRow {
    /// The row's bare numbers with their units: its target and actual values
    /// under the row's `unit` cell (none without one), and those of columns
    /// with a unit of their own.
    fn measured_in(&self, unit: &str) -> Vec<Measured> {
        let under_unit = self.measured_at.iter().filter(|_| !unit.is_empty());
        under_unit
            .map(|&at| Measured {
                at,
                unit: unit.to_string(),
            })
            .chain(self.measured.iter().cloned())
            .collect()
    }

    fn get(&self, col: Col) -> &str {
        self.cells.get(&col).map_or("", |s| s.as_str())
    }

    /// Text only in the target/actual/note columns: the rest of the row above,
    /// cut by a page break.
    fn is_continuation(&self) -> bool {
        self.level1.is_none()
            && self.get(Col::Level2).is_empty()
            && self.get(Col::Level3).is_empty()
            && self.weight.is_none()
            && self.score.is_none()
            && [Col::Target, Col::Actual, Col::Note]
                .iter()
                .any(|c| !self.get(*c).is_empty())
    }
}

impl Builder {
    fn push(&mut self, raw: RawRow) {
        if raw.is_continuation() {
            self.continue_last(&raw);
            return;
        }
        if let Some(l1) = &raw.level1 {
            // A new level-1 group starts a new level-2 group too.
            self.level1 = l1.clone();
            self.level2.clear();
        }
        let level2 = raw.get(Col::Level2);
        if !level2.is_empty() {
            self.level2 = level2.to_string();
        }
        let unit = raw.get(Col::Unit);
        let mut target = format!("{}{}{}", raw.get(Col::Nature), raw.get(Col::Target), unit);
        // A scored row with an empty 三级指标 lost a cell on its left (a merged
        // 二级指标 spanning two columns): its 三级指标 text moved right, into 指标值.
        let mut level3 = raw.get(Col::Level3).to_string();
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
        // A row needs a group: its level-1 name, or at least its level-2 one
        // where the table's merged level-1 cells were not printed at all.
        let grouped = !self.level1.is_empty() || !self.level2.is_empty();
        if !grouped || level3.is_empty() || !has_content {
            self.warnings.push(format!(
                "line {}: indicator table row not understood (no level-1 group, 三级指标 or values), skipped",
                raw.line
            ));
            return;
        }
        let level_weights = raw
            .level_weights
            .iter()
            .map(|&(col, value, at)| LevelWeight {
                level: if col == Col::Level1 {
                    self.level1.clone()
                } else {
                    self.level2.clone()
                },
                value,
                at,
            })
            .collect();
        self.rows.push(IndicatorRow {
            level1: self.level1.clone(),
            level2: self.level2.clone(),
            level3,
            target,
            actual,
            weight: raw.weight.or(raw.weight_share),
            score: raw.score,
            weight_at: raw.weight.and(raw.weight_at),
            score_at: raw.score.and(raw.score_at),
            note: raw.get(Col::Note).to_string(),
            measured: raw.measured_in(unit.trim()),
            level_weights,
            page: raw.page,
            line: raw.line,
        });
    }

    fn continue_last(&mut self, raw: &RawRow) {
        match self.rows.last_mut() {
            Some(prev) => {
                join_wrapped(&mut prev.target, raw.get(Col::Target));
                join_wrapped(&mut prev.actual, raw.get(Col::Actual));
                join_wrapped(&mut prev.note, raw.get(Col::Note));
            }
            None => self.warnings.push(format!(
                "line {}: indicator table text before any indicator row, skipped",
                raw.line
            )),
        }
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
        let table = match split_cells(text, rules) {
            // A header row: three or more cells naming columns, one of them 三级指标.
            Some(cells) => {
                let cols: Vec<Option<Col>> = cells.iter().map(|c| header_col(c, rules)).collect();
                is_header(&cols).then(|| rows::row_table(doc, i + 1, &cols, rules))
            }
            None => one_cell_header(doc, i, rules)
                .map(|(cols, first_row)| lines::line_table(doc, first_row, &cols, rules)),
        };
        match table {
            Some((table, w, next)) => {
                warnings.extend(w);
                if table.is_empty() {
                    warnings.push(format!(
                        "line {}: indicator table header found but no row could be read",
                        line.number
                    ));
                }
                rows.extend(table);
                i = next;
            }
            None => i += 1,
        }
    }
    (rows, warnings)
}

/// A header of one cell per line starting at line `i`: consecutive lines each
/// naming a column. Returns the columns and the index of the first row's line.
fn one_cell_header(
    doc: &Document,
    i: usize,
    rules: &TableRules,
) -> Option<(Vec<Option<Col>>, usize)> {
    let mut cols = Vec::new();
    let mut j = i;
    while let Some(col) = doc
        .lines
        .get(j)
        .and_then(|l| header_col(doc.line_text(l), rules))
    {
        cols.push(Some(col));
        j += 1;
    }
    is_header(&cols).then_some((cols, j))
}

fn is_header(cols: &[Option<Col>]) -> bool {
    cols.iter().flatten().count() >= 3 && cols.contains(&Some(Col::Level3))
}

/// What a table reader gives back: rows, warnings, and the index of the first
/// line after the table.
type TableRead = (Vec<IndicatorRow>, Vec<String>, usize);

/// Rows read from a stream of cells under a header of `columns` (indices into
/// `rules.columns`, in the header's order): a table whose cells ran together,
/// which the form reader has cut into cells, laid out as `layout` says.
pub fn read_stream(
    cells: &[stream::StreamCell],
    columns: &[usize],
    layout: stream::StreamLayout,
    rules: &TableRules,
) -> (Vec<IndicatorRow>, Vec<String>) {
    let header: Vec<Col> = columns
        .iter()
        .filter_map(|&c| Col::from_name(&rules.columns[c].name))
        .collect();
    let mut builder = Builder::default();
    if header.contains(&Col::Level3) {
        stream::read(cells, &header, layout, &mut builder);
    }
    (builder.rows, builder.warnings)
}

/// Whether a cell ends an indicator table (总分, 填表人, a next table's 序号).
pub fn ends_table(cell: &str, rules: &TableRules) -> bool {
    matches_any(&rules.end_rows, cell)
}

/// What a cell holds, as [`read_stream`] needs to know it.
pub fn cell_class(cell: &str, rules: &TableRules) -> stream::CellClass {
    classify(cell, rules)
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
        // The longest header the patterns allow is still read, with room for
        // whitespace; a paragraph is no header, however it starts.
        let longest = t
            .longest_header_cell
            .expect("the shipped header patterns are bounded");
        assert!(longest >= "年度指标值(根据项目方案和预算填写)".len());
        assert_eq!(
            header_col("年度指标值（根据项目方案和预算填写）  ", t),
            Some(Col::Target)
        );
        assert_eq!(
            header_col(&format!("权重{}", "，".repeat(longest)), t),
            None
        );
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

    #[test]
    fn rows_grouped_by_level2_alone_are_read() {
        // Tables whose merged level-1 cells were not printed at all.
        let text = format!("{HEADER}\t数量指标\t甲\tt\ta\t10\t10\t\n");
        let (rows, warnings) = read(&text);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].level1.as_str(), rows[0].level2.as_str()),
            ("", "数量指标")
        );
    }
}
