//! Indicator tables read as a stream of cells whose rows are not marked: one
//! cell per line, `text |` cells, or a table flattened onto one line.
//!
//! The header gives each row's shape (一级指标 二级指标 三级指标 … 分值 得分 备注).
//! Merged cells are missing, an empty note or unit leaves no trace, so where
//! one row ends and the next begins is not written anywhere. The reader tries
//! every way to cut the stream into rows of that shape and keeps the one that
//! reads most cells as what their column expects (a bare number ≤ 100 under
//! 分值 and 得分, a name under 三级指标): a dynamic programme over the cells.

use super::{Builder, Col, Measured, RawRow};
use crate::text::join_wrapped;

/// What a cell of the stream holds.
#[derive(Debug, Clone, PartialEq)]
pub enum CellClass {
    /// A level-1 name (产出指标), as the record writes it.
    Level1(String),
    /// A level-2 name (数量指标).
    Level2(String),
    /// A bare number.
    Number(f64),
    /// Digits that ran together (`2018` for 分值 20, 得分 18): split as the
    /// row needs, each part at most 100.
    Run(String),
    /// A comparison sign (≥ ≤ = ﹦), as 指标性质 holds.
    Sign,
    /// A unit of measure alone (`%`, `元`), as 度量单位 holds.
    Unit,
    /// A measured value with words (`>=21933人`, `100%`, `2万元`): what 指标值
    /// and 完成值 hold, rarely a name.
    Value,
    /// A name with its weight in brackets (`相关性(5 分)`), as a score sheet
    /// writes its level-2 and level-3 names: the weight.
    WeightedName(String, f64),
    /// Whether the indicator was met (完成, 未完成): a completed value or a
    /// 完成情况 cell, never a name.
    Status,
    Text,
}

/// One cell of the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamCell {
    pub text: String,
    pub class: CellClass,
    /// The cell's byte range in the text it was read from, when it is one
    /// stretch of it: 分值 and 得分 cells become figures there.
    pub span: Option<(usize, usize)>,
    pub page: u32,
    pub line: u32,
}

/// What cutting the stream at a place gives: the best score of the rest and
/// the row that starts there.
#[derive(Clone)]
struct Best {
    score: f64,
    /// The row read from this cell (its cells by column) and where the next row starts.
    row: Option<(Vec<(Col, Slot)>, usize)>,
}

/// What fills a column of one row.
#[derive(Debug, Clone, PartialEq)]
enum Slot {
    Cell(usize),
    /// A part of a run: the cell, the part's value, and its byte range
    /// within the cell's text.
    Part(usize, f64, (usize, usize)),
}

/// What a reader knows of a stream beyond its cells.
#[derive(Debug, Clone, Copy, Default)]
pub struct StreamLayout {
    /// The target, actual and note columns hold sentences (a scoring rubric's
    /// 评价标准 and 指标说明), each maybe cut into several cells.
    pub prose: bool,
    /// The text ends inside the table: its last row may have lost the cells
    /// after the cut, which costs nothing there.
    pub cut_at_end: bool,
}

/// Reads the rows of a stream of cells under `header` (the table's columns in
/// order), laid out as `layout` says.
pub(super) fn read(
    cells: &[StreamCell],
    header: &[Col],
    layout: StreamLayout,
    builder: &mut Builder,
) {
    // A row may open with its level names even where the header has no
    // column for them (a merged 绩效指标 cell over 一级 and 二级).
    let mut full: Vec<Col> = Vec::with_capacity(header.len() + 2);
    if !header.contains(&Col::Level1) {
        full.push(Col::Level1);
    }
    if !header.contains(&Col::Level2) {
        full.push(Col::Level2);
    }
    for &col in header {
        full.push(col);
        // Where the target is split (≥ | 98 | %), a text cell after the name
        // cannot be the target: it explains the name (指标解释).
        if col == Col::Level3 && header.contains(&Col::Nature) {
            full.push(Col::Explanation);
        }
    }
    let header = &full[..];
    let n = cells.len();
    let mut best: Vec<Best> = vec![
        Best {
            score: 0.0,
            row: None
        };
        n + 1
    ];
    for i in (0..n).rev() {
        // Leaving the cell out of every row costs.
        let mut here = Best {
            score: best[i + 1].score - SKIP,
            row: None,
        };
        for candidate in rows_from(cells, header, layout, i) {
            let total = candidate.score + best[candidate.end].score;
            if total > here.score {
                here = Best {
                    score: total,
                    row: Some((candidate.slots, candidate.end)),
                };
            }
        }
        best[i] = here;
    }
    let mut i = 0;
    while i < n {
        match &best[i].row {
            Some((row, end)) => {
                builder.push(raw_row(cells, row));
                i = *end;
            }
            None => {
                if cells[i].class == CellClass::Text {
                    builder.warnings.push(format!(
                        "line {}: indicator table cell that fits no row, skipped",
                        cells[i].line
                    ));
                }
                i += 1;
            }
        }
    }
}

