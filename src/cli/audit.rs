//! `jixiao audit`: the checks of `rules/audit.toml` over a records file, as
//! an aligned table for people or as finding records.

use std::path::PathBuf;
use std::str::FromStr;

use anyhow::{Result, bail};

use jixiao::audit as checks;
use jixiao::record::Record;
use jixiao::sink::jsonl;

use super::Outcome;
use super::shared::{emit, load_rules, read_records};

#[derive(clap::Args)]
pub struct Args {
    records: PathBuf,
    /// table (for people) or jsonl (finding records).
    #[arg(short, long, default_value = "table")]
    format: String,
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Rule directory.
    #[arg(long)]
    rules: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq)]
enum AuditFormat {
    Table,
    Jsonl,
}

impl FromStr for AuditFormat {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<AuditFormat> {
        match s {
            "table" => Ok(AuditFormat::Table),
            "jsonl" => Ok(AuditFormat::Jsonl),
            other => bail!("unknown audit format `{other}` (expected table or jsonl)"),
        }
    }
}

/// `audit`'s arguments, checked before the rules or the records are read.
struct AuditPlan {
    records: PathBuf,
    format: AuditFormat,
    output: Option<PathBuf>,
    rules: Option<PathBuf>,
}

impl TryFrom<Args> for AuditPlan {
    type Error = anyhow::Error;

    fn try_from(args: Args) -> Result<AuditPlan> {
        Ok(AuditPlan {
            format: args.format.parse()?,
            records: args.records,
            output: args.output,
            rules: args.rules,
        })
    }
}

pub fn run(args: Args) -> Result<Outcome> {
    let plan = AuditPlan::try_from(args)?;
    let Some(rules) = load_rules(plan.rules.as_deref()) else {
        return Ok(Outcome::Unusable);
    };
    let records = read_records(&plan.records)?;
    let report = checks::audit(&records, &rules.audit);
    let bytes = match plan.format {
        AuditFormat::Table => checks::render_table(&report, &records, &rules.audit).into_bytes(),
        AuditFormat::Jsonl => {
            let mut bytes = Vec::new();
            let findings = report.findings.iter().cloned().map(Record::Finding);
            jsonl::write_records(findings, &mut bytes)?;
            bytes
        }
    };
    emit(plan.output.as_deref(), &bytes)?;
    if plan.format == AuditFormat::Jsonl {
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
