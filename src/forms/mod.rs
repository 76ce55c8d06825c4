//! Standard forms (项目支出绩效自评表, 部门整体支出绩效自评表, 转移支付区域绩效自评表):
//! each form of a document with its header fields, funds block, totals and
//! indicator rows, in whatever layout the text has.
//!
//! The reader never relies on one file's wording: every word it looks for is
//! declared in `rules/forms.toml` and `rules/tables.toml`, and it reads the
//! text through [`stream`], which cuts it into cells and words the same way
//! whether the cells are tab- or pipe-separated, one per line, or run
//! together. A file may hold several forms (one per project); each starts at a
//! title, or at a second 项目名称 after the first form's.
//! - [`parse`]: one form's fields, funds rows and totals;
//! - [`funds`]: which number of a funds row goes in which column;
//! - [`indicators`]: the indicator table of a flattened form.

mod funds;
mod indicators;
mod parse;
pub mod stream;

use rust_decimal::Decimal;

use crate::extract::Context;
use crate::quantity::Kind;
use crate::rules::forms::{FormField, FormRules, FundsRowKind, Role};
use crate::rules::{DocKind, RuleSet};
use stream::Token;

/// One standard form found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// A document kind that is a form; a fragment without a title is taken
    /// for a project form.
    pub kind: DocKind,
    pub title: Option<String>,
    pub year: Option<i32>,
    pub project: Option<String>,
    pub department: Option<String>,
    pub implementing_unit: Option<String>,
    /// The byte range of the folded text the form covers.
    pub start: usize,
    pub end: usize,
    pub funds: Vec<FundsRow>,
    /// The unit the funds block writes money in (万元 or 元), as written.
    pub funds_unit: Option<String>,
    /// The 总分 row: the weights' total and the form's score.
    pub total_weight: Option<Decimal>,
    pub total_score: Option<Decimal>,
    pub grade: Option<String>,
    /// The text ends inside the form.
    pub truncated: bool,
    /// Numbers that the form's structure gives a unit (funds cells, 总分).
    pub cells: Vec<HeaderCell>,
    /// Indicator rows of a table whose cells ran together, read with the form
    /// (a separated table is read by [`crate::table`] from the lines).
    pub indicators: Vec<crate::table::IndicatorRow>,
    /// The rows of a separated table as the form's own tokens give them.
    pub separated_indicators: Vec<crate::table::IndicatorRow>,
    /// The indicator table's header is a tab-separated row: its rows are read
    /// from the lines, where columns stay in place.
    pub tab_table: bool,
    pub warnings: Vec<String>,
}

/// One row of a funds block; money in yuan.
#[derive(Debug, Clone, PartialEq)]
pub struct FundsRow {
    pub row: FundsRowKind,
    pub initial_budget: Option<Decimal>,
    pub budget: Option<Decimal>,
    pub executed: Option<Decimal>,
    pub weight: Option<Decimal>,
    pub rate: Option<Decimal>,
    pub score: Option<Decimal>,
}

/// A bare number whose unit comes from where it stands in a form (the
/// funds block's (万元), a 分值 or 得分 column).
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderCell {
    /// Byte range of the number in the folded text.
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub unit: String,
    pub value: Decimal,
    /// Value of one unit in the last written place, in the canonical unit.
    pub resolution: Decimal,
    /// What the number is: the row and column it stands in.
    pub label: String,
    /// The metric it states (a total row's 全年预算数 is `budget.total`).
    pub metric: Option<String>,
    /// The number is written with its unit (`100%`): a figure of the text the
    /// scanner reads itself, unless digits ran together around it.
    pub written_unit: bool,
}

impl Form {
    /// An empty form over the folded range `start..end`.
    fn new(start: usize, end: usize) -> Form {
        Form {
            kind: DocKind::ProjectSelfEvalForm,
            title: None,
            year: None,
            project: None,
            department: None,
            implementing_unit: None,
            start,
            end,
            funds: Vec::new(),
            funds_unit: None,
            total_weight: None,
            total_score: None,
            grade: None,
            truncated: false,
            cells: Vec::new(),
            indicators: Vec::new(),
            separated_indicators: Vec::new(),
            tab_table: false,
            warnings: Vec::new(),
        }
    }