/// What a cell left out of every row costs.
const SKIP: f64 = 1.0;
/// Most cells one row may take.
const MAX_ROW: usize = 14;

/// A row that can start at a cell: its slots, the cell after it, its score.
struct Candidate {
    slots: Vec<(Col, Slot)>,
    end: usize,
    score: f64,
}

/// Every row that can start at cell `i`.
fn rows_from(
    cells: &[StreamCell],
    header: &[Col],
    layout: StreamLayout,
    i: usize,
) -> Vec<Candidate> {
    let mut search = RowSearch {
        cells,
        header,
        prose: layout.prose,
        cut_at_end: layout.cut_at_end,
        start: i,
        slots: Vec::new(),
        out: Vec::new(),
    };
    search.fill(0, i, 0.0);
    search.out
}

/// The search for the rows that start at one cell.
struct RowSearch<'s> {
    cells: &'s [StreamCell],
    header: &'s [Col],
    prose: bool,
    cut_at_end: bool,
    start: usize,
    slots: Vec<(Col, Slot)>,
    out: Vec<Candidate>,
}

impl RowSearch<'_> {
    /// Fills column `c` of the header on, from cell `at`.
    fn fill(&mut self, c: usize, at: usize, score: f64) {
        if c == self.header.len() || at - self.start >= MAX_ROW {
            let has = |wanted: &[Col]| self.slots.iter().any(|(col, _)| wanted.contains(col));
            // A rubric's row always states its 分值 or 得分: text without one
            // is its sentences going on, not a row.
            if has(&[Col::Level3]) && (!self.prose || has(&[Col::Weight, Col::Score])) {
                self.out.push(Candidate {
                    slots: self.slots.clone(),
                    end: at,
                    score,
                });
            }
            return;
        }
        let col = self.header[c];
        // The column is empty in this row (a merged or blank cell), or lost
        // with the rest of a row the text's end cut.
        let cut_here = self.cut_at_end && at == self.cells.len();
        let cost = if cut_here { 0.0 } else { empty_cost(col) };
        self.fill(c + 1, at, score - cost);
        let Some(cell) = self.cells.get(at) else {
            return;
        };
        // A row never runs into the next row's level-1 or level-2 name.
        let opens_row = matches!(cell.class, CellClass::Level1(_) | CellClass::Level2(_));
        if opens_row
            && at > self.start
            && !matches!(col, Col::Level1 | Col::Level2)
            && !self.level3_repeats_level2(c, at)
        {
            return;
        }
        if let Some(gain) = self.fits_here(c, at) {
            self.slots.push((col, Slot::Cell(at)));
            self.fill(c + 1, at + 1, score + gain);
            self.slots.pop();
        }
        if self.prose && matches!(col, Col::Target | Col::Actual | Col::Note) {
            self.sentences(c, at, score);
        }
        // A 三级指标 that names its own quantity (建设普通省道二级公路32.1公里):
        // the name and the value after it are one cell.
        let next = self.cells.get(at + 1).map(|c| &c.class);
        if col == Col::Level3
            && cell.class == CellClass::Text
            && opens_like_a_name(&cell.text)
            && matches!(next, Some(CellClass::Value))
        {
            self.slots.push((col, Slot::Cell(at)));
            self.slots.push((col, Slot::Cell(at + 1)));
            self.fill(c + 1, at + 2, score + 3.2);
            self.slots.pop();
            self.slots.pop();
        }
        // A run of digits fills this column and the next with numbers ≤ 100.
        if let (CellClass::Run(digits), Some(&next)) = (&cell.class, self.header.get(c + 1)) {
            for (split, a, b) in pairs(digits) {
                let score_above_weight = col == Col::Weight && next == Col::Score && b > a;
                if numeric(col) && numeric(next) && !score_above_weight {
                    self.slots.push((col, Slot::Part(at, a, (0, split))));
                    self.slots
                        .push((next, Slot::Part(at, b, (split, digits.len()))));
                    self.fill(c + 2, at + 1, score + 3.5);
                    self.slots.pop();
                    self.slots.pop();
                }
            }
        }
    }
}

