//! Ruled tables on a PDF page → one text line per table row, cells separated
//! by tabs: the layout TXT exports of the same forms have, so the rules and the
//! table reader work on both.
//!
//! A PDF draws a form as words plus thin border paths. Cell text wraps inside
//! its cell, so reading the page line by line cuts numbers and sentences in
//! two; reading it cell by cell does not. The grid comes from the border
//! paths: their y positions bound rows, their x positions bound columns. A cell
//! with no border above it continues the cell above (a merged cell, such as a
//! 一级指标 spanning several rows): its text goes to the row where it starts,
//! as in the TXT exports.

use crate::{Page, Ruling, Word};

/// Borders closer than this (points) are the same line.
const SNAP: f32 = 2.0;
/// Thicker than this is a filled box, not a border.
const THIN: f32 = 2.5;

/// One output line: a layout line, or a table row with its cells separated by tabs.
pub struct GridLine {
    /// The line's text.
    pub text: String,
    /// Running header or footer (never part of a table).
    pub furniture: bool,
}

struct Edge {
    /// Position across the edge (y for a horizontal border, x for a vertical one).
    at: f32,
    /// Extent along it.
    from: f32,
    to: f32,
}

/// Every page's lines, with the lines inside a ruled table replaced by its rows.
///
/// Columns are the borders of the whole document, not of each page: a table
/// continued on the next page keeps its column numbers there, so a row after a
/// page break lines up with the header before it.
pub fn document_lines(pages: &[Page]) -> Vec<Vec<GridLine>> {
    let columns = cluster(pages.iter().flat_map(|p| edges(&p.rulings).1).map(|e| e.at));
    pages
        .iter()
        .map(|page| page_lines(page, &columns))
        .collect()
}

/// The page's lines, with the lines inside a ruled table replaced by its rows.
fn page_lines(page: &Page, document_columns: &[f32]) -> Vec<GridLine> {
    let plain = || {
        page.lines
            .iter()
            .map(|l| GridLine {
                text: l.text.clone(),
                furniture: l.furniture,
            })
            .collect()
    };
    let (horizontal, vertical) = edges(&page.rulings);
    // A table continued from the previous page has no top border: the side
    // borders' ends bound it too.
    let rows = cluster(
        horizontal
            .iter()
            .map(|e| e.at)
            .chain(vertical.iter().flat_map(|e| [e.from, e.to])),
    );
    let own_columns = cluster(vertical.iter().map(|e| e.at));
    if rows.len() < 3 || own_columns.len() < 3 {
        return plain();
    }
    let (page_left, page_right) = (own_columns[0], own_columns[own_columns.len() - 1]);
    let columns: Vec<f32> = document_columns
        .iter()
        .copied()
        .filter(|&x| x >= page_left - SNAP && x <= page_right + SNAP)
        .collect();
    let (top, bottom) = (rows[0], rows[rows.len() - 1]);
    let (left, right) = (columns[0], columns[columns.len() - 1]);
    let inside = |w: &Word| {
        let (cx, cy) = ((w.x0 + w.x1) / 2.0, (w.y0 + w.y1) / 2.0);
        cx > left && cx < right && cy > top && cy < bottom
    };

    // Words of the table, by (row band, column), in reading order.
    let bands = rows.len() - 1;
    let ncols = columns.len() - 1;
    // Each word with the index of its line, for reading order inside a cell.
    let mut cells: Vec<Vec<Vec<(usize, &Word)>>> = vec![vec![Vec::new(); ncols]; bands];
    for (line_index, line) in page.lines.iter().enumerate().filter(|(_, l)| !l.furniture) {
        for word in line.words.iter().filter(|w| inside(w)) {
            // A word belongs to the cell whose left border is the nearest vertical
            // border to its left at its height; that border's position is the column.
            let cy = (word.y0 + word.y1) / 2.0;
            let cell_left = vertical
                .iter()
                .filter(|e| e.at <= word.x0 + SNAP && e.from - SNAP <= cy && cy <= e.to + SNAP)
                .map(|e| e.at)
                .fold(page_left, f32::max);
            let column = columns[..ncols]
                .iter()
                .rposition(|&x| x <= cell_left + SNAP)
                .unwrap_or(0);
            let mut band = rows[..bands].iter().rposition(|&y| y <= cy).unwrap_or(0);
            // A cell without a border above continues the cell above (merged rows).
            while band > 0 && !bordered(&horizontal, rows[band], cell_left + 2.0 * SNAP) {
                band -= 1;
            }
            cells[band][column].push((line_index, word));
        }
    }

    let mut out = Vec::new();
    let mut table_emitted = false;
    for line in &page.lines {
        let in_table = !line.furniture && line.words.iter().any(inside);
        if !in_table {
            out.push(GridLine {
                text: line.text.clone(),
                furniture: line.furniture,
            });
            continue;
        }
        if table_emitted {
            continue;
        }
        // The whole table goes where its first line was read.
        table_emitted = true;
        for row in &cells {
            if row.iter().all(Vec::is_empty) {
                continue;
            }
            let texts: Vec<String> = row.iter().map(|words| cell_text(words)).collect();
            out.push(GridLine {
                text: texts.join("\t"),
                furniture: false,
            });
        }
        // Words of a table line that fall outside the grid (rare) are kept as a line.
        let outside: Vec<&str> = line
            .words
            .iter()
            .filter(|w| !inside(w))
            .map(|w| w.text.as_str())
            .collect();
        if !outside.is_empty() {
            out.push(GridLine {
                text: outside.join(" "),
                furniture: false,
            });
        }
    }
    out
}

