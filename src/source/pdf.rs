//! PDF files through `jixiao_pdf`: its pages become a [`Document`], its errors a
//! [`SourceError`]; scanned pages are read by `jixiao_ocr`'s models, loaded
//! once per process and only when a page needs them.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use jixiao_ocr::Engine;
use jixiao_pdf::ocr::Recognizer;
use jixiao_pdf::{Limits, Ocr, OcrMode, PdfError, PdfText, grid};

use super::{Document, Format, Line, OcrSpan, SourceError};

/// Reads a PDF's text, giving up with `Timeout` after `budget`; the pages
/// `ocr` asks for are read from their pixels, each within a budget of the
/// same length.
pub(super) fn load(bytes: &[u8], budget: Duration, ocr: OcrMode) -> Result<Document, SourceError> {
    let limits = Limits {
        deadline: Some(Instant::now() + budget),
        page_budget: Some(budget),
        ..Limits::default()
    };
    let ocr = Ocr {
        mode: ocr,
        recognizer: &engine,
    };
    jixiao_pdf::extract_with(bytes, &limits, &ocr)
        .map(Document::from_pdf)
        .map_err(SourceError::from)
}

/// The OCR models, loaded the first time a page needs them.
fn engine() -> Result<&'static dyn Recognizer, String> {
    static ENGINE: OnceLock<Result<Engine, String>> = OnceLock::new();
    match ENGINE.get_or_init(|| Engine::load().map_err(|e| e.to_string())) {
        Ok(engine) => Ok(engine),
        Err(why) => Err(why.clone()),
    }
}

impl Document {
    /// Builds a Document from PDF pages: one text line per layout line (a ruled
    /// table gives one line per row, cells separated by tabs), pages in order,
    /// running headers and footers kept (so `jixiao text` shows them) but marked
    /// as furniture.
    pub fn from_pdf(text: PdfText) -> Document {
        let mut out = String::new();
        let mut lines = Vec::new();
        let mut ocr = Vec::new();
        for (page, page_lines) in text.pages.iter().zip(grid::document_lines(&text.pages)) {
            for line in page_lines {
                let start = out.len();
                ocr.extend(line.ocr.iter().map(|w| OcrSpan {
                    start: start + w.start,
                    end: start + w.end,
                    confidence: w.confidence,
                }));
                out.push_str(&line.text);
                lines.push(Line {
                    page: page.number,
                    number: lines.len() as u32 + 1,
                    start,
                    end: out.len(),
                    furniture: line.furniture,
                });
                out.push('\n');
            }
        }
        let mut warnings = text.warnings;
        if text.replacement_chars > 0 {
            warnings.push(format!(
                "{} glyph(s) without a Unicode mapping (shown as U+FFFD)",
                text.replacement_chars
            ));
        }
        if text.empty_pages > 0 {
            warnings.push(format!("{} page(s) without text", text.empty_pages));
        }
        Document {
            format: Format::Pdf,
            encoding: "pdf".into(),
            text: out,
            lines,
            pages: text.pages.len() as u32,
            warnings,
            metadata_title: text.title,
            ocr,
        }
    }
}

impl From<PdfError> for SourceError {
    fn from(e: PdfError) -> SourceError {
        match e {
            PdfError::Encrypted(m) => SourceError::Encrypted(m),
            PdfError::Corrupt(m) => SourceError::Corrupt(m),
            PdfError::NoTextLayer => SourceError::NoTextLayer,
            PdfError::Unsupported(m) => SourceError::Unsupported(m),
            PdfError::Timeout => SourceError::Timeout,
            PdfError::TooLarge(m) => SourceError::TooLarge(m),
            PdfError::OcrUnavailable(m) => SourceError::OcrUnavailable(m),
        }
    }
}
