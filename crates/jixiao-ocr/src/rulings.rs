//! Table borders of a (levelled) page picture: long horizontal and vertical
//! runs of ink, joined across the small breaks that scanning and JPEG leave,
//! grouped over their thickness, and with their ends snapped to the borders
//! they meet, so the border grid sees the clean lines a text layer draws.

use jixiao_pdf::Ruling;

use crate::detect::TextBox;
use crate::image::Rgb;

/// A run of ink may break for this many pixels and still be one line.
const MAX_BREAK: usize = 3;
/// Lines thicker than this (pixels) are filled areas, not borders.
const MAX_THICKNESS: usize = 8;
/// Collinear pieces this close (pixels across, pixels of gap along) are one border.
const SAME_LINE: f32 = 3.0;
const JOIN_GAP: f32 = 12.0;
/// Ends this close to a crossing border are moved onto it.
const SNAP: f32 = 5.0;

/// One border: `at` across it, `from..to` along it (pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Line {
    at: f32,
    from: f32,
    to: f32,
}

/// The borders of a `w × h` ink mask, as thin rulings in its pixels. A run is
/// a border when it is at least `min_len` long and is not a stroke of text (it
/// does not lie inside a text box).
pub(crate) fn find(
    ink: &[bool],
    w: usize,
    h: usize,
    min_len: usize,
    text: &[TextBox],
) -> Vec<Ruling> {
    let get_h = |along: usize, across: usize| ink[across * w + along];
    let get_v = |along: usize, across: usize| ink[along * w + across];
    let inside = |x0: f32, y0: f32, x1: f32, y1: f32| {
        text.iter()
            .any(|b| x0 >= b.x0 - 1.0 && x1 <= b.x1 + 1.0 && y0 >= b.y0 - 1.0 && y1 <= b.y1 + 1.0)
    };
    let mut horizontal = lines(&get_h, w, h, min_len);
    horizontal.retain(|l| !inside(l.from, l.at, l.to, l.at));
    let mut vertical = lines(&get_v, h, w, min_len);
    vertical.retain(|l| !inside(l.at, l.from, l.at, l.to));
    snap_ends(&mut horizontal, &vertical);
    snap_ends(&mut vertical, &horizontal);
    let thin = |at: f32| (at - 0.5, at + 0.5);
    let mut out: Vec<Ruling> = horizontal
        .iter()
        .map(|l| {
            let (y0, y1) = thin(l.at);
            Ruling {
                x0: l.from,
                y0,
                x1: l.to,
                y1,
            }
        })
        .collect();
    out.extend(vertical.iter().map(|l| {
        let (x0, x1) = thin(l.at);
        Ruling {
            x0,
            y0: l.from,
            x1,
            y1: l.to,
        }
    }));
    out
}

/// Half the band (pixels) around a border whose ink is erased before reading.
const ERASE: f32 = 3.0;

/// Ink of the borders painted white, so that a border next to a word is not
/// read as part of it.
pub(crate) fn erase(page: &mut Rgb, ink: &[bool], rulings: &[Ruling]) {
    let w = page.w;
    for r in rulings {
        let (cx, cy) = ((r.x0 + r.x1) / 2.0, (r.y0 + r.y1) / 2.0);
        let (x0, x1, y0, y1) = if r.x1 - r.x0 >= r.y1 - r.y0 {
            (r.x0, r.x1, cy - ERASE, cy + ERASE)
        } else {
            (cx - ERASE, cx + ERASE, r.y0, r.y1)
        };
        let clamp = |v: f32, max: usize| (v.round().max(0.0) as usize).min(max);
        for y in clamp(y0, page.h)..clamp(y1 + 1.0, page.h) {
            for x in clamp(x0, w)..clamp(x1 + 1.0, w) {
                if ink[y * w + x] {
                    page.data[(y * w + x) * 3..(y * w + x) * 3 + 3].fill(255);
                }
            }
        }
    }
}

