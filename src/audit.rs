//! Consistency audit: loads the checks declared in `rules/audit.toml` (strictly
//! validated, every problem reported as `file:line:col`), evaluates them over
//! records with exact decimals, and renders findings as JSONL or a table.
//!
//! A check is either an assertion over one document's figures
//! (`assert = "budget.total == expense.basic + expense.project"`: the left side
//! is the figure as found, the right side what it should be) or a cross-year
//! bound (`year_change = "budget.total"`, `max_pct = 30`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::figures::{
    Selected, UNKNOWN_DEPARTMENT, document_keys, select_metrics, to_decimal, to_f64,
};
use crate::quantity::place_of_last_digit;
use crate::record::{
    FigureRecord, FindingInput, FindingRecord, IndicatorRecord, LineItemRecord, Record, Span,
    Status,
};
use crate::render::{aligned_table, format_number};

// ───────────────────────────── vocabulary ─────────────────────────────

/// SPEC's starter vocabulary plus the staff categories the audit sums
/// (行政编 / 参公事业编 / 全额拨款事业编). jixiao passes its own list (from
/// `rules/`); this one serves tests and `rules check` before that exists.
pub const STARTER_METRICS: &[&str] = &[
    "budget.total",
    "budget.executed",
    "budget.execution_rate",
    "income.general_budget",
    "income.gov_fund",
    "income.special_account",
    "income.upper_subsidy",
    "income.fiscal_appropriation",
    "income.other",
    "expense.basic",
    "expense.project",
    "expense.personnel",
    "expense.public",
    "expense.project.business",
    "expense.project.operation",
    "three_public.budget",
    "three_public.actual",
    "three_public.vehicle",
    "three_public.reception",
    "three_public.abroad",
    "staff.total",
    "staff.retired",
    "staff.administrative",
    "staff.civil_service_like",
    "staff.institution",
    "score.total",
    "score.budget_execution",
    "score.output",
    "score.benefit",
    "score.cost",
    "score.satisfaction",
    "weight.output",
    "weight.benefit",
];

pub fn starter_metrics() -> HashSet<String> {
    STARTER_METRICS.iter().map(|s| s.to_string()).collect()
}

// ───────────────────────────── rule model ─────────────────────────────

/// How an absent metric is treated by a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// Any absent input skips the check (a blank cell is not a zero).
    #[default]
    Absent,
    /// Absent metrics count as 0, except those in `required`; a side whose
    /// metrics are all absent still skips the check.
    Zero,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rel {
    Eq,
    Le,
    Ge,
}

