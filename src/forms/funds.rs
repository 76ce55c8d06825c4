//! The funds block of a form (项目资金 rows × 年初预算数 / 全年预算数 / 全年执行数 /
//! 分值 / 执行率 / 得分 columns): which number of a row goes in which column.
//!
//! A row's numbers rarely line up with the header: merged cells are missing,
//! a fiscal row has no 分值, an export drops every separator so `303010100%`
//! is three cells and a rate. Each reading of the row is scored against what
//! the form's arithmetic says (执行率 = 执行数 / 预算数, 得分 ≤ 分值, a rate
//! under 执行率, a weight under 分值) and the cheapest wins. Numbers that ran
//! together are split only in text that lost its separators, and only when
//! one reading is clearly the best: otherwise the row gives no numbers, never
//! a guess (a figure is right or absent).

use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::rules::forms::{CellKind, ColumnRule, FundsColumn};

/// A number of a row, as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Atom {
    /// Byte range of the number (and its `%`) in the folded text.
    pub start: usize,
    pub end: usize,
    pub value: Decimal,
    /// Decimal places as written.
    pub scale: u32,
    pub percent: bool,
    /// The column an inline label put it in (预算数 6.84 到位数 6.84).
    pub column: Option<usize>,
}

/// What a row's value tokens hold, in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    Number(Atom),
    /// An empty or `—` cell: it keeps a column's place.
    Blank,
    /// Digits that ran together (`303010100%`), at this folded offset.
    Run {
        text: String,
        start: usize,
    },
}

/// The numbers of one row placed in their columns (indices into `columns`).
/// `total_row`: the row is the block's total (年度资金总额), the one row that
/// usually carries 分值 and 得分.
pub(crate) fn place(
    columns: &[&ColumnRule],
    pieces: &[Piece],
    total_row: bool,
) -> Vec<(usize, Atom)> {
    let pieces = trim_blanks(pieces);
    let mut search = Search {
        columns,
        pieces,
        found: Vec::new(),
        placed: Vec::new(),
        cuts: 0.0,
        steps: 0,
    };
    search.from(0, 0, 0);
    let mut scored: Vec<(f64, Vec<(usize, Atom)>)> = search
        .found
        .into_iter()
        .map(|(placed, cuts)| (cost(columns, &placed, total_row) + cuts, placed))
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    let Some((best_cost, best)) = scored.first() else {
        return Vec::new();
    };
    let guessed = pieces.iter().any(|p| matches!(p, Piece::Run { .. }));
    if guessed {
        // Another reading nearly as good with other numbers: no reading is safe.
        let rival = scored
            .iter()
            .skip(1)
            .find(|(_, p)| values(p) != values(best))
            .is_some_and(|(c, _)| c - best_cost < 0.5);
        // Digits cut apart only where the form's arithmetic vouches for the cut.
        if rival || !arithmetic(columns, best).supports {
            return Vec::new();
        }
    }
    best.clone()
}

fn values(placed: &[(usize, Atom)]) -> Vec<(usize, Decimal)> {
    placed.iter().map(|(c, a)| (*c, a.value)).collect()
}

fn trim_blanks(pieces: &[Piece]) -> &[Piece] {
    let filled = |p: &Piece| !matches!(p, Piece::Blank);
    let first = pieces.iter().position(filled).unwrap_or(pieces.len());
    let last = pieces.iter().rposition(filled).map_or(first, |l| l + 1);
    &pieces[first..last]
}

/// Longest run of digits considered for cutting.
const MAX_RUN: usize = 40;
/// Most placements kept, and most steps taken, for one row: bounds on
/// pathological input (a row of a hundred empty cells).
const MAX_FOUND: usize = 20_000;
const MAX_STEPS: usize = 200_000;

/// The search for every order-keeping way to put a row's pieces in the
/// columns, cutting runs of digits into numbers that fit their column.
struct Search<'s> {
    columns: &'s [&'s ColumnRule],
    pieces: &'s [Piece],
    found: Vec<(Vec<(usize, Atom)>, f64)>,
    placed: Vec<(usize, Atom)>,
    /// The cost of the cuts made so far.
    cuts: f64,
    steps: usize,
}

