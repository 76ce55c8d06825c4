//! Rule files (`rules/*.toml`): the only place that knows how reports word things.
//! Loading validates everything and compiles it into one [`RuleSet`], shared by
//! every worker thread.
//!
//! Files and what they hold:
//! - `units.toml` — unit words and measure words (with examples), prefixes (百分之, ¥),
//!   multipliers (万, 亿), qualifiers (约, 以上), ordinal words.
//! - `metrics.toml` — the metric vocabulary, label rules (a label before a figure
//!   names its metric) and line rules (a regex over a whole line, for table rows
//!   whose cells are bare numbers).
//! - `document.toml` — how to recognise the document kind, department and year.
//! - `tables.toml` — indicator tables: header words per column, level-1 and
//!   level-2 names, rows that are not indicators (see [`crate::table`]).
//! - `forms.toml` — the standard forms: titles, header fields, funds block,
//!   totals (see [`forms`]).
//! - `audit.toml` — the consistency checks `jixiao audit` evaluates ([`audit`]).
//! - `dictionary.txt` — domain words for the segmenter (jieba format: word [freq] [tag]).
//! - `base_dictionary.txt` — the segmenter's general vocabulary (same format).

pub mod audit;
mod diagnostics;
pub mod forms;
mod schema;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use regex::Regex;
use rust_decimal::Decimal;
use serde::Deserialize;
use toml::Spanned;

pub use diagnostics::RuleError;
use diagnostics::{Schema, SourceFile, sort_by_position};
use schema::{schema, struct_fields};

use crate::quantity::{
    Kind, PrefixDef, Qualifier, QualifierDef, QualifierPosition, UnitDef, UnitTable,
};
use crate::wire::one_of;
use audit::{AuditRules, compile_audit};
pub use forms::FormRules;

/// The rule directory used when none is given: `rules/` beside the crate, so
/// tests and `cargo run` work from any working directory.
pub fn default_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules")
}

// ---- wire format (serde) -------------------------------------------------

#[derive(Deserialize)]
struct UnitsFile {
    #[serde(default)]
    ordinal_prefixes: Vec<String>,
    #[serde(default)]
    prefix: Vec<PrefixEntry>,
    #[serde(default)]
    unit: Vec<UnitEntry>,
    #[serde(default)]
    measure_words: Vec<MeasureWordEntry>,
    #[serde(default)]
    multiplier: Vec<MultiplierEntry>,
    #[serde(default)]
    qualifier: Vec<QualifierEntry>,
}

#[derive(Deserialize)]
struct UnitEntry {
    word: Spanned<String>,
    kind: Spanned<String>,
    unit: String,
    #[serde(default)]
    factor: Option<Spanned<String>>,
    #[serde(default)]
    chinese_numerals: bool,
    #[serde(default)]
    chinese_at_clause_end: bool,
    #[serde(default)]
    not_before: String,
    #[serde(default)]
    max_integer_digits: Option<u32>,
    #[serde(default)]
    examples: Vec<Example>,
}