impl Rel {
    pub fn symbol(self) -> &'static str {
        match self {
            Rel::Eq => "=",
            Rel::Le => "≤",
            Rel::Ge => "≥",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Aggregates over the non-figure records of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Agg {
    /// `scores()` / `scores("产出指标")`: indicator scores, optionally one level1.
    Scores(Option<String>),
    /// `weights()` / `weights("产出指标")`: indicator weights.
    Weights(Option<String>),
    /// `items("expense.project.business")`: line items of a group.
    Items(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum SumArg {
    Metric(String),
    /// `staff.*`: every present metric under `staff.`, minus the check's `exclude`.
    Prefix(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(Decimal),
    Metric(String),
    Sum(Vec<SumArg>),
    Agg(Agg),
    Neg(Box<Expr>),
    Bin(Box<Expr>, Op, Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum CheckKind {
    Assert {
        left: Expr,
        rel: Rel,
        right: Expr,
        /// The expression as written, for people.
        text: String,
    },
    YearChange {
        metric: String,
        max_pct: Decimal,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub id: String,
    pub description: Option<String>,
    pub kind: CheckKind,
    pub missing: Missing,
    pub required: Vec<String>,
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditRules {
    pub checks: Vec<Check>,
}

// ───────────────────────────── loading ─────────────────────────────

/// The TOML shape of one `[[check]]`; unknown keys are errors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    id: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    assert: Option<Spanned<String>>,
    #[serde(default)]
    year_change: Option<Spanned<String>>,
    #[serde(default)]
    max_pct: Option<Spanned<f64>>,
    #[serde(default)]
    missing: Option<Missing>,
    #[serde(default)]
    required: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

/// Reads and validates an audit rule file. Every problem found (syntax, unknown
/// keys, wrong types, unknown metrics, bad expressions, duplicate ids) comes
/// back as `PATH:LINE:COL: message`, all in one pass.
pub fn load_audit_rules(
    path: &Path,
    known_metrics: &HashSet<String>,
) -> Result<AuditRules, Vec<String>> {
    let shown = path.display().to_string();
    let src = std::fs::read_to_string(path).map_err(|e| vec![format!("{shown}: {e}")])?;
    parse_audit_rules(&src, &shown, known_metrics)
}

/// [`load_audit_rules`] on text already read; `shown` names it in messages.
pub fn parse_audit_rules(
    src: &str,
    shown: &str,
    known: &HashSet<String>,
) -> Result<AuditRules, Vec<String>> {
    let mut errs = Diag {
        src,
        shown,
        out: Vec::new(),
    };
    // Recoverable parse: report every syntax error yet still validate what parsed.
    let (root, syntax) = DeTable::parse_recoverable(src);
    for e in &syntax {
        errs.at(e.span().map(|s| s.start).unwrap_or(0), e.message().trim());
    }
    let mut checks = Vec::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (key, value) in root.get_ref().iter() {
        if key.get_ref().as_ref() != "check" {
            errs.at(
                key.span().start,
                &format!("unknown key `{}`, expected `check`", key.get_ref()),
            );
            continue;
        }
        let DeValue::Array(items) = value.get_ref() else {
            errs.at(
                value.span().start,
                "`check` must be an array of tables: write `[[check]]`",
            );
            continue;
        };
        for item in items.iter() {
            let DeValue::Table(t) = item.get_ref() else {
                errs.at(item.span().start, "each `check` must be a table");
                continue;
            };
            if let Some(raw) = deserialize_check(item.span(), t.clone(), &mut errs)
                && let Some(c) = validate(raw, known, &mut errs, &mut ids)
            {
                checks.push(c);
            }
        }
    }
    if errs.out.is_empty() {
        Ok(AuditRules { checks })
    } else {
        // In file order, as an editor would walk them.
        errs.out.sort_by_key(|(at, _)| *at);
        Err(errs.out.into_iter().map(|(_, m)| m).collect())
    }
}

/// Deserializes one `[[check]]` strictly. Serde stops at the first problem,
/// so on an error the offending entry is reported, dropped and the rest tried
/// again: every unknown key and wrong type of a check shows in one run, and
/// what remains is still validated.
fn deserialize_check(
    span: std::ops::Range<usize>,
    mut table: DeTable<'_>,
    errs: &mut Diag<'_>,
) -> Option<RawCheck> {
    loop {
        let de = toml::de::Deserializer::from(Spanned::new(span.clone(), table.clone()));
        match RawCheck::deserialize(de) {
            Ok(raw) => return Some(raw),
            Err(e) => {
                let at = e.span().map(|s| s.start).unwrap_or(span.start);
                errs.at(at, e.message().trim());
                // The entry whose key or value holds the error position.
                let culprit = table.iter().find_map(|(k, v)| {
                    let (ks, vs) = (k.span(), v.span());
                    (ks.contains(&at) || vs.contains(&at) || ks.start == at)
                        .then(|| k.get_ref().to_string())
                });
                let culprit = culprit?;
                table = table
                    .into_iter()
                    .filter(|(k, _)| k.get_ref().as_ref() != culprit)
                    .collect();
            }
        }
    }
}

struct Diag<'a> {
    src: &'a str,
    shown: &'a str,
    out: Vec<(usize, String)>,
}

impl Diag<'_> {
    fn at(&mut self, byte: usize, msg: &str) {
        let (line, col) = line_col(self.src, byte);
        // One line per problem: toml's messages may span lines.
        let msg = msg.replace('\n', " ");
        self.out
            .push((byte, format!("{}:{line}:{col}: {msg}", self.shown)));
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let mut byte = byte.min(src.len());
    while !src.is_char_boundary(byte) {
        byte -= 1;
    }
    let before = &src[..byte];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = src[line_start..byte].chars().count() + 1;
    (line, col)
}

fn validate(
    raw: RawCheck,
    known: &HashSet<String>,
    errs: &mut Diag<'_>,
    ids: &mut HashMap<String, usize>,
) -> Option<Check> {
    let before = errs.out.len();
    let id = raw.id.get_ref().trim().to_string();
    if id.is_empty() {
        errs.at(raw.id.span().start, "check `id` must not be empty");
    } else if let Some(prev) = ids.get(&id) {
        let (l, _) = line_col(errs.src, *prev);
        errs.at(
            raw.id.span().start,
            &format!("duplicate check id `{id}` (first at line {l})"),
        );
    } else {
        ids.insert(id.clone(), raw.id.span().start);
    }
    let metric_list = |list: &[Spanned<String>], what: &str, errs: &mut Diag<'_>| -> Vec<String> {
        for m in list {
            if !known.contains(m.get_ref()) {
                errs.at(
                    m.span().start,
                    &format!("unknown metric `{}` in `{what}`", m.get_ref()),
                );
            }
        }
        list.iter().map(|m| m.get_ref().clone()).collect()
    };
    let required = metric_list(&raw.required, "required", errs);
    let exclude = metric_list(&raw.exclude, "exclude", errs);
    let kind = match (&raw.assert, &raw.year_change) {
        (Some(a), None) => {
            if let Some(p) = &raw.max_pct {
                errs.at(p.span().start, "`max_pct` belongs to `year_change` checks");
            }
            // +1: the expression starts after the opening quote.
            let base = a.span().start + 1;
            match parse_with_positions(a.get_ref()) {
                Ok(((left, rel, right), names)) => {
                    let bad = check_names(&left, known, &names)
                        .into_iter()
                        .chain(check_names(&right, known, &names));
                    for (pos, msg) in bad {
                        errs.at(base + pos.min(a.get_ref().len()), &msg);
                    }
                    Some(CheckKind::Assert {
                        left,
                        rel,
                        right,
                        text: a.get_ref().clone(),
                    })
                }
                Err(ParseError { pos, msg }) => {
                    errs.at(base + pos, &format!("bad expression: {msg}"));
                    None
                }
            }
        }
        (None, Some(m)) => {
            if !known.contains(m.get_ref()) {
                errs.at(m.span().start, &format!("unknown metric `{}`", m.get_ref()));
            }
            match &raw.max_pct {
                None => {
                    errs.at(raw.id.span().start, "`year_change` needs `max_pct`");
                    None
                }
                Some(p) => match Decimal::from_str(&format!("{}", p.get_ref())) {
                    Ok(d) if d > Decimal::ZERO => Some(CheckKind::YearChange {
                        metric: m.get_ref().clone(),
                        max_pct: d,
                    }),
                    _ => {
                        errs.at(p.span().start, "`max_pct` must be a positive number");
                        None
                    }
                },
            }
        }
        (Some(_), Some(y)) => {
            errs.at(
                y.span().start,
                "a check has either `assert` or `year_change`, not both",
            );
            None
        }
        (None, None) => {
            errs.at(raw.id.span().start, "check needs `assert` or `year_change`");
            None
        }
    };
    if errs.out.len() > before {
        return None;
    }
    Some(Check {
        id,
        description: raw.description,
        kind: kind?,
        missing: raw.missing.unwrap_or_default(),
        required,
        exclude,
    })
}

/// Names in an expression that the vocabulary does not know, with their
/// byte position in the expression (`pos` as recorded by the parser).
fn check_names(
    e: &Expr,
    known: &HashSet<String>,
    pos: &HashMap<String, usize>,
) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut visit = |name: &str, prefix: bool| {
        let ok = if prefix {
            known.iter().any(|k| k.starts_with(&format!("{name}.")))
        } else {
            known.contains(name)
        };
        if !ok {
            let msg = if prefix {
                format!("pattern `{name}.*` matches no known metric")
            } else {
                format!("unknown metric `{name}`")
            };
            out.push((pos.get(name).copied().unwrap_or(0), msg));
        }
    };
    walk(e, &mut visit);
    out
}

fn walk(e: &Expr, f: &mut impl FnMut(&str, bool)) {
    match e {
        Expr::Num(_) => {}
        Expr::Metric(m) => f(m, false),
        Expr::Sum(args) => {
            for a in args {
                match a {
                    SumArg::Metric(m) => f(m, false),
                    SumArg::Prefix(p) => f(p, true),
                }
            }
        }
        Expr::Agg(Agg::Items(g)) => f(g, false),
        Expr::Agg(_) => {}
        Expr::Neg(x) => walk(x, f),
        Expr::Bin(a, _, b) => {
            walk(a, f);
            walk(b, f);
        }
    }
}

// ───────────────────────────── expression parser ─────────────────────────────

#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// Byte offset in the expression.
    pub pos: usize,
    pub msg: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Prefix(String),
    Num(Decimal),
    Str(String),
    Op(Op),
    Rel(Rel),
    LParen,
    RParen,
    Comma,
}

fn lex(s: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |pos, msg: &str| ParseError {
        pos,
        msg: msg.to_string(),
    };
    while i < b.len() {
        let c = b[i];
        let start = i;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'+' => (out.push((i, Tok::Op(Op::Add))), i += 1).1,
            b'-' => (out.push((i, Tok::Op(Op::Sub))), i += 1).1,
            b'*' => (out.push((i, Tok::Op(Op::Mul))), i += 1).1,
            b'/' => (out.push((i, Tok::Op(Op::Div))), i += 1).1,
            b'(' => (out.push((i, Tok::LParen)), i += 1).1,
            b')' => (out.push((i, Tok::RParen)), i += 1).1,
            b',' => (out.push((i, Tok::Comma)), i += 1).1,
            b'=' => {
                i += if b.get(i + 1) == Some(&b'=') { 2 } else { 1 };
                out.push((start, Tok::Rel(Rel::Eq)));
            }
            b'<' | b'>' => {
                if b.get(i + 1) != Some(&b'=') {
                    return Err(err(i, "strict `<`/`>` is not supported; use `<=` or `>=`"));
                }
                out.push((start, Tok::Rel(if c == b'<' { Rel::Le } else { Rel::Ge })));
                i += 2;
            }
            b'"' => {
                let rest = &s[i + 1..];
                let Some(end) = rest.find('"') else {
                    return Err(err(i, "unterminated string"));
                };
                out.push((start, Tok::Str(rest[..end].to_string())));
                i += end + 2;
            }
            b'0'..=b'9' => {
                while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                    i += 1;
                }
                let n = Decimal::from_str(&s[start..i]).map_err(|_| err(start, "bad number"))?;
                out.push((start, Tok::Num(n)));
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.')
                {
                    // `staff.*`: a trailing `.` followed by `*` is a prefix pattern.
                    if b[i] == b'.' && b.get(i + 1) == Some(&b'*') {
                        break;
                    }
                    i += 1;
                }
                let name = s[start..i].to_string();
                if b.get(i) == Some(&b'.') && b.get(i + 1) == Some(&b'*') {
                    i += 2;
                    out.push((start, Tok::Prefix(name)));
                } else {
                    if name.ends_with('.') || name.contains("..") {
                        return Err(err(start, &format!("bad metric name `{name}`")));
                    }
                    out.push((start, Tok::Name(name)));
                }
            }
            _ => {
                let ch = s[i..].chars().next().unwrap_or('?');
                return Err(err(i, &format!("unexpected character `{ch}`")));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    i: usize,
    end: usize,
    names: HashMap<String, usize>,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|t| &t.1)
    }
    fn pos(&self) -> usize {
        self.toks.get(self.i).map(|t| t.0).unwrap_or(self.end)
    }
    fn err<T>(&self, msg: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            pos: self.pos(),
            msg: msg.into(),
        })
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.i).map(|t| t.1.clone());
        self.i += 1;
        t
    }
    fn expect(&mut self, t: Tok, what: &str) -> Result<(), ParseError> {
        if self.peek() == Some(&t) {
            self.i += 1;
            Ok(())
        } else {
            self.err(format!("expected {what}"))
        }
    }
    fn note_name(&mut self, name: &str, pos: usize) {
        self.names.entry(name.to_string()).or_insert(pos);
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.term()?;
        while let Some(Tok::Op(op @ (Op::Add | Op::Sub))) = self.peek().cloned() {
            self.i += 1;
            let r = self.term()?;
            e = Expr::Bin(Box::new(e), op, Box::new(r));
        }
        Ok(e)
    }
    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.factor()?;
        while let Some(Tok::Op(op @ (Op::Mul | Op::Div))) = self.peek().cloned() {
            self.i += 1;
            let r = self.factor()?;
            e = Expr::Bin(Box::new(e), op, Box::new(r));
        }
        Ok(e)
    }
    fn factor(&mut self) -> Result<Expr, ParseError> {
        let pos = self.pos();
        match self.next() {
            Some(Tok::Op(Op::Sub)) => Ok(Expr::Neg(Box::new(self.factor()?))),
            Some(Tok::Num(n)) => Ok(Expr::Num(n)),
            Some(Tok::LParen) => {
                let e = self.expr()?;
                self.expect(Tok::RParen, "`)`")?;
                Ok(e)
            }
            Some(Tok::Name(name)) => {
                if self.peek() == Some(&Tok::LParen) {
                    self.i += 1;
                    self.call(&name, pos)
                } else {
                    self.note_name(&name, pos);
                    Ok(Expr::Metric(name))
                }
            }
            Some(Tok::Prefix(p)) => {
                self.i -= 1;
                self.err(format!("pattern `{p}.*` is only allowed inside sum(…)"))
            }
            Some(_) => {
                self.i -= 1;
                self.err("expected a metric, number, function or `(`")
            }
            None => self.err("expression ends too early"),
        }
    }
    fn call(&mut self, name: &str, pos: usize) -> Result<Expr, ParseError> {
        match name {
            "sum" => {
                let mut args = Vec::new();
                loop {
                    let p = self.pos();
                    match self.next() {
                        Some(Tok::Name(m)) => {
                            self.note_name(&m, p);
                            args.push(SumArg::Metric(m));
                        }
                        Some(Tok::Prefix(m)) => {
                            self.note_name(&m, p);
                            args.push(SumArg::Prefix(m));
                        }
                        _ => {
                            self.i -= 1;
                            return self.err("sum(…) takes metric names or `prefix.*` patterns");
                        }
                    }
                    match self.next() {
                        Some(Tok::Comma) => continue,
                        Some(Tok::RParen) => break,
                        _ => {
                            self.i -= 1;
                            return self.err("expected `,` or `)`");
                        }
                    }
                }
                Ok(Expr::Sum(args))
            }
            "scores" | "weights" | "items" => {
                let arg = match self.peek().cloned() {
                    Some(Tok::Str(s)) => {
                        self.i += 1;
                        Some(s)
                    }
                    _ => None,
                };
                self.expect(Tok::RParen, "`)` or a quoted argument")?;
                match (name, arg) {
                    ("scores", a) => Ok(Expr::Agg(Agg::Scores(a))),
                    ("weights", a) => Ok(Expr::Agg(Agg::Weights(a))),
                    (_, Some(g)) => {
                        // +1: the name starts after the opening quote.
                        self.note_name(&g, pos + "items(".len() + 1);
                        Ok(Expr::Agg(Agg::Items(g)))
                    }
                    (_, None) => Err(ParseError {
                        pos,
                        msg: "items(…) needs a quoted group metric, e.g. items(\"expense.project.business\")".into(),
                    }),
                }
            }
            other => Err(ParseError {
                pos,
                msg: format!("unknown function `{other}` (known: sum, scores, weights, items)"),
            }),
        }
    }
}

