//! `jixiao rules check`: load a rule directory and report every problem in it.

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use super::Outcome;
use super::shared::load_rules;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: RulesCommand,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Check every rule file in DIR (default: rules/); errors name file:line:col.
    Check { dir: Option<PathBuf> },
}

pub fn run(args: Args) -> Result<Outcome> {
    match args.command {
        RulesCommand::Check { dir } => check(dir),
    }
}

fn check(dir: Option<PathBuf>) -> Result<Outcome> {
    let Some(rules) = load_rules(dir.as_deref()) else {
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
