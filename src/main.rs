//! The `jixiao` binary: parse the command line, run, map the outcome to an exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    jixiao::pipeline::report_document_panics_on_one_line();
    match cli::run(cli::Cli::parse()) {
        Ok(cli::Outcome::Success) => ExitCode::SUCCESS,
        Ok(cli::Outcome::DocumentsFailed) => ExitCode::from(1),
        Ok(cli::Outcome::Unusable) => ExitCode::from(2),
        Err(e) => {
            eprintln!("jixiao: {e:#}");
            ExitCode::from(2)
        }
    }
}