/// Parses `LEFT REL RIGHT` (REL: `==`/`=`, `<=`, `>=`).
pub fn parse_assertion(s: &str) -> Result<(Expr, Rel, Expr), ParseError> {
    parse_with_positions(s).map(|(a, _)| a)
}

type Assertion = (Expr, Rel, Expr);

/// The assertion and where each name first appears (for error messages).
fn parse_with_positions(s: &str) -> Result<(Assertion, HashMap<String, usize>), ParseError> {
    let toks = lex(s)?;
    let mut p = Parser {
        toks,
        i: 0,
        end: s.len(),
        names: HashMap::new(),
    };
    let left = p.expr()?;
    let rel = match p.next() {
        Some(Tok::Rel(r)) => r,
        _ => {
            p.i -= 1;
            return p.err("expected `==`, `<=` or `>=`");
        }
    };
    let right = p.expr()?;
    if p.peek().is_some() {
        return p.err("unexpected text after the expression");
    }
    Ok(((left, rel, right), p.names))
}

// ───────────────────────────── precision ─────────────────────────────

/// Half a unit of the last written place of a figure, in its canonical unit:
/// half its `resolution` (14623.09 万元 → 50 元), or, in records written
/// before figures carried one, half the place of the value's last non-zero digit.
fn half_unit(resolution: Option<f64>, value: Decimal) -> Decimal {
    let unit = resolution
        .and_then(to_decimal)
        .unwrap_or_else(|| place_of_last_digit(value));
    unit / Decimal::TWO
}

