//! Command line: flags → validated configuration, one function per subcommand.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use crate_root::record::Record;
use crate_root::rules::{RuleSet, default_dir};
use crate_root::segment::Segmenter;
use crate_root::sink::comparison::{self as compare_output, CompareFormat};
use crate_root::sink::jsonl;
use crate_root::source::{self, Format};
use crate_root::{audit as audit_checks, compare as comparison, incremental, pipeline, sink};

use jixiao as crate_root;

#[derive(Parser)]
#[command(
    name = "jixiao",
    version,
    about = "Budget-performance reports (绩效自评表, 绩效评价报告) → auditable JSON records"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Extract documents, figures and metrics from files and folders (default: corpus/).
    Extract(ExtractArgs),
    /// Print the extracted text of one file with page markers.
    Text { file: PathBuf },
    /// Year-over-year table per department × metric from a records file.
    Compare {
        records: PathBuf,
        /// table, csv (UTF-8 with BOM), xlsx or json.
        #[arg(short, long, default_value = "table")]
        format: String,
        /// Write here instead of standard output (required for xlsx).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Consistency checks (declared in rules/audit.toml) over a records file.
    Audit {
        records: PathBuf,
        /// table (for people) or jsonl (finding records).
        #[arg(short, long, default_value = "table")]
        format: String,
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Rule directory.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// One self-contained HTML page: charts by year, comparison, audit findings.
    Report {
        records: PathBuf,
        #[arg(short, long, default_value = "out/report.html")]
        output: PathBuf,
        /// Rule directory.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Write a synthetic archive (varied seed reports) with each report's truth.
    Generate {
        /// How many reports.
        #[arg(long)]
        count: u64,
        /// Folder to write into (created when missing).
        #[arg(long)]
        out: PathBuf,
        /// The same seed always gives the same archive.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Share of the reports written as PDF (0–1).
        #[arg(long, default_value_t = 0.2)]
        pdf_share: f64,
    },
    /// Validate rule files.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Check every rule file in DIR (default: rules/); errors name file:line:col.
    Check { dir: Option<PathBuf> },
}

#[derive(clap::Args)]
pub struct ExtractArgs {
    /// Files and folders (searched recursively for .txt and .pdf).
    pub paths: Vec<PathBuf>,
    /// Write JSON Lines here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Rule directory.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short, long)]
    pub jobs: Option<usize>,
    /// jsonl, csv (a folder of CSV files), xlsx, sqlite or html; all but jsonl need -o.
    #[arg(short, long, default_value = "jsonl")]
    pub format: String,
    /// Reuse the records of documents unchanged since the last run into -o FILE
    /// (same content, same rules); a run killed midway is finished, not restarted.
    #[arg(long)]
    pub incremental: bool,
    /// Seconds one document may take before it becomes a `timeout` error record.
    #[arg(long, default_value_t = 60.0)]
    pub timeout: f64,
    /// No summary on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Exit codes: 0 success, 1 some document failed or nothing was read, 2 bad usage or rules.
pub enum Outcome {
    Success,
    DocumentsFailed,
    Unusable,
}

pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Extract(args) => extract(args),
        Command::Text { file } => text(&file),
        Command::Compare {
            records,
            format,
            output,
        } => compare(&records, &format, output.as_deref()),
        Command::Audit {
            records,
            format,
            output,
            rules,
        } => audit(&records, &format, output.as_deref(), rules),
        Command::Report {
            records,
            output,
            rules,
        } => report(&records, &output, rules),
        Command::Generate {
            count,
            out,
            seed,
            pdf_share,
        } => generate(count, &out, seed, pdf_share),
        Command::Rules {
            command: RulesCommand::Check { dir },
        } => rules_check(dir),
    }
}

/// Loads the rule directory, printing every problem; `None` when it is unusable.
fn load_rules(dir: Option<PathBuf>) -> Option<RuleSet> {
    let dir = dir.unwrap_or_else(|| {
        let local = PathBuf::from("rules");
        if local.is_dir() { local } else { default_dir() }
    });
    match RuleSet::load(&dir) {
        Ok(rules) => Some(rules),
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!(
                "jixiao: {} problem(s) in rule files; nothing was read",
                errors.len()
            );
            None
        }
    }
}

fn rules_check(dir: Option<PathBuf>) -> Result<Outcome> {
    let Some(rules) = load_rules(dir) else {
        return Ok(Outcome::Unusable);
    };
    println!(
        "{}: ok ({} metrics, {} label rules, {} line rules, {} units)",
        rules.dir.display(),
        rules.metrics.len(),
        rules.label_rules.len(),
        rules.line_rules.len(),
        rules.units.units().len()
    );
    Ok(Outcome::Success)
}