/// A measure word: a unit of kind `count` whose canonical unit is the word.
#[derive(Deserialize)]
struct MeasureWordEntry {
    word: Spanned<String>,
    #[serde(default)]
    not_before: String,
    /// Chinese numerals may state the count where the word ends a clause.
    #[serde(default = "yes")]
    chinese_numerals: bool,
    #[serde(default)]
    examples: Vec<Example>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct PrefixEntry {
    word: String,
    kind: Spanned<String>,
    unit: String,
    #[serde(default)]
    factor: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct MultiplierEntry {
    word: String,
    factor: Spanned<String>,
}

#[derive(Deserialize)]
struct QualifierEntry {
    word: String,
    position: Spanned<String>,
    value: Spanned<String>,
}

/// A unit's example (`examples` in units.toml): `text` must give a figure of
/// this unit word with `value` in the canonical unit, or none when `value` is absent.
#[derive(Debug, Clone)]
pub struct UnitExample {
    pub word: String,
    pub kind: Kind,
    pub unit: String,
    pub example: Example,
}

#[derive(Deserialize)]
struct MetricsFile {
    #[serde(default)]
    metric: Vec<MetricEntry>,
    #[serde(default)]
    rule: Vec<LabelRuleEntry>,
    #[serde(default)]
    line_rule: Vec<LineRuleEntry>,
}

#[derive(Deserialize)]
struct MetricEntry {
    id: Spanned<String>,
    kind: Spanned<String>,
    description: String,
    #[serde(default)]
    item_group: bool,
}

#[derive(Deserialize)]
struct LabelRuleEntry {
    id: Spanned<String>,
    metric: Spanned<String>,
    label: Spanned<String>,
    #[serde(default)]
    near: Option<usize>,
    #[serde(default)]
    context: Vec<String>,
    #[serde(default)]
    exclude: Option<Spanned<String>>,
    #[serde(default)]
    examples: Vec<Example>,
}

#[derive(Deserialize)]
struct LineRuleEntry {
    id: Spanned<String>,
    metric: Spanned<String>,
    unit: Spanned<String>,
    pattern: Spanned<String>,
    #[serde(default)]
    examples: Vec<Example>,
}

/// A rule's example: `text` must yield `value` for the rule's metric, or nothing
/// for it when `value` is absent (a counter-example). The test suite runs them all.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    #[serde(default)]
    pub value: Option<f64>,
}

#[derive(Deserialize)]
struct DocumentFile {
    title_lines: usize,
    /// What a department's name looks like (vars expanded): form fields hold
    /// one only when their value matches it whole.
    organisation: Spanned<String>,
    /// Words of a title that a name never holds: a name caught after one
    /// starts after it.
    #[serde(default)]
    not_in_names: Vec<String>,
    #[serde(default)]
    vars: HashMap<String, String>,
    #[serde(default)]
    doc_kind: Vec<DocKindEntry>,
    #[serde(default)]
    department: Vec<PatternEntry>,
    #[serde(default)]
    department_fallback: Vec<PatternEntry>,
    #[serde(default)]
    year: Vec<PatternEntry>,
    #[serde(default)]
    furniture: Vec<PatternEntry>,
}

#[derive(Deserialize)]
struct DocKindEntry {
    kind: Spanned<String>,
    pattern: Spanned<String>,
}

#[derive(Deserialize)]
struct PatternEntry {
    pattern: Spanned<String>,
}

#[derive(Deserialize)]
struct TablesFile {
    #[serde(default)]
    column: Vec<ColumnEntry>,
    #[serde(default)]
    level1: Vec<String>,
    #[serde(default)]
    level2: Vec<String>,
    #[serde(default)]
    completion_words: Vec<String>,
    level1_suffix: Spanned<String>,
    #[serde(default)]
    unit_cells: Option<Spanned<String>>,
    #[serde(default)]
    default_header: Vec<Spanned<String>>,
    #[serde(default)]
    header_units: Vec<HeaderUnitEntry>,
    #[serde(default)]
    skip_rows: Vec<Spanned<String>>,
    #[serde(default)]
    end_rows: Vec<Spanned<String>>,
    #[serde(default)]
    cell_strip: Vec<Spanned<String>>,
    #[serde(default)]
    prose_headers: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
struct HeaderUnitEntry {
    noun: String,
    unit: String,
}

#[derive(Deserialize)]
struct ColumnEntry {
    name: Spanned<String>,
    headers: Vec<Spanned<String>>,
    #[serde(default)]
    within: Option<Spanned<String>>,
}

/// The columns an indicator table can have (`[[column]] name` in tables.toml).
pub const TABLE_COLUMNS: &[&str] = &[
    "level1",
    "level2",
    "level_weight",
    "level3",
    "nature",
    "target",
    "unit",
    "actual",
    "completion",
    "weight",
    "score",
    "weight_share",
    "weighted_score",
    "note",
];

crate::closed_set! {
    /// What a document is (SPEC `doc_kind`, plus the 转移支付 区域绩效自评表 of
    /// the real-world set); `Unknown` when no `[[doc_kind]]` pattern matches.
    pub enum DocKind {
        OverallSelfEvalForm = "overall_self_eval_form",
        OverallEvalReport = "overall_eval_report",
        ProjectSelfEvalForm = "project_self_eval_form",
        ProjectEvalReport = "project_eval_report",
        TransferSelfEvalForm = "transfer_self_eval_form",
        Unknown = "unknown",
    }
}

impl DocKind {
    /// The kinds a `[[doc_kind]]` pattern may name: every kind but `unknown`.
    pub fn recognisable() -> impl Iterator<Item = DocKind> {
        DocKind::ALL
            .iter()
            .copied()
            .filter(|k| *k != DocKind::Unknown)
    }
}

// ---- compiled form ---------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Metric {
    pub id: String,
    pub kind: Kind,
    pub description: String,
    /// Numbered lists of amounts that follow this metric are its parts (line items).
    pub item_group: bool,
}

/// A label before a figure names its metric: `部门预算收入` + `14199.25万元`.
#[derive(Debug, Clone)]
pub struct LabelRule {
    pub id: String,
    pub metric: String,
    pub kind: Kind,
    pub label: Regex,
    /// Most characters allowed between the end of the label and the figure.
    pub near: usize,
    /// Words (segmenter tokens) one of which the sentence must contain.
    pub context: Vec<String>,
    pub exclude: Option<Regex>,
    pub examples: Vec<Example>,
}

/// A regex over one whole line whose `value` capture is the figure: table rows
/// whose cells hold bare numbers (分值 / 得分 columns).
#[derive(Debug, Clone)]
pub struct LineRule {
    pub id: String,
    pub metric: String,
    pub kind: Kind,
    pub unit: String,
    pub pattern: Regex,
    pub examples: Vec<Example>,
}

#[derive(Debug, Clone)]
pub struct DocumentRules {
    pub title_lines: usize,
    /// A whole value that is a department's name (`^(?:${org})$`).
    pub organisation: Regex,
    /// Title words a name never holds (报告, 年度).
    pub not_in_names: Vec<String>,
    /// Department patterns tried only when no `department` pattern matched
    /// anywhere (a county government naming itself, a page's publisher).
    pub department_fallback: Vec<Regex>,
    pub doc_kinds: Vec<(DocKind, Regex)>,
    pub department: Vec<Regex>,
    pub year: Vec<Regex>,
    pub furniture: Vec<Regex>,
}

/// One column of indicator tables and the header words that name it.
#[derive(Debug, Clone)]
pub struct TableColumn {
    /// A name from [`TABLE_COLUMNS`].
    pub name: String,
    /// The header words, matching a whole (folded) header cell.
    pub cells: Vec<Regex>,
    /// The same words, to be found inside text whose cells run together.
    pub words: Vec<Regex>,
    /// The column of a header's first row that this one subdivides when it
    /// stands in the second (符号 and 单位 under 预期指标值, 权重占比 under 自评得分).
    pub within: Option<String>,
}

/// How indicator tables are worded (`tables.toml`), read by [`crate::table`].
#[derive(Debug, Clone)]
pub struct TableRules {
    /// The columns, in file order.
    pub columns: Vec<TableColumn>,
    pub level1: Vec<String>,
    /// Level-2 indicator names (数量指标, 社会效益指标): in a table whose cells
    /// run together they mark where a row's groups change.
    pub level2: Vec<String>,
    /// Whether an indicator was met (完成, 未完成): a status, never a name.
    pub completion_words: Vec<String>,
    pub level1_suffix: Regex,
    /// A cell that is only a unit of measure (`%`, `元`).
    pub unit_cells: Regex,
    /// The columns (indices into `columns`) of a table whose header was cut away.
    pub default_header: Vec<usize>,
    /// (noun ending a column header, the unit it gives the column's numbers).
    pub header_units: Vec<(String, String)>,
    pub skip_rows: Vec<Regex>,
    pub end_rows: Vec<Regex>,
    pub cell_strip: Vec<Regex>,
    /// Header cells (whole, folded) of columns that hold sentences, not
    /// values (评价标准, 指标说明): their numbers (`计5分`) are not cells.
    pub prose_headers: Vec<Regex>,
    /// The most bytes a whole header cell can hold (its folded copy, without
    /// whitespace), as the header patterns bound it; `None` when some pattern
    /// has no bound. Every line is tried as a one-cell header, and a paragraph
    /// need not be folded to learn it is none.
    pub longest_header_cell: Option<usize>,
}

/// Everything loaded from a rule directory, compiled once.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub dir: PathBuf,
    pub units: UnitTable,
    /// The examples of `units.toml`, run by the test suite.
    pub unit_examples: Vec<UnitExample>,
    pub metrics: Vec<Metric>,
    pub label_rules: Vec<LabelRule>,
    /// Every label rule's `label` in one set, in rule order: which labels a
    /// subject holds is one search, not one per rule (a figure's subject
    /// holds one or two of the thirty-odd labels).
    pub labels: regex::RegexSet,
    pub line_rules: Vec<LineRule>,
    pub document: DocumentRules,
    pub tables: TableRules,
    pub forms: FormRules,
    /// The words of forms and indicator tables, for text whose cells run together.
    pub form_words: forms::Vocabulary,
    /// Domain words for the segmenter, one `word [freq] [tag]` per line.
    pub dictionary: String,
    /// General vocabulary for the segmenter, same format.
    pub base_dictionary: String,
    pub audit: AuditRules,
}

