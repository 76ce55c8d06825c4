//! The run: find input files, process them in parallel (rayon), isolate each
//! document's failure (errors and panics become error records), and hand the
//! records back in a deterministic order (by path, then position).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::Duration;

mod inputs;
mod panics;
mod records;

pub use inputs::{BadShard, InputError, Shard, collect_inputs, collect_share};
pub use panics::report_document_panics_on_one_line;

use crate::analysis::analyse;
use crate::record::{DocKind, DocumentRecord, ErrorCode, ErrorInfo, Record, Status};
use crate::rules::RuleSet;
use crate::segment::Segmenter;
use crate::source::{self, Format, SourceError};

/// The records of one document: its `document` record first, then its figures.
#[derive(Debug)]
pub struct DocumentOutput {
    pub path: PathBuf,
    pub records: Vec<Record>,
    pub failed: bool,
    /// Taken from an earlier run's output (`--incremental`), not extracted again.
    pub reused: bool,
}

/// Limits that keep one document from taking the run down with it.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock budget per document (enforced inside the PDF interpreter).
    pub time_budget: Duration,
    /// Largest file read, by format: bigger files get a `too_large` error record.
    pub max_txt_bytes: u64,
    pub max_pdf_bytes: u64,
    /// Which PDF pages are read by OCR; each has a time budget of its own
    /// (`time_budget`).
    pub ocr: source::OcrMode,
}

impl Limits {
    /// The largest file of `format` read.
    pub fn max_bytes(&self, format: Format) -> u64 {
        match format {
            Format::Txt => self.max_txt_bytes,
            Format::Pdf => self.max_pdf_bytes,
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            time_budget: source::DEFAULT_TIME_BUDGET,
            // Budget reports are kilobytes to a few megabytes; a 32 MiB "report"
            // is a log or a dump, and its offset map alone would cost 4× that.
            max_txt_bytes: 32 << 20,
            max_pdf_bytes: 512 << 20,
            ocr: source::OcrMode::Auto,
        }
    }
}

/// Processes `files` on `pool` and hands each output to `emit` in the order of
/// `files`, as soon as it and all before it are done. At most `window` outputs
/// wait in the reorder buffer: a worker that runs that far ahead of the writer
/// waits, so memory stays bounded whatever the archive's size.
///
/// `process` turns one path into its output (normally [`process_file_with`];
/// `--incremental` first looks for records an earlier run made).
pub fn run_ordered<T: Send>(
    files: &[PathBuf],
    process: &(dyn Fn(&Path) -> T + Sync),
    pool: &rayon::ThreadPool,
    window: usize,
    mut emit: impl FnMut(T),
) {
    let window = window.max(1);
    let next_file = AtomicUsize::new(0);
    let written = Mutex::new(0usize);
    let progressed = Condvar::new();
    let (sender, receiver) = mpsc::channel::<(usize, T)>();
    pool.in_place_scope(|scope| {
        for _ in 0..pool.current_num_threads() {
            let sender = sender.clone();
            let (next_file, written, progressed) = (&next_file, &written, &progressed);
            scope.spawn(move |_| {
                loop {
                    let index = next_file.fetch_add(1, Ordering::Relaxed);
                    if index >= files.len() {
                        break;
                    }
                    {
                        let mut done = written.lock().unwrap_or_else(|p| p.into_inner());
                        while index >= *done + window {
                            done = progressed.wait(done).unwrap_or_else(|p| p.into_inner());
                        }
                    }
                    let output = process(&files[index]);
                    if sender.send((index, output)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut pending = BTreeMap::new();
        let mut next = 0usize;
        for (index, output) in receiver {
            pending.insert(index, output);
            while let Some(output) = pending.remove(&next) {
                emit(output);
                next += 1;
                *written.lock().unwrap_or_else(|p| p.into_inner()) = next;
                progressed.notify_all();
            }
        }
    });
}

/// Reads, extracts and converts one file with the default limits; never panics.
pub fn process_file(path: &Path, rules: &RuleSet, segmenter: &Segmenter) -> DocumentOutput {
    process_file_with(path, rules, &|| segmenter, &Limits::default())
}

/// Reads, extracts and converts one file; never panics. The segmenter is asked
/// for only once the text is read: a run can build it in the background while
/// the first files are parsed.
pub fn process_file_with<'s>(
    path: &Path,
    rules: &RuleSet,
    segmenter: &(dyn Fn() -> &'s Segmenter + Sync),
    limits: &Limits,
) -> DocumentOutput {
    let format = Format::from_path(path).unwrap_or(Format::Txt);
    // The kind and size are checked before reading: a FIFO or device is never
    // opened (reading one can block or never end), a huge file never loaded.
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return error_output(path, "", Some(format), &SourceError::Io(e)),
    };
    if let Some(kind) = source::special_file_kind(meta.file_type()) {
        return error_output(path, "", Some(format), &SourceError::NotAFile(kind));
    }
    if meta.len() > limits.max_bytes(format) {
        return too_large(path, format, meta.len(), limits);
    }
    match std::fs::read(path) {
        Ok(bytes) => process_bytes_with(path, &bytes, rules, segmenter, limits),
        Err(e) => error_output(path, "", Format::from_path(path), &SourceError::Io(e)),
    }
}

/// Extracts and converts one document handed over as bytes, as if read from
/// `path` (which names it in its records and gives its format by extension;
/// nothing is read from disk); never panics. What engines that pass file
/// contents around (Ray, Spark) call.
pub fn process_bytes_with<'s>(
    path: &Path,
    bytes: &[u8],
    rules: &RuleSet,
    segmenter: &(dyn Fn() -> &'s Segmenter + Sync),
    limits: &Limits,
) -> DocumentOutput {
    let format = Format::from_path(path).unwrap_or(Format::Txt);
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > limits.max_bytes(format) {
        return too_large(path, format, size, limits);
    }
    let doc_id = source::doc_id(bytes);
    let result = panics::within_document(path, || {
        let doc = source::load_within(format, bytes, limits.time_budget, limits.ocr)?;
        let analysis = analyse(&doc, rules, segmenter());
        Ok::<_, SourceError>((doc, analysis))
    });
    let (doc, analysis) = match result {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => return error_output(path, &doc_id, Some(format), &e),
        Err(message) => {
            return error_output(path, &doc_id, Some(format), &SourceError::Panic(message));
        }
    };
    DocumentOutput {
        path: path.to_path_buf(),
        records: records::of_document(path, &doc_id, &doc, &analysis),
        failed: false,
        reused: false,
    }
}

fn too_large(path: &Path, format: Format, size: u64, limits: &Limits) -> DocumentOutput {
    let max = limits.max_bytes(format);
    let error = SourceError::TooLarge(format!("{size} bytes, the limit is {max}"));
    error_output(path, "", Some(format), &error)
}

fn error_output(
    path: &Path,
    doc_id: &str,
    format: Option<Format>,
    error: &SourceError,
) -> DocumentOutput {
    DocumentOutput {
        path: path.to_path_buf(),
        records: vec![Record::Document(DocumentRecord {
            doc_id: doc_id.to_string(),
            path: path.display().to_string(),
            format: format.unwrap_or(Format::Txt).into(),
            encoding: None,
            pages: 0,
            chars: 0,
            doc_kind: DocKind::Unknown,
            department: None,
            year: None,
            title: None,
            status: Status::Error,
            error: Some(ErrorInfo {
                code: ErrorCode::from(error),
                message: error.to_string(),
            }),
            warnings: Vec::new(),
        })],
        failed: true,
        reused: false,
    }
}
