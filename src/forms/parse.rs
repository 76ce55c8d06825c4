//! One form read from its tokens: header fields, the funds block and the
//! totals. The reader walks the tokens once and knows which part of the form
//! it is in (header, funds, indicators, another part), because the same word
//! means different things there (合计 closes a funds block or an indicator
//! table; 得分 heads a funds column or an indicator column).

use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::funds::{Atom, Piece, place};
use super::indicators;
use super::stream::Token;
use super::{Form, FundsRow, HeaderCell};
use crate::extract::Context;
use crate::quantity::Kind;
use crate::rules::forms::{CellKind, ColumnRule, FormField, FundsColumn, FundsRowKind, Role};
use crate::table::stream::StreamLayout;

/// The part of a form the reader is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Header,
    Funds,
    Indicators,
    Other,
}

/// The funds block as far as it has been read.
#[derive(Default)]
struct Funds {
    /// Column rules (indices into `FormRules::columns`), in header order.
    columns: Vec<usize>,
    /// Yuan per written unit, and the unit as written.
    unit: Option<(Decimal, String)>,
    /// The row being read: its kind, label, and the pieces so far.
    row: Option<(FundsRowKind, String)>,
    pieces: Vec<Piece>,
    /// A column label inside a row (预算数 6.84) places the next number.
    next_column: Option<usize>,
    rows_read: usize,
    /// The rows read, their numbers placed (column rule, number), waiting
    /// for the block's unit.
    placed: Vec<PlacedRow>,
}

/// A funds row whose numbers have their columns.
struct PlacedRow {
    row: FundsRowKind,
    label: String,
    /// (index into `FormRules::columns`, the number).
    placed: Vec<(usize, Atom)>,
}

struct Reader<'c, 'a> {
    ctx: &'c Context<'a>,
    tokens: &'c [Token],
    form: Form,
    part: Part,
    funds: Funds,
    /// For each form field, the `[[field]]` entry that filled it.
    filled_by: Vec<(FormField, usize)>,
    /// 金额单位 / 单位 written in the form's header.
    header_unit: Option<(Decimal, String)>,
    /// The indicator table's header has been read.
    indicator_header_read: bool,
}

/// Reads one form from its tokens (a title or first label to the next form).
pub(super) fn parse_form(ctx: &Context, tokens: &[Token]) -> Form {
    let mut reader = Reader {
        ctx,
        tokens,
        form: Form::new(
            tokens.first().map_or(0, |t| t.start),
            tokens.last().map_or(0, |t| t.end),
        ),
        part: Part::Header,
        funds: Funds::default(),
        filled_by: Vec::new(),
        header_unit: None,
        indicator_header_read: false,
    };
    let mut i = 0;
    while i < tokens.len() {
        i = reader.step(i);
    }
    reader.finish_row();
    reader.settle_funds();
    reader.form.year = reader.form_year();
    reader.form
}

impl Reader<'_, '_> {
    fn text(&self, token: &Token) -> &str {
        token.text(&self.ctx.folded.text)
    }

    /// Reads the token at `i`; returns the index of the next one to read.
    fn step(&mut self, i: usize) -> usize {
        let token = &self.tokens[i];
        if token.is_value() {
            // Numbers right under the block's header, before any row label,
            // are its first row: the total (年度资金总额 written after them).
            let first_row = self.part == Part::Funds
                && self.funds.row.is_none()
                && self.funds.rows_read == 0
                && !self.funds.columns.is_empty()
                && self.text(token).starts_with(|c: char| c.is_ascii_digit());
            if first_row {
                self.funds.row = Some((FundsRowKind::Total, String::new()));
            }
            if self.part == Part::Funds && self.funds.row.is_some() {
                self.funds_value(token);
            }
            return i + 1;
        }
        let roles = token.roles.clone();
        for role in roles {
            if let Some(next) = self.word(i, role) {
                return next;
            }
        }
        i + 1
    }