impl RuleSet {
    /// Loads and validates every rule file in `dir`; returns all problems found.
    pub fn load(dir: &Path) -> Result<RuleSet, Vec<RuleError>> {
        let mut errors = Vec::new();
        let read = |name: &str, errors: &mut Vec<RuleError>| -> Option<(PathBuf, String)> {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => Some((path, text)),
                Err(e) => {
                    errors.push(RuleError::unreadable(&path, &e));
                    None
                }
            }
        };
        let units_src = read("units.toml", &mut errors);
        let metrics_src = read("metrics.toml", &mut errors);
        let document_src = read("document.toml", &mut errors);
        let tables_src = read("tables.toml", &mut errors);
        let forms_src = read("forms.toml", &mut errors);
        let audit_src = read("audit.toml", &mut errors);
        let dictionary = read("dictionary.txt", &mut errors);
        let base_dictionary = read("base_dictionary.txt", &mut errors);
        for (path, text) in dictionary.iter().chain(base_dictionary.iter()) {
            check_dictionary(&SourceFile { path, text }, &mut errors);
        }
        let units = units_src
            .as_ref()
            .and_then(|(path, text)| compile_units(&SourceFile { path, text }, &mut errors));
        let metrics = metrics_src
            .as_ref()
            .and_then(|(path, text)| compile_metrics(&SourceFile { path, text }, &mut errors));
        let document = document_src
            .as_ref()
            .and_then(|(path, text)| compile_document(&SourceFile { path, text }, &mut errors));
        let tables = tables_src
            .as_ref()
            .and_then(|(path, text)| compile_tables(&SourceFile { path, text }, &mut errors));
        let forms = forms_src
            .as_ref()
            .and_then(|(path, text)| forms::compile_forms(&SourceFile { path, text }, &mut errors));
        // Line rules name units, so they are checked against units.toml.
        if let (Some((units, _)), Some((_, _, line_rules)), Some((path, text))) =
            (&units, &metrics, &metrics_src)
        {
            check_line_rule_units(units, line_rules, &SourceFile { path, text }, &mut errors);
        }
        // Forms name metrics too.
        if let (Some((metrics, _, _)), Some((path, text))) = (&metrics, &forms_src) {
            check_form_metrics(metrics, &SourceFile { path, text }, &mut errors);
        }
        // Audit checks name metrics, so they are checked against this vocabulary.
        let audit = match (&metrics, &audit_src) {
            (Some((metrics, _, _)), Some((path, text))) => {
                let known = metrics.iter().map(|m| m.id.clone()).collect();
                compile_audit(&SourceFile { path, text }, &known, &mut errors)
            }
            _ => None,
        };
        if !errors.is_empty() {
            sort_by_position(&mut errors);
            return Err(errors);
        }
        let (metrics, label_rules, line_rules) = metrics.expect("no errors means metrics loaded");
        let tables = tables.expect("no errors means table rules loaded");
        let forms = forms.expect("no errors means form rules loaded");
        let (units, unit_examples) = units.expect("no errors means units loaded");
        let labels = regex::RegexSet::new(label_rules.iter().map(|r| r.label.as_str()))
            .expect("each label compiled on its own, so the set compiles");
        Ok(RuleSet {
            dir: dir.to_path_buf(),
            units,
            unit_examples,
            metrics,
            label_rules,
            labels,
            line_rules: line_rules.into_iter().map(|(r, _)| r).collect(),
            document: document.expect("no errors means document rules loaded"),
            form_words: forms::Vocabulary::new(&forms, &tables),
            tables,
            forms,
            dictionary: dictionary.map(|(_, t)| t).unwrap_or_default(),
            base_dictionary: base_dictionary.map(|(_, t)| t).unwrap_or_default(),
            audit: audit.expect("no errors means audit rules loaded"),
        })
    }

    /// sha256 over every rule file and the jixiao version: records made under a
    /// different fingerprint are not reused by `--incremental`. Read from disk
    /// when asked, since only runs that write a records file need it.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.dir)
    }

    pub fn metric(&self, id: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.id == id)
    }
}