impl RowSearch<'_> {
    /// What cell `at` is worth in column `c` of this row, where a level's
    /// weight stands only right after its name and a name that is not in the
    /// vocabulary is a level's only when its weight follows.
    fn fits_here(&self, c: usize, at: usize) -> Option<f64> {
        let col = self.header[c];
        let class = &self.cells[at].class;
        let weight_next = self.header.get(c + 1) == Some(&Col::LevelWeight)
            && matches!(
                self.cells.get(at + 1).map(|n| &n.class),
                Some(CellClass::Number(_))
            );
        match (col, class) {
            (Col::LevelWeight, _) => {
                let after_name = matches!(self.slots.last(), Some((Col::Level1 | Col::Level2, _)));
                (after_name && matches!(class, CellClass::Number(v) if *v <= 100.0)).then_some(2.0)
            }
            (Col::Level1 | Col::Level2, CellClass::Text)
                if weight_next && name_like(&self.cells[at].text) =>
            {
                Some(1.0)
            }
            (Col::Level3, CellClass::Level2(_)) if self.level3_repeats_level2(c, at) => Some(2.0),
            (Col::Completion, CellClass::Status) => Some(1.0),
            (Col::Completion, _) => None,
            // A completed value equal to the target is the commonest reading
            // of a number after the target (100 | % | 100).
            (Col::Actual, CellClass::Number(v)) if self.target_number() == Some(*v) => Some(2.5),
            // After the target's unit cell (≥ | 90 | % | 92) a bare number is
            // the completed value in that unit.
            (Col::Actual, CellClass::Number(_))
                if matches!(self.slots.last(), Some((Col::Unit, _))) =>
            {
                Some(2.5)
            }
            (Col::Level3, _) if self.prose && !name_like(&self.cells[at].text) => None,
            // A name opens with a word or a number, not with a unit or a
            // closing mark (`%(百分比)` is the tail of a target).
            (Col::Level3, _) if !opens_like_a_name(&self.cells[at].text) => None,
            // A weighted name is a level-2 group's when another follows it.
            (Col::Level2, CellClass::WeightedName(..)) => {
                let next = self.cells.get(at + 1).map(|n| &n.class);
                matches!(next, Some(CellClass::WeightedName(..))).then_some(1.5)
            }
            _ => fits(col, class),
        }
    }

    /// The number filling this row's target column, if it is a bare number.
    fn target_number(&self) -> Option<f64> {
        self.slots.iter().find_map(|(col, slot)| match (col, slot) {
            (Col::Target, Slot::Cell(k)) => number_of(&self.cells[*k].class),
            _ => None,
        })
    }

    /// Whether cell `at`, a level-2 name, is this row's 三级指标: it follows
    /// the row's own level-2 cell (满意度指标 | 服务对象满意度指标 | 满意度),
    /// where a new row would have started with its level-1 or level-2 name.
    fn level3_repeats_level2(&self, c: usize, at: usize) -> bool {
        self.header[c] == Col::Level3
            && matches!(self.cells[at].class, CellClass::Level2(_))
            && matches!(self.slots.last(), Some((Col::Level2, Slot::Cell(k))) if k + 1 == at)
    }

    /// A sentence column filled by a run of two or more cells (a rubric's
    /// criteria, cut at the quantities they state).
    fn sentences(&mut self, c: usize, at: usize, score: f64) {
        let col = self.header[c];
        let mut end = at;
        while end < self.cells.len()
            && end - at < MAX_SENTENCE_CELLS
            && sentence_part(&self.cells[end].class)
        {
            end += 1;
            if end - at >= 2 {
                for k in at..end {
                    self.slots.push((col, Slot::Cell(k)));
                }
                self.fill(c + 1, end, score + 0.8);
                for _ in at..end {
                    self.slots.pop();
                }
            }
        }
    }
}

