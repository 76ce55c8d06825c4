//! `jixiao generate`: a synthetic archive (varied seed reports) with each report's truth.

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::Outcome;

#[derive(clap::Args)]
pub struct Args {
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
}

pub fn run(args: Args) -> Result<Outcome> {
    let out = &args.out;
    let truths = jixiao::generate::write_archive(out, args.count, args.seed, args.pdf_share)
        .with_context(|| format!("cannot write the archive into {}", out.display()))?;
    let pdfs = truths.iter().filter(|t| t.format == "pdf").count();
    eprintln!(
        "jixiao: wrote {} report(s) ({pdfs} PDF) and their truth into {}",
        truths.len(),
        out.display()
    );
    Ok(Outcome::Success)
}
