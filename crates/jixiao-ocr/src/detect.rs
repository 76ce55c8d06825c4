//! Text detection: PP-OCRv4's DB model gives a probability map of text; its
//! post-processing (threshold, dilation, regions, box score, unclip) gives the
//! boxes of text lines. The page is deskewed before, so boxes are upright
//! rectangles: a region's bounding box stands for OpenCV's minimum-area
//! rectangle, and the unclip offset of a rectangle is the rectangle grown by
//! the same distance on every side.

use ort::session::Session;
use ort::value::Tensor;

use crate::OcrError;
use crate::image::Rgb;

/// Pixels above this probability are text (DB's `thresh`).
const THRESH: f32 = 0.3;
/// A region is kept when its mean probability reaches this (`box_thresh`).
const BOX_THRESH: f32 = 0.5;
/// How far a region is grown back to the text's extent (`unclip_ratio`).
const UNCLIP_RATIO: f32 = 1.6;
/// The longest side the detector sees (larger pages are scaled down).
const MAX_SIDE: usize = 2000;
/// Regions shorter than this (map pixels) are noise.
const MIN_SIZE: f32 = 3.0;
/// At most this many regions per page.
const MAX_CANDIDATES: usize = 3000;

/// A text line's box in the page's pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl TextBox {
    pub(crate) fn width(&self) -> f32 {
        self.x1 - self.x0
    }

    pub(crate) fn height(&self) -> f32 {
        self.y1 - self.y0
    }
}

/// The text boxes of a page.
pub(crate) fn detect(session: &mut Session, page: &Rgb) -> Result<Vec<TextBox>, OcrError> {
    let ratio = (MAX_SIDE as f32 / page.w.max(page.h) as f32).min(1.0);
    let round32 = |v: usize| (((v as f32 * ratio) / 32.0).round() as usize).max(1) * 32;
    let (w, h) = (round32(page.w), round32(page.h));
    let input = page.resize(w, h);
    let mut tensor = vec![0.0f32; 3 * w * h];
    input.write_planes(&mut tensor, w);
    let tensor = Tensor::from_array(([1usize, 3, h, w], tensor)).map_err(OcrError::model)?;
    let outputs = session.run(ort::inputs![tensor]).map_err(OcrError::model)?;
    let (shape, map) = outputs[0]
        .try_extract_tensor::<f32>()
        .map_err(OcrError::model)?;
    if shape.len() != 4 || shape[2] as usize != h || shape[3] as usize != w {
        return Err(OcrError::Model(format!("detector gave a map of {shape:?}")));
    }
    let (sx, sy) = (page.w as f32 / w as f32, page.h as f32 / h as f32);
    Ok(boxes(map, w, h)
        .into_iter()
        .map(|b| TextBox {
            x0: (b.x0 * sx).clamp(0.0, page.w as f32),
            y0: (b.y0 * sy).clamp(0.0, page.h as f32),
            x1: (b.x1 * sx).clamp(0.0, page.w as f32),
            y1: (b.y1 * sy).clamp(0.0, page.h as f32),
        })
        .filter(|b| b.width() > 3.0 && b.height() > 3.0)
        .collect())
}

/// DB post-processing of a `w × h` probability map: boxes in map pixels.
pub(crate) fn boxes(map: &[f32], w: usize, h: usize) -> Vec<TextBox> {
    let mask = dilate(&map.iter().map(|&p| p > THRESH).collect::<Vec<_>>(), w, h);
    let mut out = Vec::new();
    for region in regions(&mask, w, h).into_iter().take(MAX_CANDIDATES) {
        let (x0, y0, x1, y1) = region;
        let (bw, bh) = ((x1 - x0) as f32, (y1 - y0) as f32);
        if bw.min(bh) < MIN_SIZE || mean(map, w, region) < BOX_THRESH {
            continue;
        }
        // Unclip: the offset that gives back the text the shrunk region stands for.
        let (rw, rh) = (bw + 1.0, bh + 1.0);
        let d = rw * rh * UNCLIP_RATIO / (2.0 * (rw + rh));
        if (rw + 2.0 * d).min(rh + 2.0 * d) < MIN_SIZE + 2.0 {
            continue;
        }
        out.push(TextBox {
            x0: x0 as f32 - d,
            y0: y0 as f32 - d,
            x1: x1 as f32 + 1.0 + d,
            y1: y1 as f32 + 1.0 + d,
        });
    }
    out
}

/// DB's 2 × 2 dilation: a pixel is set when it or its left, upper or
/// upper-left neighbour is.
fn dilate(mask: &[bool], w: usize, h: usize) -> Vec<bool> {
    let mut out = mask.to_vec();
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            out[i] = mask[i]
                || (x > 0 && mask[i - 1])
                || (y > 0 && mask[i - w])
                || (x > 0 && y > 0 && mask[i - w - 1]);
        }
    }
    out
}

/// Bounding boxes (inclusive pixel bounds) of the 8-connected regions of `mask`.
fn regions(mask: &[bool], w: usize, h: usize) -> Vec<(usize, usize, usize, usize)> {
    let mut seen = vec![false; mask.len()];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut x0, mut y0, mut x1, mut y1) = (start % w, start / w, start % w, start / w);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            for ny in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                    let j = ny * w + nx;
                    if mask[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        out.push((x0, y0, x1, y1));
    }
    out
}

/// Mean probability inside a box (DB's fast box score).
fn mean(map: &[f32], w: usize, (x0, y0, x1, y1): (usize, usize, usize, usize)) -> f32 {
    let mut sum = 0.0f64;
    for y in y0..=y1 {
        sum += map[y * w + x0..=y * w + x1]
            .iter()
            .map(|&p| f64::from(p))
            .sum::<f64>();
    }
    (sum / ((x1 - x0 + 1) * (y1 - y0 + 1)) as f64) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confident_region_becomes_an_unclipped_box_and_faint_ones_are_dropped() {
        let (w, h) = (40, 20);
        let mut map = vec![0.0f32; w * h];
        // A text kernel 20 × 4 at (10, 8), and a faint blob.
        for y in 8..12 {
            for x in 10..30 {
                map[y * w + x] = 0.9;
            }
        }
        for y in 2..6 {
            for x in 2..7 {
                map[y * w + x] = 0.35;
            }
        }
        let found = boxes(&map, w, h);
        assert_eq!(found.len(), 1, "{found:?}");
        let b = found[0];
        // Dilation adds a pixel right and below; unclip grows every side by
        // 21 × 5 × 1.6 / 52 ≈ 3.2.
        assert!((b.x0 - (10.0 - 3.23)).abs() < 0.05, "{b:?}");
        assert!((b.y1 - (13.0 + 3.23)).abs() < 0.05, "{b:?}");
    }
}
