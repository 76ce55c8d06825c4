//! `jixiao report`: one self-contained HTML page of a records file (charts by
//! year, the comparison, the audit's findings).

use std::path::PathBuf;

use anyhow::{Context, Result};

use jixiao::sink;

use super::Outcome;
use super::shared::{load_rules, read_records};

#[derive(clap::Args)]
pub struct Args {
    records: PathBuf,
    #[arg(short, long, default_value = "out/report.html")]
    output: PathBuf,
    /// Rule directory.
    #[arg(long)]
    rules: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<Outcome> {
    let Some(rules) = load_rules(args.rules.as_deref()) else {
        return Ok(Outcome::Unusable);
    };
    let records = read_records(&args.records)?;
    let output = &args.output;
    if let Some(dir) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let audit = jixiao::audit::audit(&records, &rules.audit);
    let table = jixiao::compare::compare(&records);
    sink::html::write(&records, &table, &audit.findings, output)?;
    eprintln!(
        "jixiao: wrote {} ({} checks, {} do not hold)",
        output.display(),
        audit.evaluated(),
        audit.failed()
    );
    Ok(Outcome::Success)
}