// ───────────────────────────── evaluation ─────────────────────────────

/// A check evaluated on one document (or department-year pair) or skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub check: String,
    pub doc_id: Option<String>,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditReport {
    pub findings: Vec<FindingRecord>,
    pub skipped: Vec<Skipped>,
}

impl AuditReport {
    /// Checks evaluated (one per finding).
    pub fn evaluated(&self) -> usize {
        self.findings.len()
    }
    pub fn failed(&self) -> usize {
        self.findings.iter().filter(|f| !f.holds).count()
    }
}

/// What the audit knows of one document.
struct DocCtx<'a> {
    doc_id: &'a str,
    department: Option<&'a str>,
    year: Option<i32>,
    metrics: BTreeMap<String, Selected<'a>>,
    indicators: Vec<&'a IndicatorRecord>,
    items: Vec<&'a LineItemRecord>,
}

#[derive(Debug, Clone)]
struct Input {
    metric: String,
    value: Decimal,
    half: Decimal,
    page: Option<u32>,
    line: Option<u32>,
    span: Option<Span>,
}

enum EvalErr {
    Absent(String),
    Undefined(String),
}

struct Eval<'c, 'a> {
    ctx: &'c DocCtx<'a>,
    check: &'c Check,
    /// Metric nudged by its half unit, to measure its effect on the comparison.
    bump: Option<&'c str>,
    inputs: Vec<Input>,
    /// Metric references on the current side, and how many were present.
    refs: usize,
    present: usize,
}

