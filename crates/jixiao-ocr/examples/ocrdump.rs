//! A PDF's text with its scanned pages read by OCR (`--force`: every page),
//! ruled tables as tab-separated rows, for work on the OCR stage.

use std::time::Instant;

use jixiao_pdf::ocr::Recognizer;
use jixiao_pdf::{Limits, Ocr, OcrMode, grid};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .expect("usage: ocrdump FILE.pdf [--force]");
    let mode = if args.iter().any(|a| a == "--force") {
        OcrMode::Force
    } else {
        OcrMode::Auto
    };
    let started = Instant::now();
    let engine = jixiao_ocr::Engine::load();
    eprintln!("models loaded in {:?}", started.elapsed());
    let recognizer = || match &engine {
        Ok(e) => Ok(e as &dyn Recognizer),
        Err(e) => Err(e.to_string()),
    };
    let ocr = Ocr {
        mode,
        recognizer: &recognizer,
    };
    let bytes = std::fs::read(path).expect("readable file");
    let started = Instant::now();
    let text = jixiao_pdf::extract_with(&bytes, &Limits::default(), &ocr).expect("a readable PDF");
    eprintln!(
        "read in {:?}; warnings: {:?}",
        started.elapsed(),
        text.warnings
    );
    for (page, lines) in text.pages.iter().zip(grid::document_lines(&text.pages)) {
        println!(
            "=== page {} ({} rulings) ===",
            page.number,
            page.rulings.len()
        );
        for line in lines {
            println!("{}", line.text);
        }
    }
}
