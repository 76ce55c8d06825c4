//! `jixiao extract`: files and folders → records. The arguments are checked
//! into an [`ExtractPlan`]; the run loads the rules, lists the inputs, extracts
//! them in parallel and writes their records in input order, to standard
//! output, a checkpointed JSON Lines file (optionally incremental) or a table
//! sink, with a progress bar and a closing summary.

use std::io::{BufWriter, StdoutLock, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

use jixiao::incremental::{CheckpointWriter, Reusable};
use jixiao::pipeline::{self, DocumentOutput, Limits, Shard};
use jixiao::record::Record;
use jixiao::rules::RuleSet;
use jixiao::segment::Segmenter;
use jixiao::sink::parquet::ParquetWriter;
use jixiao::{sink, source};

use super::Outcome;
use super::shared::load_rules;

#[derive(clap::Args)]
pub struct Args {
    /// Files and folders (searched recursively for .txt and .pdf).
    paths: Vec<PathBuf>,
    /// Also read the files and folders listed in FILE, one a line (`-`: standard input).
    #[arg(long, value_name = "FILE")]
    files_from: Option<PathBuf>,
    /// Read only share I of N (1 <= I <= N), chosen by a hash of each file's path
    /// relative to the path given: N machines, each with its own I, read every
    /// file exactly once between them.
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    /// Write JSON Lines here instead of standard output (`-` is standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Rule directory.
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short, long)]
    jobs: Option<usize>,
    /// jsonl, csv (a folder of CSV files), xlsx, sqlite, parquet (a folder of
    /// Parquet files) or html; all but jsonl need -o.
    #[arg(short, long, default_value = "jsonl")]
    format: String,
    /// Reuse the records of documents unchanged since the last run into -o FILE
    /// (same content, same rules); a run killed midway is finished, not restarted.
    #[arg(long)]
    incremental: bool,
    /// Seconds one document may take before it becomes a `timeout` error record.
    #[arg(long, default_value_t = 60.0)]
    timeout: f64,
    /// No summary on standard error.
    #[arg(short, long)]
    quiet: bool,
    /// OCR of PDF pages: auto (scanned pages, and pages whose text layer has
    /// no Unicode mapping), off (a scanned file is a `no_text_layer` error)
    /// or force (every page, whatever its text layer).
    #[arg(long, value_enum, default_value_t = OcrArg::Auto)]
    ocr: OcrArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OcrArg {
    Auto,
    Off,
    Force,
}

impl From<OcrArg> for source::OcrMode {
    fn from(arg: OcrArg) -> source::OcrMode {
        match arg {
            OcrArg::Auto => source::OcrMode::Auto,
            OcrArg::Off => source::OcrMode::Off,
            OcrArg::Force => source::OcrMode::Force,
        }
    }
}

/// Where the records go.
enum Destination {
    Stdout,
    /// A JSON Lines file written through a checkpoint; `incremental` reuses
    /// the records an earlier run left there.
    JsonLines {
        path: PathBuf,
        incremental: bool,
    },
    /// A table sink (CSV, XLSX, SQLite, HTML written once every document is
    /// done; Parquet as documents come).
    Table {
        format: sink::Format,
        path: PathBuf,
    },
}

/// `extract`'s arguments, checked: every usage error is reported before a rule
/// file or a document is read, and the run only sees a consistent plan.
struct ExtractPlan {
    destination: Destination,
    rules: Option<PathBuf>,
    inputs: Vec<PathBuf>,
    shard: Option<Shard>,
    /// Worker threads; 0 for one per core.
    jobs: usize,
    limits: Limits,
    quiet: bool,
}

const INCREMENTAL_NEEDS_JSONL_FILE: &str =
    "--incremental keeps a JSON Lines output up to date: give it with -o (and --format jsonl)";

impl TryFrom<Args> for ExtractPlan {
    type Error = anyhow::Error;

