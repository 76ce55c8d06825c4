//! The native half of the Python package `jixiao` (`jixiao._jixiao`): runs
//! the library's pipeline for Python callers and hands records back as the
//! CLI's JSON Lines, one string a record (the package's `__init__.py` turns
//! them into dicts), and record tables as Arrow IPC streams (turned into
//! pyarrow tables there). The GIL is released while Rust works; a rule set
//! and its segmenter are loaded once per rule directory and kept.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ::arrow_ipc::writer::StreamWriter;
use pyo3::exceptions::{PyFileNotFoundError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;

use jixiao::pipeline::{self, InputError, Limits};
use jixiao::record::Record;
use jixiao::rules::RuleSet;
use jixiao::segment::Segmenter;
use jixiao::sink::parquet::record_batches;

/// What extraction needs, built once per rule directory: the segmenter's
/// dictionary alone takes tens of milliseconds, which `extract_bytes`, called
/// once per document by engines, must not pay each time.
struct Engine {
    rules: RuleSet,
    segmenter: Segmenter,
}

static ENGINES: Mutex<Option<HashMap<PathBuf, Arc<Engine>>>> = Mutex::new(None);

/// Why a call cannot run, with the messages the CLI prints for the same.
enum Refusal {
    Rules(String),
    Missing(String),
    Nothing(String),
    Threads(String),
}

impl From<Refusal> for PyErr {
    fn from(refusal: Refusal) -> PyErr {
        match refusal {
            Refusal::Missing(m) => PyFileNotFoundError::new_err(m),
            Refusal::Rules(m) | Refusal::Nothing(m) | Refusal::Threads(m) => {
                PyValueError::new_err(m)
            }
        }
    }
}

fn engine(dir: &Path) -> Result<Arc<Engine>, Refusal> {
    let mut engines = ENGINES.lock().unwrap_or_else(|p| p.into_inner());
    let engines = engines.get_or_insert_with(HashMap::new);
    if let Some(engine) = engines.get(dir) {
        return Ok(engine.clone());
    }
    let rules = RuleSet::load(dir).map_err(|errors| {
        let mut message: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        message.push(format!(
            "{} problem(s) in rule files; nothing was read",
            errors.len()
        ));
        Refusal::Rules(message.join("\n"))
    })?;
    let segmenter = Segmenter::from_rules(&rules);
    let engine = Arc::new(Engine { rules, segmenter });
    engines.insert(dir.to_path_buf(), engine.clone());
    Ok(engine)
}

fn json_lines(records: &[Record]) -> Vec<String> {
    records.iter().map(Record::to_json_line).collect()
}

/// The records of every report under `paths` (folders recursively), in the
/// CLI's order, one JSON string a record, on `jobs` threads (None: all cores).
#[pyfunction]
#[pyo3(signature = (paths, rules, jobs=None))]
fn extract(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    rules: PathBuf,
    jobs: Option<usize>,
) -> PyResult<Vec<String>> {
    Ok(py.detach(|| extract_paths(&paths, &rules, jobs))?)
}

fn extract_paths(
    paths: &[PathBuf],
    rules: &Path,
    jobs: Option<usize>,
) -> Result<Vec<String>, Refusal> {
    let engine = engine(rules)?;
    let (files, problems) = pipeline::collect_inputs(paths);
    if let Some(problem) = problems.first() {
        return Err(match problem {
            InputError::Missing(_) => Refusal::Missing(problem.to_string()),
            InputError::Unreadable { .. } => Refusal::Nothing(problem.to_string()),
        });
    }
    if files.is_empty() {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Refusal::Nothing(format!(
            "no .txt or .pdf reports found in {}",
            names.join(", ")
        )));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| Refusal::Threads(format!("cannot start worker threads: {e}")))?;
    let limits = Limits::default();
    let process = |path: &Path| {
        let output =
            pipeline::process_file_with(path, &engine.rules, &|| &engine.segmenter, &limits);
        json_lines(&output.records)
    };
    let mut lines = Vec::new();
    let window = 8 * pool.current_num_threads();
    pipeline::run_ordered(&files, &process, &pool, window, |json| lines.extend(json));
    Ok(lines)
}

/// The records of one document handed over as bytes, named `name` (its
/// extension gives the format); nothing is read from disk.
#[pyfunction]
fn extract_bytes(
    py: Python<'_>,
    name: PathBuf,
    data: PyBackedBytes,
    rules: PathBuf,
) -> PyResult<Vec<String>> {
    let lines = py.detach(|| {
        let engine = engine(&rules)?;
        let output = pipeline::process_bytes_with(
            &name,
            &data,
            &engine.rules,
            &|| &engine.segmenter,
            &Limits::default(),
        );
        Ok::<_, Refusal>(json_lines(&output.records))
    })?;
    Ok(lines)
}

/// Records (JSON strings) → one Arrow IPC stream per table of the Parquet
/// schema, as (table name, bytes) in the Parquet sink's order.
#[pyfunction]
fn arrow_streams<'py>(
    py: Python<'py>,
    records: Vec<String>,
) -> PyResult<Vec<(&'static str, Bound<'py, PyBytes>)>> {
    let streams = py.detach(|| ipc_streams(&records))?;
    Ok(streams
        .into_iter()
        .map(|(name, bytes)| (name, PyBytes::new(py, &bytes)))
        .collect())
}

fn ipc_streams(records: &[String]) -> PyResult<Vec<(&'static str, Vec<u8>)>> {
    let parsed = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            serde_json::from_str::<Record>(r)
                .map_err(|e| PyValueError::new_err(format!("record {}: {e}", i + 1)))
        })
        .collect::<PyResult<Vec<Record>>>()?;
    let batches = record_batches(parsed).map_err(|e| PyValueError::new_err(e.to_string()))?;
    batches
        .into_iter()
        .map(|(def, batch)| {
            let mut writer = StreamWriter::try_new(Vec::new(), &batch.schema()).map_err(arrow)?;
            writer.write(&batch).map_err(arrow)?;
            Ok((def.name, writer.into_inner().map_err(arrow)?))
        })
        .collect()
}

fn arrow(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(format!("Arrow: {e}"))
}

#[pymodule]
fn _jixiao(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(extract, m)?)?;
    m.add_function(wrap_pyfunction!(extract_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(arrow_streams, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