/// Horizontal and vertical borders among the page's thin paths.
fn edges(rulings: &[Ruling]) -> (Vec<Edge>, Vec<Edge>) {
    let mut horizontal = Vec::new();
    let mut vertical = Vec::new();
    for r in rulings {
        let (w, h) = ((r.x1 - r.x0).abs(), (r.y1 - r.y0).abs());
        if h <= THIN && w > 4.0 * SNAP {
            horizontal.push(Edge {
                at: (r.y0 + r.y1) / 2.0,
                from: r.x0.min(r.x1),
                to: r.x0.max(r.x1),
            });
        } else if w <= THIN && h > 4.0 * SNAP {
            vertical.push(Edge {
                at: (r.x0 + r.x1) / 2.0,
                from: r.y0.min(r.y1),
                to: r.y0.max(r.y1),
            });
        }
    }
    (horizontal, vertical)
}

/// Sorted distinct positions, positions within SNAP of each other merged.
fn cluster(positions: impl Iterator<Item = f32>) -> Vec<f32> {
    let mut all: Vec<f32> = positions.filter(|p| p.is_finite()).collect();
    all.sort_by(|a, b| a.total_cmp(b));
    let mut out: Vec<f32> = Vec::new();
    for p in all {
        match out.last() {
            Some(&last) if p - last <= SNAP => {}
            _ => out.push(p),
        }
    }
    out
}

/// Whether a border at height `y` passes over `x`.
fn bordered(horizontal: &[Edge], y: f32, x: f32) -> bool {
    horizontal
        .iter()
        .any(|e| (e.at - y).abs() <= SNAP && e.from <= x && e.to >= x)
}

/// A cell's words in reading order: lines top to bottom, words left to right;
/// words of one line joined by a space, wrapped lines joined without one
/// (Chinese text and numbers wrap anywhere), except between two Latin letters.
fn cell_text(words: &[(usize, &Word)]) -> String {
    let mut ordered: Vec<(usize, f32, &Word)> =
        words.iter().map(|&(line, w)| (line, w.x0, w)).collect();
    ordered.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut text = String::new();
    let mut previous_line = None;
    for (line, _, word) in ordered {
        if let Some(p) = previous_line {
            let glue = if p == line {
                " "
            } else {
                // Numbers wrap mid-number (2753|5.69亩); only Latin words need a space.
                let before = text
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphabetic());
                let after = word
                    .text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic());
                if before && after { " " } else { "" }
            };
            text.push_str(glue);
        }
        text.push_str(&word.text);
        previous_line = Some(line);
    }
    text
}