    fn try_from(args: Args) -> Result<ExtractPlan> {
        let format: sink::Format = args.format.parse()?;
        // `-o -` is standard output, as `--files-from -` is standard input.
        let output = args.output.filter(|path| path != Path::new("-"));
        let destination = match output {
            None if format != sink::Format::Jsonl => bail!(
                "--format {} writes files: give the output path with -o",
                args.format
            ),
            None if args.incremental => bail!(INCREMENTAL_NEEDS_JSONL_FILE),
            None => Destination::Stdout,
            Some(path) if format == sink::Format::Jsonl => Destination::JsonLines {
                path,
                incremental: args.incremental,
            },
            Some(_) if args.incremental => bail!(INCREMENTAL_NEEDS_JSONL_FILE),
            Some(path) => Destination::Table { format, path },
        };
        let time_budget = Duration::try_from_secs_f64(args.timeout).map_err(|_| {
            anyhow!(
                "--timeout takes the seconds one document may take (0 or more), not {}",
                args.timeout
            )
        })?;
        let mut inputs = args.paths;
        match &args.files_from {
            Some(list) => inputs.extend(read_input_list(list)?),
            None if inputs.is_empty() => inputs.push(PathBuf::from("corpus")),
            None => {}
        }
        Ok(ExtractPlan {
            destination,
            rules: args.rules,
            inputs,
            shard: args.shard,
            jobs: args.jobs.unwrap_or(0),
            limits: Limits {
                time_budget,
                ocr: args.ocr.into(),
                ..Limits::default()
            },
            quiet: args.quiet,
        })
    }
}

/// The paths listed in `list` (`-`: standard input), one a line; blank lines
/// are skipped. Read with the arguments, so a missing list is a usage error.
fn read_input_list(list: &Path) -> Result<Vec<PathBuf>> {
    let text = if list == Path::new("-") {
        std::io::read_to_string(std::io::stdin().lock())
    } else {
        std::fs::read_to_string(list)
    }
    .with_context(|| format!("--files-from: cannot read {}", list.display()))?;
    Ok(text
        .lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty())
        .map(PathBuf::from)
        .collect())
}

pub fn run(args: Args) -> Result<Outcome> {
    let plan = ExtractPlan::try_from(args)?;
    // Rules are checked before any document is read.
    let Some(rules) = load_rules(plan.rules.as_deref()) else {
        return Ok(Outcome::Unusable);
    };
    let (files, problems) = pipeline::collect_share(&plan.inputs, plan.shard);
    for p in &problems {
        eprintln!("jixiao: {p}");
    }
    // A share may hold none of a small archive's files: that is no failure,
    // and its (empty) output is still written for whoever gathers the shares.
    let empty_share =
        || plan.shard.is_some() && !pipeline::collect_inputs(&plan.inputs).0.is_empty();
    if files.is_empty() && !empty_share() {
        eprintln!(
            "jixiao: no .txt or .pdf reports found in {}",
            display_list(&plan.inputs)
        );
        return Ok(Outcome::DocumentsFailed);
    }
    let summary = extract_files(&plan, &rules, &files)?;
    if !plan.quiet {
        summary.print();
    }
    Ok(if !summary.failed.is_empty() || !problems.is_empty() {
        Outcome::DocumentsFailed
    } else {
        Outcome::Success
    })
}