/// Whether a cell's text can be an indicator's name: short, and not a
/// sentence (no clause punctuation).
fn name_like(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
        && text.chars().count() <= 24
        && !text.contains(['，', ',', '。', '；', ';', '：', ':', '！', '？'])
        && !text.ends_with('.')
}

/// Whether a cell's text opens as a name can: not with a unit sign or a
/// mark that closes or continues something before it.
fn opens_like_a_name(text: &str) -> bool {
    text.trim_start().chars().next().is_some_and(|c| {
        !matches!(
            c,
            '%' | '‰' | '‱' | ')' | ']' | '》' | '”' | ',' | '、' | '。' | ':' | ';' | '.'
        )
    })
}

/// Most cells one sentence column may take.
const MAX_SENTENCE_CELLS: usize = 12;

/// Whether a cell can be part of a sentence column: anything but a bare
/// number (a 分值 or 得分) or a level name.
fn sentence_part(class: &CellClass) -> bool {
    matches!(
        class,
        CellClass::Text | CellClass::Value | CellClass::Unit | CellClass::Sign | CellClass::Status
    )
}

/// Columns a bare number can stand in.
fn numeric(col: Col) -> bool {
    matches!(
        col,
        Col::Weight | Col::Score | Col::Target | Col::Actual | Col::WeightShare
    )
}

/// What leaving a column empty costs: 分值 and 得分 are nearly always there,
/// a 三级指标 always.
fn empty_cost(col: Col) -> f64 {
    // A lone value is the target before it is the actual, and a lone number
    // the weight before it is the score (a row cut before its 得分).
    match col {
        Col::Level3 => 4.0,
        Col::Weight => 2.1,
        Col::Score => 2.0,
        Col::Target => 0.4,
        Col::Actual => 0.3,
        // A level's weight is written once, on its group's first row.
        _ => 0.0,
    }
}

/// What a cell of `class` is worth in column `col`; `None` when it cannot stand there.
fn fits(col: Col, class: &CellClass) -> Option<f64> {
    use CellClass as C;
    match (col, class) {
        (Col::Level1, C::Level1(_)) | (Col::Level2, C::Level2(_)) => Some(1.5),
        (Col::Level1 | Col::Level2, _) => None,
        (_, C::Level1(_) | C::Level2(_)) => None,
        (Col::Level3, C::Text | C::WeightedName(..)) => Some(3.0),
        (Col::Level3, C::Value) => Some(0.5),
        (Col::Level3, _) => None,
        (Col::Weight | Col::Score, C::Number(v)) if *v <= 100.0 => Some(2.0),
        (Col::Weight | Col::Score, C::Run(digits))
            if digits.parse::<f64>().is_ok_and(|v| v <= 100.0) =>
        {
            Some(2.0)
        }
        (Col::Weight | Col::Score, _) => None,
        (Col::Nature, C::Sign) => Some(1.0),
        (Col::Nature, _) => None,
        (Col::Unit, C::Unit) => Some(1.5),
        (_, C::Unit) => None,
        (Col::Target | Col::Actual, C::Value | C::Number(_)) => Some(1.2),
        (Col::Target | Col::Actual, C::Run(_)) => Some(0.6),
        (Col::Target | Col::Actual | Col::Unit, C::Text | C::Number(_)) => Some(0.8),
        // A comparison sign alone is a target's (≥ | 98 | %), never a completed value.
        (Col::Target, C::Sign) => Some(0.8),
        (Col::Target | Col::Actual, C::WeightedName(..)) => Some(0.8),
        (Col::Actual | Col::Note, C::Status) => Some(0.8),
        (Col::Note, C::Text) => Some(0.2),
        (Col::WeightShare, C::Number(v)) if *v <= 100.0 => Some(1.5),
        (Col::WeightedScore, C::Number(v)) if *v <= 100.0 => Some(1.0),
        (Col::Explanation, C::Text) => Some(0.5),
        _ => None,
    }
}

