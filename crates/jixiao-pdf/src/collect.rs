//! Per-page sink of the interpreter: positioned glyphs (with Unicode), rulings, image counts.

use std::rc::Rc;

use kurbo::{Affine, PathEl, Point, Rect};

use crate::Ruling;
use crate::fonts::FallbackCache;

/// A glyph in page space (top-down points), rotated into its own text direction frame.
#[derive(Debug, Clone)]
pub(crate) struct RawGlyph {
    /// NFKC-normalised text ("\u{FFFD}" when unmapped).
    pub text: Rc<str>,
    /// Origin x in the text-direction frame.
    pub x: f32,
    /// Baseline y in the text-direction frame.
    pub y: f32,
    /// Advance width in points.
    pub w: f32,
    /// Font size in points (length of the glyph's em vector).
    pub size: f32,
    /// Text direction in whole degrees (0 = normal left-to-right).
    pub angle: i32,
    /// Whitespace-only glyph: breaks words, never printed.
    pub is_space: bool,
    /// Drawing order, to keep order stable in ties.
    pub seq: u32,
    /// Recognised by OCR: the model's probability (a text layer's glyphs have none).
    pub confidence: Option<f32>,
}

pub(crate) struct Collector {
    /// Document-wide Unicode fallbacks, lent to each page's collector.
    pub fonts: FallbackCache,
    /// Page size (after rotation); glyphs drawn outside it are not visible and are dropped,
    /// as pdftotext does (WPS sheets print whole worksheets and clip to the page).
    page: (f64, f64),
    pub glyphs: Vec<RawGlyph>,
    pub rulings: Vec<Ruling>,
    pub images: usize,
    /// Pixels per point of the densest image drawn (a scan's resolution).
    pub image_density: Option<f32>,
    pub replacements: usize,
    replacement: Rc<str>,
}

/// Cap on rulings per page: a vector drawing with millions of strokes should not cost memory.
const MAX_RULINGS: usize = 20_000;
/// Longest side that still counts as "thin" for a filled rectangle to be a ruling.
const RULE_THIN: f64 = 3.0;
/// Shortest length that counts as a ruling rather than a dot.
const RULE_MIN_LEN: f64 = 3.0;

impl Collector {
    pub(crate) fn new(fonts: FallbackCache, page: (f32, f32)) -> Self {
        Self {
            fonts,
            page: (f64::from(page.0), f64::from(page.1)),
            glyphs: Vec::new(),
            rulings: Vec::new(),
            images: 0,
            image_density: None,
            replacements: 0,
            replacement: Rc::from("\u{FFFD}"),
        }
    }

    /// An image drawn, with its pixels per point when known.
    pub(crate) fn image(&mut self, density: Option<f32>) {
        self.images += 1;
        if let Some(d) = density.filter(|d| d.is_finite() && *d > 0.0) {
            self.image_density = Some(self.image_density.map_or(d, |o| o.max(d)));
        }
    }

    /// Glyphs of a font that could not be loaded at all.
    pub(crate) fn lost(&mut self, n: usize) {
        self.replacements += n;
    }

    /// One glyph. `t` maps glyph space (1000 units per em) to page space (y down);
    /// `advance` is in the same 1000-unit space, along the writing direction. Vertical
    /// writing is laid out in a frame turned by 90°, so its columns become rows (read right
    /// to left, as Chinese vertical text is).
    pub(crate) fn glyph(&mut self, text: Option<Rc<str>>, t: Affine, advance: f32, vertical: bool) {
        let origin = t * Point::ZERO;
        let c = t.as_coeffs();
        // Columns of the matrix: the glyph's x axis (text direction) and y axis (em height).
        let (rx, ry) = (c[0], c[1]);
        let size = c[2].hypot(c[3]) * 1000.0;
        if !size.is_finite() || size < 0.1 {
            return;
        }
        let margin = 0.25 * size;
        if origin.x < -margin
            || origin.y < -margin
            || origin.x > self.page.0 + margin
            || origin.y > self.page.1 + margin
        {
            return;
        }
        let text = match text {
            Some(t) => t,
            None => {
                self.replacements += 1;
                self.replacement.clone()
            }
        };
        let mut angle_rad = ry.atan2(rx);
        if vertical {
            angle_rad += std::f64::consts::FRAC_PI_2;
        }
        let mut angle = angle_rad.to_degrees().round() as i32;
        if angle.abs() <= 2 {
            angle = 0;
        }
        let (x, y) = if angle == 0 {
            (origin.x, origin.y)
        } else {
            let (s, c) = angle_rad.sin_cos();
            (origin.x * c + origin.y * s, -origin.x * s + origin.y * c)
        };
        let w = f64::from(advance).max(0.0) / 1000.0 * size;
        let is_space = text.chars().all(char::is_whitespace);
        let seq = self.glyphs.len() as u32;
        self.glyphs.push(RawGlyph {
            text,
            x: x as f32,
            y: y as f32,
            w: w as f32,
            size: size as f32,
            angle,
            is_space,
            seq,
            confidence: None,
        });
    }

