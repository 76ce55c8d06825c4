//! Rule-file diagnostics: `file:line:col: message`, collected across all files
//! so a user sees every problem of a rule directory in one run. Every rule
//! file, `audit.toml` included, reports through [`SourceFile`].

use std::fmt;
use std::path::{Path, PathBuf};

use toml::Spanned;
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
    /// A rule file that cannot be read at all.
    pub fn unreadable(path: &Path, error: &std::io::Error) -> RuleError {
        RuleError {
            file: path.to_path_buf(),
            line: 1,
            col: 1,
            message: format!("cannot read rule file: {error}"),
        }
    }
}

/// In file order, as an editor would walk them (ties keep the order found).
pub fn sort_by_position(errors: &mut [RuleError]) {
    errors.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
}

/// Keys of a rule file: each top-level key with the keys its tables allow
/// (empty: not checked here, for plain values and free-form tables).
pub type Schema = [(&'static str, &'static [&'static str])];

/// The text of one rule file, able to turn byte offsets into line:col.
pub struct SourceFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl<'a> SourceFile<'a> {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }

    /// A problem at a byte offset; the message is kept to one line.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> RuleError {
        let (line, col) = self.position(offset);
        RuleError {
            file: self.path.to_path_buf(),
            line,
            col,
            message: message.into().trim().replace('\n', " "),
        }
    }

    /// The file's TOML as far as it parses, every syntax error reported.
    pub fn parse_recoverable(&self, errors: &mut Vec<RuleError>) -> Spanned<DeTable<'a>> {
        let (table, syntax_errors) = DeTable::parse_recoverable(self.text);
        for e in &syntax_errors {
            let offset = e.span().map_or(0, |s| s.start);
            errors.push(self.error_at(offset, format!("TOML syntax: {}", e.message())));
        }
        table
    }

    /// Keys `schema` does not allow, before any typed deserialisation: serde
    /// stops at the first unknown key, this walk finds them all.
    pub fn check_keys(&self, table: &DeTable, schema: &Schema, errors: &mut Vec<RuleError>) {
        for (key, value) in table.iter() {
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
    }

    /// Deserialises the whole file, mapping a type error to its position.
    pub fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, RuleError> {
        toml::from_str(self.text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            self.error_at(offset, e.message())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let file = SourceFile {
            path: Path::new("t.toml"),
            text: "a\n预算 = x",
        };
        assert_eq!(file.position(file.text.find('=').unwrap()), (2, 4));
    }
}