fn extract(args: ExtractArgs) -> Result<Outcome> {
    let format: sink::Format = args.format.parse()?;
    if format != sink::Format::Jsonl && args.output.is_none() {
        bail!(
            "--format {} writes files: give the output path with -o",
            args.format
        );
    }
    if args.incremental && (args.output.is_none() || format != sink::Format::Jsonl) {
        bail!(
            "--incremental keeps a JSON Lines output up to date: give it with -o (and --format jsonl)"
        );
    }
    // Rules are checked before any document is read.
    let Some(rules) = load_rules(args.rules) else {
        return Ok(Outcome::Unusable);
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("corpus")]
    } else {
        args.paths
    };
    let (files, problems) = pipeline::collect_inputs(&paths);
    for p in &problems {
        eprintln!("jixiao: {p}");
    }
    if files.is_empty() {
        eprintln!(
            "jixiao: no .txt or .pdf reports found in {}",
            display_list(&paths)
        );
        return Ok(Outcome::DocumentsFailed);
    }
    // The segmenter's dictionary takes about 0.1 s to build: build it beside the
    // workers, which start by parsing files and ask for it only to extract.
    let segmenter: std::sync::OnceLock<Segmenter> = std::sync::OnceLock::new();
    let segmenter_now = || segmenter.get_or_init(|| Segmenter::from_rules(&rules));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let limits = pipeline::Limits {
        time_budget: std::time::Duration::from_secs_f64(args.timeout),
        ..pipeline::Limits::default()
    };
    let fingerprint = match &args.output {
        Some(_) => rules.fingerprint(),
        None => String::new(),
    };
    let reusable = match (&args.output, args.incremental) {
        (Some(path), true) => incremental::Reusable::load(path, &fingerprint),
        _ => incremental::Reusable::default(),
    };
    let extract_one = |path: &Path| -> pipeline::DocumentOutput {
        if !reusable.is_empty()
            && let Ok(bytes) = std::fs::read(path)
            && let Some(records) = reusable.take(path, &source::doc_id(&bytes))
        {
            return pipeline::DocumentOutput {
                path: path.to_path_buf(),
                records,
                failed: false,
                reused: true,
            };
        }
        pipeline::process_file_with(path, &rules, &segmenter_now, &limits)
    };
    // Workers serialise their own records: the writer only copies bytes, so it
    // does not become the one thread everything waits for.
    let serialise = matches!(format, sink::Format::Jsonl);
    let process = |path: &Path| -> (pipeline::DocumentOutput, String) {
        let output = extract_one(path);
        let json = if serialise {
            to_json_lines(&output.records)
        } else {
            String::new()
        };
        (output, json)
    };

    let mut writer = match (&args.output, format) {
        (Some(path), sink::Format::Jsonl) => Writer::Checkpoint(
            incremental::CheckpointWriter::create(path, &fingerprint)
                .with_context(|| format!("cannot write next to {}", path.display()))?,
        ),
        (None, _) => Writer::Stdout(std::io::BufWriter::new(std::io::stdout().lock())),
        (Some(_), _) => Writer::Collect(Vec::new()),
    };
    let progress = Progress::new(files.len() as u64, args.quiet);
    let started = std::time::Instant::now();
    let mut summary = Summary::default();
    let mut write_error: Option<std::io::Error> = None;
    // Enough finished documents to keep every worker busy while the writer
    // catches up, few enough that an archive never sits in memory.
    let window = 8 * pool.current_num_threads();
    std::thread::scope(|scope| {
        scope.spawn(segmenter_now);
        pipeline::run_ordered(&files, &process, &pool, window, |(output, json)| {
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
    match writer {
        Writer::Stdout(mut out) => match out.flush() {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(e).context("cannot write records");
            }
            _ => {}
        },
        Writer::Checkpoint(w) => w.finish().context("cannot move the output into place")?,
        Writer::Collect(records) => {
            let path = args.output.as_deref().expect("checked above");
            sink::write_records(format, records, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    if !args.quiet {
        let reused = if summary.reused > 0 {
            format!(", {} reused from the previous output", summary.reused)
        } else {
            String::new()
        };
        eprintln!(
            "jixiao: {} document(s), {} failed, {} figures ({} with a metric){reused} in {:.2}s",
            summary.documents,
            summary.failed.len(),
            summary.figures,
            summary.with_metric,
            started.elapsed().as_secs_f64()
        );
        for line in &summary.failed {
            eprintln!("  {line}");
        }
    }
    Ok(if !summary.failed.is_empty() || !problems.is_empty() {
        Outcome::DocumentsFailed
    } else {
        Outcome::Success
    })
}

fn to_json_lines(records: &[Record]) -> String {
    let mut json = String::new();
    for record in records {
        json.push_str(&record.to_json_line());
        json.push('\n');
    }
    json
}

/// Where `extract` puts records as they come.
enum Writer {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    Checkpoint(incremental::CheckpointWriter),
    /// Table sinks (CSV, XLSX, SQLite, HTML) are written at the end.
    Collect(Vec<Record>),
}

impl Writer {
    /// `json` holds the records as JSON Lines for the JSONL writers.
    fn write(&mut self, records: Vec<Record>, json: &str) -> std::io::Result<()> {
        match self {
            Writer::Stdout(out) => out.write_all(json.as_bytes()),
            Writer::Checkpoint(w) => w.write_document(&records, json),
            Writer::Collect(all) => {
                all.extend(records);
                Ok(())
            }
        }
    }
}

/// Counts for the closing summary and the progress line.
#[derive(Default)]
struct Summary {
    documents: u64,
    pages: u64,
    bytes: u64,
    figures: u64,
    with_metric: u64,
    reused: u64,
    failed: Vec<String>,
}

impl Summary {
    fn add(&mut self, output: &pipeline::DocumentOutput) {
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
}

/// A progress bar on a terminal (files, pages, MB/s, errors, ETA); nothing when
/// standard error is piped or `--quiet` is given.
struct Progress {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
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
            started: std::time::Instant::now(),
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

/// Writes to a temporary file beside `path` and renames it, so an interrupted
/// run never leaves a half-written output in place of the previous one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("out"),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("cannot move output to {}", path.display()))?;
    Ok(())
}

/// A closed pipe (`jixiao extract | head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

fn text(file: &Path) -> Result<Outcome> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let format = Format::from_path(file).unwrap_or(Format::Txt);
    let doc = match source::load(format, &bytes) {
        Ok(doc) => doc,
        Err(e) => bail!("{}: {} ({})", file.display(), e, e.code()),
    };
    let mut out = String::with_capacity(doc.text.len() + 64);
    let mut page = 0;
    for line in &doc.lines {
        if line.page != page {
            page = line.page;
            out.push_str(&format!("=== page {page} ===\n"));
        }
        out.push_str(doc.line_text(line).trim_end_matches('\x0c'));
        out.push('\n');
    }
    write_stdout(out.as_bytes())?;
    Ok(Outcome::Success)
}

fn read_records(path: &Path) -> Result<Vec<Record>> {
    jsonl::read_path(path).with_context(|| format!("cannot read records from {}", path.display()))
}

/// Writes `bytes` to `output`, or to standard output when there is none.
fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match output {
        Some(path) => write_atomically(path, bytes),
        None => write_stdout(bytes),
    }
}

fn compare(records: &Path, format: &str, output: Option<&Path>) -> Result<Outcome> {
    let format: CompareFormat = format.parse()?;
    if format == CompareFormat::Xlsx && output.is_none() {
        bail!("--format xlsx writes a file: give its path with -o");
    }
    let records = read_records(records)?;
    let table = comparison::compare(&records);
    let mut bytes = Vec::new();
    compare_output::write(&table, format, &mut bytes)?;
    emit(output, &bytes)?;
    Ok(Outcome::Success)
}

fn audit(
    records: &Path,
    format: &str,
    output: Option<&Path>,
    rules: Option<PathBuf>,
) -> Result<Outcome> {
    let Some(rules) = load_rules(rules) else {
        return Ok(Outcome::Unusable);
    };
    let records = read_records(records)?;
    let report = audit_checks::audit(&records, &rules.audit);
    let bytes = match format {
        "table" => audit_checks::render_table(&report, &records, &rules.audit).into_bytes(),
        "jsonl" => {
            let mut bytes = Vec::new();
            let findings = report.findings.iter().cloned().map(Record::Finding);
            jsonl::write_records(findings, &mut bytes)?;
            bytes
        }
        other => bail!("unknown audit format `{other}` (expected table or jsonl)"),
    };
    emit(output, &bytes)?;
    if format == "jsonl" {
        // The table carries this line itself.
        eprintln!(
            "jixiao: {} checks evaluated, {} do not hold, {} skipped (inputs missing)",
            report.evaluated(),
            report.failed(),
            report.skipped.len()
        );
    }
    Ok(Outcome::Success)
}

fn report(records: &Path, output: &Path, rules: Option<PathBuf>) -> Result<Outcome> {
    let Some(rules) = load_rules(rules) else {
        return Ok(Outcome::Unusable);
    };
    let records = read_records(records)?;
    if let Some(dir) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let audit = audit_checks::audit(&records, &rules.audit);
    let table = comparison::compare(&records);
    sink::html::write(&records, &table, &audit.findings, output)?;
    eprintln!(
        "jixiao: wrote {} ({} checks, {} do not hold)",
        output.display(),
        audit.evaluated(),
        audit.failed()
    );
    Ok(Outcome::Success)
}

fn generate(count: u64, out: &Path, seed: u64, pdf_share: f64) -> Result<Outcome> {
    let truths = crate_root::generate::write_archive(out, count, seed, pdf_share)
        .with_context(|| format!("cannot write the archive into {}", out.display()))?;
    let pdfs = truths.iter().filter(|t| t.format == "pdf").count();
    eprintln!(
        "jixiao: wrote {} report(s) ({pdfs} PDF) and their truth into {}",
        truths.len(),
        out.display()
    );
    Ok(Outcome::Success)
}
