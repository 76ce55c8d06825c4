//! `cargo run -p xtask -- TASK`: jixiao's development tasks. `generate`
//! writes a synthetic archive (`--count N --out DIR [--seed S] [--pdf-share X]`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use xtask::generate::write_archive;

#[derive(Parser)]
#[command(name = "xtask", about = "Development tasks for jixiao (not shipped)")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Write a synthetic archive (varied seed reports) with each report's truth.
    Generate(GenerateArgs),
}

#[derive(clap::Args)]
struct GenerateArgs {
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

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Generate(args) => generate(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn generate(args: &GenerateArgs) -> Result<()> {
    let out = &args.out;
    let truths = write_archive(out, args.count, args.seed, args.pdf_share)
        .with_context(|| format!("cannot write the archive into {}", out.display()))?;
    let pdfs = truths.iter().filter(|t| t.format == "pdf").count();
    eprintln!(
        "xtask: wrote {} report(s) ({pdfs} PDF) and their truth into {}",
        truths.len(),
        out.display()
    );
    Ok(())
}
