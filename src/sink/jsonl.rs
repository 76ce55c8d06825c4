//! JSON Lines: reading records (a malformed line is an error naming its line
//! number) and writing them, one object a line with `type` first.

use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

use super::{Counts, SinkError};
use crate::record::Record;

/// Reads records; blank lines are skipped, a UTF-8 BOM on the first line is
/// tolerated (files saved by Windows editors carry one).
pub fn read_records<R: BufRead>(reader: R) -> Result<Vec<Record>, SinkError> {
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let n = i + 1;
        let line = line.map_err(|e| SinkError::BadLine {
            line: n,
            message: e.to_string(),
        })?;
        let text = line.trim_start_matches('\u{feff}').trim();
        if text.is_empty() {
            continue;
        }
        let rec: Record = serde_json::from_str(text).map_err(|e| SinkError::BadLine {
            line: n,
            message: e.to_string(),
        })?;
        out.push(rec);
    }
    Ok(out)
}

/// Reads a records file.
pub fn read_path(path: &Path) -> Result<Vec<Record>, SinkError> {
    let f = std::fs::File::open(path).map_err(|e| SinkError::io(path, e))?;
    read_records(std::io::BufReader::new(f)).map_err(|e| match e {
        SinkError::BadLine { line, message } => SinkError::BadLine {
            line,
            message: format!("{}: {message}", path.display()),
        },
        other => other,
    })
}

/// Writes records to any writer.
pub fn write_records<I, W>(records: I, mut w: W) -> Result<Counts, SinkError>
where
    I: IntoIterator<Item = Record>,
    W: Write,
{
    let mut counts = Counts::new();
    for r in records {
        serde_json::to_writer(&mut w, &r)?;
        w.write_all(b"\n")
            .map_err(|e| SinkError::io(Path::new("<output>"), e))?;
        *counts.entry(r.type_name()).or_default() += 1;
    }
    w.flush()
        .map_err(|e| SinkError::io(Path::new("<output>"), e))?;
    Ok(counts)
}

pub fn write_path<I: IntoIterator<Item = Record>>(
    records: I,
    path: &Path,
) -> Result<Counts, SinkError> {
    let f = std::fs::File::create(path).map_err(|e| SinkError::io(path, e))?;
    write_records(records, BufWriter::new(f)).map_err(|e| match e {
        SinkError::Io { source, .. } => SinkError::io(path, source),
        other => other,
    })
}
