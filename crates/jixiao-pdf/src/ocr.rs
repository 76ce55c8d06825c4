//! The OCR stage's contract: which pages are read from their pixels, the
//! picture of a page handed to a [`Recognizer`], and what it gives back (glyphs
//! and rulings in the picture's pixels), turned here into the same [`Page`] the
//! text layer gives, so the border grid, furniture and everything after them
//! work unchanged.
//!
//! The recognizer itself (a neural model) lives outside this crate: the PDF
//! reader only rasterises pages and lays out what it is told.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use crate::collect::RawGlyph;
use crate::document::{self, PageTally};
use crate::{Limits, Line, Page, PdfError, PdfText, Ruling, layout, raster};

/// A text layer with more glyphs than this share without a Unicode mapping is
/// unusable: the page is read from its pixels instead.
const UNUSABLE_SHARE: f32 = 0.5;

/// When pages are read by OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OcrMode {
    /// Never: a document of scans is [`crate::PdfError::NoTextLayer`].
    Off,
    /// Pages without a text layer (scans), and pages whose text layer is unusable
    /// (most glyphs without a Unicode mapping).
    #[default]
    Auto,
    /// Every page, whatever its text layer says.
    Force,
}

/// A rendered page: 8-bit RGB, rows top to bottom.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height × 3` bytes.
    pub rgb: Vec<u8>,
}

/// One recognised character (or a run read as one, such as vertical text), in
/// the pixels of the picture it was read from, top-down.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrGlyph {
    /// The character(s); a space separates words.
    pub text: String,
    /// Left edge.
    pub x0: f32,
    /// Top of the text line.
    pub y0: f32,
    /// Right edge.
    pub x1: f32,
    /// Bottom of the text line.
    pub y1: f32,
    /// The model's probability for this character, 0–1.
    pub confidence: f32,
}

/// What a recognizer read on one page.
#[derive(Debug, Clone, Default)]
pub struct Recognized {
    /// Glyphs, in any order.
    pub glyphs: Vec<OcrGlyph>,
    /// Table borders found in the picture, in its pixels.
    pub rulings: Vec<Ruling>,
}

/// Reads the text of a page's picture.
pub trait Recognizer: Sync {
    /// Glyphs and rulings of `image`, or why it could not be read. Work stops
    /// with an error once `deadline` has passed.
    fn recognize(&self, image: &PageImage, deadline: Option<Instant>)
    -> Result<Recognized, String>;
}

/// Gives the recognizer, or why there is none (shown in the error or warning
/// of a page that needed it). Asked only when a page needs OCR, so a caller
/// can load its models lazily: text PDFs never need them.
pub type RecognizerSource<'r> = dyn Fn() -> Result<&'r dyn Recognizer, String> + Sync + 'r;

/// The OCR settings of one extraction.
#[derive(Clone, Copy)]
pub struct Ocr<'r> {
    /// Which pages to read from their pixels.
    pub mode: OcrMode,
    /// Where the recognizer comes from.
    pub recognizer: &'r RecognizerSource<'r>,
}

/// The recognizer of [`Ocr::OFF`]: never asked.
fn switched_off() -> Result<&'static dyn Recognizer, String> {
    Err("OCR is switched off".into())
}

impl Ocr<'_> {
    /// No OCR at all: [`crate::extract`]'s behaviour.
    pub const OFF: Ocr<'static> = Ocr {
        mode: OcrMode::Off,
        recognizer: &switched_off,
    };
}

/// The pages (0-based) `mode` has read by OCR.
pub(crate) fn pages_to_read(mode: OcrMode, pages: &[PageTally]) -> Vec<usize> {
    let wanted = |p: &PageTally| match mode {
        OcrMode::Off => false,
        OcrMode::Force => true,
        OcrMode::Auto => {
            (p.glyphs == 0 && p.images > 0)
                || (p.glyphs > 0 && p.unmapped as f32 > UNUSABLE_SHARE * p.glyphs as f32)
        }
    };
    (0..pages.len()).filter(|&i| wanted(&pages[i])).collect()
}