/// Extracts `files` on a pool of `plan.jobs` workers and writes their records
/// in the order of `files` as they finish.
fn extract_files(plan: &ExtractPlan, rules: &RuleSet, files: &[PathBuf]) -> Result<Summary> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs)
        .build()
        .context("cannot start worker threads")?;
    // The fingerprint ties a JSON Lines output to the rules that made it.
    let fingerprint = match plan.destination {
        Destination::JsonLines { .. } => rules.fingerprint(),
        _ => String::new(),
    };
    // Read before the writer replaces what an interrupted run left.
    let reusable = match &plan.destination {
        Destination::JsonLines {
            path,
            incremental: true,
        } => Reusable::load(path, &fingerprint),
        _ => Reusable::default(),
    };
    let worker = Worker {
        rules,
        segmenter: OnceLock::new(),
        limits: plan.limits,
        reusable,
        serialise: !matches!(plan.destination, Destination::Table { .. }),
    };
    let mut writer = Writer::open(&plan.destination, &fingerprint)?;
    let progress = Progress::new(files.len() as u64, plan.quiet);
    let mut summary = Summary::starting_now();
    let mut write_error: Option<std::io::Error> = None;
    // Enough finished documents to keep every worker busy while the writer
    // catches up, few enough that an archive never sits in memory.
    let window = 8 * pool.current_num_threads();
    std::thread::scope(|scope| {
        scope.spawn(|| worker.segmenter());
        let process = |path: &Path| worker.process(path);
        pipeline::run_ordered(files, &process, &pool, window, |(output, json)| {
            summary.add(&output);
            progress.advance(&summary);
            if write_error.is_none()
                && let Err(e) = writer.write(output.records, &json)
            {
                write_error = Some(e);
            }
        });
    });
    progress.finish();
    match write_error {
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Some(e) => return Err(e).context("cannot write records"),
        None => {}
    }
    writer.finish()?;
    Ok(summary)
}

/// What every worker thread does with a file.
struct Worker<'r> {
    rules: &'r RuleSet,
    /// The dictionary takes about 0.1 s to build: it is built beside the
    /// workers, which start by parsing files and ask for it only to extract.
    segmenter: OnceLock<Segmenter>,
    limits: Limits,
    reusable: Reusable,
    /// Workers serialise their own records for the JSON Lines writers: the
    /// writer only copies bytes, so it does not become the one thread
    /// everything waits for.
    serialise: bool,
}

impl Worker<'_> {
    fn segmenter(&self) -> &Segmenter {
        self.segmenter
            .get_or_init(|| Segmenter::from_rules(self.rules))
    }

    /// The file's output and, when the writer wants it, its records as JSON Lines.
    fn process(&self, path: &Path) -> (DocumentOutput, String) {
        let output = self.reuse(path).unwrap_or_else(|| {
            pipeline::process_file_with(path, self.rules, &|| self.segmenter(), &self.limits)
        });
        let json = if self.serialise {
            to_json_lines(&output.records)
        } else {
            String::new()
        };
        (output, json)
    }

    /// The records an earlier run made of this very content, under the same rules.
    fn reuse(&self, path: &Path) -> Option<DocumentOutput> {
        if self.reusable.is_empty() {
            return None;
        }
        // Only a regular file is opened here: a FIFO would block the run.
        if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        let records = self.reusable.take(path, &source::doc_id(&bytes))?;
        Some(DocumentOutput {
            path: path.to_path_buf(),
            records,
            failed: false,
            reused: true,
        })
    }
}

fn to_json_lines(records: &[Record]) -> String {
    let mut json = String::new();
    for record in records {
        json.push_str(&record.to_json_line());
        json.push('\n');
    }
    json
}

/// Puts records where the plan says as they come.
enum Writer {
    Stdout(BufWriter<StdoutLock<'static>>),
    Checkpoint(CheckpointWriter),
    Parquet(ParquetWriter),
    Collect {
        records: Vec<Record>,
        format: sink::Format,
        path: PathBuf,
    },
}

impl Writer {
    fn open(destination: &Destination, fingerprint: &str) -> Result<Writer> {
        Ok(match destination {
            Destination::Stdout => Writer::Stdout(BufWriter::new(std::io::stdout().lock())),
            Destination::JsonLines { path, .. } => Writer::Checkpoint(
                CheckpointWriter::create(path, fingerprint)
                    .with_context(|| format!("cannot write next to {}", path.display()))?,
            ),
            Destination::Table {
                format: sink::Format::Parquet,
                path,
            } => Writer::Parquet(
                ParquetWriter::create(path)
                    .with_context(|| format!("cannot write {}", path.display()))?,
            ),
            Destination::Table { format, path } => Writer::Collect {
                records: Vec::new(),
                format: *format,
                path: path.clone(),
            },
        })
    }