fn check_line_rule_units(
    units: &UnitTable,
    line_rules: &[(LineRule, std::ops::Range<usize>)],
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) {
    let known: HashSet<&str> = units.units().iter().map(|u| u.unit.as_str()).collect();
    for (rule, unit_span) in line_rules {
        if !known.contains(rule.unit.as_str()) {
            errors.push(file.error_at(
                unit_span.start,
                format!(
                    "unknown unit `{}` (units.toml defines: {})",
                    rule.unit,
                    sorted(&known)
                ),
            ));
        }
    }
}

fn fingerprint(dir: &Path) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    for name in names {
        if let Ok(bytes) = std::fs::read(&name) {
            hasher.update(
                name.file_name()
                    .map(|n| n.as_encoded_bytes())
                    .unwrap_or_default(),
            );
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
    }
    hex::encode(hasher.finalize())
}

fn sorted(set: &HashSet<&str>) -> String {
    let mut v: Vec<&str> = set.iter().copied().collect();
    v.sort_unstable();
    v.join(", ")
}

fn parse_kind(s: &Spanned<String>, file: &SourceFile, errors: &mut Vec<RuleError>) -> Option<Kind> {
    let kind = Kind::from_name(s.get_ref());
    if kind.is_none() {
        errors.push(file.error_at(
            s.span().start,
            format!(
                "unknown kind `{}` (expected {})",
                s.get_ref(),
                one_of(Kind::ALL.iter().map(|k| k.as_str()))
            ),
        ));
    }
    kind
}

fn parse_decimal(
    s: &Spanned<String>,
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Option<Decimal> {
    match Decimal::from_str(s.get_ref()) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(file.error_at(
                s.span().start,
                format!("not a decimal number `{}`: {e}", s.get_ref()),
            ));
            None
        }
    }
}