    fn push_ruling(&mut self, a: Point, b: Point, thickness: f64) {
        if self.rulings.len() >= MAX_RULINGS {
            return;
        }
        let half = thickness.max(0.0) / 2.0;
        let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
        let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
        let (x0, x1, y0, y1) = if (y1 - y0) < (x1 - x0) {
            (x0, x1, y0 - half, y1 + half)
        } else {
            (x0 - half, x1 + half, y0, y1)
        };
        self.rulings.push(Ruling {
            x0: x0 as f32,
            y0: y0 as f32,
            x1: x1 as f32,
            y1: y1 as f32,
        });
    }

    fn segment(&mut self, a: Point, b: Point, lw: f64) {
        let (dx, dy) = ((b.x - a.x).abs(), (b.y - a.y).abs());
        if (dx < 0.5 || dy < 0.5) && dx.max(dy) >= RULE_MIN_LEN {
            self.push_ruling(a, b, lw);
        }
    }

    /// Stroked path: each axis-aligned straight segment is a ruling.
    pub(crate) fn stroke_path(&mut self, path: &[PathEl], t: Affine, line_width: f32) {
        if self.rulings.len() >= MAX_RULINGS {
            return;
        }
        let c = t.as_coeffs();
        let lw = f64::from(line_width) * (c[0].abs() + c[3].abs()).max(0.1) / 2.0;
        let mut start = Point::ZERO;
        let mut last = Point::ZERO;
        for el in path {
            match *el {
                PathEl::MoveTo(p) => {
                    start = t * p;
                    last = start;
                }
                PathEl::LineTo(p) => {
                    let p = t * p;
                    self.segment(last, p, lw);
                    last = p;
                }
                PathEl::ClosePath => {
                    self.segment(last, start, lw);
                    last = start;
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => last = t * p,
            }
        }
    }

    /// Filled path: thin rectangles (each subpath's bounding box) are rulings.
    pub(crate) fn fill_path(&mut self, path: &[PathEl], t: Affine) {
        if self.rulings.len() >= MAX_RULINGS {
            return;
        }
        let mut bbox: Option<Rect> = None;
        let mut curved = false;
        for el in path {
            match *el {
                PathEl::MoveTo(p) => {
                    self.flush_fill(bbox.take(), curved);
                    curved = false;
                    let p = t * p;
                    bbox = Some(Rect::from_points(p, p));
                }
                PathEl::LineTo(p) => {
                    let p = t * p;
                    bbox = Some(bbox.map_or(Rect::from_points(p, p), |r| r.union_pt(p)));
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => {
                    curved = true;
                    let p = t * p;
                    bbox = Some(bbox.map_or(Rect::from_points(p, p), |r| r.union_pt(p)));
                }
                PathEl::ClosePath => {}
            }
        }
        self.flush_fill(bbox, curved);
    }

    fn flush_fill(&mut self, bbox: Option<Rect>, curved: bool) {
        let Some(r) = bbox else { return };
        let (w, h) = (r.width(), r.height());
        if curved || w.min(h) > RULE_THIN || w.max(h) < RULE_MIN_LEN {
            return;
        }
        if w >= h {
            let y = (r.y0 + r.y1) / 2.0;
            self.push_ruling(Point::new(r.x0, y), Point::new(r.x1, y), h);
        } else {
            let x = (r.x0 + r.x1) / 2.0;
            self.push_ruling(Point::new(x, r.y0), Point::new(x, r.y1), w);
        }
    }
}
