//! Sources: turn a file on disk into a [`Document`] (pages of lines of text) or a [`SourceError`].
//!
//! Every format produces the same `Document`, so the stages after this one never
//! know whether a report came from a PDF or a TXT export.

pub mod normalize;
mod page_parts;
pub mod paragraphs;
mod pdf;
mod traditional_generated;
pub mod txt;

use std::path::Path;

use sha2::{Digest, Sha256};

pub use normalize::NormalizedText;

/// File formats jixiao reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Txt,
    Pdf,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Pdf => "pdf",
        }
    }

    /// The format a path is read as, from its extension; `None` for files jixiao skips.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Txt),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// One line of extracted text; `start` is its byte offset in [`Document::text`].
#[derive(Debug, Clone)]
pub struct Line {
    pub page: u32,
    /// 1-based line number within the whole document (as `jixiao text` numbers them).
    pub number: u32,
    pub start: usize,
    pub end: usize,
    /// Running header or footer (page numbers, repeated titles): produces no figures.
    pub furniture: bool,
}

/// A word read by OCR: its byte range in [`Document::text`] and the model's
/// confidence in it (0–1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OcrSpan {
    pub start: usize,
    pub end: usize,
    pub confidence: f32,
}

/// The text of one input file, with its pages and lines.
#[derive(Debug, Clone)]
pub struct Document {
    pub format: Format,
    /// The character encoding the bytes were decoded from (`utf-8`, `gb18030`, `utf-16le`, …).
    pub encoding: String,
    /// The extracted text, lines separated by `\n`: spans in records index into it.
    pub text: String,
    pub lines: Vec<Line>,
    pub pages: u32,
    /// Things worth knowing that did not stop extraction (replacement characters, empty pages).
    pub warnings: Vec<String>,
    /// Title from the file's metadata, when the format has one.
    pub metadata_title: Option<String>,
    /// The words read by OCR (scanned pages), in text order.
    pub ocr: Vec<OcrSpan>,
}

impl Document {
    /// Builds the line table of a text whose pages are separated by form feeds (`\x0c`).
    pub fn from_text(format: Format, encoding: String, text: String) -> Document {
        let mut lines = Vec::new();
        let mut page = 1u32;
        let mut start = 0usize;
        for (index, piece) in text.split_inclusive('\n').enumerate() {
            let end = start + piece.trim_end_matches('\n').len();
            let number = index as u32 + 1;
            let content = &text[start..end];
            lines.push(Line {
                page,
                number,
                start,
                end,
                furniture: false,
            });
            page += content.matches('\x0c').count() as u32;
            start += piece.len();
        }
        Document {
            format,
            encoding,
            pages: page,
            text,
            lines,
            warnings: Vec::new(),
            metadata_title: None,
            ocr: Vec::new(),
        }
    }

    pub fn line_text(&self, line: &Line) -> &str {
        &self.text[line.start..line.end]
    }

    /// The lowest confidence of the OCR'd words that the byte range
    /// `start..end` touches; `None` when none was read by OCR.
    pub fn ocr_confidence(&self, start: usize, end: usize) -> Option<f32> {
        let first = self.ocr.partition_point(|w| w.end <= start);
        self.ocr[first..]
            .iter()
            .take_while(|w| w.start < end)
            .map(|w| w.confidence)
            .reduce(f32::min)
    }

    /// The line holding byte offset `at`.
    pub fn line_at(&self, at: usize) -> &Line {
        let index = self.lines.partition_point(|l| l.end < at);
        &self.lines[index.min(self.lines.len().saturating_sub(1))]
    }
}

/// Why a file could not be read; `code` is the record's `error.code`.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
    #[error("file is empty")]
    Empty,
    #[error("file is not text in any supported encoding: {0}")]
    NotText(String),
    #[error("file is damaged: {0}")]
    Corrupt(String),
    #[error("file is encrypted: {0}")]
    Encrypted(String),
    #[error("file has no text layer (scanned images only)")]
    NoTextLayer,
    #[error("scanned pages need OCR: {0}")]
    OcrUnavailable(String),
    #[error("unsupported file: {0}")]
    Unsupported(String),
    #[error("extraction took longer than the time budget")]
    Timeout,
    #[error("file exceeds a size limit: {0}")]
    TooLarge(String),
    #[error("extractor crashed: {0}")]
    Panic(String),
    /// A FIFO, socket or device: never opened, since reading one can block
    /// forever or never end.
    #[error("not a regular file ({0}): not read")]
    NotAFile(&'static str),
}

impl SourceError {
    pub fn code(&self) -> &'static str {
        match self {
            SourceError::Io(_) => "io",
            SourceError::Empty => "empty",
            SourceError::NotText(_) => "bad_encoding",
            SourceError::Corrupt(_) => "corrupt",
            SourceError::Encrypted(_) => "encrypted",
            SourceError::NoTextLayer => "no_text_layer",
            SourceError::OcrUnavailable(_) => "ocr_unavailable",
            SourceError::Unsupported(_) => "unsupported",
            SourceError::Timeout => "timeout",
            SourceError::TooLarge(_) => "too_large",
            SourceError::Panic(_) => "panic",
            SourceError::NotAFile(_) => "not_a_file",
        }
    }
}

/// What kind of special file `file_type` is, or `None` for a regular file,
/// a folder or a symlink: the `NotAFile` a walk or a read reports.
pub fn special_file_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() || file_type.is_dir() || file_type.is_symlink() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("fifo");
        }
        if file_type.is_socket() {
            return Some("socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("device");
        }
    }
    Some("special file")
}

/// sha256 of the file's bytes, hex: the `doc_id` of every record from that file.
pub fn doc_id(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// How long one document may take, by default: a pathological file must not hang the run.
pub const DEFAULT_TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(60);

/// Which pages of a PDF are read by OCR (scanned pages without a text layer by default).
pub use jixiao_pdf::OcrMode;

/// Decodes a file's bytes into a Document, within the default time budget,
/// scanned pages read by OCR.
pub fn load(format: Format, bytes: &[u8]) -> Result<Document, SourceError> {
    load_within(format, bytes, DEFAULT_TIME_BUDGET, OcrMode::Auto)
}

/// Decodes a file's bytes into a Document, giving up with `Timeout` after
/// `budget` (a page read by OCR has a budget of its own of the same length).
pub fn load_within(
    format: Format,
    bytes: &[u8],
    budget: std::time::Duration,
    ocr: OcrMode,
) -> Result<Document, SourceError> {
    if bytes.is_empty() {
        return Err(SourceError::Empty);
    }
    match format {
        Format::Txt => txt::decode(bytes),
        Format::Pdf => pdf::load(bytes, budget, ocr),
    }
}
