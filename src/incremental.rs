//! Incremental, crash-safe output: a records file written through a `.partial`
//! file and renamed when complete, with a manifest that says which documents
//! it holds whole, so a later run reuses them instead of extracting again.
//!
//! Files beside the output `FILE`:
//! - `FILE.manifest` — one JSON line per document in `FILE`: path, doc_id (the
//!   content hash), rules fingerprint, number of records;
//! - `FILE.partial` and `FILE.partial.manifest` — the same for a run in
//!   progress. A manifest line is written only after its document's records are
//!   flushed, so whatever a killed run leaves is trustworthy up to its last
//!   manifest line; the next run reuses that much and does the rest.
//!
//! An output that is not a regular file (a FIFO, a device such as /dev/null)
//! is written in place: renaming over it would replace it with a file, and
//! there is nothing there to reuse.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::record::{Record, Status};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct ManifestEntry {
    path: String,
    doc_id: String,
    rules: String,
    records: usize,
}

/// Records of documents a previous run completed, keyed by (path, content hash).
#[derive(Default)]
pub struct Reusable {
    documents: HashMap<(String, String), Vec<Record>>,
}

impl Reusable {
    /// Reads what earlier runs left for `output` under the same rules fingerprint:
    /// the finished file and, after a crash, the partial one. Anything unreadable
    /// or inconsistent is simply not reused.
    pub fn load(output: &Path, rules_fingerprint: &str) -> Reusable {
        let mut reusable = Reusable::default();
        // Opening a FIFO to read would wait for a writer that never comes.
        if is_special_file(output) {
            return reusable;
        }
        for (records, manifest) in [
            (output.to_path_buf(), manifest_path(output)),
            (partial_path(output), manifest_path(&partial_path(output))),
        ] {
            reusable.read_pair(&records, &manifest, rules_fingerprint);
        }
        reusable
    }

    fn read_pair(&mut self, records: &Path, manifest: &Path, rules: &str) {
        let (Ok(records), Ok(manifest)) = (File::open(records), File::open(manifest)) else {
            return;
        };
        let mut lines = BufReader::new(records).lines();
        for entry in BufReader::new(manifest).lines() {
            let Some(entry) = entry
                .ok()
                .and_then(|l| serde_json::from_str::<ManifestEntry>(&l).ok())
            else {
                return;
            };
            let mut group = Vec::with_capacity(entry.records);
            for _ in 0..entry.records {
                match lines
                    .next()
                    .and_then(|l| l.ok())
                    .and_then(|l| serde_json::from_str::<Record>(&l).ok())
                {
                    Some(record) => group.push(record),
                    None => return,
                }
            }
            // The group must be the document the manifest names, or the files disagree.
            let Some(Record::Document(doc)) = group.first() else {
                return;
            };
            if doc.doc_id != entry.doc_id || doc.path != entry.path {
                return;
            }
            // Failed documents are tried again; changed rules mean extracting again.
            if doc.status == Status::Ok && entry.rules == rules {
                self.documents.insert((entry.path, entry.doc_id), group);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.documents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// The records of `path` from an earlier run, if its content is unchanged.
    pub fn take(&self, path: &Path, doc_id: &str) -> Option<Vec<Record>> {
        self.documents
            .get(&(path.display().to_string(), doc_id.to_string()))
            .cloned()
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

pub fn partial_path(output: &Path) -> PathBuf {
    with_suffix(output, ".partial")
}

pub fn manifest_path(records: &Path) -> PathBuf {
    with_suffix(records, ".manifest")
}

/// Whether `path` exists and is no regular file or folder (a FIFO, a device,
/// a socket): such an output is written in place, never renamed over.
pub fn is_special_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Writes records document by document into `FILE.partial`, then renames.
pub struct CheckpointWriter {
    output: PathBuf,
    rules: String,
    records: BufWriter<File>,
    /// `None` for an output written in place ([`is_special_file`]).
    manifest: Option<BufWriter<File>>,
}

impl CheckpointWriter {
    /// Starts a run. An old `.partial` is read by [`Reusable::load`] first, then replaced.
    pub fn create(output: &Path, rules_fingerprint: &str) -> std::io::Result<CheckpointWriter> {
        if is_special_file(output) {
            return Ok(CheckpointWriter {
                output: output.to_path_buf(),
                rules: rules_fingerprint.to_string(),
                records: BufWriter::new(File::options().write(true).open(output)?),
                manifest: None,
            });
        }
        if let Some(dir) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let partial = partial_path(output);
        Ok(CheckpointWriter {
            output: output.to_path_buf(),
            rules: rules_fingerprint.to_string(),
            records: BufWriter::new(File::create(&partial)?),
            manifest: Some(BufWriter::new(File::create(manifest_path(&partial))?)),
        })
    }

    /// Appends one document's records; its manifest line follows only once they
    /// are on disk, and only for documents that are worth reusing.
    ///
    /// `json` is the records as JSON Lines, serialised by the worker that made them.
    pub fn write_document(&mut self, records: &[Record], json: &str) -> std::io::Result<()> {
        self.records.write_all(json.as_bytes())?;
        self.records.flush()?;
        if let (Some(manifest), Some(Record::Document(d))) = (&mut self.manifest, records.first()) {
            let entry = ManifestEntry {
                path: d.path.clone(),
                doc_id: d.doc_id.clone(),
                rules: self.rules.clone(),
                records: records.len(),
            };
            // Failed documents are listed too (records stay aligned) but are never
            // reused: `Reusable` takes only `Status::Ok`.
            serde_json::to_writer(&mut *manifest, &entry)?;
            manifest.write_all(b"\n")?;
            manifest.flush()?;
        }
        Ok(())
    }

    /// Makes the run's output the output: records first, then the manifest, each
    /// by rename. A crash between the two leaves a manifest that no longer matches
    /// the records, which the next run detects and ignores.
    /// An output written in place is only flushed (a FIFO cannot be synced).
    pub fn finish(self) -> std::io::Result<()> {
        let partial = partial_path(&self.output);
        let records = self.records.into_inner().map_err(|e| e.into_error())?;
        let Some(manifest) = self.manifest else {
            return Ok(());
        };
        records.sync_all()?;
        let manifest = manifest.into_inner().map_err(|e| e.into_error())?;
        manifest.sync_all()?;
        std::fs::rename(&partial, &self.output)?;
        std::fs::rename(manifest_path(&partial), manifest_path(&self.output))?;
        Ok(())
    }
}