/// The ways to read a run as two numbers ≤ 100 (`2018` → 20 and 18): where
/// the run is cut, and the two numbers.
fn pairs(digits: &str) -> Vec<(usize, f64, f64)> {
    let valid = |s: &str| !s.is_empty() && (s == "0" || !s.starts_with('0'));
    (1..digits.len())
        .filter(|&k| digits.is_char_boundary(k))
        .filter_map(|k| {
            let (a, b) = digits.split_at(k);
            if !valid(a) || !valid(b) {
                return None;
            }
            let (a, b) = (a.parse::<f64>().ok()?, b.parse::<f64>().ok()?);
            // `10` is ten, not 1 and 0.
            let single_and_zero = a < 10.0 && b == 0.0;
            (a <= 100.0 && b <= 100.0 && !single_and_zero).then_some((k, a, b))
        })
        .collect()
}

/// The cells of a chosen row placed in their columns.
fn raw_row(cells: &[StreamCell], row: &[(Col, Slot)]) -> RawRow {
    let first = row.iter().map(|(_, s)| index(s)).min().unwrap_or(0);
    let mut raw = RawRow {
        page: cells[first].page,
        line: cells[first].line,
        ..RawRow::default()
    };
    let mut previous = None;
    // A score sheet writes the weight after the name (相关性(5 分)).
    let mut named_weight = None;
    for (col, slot) in row {
        let cell = &cells[index(slot)];
        let level = previous.replace(*col);
        let (text, number, at) = match slot {
            Slot::Cell(_) => (cell.text.clone(), number_of(&cell.class), cell.span),
            Slot::Part(_, v, (a, b)) => (
                format_part(*v),
                Some(*v),
                cell.span.map(|(s, _)| (s + a, s + b)),
            ),
        };
        match col {
            Col::Level1 => {
                raw.level1 = Some(match &cell.class {
                    CellClass::Level1(name) => name.clone(),
                    _ => text,
                });
            }
            Col::LevelWeight => {
                if let (Some(level), Some(v)) = (level, number) {
                    raw.level_weights.push((level, v, at));
                }
            }
            Col::Level2 | Col::Level3 if matches!(cell.class, CellClass::WeightedName(..)) => {
                if let CellClass::WeightedName(name, weight) = &cell.class {
                    raw.cells.insert(*col, name.clone());
                    named_weight = named_weight.or((*col == Col::Level3).then_some(*weight));
                }
            }
            Col::Weight => (raw.weight, raw.weight_at) = (number, at),
            Col::Score => (raw.score, raw.score_at) = (number, at),
            Col::WeightShare | Col::WeightedScore => {
                let unit = if *col == Col::WeightShare {
                    raw.weight_share = number;
                    "%"
                } else {
                    "分"
                };
                raw.measured.extend(at.map(|at| Measured {
                    at,
                    unit: unit.into(),
                }));
            }
            Col::Explanation => {}
            _ => {
                // A bare target or completed number takes the row's 度量单位.
                let bare = matches!(cell.class, CellClass::Number(_));
                if bare && matches!(col, Col::Target | Col::Actual) {
                    raw.measured_at.extend(at);
                }
                // A 完成情况 status is kept with the note.
                let kept = if *col == Col::Completion {
                    Col::Note
                } else {
                    *col
                };
                join_wrapped(raw.cells.entry(kept).or_default(), &text);
            }
        }
    }
    raw.weight = raw.weight.or(named_weight);
    raw
}

fn index(slot: &Slot) -> usize {
    match slot {
        Slot::Cell(k) | Slot::Part(k, ..) => *k,
    }
}

