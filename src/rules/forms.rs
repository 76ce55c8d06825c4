//! `rules/forms.toml`: the standard forms' titles, header fields, funds block
//! and totals, compiled into [`FormRules`] for the form reader (`crate::forms`).

use regex::Regex;
use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

use super::diagnostics::{RuleError, SourceFile};
use super::schema::{schema, struct_fields};
use super::{DocKind, compile_regex, parse_decimal, parse_file};
use crate::wire::one_of;

#[derive(Deserialize)]
struct FormsFile {
    blank_values: Vec<Spanned<String>>,
    name_notes: Vec<Spanned<String>>,
    code_prefix: Spanned<String>,
    generic_unit: Spanned<String>,
    closings: Vec<Spanned<String>>,
    funds_blocks: Vec<Spanned<String>>,
    totals: Vec<Spanned<String>>,
    total_score_metric: Spanned<String>,
    grades: Vec<Spanned<String>>,
    sections: Vec<Spanned<String>>,
    kind: Vec<KindEntry>,
    field: Vec<FieldEntry>,
    money_unit: Vec<MoneyUnitEntry>,
    funds_column: Vec<ColumnEntry>,
    funds_row: Vec<RowEntry>,
}

#[derive(Deserialize)]
struct KindEntry {
    kind: Spanned<String>,
    titles: Vec<Spanned<String>>,
    #[serde(default)]
    examples: Vec<String>,
}