impl Search<'_> {
    /// Places pieces from `piece` (at byte `offset` of it, for a run) in the
    /// columns from `column` on.
    fn from(&mut self, piece: usize, offset: usize, column: usize) {
        self.steps += 1;
        if self.found.len() >= MAX_FOUND || self.steps >= MAX_STEPS {
            return;
        }
        let Some(current) = self.pieces.get(piece) else {
            self.found.push((self.placed.clone(), self.cuts));
            return;
        };
        if column == self.columns.len() {
            return;
        }
        // The column stays empty.
        self.from(piece, offset, column + 1);
        match current {
            Piece::Blank => {
                // An empty cell keeps a column's place, or is one of the
                // empty cells a grid repeats across a merged cell.
                self.from(piece + 1, 0, column + 1);
                self.from(piece + 1, 0, column);
            }
            Piece::Number(atom) => {
                if atom.column.is_none_or(|c| c == column) && fits(self.columns[column], atom) {
                    self.placed.push((column, atom.clone()));
                    self.from(piece + 1, 0, column + 1);
                    self.placed.pop();
                }
            }
            Piece::Run { text, start } => self.cut(piece, text, *start, offset, column),
        }
    }

    /// Cuts the next number of a run for `column`.
    fn cut(&mut self, piece: usize, text: &str, start: usize, offset: usize, column: usize) {
        let bytes = text.trim_end_matches('.').as_bytes();
        if bytes.len() > MAX_RUN {
            return;
        }
        if offset >= bytes.len() {
            self.from(piece + 1, 0, column);
            return;
        }
        for end in offset + 1..=bytes.len() {
            let Some(atom) = run_atom(bytes, offset, end, start) else {
                continue;
            };
            if !fits(self.columns[column], &atom) {
                continue;
            }
            let next = atom.end - start;
            // A zero cut out of a run reads digits as a cell of nothing; real runs rarely hold one.
            let cost = 0.1 + if atom.value.is_zero() { 1.5 } else { 0.0 };
            self.cuts += cost;
            self.placed.push((column, atom));
            if next >= bytes.len() {
                self.from(piece + 1, 0, column + 1);
            } else {
                self.from(piece, next, column + 1);
            }
            self.placed.pop();
            self.cuts -= cost;
        }
    }
}

/// The number `bytes[at..end]` of a run starting at folded offset `base`,
/// with the `%` after it; `None` when those bytes are no number.
fn run_atom(bytes: &[u8], at: usize, end: usize, base: usize) -> Option<Atom> {
    let piece = &bytes[at..end];
    if !valid_number(piece) {
        return None;
    }
    let text = std::str::from_utf8(piece).ok()?;
    let value = Decimal::from_str(text).ok()?;
    let percent = bytes.get(end) == Some(&b'%');
    Some(Atom {
        start: base + at,
        end: base + end + usize::from(percent),
        value,
        scale: text.find('.').map_or(0, |d| (text.len() - d - 1) as u32),
        percent,
        column: None,
    })
}

/// A number as a form cell writes one: `0`, `35550`, `82.12`, `0.5`.
fn valid_number(piece: &[u8]) -> bool {
    let text = std::str::from_utf8(piece).unwrap_or_default();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let int_ok = !int.is_empty()
        && int.len() <= 10
        && int.bytes().all(|b| b.is_ascii_digit())
        && (int == "0" || !int.starts_with('0'));
    let frac_ok =
        frac.is_none_or(|f| (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()));
    int_ok && frac_ok
}

/// Whether a number can stand in a column: a rate under 执行率 (the only
/// column a `%` may stand in), at most 100 under 分值 and 得分.
fn fits(column: &ColumnRule, atom: &Atom) -> bool {
    let value = atom.value.to_f64().unwrap_or(f64::MAX);
    match column.kind {
        _ if atom.percent => column.kind == CellKind::Rate && value <= 500.0,
        // An execution rate beyond a few hundred per cent is no rate.
        CellKind::Rate => value <= 300.0,
        CellKind::Score => value <= 100.0,
        CellKind::Amount => true,
    }
}