    /// Reads word `i` in `role` if the role makes sense where the reader is.
    fn word(&mut self, i: usize, role: Role) -> Option<usize> {
        let rules = &self.ctx.rules.forms;
        match role {
            Role::Title(k) => {
                if self.form.title.is_none() {
                    self.form.kind = rules.kinds[k].kind;
                    self.form.title = Some(self.cell_text(i));
                }
                Some(i + 1)
            }
            Role::Field(f) if self.part != Part::Indicators => Some(self.field(i, f)),
            Role::FundsBlock if self.part != Part::Indicators => {
                self.finish_row();
                self.part = Part::Funds;
                self.funds.unit = self.unit_after(i).or(self.funds.unit.clone());
                Some(i + 1)
            }
            Role::FundsColumn(c) if matches!(self.part, Part::Funds | Part::Header) => {
                self.funds_column(i, c);
                Some(i + 1)
            }
            Role::FundsRow(r)
                if self.part == Part::Funds
                    || (self.part == Part::Header && !self.funds.columns.is_empty()) =>
            {
                self.part = Part::Funds;
                self.funds_row(i, rules.rows[r].row);
                Some(i + 1)
            }
            Role::Total
                if self.part != Part::Funds
                    || self.funds.rows_read > 0 && self.funds.row.is_none() =>
            {
                Some(self.total(i))
            }
            Role::Grade => {
                self.form.grade = self
                    .value_after(i)
                    .map(|(a, b)| self.ctx.original(a, b).trim().to_string());
                Some(i + 1)
            }
            Role::TableColumn(_) if !self.indicator_header_read => Some(self.indicator_table(i)),
            Role::Level1 if !self.indicator_header_read && self.next_word_is_level2(i) => {
                Some(self.headless_table(i))
            }
            Role::TableColumn(_) | Role::Level1 | Role::Level2 => {
                if self.part == Part::Funds {
                    self.finish_row();
                }
                self.part = Part::Indicators;
                None
            }
            Role::Section => {
                self.finish_row();
                self.part = Part::Other;
                Some(i + 1)
            }
            _ => None,
        }
    }

    /// The text of the cell a word stands in, as the original writes it.
    fn cell_text(&self, i: usize) -> String {
        let first = (0..=i)
            .rev()
            .find(|&k| self.tokens[k].cell_start)
            .unwrap_or(i);
        let last = (i + 1..self.tokens.len())
            .find(|&k| self.tokens[k].cell_start)
            .map_or(self.tokens.len(), |k| k)
            - 1;
        let (a, b) = (self.tokens[first].start, self.tokens[last.max(i)].end);
        self.ctx.original(a, b).trim().to_string()
    }

    /// The value right after word `i` (skipping blank cells): the first value
    /// token and what follows it in its cell up to a word that opens another
    /// part of the form (a field, a title, a block, a section). Words of parts
    /// the reader is not in (地方资金 inside 补助地方资金) are part of the value.
    /// Its folded byte range.
    fn value_after(&self, i: usize) -> Option<(usize, usize)> {
        let k = (i + 1..self.tokens.len()).find(|&k| self.tokens[k].start < self.tokens[k].end)?;
        let first = &self.tokens[k];
        if !first.is_value() {
            return None;
        }
        let mut end = first.end;
        for token in &self.tokens[k + 1..] {
            let opens_part = token.is(|r| {
                matches!(
                    r,
                    Role::Title(_)
                        | Role::Field(_)
                        | Role::FundsBlock
                        | Role::Section
                        | Role::Grade
                        | Role::Total
                        | Role::FundsColumn(_)
                )
            });
            // A funds row's name ends a value only once the block's columns are
            // known (补助地方资金 in a project's name is no 地方资金 row).
            let funds_row =
                !self.funds.columns.is_empty() && token.is(|r| matches!(r, Role::FundsRow(_)));
            if token.cell_start || opens_part || funds_row {
                break;
            }
            end = token.end;
        }
        Some((first.start, end))
    }