/// Reads the `wanted` pages from their pixels, in place of what their text
/// layer gave. The document is opened again with its font programs (a page
/// with an unusable text layer is drawn with them). Each page has its own
/// time budget ([`Limits::page_budget`]); a page that fails (its time out, its
/// picture unreadable, the recogniser failing) keeps its text layer and gets a
/// warning, and the other pages are read.
pub(crate) fn read_pages(
    bytes: &[u8],
    wanted: &[usize],
    tallies: &[PageTally],
    limits: &Limits,
    recognizer: &dyn Recognizer,
    out: &mut PdfText,
) -> Result<(), PdfError> {
    let opened = document::open(bytes, false)?;
    let mut ignored = Vec::new();
    let pages = document::readable_pages(&opened.pdf, opened.repaired, &mut ignored)?;
    for &index in wanted {
        let (Some(page), Some(tally)) = (pages.get(index), tallies.get(index)) else {
            continue;
        };
        let number = index as u32 + 1;
        let deadline = limits.page_budget.map(|b| Instant::now() + b);
        let size = page.render_dimensions();
        let result = catch_unwind(AssertUnwindSafe(|| {
            let drawn = raster::render(page, raster::scale_for(size, tally.image_density));
            let read = recognizer.recognize(&drawn.image, deadline);
            (drawn.scale, drawn.broken_images, read)
        }));
        let (scale, broken, read) = match result {
            Ok(done) => done,
            Err(p) => {
                let why = crate::panic_message(&p);
                out.warnings
                    .push(format!("page {number}: OCR failed ({why}); page not read"));
                continue;
            }
        };
        if broken > 0 {
            out.warnings.push(format!(
                "page {number}: {broken} image(s) could not be decoded"
            ));
        }
        match read {
            Ok(read) => {
                let page = page_of(number, size, scale, read);
                if tally.glyphs == 0 && !page.lines.is_empty() {
                    out.empty_pages = out.empty_pages.saturating_sub(1);
                }
                out.replacement_chars = out.replacement_chars.saturating_sub(tally.unmapped);
                out.pages[index] = page;
                out.ocr_pages.push(number);
            }
            Err(why) => out
                .warnings
                .push(format!("page {number}: {why}; page not read")),
        }
    }
    Ok(())
}

/// A page whose glyphs were recognised in a picture drawn at `scale` pixels per
/// point: its lines (each word's confidence the mean of its glyphs') and rulings.
pub(crate) fn page_of(number: u32, size: (f32, f32), scale: f32, read: Recognized) -> Page {
    let glyphs: Vec<RawGlyph> = read
        .glyphs
        .iter()
        .enumerate()
        .filter_map(|(seq, g)| raw_glyph(g, scale, seq as u32))
        .collect();
    let rulings: Vec<Ruling> = read
        .rulings
        .iter()
        .map(|r| Ruling {
            x0: r.x0 / scale,
            y0: r.y0 / scale,
            x1: r.x1 / scale,
            y1: r.y1 / scale,
        })
        .collect();
    let lines: Vec<Line> = layout::build_lines(glyphs, &rulings);
    Page {
        number,
        width: size.0,
        height: size.1,
        lines,
        rulings,
    }
}

/// A recognised glyph in page points. Its line's box is taken as the font's em
/// box (top at 0.88 em above the baseline, bottom 0.12 em below it, as the
/// text layer's word boxes are), so rows and word gaps compare as for text.
fn raw_glyph(g: &OcrGlyph, scale: f32, seq: u32) -> Option<RawGlyph> {
    let size = (g.y1 - g.y0) / scale;
    let width = (g.x1 - g.x0) / scale;
    if !(size.is_finite() && width.is_finite()) || size < 0.5 || g.text.is_empty() {
        return None;
    }
    Some(RawGlyph {
        text: crate::normalize::normalize_str(&g.text).into(),
        x: g.x0 / scale,
        y: g.y1 / scale - 0.12 * size,
        w: width.max(0.0),
        size,
        angle: 0,
        is_space: g.text.chars().all(char::is_whitespace),
        seq,
        confidence: Some(g.confidence),
    })
}