/// How unlikely a placement is: empty columns, bare rates and broken
/// arithmetic cost.
fn cost(columns: &[&ColumnRule], placed: &[(usize, Atom)], total_row: bool) -> f64 {
    let mut cost = 0.0;
    for (c, atom) in placed {
        match columns[*c].kind {
            CellKind::Rate if !atom.percent => cost += 1.0,
            CellKind::Score if !total_row => cost += 0.3,
            _ => {}
        }
    }
    for (c, column) in columns.iter().enumerate() {
        if !placed.iter().any(|(p, _)| *p == c) {
            cost += skip_cost(column.column, total_row);
        }
    }
    cost + arithmetic(columns, placed).cost
}

/// What leaving a column empty costs: the 分值 and 得分 of rows other than
/// the total are usually merged away.
fn skip_cost(column: FundsColumn, total_row: bool) -> f64 {
    match column {
        FundsColumn::Weight | FundsColumn::Score if !total_row => 0.0,
        FundsColumn::InitialBudget => 0.5,
        FundsColumn::Budget | FundsColumn::Executed => 1.0,
        FundsColumn::Weight | FundsColumn::Rate => 0.6,
        FundsColumn::Score => 0.3,
        FundsColumn::None => 0.2,
    }
}

/// The verdict of the form's arithmetic on a placement.
struct Arithmetic {
    cost: f64,
    /// A check held: the rate matches the amounts, or the amounts agree.
    supports: bool,
}

