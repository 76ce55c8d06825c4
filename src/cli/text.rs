//! `jixiao text`: one file's text as extraction sees it, each page opened by
//! a `=== page N ===` line for reading, or (`--no-page-markers`) byte for byte
//! the text the records' spans index.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use jixiao::source::{self, Document, Format};

use super::Outcome;
use super::shared::write_stdout;

#[derive(clap::Args)]
pub struct Args {
    file: PathBuf,
    /// Leave out the `=== page N ===` lines: the output is then byte for byte
    /// the text that records' `span`s index.
    #[arg(long)]
    no_page_markers: bool,
}

pub fn run(args: Args) -> Result<Outcome> {
    let file = &args.file;
    let meta =
        std::fs::metadata(file).with_context(|| format!("cannot read {}", file.display()))?;
    if let Some(kind) = source::special_file_kind(meta.file_type()) {
        let error = source::SourceError::NotAFile(kind);
        bail!("{}: {} ({})", file.display(), error, error.code());
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let format = Format::from_path(file).unwrap_or(Format::Txt);
    let doc = match source::load(format, &bytes) {
        Ok(doc) => doc,
        Err(e) => bail!("{}: {} ({})", file.display(), e, e.code()),
    };
    if args.no_page_markers {
        write_stdout(doc.text.as_bytes())?;
    } else {
        write_stdout(page_marked(&doc).as_bytes())?;
    }
    Ok(Outcome::Success)
}

/// The document's lines, each page opened by `=== page N ===`.
fn page_marked(doc: &Document) -> String {
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
    out
}
