//! Command line: flags → validated configuration, one function per subcommand.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use crate_root::pipeline;
use crate_root::record::Record;
use crate_root::rules::{RuleSet, default_dir};
use crate_root::segment::Segmenter;
use crate_root::source::{self, Format};

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
    let segmenter = Segmenter::new(&rules.dictionary);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let started = std::time::Instant::now();
    let outputs = pool.install(|| pipeline::run(&files, &rules, &segmenter));

    let mut lines = String::new();
    let (mut documents, mut failed, mut figures, mut with_metric) = (0, 0, 0, 0);
    for output in &outputs {
        documents += 1;
        failed += usize::from(output.failed);
        for record in &output.records {
            if let Record::Figure(f) = record {
                figures += 1;
                with_metric += usize::from(f.metric.is_some());
            }
            lines.push_str(&record.to_json_line());
            lines.push('\n');
        }
    }
    match &args.output {
        Some(path) => write_atomically(path, lines.as_bytes())?,
        None => write_stdout(lines.as_bytes())?,
    }
    if !args.quiet {
        eprintln!(
            "jixiao: {documents} document(s), {failed} failed, {figures} figures ({with_metric} with a metric) in {:.2}s",
            started.elapsed().as_secs_f64()
        );
        for output in outputs.iter().filter(|o| o.failed) {
            if let Some(Record::Document(d)) = output.records.first()
                && let Some(e) = &d.error
            {
                eprintln!("  {}: {} ({})", d.path, e.message, e.code);
            }
        }
    }
    Ok(if failed > 0 || !problems.is_empty() {
        Outcome::DocumentsFailed
    } else {
        Outcome::Success
    })
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
