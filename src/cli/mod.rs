//! Command line: the subcommands clap parses, one module each (an `Args`
//! checked into a plan where there is anything to check, then a `run`), and
//! the outcome `main` turns into an exit code.

mod audit;
mod compare;
mod extract;
mod report;
mod rules;
mod shared;
mod text;

use anyhow::Result;
use clap::{Parser, Subcommand};

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
    Extract(extract::Args),
    /// Print the extracted text of one file with page markers.
    Text(text::Args),
    /// Year-over-year table per department × metric from a records file.
    Compare(compare::Args),
    /// Consistency checks (declared in rules/audit.toml) over a records file.
    Audit(audit::Args),
    /// One self-contained HTML page: charts by year, comparison, audit findings.
    Report(report::Args),
    /// Validate rule files.
    Rules(rules::Args),
}

/// Exit codes: 0 success, 1 some document failed or nothing was read, 2 bad usage or rules.
pub enum Outcome {
    Success,
    DocumentsFailed,
    Unusable,
}

pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Extract(args) => extract::run(args),
        Command::Text(args) => text::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Report(args) => report::run(args),
        Command::Rules(args) => rules::run(args),
    }
}
