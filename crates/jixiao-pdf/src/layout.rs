//! Reading order: glyphs → de-duplicated glyphs → rows (shared baseline) → column blocks → lines of words.

use crate::collect::RawGlyph;
use crate::{Line, Ruling, Word};

/// Baselines closer than this fraction of the font size belong to one row.
const ROW_TOLERANCE_EM: f32 = 0.35;
/// Gap (in em) above which two glyphs are separate words when either side is CJK.
const WORD_GAP_EM: f32 = 0.25;
/// Gap (in em) between two Latin/digit glyphs that counts as a word space. Latin fonts'
/// space is 0.25–0.28 em, so a lower threshold than for CJK is needed.
const LATIN_WORD_GAP_EM: f32 = 0.15;
/// Gap (in em) above which words are table cells, joined with a TAB.
const CELL_GAP_EM: f32 = 1.5;
/// Fake bold: the same glyph re-drawn within this fraction of an em.
const DUP_EM: f32 = 0.15;

/// Build the lines of one page in reading order.
pub(crate) fn build_lines(mut glyphs: Vec<RawGlyph>, rulings: &[Ruling]) -> Vec<Line> {
    if glyphs.is_empty() {
        return Vec::new();
    }
    let upright = CellWalls::new(rulings);
    let none = CellWalls::default();
    // Normal horizontal text first, then each other direction (rotated stamps, vertical
    // table headers) as its own group, in its own rotated frame.
    glyphs.sort_by_key(|g| (g.angle != 0, g.angle, g.seq));
    let mut lines = Vec::new();
    let mut start = 0;
    while start < glyphs.len() {
        let angle = glyphs[start].angle;
        let end = start
            + glyphs[start..]
                .iter()
                .take_while(|g| g.angle == angle)
                .count();
        // Rulings are in page space, which is the text frame only for upright text.
        let walls = if angle == 0 { &upright } else { &none };
        lines.extend(layout_group(&glyphs[start..end], walls));
        start = end;
    }
    lines
}

/// Drop fake-bold / shadow duplicates: the same text drawn again at (almost) the same spot.
/// Runs on a row sorted by x, so candidates are the few kept glyphs just to the left.
fn dedupe_row(glyphs: Vec<&RawGlyph>) -> Vec<&RawGlyph> {
    let mut kept: Vec<&RawGlyph> = Vec::with_capacity(glyphs.len());
    'outer: for g in glyphs {
        if !g.is_space {
            let tol = (g.size * DUP_EM).max(0.3);
            for o in kept.iter().rev() {
                if g.x - o.x > tol {
                    break;
                }
                if o.text == g.text
                    && (o.y - g.y).abs() <= tol
                    && (o.size - g.size).abs() <= 0.2 * g.size
                {
                    continue 'outer;
                }
            }
        }
        kept.push(g);
    }
    kept
}

struct Row<'g> {
    y: f32,
    /// Glyphs sorted by x.
    glyphs: Vec<&'g RawGlyph>,
}

fn layout_group(glyphs: &[RawGlyph], walls: &CellWalls) -> Vec<Line> {
    let mut order: Vec<&RawGlyph> = glyphs.iter().collect();
    order.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Row<'_>> = Vec::new();
    let mut row_size = 0.0f32;
    for g in order {
        if let Some(row) = rows.last_mut()
            && (g.y - row.y).abs() <= ROW_TOLERANCE_EM * g.size.min(row_size)
        {
            row.glyphs.push(g);
            continue;
        }
        row_size = g.size;
        rows.push(Row {
            y: g.y,
            glyphs: vec![g],
        });
    }
    for row in &mut rows {
        row.glyphs
            .sort_by(|a, b| a.x.total_cmp(&b.x).then(a.seq.cmp(&b.seq)));
        row.glyphs = dedupe_row(std::mem::take(&mut row.glyphs));
    }

    let mut lines = Vec::new();
    match find_gutter(&rows) {
        Some(gutter) => {
            // Consecutive rows that do not cross the gutter form a two-column block: left
            // halves top-to-bottom, then right halves. Rows crossing it (titles) stay whole.
            let mut i = 0;
            while i < rows.len() {
                if crosses(&rows[i], gutter) {
                    lines.extend(make_line(&rows[i].glyphs, rows[i].y, walls));
                    i += 1;
                    continue;
                }
                let mut j = i;
                while j < rows.len() && !crosses(&rows[j], gutter) {
                    j += 1;
                }
                let block = &rows[i..j];
                if block.len() < 3 {
                    for r in block {
                        lines.extend(make_line(&r.glyphs, r.y, walls));
                    }
                } else {
                    for side in [true, false] {
                        for r in block {
                            let part: Vec<&RawGlyph> = r
                                .glyphs
                                .iter()
                                .copied()
                                .filter(|g| (g.x < gutter) == side)
                                .collect();
                            lines.extend(make_line(&part, r.y, walls));
                        }
                    }
                }
                i = j;
            }
        }
        None => {
            for r in &rows {
                lines.extend(make_line(&r.glyphs, r.y, walls));
            }
        }
    }
    lines
}