impl Eval<'_, '_> {
    fn metric(&mut self, m: &str) -> Result<Decimal, EvalErr> {
        self.refs += 1;
        match self.ctx.metrics.get(m) {
            Some(sel) => {
                self.present += 1;
                let half = half_unit(sel.figure.resolution, sel.value);
                if !self.inputs.iter().any(|i| i.metric == m) {
                    self.inputs
                        .push(figure_input(m, sel.value, half, sel.figure));
                }
                let bumped = if self.bump == Some(m) {
                    sel.value.checked_add(half).unwrap_or(sel.value)
                } else {
                    sel.value
                };
                Ok(bumped)
            }
            None if self.check.missing == Missing::Zero
                && !self.check.required.iter().any(|r| r == m) =>
            {
                Ok(Decimal::ZERO)
            }
            None => Err(EvalErr::Absent(m.to_string())),
        }
    }

    fn eval(&mut self, e: &Expr) -> Result<Decimal, EvalErr> {
        let ovf = || EvalErr::Undefined("arithmetic overflow".into());
        match e {
            Expr::Num(n) => Ok(*n),
            Expr::Metric(m) => self.metric(m),
            Expr::Neg(x) => Ok(-self.eval(x)?),
            Expr::Bin(a, op, b) => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                match op {
                    Op::Add => a.checked_add(b).ok_or_else(ovf),
                    Op::Sub => a.checked_sub(b).ok_or_else(ovf),
                    Op::Mul => a.checked_mul(b).ok_or_else(ovf),
                    Op::Div if b.is_zero() => Err(EvalErr::Undefined("division by zero".into())),
                    Op::Div => a.checked_div(b).ok_or_else(ovf),
                }
            }
            Expr::Sum(args) => {
                let mut total = Decimal::ZERO;
                let mut any = false;
                for a in args {
                    match a {
                        SumArg::Metric(m) => {
                            total = total.checked_add(self.metric(m)?).ok_or_else(ovf)?;
                            any = true;
                        }
                        SumArg::Prefix(p) => {
                            let pre = format!("{p}.");
                            let names: Vec<String> = self
                                .ctx
                                .metrics
                                .keys()
                                .filter(|k| k.starts_with(&pre) && !self.check.exclude.contains(k))
                                .cloned()
                                .collect();
                            for m in names {
                                total = total.checked_add(self.metric(&m)?).ok_or_else(ovf)?;
                                any = true;
                            }
                        }
                    }
                }
                if any {
                    Ok(total)
                } else {
                    Err(EvalErr::Absent(format!("sum({})", sum_text(args))))
                }
            }
            Expr::Agg(agg) => self.agg(agg),
        }
    }

    fn agg(&mut self, agg: &Agg) -> Result<Decimal, EvalErr> {
        let overflow = || EvalErr::Undefined("arithmetic overflow".into());
        // Indicator cells carry no precision, so they count as exact (the
        // tolerance comes from the stated figure they are compared with).
        let mut total = Decimal::ZERO;
        let mut n = 0;
        match agg {
            Agg::Scores(l1) | Agg::Weights(l1) => {
                let weights = matches!(agg, Agg::Weights(_));
                let what = if weights { "weight" } else { "score" };
                for ind in &self.ctx.indicators {
                    if l1
                        .as_ref()
                        .is_some_and(|l| !ind.level1.starts_with(l.as_str()))
                    {
                        continue;
                    }
                    let Some(v) =
                        (if weights { ind.weight } else { ind.score }).and_then(to_decimal)
                    else {
                        continue;
                    };
                    total = total.checked_add(v).ok_or_else(overflow)?;
                    n += 1;
                    self.inputs.push(Input {
                        metric: format!("indicator.{what}: {} / {}", ind.level1, ind.level3),
                        value: v,
                        half: Decimal::ZERO,
                        page: Some(ind.page),
                        line: ind.line,
                        span: None,
                    });
                }
                if n == 0 {
                    return Err(EvalErr::Absent(match l1 {
                        Some(l) => format!("indicator {what}s of {l}"),
                        None => format!("indicator {what}s"),
                    }));
                }
            }
            Agg::Items(g) => {
                let items: Vec<&LineItemRecord> = self
                    .ctx
                    .items
                    .iter()
                    .copied()
                    .filter(|i| i.group.as_deref() == Some(g.as_str()))
                    .collect();
                for it in items {
                    let Some(v) = to_decimal(it.value) else {
                        continue;
                    };
                    // A SPEC-only line item (no `raw`, no `resolution`) says
                    // nothing of its precision: it counts as exact.
                    let half = if it.resolution.is_none() && it.raw.is_empty() {
                        Decimal::ZERO
                    } else {
                        half_unit(it.resolution, v)
                    };
                    let metric = format!("line_item: {}", it.label);
                    let bumped = if self.bump == Some(metric.as_str()) {
                        v.checked_add(half).unwrap_or(v)
                    } else {
                        v
                    };
                    total = total.checked_add(bumped).ok_or_else(overflow)?;
                    n += 1;
                    self.inputs.push(Input {
                        metric,
                        value: v,
                        half,
                        page: Some(it.page),
                        line: Some(it.line),
                        span: it.span,
                    });
                }
                if n == 0 {
                    return Err(EvalErr::Absent(format!("line items of {g}")));
                }
            }
        }
        Ok(total)
    }

    /// Evaluates one side; a side whose every metric is absent-as-zero is absent.
    fn side(&mut self, e: &Expr) -> Result<Decimal, EvalErr> {
        self.refs = 0;
        self.present = 0;
        let v = self.eval(e)?;
        if self.refs > 0 && self.present == 0 && !has_agg(e) {
            return Err(EvalErr::Absent("every metric on one side".into()));
        }
        Ok(v)
    }
}

