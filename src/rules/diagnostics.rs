//! Rule-file diagnostics: `file:line:col: message`, collected across all files
//! so a user sees every problem of a rule directory in one run.

use std::fmt;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

/// One problem in a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.col,
            self.message
        )
    }
}

impl RuleError {
    /// Reads back a message already written as `PATH:LINE:COL: message` for `path`
    /// (the audit rule loader formats its own); anything else points at 1:1.
    pub fn from_located(path: &Path, located: &str) -> RuleError {
        let shown = format!("{}:", path.display());
        let rest = located.strip_prefix(&shown).unwrap_or(located);
        let mut parts = rest.splitn(3, ':');
        let (line, col, message) = match (parts.next(), parts.next(), parts.next()) {
            (Some(l), Some(c), Some(m))
                if l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok() =>
            {
                (
                    l.parse().unwrap_or(1),
                    c.parse().unwrap_or(1),
                    m.trim().to_string(),
                )
            }
            _ => (1, 1, rest.trim().to_string()),
        };
        RuleError {
            file: path.to_path_buf(),
            line,
            col,
            message,
        }
    }
}

/// The text of one rule file, able to turn byte offsets into line:col.
pub struct SourceFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl SourceFile<'_> {
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> RuleError {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        RuleError {
            file: self.path.to_path_buf(),
            line,
            col,
            message: message.into(),
        }
    }

    /// Syntax errors and keys no schema allows, before any typed deserialisation:
    /// serde stops at the first unknown key, this walk finds them all.
    pub fn check_structure(&self, schema: &[(&str, &[&str])]) -> Vec<RuleError> {
        let (table, syntax_errors) = DeTable::parse_recoverable(self.text);
        let mut errors: Vec<RuleError> = syntax_errors
            .iter()
            .map(|e| {
                let offset = e.span().map_or(0, |s| s.start);
                self.error_at(offset, format!("TOML syntax: {}", e.message()))
            })
            .collect();
        for (key, value) in table.get_ref().iter() {
            let Some((_, allowed)) = schema.iter().find(|(name, _)| *name == key.get_ref()) else {
                let known: Vec<&str> = schema.iter().map(|(n, _)| *n).collect();
                errors.push(self.error_at(
                    key.span().start,
                    format!(
                        "unknown key `{}` (expected one of: {})",
                        key.get_ref(),
                        known.join(", ")
                    ),
                ));
                continue;
            };
            if allowed.is_empty() {
                continue;
            }
            let tables: Vec<&DeTable> = match value.get_ref() {
                DeValue::Table(t) => vec![t],
                DeValue::Array(items) => items
                    .iter()
                    .filter_map(|item| match item.get_ref() {
                        DeValue::Table(t) => Some(t),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for entry in tables {
                for (sub_key, _) in entry.iter() {
                    if !allowed.contains(&sub_key.get_ref().as_ref()) {
                        errors.push(self.error_at(
                            sub_key.span().start,
                            format!(
                                "unknown key `{}` in [[{}]] (expected one of: {})",
                                sub_key.get_ref(),
                                key.get_ref(),
                                allowed.join(", ")
                            ),
                        ));
                    }
                }
            }
        }
        errors
    }

    /// Deserialises the whole file, mapping a type error to its position.
    pub fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, RuleError> {
        toml::from_str(self.text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            self.error_at(offset, e.message().to_string())
        })
    }
}