#[derive(Deserialize)]
struct FieldEntry {
    labels: Vec<Spanned<String>>,
    fills: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
struct MoneyUnitEntry {
    word: String,
    factor: Spanned<String>,
}

#[derive(Deserialize)]
struct ColumnEntry {
    column: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    metric: Option<Spanned<String>>,
    labels: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
struct RowEntry {
    row: Spanned<String>,
    labels: Vec<Spanned<String>>,
}

crate::closed_set! {
    /// A header field of a form.
    pub enum FormField {
        Project = "project",
        Department = "department",
        ImplementingUnit = "implementing_unit",
    }
}

crate::closed_set! {
    /// A column of the funds block; `None` is a column with no slot in the record.
    pub enum FundsColumn {
        InitialBudget = "initial_budget",
        Budget = "budget",
        Executed = "executed",
        Weight = "weight",
        Rate = "rate",
        Score = "score",
        None = "none",
    }
}

crate::closed_set! {
    /// A row of the funds block (the record's `funds[].row`); `None` is a row
    /// with no slot in the record.
    pub enum FundsRowKind {
        Total = "total",
        Fiscal = "fiscal",
        Carryover = "carryover",
        Other = "other",
        None = "none",
    }
}

crate::closed_set! {
    /// What a bare number in a funds column is.
    pub enum CellKind {
        Amount = "amount",
        Rate = "rate",
        Score = "score",
    }
}

#[derive(Debug, Clone)]
pub struct FormKindRule {
    /// The record's `kind`: a document kind that is a form.
    pub kind: DocKind,
    pub titles: Vec<Regex>,
    pub examples: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct FieldRule {
    pub labels: Vec<Regex>,
    pub fills: Vec<FormField>,
}

#[derive(Debug, Clone)]
pub struct ColumnRule {
    pub column: FundsColumn,
    pub kind: CellKind,
    /// The metric a bare number of the total row states in this column.
    pub metric: Option<String>,
    pub labels: Vec<Regex>,
}

#[derive(Debug, Clone)]
pub struct RowRule {
    pub row: FundsRowKind,
    pub labels: Vec<Regex>,
}

/// Everything `forms.toml` declares, compiled.
#[derive(Debug, Clone)]
pub struct FormRules {
    pub kinds: Vec<FormKindRule>,
    pub fields: Vec<FieldRule>,
    pub blank_values: Vec<Regex>,
    /// Notes after a name that are not part of it (`(2022 年度)`).
    pub name_notes: Vec<Regex>,
    pub code_prefix: Regex,
    pub generic_unit: Regex,
    /// Lines that close a form (notes, signatures): a last form without a
    /// total row and without any of them was cut.
    pub closings: Vec<Regex>,
    pub funds_blocks: Vec<Regex>,
    /// (written unit, yuan per unit), longest word first.
    pub money_units: Vec<(String, Decimal)>,
    pub columns: Vec<ColumnRule>,
    pub rows: Vec<RowRule>,
    pub totals: Vec<Regex>,
    /// The metric of a form's 总分.
    pub total_score_metric: String,
    pub grades: Vec<Regex>,
    pub sections: Vec<Regex>,
}

/// The document kinds a `[[kind]]` may name: the forms.
const FORM_KINDS: &[DocKind] = &[
    DocKind::ProjectSelfEvalForm,
    DocKind::OverallSelfEvalForm,
    DocKind::TransferSelfEvalForm,
];

/// Every metric `forms.toml` names, with where it names it, for checking
/// against the vocabulary of `metrics.toml`.
pub(super) fn metrics_named(file: &SourceFile) -> Vec<(String, usize)> {
    let Ok(parsed) = file.deserialize::<FormsFile>() else {
        return Vec::new();
    };
    let columns = parsed.funds_column.iter().filter_map(|c| c.metric.as_ref());
    std::iter::once(&parsed.total_score_metric)
        .chain(columns)
        .map(|m| (m.get_ref().clone(), m.span().start))
        .collect()
}

pub(super) fn compile_forms(file: &SourceFile, errors: &mut Vec<RuleError>) -> Option<FormRules> {
    let keys = schema::<FormsFile>(&[
        ("kind", struct_fields::<KindEntry>()),
        ("field", struct_fields::<FieldEntry>()),
        ("money_unit", struct_fields::<MoneyUnitEntry>()),
        ("funds_column", struct_fields::<ColumnEntry>()),
        ("funds_row", struct_fields::<RowEntry>()),
    ]);
    let parsed: FormsFile = parse_file(file, &keys, errors)?;
    let before = errors.len();
    let all = |list: &[Spanned<String>], errors: &mut Vec<RuleError>| -> Vec<Regex> {
        list.iter()
            .filter_map(|p| compile_regex(p, file, errors))
            .collect()
    };
    let form_kinds = FORM_KINDS.iter().map(|k| k.as_str());
    let kinds = parsed
        .kind
        .iter()
        .filter_map(|k| {
            let kind = parse_name(&k.kind, "form kind", form_kinds.clone(), file, errors)
                .and_then(|name| DocKind::from_name(&name))?;
            Some(FormKindRule {
                kind,
                titles: all(&k.titles, errors),
                examples: k.examples.clone(),
            })
        })
        .collect();
    let fields = parsed
        .field
        .iter()
        .map(|f| FieldRule {
            labels: all(&f.labels, errors),
            fills: f
                .fills
                .iter()
                .filter_map(|name| {
                    parse_set(
                        name,
                        "form field",
                        FormField::ALL,
                        FormField::as_str,
                        FormField::from_name,
                        file,
                        errors,
                    )
                })
                .collect(),
        })
        .collect();
    let mut money_units: Vec<(String, Decimal)> = parsed
        .money_unit
        .iter()
        .filter_map(|u| parse_decimal(&u.factor, file, errors).map(|f| (u.word.clone(), f)))
        .collect();
    money_units.sort_by_key(|(word, _)| std::cmp::Reverse(word.len()));
    let columns = compile_columns(&parsed.funds_column, file, errors);
    let rows = compile_rows(&parsed.funds_row, file, errors);
    let rules = FormRules {
        kinds,
        fields,
        blank_values: all(&parsed.blank_values, errors),
        name_notes: all(&parsed.name_notes, errors),
        code_prefix: compile_regex(&parsed.code_prefix, file, errors)?,
        generic_unit: compile_regex(&parsed.generic_unit, file, errors)?,
        closings: all(&parsed.closings, errors),
        funds_blocks: all(&parsed.funds_blocks, errors),
        money_units,
        columns,
        rows,
        totals: all(&parsed.totals, errors),
        total_score_metric: parsed.total_score_metric.get_ref().clone(),
        grades: all(&parsed.grades, errors),
        sections: all(&parsed.sections, errors),
    };
    (errors.len() == before).then_some(rules)
}

fn compile_columns(
    entries: &[ColumnEntry],
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Vec<ColumnRule> {
    let mut out = Vec::new();
    for entry in entries {
        let column = parse_set(
            &entry.column,
            "funds column",
            FundsColumn::ALL,
            FundsColumn::as_str,
            FundsColumn::from_name,
            file,
            errors,
        );
        let kind = parse_set(
            &entry.kind,
            "cell kind",
            CellKind::ALL,
            CellKind::as_str,
            CellKind::from_name,
            file,
            errors,
        );
        let labels = entry
            .labels
            .iter()
            .filter_map(|p| compile_regex(p, file, errors))
            .collect();
        if let (Some(column), Some(kind)) = (column, kind) {
            out.push(ColumnRule {
                column,
                kind,
                metric: entry.metric.as_ref().map(|m| m.get_ref().clone()),
                labels,
            });
        }
    }
    out
}

fn compile_rows(
    entries: &[RowEntry],
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Vec<RowRule> {
    let mut out = Vec::new();
    for entry in entries {
        let row = parse_set(
            &entry.row,
            "funds row",
            FundsRowKind::ALL,
            FundsRowKind::as_str,
            FundsRowKind::from_name,
            file,
            errors,
        );
        let labels = entry
            .labels
            .iter()
            .filter_map(|p| compile_regex(p, file, errors))
            .collect();
        if let Some(row) = row {
            out.push(RowRule { row, labels });
        }
    }
    out
}

/// The member of a closed set a rule file names; an error at the name otherwise.
fn parse_set<T: Copy>(
    value: &Spanned<String>,
    what: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    from_name: fn(&str) -> Option<T>,
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Option<T> {
    parse_name(value, what, all.iter().map(|t| name(*t)), file, errors).and_then(|n| from_name(&n))
}

/// `value` when it is one of `allowed`; an error at it otherwise.
fn parse_name(
    value: &Spanned<String>,
    what: &str,
    allowed: impl Iterator<Item = &'static str> + Clone,
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Option<String> {
    if allowed.clone().any(|a| a == value.get_ref()) {
        return Some(value.get_ref().clone());
    }
    errors.push(file.error_at(
        value.span().start,
        format!(
            "unknown {what} `{}` (expected {})",
            value.get_ref(),
            one_of(allowed)
        ),
    ));
    None
}
/// What a word of the forms' vocabulary is, where the reader finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A form title; the index into [`FormRules::kinds`].
    Title(usize),
    /// A header field label; the index into [`FormRules::fields`].
    Field(usize),
    FundsBlock,
    /// A funds column header; the index into [`FormRules::columns`].
    FundsColumn(usize),
    /// A funds row label; the index into [`FormRules::rows`].
    FundsRow(usize),
    Total,
    Grade,
    Section,
    /// An indicator table header; the index into `TableRules::columns`.
    TableColumn(usize),
    Level1,
    Level2,
}

/// Every word a form is built of, found in one pass over text whose cells
/// may run together: leftmost match first, and the longest word there.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    any: Regex,
    words: Vec<(Role, Regex)>,
}

/// One word found in text, with every role it plays (合计 closes a funds block
/// and an indicator table; 得分 heads a column of both): the reader picks by
/// the part of the form it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub roles: Vec<Role>,
}

impl Vocabulary {
    /// The vocabulary of `forms` and of the indicator tables of `tables`.
    pub fn new(forms: &FormRules, tables: &super::TableRules) -> Vocabulary {
        let mut words: Vec<(Role, String)> = Vec::new();
        let mut add = |role: Role, patterns: &[Regex]| {
            words.extend(patterns.iter().map(|p| (role, p.as_str().to_string())));
        };
        for (i, kind) in forms.kinds.iter().enumerate() {
            add(Role::Title(i), &kind.titles);
        }
        for (i, field) in forms.fields.iter().enumerate() {
            add(Role::Field(i), &field.labels);
        }
        add(Role::FundsBlock, &forms.funds_blocks);
        for (i, column) in forms.columns.iter().enumerate() {
            add(Role::FundsColumn(i), &column.labels);
        }
        for (i, row) in forms.rows.iter().enumerate() {
            add(Role::FundsRow(i), &row.labels);
        }
        add(Role::Total, &forms.totals);
        add(Role::Grade, &forms.grades);
        add(Role::Section, &forms.sections);
        for (i, column) in tables.columns.iter().enumerate() {
            add(Role::TableColumn(i), &column.words);
        }
        for name in &tables.level1 {
            words.push((Role::Level1, regex::escape(name)));
        }
        for name in &tables.level2 {
            words.push((Role::Level2, regex::escape(name)));
        }
        // Every pattern compiled alone when its file loaded, so their
        // alternation compiles too.
        let any = Regex::new(
            &words
                .iter()
                .map(|(_, p)| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|"),
        )
        .expect("an alternation of valid patterns is valid");
        let words = words
            .into_iter()
            .map(|(role, p)| {
                (
                    role,
                    Regex::new(&format!("^(?:{p})")).expect("valid pattern"),
                )
            })
            .collect();
        Vocabulary { any, words }
    }

    /// Every word in `text`, left to right, none overlapping; where several
    /// start at one place the longest wins.
    pub fn find_all(&self, text: &str) -> Vec<Found> {
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(m) = self.any.find_at(text, at) {
            let start = m.start();
            let mut longest = 0;
            let mut roles = Vec::new();
            for (role, word) in &self.words {
                let Some(w) = word.find(&text[start..]) else {
                    continue;
                };
                if w.end() > longest {
                    longest = w.end();
                    roles.clear();
                }
                if w.end() == longest && longest > 0 && !roles.contains(role) {
                    roles.push(*role);
                }
            }
            if longest == 0 {
                at = start + text[start..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            found.push(Found {
                start,
                end: start + longest,
                roles,
            });
            at = start + longest;
        }
        found
    }
}