fn has_agg(e: &Expr) -> bool {
    match e {
        Expr::Agg(_) => true,
        Expr::Neg(x) => has_agg(x),
        Expr::Bin(a, _, b) => has_agg(a) || has_agg(b),
        _ => false,
    }
}

fn sum_text(args: &[SumArg]) -> String {
    args.iter()
        .map(|a| match a {
            SumArg::Metric(m) => m.clone(),
            SumArg::Prefix(p) => format!("{p}.*"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn figure_input(metric: &str, value: Decimal, half: Decimal, f: &FigureRecord) -> Input {
    Input {
        metric: metric.to_string(),
        value,
        half,
        page: Some(f.page),
        line: Some(f.line),
        span: Some(f.span),
    }
}

fn wire_input(i: &Input, doc_id: Option<&str>) -> FindingInput {
    FindingInput {
        metric: i.metric.clone(),
        value: to_f64(i.value),
        page: i.page,
        line: i.line,
        span: i.span,
        doc_id: doc_id.map(str::to_string),
    }
}

/// Runs every check over the records. Documents with `status: "error"` are
/// left out; findings already in the input are ignored (the audit recomputes).
pub fn audit(records: &[Record], rules: &AuditRules) -> AuditReport {
    let docs = build_contexts(records);
    let mut report = AuditReport::default();
    for check in &rules.checks {
        match &check.kind {
            CheckKind::Assert {
                left, rel, right, ..
            } => {
                for ctx in &docs {
                    run_assert(check, left, *rel, right, ctx, &mut report);
                }
            }
            CheckKind::YearChange { metric, max_pct } => {
                run_year_change(check, metric, *max_pct, &docs, &mut report)
            }
        }
    }
    report
}

fn build_contexts(records: &[Record]) -> Vec<DocCtx<'_>> {
    let keys = document_keys(records);
    let failed: HashSet<&str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Document(d) if d.status != Status::Ok => Some(d.doc_id.as_str()),
            _ => None,
        })
        .collect();
    let mut order: Vec<&str> = Vec::new();
    let mut figs: HashMap<&str, Vec<&FigureRecord>> = HashMap::new();
    let mut inds: HashMap<&str, Vec<&IndicatorRecord>> = HashMap::new();
    let mut items: HashMap<&str, Vec<&LineItemRecord>> = HashMap::new();
    for r in records {
        let id = match r {
            Record::Document(d) => d.doc_id.as_str(),
            Record::Figure(f) => {
                figs.entry(&f.doc_id).or_default().push(f);
                &f.doc_id
            }
            Record::Indicator(i) => {
                inds.entry(&i.doc_id).or_default().push(i);
                &i.doc_id
            }
            Record::LineItem(l) => {
                items.entry(&l.doc_id).or_default().push(l);
                &l.doc_id
            }
            Record::Finding(_) => continue,
        };
        if !order.contains(&id) {
            order.push(id);
        }
    }
    order
        .into_iter()
        .filter(|id| !failed.contains(id))
        .map(|id| {
            let f = figs.remove(id).unwrap_or_default();
            let (kdep, kyear) = keys.get(id).copied().unwrap_or((None, None));
            let department = kdep.or_else(|| f.iter().find_map(|x| x.department.as_deref()));
            let year = kyear.or_else(|| f.iter().find_map(|x| x.year));
            DocCtx {
                doc_id: id,
                department,
                year,
                metrics: select_metrics(f),
                indicators: inds.remove(id).unwrap_or_default(),
                items: items.remove(id).unwrap_or_default(),
            }
        })
        .collect()
}

fn run_assert(
    check: &Check,
    left: &Expr,
    rel: Rel,
    right: &Expr,
    ctx: &DocCtx<'_>,
    report: &mut AuditReport,
) {
    let skip = |reason: String, report: &mut AuditReport| {
        report.skipped.push(Skipped {
            check: check.id.clone(),
            doc_id: Some(ctx.doc_id.to_string()),
            department: ctx.department.map(str::to_string),
            year: ctx.year,
            reason,
        })
    };
    if let Some(r) = check
        .required
        .iter()
        .find(|r| !ctx.metrics.contains_key(*r))
    {
        return skip(format!("required {r} absent"), report);
    }
    let mut ev = Eval {
        ctx,
        check,
        bump: None,
        inputs: Vec::new(),
        refs: 0,
        present: 0,
    };
    let values = ev.side(left).and_then(|l| Ok((l, ev.side(right)?)));
    let (found, expected) = match values {
        Ok(v) => v,
        Err(EvalErr::Absent(what)) => return skip(format!("{what} absent"), report),
        Err(EvalErr::Undefined(why)) => return skip(why, report),
    };
    let inputs = ev.inputs;
    // Tolerance: the largest effect that half a unit of any one input has on
    // found − expected ("half a unit of the least precise input", carried
    // through the arithmetic, so a rate is judged in points, a sum in yuan).
    let Some(diff) = found.checked_sub(expected) else {
        return skip("arithmetic overflow".into(), report);
    };
    let mut tol = Decimal::ZERO;
    for inp in inputs.iter().filter(|i| !i.half.is_zero()) {
        let mut ev = Eval {
            ctx,
            check,
            bump: Some(&inp.metric),
            inputs: Vec::new(),
            refs: 0,
            present: 0,
        };
        if let (Ok(l), Ok(r)) = (ev.side(left), ev.side(right))
            && let Some(effect) = l.checked_sub(r).and_then(|d| d.checked_sub(diff))
        {
            tol = tol.max(effect.abs());
        }
    }
    let holds = match rel {
        Rel::Eq => diff.abs() <= tol,
        Rel::Le => diff <= tol,
        Rel::Ge => -diff <= tol,
    };
    report.findings.push(FindingRecord {
        doc_id: ctx.doc_id.to_string(),
        department: ctx.department.map(str::to_string),
        year: ctx.year,
        check: check.id.clone(),
        holds,
        expected: to_f64(expected.round_dp(6)),
        found: to_f64(found.round_dp(6)),
        inputs: inputs.iter().map(|i| wire_input(i, None)).collect(),
        years: None,
        tolerance: Some(to_f64(tol.round_dp(6))),
    });
}

fn run_year_change(
    check: &Check,
    metric: &str,
    max_pct: Decimal,
    docs: &[DocCtx<'_>],
    report: &mut AuditReport,
) {
    // department → year → first document (input order) stating the metric
    let mut by_dep: BTreeMap<&str, BTreeMap<i32, &DocCtx<'_>>> = BTreeMap::new();
    for d in docs {
        let Some(y) = d.year else { continue };
        if !d.metrics.contains_key(metric) {
            continue;
        }
        let dep = d.department.unwrap_or(UNKNOWN_DEPARTMENT);
        by_dep.entry(dep).or_default().entry(y).or_insert(d);
    }
    for (dep, years) in by_dep {
        if years.len() < 2 {
            report.skipped.push(Skipped {
                check: check.id.clone(),
                doc_id: years.values().next().map(|d| d.doc_id.to_string()),
                department: Some(dep.to_string()),
                year: years.keys().next().copied(),
                reason: format!("{metric} stated for fewer than two years"),
            });
            continue;
        }
        let list: Vec<(&i32, &&DocCtx<'_>)> = years.iter().collect();
        for w in list.windows(2) {
            let ((y1, d1), (y2, d2)) = (w[0], w[1]);
            let (Some(a), Some(b)) = (d1.metrics.get(metric), d2.metrics.get(metric)) else {
                continue;
            };
            if a.value.is_zero() {
                report.skipped.push(Skipped {
                    check: check.id.clone(),
                    doc_id: Some(d2.doc_id.to_string()),
                    department: Some(dep.to_string()),
                    year: Some(*y2),
                    reason: format!("{metric} is 0 in {y1}"),
                });
                continue;
            }
            let pct = b
                .value
                .checked_sub(a.value)
                .and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED))
                .and_then(|d| d.checked_div(a.value))
                .map(|p| p.round_dp(2));
            let Some(pct) = pct else {
                report.skipped.push(Skipped {
                    check: check.id.clone(),
                    doc_id: Some(d2.doc_id.to_string()),
                    department: Some(dep.to_string()),
                    year: Some(*y2),
                    reason: "arithmetic overflow".into(),
                });
                continue;
            };
            let inp = |s: &Selected<'_>, d: &DocCtx<'_>| {
                wire_input(
                    &figure_input(metric, s.value, Decimal::ZERO, s.figure),
                    Some(d.doc_id),
                )
            };
            report.findings.push(FindingRecord {
                doc_id: d2.doc_id.to_string(),
                department: Some(dep.to_string()),
                year: Some(*y2),
                check: check.id.clone(),
                holds: pct.abs() <= max_pct,
                expected: to_f64(max_pct),
                found: to_f64(pct),
                inputs: vec![inp(a, d1), inp(b, d2)],
                years: Some(vec![*y1, *y2]),
                tolerance: None,
            });
        }
    }
}

// ───────────────────────────── output ─────────────────────────────

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("writing findings: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing findings: {0}")]
    Json(#[from] serde_json::Error),
}

