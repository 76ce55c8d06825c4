//! The hayro `Device` that records positioned glyphs (with Unicode), rulings and image counts for one page.

use std::time::Instant;

use hayro_interpret::font::{Glyph, GlyphRun};
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect};
use hayro_interpret::{
    BlendMode, ClipPath, Device, DrawMode, DrawProps, Image, ImageDrawProps, SoftMask,
};

use super::Ruling;
use super::fonts::FallbackCache;
use super::normalize;

/// A glyph in page space (top-down points), rotated into its own text direction frame.
#[derive(Debug, Clone)]
pub(crate) struct RawGlyph {
    /// NFKC-normalised text ("\u{FFFD}" when unmapped).
    pub text: String,
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
}

pub(crate) struct Collected {
    pub glyphs: Vec<RawGlyph>,
    pub rulings: Vec<Ruling>,
    pub images: usize,
    pub replacements: usize,
    pub timed_out: bool,
}

pub(crate) struct Collector<'f> {
    fonts: &'f mut FallbackCache,
    /// Page size (after rotation); glyphs drawn outside it are not visible and are dropped,
    /// as pdftotext does (WPS sheets print whole worksheets and clip to the page).
    page: (f64, f64),
    deadline: Option<Instant>,
    out: Collected,
    ops: u32,
}

/// Cap on rulings per page: a vector drawing with millions of strokes should not cost memory.
const MAX_RULINGS: usize = 20_000;
/// How many callbacks between two clock reads.
const DEADLINE_STRIDE: u32 = 256;

impl<'f> Collector<'f> {
    pub(crate) fn new(
        fonts: &'f mut FallbackCache,
        page: (f32, f32),
        deadline: Option<Instant>,
    ) -> Self {
        Self {
            fonts,
            page: (f64::from(page.0), f64::from(page.1)),
            deadline,
            out: Collected {
                glyphs: Vec::new(),
                rulings: Vec::new(),
                images: 0,
                replacements: 0,
                timed_out: false,
            },
            ops: 0,
        }
    }

    pub(crate) fn finish(self) -> Collected {
        self.out
    }

    /// True when work should stop: hayro cannot be interrupted mid-page, so after the
    /// deadline we just make every callback a no-op and report Timeout after the page.
    fn stopped(&mut self) -> bool {
        if self.out.timed_out {
            return true;
        }
        self.ops += 1;
        if self.ops.is_multiple_of(DEADLINE_STRIDE)
            && let Some(d) = self.deadline
            && Instant::now() >= d
        {
            self.out.timed_out = true;
        }
        self.out.timed_out
    }

    fn push_ruling(&mut self, a: Point, b: Point, thickness: f64) {
        if self.out.rulings.len() >= MAX_RULINGS {
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
        self.out.rulings.push(Ruling {
            x0: x0 as f32,
            y0: y0 as f32,
            x1: x1 as f32,
            y1: y1 as f32,
        });
    }
}

/// Longest side that still counts as "thin" for a filled rectangle to be a ruling.
const RULE_THIN: f64 = 3.0;
/// Shortest length that counts as a ruling rather than a dot.
const RULE_MIN_LEN: f64 = 3.0;

impl<'a> Device<'a> for Collector<'_> {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, draw_mode: &DrawMode) {
        if self.stopped() || self.out.rulings.len() >= MAX_RULINGS {
            return;
        }
        let t = props.transform;
        match draw_mode {
            DrawMode::Stroke(sp) | DrawMode::FillAndStroke(_, sp) => {
                // Stroked: each axis-aligned straight segment is a ruling.
                let scale = t.as_coeffs();
                let lw =
                    f64::from(sp.line_width) * (scale[0].abs() + scale[3].abs()).max(0.1) / 2.0;
                let mut start = Point::ZERO;
                let mut last = Point::ZERO;
                for el in path.elements() {
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
            DrawMode::Fill(_) => {
                // Filled: thin rectangles (each subpath's bounding box) are rulings.
                let mut bbox: Option<Rect> = None;
                let mut curved = false;
                let flush = |s: &mut Self, bbox: &mut Option<Rect>, curved: bool| {
                    if let Some(r) = bbox.take() {
                        let (w, h) = (r.width(), r.height());
                        if !curved && w.min(h) <= RULE_THIN && w.max(h) >= RULE_MIN_LEN {
                            if w >= h {
                                let y = (r.y0 + r.y1) / 2.0;
                                s.push_ruling(Point::new(r.x0, y), Point::new(r.x1, y), h);
                            } else {
                                let x = (r.x0 + r.x1) / 2.0;
                                s.push_ruling(Point::new(x, r.y0), Point::new(x, r.y1), w);
                            }
                        }
                    }
                };
                for el in path.elements() {
                    match *el {
                        PathEl::MoveTo(p) => {
                            flush(self, &mut bbox, curved);
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
                flush(self, &mut bbox, curved);
            }
            DrawMode::Invisible => {}
        }
    }

    fn push_clip_path(&mut self, _: &ClipPath) {}

    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, _: &DrawMode) {
        if self.stopped() {
            return;
        }
        for pg in run.glyphs() {
            let t: Affine = props.transform * pg.transform();
            let origin = t * Point::ZERO;
            // Glyph space is scaled to 1000 units per em by hayro.
            let up = t * Point::new(0.0, 1000.0) - origin;
            let right = t * Point::new(1000.0, 0.0) - origin;
            let size = up.hypot();
            if !size.is_finite() || size < 0.1 {
                continue;
            }
            let margin = 0.25 * size;
            if origin.x < -margin
                || origin.y < -margin
                || origin.x > self.page.0 + margin
                || origin.y > self.page.1 + margin
            {
                continue;
            }
            let (advance, unicode) = match &**pg {
                Glyph::Outline(g) => (g.advance_width(), g.as_unicode()),
                Glyph::Type3(g) => (g.advance_width(), g.as_unicode()),
            };
            let mut text = match unicode {
                Some(bf) => normalize::normalize_bf(&bf),
                None => None,
            };
            if text.is_none() {
                text = self.fonts.fallback(pg);
            }
            let text = match text {
                Some(t) => t,
                None => "\u{FFFD}".to_string(),
            };
            if text.is_empty() {
                continue;
            }
            self.out.replacements += text.chars().filter(|&c| c == '\u{FFFD}').count();
            // Text direction: the glyph's x axis in page space (y down).
            let angle_rad = right.y.atan2(right.x);
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
            let w = f64::from(advance.unwrap_or(500.0)).max(0.0) / 1000.0 * size;
            let is_space = text.chars().all(char::is_whitespace);
            let seq = self.out.glyphs.len() as u32;
            self.out.glyphs.push(RawGlyph {
                text,
                x: x as f32,
                y: y as f32,
                w: w as f32,
                size: size as f32,
                angle,
                is_space,
                seq,
            });
        }
    }

    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {
        self.out.images += 1;
    }

    fn pop_clip(&mut self) {}

    fn pop_transparency_group(&mut self) {}
}

impl Collector<'_> {
    fn segment(&mut self, a: Point, b: Point, lw: f64) {
        let (dx, dy) = ((b.x - a.x).abs(), (b.y - a.y).abs());
        if (dx < 0.5 || dy < 0.5) && dx.max(dy) >= RULE_MIN_LEN {
            self.push_ruling(a, b, lw);
        }
    }
}
