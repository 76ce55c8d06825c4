//! The form reader's view of a text: cells cut at hard separators (tab, `|`,
//! line breaks, runs of spaces), and inside each cell the words of the forms'
//! vocabulary, so that a form reads the same whether its cells are separated,
//! one per line, or flattened into one run of text.
//!
//! A word counts where a cell starts with it, or where a cell holds several
//! (a flattened form), or when it is a form's title; a single other word
//! inside a sentence (`…按预算执行率计算…`) is running text, not a label.

use crate::rules::forms::{Role, Vocabulary};

/// A piece of the text: a word of the vocabulary or a value between words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the text, trimmed.
    pub start: usize,
    pub end: usize,
    /// The roles of a word of the vocabulary; empty for a value.
    pub roles: Vec<Role>,
    /// The first token of its cell.
    pub cell_start: bool,
    /// A value sharing its cell with a word: the layout lost its separators
    /// there, so its numbers may have run together too.
    pub glued: bool,
}

impl Token {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    pub fn is_value(&self) -> bool {
        self.roles.is_empty()
    }

    /// The first role of the word that `pick` accepts.
    pub fn role<T>(&self, pick: impl Fn(Role) -> Option<T>) -> Option<T> {
        self.roles.iter().find_map(|r| pick(*r))
    }

    /// Whether the word plays a role `pick` accepts.
    pub fn is(&self, pick: impl Fn(Role) -> bool) -> bool {
        self.roles.iter().any(|r| pick(*r))
    }
}

/// Every token of `text`, in order.
pub fn tokens(text: &str, vocabulary: &Vocabulary) -> Vec<Token> {
    let mut out = Vec::new();
    for cell in cells(text) {
        match cell {
            Cell::Text(start, end) => cell_tokens(text, start, end, vocabulary, &mut out),
            Cell::Blank(at) => out.push(Token {
                start: at,
                end: at,
                roles: Vec::new(),
                cell_start: true,
                glued: false,
            }),
        }
    }
    out
}

enum Cell {
    /// A trimmed byte range.
    Text(usize, usize),
    /// An empty cell between two tab or `|` separators: it keeps its column.
    Blank(usize),
}

/// The cells of `text`, in order.
fn cells(text: &str) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut start = 0;
    // Whether the last separator was a tab or a pipe on this line.
    let mut after_column_separator = false;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let column = matches!(c, '\t' | '|');
        let hard = column || matches!(c, '\n' | '\x0c' | '\r');
        let double_space = c == ' ' && chars.peek().is_some_and(|&(_, n)| n == ' ');
        if hard || double_space {
            let piece = &text[start..at];
            if !piece.trim().is_empty() {
                push_trimmed(text, start, at, &mut cells);
            } else if column && after_column_separator {
                cells.push(Cell::Blank(at));
            }
            if hard {
                after_column_separator = column;
            }
            start = at + c.len_utf8();
        }
    }
    if !text[start..].trim().is_empty() {
        push_trimmed(text, start, text.len(), &mut cells);
    }
    cells
}

fn push_trimmed(text: &str, start: usize, end: usize, cells: &mut Vec<Cell>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    cells.push(Cell::Text(start + lead, start + lead + trimmed.len()));
}

