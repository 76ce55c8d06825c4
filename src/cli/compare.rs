//! `jixiao compare`: the year-over-year table of a records file.

use std::path::PathBuf;

use anyhow::{Result, bail};

use jixiao::compare as comparison;
use jixiao::sink::comparison::{self as compare_output, CompareFormat};

use super::Outcome;
use super::shared::{emit, read_records};

#[derive(clap::Args)]
pub struct Args {
    records: PathBuf,
    /// table, csv (UTF-8 with BOM), xlsx or json.
    #[arg(short, long, default_value = "table")]
    format: String,
    /// Write here instead of standard output (required for xlsx).
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// `compare`'s arguments, checked before the records are read.
struct ComparePlan {
    records: PathBuf,
    format: CompareFormat,
    output: Option<PathBuf>,
}

impl TryFrom<Args> for ComparePlan {
    type Error = anyhow::Error;

    fn try_from(args: Args) -> Result<ComparePlan> {
        let format: CompareFormat = args.format.parse()?;
        if format == CompareFormat::Xlsx && args.output.is_none() {
            bail!("--format xlsx writes a file: give its path with -o");
        }
        Ok(ComparePlan {
            records: args.records,
            format,
            output: args.output,
        })
    }
}

pub fn run(args: Args) -> Result<Outcome> {
    let plan = ComparePlan::try_from(args)?;
    let records = read_records(&plan.records)?;
    let table = comparison::compare(&records);
    let mut bytes = Vec::new();
    compare_output::write(&table, plan.format, &mut bytes)?;
    emit(plan.output.as_deref(), &bytes)?;
    Ok(Outcome::Success)
}