    /// Whether the form holds anything beyond its title.
    fn has_content(&self) -> bool {
        self.project.is_some()
            || self.department.is_some()
            || self.implementing_unit.is_some()
            || !self.funds.is_empty()
            || self.total_score.is_some()
            || self.total_weight.is_some()
            || !self.indicators.is_empty()
            || !self.separated_indicators.is_empty()
    }

    /// The reporting body the form stands for: a project form's 实施单位 when
    /// it names one, else its 主管部门 (SPEC `document.department`).
    pub fn reporting_body(&self, generic_unit: &regex::Regex) -> Option<&str> {
        self.implementing_unit
            .as_deref()
            .filter(|u| !generic_unit.is_match(&crate::source::NormalizedText::folded(u)))
            .or(self.department.as_deref())
    }
}

/// Every form of the document, in order.
pub fn read_forms(ctx: &Context) -> Vec<Form> {
    let text = &ctx.folded.text;
    let tokens = stream::tokens(text, &ctx.rules.form_words);
    let starts = form_starts(&ctx.folded.text, &tokens, ctx.rules);
    let mut forms = Vec::new();
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(tokens.len());
        let form = parse::parse_form(ctx, &tokens[start..end]);
        if form.has_content() {
            forms.push(form);
        }
    }
    if let Some(last) = forms.last_mut()
        && is_cut(last, ctx)
    {
        last.truncated = true;
        let line = ctx
            .doc
            .line_at(ctx.folded.original_span(last.start, last.start).0)
            .number;
        last.warnings.push(format!(
            "line {line}: the text ends inside this form (no total row, no closing notes after it): rows after the cut are missing"
        ));
    }
    forms
}

/// Whether the document's text ends inside `form`: it has no 总分 row and no
/// line closes it (notes, signatures: `closings` in forms.toml).
fn is_cut(form: &Form, ctx: &Context) -> bool {
    if form.total_score.is_some() || form.total_weight.is_some() {
        return false;
    }
    let rules = &ctx.rules.forms;
    let text = &ctx.folded.text[form.start..];
    !text.lines().any(|line| {
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        rules.closings.iter().any(|c| c.is_match(&compact))
    })
}

/// Where forms start, as token indices: at each title, and at a 项目名称
/// label that follows a form which already named its project. Before any of
/// those, a funds block, an indicator table's header, or a level-1 name
/// followed by a level-2 name starts a fragment (a form whose head was cut).
fn form_starts(text: &str, tokens: &[Token], rules: &RuleSet) -> Vec<usize> {
    let is_title = |t: &Token| t.is(|r| matches!(r, Role::Title(_)));
    let mut starts = Vec::new();
    let mut project_named = false;
    let mut structure_seen = false;
    for (i, token) in tokens.iter().enumerate() {
        if is_title(token) {
            // A title right after another (a heading repeated above the form) is the same form.
            if !starts
                .last()
                .is_some_and(|&s| i - s <= 2 && is_title(&tokens[s]))
            {
                starts.push(i);
            }
            project_named = false;
            structure_seen = true;
            continue;
        }
        if names_project(token, &rules.forms) {
            let title_just_before = starts.last().is_some_and(|&s| i - s <= 3);
            if (project_named || !structure_seen) && !title_just_before {
                starts.push(i);
            }
            project_named = true;
            structure_seen = true;
        } else if !structure_seen && opens_fragment(text, tokens, i, rules) {
            starts.push(i);
            structure_seen = true;
        }
    }
    starts
}

/// Whether token `i` opens a form whose title and fields were cut away: a
/// funds block, an indicator table's header, or a level-1 name with a level-2
/// name right after it (产出指标数量指标…).
fn opens_fragment(text: &str, tokens: &[Token], i: usize, rules: &RuleSet) -> bool {
    let token = &tokens[i];
    let next_word = tokens[i + 1..].iter().find(|t| t.start < t.end);
    token.is(|r| matches!(r, Role::FundsBlock))
        || token.is(|r| matches!(r, Role::TableColumn(_)))
            && indicators::header(text, tokens, i, &rules.tables).is_some()
        || token.is(|r| matches!(r, Role::Level1))
            && next_word.is_some_and(|t| t.is(|r| matches!(r, Role::Level2)))
}

/// Whether a field label names a form's project (项目名称).
fn names_project(token: &Token, rules: &FormRules) -> bool {
    token
        .role(|r| match r {
            Role::Field(i) => Some(i),
            _ => None,
        })
        .is_some_and(|i| rules.fields[i].fills.contains(&FormField::Project))
}