/// Text segments of a row: maximal runs without a gap larger than 1 em.
fn segments(row: &Row<'_>) -> Vec<(f32, f32)> {
    let mut out: Vec<(f32, f32)> = Vec::new();
    for g in row.glyphs.iter().filter(|g| !g.is_space) {
        let (x0, x1) = (g.x, g.x + g.w);
        match out.last_mut() {
            Some(s) if x0 - s.1 <= g.size => s.1 = s.1.max(x1),
            _ => out.push((x0, x1)),
        }
    }
    out
}

fn crosses(row: &Row<'_>, gutter: f32) -> bool {
    segments(row)
        .iter()
        .any(|&(a, b)| a < gutter - 1.0 && b > gutter + 1.0)
}

/// Find the x of a two-column gutter: a vertical strip near the middle of the text area that
/// almost no row crosses, with wide prose segments on both sides (tables have narrow cells,
/// and must keep their rows together, so they do not qualify).
fn find_gutter(rows: &[Row<'_>]) -> Option<f32> {
    if rows.len() < 6 {
        return None;
    }
    let segs: Vec<Vec<(f32, f32)>> = rows.iter().map(segments).collect();
    let left = segs.iter().flatten().map(|s| s.0).fold(f32::MAX, f32::min);
    let right = segs.iter().flatten().map(|s| s.1).fold(f32::MIN, f32::max);
    let width = right - left;
    if width < 200.0 {
        return None;
    }
    let mut best: Option<(usize, usize, f32)> = None; // (cross, both, x)
    let mut x = left + 0.3 * width;
    while x <= left + 0.7 * width {
        let mut cross = 0;
        let mut both = 0;
        for s in &segs {
            if s.iter().any(|&(a, b)| a < x - 1.0 && b > x + 1.0) {
                cross += 1;
            } else if s.iter().any(|&(_, b)| b <= x) && s.iter().any(|&(a, _)| a >= x) {
                both += 1;
            }
        }
        if best.is_none_or(|(c, bo, _)| cross < c || (cross == c && both > bo)) {
            best = Some((cross, both, x));
        }
        x += 2.0;
    }
    let (cross, both, x) = best?;
    let n = rows.len();
    if cross * 100 > n * 15 || both * 100 < n * 40 {
        return None;
    }
    // Prose test: the segments touching the gutter are wide on both sides.
    let (mut lw, mut rw, mut cnt) = (0.0f32, 0.0f32, 0usize);
    for s in &segs {
        let l = s.iter().rfind(|seg| seg.1 <= x);
        let r = s.iter().find(|seg| seg.0 >= x);
        if let (Some(l), Some(r)) = (l, r) {
            lw += l.1 - l.0;
            rw += r.1 - r.0;
            cnt += 1;
        }
    }
    if cnt == 0 {
        return None;
    }
    let (lw, rw) = (lw / cnt as f32, rw / cnt as f32);
    if lw >= 0.3 * width && rw >= 0.3 * width {
        Some(x)
    } else {
        None
    }
}

fn is_latin(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_graphic() || ('\u{00C0}'..='\u{024F}').contains(&c))
}