/// What the form's own arithmetic says of a placement: 执行率 = 执行数 / 预算数,
/// 得分 ≤ 分值, and money columns that usually agree.
fn arithmetic(columns: &[&ColumnRule], placed: &[(usize, Atom)]) -> Arithmetic {
    let get = |col: FundsColumn| {
        placed
            .iter()
            .find(|(c, _)| columns[*c].column == col)
            .and_then(|(_, a)| a.value.to_f64())
    };
    let mut verdict = Arithmetic {
        cost: 0.0,
        supports: false,
    };
    if let (Some(b), Some(e), Some(r)) = (
        get(FundsColumn::Budget),
        get(FundsColumn::Executed),
        get(FundsColumn::Rate),
    ) && b > 0.0
    {
        let holds = (e / b * 100.0 - r).abs() <= 0.6;
        verdict.cost += if holds { -1.5 } else { 1.5 };
        verdict.supports |= holds;
    }
    if let (Some(w), Some(s)) = (get(FundsColumn::Weight), get(FundsColumn::Score))
        && s > w
    {
        verdict.cost += 3.0;
    }
    // A budget is executed: one without the other is a cell lost.
    let has_budget_column = columns.iter().any(|c| c.column == FundsColumn::Budget);
    let has_executed_column = columns.iter().any(|c| c.column == FundsColumn::Executed);
    if has_budget_column
        && has_executed_column
        && get(FundsColumn::Budget).is_some() != get(FundsColumn::Executed).is_some()
    {
        verdict.cost += 1.0;
    }
    // A funds weight is a round share of the 100 points (10, 20, 22.5).
    if let Some(w) = get(FundsColumn::Weight) {
        if (w * 2.0).fract() != 0.0 {
            verdict.cost += 1.0;
        }
        if w > 50.0 {
            verdict.cost += 0.5;
        }
    }
    let amounts: Vec<Decimal> = placed
        .iter()
        .filter(|(c, _)| columns[*c].kind == CellKind::Amount)
        .map(|(_, a)| a.value)
        .collect();
    if amounts.len() >= 2 && amounts.iter().all(|a| *a == amounts[0]) {
        verdict.cost -= 0.4 * (amounts.len() - 1) as f64;
        verdict.supports = true;
    }
    // The budget, its adjustment and its execution are of one size.
    let sizes: Vec<f64> = amounts
        .iter()
        .filter_map(|a| a.to_f64())
        .filter(|a| *a > 0.0)
        .collect();
    for (k, a) in sizes.iter().enumerate() {
        for b in &sizes[k + 1..] {
            if a.max(*b) / a.min(*b) > 10.0 {
                verdict.cost += 1.0;
            }
        }
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::forms::FundsColumn::*;
    use regex::Regex;

    fn column(column: FundsColumn) -> ColumnRule {
        let kind = match column {
            Weight | Score => CellKind::Score,
            Rate => CellKind::Rate,
            _ => CellKind::Amount,
        };
        ColumnRule {
            column,
            kind,
            metric: Option::None,
            labels: vec![Regex::new("x").unwrap()],
        }
    }

    fn run(text: &str) -> Piece {
        Piece::Run {
            text: text.into(),
            start: 0,
        }
    }

    fn number(text: &str) -> Piece {
        let percent = text.ends_with('%');
        let digits = text.trim_end_matches('%');
        Piece::Number(Atom {
            start: 0,
            end: text.len(),
            value: Decimal::from_str(digits).unwrap(),
            scale: digits
                .find('.')
                .map_or(0, |d| (digits.len() - d - 1) as u32),
            percent,
            column: Option::None,
        })
    }

    fn read(header: &[FundsColumn], pieces: &[Piece]) -> Vec<(FundsColumn, String)> {
        let rules: Vec<ColumnRule> = header.iter().map(|c| column(*c)).collect();
        let refs: Vec<&ColumnRule> = rules.iter().collect();
        place(&refs, pieces, true)
            .into_iter()
            .map(|(c, a)| {
                (
                    header[c],
                    format!("{}{}", a.value, if a.percent { "%" } else { "" }),
                )
            })
            .collect()
    }

    const HUNAN: [FundsColumn; 6] = [InitialBudget, Budget, Executed, Weight, Rate, Score];

    #[test]
    fn numbers_that_ran_together_split_where_the_arithmetic_holds() {
        let got = read(&HUNAN, &[run("303010100%")]);
        assert_eq!(
            got,
            [
                (Budget, "30".into()),
                (Executed, "30".into()),
                (Weight, "10".into()),
                (Rate, "100%".into())
            ]
        );
        let got = read(&HUNAN, &[run("3555035550355501082.12%8.5")]);
        assert_eq!(
            got,
            [
                (InitialBudget, "35550".into()),
                (Budget, "35550".into()),
                (Executed, "35550".into()),
                (Weight, "10".into()),
                (Rate, "82.12%".into()),
                (Score, "8.5".into()),
            ]
        );
        let got = read(&[Budget, Executed, Rate], &[run("40004000100%")]);
        assert_eq!(
            got,
            [
                (Budget, "4000".into()),
                (Executed, "4000".into()),
                (Rate, "100%".into())
            ]
        );
    }

    #[test]
    fn a_fiscal_row_without_weight_keeps_its_rate_in_place() {
        let pieces = [
            number("7.29"),
            number("7.29"),
            number("7.29"),
            number("100%"),
        ];
        let got = read(&HUNAN, &pieces);
        assert_eq!(got.last(), Some(&(Rate, "100%".into())));
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn a_full_row_is_read_as_it_stands() {
        let pieces = [
            number("30"),
            number("30"),
            number("10"),
            number("100%"),
            number("10"),
        ];
        let got = read(&[Budget, Executed, Weight, Rate, Score], &pieces);
        assert_eq!(got.len(), 5);
        assert_eq!(got[2], (Weight, "10".into()));
    }

    #[test]
    fn a_row_of_many_empty_cells_ends_quickly() {
        let mut pieces = vec![Piece::Blank; 200];
        pieces.insert(100, number("30"));
        pieces.push(number("30"));
        let got = read(&[Budget, Executed], &pieces);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn an_ambiguous_run_gives_nothing() {
        // Two amounts and nothing to check them against.
        assert!(read(&[Budget, Executed], &[run("1234")]).is_empty());
    }
}