    /// A header field label at `i` and its value.
    fn field(&mut self, i: usize, entry: usize) -> usize {
        let rules = &self.ctx.rules.forms;
        let Some((start, end)) = self.value_after(i) else {
            return i + 1;
        };
        let k = self.tokens.iter().rposition(|t| t.end <= end).unwrap_or(i);
        let original = self.ctx.original_name(start, end);
        let original = original.as_str();
        let label = self.text(&self.tokens[i]).to_string();
        if label.contains("金额单位") || label.ends_with("单位") && original.contains('元') {
            self.header_unit = money_unit(original, &rules.money_units);
        }
        let Some(value) = clean_name(original, rules) else {
            return k + 1;
        };
        // A body is named by a name of one (…局, …中心); anything else under
        // 主管部门 is a cell the layout moved there.
        let folded = crate::source::NormalizedText::folded(&value);
        let names_body = self.ctx.rules.document.organisation.is_match(&folded);
        for &field in &rules.fields[entry].fills {
            if field != FormField::Project && !names_body {
                continue;
            }
            let earlier = self
                .filled_by
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, e)| *e);
            if earlier.is_some_and(|e| e <= entry) {
                continue;
            }
            self.filled_by.retain(|(f, _)| *f != field);
            self.filled_by.push((field, entry));
            let slot = match field {
                FormField::Project => &mut self.form.project,
                FormField::Department => &mut self.form.department,
                FormField::ImplementingUnit => &mut self.form.implementing_unit,
            };
            *slot = Some(value.clone());
        }
        k + 1
    }

    /// The money unit written right after word `i` (项目资金 (万元)), in the
    /// word's own cell or the value after it.
    fn unit_after(&self, i: usize) -> Option<(Decimal, String)> {
        let units = &self.ctx.rules.forms.money_units;
        let next = self.tokens.get(i + 1).filter(|t| t.is_value());
        let own = self.text(&self.tokens[i]);
        money_unit(own, units).or_else(|| next.and_then(|t| money_unit(self.text(t), units)))
    }

    /// A funds column label: part of the block's header, or, inside a row,
    /// the column of the number that follows.
    fn funds_column(&mut self, i: usize, column: usize) {
        if self.part == Part::Header {
            // Two column labels in a row open a funds block without its word.
            let next_is_column = self.tokens[i + 1..]
                .iter()
                .find(|t| t.start < t.end)
                .is_some_and(|t| t.is(|r| matches!(r, Role::FundsColumn(_))));
            if !next_is_column && self.funds.columns.is_empty() {
                return;
            }
            self.part = Part::Funds;
        }
        if self.funds.row.is_none()
            && self.funds.rows_read == 0
            && !self.funds.columns.contains(&column)
        {
            self.funds.columns.push(column);
            return;
        }
        let position = self.funds.columns.iter().position(|&c| c == column);
        if self.funds.row.is_none() && position.is_some() {
            // 预算数 6.84 到位数 … under the header: the block's first row, unlabelled.
            self.funds.row = Some((FundsRowKind::Total, self.text(&self.tokens[i]).to_string()));
        }
        self.funds.next_column = position;
    }

    /// A funds row label: ends the row before (unless it repeats its label).
    fn funds_row(&mut self, i: usize, row: FundsRowKind) {
        let label = self.text(&self.tokens[i]).to_string();
        if self.funds.row.as_ref().is_some_and(|(_, l)| *l == label) {
            return;
        }
        self.finish_row();
        self.funds.row = Some((row, label));
    }

    /// A value inside a funds row: its numbers, blanks and runs of digits.
    fn funds_value(&mut self, token: &Token) {
        if token.start == token.end {
            self.funds.pieces.push(Piece::Blank);
            return;
        }
        let text = self.text(token).to_string();
        // Only digits glued to a label with no space anywhere may be several
        // cells run together; numbers a space separates are cells of their own.
        let run_together = token.glued && !text.trim().contains(char::is_whitespace);
        let mut at = token.start;
        for piece in text.split(char::is_whitespace) {
            let start = at + text[at - token.start..].find(piece).unwrap_or(0);
            at = start + piece.len();
            if piece.is_empty() {
                continue;
            }
            if let Some(p) = self.piece(piece, start, run_together) {
                self.funds.pieces.push(p);
            }
        }
    }

    /// One whitespace-free piece of a funds row.
    fn piece(&mut self, piece: &str, start: usize, glued: bool) -> Option<Piece> {
        static NUMBER: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^(\d+(?:\.\d+)?)(%?)").expect("valid number pattern"));
        let piece = piece.trim_start_matches([':', ':']);
        if piece
            .chars()
            .all(|c| matches!(c, '-' | '—' | '–' | '/' | '\\'))
        {
            return Some(Piece::Blank);
        }
        let digits_end = piece
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '%'))
            .unwrap_or(piece.len());
        // Glued digits are cells that ran together; dashes after them are the
        // empty cells that follow (3555035550——).
        let dashes_after = piece[digits_end..]
            .chars()
            .all(|c| matches!(c, '-' | '—' | '–'));
        if glued && digits_end > 0 && dashes_after {
            return Some(Piece::Run {
                text: piece[..digits_end].to_string(),
                start,
            });
        }
        let m = NUMBER.captures(piece)?;
        let digits = m.get(1)?.as_str();
        let value = Decimal::from_str(digits).ok()?;
        let percent = !m[2].is_empty();
        let column = self.funds.next_column.take();
        Some(Piece::Number(Atom {
            start,
            end: start + m.get(0)?.end(),
            value,
            scale: digits
                .find('.')
                .map_or(0, |d| (digits.len() - d - 1) as u32),
            percent,
            column,
        }))
    }

    /// Places the numbers of the row read so far in their columns.
    fn finish_row(&mut self) {
        let Some((row, label)) = self.funds.row.take() else {
            return;
        };
        let pieces = std::mem::take(&mut self.funds.pieces);
        self.funds.rows_read += 1;
        let rules = &self.ctx.rules.forms;
        if self.funds.columns.is_empty() {
            return;
        }
        let mut header = self.funds.columns.clone();
        let numbers = pieces
            .iter()
            .filter(|p| matches!(p, Piece::Number(_)))
            .count();
        if numbers > header.len() {
            // More numbers than columns: the header lost its first cell to
            // the department's name (部门名称 | 衡阳市… | 执行数 | …), which was
            // the budget's column.
            let budget = rules
                .columns
                .iter()
                .position(|c| c.column == FundsColumn::Budget);
            if let Some(budget) = budget.filter(|b| !header.contains(b)) {
                header.insert(0, budget);
            }
        }
        let columns: Vec<&ColumnRule> = header.iter().map(|&c| &rules.columns[c]).collect();
        let placed = place(&columns, &pieces, row == FundsRowKind::Total)
            .into_iter()
            .map(|(c, atom)| (header[c], atom))
            .collect();
        self.funds.placed.push(PlacedRow { row, label, placed });
    }

    /// The funds rows with their values, once the whole form is read: its
    /// money unit may be written after the rows (…1591.22 1551.84 资金投入情况 (万元)).
    fn settle_funds(&mut self) {
        let unit = self.funds.unit.clone().or(self.header_unit.clone());
        let rules = &self.ctx.rules.forms;
        for placed in std::mem::take(&mut self.funds.placed) {
            let total_row = placed.row == FundsRowKind::Total;
            let mut out = FundsRow {
                row: placed.row,
                initial_budget: None,
                budget: None,
                executed: None,
                weight: None,
                rate: None,
                score: None,
            };
            for (c, atom) in &placed.placed {
                let column = &rules.columns[*c];
                let Some((value, cell)) =
                    self.cell(atom, column, unit.as_ref(), (&placed.label, total_row))
                else {
                    continue;
                };
                let slot = match column.column {
                    FundsColumn::InitialBudget => &mut out.initial_budget,
                    FundsColumn::Budget => &mut out.budget,
                    FundsColumn::Executed => &mut out.executed,
                    FundsColumn::Weight => &mut out.weight,
                    FundsColumn::Rate => &mut out.rate,
                    FundsColumn::Score => &mut out.score,
                    FundsColumn::None => &mut None,
                };
                *slot = Some(value);
                self.form.cells.extend(cell);
            }
            // A row named twice (年度资金总额 written again after its numbers)
            // is the row already read.
            let repeated =
                self.form.funds.iter().any(|r| r.row == out.row) && placed.placed.is_empty();
            if out.row != FundsRowKind::None && !repeated {
                self.form.funds.push(out);
            }
        }
        if let (Some((_, written)), false) = (&unit, self.form.funds.is_empty()) {
            self.form.funds_unit = Some(written.clone());
        }
    }

    /// The value a number of the funds block states in its column's unit, and
    /// the figure it makes. `None` for money with no unit stated.
    fn cell(
        &self,
        atom: &Atom,
        column: &ColumnRule,
        unit: Option<&(Decimal, String)>,
        (row, total_row): (&str, bool),
    ) -> Option<(Decimal, Option<HeaderCell>)> {
        let (kind, unit, factor) = match column.kind {
            CellKind::Amount => (Kind::Amount, "CNY", unit?.0),
            CellKind::Rate => (Kind::Rate, "%", Decimal::ONE),
            CellKind::Score => (Kind::Score, "分", Decimal::ONE),
        };
        let value = (atom.value * factor).normalize();
        let header = column
            .labels
            .first()
            .map(|l| plain_label(l.as_str()))
            .unwrap_or_default();
        let cell = HeaderCell {
            start: atom.start,
            end: atom.end,
            kind,
            unit: unit.into(),
            value,
            resolution: (Decimal::new(1, atom.scale) * factor).normalize(),
            label: format!("{} {header}", row.trim_end_matches([':', ':'])),
            metric: total_row.then(|| column.metric.clone()).flatten(),
            written_unit: atom.percent,
        };
        Some((value, Some(cell)))
    }

    /// An indicator table whose header starts at word `i`. A flattened one is
    /// read here, up to the next part of the form; a separated one is left to
    /// the table reader, which reads it from the document's lines.
    fn indicator_table(&mut self, i: usize) -> usize {
        if self.part == Part::Funds {
            self.finish_row();
        }
        self.part = Part::Indicators;
        let Some(header) = indicators::header(
            &self.ctx.folded.text,
            self.tokens,
            i,
            &self.ctx.rules.tables,
        ) else {
            return i + 1;
        };
        let body = header.body;
        self.indicator_header_read = true;
        let flattened = indicators::flattened(&self.ctx.folded.text, self.tokens, i, body);
        let end = self.table_end(body);
        self.form.tab_table = self.on_tab_row(i);
        let layout = StreamLayout {
            prose: indicators::names_sentences(self.ctx, &self.tokens[i..body]),
            cut_at_end: self.ends_the_text(end),
        };
        let (rows, warnings) = indicators::read(
            self.ctx,
            &header.columns,
            &self.tokens[body..end],
            flattened,
            layout,
        );
        if flattened {
            self.form.indicators.extend(rows);
            self.form.warnings.extend(warnings);
            end
        } else {
            // A tab-separated table is read from its lines (the table reader
            // keeps its columns in place); any other is read from these.
            self.form.separated_indicators.extend(rows);
            body
        }
    }

    /// Whether token `i` stands on a tab-separated line (a PDF grid, a
    /// spreadsheet export): a layout whose columns stay in place.
    fn on_tab_row(&self, i: usize) -> bool {
        let (at, _) = self
            .ctx
            .folded
            .original_span(self.tokens[i].start, self.tokens[i].end);
        let line = self.ctx.doc.line_at(at);
        crate::cells::Row::split(self.ctx.doc.line_text(line)).separator
            == crate::cells::Separator::Tab
    }

    fn next_word_is_level2(&self, i: usize) -> bool {
        self.tokens[i + 1..]
            .iter()
            .find(|t| t.start < t.end)
            .is_some_and(|t| t.is(|r| matches!(r, Role::Level2)))
    }

    /// An indicator table whose header was cut away (it starts at a level-1
    /// name): read under the national form's columns (`tables.toml`'s
    /// `default_header`).
    fn headless_table(&mut self, i: usize) -> usize {
        if self.part == Part::Funds {
            self.finish_row();
        }
        self.part = Part::Indicators;
        self.indicator_header_read = true;
        let columns = self.ctx.rules.tables.default_header.clone();
        let flattened =
            !self.tokens[i].cell_start || self.tokens.get(i + 1).is_some_and(|t| !t.cell_start);
        let end = self.table_end(i);
        let layout = StreamLayout {
            prose: false,
            cut_at_end: self.ends_the_text(end),
        };
        let (rows, warnings) =
            indicators::read(self.ctx, &columns, &self.tokens[i..end], flattened, layout);
        self.form.indicators.extend(rows);
        self.form.warnings.extend(warnings);
        end
    }

    /// Whether a table ending at token `end` runs to the end of the text (the
    /// excerpt was cut inside it).
    fn ends_the_text(&self, end: usize) -> bool {
        end == self.tokens.len()
            && self.tokens.last().is_some_and(|t| {
                // Only separators and blanks may follow (a row's closing `|`).
                self.ctx.folded.text[t.end..]
                    .chars()
                    .all(|c| c.is_whitespace() || matches!(c, '|' | '\t'))
            })
    }

    /// Where an indicator table whose body starts at token `body` ends: at the
    /// next total, section, title or field.
    fn table_end(&self, body: usize) -> usize {
        (body..self.tokens.len())
            .find(|&k| {
                let token = &self.tokens[k];
                let ends = token.is(|r| {
                    matches!(
                        r,
                        Role::Total | Role::Section | Role::Title(_) | Role::Field(_)
                    )
                });
                let header_word = token.is(|r| matches!(r, Role::TableColumn(_)));
                let closing_row = token.is_value()
                    && token.cell_start
                    && crate::table::ends_table(self.text(token), &self.ctx.rules.tables);
                ends && !header_word || closing_row
            })
            .unwrap_or(self.tokens.len())
    }

    /// A total row (总分 100 98): the weights' total and the form's score.
    fn total(&mut self, i: usize) -> usize {
        self.finish_row();
        let mut numbers: Vec<(Decimal, usize, usize, u32)> = Vec::new();
        let mut k = i + 1;
        while let Some(token) = self.tokens.get(k).filter(|t| t.is_value()) {
            let text = self.text(token).to_string();
            if token.glued && text.chars().all(|c| c.is_ascii_digit() || c == '.') {
                numbers.extend(split_total(&text, token.start));
            } else {
                for (value, start, end, scale) in plain_numbers(&text, token.start) {
                    numbers.push((value, start, end, scale));
                }
            }
            k += 1;
            if numbers.len() >= 2 {
                break;
            }
        }
        let (weight, score) = match numbers[..] {
            [(w, ..), (s, ..)] if s <= w => (Some(numbers[0]), Some(numbers[1])),
            [(v, ..)] if v == Decimal::ONE_HUNDRED => (Some(numbers[0]), None),
            [_] => (None, Some(numbers[0])),
            _ => (None, None),
        };
        let score_metric = self.ctx.rules.forms.total_score_metric.clone();
        for (slot, part, label) in [(weight, 0, "总分 分值"), (score, 1, "总分 得分")] {
            let Some((value, start, end, scale)) = slot else {
                continue;
            };
            if part == 0 {
                self.form.total_weight = Some(value);
            } else {
                self.form.total_score = Some(value);
            }
            self.form.cells.push(HeaderCell {
                start,
                end,
                kind: Kind::Score,
                unit: "分".into(),
                value,
                resolution: Decimal::new(1, scale),
                label: label.into(),
                metric: (part == 1).then(|| score_metric.clone()),
                written_unit: false,
            });
        }
        self.part = Part::Other;
        k
    }

    /// The form's year: 20xx年度 in or around its title, else at its head.
    fn form_year(&self) -> Option<i32> {
        static YEAR: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(20\d{2})\s*年度|年度\D{0,3}(20\d{2})|\((20\d{2})\s*年?\)")
                .expect("valid year pattern")
        });
        let text = &self.ctx.folded.text;
        let head_start = self.form.start.saturating_sub(120);
        let head_end = (self.form.start + 400).min(text.len());
        let head = &text[floor_char(text, head_start)..floor_char(text, head_end)];
        YEAR.captures_iter(head).find_map(|c| {
            c.iter()
                .skip(1)
                .flatten()
                .next()
                .and_then(|m| m.as_str().parse().ok())
        })
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A header word pattern as plain text (`全年预算数(?:\(A\))?` → 全年预算数).
fn plain_label(pattern: &str) -> String {
    pattern
        .split("(?")
        .next()
        .unwrap_or(pattern)
        .replace('\\', "")
        .trim_end_matches(":?")
        .to_string()
}