/// Findings as JSON Lines (`type: "finding"` first), for machines.
pub fn write_jsonl<W: Write>(report: &AuditReport, mut w: W) -> Result<(), AuditError> {
    for f in &report.findings {
        serde_json::to_writer(&mut w, &Record::Finding(f.clone()))?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// Findings for people: check, ✓/✗, expected, found, where (path:page:line of
/// the first input), then a count of evaluated and skipped checks.
pub fn render_table(report: &AuditReport, records: &[Record], rules: &AuditRules) -> String {
    let paths: HashMap<&str, &str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Document(d) => Some((d.doc_id.as_str(), d.path.as_str())),
            _ => None,
        })
        .collect();
    let desc: HashMap<&str, String> = rules
        .checks
        .iter()
        .map(|c| {
            let d = match (&c.description, &c.kind) {
                (Some(d), _) => d.clone(),
                (None, CheckKind::Assert { text, .. }) => text.clone(),
                (None, CheckKind::YearChange { metric, max_pct }) => {
                    format!("{metric} moves ≤ {max_pct}%")
                }
            };
            (c.id.as_str(), d)
        })
        .collect();
    let head: Vec<String> = [
        "department",
        "year",
        "check",
        "holds",
        "expected",
        "found",
        "where",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let body: Vec<Vec<String>> = report
        .findings
        .iter()
        .map(|f| {
            let place = f
                .inputs
                .first()
                .map(|i| {
                    let doc = i.doc_id.as_deref().unwrap_or(&f.doc_id);
                    let path = paths.get(doc).copied().unwrap_or(doc);
                    match (i.page, i.line) {
                        (Some(p), Some(l)) => format!("{path}:{p}:{l}"),
                        (Some(p), None) => format!("{path} p.{p}"),
                        _ => path.to_string(),
                    }
                })
                .unwrap_or_default();
            let year = f.year_label();
            let check = desc
                .get(f.check.as_str())
                .cloned()
                .unwrap_or_else(|| f.check.clone());
            vec![
                f.department.clone().unwrap_or_default(),
                year,
                check,
                if f.holds { "✓" } else { "✗" }.to_string(),
                format_number(f.expected),
                format_number(f.found),
                place,
            ]
        })
        .collect();
    let mut out = aligned_table(&head, &body, 4);
    out.push_str(&format!(
        "{} checks evaluated, {} do not hold, {} skipped (inputs absent)\n",
        report.evaluated(),
        report.failed(),
        report.skipped.len()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_positions() {
        let (l, r, _) = parse_assertion("staff.total == sum(staff.*)").unwrap();
        assert_eq!(l, Expr::Metric("staff.total".into()));
        assert_eq!(r, Rel::Eq);
        let e = parse_assertion("a.b == (c.d + ").unwrap_err();
        assert_eq!(e.pos, 14);
        let e = parse_assertion("a.b == foo(c)").unwrap_err();
        assert!(e.msg.contains("unknown function"));
        assert!(parse_assertion("a.b + c.d").is_err());
        assert!(parse_assertion("a.b == staff.*").is_err());
    }

    #[test]
    fn extreme_values_skip_instead_of_panicking() {
        use crate::record::{FigureRecord, Record};
        let fig = |metric: &str, value: f64, raw: &str| {
            Record::Figure(FigureRecord {
                doc_id: "d".into(),
                department: None,
                year: Some(2022),
                kind: crate::record::Kind::Amount,
                metric: Some(metric.into()),
                label: String::new(),
                value,
                resolution: None,
                unit: "CNY".into(),
                qualifier: None,
                raw: raw.into(),
                page: 1,
                line: 1,
                span: Span { start: 0, end: 1 },
                rule: String::new(),
            })
        };
        let recs = vec![
            fig("budget.total", 7.9e28, "x"),
            fig("expense.basic", 7.9e28, "7.9e28"),
            fig("expense.project", 7.9e28, "??"),
            fig("budget.executed", 1e300, "1e300"),
            fig("budget.execution_rate", f64::NAN, ""),
        ];
        let src = r#"
[[check]]
id = "a"
assert = "budget.total == expense.basic + expense.project"
[[check]]
id = "b"
assert = "budget.execution_rate == budget.executed / budget.total * 100"
[[check]]
id = "c"
assert = "budget.total == expense.basic / 0"
"#;
        let rules = parse_audit_rules(src, "t", &starter_metrics()).unwrap();
        let r = audit(&recs, &rules);
        assert_eq!(r.evaluated() + r.skipped.len(), 3);
        assert!(r.findings.is_empty());
    }

    #[test]
    fn line_col_counts_characters() {
        let s = "a\n预算 = x";
        assert_eq!(line_col(s, s.find('=').unwrap()), (2, 4));
    }
}
