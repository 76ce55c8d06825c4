//! `rules/audit.toml` → [`AuditRules`]: the consistency checks `jixiao audit`
//! evaluates, validated against the metric vocabulary, every problem reported
//! through the rule files' diagnostics (`file:line:col`) in one run.
//!
//! A check is either an assertion over one document's figures
//! (`assert = "budget.total == expense.basic + expense.project"`: the left side
//! is the figure as found, the right side what it should be) or a cross-year
//! bound (`year_change = "budget.total"`, `max_pct = 30`).

mod expr;
mod model;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub use expr::{Assertion, ParseError, parse_assertion};
pub use model::{
    Agg, AuditRules, Check, CheckKind, Expr, INDICATOR_NAMES, Missing, Op, Rel, Scope, SumArg,
    form_names,
};

use super::diagnostics::{RuleError, SourceFile, sort_by_position};
use super::schema::schema;

/// SPEC's starter vocabulary plus the staff categories the audit sums
/// (行政编 / 参公事业编 / 全额拨款事业编). [`super::RuleSet::load`] checks
/// against `metrics.toml`'s vocabulary; this one serves tests that load an
/// audit file on its own.
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

/// The TOML shape of the file: its key list is read from here.
#[derive(Deserialize)]
#[allow(
    dead_code,
    reason = "only the shape is read; checks deserialize one by one"
)]
struct AuditFile {
    check: Vec<RawCheck>,
}

/// The TOML shape of one `[[check]]`; unknown keys are errors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    id: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    scope: Option<Spanned<Scope>>,
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

/// Reads and validates an audit rule file; every problem found comes back,
/// in file order.
pub fn load_audit_rules(
    path: &Path,
    known: &HashSet<String>,
) -> Result<AuditRules, Vec<RuleError>> {
    let text = std::fs::read_to_string(path).map_err(|e| vec![RuleError::unreadable(path, &e)])?;
    parse_audit_rules(&text, path, known)
}

/// [`load_audit_rules`] on text already read; `path` names it in messages.
pub fn parse_audit_rules(
    text: &str,
    path: impl AsRef<Path>,
    known: &HashSet<String>,
) -> Result<AuditRules, Vec<RuleError>> {
    let file = SourceFile {
        path: path.as_ref(),
        text,
    };
    let mut errors = Vec::new();
    match compile_audit(&file, known, &mut errors) {
        Some(rules) if errors.is_empty() => Ok(rules),
        _ => {
            sort_by_position(&mut errors);
            Err(errors)
        }
    }
}

/// Compiles `audit.toml`, pushing every problem (syntax, unknown keys, wrong
/// types, unknown metrics, bad expressions, duplicate ids) onto `errors`.
pub(super) fn compile_audit(
    file: &SourceFile,
    known: &HashSet<String>,
    errors: &mut Vec<RuleError>,
) -> Option<AuditRules> {
    let before = errors.len();
    // Recoverable parse: every syntax error is reported, what parsed is still validated.
    let root = file.parse_recoverable(errors);
    // No key list for the checks themselves: serde judges them, naming the field.
    let keys = schema::<AuditFile>(&[]);
    file.check_keys(root.get_ref(), &keys, errors);
    let mut loader = Loader {
        file,
        known,
        form_names: form_names().into_iter().collect(),
        indicator_names: INDICATOR_NAMES.iter().map(|n| n.to_string()).collect(),
        errors,
        ids: HashMap::new(),
    };
    let mut checks = Vec::new();
    for (key, value) in root.get_ref().iter() {
        if !keys.iter().any(|(k, _)| *k == key.get_ref().as_ref()) {
            continue;
        }
        let DeValue::Array(items) = value.get_ref() else {
            loader.error(
                value.span().start,
                format!(
                    "`{key}` must be an array of tables: write `[[{key}]]`",
                    key = key.get_ref()
                ),
            );
            continue;
        };
        for item in items.iter() {
            let DeValue::Table(table) = item.get_ref() else {
                loader.error(
                    item.span().start,
                    format!("each `{}` must be a table", key.get_ref()),
                );
                continue;
            };
            if let Some(raw) = loader.deserialize_check(item.span(), table.clone())
                && let Some(check) = loader.check(raw)
            {
                checks.push(check);
            }
        }
    }
    (errors.len() == before).then_some(AuditRules { checks })
}

/// Validation state across the checks of one file.
struct Loader<'a, 'e> {
    file: &'a SourceFile<'a>,
    /// The metrics document-scope checks may name.
    known: &'a HashSet<String>,
    form_names: HashSet<String>,
    indicator_names: HashSet<String>,
    errors: &'e mut Vec<RuleError>,
    /// Check ids seen, with the byte offset of their first use.
    ids: HashMap<String, usize>,
}

impl Loader<'_, '_> {
    fn error(&mut self, offset: usize, message: impl Into<String>) {
        self.errors.push(self.file.error_at(offset, message));
    }

