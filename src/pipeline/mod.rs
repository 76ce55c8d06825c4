//! The run: find input files, process them in parallel (rayon), isolate each
//! document's failure (errors and panics become error records), and hand the
//! records back in a deterministic order (by path, then position).

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::Duration;

mod records;

use crate::analysis::analyse;
use crate::record::{DocKind, DocumentRecord, ErrorCode, ErrorInfo, Record, Status};
use crate::rules::RuleSet;
use crate::segment::Segmenter;
use crate::source::{self, Format, SourceError};

/// A problem with an input path itself (not with a document inside it).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{0}: no such file or directory")]
    Missing(PathBuf),
    #[error("{path}: cannot list directory: {message}")]
    Unreadable { path: PathBuf, message: String },
}

/// Every report file under `paths` (folders recursively), sorted, plus the
/// paths that could not be used.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if !path.exists() && !path.is_symlink() {
            problems.push(InputError::Missing(path.clone()));
        } else if path.is_dir() {
            for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
                match entry {
                    // Symlinks are listed too: a dangling one must become an error record, not vanish.
                    Ok(e)
                        if (e.file_type().is_file() || e.path_is_symlink())
                            && Format::from_path(e.path()).is_some() =>
                    {
                        files.push(e.into_path())
                    }
                    Ok(_) => {}
                    Err(e) => problems.push(InputError::Unreadable {
                        path: e.path().unwrap_or(path).to_path_buf(),
                        message: e.to_string(),
                    }),
                }
            }
        } else {
            // A file named explicitly is read whatever its extension (as text
            // unless it says PDF), so a user always gets a record for it.
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    (files, problems)
}

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
    let max = match format {
        Format::Txt => limits.max_txt_bytes,
        Format::Pdf => limits.max_pdf_bytes,
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > max => {
            let error = SourceError::TooLarge(format!("{} bytes, the limit is {max}", meta.len()));
            return error_output(path, "", Some(format), &error);
        }
        Ok(_) => {}
        Err(e) => return error_output(path, "", Some(format), &SourceError::Io(e)),
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return error_output(path, "", Format::from_path(path), &SourceError::Io(e)),
    };
    let doc_id = source::doc_id(&bytes);
    let result = catch_unwind(AssertUnwindSafe(|| {
        let doc = source::load_within(format, &bytes, limits.time_budget, limits.ocr)?;
        let analysis = analyse(&doc, rules, segmenter());
        Ok::<_, SourceError>((doc, analysis))
    }));
    let (doc, analysis) = match result {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => return error_output(path, &doc_id, Some(format), &e),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
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
