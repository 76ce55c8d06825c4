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

use crate::{Line, Page, Ruling, Word};

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
    /// Words read by OCR: their byte ranges in `text` and confidences.
    pub ocr: Vec<OcrWord>,
}

/// A word of a [`GridLine`] read by OCR.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OcrWord {
    /// Start of its byte range in the line's text.
    pub start: usize,
    /// End (exclusive) of that range.
    pub end: usize,
    /// The word's recognition confidence, 0–1.
    pub confidence: f32,
}

/// Text built from words, with the byte ranges of those read by OCR.
#[derive(Default)]
struct Built {
    text: String,
    ocr: Vec<OcrWord>,
}

impl Built {
    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn push_word(&mut self, word: &Word) {
        let start = self.text.len();
        self.text.push_str(&word.text);
        if let Some(confidence) = word.confidence {
            self.ocr.push(OcrWord {
                start,
                end: self.text.len(),
                confidence,
            });
        }
    }

    /// Another piece appended, its ranges moved along.
    fn append(&mut self, other: Built) {
        let at = self.text.len();
        self.text.push_str(&other.text);
        self.ocr.extend(other.ocr.into_iter().map(|w| OcrWord {
            start: w.start + at,
            end: w.end + at,
            ..w
        }));
    }

    fn line(self, furniture: bool) -> GridLine {
        GridLine {
            text: self.text,
            furniture,
            ocr: self.ocr,
        }
    }
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
    let Some(grid) = Grid::of(page, document_columns) else {
        return page.lines.iter().map(GridLine::of).collect();
    };
    let cells = grid.cells(page);
    let mut out = Vec::new();
    let mut table_emitted = false;
    for line in &page.lines {
        let in_table = !line.furniture && line.words.iter().any(|w| grid.contains(w));
        if !in_table {
            out.push(GridLine::of(line));
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
            let mut built = Built::default();
            for (i, words) in row.iter().enumerate() {
                if i > 0 {
                    built.push_str("\t");
                }
                built.append(cell_text(words));
            }
            out.push(built.line(false));
        }
        // Words of a table line that fall outside the grid (rare) are kept as a line.
        let mut outside = Built::default();
        for word in line.words.iter().filter(|w| !grid.contains(w)) {
            if !outside.text.is_empty() {
                outside.push_str(" ");
            }
            outside.push_word(word);
        }
        if !outside.text.is_empty() {
            out.push(outside.line(false));
        }
    }
    out
}

impl GridLine {
    /// A layout line as it is; its words are its text's pieces, one separator
    /// byte (space or tab) between each two.
    fn of(line: &Line) -> GridLine {
        let mut ocr = Vec::new();
        let mut start = 0;
        for word in &line.words {
            let end = start + word.text.len();
            if let Some(confidence) = word.confidence {
                ocr.push(OcrWord {
                    start,
                    end,
                    confidence,
                });
            }
            start = end + 1;
        }
        GridLine {
            text: line.text.clone(),
            furniture: line.furniture,
            ocr,
        }
    }
}

/// A page's table grid: the borders, and the row and column positions they give.
struct Grid {
    horizontal: Vec<Edge>,
    vertical: Vec<Edge>,
    /// Row bounds, top to bottom.
    rows: Vec<f32>,
    /// Column bounds (the document's), left to right, within the page's own borders.
    columns: Vec<f32>,
    /// The page's leftmost vertical border.
    page_left: f32,
}

/// A cell's words, each with the index of its line (for reading order inside the cell).
type CellWords<'p> = Vec<(usize, &'p Word)>;

impl Grid {
    /// The page's grid, when its borders bound at least two rows and two columns.
    fn of(page: &Page, document_columns: &[f32]) -> Option<Grid> {
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
            return None;
        }
        let (page_left, page_right) = (own_columns[0], own_columns[own_columns.len() - 1]);
        let columns: Vec<f32> = document_columns
            .iter()
            .copied()
            .filter(|&x| x >= page_left - SNAP && x <= page_right + SNAP)
            .collect();
        Some(Grid {
            horizontal,
            vertical,
            rows,
            columns,
            page_left,
        })
    }

    /// Whether the word's centre lies inside the table.
    fn contains(&self, w: &Word) -> bool {
        let (top, bottom) = (self.rows[0], self.rows[self.rows.len() - 1]);
        let (left, right) = (self.columns[0], self.columns[self.columns.len() - 1]);
        let (cx, cy) = ((w.x0 + w.x1) / 2.0, (w.y0 + w.y1) / 2.0);
        cx > left && cx < right && cy > top && cy < bottom
    }

    /// Words of the table by (row band, column), in reading order.
    fn cells<'p>(&self, page: &'p Page) -> Vec<Vec<CellWords<'p>>> {
        let bands = self.rows.len() - 1;
        let ncols = self.columns.len() - 1;
        let mut cells: Vec<Vec<CellWords<'p>>> = vec![vec![Vec::new(); ncols]; bands];
        for (line_index, line) in page.lines.iter().enumerate().filter(|(_, l)| !l.furniture) {
            for word in line.words.iter().filter(|w| self.contains(w)) {
                let (band, column) = self.cell_of(word);
                cells[band][column].push((line_index, word));
            }
        }
        cells
    }

    /// The (row band, column) of a word inside the table.
    fn cell_of(&self, word: &Word) -> (usize, usize) {
        let bands = self.rows.len() - 1;
        let ncols = self.columns.len() - 1;
        // A word belongs to the cell whose left border is the nearest vertical
        // border to its left at its height; that border's position is the column.
        let cy = (word.y0 + word.y1) / 2.0;
        let cell_left = self
            .vertical
            .iter()
            .filter(|e| e.at <= word.x0 + SNAP && e.from - SNAP <= cy && cy <= e.to + SNAP)
            .map(|e| e.at)
            .fold(self.page_left, f32::max);
        let column = self.columns[..ncols]
            .iter()
            .rposition(|&x| x <= cell_left + SNAP)
            .unwrap_or(0);
        let mut band = self.rows[..bands]
            .iter()
            .rposition(|&y| y <= cy)
            .unwrap_or(0);
        // A cell without a border above continues the cell above (merged rows).
        while band > 0 && !bordered(&self.horizontal, self.rows[band], cell_left + 2.0 * SNAP) {
            band -= 1;
        }
        (band, column)
    }
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
fn cell_text(words: &[(usize, &Word)]) -> Built {
    let mut ordered: Vec<(usize, f32, &Word)> =
        words.iter().map(|&(line, w)| (line, w.x0, w)).collect();
    ordered.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut built = Built::default();
    let mut previous_line = None;
    for (line, _, word) in ordered {
        if let Some(p) = previous_line {
            let glue = if p == line {
                " "
            } else {
                // Numbers wrap mid-number (2753|5.69亩); only Latin words need a space.
                let before = built
                    .text
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
            built.push_str(glue);
        }
        built.push_word(word);
        previous_line = Some(line);
    }
    built
}