    /// `json` holds the records as JSON Lines for the JSON Lines writers.
    fn write(&mut self, records: Vec<Record>, json: &str) -> std::io::Result<()> {
        match self {
            Writer::Stdout(out) => out.write_all(json.as_bytes()),
            Writer::Checkpoint(w) => w.write_document(&records, json),
            Writer::Parquet(w) => w.write(records).map_err(std::io::Error::other),
            Writer::Collect { records: all, .. } => {
                all.extend(records);
                Ok(())
            }
        }
    }

    /// Flushes standard output (a closed pipe is not an error), moves the
    /// checkpointed file into place, or writes the table sink.
    fn finish(self) -> Result<()> {
        match self {
            Writer::Stdout(mut out) => match out.flush() {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(e).context("cannot write records")
                }
                _ => Ok(()),
            },
            Writer::Checkpoint(w) => w.finish().context("cannot move the output into place"),
            Writer::Parquet(w) => w.finish().map(|_| ()).context("cannot write records"),
            Writer::Collect {
                records,
                format,
                path,
            } => {
                sink::write_records(format, records, &path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Ok(())
            }
        }
    }
}

/// Counts for the closing summary and the progress line.
struct Summary {
    started: Instant,
    documents: u64,
    pages: u64,
    bytes: u64,
    figures: u64,
    with_metric: u64,
    reused: u64,
    failed: Vec<String>,
}

impl Summary {
    fn starting_now() -> Summary {
        Summary {
            started: Instant::now(),
            documents: 0,
            pages: 0,
            bytes: 0,
            figures: 0,
            with_metric: 0,
            reused: 0,
            failed: Vec::new(),
        }
    }

    fn add(&mut self, output: &DocumentOutput) {
        self.documents += 1;
        self.reused += u64::from(output.reused);
        self.bytes += std::fs::metadata(&output.path).map_or(0, |m| m.len());
        for record in &output.records {
            match record {
                Record::Document(d) => {
                    self.pages += u64::from(d.pages);
                    if let Some(e) = d.error.as_ref().filter(|_| output.failed) {
                        self.failed
                            .push(format!("{}: {} ({})", d.path, e.message, e.code));
                    }
                }
                Record::Figure(f) => {
                    self.figures += 1;
                    self.with_metric += u64::from(f.metric.is_some());
                }
                _ => {}
            }
        }
    }

    /// The closing lines on standard error: counts, time, then each failure.
    fn print(&self) {
        let reused = if self.reused > 0 {
            format!(", {} reused from the previous output", self.reused)
        } else {
            String::new()
        };
        eprintln!(
            "jixiao: {} document(s), {} failed, {} figures ({} with a metric){reused} in {:.2}s",
            self.documents,
            self.failed.len(),
            self.figures,
            self.with_metric,
            self.started.elapsed().as_secs_f64()
        );
        for line in &self.failed {
            eprintln!("  {line}");
        }
    }
}

/// A progress bar on a terminal (files, pages, MB/s, errors, ETA); nothing when
/// standard error is piped or `--quiet` is given.
struct Progress {
    bar: indicatif::ProgressBar,
    started: Instant,
}

impl Progress {
    fn new(files: u64, quiet: bool) -> Progress {
        use std::io::IsTerminal;
        let bar = if quiet || !std::io::stderr().is_terminal() {
            indicatif::ProgressBar::hidden()
        } else {
            let bar = indicatif::ProgressBar::new(files);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} files  {msg}  ETA {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        };
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    fn advance(&self, summary: &Summary) {
        if self.bar.is_hidden() {
            return;
        }
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{} pages  {:.1} MB/s  {} errors",
            summary.pages,
            summary.bytes as f64 / 1e6 / seconds,
            summary.failed.len()
        ));
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn display_list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
