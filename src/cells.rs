//! The cell model: how one line of text is cut into the cells of a table row.
//!
//! Tables reach jixiao as tab-separated rows (PDF border grids, spreadsheet
//! exports), as `|` pipe rows (web and markdown tables), or as one cell per line
//! (a line that is neither: the caller reads consecutive lines as cells). Figures,
//! header-named cells, indicator tables and forms all take their cells from
//! [`Row::split`]; nothing else splits a line.
//!
//! Cells are byte ranges into the line they were split from, separators left
//! out and whitespace kept, so a caller can split the folded matching copy of a
//! line and still map every cell back to the original text.

use std::ops::Range;

/// What separates the cells of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// `a\tb\tc`: PDF grids and spreadsheet exports.
    Tab,
    /// `| a | b |`: web and markdown tables.
    Pipe,
    /// No separator: the whole line is one cell.
    None,
}

/// The cells of one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub separator: Separator,
    /// Byte ranges in the line, left to right; untrimmed.
    cells: Vec<Range<usize>>,
}

impl Row {
    /// Cuts `line` into cells: at tabs when it has any, at pipes when it opens
    /// with one or holds two (`a | b | c`), else the line is a single cell.
    pub fn split(line: &str) -> Row {
        if line.contains('\t') {
            return Row {
                separator: Separator::Tab,
                cells: split_at(line, 0, line.len(), '\t'),
            };
        }
        let trimmed_start = line.len() - line.trim_start().len();
        let trimmed_end = line.trim_end().len();
        if line[trimmed_start..].starts_with('|') || line.matches('|').count() >= 2 {
            // Leading pipes (`||| a |`) are one border, the last pipe closes the row.
            let inner_start = line.len() - line.trim_start().trim_start_matches('|').len();
            let inner_end = match line[inner_start..trimmed_end.max(inner_start)].strip_suffix('|')
            {
                Some(inner) => inner_start + inner.len(),
                None => trimmed_end.max(inner_start),
            };
            return Row {
                separator: Separator::Pipe,
                cells: split_at(line, inner_start, inner_end, '|'),
            };
        }
        Row {
            separator: Separator::None,
            cells: std::iter::once(0..line.len()).collect(),
        }
    }

    /// Whether the line is a row of several cells (tab or pipe), not running text.
    pub fn is_table_row(&self) -> bool {
        self.separator != Separator::None
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The byte range of cell `index` in the line.
    pub fn range(&self, index: usize) -> Range<usize> {
        self.cells[index].clone()
    }

    /// Every cell's byte range, left to right.
    pub fn ranges(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.cells.iter().cloned()
    }

    /// The text of every cell of `line` (the line this row was split from), untrimmed.
    pub fn texts<'r, 'l: 'r>(&'r self, line: &'l str) -> impl Iterator<Item = &'l str> + 'r {
        self.cells.iter().map(move |r| &line[r.clone()])
    }

    /// The cell holding byte `offset` of the line (a cell's end counts as inside it).
    pub fn cell_at(&self, offset: usize) -> Option<usize> {
        self.cells
            .iter()
            .position(|r| r.start <= offset && offset <= r.end)
    }
}

fn split_at(line: &str, start: usize, end: usize, separator: char) -> Vec<Range<usize>> {
    let mut cells = Vec::new();
    let mut at = start;
    for piece in line[start..end].split(separator) {
        cells.push(at..at + piece.len());
        at += piece.len() + separator.len_utf8();
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> (Separator, Vec<&str>) {
        let row = Row::split(line);
        (row.separator, row.texts(line).collect())
    }

    #[test]
    fn tab_rows_keep_empty_cells() {
        assert_eq!(
            texts("产出指标\t\t甲\t10\t"),
            (Separator::Tab, vec!["产出指标", "", "甲", "10", ""])
        );
    }

    #[test]
    fn pipe_rows_drop_their_borders() {
        assert_eq!(
            texts(" | 年度资金总额 | 7.29 | | 10.00 |"),
            (
                Separator::Pipe,
                vec![" 年度资金总额 ", " 7.29 ", " ", " 10.00 "]
            )
        );
        assert_eq!(texts("||| a | b"), (Separator::Pipe, vec![" a ", " b"]));
        assert_eq!(texts("|"), (Separator::Pipe, vec![""]));
    }

    #[test]
    fn other_lines_are_one_cell() {
        let row = Row::split("资金总额：14623.09万元");
        assert!(!row.is_table_row());
        assert_eq!(row.len(), 1);
        assert_eq!(row.cell_at(3), Some(0));
    }

    #[test]
    fn cell_at_finds_the_cell_of_an_offset() {
        let line = "a\tbb\tc";
        let row = Row::split(line);
        assert_eq!(row.cell_at(0), Some(0));
        assert_eq!(row.cell_at(3), Some(1));
        assert_eq!(row.cell_at(5), Some(2));
    }
}