/// Compiles a regex; an error points at the string in the rule file.
fn compile_regex(
    s: &Spanned<String>,
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Option<Regex> {
    match Regex::new(s.get_ref()) {
        Ok(r) => Some(r),
        Err(e) => {
            let detail = e.to_string().lines().last().unwrap_or_default().to_string();
            errors.push(file.error_at(s.span().start, format!("invalid regex: {detail}")));
            None
        }
    }
}

/// Reads the structure first (syntax, unknown keys), then the typed content.
fn parse_file<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
    keys: &Schema,
    errors: &mut Vec<RuleError>,
) -> Option<T> {
    // Unknown keys are reported here and then ignored, so that the same run
    // still checks the regexes and metric names of the rest of the file; a
    // syntax error leaves nothing reliable to check.
    let before = errors.len();
    let table = file.parse_recoverable(errors);
    let syntax_broken = errors.len() > before;
    file.check_keys(table.get_ref(), keys, errors);
    if syntax_broken {
        return None;
    }
    match file.deserialize() {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

type CompiledUnits = (UnitTable, Vec<UnitExample>);

fn compile_units(file: &SourceFile, errors: &mut Vec<RuleError>) -> Option<CompiledUnits> {
    let keys = schema::<UnitsFile>(&[
        ("prefix", struct_fields::<PrefixEntry>()),
        ("unit", struct_fields::<UnitEntry>()),
        ("measure_words", struct_fields::<MeasureWordEntry>()),
        ("multiplier", struct_fields::<MultiplierEntry>()),
        ("qualifier", struct_fields::<QualifierEntry>()),
    ]);
    let parsed: UnitsFile = parse_file(file, &keys, errors)?;
    let before = errors.len();
    let mut examples = Vec::new();
    let units = unit_defs(
        parsed.unit,
        parsed.measure_words,
        &mut examples,
        file,
        errors,
    );
    let prefixes = parsed
        .prefix
        .into_iter()
        .filter_map(|p| {
            let kind = parse_kind(&p.kind, file, errors);
            let factor = unit_factor(p.factor.as_ref(), file, errors);
            Some(PrefixDef {
                word: p.word,
                kind: kind?,
                unit: p.unit,
                factor: factor?,
            })
        })
        .collect();
    let multipliers = parsed
        .multiplier
        .into_iter()
        .filter_map(|m| Some((m.word, unit_factor(Some(&m.factor), file, errors)?)))
        .collect();
    let qualifiers = compile_qualifiers(parsed.qualifier, file, errors);
    if errors.len() > before {
        return None;
    }
    let table = UnitTable::new(
        units,
        multipliers,
        qualifiers,
        parsed.ordinal_prefixes,
        prefixes,
    );
    Some((table, examples))
}

/// A factor: a decimal number above zero (1 when absent).
fn unit_factor(
    factor: Option<&Spanned<String>>,
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Option<Decimal> {
    let Some(factor) = factor else {
        return Some(Decimal::ONE);
    };
    let value = parse_decimal(factor, file, errors)?;
    if value <= Decimal::ZERO {
        errors.push(file.error_at(
            factor.span().start,
            format!("factor `{}` must be above zero", factor.get_ref()),
        ));
        return None;
    }
    Some(value)
}

/// `[[unit]]` entries and measure words, checked for duplicates, with their examples.
fn unit_defs(
    entries: Vec<UnitEntry>,
    measure_words: Vec<MeasureWordEntry>,
    examples: &mut Vec<UnitExample>,
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Vec<UnitDef> {
    let mut units = Vec::new();
    let mut seen = HashSet::new();
    let mut check_duplicate = |word: &Spanned<String>, errors: &mut Vec<RuleError>| {
        if !seen.insert(word.get_ref().clone()) {
            errors.push(file.error_at(
                word.span().start,
                format!("duplicate unit `{}`", word.get_ref()),
            ));
        }
    };
    for entry in entries {
        check_duplicate(&entry.word, errors);
        let kind = parse_kind(&entry.kind, file, errors);
        let factor = unit_factor(entry.factor.as_ref(), file, errors);
        let (Some(kind), Some(factor)) = (kind, factor) else {
            continue;
        };
        let word = entry.word.into_inner();
        examples.extend(entry.examples.into_iter().map(|example| UnitExample {
            word: word.clone(),
            kind,
            unit: entry.unit.clone(),
            example,
        }));
        units.push(UnitDef {
            word,
            kind,
            unit: entry.unit,
            factor,
            chinese_numerals: entry.chinese_numerals,
            chinese_at_clause_end: entry.chinese_at_clause_end,
            not_before: entry.not_before.chars().collect(),
            max_integer_digits: entry.max_integer_digits,
        });
    }
    for entry in measure_words {
        check_duplicate(&entry.word, errors);
        let word = entry.word.into_inner();
        examples.extend(entry.examples.into_iter().map(|example| UnitExample {
            word: word.clone(),
            kind: Kind::Count,
            unit: word.clone(),
            example,
        }));
        units.push(UnitDef {
            word: word.clone(),
            kind: Kind::Count,
            unit: word,
            factor: Decimal::ONE,
            chinese_numerals: false,
            chinese_at_clause_end: entry.chinese_numerals,
            not_before: entry.not_before.chars().collect(),
            max_integer_digits: None,
        });
    }
    units
}

fn compile_qualifiers(
    entries: Vec<QualifierEntry>,
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Vec<QualifierDef> {
    let mut qualifiers = Vec::new();
    for q in entries {
        let position = QualifierPosition::from_name(q.position.get_ref());
        if position.is_none() {
            errors.push(file.error_at(
                q.position.span().start,
                format!(
                    "unknown position `{}` (expected {})",
                    q.position.get_ref(),
                    one_of(QualifierPosition::ALL.iter().map(|p| p.as_str()))
                ),
            ));
        }
        let value = Qualifier::from_name(q.value.get_ref());
        if value.is_none() {
            errors.push(file.error_at(
                q.value.span().start,
                format!(
                    "unknown qualifier `{}` (expected {})",
                    q.value.get_ref(),
                    one_of(Qualifier::ALL.iter().map(|q| q.as_str()))
                ),
            ));
        }
        if let (Some(position), Some(value)) = (position, value) {
            qualifiers.push(QualifierDef {
                word: q.word,
                position,
                value,
            });
        }
    }
    qualifiers
}

type CompiledMetrics = (
    Vec<Metric>,
    Vec<LabelRule>,
    Vec<(LineRule, std::ops::Range<usize>)>,
);

fn compile_metrics(file: &SourceFile, errors: &mut Vec<RuleError>) -> Option<CompiledMetrics> {
    let keys = schema::<MetricsFile>(&[
        ("metric", struct_fields::<MetricEntry>()),
        ("rule", struct_fields::<LabelRuleEntry>()),
        ("line_rule", struct_fields::<LineRuleEntry>()),
    ]);
    let parsed: MetricsFile = parse_file(file, &keys, errors)?;
    let metrics = compile_metric_list(&parsed.metric, file, errors);
    let mut rules = RuleCompiler {
        file,
        metrics: &metrics,
        ids: HashSet::new(),
        errors,
    };
    let label_rules = parsed
        .rule
        .into_iter()
        .filter_map(|r| rules.label_rule(r))
        .collect();
    let line_rules = parsed
        .line_rule
        .into_iter()
        .filter_map(|r| rules.line_rule(r))
        .collect();
    // What compiled is returned even beside errors, so the checks that depend
    // on it (units of line rules, metrics of audit checks) still run and report.
    Some((metrics, label_rules, line_rules))
}

fn compile_metric_list(
    entries: &[MetricEntry],
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Vec<Metric> {
    let mut metrics: Vec<Metric> = Vec::new();
    for m in entries {
        if metrics.iter().any(|x| x.id == *m.id.get_ref()) {
            errors.push(file.error_at(
                m.id.span().start,
                format!("duplicate metric `{}`", m.id.get_ref()),
            ));
        }
        if let Some(kind) = parse_kind(&m.kind, file, errors) {
            metrics.push(Metric {
                id: m.id.get_ref().clone(),
                kind,
                description: m.description.clone(),
                item_group: m.item_group,
            });
        }
    }
    metrics
}

/// Label and line rules of `metrics.toml`, checked against its metrics.
struct RuleCompiler<'a, 'e> {
    file: &'a SourceFile<'a>,
    metrics: &'a [Metric],
    /// Rule ids seen: label and line rules share one namespace.
    ids: HashSet<String>,
    errors: &'e mut Vec<RuleError>,
}

impl RuleCompiler<'_, '_> {
    fn check_id(&mut self, id: &Spanned<String>) {
        if !self.ids.insert(id.get_ref().clone()) {
            self.errors.push(self.file.error_at(
                id.span().start,
                format!("duplicate rule id `{}`", id.get_ref()),
            ));
        }
    }

    fn metric_kind(&mut self, id: &Spanned<String>) -> Option<Kind> {
        let found = self
            .metrics
            .iter()
            .find(|m| m.id == *id.get_ref())
            .map(|m| m.kind);
        if found.is_none() {
            self.errors.push(self.file.error_at(
                id.span().start,
                format!(
                    "unknown metric `{}` (declare it with [[metric]] first)",
                    id.get_ref()
                ),
            ));
        }
        found
    }

    fn label_rule(&mut self, r: LabelRuleEntry) -> Option<LabelRule> {
        self.check_id(&r.id);
        let kind = self.metric_kind(&r.metric);
        let label = compile_regex(&r.label, self.file, self.errors);
        let exclude = r
            .exclude
            .as_ref()
            .map(|e| compile_regex(e, self.file, self.errors));
        Some(LabelRule {
            id: r.id.into_inner(),
            metric: r.metric.into_inner(),
            kind: kind?,
            label: label?,
            near: r.near.unwrap_or(8),
            context: r.context,
            exclude: exclude.flatten(),
            examples: r.examples,
        })
    }

    fn line_rule(&mut self, r: LineRuleEntry) -> Option<(LineRule, std::ops::Range<usize>)> {
        self.check_id(&r.id);
        let kind = self.metric_kind(&r.metric);
        let pattern = compile_regex(&r.pattern, self.file, self.errors);
        if let Some(p) = &pattern
            && !p.capture_names().any(|n| n == Some("value"))
        {
            self.errors.push(self.file.error_at(
                r.pattern.span().start,
                "line rule pattern needs a named capture `(?P<value>…)`",
            ));
        }
        let rule = LineRule {
            id: r.id.into_inner(),
            metric: r.metric.into_inner(),
            kind: kind?,
            unit: r.unit.get_ref().clone(),
            pattern: pattern?,
            examples: r.examples,
        };
        Some((rule, r.unit.span()))
    }
}

/// The `[[doc_kind]]` entries of document.toml: kinds checked against the
/// closed set, patterns compiled after `expand` fills in their variables.
fn compile_doc_kinds(
    entries: &[DocKindEntry],
    expand: &dyn Fn(&Spanned<String>) -> Spanned<String>,
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Vec<(DocKind, Regex)> {
    let mut doc_kinds = Vec::new();
    for k in entries {
        let kind = DocKind::from_name(k.kind.get_ref()).filter(|k| *k != DocKind::Unknown);
        if kind.is_none() {
            errors.push(file.error_at(
                k.kind.span().start,
                format!(
                    "unknown doc_kind `{}` (expected one of: {})",
                    k.kind.get_ref(),
                    DocKind::recognisable()
                        .map(DocKind::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if let (Some(r), Some(kind)) = (compile_regex(&expand(&k.pattern), file, errors), kind) {
            doc_kinds.push((kind, r));
        }
    }
    doc_kinds
}

fn compile_document(file: &SourceFile, errors: &mut Vec<RuleError>) -> Option<DocumentRules> {
    let pattern = struct_fields::<PatternEntry>();
    let keys = schema::<DocumentFile>(&[
        ("doc_kind", struct_fields::<DocKindEntry>()),
        ("department", pattern),
        ("department_fallback", pattern),
        ("year", pattern),
        ("furniture", pattern),
    ]);
    let parsed: DocumentFile = parse_file(file, &keys, errors)?;
    let before = errors.len();
    // `${name}` in a pattern stands for `vars.name`, so the long list of
    // organisation suffixes is written once.
    let expand = |p: &Spanned<String>| -> Spanned<String> {
        let mut text = p.get_ref().clone();
        for (name, value) in &parsed.vars {
            text = text.replace(&format!("${{{name}}}"), value);
        }
        Spanned::new(p.span(), text)
    };
    let doc_kinds = compile_doc_kinds(&parsed.doc_kind, &expand, file, errors);
    let compile_all = |entries: &[PatternEntry],
                       capture: Option<&str>,
                       errors: &mut Vec<RuleError>|
     -> Vec<Regex> {
        let mut out = Vec::new();
        for e in entries {
            if let Some(r) = compile_regex(&expand(&e.pattern), file, errors) {
                if let Some(name) = capture
                    && !r.capture_names().any(|n| n == Some(name))
                {
                    errors.push(file.error_at(
                        e.pattern.span().start,
                        format!("pattern needs a named capture `(?P<{name}>…)`"),
                    ));
                }
                out.push(r);
            }
        }
        out
    };
    let department = compile_all(&parsed.department, Some("name"), errors);
    let department_fallback = compile_all(&parsed.department_fallback, Some("name"), errors);
    let year = compile_all(&parsed.year, Some("year"), errors);
    let furniture = compile_all(&parsed.furniture, None, errors);
    let organisation = expand(&parsed.organisation);
    let organisation = Spanned::new(
        organisation.span(),
        format!("^(?:{})$", organisation.get_ref()),
    );
    let organisation = compile_regex(&organisation, file, errors);
    if errors.len() > before {
        return None;
    }
    Some(DocumentRules {
        title_lines: parsed.title_lines,
        organisation: organisation?,
        not_in_names: parsed.not_in_names,
        department_fallback,
        doc_kinds,
        department,
        year,
        furniture,
    })
}

/// The `[[column]]` entries of tables.toml: names checked, header words
/// compiled (bare, and anchored for a whole header cell).
fn compile_columns(
    entries: &[ColumnEntry],
    file: &SourceFile,
    errors: &mut Vec<RuleError>,
) -> Vec<TableColumn> {
    let mut columns = Vec::new();
    for c in entries {
        for name in std::iter::once(&c.name).chain(c.within.as_ref()) {
            if !TABLE_COLUMNS.contains(&name.get_ref().as_str()) {
                errors.push(file.error_at(
                    name.span().start,
                    format!(
                        "unknown column `{}` (expected one of: {})",
                        name.get_ref(),
                        TABLE_COLUMNS.join(", ")
                    ),
                ));
            }
        }
        let words: Vec<Regex> = c
            .headers
            .iter()
            .filter_map(|h| compile_regex(h, file, errors))
            .collect();
        // The words are written bare: a header cell holds exactly one.
        let cells = words
            .iter()
            .filter_map(|w| Regex::new(&format!("^(?:{})$", w.as_str())).ok())
            .collect();
        columns.push(TableColumn {
            name: c.name.get_ref().clone(),
            cells,
            words,
            within: c.within.as_ref().map(|w| w.get_ref().clone()),
        });
    }
    columns
}

/// Every metric forms.toml names is declared in metrics.toml.
fn check_form_metrics(metrics: &[Metric], file: &SourceFile, errors: &mut Vec<RuleError>) {
    for (metric, at) in forms::metrics_named(file) {
        if !metrics.iter().any(|m| m.id == metric) {
            errors.push(file.error_at(
                at,
                format!("unknown metric `{metric}` (declare it in metrics.toml)"),
            ));
        }
    }
}

fn compile_tables(file: &SourceFile, errors: &mut Vec<RuleError>) -> Option<TableRules> {
    let keys = schema::<TablesFile>(&[
        ("column", struct_fields::<ColumnEntry>()),
        ("header_units", struct_fields::<HeaderUnitEntry>()),
    ]);
    let parsed: TablesFile = parse_file(file, &keys, errors)?;
    let before = errors.len();
    let columns = compile_columns(&parsed.column, file, errors);
    let all = |list: &[Spanned<String>], errors: &mut Vec<RuleError>| -> Vec<Regex> {
        list.iter()
            .filter_map(|p| compile_regex(p, file, errors))
            .collect()
    };
    let skip_rows = all(&parsed.skip_rows, errors);
    let end_rows = all(&parsed.end_rows, errors);
    let cell_strip = all(&parsed.cell_strip, errors);
    let prose_headers = all(&parsed.prose_headers, errors)
        .iter()
        .filter_map(|w| Regex::new(&format!("^(?:{})$", w.as_str())).ok())
        .collect();
    let level1_suffix = compile_regex(&parsed.level1_suffix, file, errors);
    let mut default_header = Vec::new();
    for name in &parsed.default_header {
        match columns
            .iter()
            .position(|c: &TableColumn| c.name == *name.get_ref())
        {
            Some(c) => default_header.push(c),
            None => errors.push(file.error_at(
                name.span().start,
                format!(
                    "unknown column `{}` (declare it with [[column]])",
                    name.get_ref()
                ),
            )),
        }
    }
    // Without the key no cell is taken for a unit alone.
    let unit_cells = match &parsed.unit_cells {
        Some(pattern) => compile_regex(pattern, file, errors),
        None => Regex::new("$^").ok(),
    };
    if errors.len() > before {
        return None;
    }
    Some(TableRules {
        level1: parsed.level1,
        level2: parsed.level2,
        completion_words: parsed.completion_words,
        level1_suffix: level1_suffix?,
        unit_cells: unit_cells?,
        default_header,
        header_units: parsed
            .header_units
            .into_iter()
            .map(|h| (h.noun, h.unit))
            .collect(),
        longest_header_cell: longest_match(columns.iter().flat_map(|c| &c.cells)),
        columns,
        skip_rows,
        end_rows,
        cell_strip,
        prose_headers,
    })
}

/// The most bytes any of `patterns` can match, or `None` when one of them is unbounded.
fn longest_match<'p>(patterns: impl Iterator<Item = &'p Regex>) -> Option<usize> {
    patterns
        .map(|p| {
            regex_syntax::parse(p.as_str())
                .ok()
                .and_then(|hir| hir.properties().maximum_len())
        })
        .try_fold(0, |longest, len| len.map(|l| longest.max(l)))
}

/// jieba's dictionary format: `word [frequency] [tag]`; a bad frequency would be
/// silently ignored by jieba, so it is checked here.
fn check_dictionary(file: &SourceFile, errors: &mut Vec<RuleError>) {
    let mut offset = 0;
    for line in file.text.split_inclusive('\n') {
        let content = line.trim_end();
        let mut parts = content.split_whitespace();
        if let (Some(_word), Some(freq)) = (parts.next(), parts.next())
            && !content.trim_start().starts_with('#')
            && freq.parse::<usize>().is_err()
        {
            let col = content.find(freq).unwrap_or(0);
            errors.push(file.error_at(
                offset + col,
                format!("frequency `{freq}` is not a whole number"),
            ));
        }
        offset += line.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_load() {
        let rules = RuleSet::load(&default_dir()).unwrap_or_else(|e| {
            panic!(
                "{}",
                e.iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        assert!(rules.metric("budget.total").is_some());
        assert!(!rules.label_rules.is_empty());
    }
}