/// The first money unit written in `text`, longest word first.
fn money_unit(text: &str, units: &[(String, Decimal)]) -> Option<(Decimal, String)> {
    units
        .iter()
        .filter_map(|(word, factor)| text.find(word.as_str()).map(|at| (at, word, factor)))
        .min_by_key(|(at, word, _)| (*at, std::cmp::Reverse(word.len())))
        .map(|(_, word, factor)| (*factor, word.clone()))
}

/// A field's value as a name: codes before it, seals and colons stripped;
/// `None` when nothing is left that names anything.
fn clean_name(original: &str, rules: &crate::rules::FormRules) -> Option<String> {
    let mut name = original.trim().trim_start_matches([':', ':', '：']).trim();
    for seal in ["(盖章)", "（盖章）", "(公章)", "（公章）"] {
        name = name.strip_prefix(seal).unwrap_or(name).trim();
    }
    let code = rules.code_prefix.find(name).map_or(0, |m| m.end());
    let mut name = name[code..].trim();
    for note in &rules.name_notes {
        if let Some(m) = note.find(name) {
            name = name[..m.start()].trim_end();
        }
    }
    let blank = name.is_empty() || rules.blank_values.iter().any(|b| b.is_match(name));
    (!blank).then(|| without_gaps_between_ideographs(name))
}