fn number_of(class: &CellClass) -> Option<f64> {
    match class {
        CellClass::Number(v) => Some(*v),
        CellClass::Run(digits) => digits.parse().ok(),
        _ => None,
    }
}

fn format_part(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, class: CellClass) -> StreamCell {
        StreamCell {
            text: text.into(),
            class,
            span: None,
            page: 1,
            line: 1,
        }
    }

    fn text(t: &str) -> StreamCell {
        cell(t, CellClass::Text)
    }

    fn value(t: &str) -> StreamCell {
        cell(t, CellClass::Value)
    }

    fn num(t: &str) -> StreamCell {
        cell(t, CellClass::Number(t.parse().unwrap()))
    }

    #[test]
    fn rows_without_marks_are_found_by_their_shape() {
        use Col::*;
        // 一级 二级 三级 分值 年度指标值 全年实际值 得分 未完成原因 (Anhui), one cell per line.
        let header = [Level1, Level2, Level3, Weight, Target, Actual, Score, Note];
        let cells = [
            cell("产出指标(50分)", CellClass::Level1("产出指标".into())),
            cell("数量指标", CellClass::Level2("数量指标".into())),
            text("低保发放人数"),
            num("5"),
            value(">=21933人"),
            value("21980人"),
            num("5"),
            text("特困人员救助人数"),
            num("5"),
            value(">=4754人"),
            value("4604人"),
            num("5"),
            text("特困人员实行动态管理"),
            text("临时救助人数"),
            num("10"),
            value(">=7人"),
            value("7人"),
            num("10"),
        ];
        let mut builder = Builder::default();
        read(&cells, &header, StreamLayout::default(), &mut builder);
        let got: Vec<(&str, &str, Option<f64>, &str)> = builder
            .rows
            .iter()
            .map(|r| {
                (
                    r.level3.as_str(),
                    r.actual.as_str(),
                    r.weight,
                    r.note.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("低保发放人数", "21980人", Some(5.0), ""),
                (
                    "特困人员救助人数",
                    "4604人",
                    Some(5.0),
                    "特困人员实行动态管理"
                ),
                ("临时救助人数", "7人", Some(10.0), ""),
            ]
        );
        assert!(builder.rows.iter().all(|r| r.level1 == "产出指标"));
    }

    #[test]
    fn runs_of_digits_split_into_weight_and_score() {
        use Col::*;
        let header = [Level1, Level2, Level3, Target, Actual, Weight, Score, Note];
        let cells = [
            cell("产出指标", CellClass::Level1("产出指标".into())),
            cell("成本指标", CellClass::Level2("成本指标".into())),
            text("演出设备成本"),
            value("2万元"),
            value("2万元"),
            cell("2018", CellClass::Run("2018".into())),
        ];
        let mut builder = Builder::default();
        read(&cells, &header, StreamLayout::default(), &mut builder);
        assert_eq!(builder.rows.len(), 1);
        assert_eq!(
            (builder.rows[0].weight, builder.rows[0].score),
            (Some(20.0), Some(18.0))
        );
    }

    #[test]
    fn a_level3_name_keeps_its_own_quantity() {
        use Col::*;
        // The name ends in its quantity; the row's target and actual follow.
        let header = [Level1, Level2, Level3, Target, Actual, Weight, Score];
        let cells = [
            cell("产出指标", CellClass::Level1("产出指标".into())),
            cell("数量指标", CellClass::Level2("数量指标".into())),
            text("建设普通省道二级公路"),
            value("32.1公里"),
            value("≥90%"),
            value("95%"),
            num("10"),
            num("9"),
        ];
        let mut builder = Builder::default();
        read(&cells, &header, StreamLayout::default(), &mut builder);
        assert_eq!(builder.rows.len(), 1, "{:?}", builder.warnings);
        let row = &builder.rows[0];
        assert_eq!(row.level3, "建设普通省道二级公路32.1公里");
        assert_eq!((row.target.as_str(), row.actual.as_str()), ("≥90%", "95%"));
        assert_eq!((row.weight, row.score), (Some(10.0), Some(9.0)));
    }
}
