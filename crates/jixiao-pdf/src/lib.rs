//! PDF bytes → pages of positioned words, lines in reading order, rulings, and the
//! rows of ruled tables: the text layer of Chinese government budget and
//! performance reports, as a batch pipeline needs it.
//!
//! # What it reads
//!
//! PDFs as real publishers make them (WPS 文字 and 表格, Microsoft Word,
//! ONLYOFFICE, Chromium's Type 3 fonts, ReportLab, Adobe CJK fonts): Type 1,
//! TrueType, Type 0 (CID) and Type 3 fonts; Identity-H with or without
//! `/ToUnicode` (without one, the Adobe collection's CID → Unicode map or the
//! embedded font's own cmap names the glyphs); every predefined Chinese CMap
//! (GB-EUC, GBK, GBKp, UniGB-UCS2/UTF16, UniCNS…), horizontal and vertical;
//! form XObjects, annotation appearances (form field values) and optional
//! content (layers switched off are skipped). Encrypted files open when the user
//! password is empty (RC4 40/128, AES 128/256); damaged or truncated files are
//! recovered page by page. Parsing and decryption are `hayro-syntax`'s, font
//! decoding `hayro-font`'s and `hayro-cmap`'s (pure Rust, MIT/Apache-2.0); the
//! content interpreter is this crate's own and reads only what text needs.
//!
//! # What it gives back
//!
//! [`extract`] returns a [`PdfText`]: every [`Page`] with its [`Line`]s in
//! reading order (two-column text column by column, table rows kept together),
//! each line's [`Word`]s with their boxes in top-down points, NFKC-normalised
//! text (Kangxi radicals folded, fake-bold duplicates dropped), running headers
//! and footers marked as furniture, and the thin axis-aligned paths
//! ([`Ruling`]s) that draw table borders. [`grid::document_lines`] turns the
//! lines inside ruled tables into one [`grid::GridLine`] per table row, cells
//! separated by tabs. Anything recovered from or skipped is counted or named in
//! [`PdfText::warnings`]; a file that cannot be read gives a [`PdfError`].
//!
//! # Limits
//!
//! - A wall-clock deadline ([`Limits::deadline`]), checked per page and every few
//!   thousand operators: a pathological file ends in [`PdfError::Timeout`].
//! - A decompression budget for the whole document ([`Limits::max_decompressed_bytes`],
//!   256 MiB by default): zip bombs end in [`PdfError::TooLarge`].
//! - No panic escapes: a panic in the parser becomes [`PdfError::Corrupt`], one
//!   in a page's interpreter skips that page with a warning.
//! - Text layers only: no OCR, no images (a page of scans is counted as
//!   image-only; a document of them is [`PdfError::NoTextLayer`]), no colours,
//!   clips or glyph outlines.
//!
//! Module map: `document` (one pass: open, page loop, result), `interp` (operators →
//! glyphs/rulings), `collect` (per-page sink), `fonts` (Unicode fallback from embedded
//! cmaps), `normalize` + `radicals` (NFKC, radicals), `layout`, `furniture`, `budget`,
//! `ocg` (layers), `strip` (skip font programs we do not need), `grid` (ruled tables →
//! rows).

#![deny(missing_docs)]

mod budget;
mod collect;
mod document;
mod fonts;
mod furniture;
pub mod grid;
mod interp;
mod layout;
mod normalize;
mod ocg;
pub mod ocr;
mod radicals;
mod raster;
mod strip;

pub use ocr::{Ocr, OcrMode};

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// Resource limits for one extraction.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Upper bound on decompressed stream bytes (content streams, and fonts/forms whose
    /// compressed size could expand past the remaining budget) for the whole document.
    pub max_decompressed_bytes: usize,
    /// Wall-clock deadline; checked per page and every few hundred glyphs/paths.
    pub deadline: Option<Instant>,
    /// How long one page read by OCR may take (each has its own budget; the
    /// deadline bounds the text layer's reading only).
    pub page_budget: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_decompressed_bytes: 256 * 1024 * 1024,
            deadline: None,
            page_budget: None,
        }
    }
}

/// Text of a whole document.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    /// Pages in document order (every page of the page tree, empty ones included).
    pub pages: Vec<Page>,
    /// Anything that was recovered from or skipped, in human-readable form.
    pub warnings: Vec<String>,
    /// Glyphs with no Unicode mapping (emitted as U+FFFD in the text).
    pub replacement_chars: usize,
    /// Pages without any text glyph.
    pub empty_pages: usize,
    /// The Info dictionary's /Title, if any.
    pub title: Option<String>,
    /// Numbers of the pages read by OCR (their words carry a confidence).
    pub ocr_pages: Vec<u32>,
}