/// What separates glyph `g` from the glyph `p` before it on a row: a TAB
/// (a cell gap or a border between them), a space (a word gap, or a space glyph
/// skipped), or nothing (same word).
fn separator(p: &RawGlyph, g: &RawGlyph, pending_space: bool, walls: &CellWalls) -> Option<char> {
    let gap = g.x - (p.x + p.w);
    let em = (p.size + g.size) / 2.0;
    let latin = is_latin(p.text.chars().last()) && is_latin(g.text.chars().next());
    let thresh = if latin {
        LATIN_WORD_GAP_EM
    } else {
        WORD_GAP_EM
    };
    if gap > CELL_GAP_EM * em || walls.between(p.x + p.w, g.x, g.y) {
        Some('\t')
    } else if pending_space || gap > thresh * em {
        Some(' ')
    } else {
        None
    }
}

/// Turn one row (or one column's part of it) into a line of words.
fn make_line(glyphs: &[&RawGlyph], y: f32, walls: &CellWalls) -> Option<Line> {
    let mut words: Vec<Word> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    // Per word: the sum and count of its recognised glyphs' confidences.
    let mut confidences: Vec<(f32, u32)> = Vec::new();
    let mut prev: Option<&RawGlyph> = None;
    let mut pending_space = false;
    for &g in glyphs {
        if g.is_space {
            pending_space = prev.is_some();
            continue;
        }
        let top = g.y - 0.88 * g.size;
        let bottom = g.y + 0.12 * g.size;
        let sep = prev.and_then(|p| separator(p, g, pending_space, walls));
        match (sep, words.last_mut()) {
            (None, Some(w)) => {
                w.text.push_str(&g.text);
                w.x1 = w.x1.max(g.x + g.w);
                w.y0 = w.y0.min(top);
                w.y1 = w.y1.max(bottom);
                w.font_size = w.font_size.max(g.size);
                if let (Some(c), Some((sum, n))) = (g.confidence, confidences.last_mut()) {
                    *sum += c;
                    *n += 1;
                }
            }
            (sep, _) => {
                if let Some(s) = sep {
                    seps.push(s);
                }
                confidences.push((g.confidence.unwrap_or(0.0), 1));
                words.push(Word {
                    text: g.text.to_string(),
                    x0: g.x,
                    y0: top,
                    x1: g.x + g.w,
                    y1: bottom,
                    font_size: g.size,
                    confidence: g.confidence,
                });
            }
        }
        prev = Some(g);
        pending_space = false;
    }
    if words.is_empty() {
        return None;
    }
    // A recognised word's confidence is the mean of its glyphs'.
    for (w, (sum, n)) in words.iter_mut().zip(confidences) {
        if w.confidence.is_some() {
            w.confidence = Some(sum / n as f32);
        }
    }
    let mut text = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            text.push(seps[i - 1]);
        }
        text.push_str(&w.text);
    }
    Some(Line {
        text,
        words,
        baseline: y,
        furniture: false,
    })
}

/// Vertical rulings (table cell borders), sorted by x, so that two words on either side of
/// a border are separated by a TAB even when the gap is small (adjacent right-aligned
/// number columns).
#[derive(Default)]
struct CellWalls {
    /// (x, top, bottom), sorted by x.
    walls: Vec<(f32, f32, f32)>,
}

impl CellWalls {
    fn new(rulings: &[Ruling]) -> Self {
        let mut walls: Vec<(f32, f32, f32)> = rulings
            .iter()
            .filter(|r| r.y1 - r.y0 > r.x1 - r.x0)
            .map(|r| ((r.x0 + r.x1) / 2.0, r.y0, r.y1))
            .collect();
        walls.sort_by(|a, b| a.0.total_cmp(&b.0));
        Self { walls }
    }

    /// Is there a wall with x in [x0, x1] that spans the baseline y?
    fn between(&self, x0: f32, x1: f32, y: f32) -> bool {
        if self.walls.is_empty() || x1 < x0 - 1.0 {
            return false;
        }
        let start = self.walls.partition_point(|w| w.0 < x0 - 1.0);
        self.walls[start..]
            .iter()
            .take_while(|w| w.0 <= x1 + 1.0)
            .any(|w| w.1 <= y && y <= w.2 + 2.0)
    }
}