/// The lines along one direction: `get(along, across)` reads the mask with
/// `len` pixels along and `breadth` across.
fn lines(
    get: &dyn Fn(usize, usize) -> bool,
    len: usize,
    breadth: usize,
    min_len: usize,
) -> Vec<Line> {
    // Runs of each row: (row, start, end), breaks of MAX_BREAK bridged.
    let mut groups: Vec<(usize, usize, f32, f32, f32)> = Vec::new(); // first row, last row, from, to, sum of rows
    let mut open: Vec<usize> = Vec::new();
    for across in 0..breadth {
        let mut next_open = Vec::new();
        for (from, to) in runs(|along| get(along, across), len, min_len) {
            let (from, to) = (from as f32, to as f32);
            // Continue a group that ended on the row before and overlaps this run.
            let hit = open.iter().copied().find(|&g| {
                let (_, last, f, t, _) = groups[g];
                last + 1 == across && from < t && to > f
            });
            let g = match hit {
                Some(g) => {
                    let e = &mut groups[g];
                    *e = (e.0, across, e.2.min(from), e.3.max(to), e.4 + across as f32);
                    g
                }
                None => {
                    groups.push((across, across, from, to, across as f32));
                    groups.len() - 1
                }
            };
            next_open.push(g);
        }
        open = next_open;
    }
    let mut lines: Vec<Line> = groups
        .into_iter()
        .filter(|g| g.1 - g.0 < MAX_THICKNESS)
        .map(|(first, last, from, to, sum)| Line {
            at: sum / (last - first + 1) as f32 + 0.5,
            from,
            to,
        })
        .collect();
    join_collinear(&mut lines);
    lines
}

/// Runs of `len` pixels where `ink(i)` holds, breaks of up to MAX_BREAK
/// bridged, at least `min_len` long: (start, end) with `end` exclusive.
fn runs(ink: impl Fn(usize) -> bool, len: usize, min_len: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_ink = 0;
    for i in 0..len {
        if !ink(i) {
            if let Some(s) = start
                && i - last_ink > MAX_BREAK
            {
                if last_ink + 1 - s >= min_len {
                    out.push((s, last_ink + 1));
                }
                start = None;
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        last_ink = i;
    }
    if let Some(s) = start
        && last_ink + 1 - s >= min_len
    {
        out.push((s, last_ink + 1));
    }
    out
}

/// Pieces of one border (same position, small gap between them) become one.
fn join_collinear(lines: &mut Vec<Line>) {
    lines.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    for l in lines.drain(..) {
        let near = out.iter_mut().rev().take(8).find(|o| {
            (o.at - l.at).abs() <= SAME_LINE
                && l.from <= o.to + JOIN_GAP
                && l.to >= o.from - JOIN_GAP
        });
        match near {
            Some(o) => {
                let (la, oa) = (l.to - l.from, o.to - o.from);
                o.at = (o.at * oa + l.at * la) / (oa + la).max(1.0);
                o.from = o.from.min(l.from);
                o.to = o.to.max(l.to);
            }
            None => out.push(l),
        }
    }
    *lines = out;
}

/// Ends of `lines` that stop just short of (or just past) a crossing line are
/// put on it: a table's row and column bounds then agree exactly.
fn snap_ends(lines: &mut [Line], crossing: &[Line]) {
    for l in lines.iter_mut() {
        let spans = |c: &Line| c.from - SNAP <= l.at && l.at <= c.to + SNAP;
        if let Some(c) = crossing
            .iter()
            .find(|c| spans(c) && (c.at - l.from).abs() <= SNAP)
        {
            l.from = c.at;
        }
        if let Some(c) = crossing
            .iter()
            .find(|c| spans(c) && (c.at - l.to).abs() <= SNAP)
        {
            l.to = c.at;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_with_a_broken_side_gives_four_clean_borders() {
        let (w, h) = (120, 80);
        let mut ink = vec![false; w * h];
        // Rectangle (10,10)–(110,70), borders 2 px thick; the top border breaks
        // for 2 px and the left one for 8 px (two pieces); a short text stroke.
        for x in 10..=110 {
            for y in [10, 11, 69, 70] {
                ink[y * w + x] = !(y == 10 && (50..52).contains(&x));
            }
        }
        for y in 10..=70 {
            for x in [10, 11, 109, 110] {
                ink[y * w + x] = !(x < 12 && (40..48).contains(&y));
            }
        }
        for x in 40..55 {
            ink[40 * w + x] = true;
        }
        let rulings = find(&ink, w, h, 20, &[]);
        assert_eq!(rulings.len(), 4, "{rulings:?}");
        let top = rulings
            .iter()
            .find(|r| r.y0 < 20.0 && r.x1 - r.x0 > 50.0)
            .unwrap();
        assert!(
            (top.y0 + 0.5 - 11.0).abs() < 0.6 && top.x0 <= 11.0 && top.x1 >= 110.0,
            "{top:?}"
        );
        let left = rulings
            .iter()
            .find(|r| r.x0 < 20.0 && r.y1 - r.y0 > 30.0)
            .unwrap();
        // The left border's pieces are joined and its ends put on the top and
        // bottom borders.
        assert!((left.y0 - top.y0 - 0.5).abs() < 0.6, "{left:?}");
    }
}