/// Chinese names hold no spaces: one between two ideographs (某县 教育局) is
/// the layout's (a PDF's spaced glyphs, a cell wrapped), not the name's.
fn without_gaps_between_ideographs(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let before = out.chars().next_back().is_some_and(crate::text::is_han);
            let after = chars[i..]
                .iter()
                .find(|c| !c.is_whitespace())
                .is_some_and(|&c| crate::text::is_han(c));
            if before && after {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Plain numbers in a cell of a total row: (value, start, end, decimal places).
fn plain_numbers(text: &str, base: usize) -> Vec<(Decimal, usize, usize, u32)> {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|\s)(\d+(?:\.\d+)?)\s*分?(?:\s|$)").expect("valid number pattern")
    });
    NUMBER
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(1)?;
            let value = Decimal::from_str(m.as_str()).ok()?;
            let scale = m
                .as_str()
                .find('.')
                .map_or(0, |d| (m.as_str().len() - d - 1) as u32);
            Some((value, base + m.start(), base + m.end(), scale))
        })
        .collect()
}

/// `10098` after 总分: a weights' total of 100 and a score below it.
fn split_total(text: &str, base: usize) -> Vec<(Decimal, usize, usize, u32)> {
    let parse = |s: &str| Decimal::from_str(s).ok();
    if let Some(rest) = text.strip_prefix("100")
        && let Some(score) = parse(rest)
        && !rest.is_empty()
        && !rest.starts_with('0')
        && score <= Decimal::ONE_HUNDRED
    {
        let scale = rest.find('.').map_or(0, |d| (rest.len() - d - 1) as u32);
        return vec![
            (Decimal::ONE_HUNDRED, base, base + 3, 0),
            (score, base + 3, base + text.len(), scale),
        ];
    }
    match parse(text) {
        Some(v) if v <= Decimal::ONE_HUNDRED => {
            let scale = text.find('.').map_or(0, |d| (text.len() - d - 1) as u32);
            vec![(v, base, base + text.len(), scale)]
        }
        _ => Vec::new(),
    }
}
