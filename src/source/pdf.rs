//! PDF files through `jixiao_pdf`: its pages become a [`Document`], its errors a [`SourceError`].

use std::time::{Duration, Instant};

use jixiao_pdf::{Limits, PdfError, PdfText, grid};

use super::{Document, Format, Line, SourceError};

/// Reads a PDF's text, giving up with `Timeout` after `budget`.
pub(super) fn load(bytes: &[u8], budget: Duration) -> Result<Document, SourceError> {
    let limits = Limits {
        deadline: Some(Instant::now() + budget),
        ..Limits::default()
    };
    jixiao_pdf::extract(bytes, &limits)
        .map(Document::from_pdf)
        .map_err(SourceError::from)
}

impl Document {
    /// Builds a Document from PDF pages: one text line per layout line (a ruled
    /// table gives one line per row, cells separated by tabs), pages in order,
    /// running headers and footers kept (so `jixiao text` shows them) but marked
    /// as furniture.
    pub fn from_pdf(text: PdfText) -> Document {
        let mut out = String::new();
        let mut lines = Vec::new();
        for (page, page_lines) in text.pages.iter().zip(grid::document_lines(&text.pages)) {
            for line in page_lines {
                let start = out.len();
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
        }
    }
}