/// The tokens of one cell: its words (where they count) and the values between.
fn cell_tokens(
    text: &str,
    start: usize,
    end: usize,
    vocabulary: &Vocabulary,
    out: &mut Vec<Token>,
) {
    // Words are matched with the cell's whitespace removed (分 值 is 分值).
    let mut compact = String::with_capacity(end - start);
    let mut offsets = Vec::with_capacity(end - start + 1);
    for (at, c) in text[start..end].char_indices() {
        if !c.is_whitespace() {
            compact.push(c);
            offsets.extend(std::iter::repeat_n(start + at, c.len_utf8()));
        }
    }
    offsets.push(end);
    let found = vocabulary.find_all(&compact);
    // A title names a form wherever it stands (成安县民政局2020年度预算项目绩效自评表).
    let titled = found
        .iter()
        .any(|f| f.roles.iter().any(|r| matches!(r, Role::Title(_))));
    // A table header word closing a cell (…请以附件为准)一级指标 | 二级指标) is
    // the header's first cell after text the export glued to it.
    let header_at_end = found.last().is_some_and(|f| {
        f.end == compact.len() && f.roles.iter().any(|r| matches!(r, Role::TableColumn(_)))
    });
    let counts = titled
        || header_at_end
        || found.len() >= 2
        || found.first().is_some_and(|f| f.start == lead_in(&compact));
    let first = out.len();
    let mut at = start;
    if counts {
        for word in &found {
            let (word_start, word_end) = (offsets[word.start], offsets[word.end - 1] + 1);
            let word_end = char_end(text, word_end);
            push_value(text, at, word_start, true, out);
            out.push(Token {
                start: word_start,
                end: word_end,
                roles: word.roles.clone(),
                cell_start: false,
                glued: false,
            });
            at = word_end;
        }
    }
    push_value(text, at, end, counts, out);
    if let Some(token) = out.get_mut(first) {
        token.cell_start = true;
    }
}

/// Where a cell's content starts after a list or section marker (一、 1、 (2)).
fn lead_in(compact: &str) -> usize {
    let marker = regex_lite_marker(compact);
    marker.min(compact.len())
}

fn regex_lite_marker(compact: &str) -> usize {
    use std::sync::LazyLock;
    static MARKER: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[、.]|\(\d{1,2}\)|\([一二三四五六七八九十]+\))")
            .expect("valid marker pattern")
    });
    MARKER.find(compact).map_or(0, |m| m.end())
}

/// The end of the character starting before `at` (the last byte of a word
/// maps to its character's first byte).
fn char_end(text: &str, at: usize) -> usize {
    let mut end = at;
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

fn push_value(text: &str, start: usize, end: usize, glued: bool, out: &mut Vec<Token>) {
    if start >= end {
        return;
    }
    let piece = &text[start..end];
    let trimmed = piece.trim();
    if trimmed.is_empty() {
        return;
    }
    let lead = piece.len() - piece.trim_start().len();
    out.push(Token {
        start: start + lead,
        end: start + lead + trimmed.len(),
        roles: Vec::new(),
        cell_start: false,
        glued,
    });
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;
    use crate::rules::{RuleSet, default_dir};

    static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::load(&default_dir()).unwrap());

    fn show(text: &str) -> Vec<(String, bool)> {
        tokens(text, &RULES.form_words)
            .iter()
            .map(|t| (t.text(text).to_string(), t.is_value()))
            .collect()
    }

    #[test]
    fn flattened_cells_split_at_their_words() {
        let text = "项目名称演出设备更新专项经费主管部门新洲区楚剧团实施单位新洲区文化和旅游局机关";
        assert_eq!(
            show(text),
            [
                ("项目名称".to_string(), false),
                ("演出设备更新专项经费".to_string(), true),
                ("主管部门".to_string(), false),
                ("新洲区楚剧团".to_string(), true),
                ("实施单位".to_string(), false),
                ("新洲区文化和旅游局机关".to_string(), true),
            ]
        );
    }

    #[test]
    fn words_with_spaces_inside_still_count() {
        let got = show("分 值得 分偏差原因分析 及改进措施");
        let words: Vec<&str> = got
            .iter()
            .filter(|(_, v)| !v)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(words, ["分 值", "得 分", "偏差原因分析 及改进措施"]);
    }

    #[test]
    fn a_lone_word_inside_a_sentence_is_text() {
        let got = show("本单位按照预算执行率计算。");
        assert_eq!(got, [("本单位按照预算执行率计算。".to_string(), true)]);
    }

    #[test]
    fn separated_cells_keep_their_values_apart() {
        let got = show("| 年度资金总额 | 7.29 | 7.29 | | 10.00 |");
        assert_eq!(
            got,
            [
                ("年度资金总额".to_string(), false),
                ("7.29".to_string(), true),
                ("7.29".to_string(), true),
                (String::new(), true),
                ("10.00".to_string(), true),
            ]
        );
    }
}