impl PdfText {
    /// All non-furniture lines, pages separated by a form feed (like pdftotext).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, page) in self.pages.iter().enumerate() {
            if i > 0 {
                out.push('\u{c}');
            }
            for line in page.lines.iter().filter(|l| !l.furniture) {
                out.push_str(&line.text);
                out.push('\n');
            }
        }
        out
    }
}

/// One page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    /// Page width in points (after /Rotate).
    pub width: f32,
    /// Page height in points (after /Rotate).
    pub height: f32,
    /// Lines in reading order. Coordinates are top-down (y grows downwards), in points.
    pub lines: Vec<Line>,
    /// Thin stroked or filled axis-aligned paths (table borders, underlines).
    pub rulings: Vec<Ruling>,
}

/// One text line.
#[derive(Debug, Clone, Default)]
pub struct Line {
    /// Words joined by ' ' (visible gap) or '\t' (gap larger than ~1.5 em).
    pub text: String,
    /// The words of the line, left to right.
    pub words: Vec<Word>,
    /// Baseline y (top-down).
    pub baseline: f32,
    /// Running header/footer (page numbers, repeated titles).
    pub furniture: bool,
}

/// One word: glyphs without a visible gap between them.
#[derive(Debug, Clone, Default)]
pub struct Word {
    /// NFKC-normalised text.
    pub text: String,
    /// Left edge.
    pub x0: f32,
    /// Top edge (approximate ascender).
    pub y0: f32,
    /// Right edge.
    pub x1: f32,
    /// Bottom edge (approximate descender).
    pub y1: f32,
    /// Largest font size in the word, in points.
    pub font_size: f32,
    /// Read by OCR: the mean of its characters' recognition probabilities, 0–1
    /// (`None` for the text layer's words).
    pub confidence: Option<f32>,
}

/// A thin axis-aligned path segment (top-down coordinates).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ruling {
    /// Left.
    pub x0: f32,
    /// Top.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Bottom.
    pub y1: f32,
}

/// Why a document could not be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PdfError {
    /// Needs a real user password.
    #[error("encrypted: {0}")]
    Encrypted(String),
    /// Not a PDF, or too damaged to recover any page.
    #[error("corrupt: {0}")]
    Corrupt(String),
    /// Pages exist but carry no text (scans / image-only).
    #[error("no text layer")]
    NoTextLayer,
    /// A feature we cannot handle (e.g. an unknown security handler).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The deadline passed.
    #[error("timeout")]
    Timeout,
    /// Decompression budget exceeded.
    #[error("too large: {0}")]
    TooLarge(String),
    /// Pages are scans and no OCR recognizer could be had (the reason).
    #[error("scanned pages need OCR: {0}")]
    OcrUnavailable(String),
}

impl PdfError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Encrypted(_) => "encrypted",
            Self::Corrupt(_) => "corrupt",
            Self::NoTextLayer => "no_text_layer",
            Self::Unsupported(_) => "unsupported",
            Self::Timeout => "timeout",
            Self::TooLarge(_) => "too_large",
            Self::OcrUnavailable(_) => "ocr_unavailable",
        }
    }
}

/// Extract the text of a PDF's text layer (no OCR). Never panics: library
/// panics become `Corrupt`.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<PdfText, PdfError> {
    extract_with(bytes, limits, &Ocr::OFF)
}

/// Extract the text of a PDF, the pages `ocr` asks for read from their pixels
/// by its recognizer. Never panics: library panics become `Corrupt`.
pub fn extract_with(bytes: &[u8], limits: &Limits, ocr: &Ocr<'_>) -> Result<PdfText, PdfError> {
    if bytes.is_empty() {
        return Err(PdfError::Corrupt("empty file".into()));
    }
    // A PDF header may be preceded by junk, but must appear in the first KiB.
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::Corrupt("not a PDF (no %PDF- header)".into()));
    }
    let run = |strip: bool| guarded(|| document::extract_pass(bytes, limits, strip));
    let mut pass = run(true)?;
    // Stripped font programs cannot serve as a Unicode fallback; if anything came out
    // unmapped, retry with the original bytes and keep the better result.
    if pass.stripped && pass.text.replacement_chars > 0 {
        let second = run(false)?;
        if second.text.replacement_chars < pass.text.replacement_chars {
            pass = second;
        }
    }
    guarded(|| document::finish(bytes, pass, limits, ocr))
}

/// `work`'s result, a panic in it as `Corrupt`.
fn guarded<T>(work: impl FnOnce() -> Result<T, PdfError>) -> Result<T, PdfError> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|p| {
        Err(PdfError::Corrupt(format!(
            "parser panicked: {}",
            panic_message(&p)
        )))
    })
}

pub(crate) fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}