    /// Deserializes one `[[check]]` strictly. Serde stops at the first problem,
    /// so on an error the offending entry is reported, dropped and the rest tried
    /// again: every unknown key and wrong type of a check shows in one run, and
    /// what remains is still validated.
    fn deserialize_check(
        &mut self,
        span: std::ops::Range<usize>,
        mut table: DeTable<'_>,
    ) -> Option<RawCheck> {
        loop {
            let de = toml::de::Deserializer::from(Spanned::new(span.clone(), table.clone()));
            let e = match RawCheck::deserialize(de) {
                Ok(raw) => return Some(raw),
                Err(e) => e,
            };
            let at = e.span().map(|s| s.start).unwrap_or(span.start);
            self.error(at, e.message());
            // The entry whose key or value holds the error position.
            let culprit = table.iter().find_map(|(k, v)| {
                let (ks, vs) = (k.span(), v.span());
                (ks.contains(&at) || vs.contains(&at) || ks.start == at)
                    .then(|| k.get_ref().to_string())
            })?;
            table = table
                .into_iter()
                .filter(|(k, _)| k.get_ref().as_ref() != culprit)
                .collect();
        }
    }

    /// The names a check of `scope` may use.
    fn names(&self, scope: Scope) -> &HashSet<String> {
        match scope {
            Scope::Document => self.known,
            Scope::Form => &self.form_names,
            Scope::Indicator => &self.indicator_names,
        }
    }

    /// The compiled check, or `None` when it has problems (all reported).
    fn check(&mut self, raw: RawCheck) -> Option<Check> {
        let before = self.errors.len();
        let id = self.check_id(&raw.id);
        let scope = raw.scope.as_ref().map_or(Scope::Document, |s| *s.get_ref());
        let required = self.metric_list(&raw.required, "required", scope);
        let exclude = self.metric_list(&raw.exclude, "exclude", scope);
        let kind = match (&raw.assert, &raw.year_change) {
            (Some(assert), None) => {
                if let Some(p) = &raw.max_pct {
                    self.error(p.span().start, "`max_pct` belongs to `year_change` checks");
                }
                self.assertion(assert, scope)
            }
            (None, Some(metric)) => {
                if let Some(s) = raw
                    .scope
                    .as_ref()
                    .filter(|s| *s.get_ref() != Scope::Document)
                {
                    self.error(
                        s.span().start,
                        "`year_change` checks compare documents: no `scope`",
                    );
                }
                self.year_change(&raw, metric)
            }
            (Some(_), Some(y)) => {
                self.error(
                    y.span().start,
                    "a check has either `assert` or `year_change`, not both",
                );
                None
            }
            (None, None) => {
                self.error(raw.id.span().start, "check needs `assert` or `year_change`");
                None
            }
        };
        if self.errors.len() > before {
            return None;
        }
        Some(Check {
            id,
            description: raw.description,
            scope,
            kind: kind?,
            missing: raw.missing.unwrap_or_default(),
            required,
            exclude,
        })
    }

    fn check_id(&mut self, id: &Spanned<String>) -> String {
        let text = id.get_ref().trim().to_string();
        if text.is_empty() {
            self.error(id.span().start, "check `id` must not be empty");
        } else if let Some(first) = self.ids.get(&text) {
            let (line, _) = self.file.position(*first);
            self.error(
                id.span().start,
                format!("duplicate check id `{text}` (first at line {line})"),
            );
        } else {
            self.ids.insert(text.clone(), id.span().start);
        }
        text
    }

    fn metric_list(&mut self, list: &[Spanned<String>], what: &str, scope: Scope) -> Vec<String> {
        for m in list {
            if !self.names(scope).contains(m.get_ref()) {
                self.error(
                    m.span().start,
                    format!("unknown metric `{}` in `{what}`", m.get_ref()),
                );
            }
        }
        list.iter().map(|m| m.get_ref().clone()).collect()
    }

    fn assertion(&mut self, assert: &Spanned<String>, scope: Scope) -> Option<CheckKind> {
        let text = assert.get_ref();
        // +1: the expression starts after the opening quote.
        let base = assert.span().start + 1;
        match expr::parse_with_positions(text) {
            Ok(((left, rel, right), names)) => {
                let known = self.names(scope);
                let unknown: Vec<_> = check_names(&left, known, &names)
                    .into_iter()
                    .chain(check_names(&right, known, &names))
                    .collect();
                for (pos, message) in unknown {
                    self.error(base + pos.min(text.len()), message);
                }
                Some(CheckKind::Assert {
                    left,
                    rel,
                    right,
                    text: text.clone(),
                })
            }
            Err(ParseError { pos, msg }) => {
                self.error(base + pos, format!("bad expression: {msg}"));
                None
            }
        }
    }

    fn year_change(&mut self, raw: &RawCheck, metric: &Spanned<String>) -> Option<CheckKind> {
        if !self.known.contains(metric.get_ref()) {
            self.error(
                metric.span().start,
                format!("unknown metric `{}`", metric.get_ref()),
            );
        }
        let Some(max_pct) = &raw.max_pct else {
            self.error(raw.id.span().start, "`year_change` needs `max_pct`");
            return None;
        };
        match Decimal::from_str(&format!("{}", max_pct.get_ref())) {
            Ok(d) if d > Decimal::ZERO => Some(CheckKind::YearChange {
                metric: metric.get_ref().clone(),
                max_pct: d,
            }),
            _ => {
                self.error(max_pct.span().start, "`max_pct` must be a positive number");
                None
            }
        }
    }
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
