//! Throughput of the TXT pipeline (decode → scan → rules → records) in bytes per
//! second, on one thread and on all cores, and the share of segmentation in it.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;

use jixiao::extract::extract;
use jixiao::rules::{RuleSet, default_dir};
use jixiao::segment::Segmenter;
use jixiao::source::{self, Format};

/// The bundled corpus, repeated so one iteration is big enough to time.
fn corpus(copies: usize) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    files.sort();
    files
        .iter()
        .cycle()
        .take(files.len() * copies)
        .cloned()
        .collect()
}

/// What the pipeline does per document: decode, figures and lists, tables.
fn process(bytes: &[u8], rules: &RuleSet, segmenter: &Segmenter) -> usize {
    let doc = source::load(Format::Txt, bytes).unwrap();
    extract(&doc, rules, segmenter).figures.len()
        + jixiao::table::indicator_rows(&doc, rules).0.len()
}

fn txt_pipeline(c: &mut Criterion) {
    let rules = RuleSet::load(&default_dir()).unwrap();
    let segmenter = Segmenter::from_rules(&rules);
    let docs = corpus(20);
    let bytes: usize = docs.iter().map(Vec::len).sum();

    segmentation_share(&docs, &rules, &segmenter);

    let mut group = c.benchmark_group("txt_pipeline");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(format!("{threads}_threads"), |b| {
            b.iter(|| {
                pool.install(|| {
                    docs.par_iter()
                        .map(|d| process(d, &rules, &segmenter))
                        .sum::<usize>()
                })
            })
        });
    }
    group.finish();

    let mut stages = c.benchmark_group("stages");
    stages.throughput(Throughput::Bytes(bytes as u64));
    stages.sample_size(20);
    stages.bench_function("decode", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| source::load(Format::Txt, d).unwrap().text.len())
                .sum::<usize>()
        })
    });
    let texts: Vec<String> = docs
        .iter()
        .map(|d| source::load(Format::Txt, d).unwrap().text)
        .collect();
    stages.bench_function("scan_quantities", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| rules.units.scan(black_box(t)).len())
                .sum::<usize>()
        })
    });
    stages.finish();
}

/// Segmentation is only asked for the words before each figure: time that work
/// alone and compare it with the whole extraction, in one run.
fn segmentation_share(docs: &[Vec<u8>], rules: &RuleSet, segmenter: &Segmenter) {
    let prefixes: Vec<String> = docs
        .iter()
        .flat_map(|d| {
            let doc = source::load(Format::Txt, d).unwrap();
            extract(&doc, rules, segmenter)
                .figures
                .iter()
                .map(|f| {
                    let line = doc.line_at(f.span.start);
                    let start = doc.text[line.start..f.span.start]
                        .char_indices()
                        .rev()
                        .nth(20)
                        .map_or(line.start, |(i, _)| line.start + i);
                    doc.text[start..f.span.start].to_string()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let rounds = 5;
    let t = Instant::now();
    for _ in 0..rounds {
        black_box(
            docs.iter()
                .map(|d| process(d, rules, segmenter))
                .sum::<usize>(),
        );
    }
    let whole = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for _ in 0..rounds {
        black_box(
            prefixes
                .iter()
                .map(|p| segmenter.label(p).len())
                .sum::<usize>(),
        );
    }
    let segmentation = t.elapsed().as_secs_f64();
    println!(
        "segmentation share of the TXT pipeline: {:.1}% ({} labels, {:.1} ms of {:.1} ms per round)",
        100.0 * segmentation / whole,
        prefixes.len() / docs.len().max(1),
        1000.0 * segmentation / rounds as f64,
        1000.0 * whole / rounds as f64
    );
}

criterion_group!(benches, txt_pipeline);
criterion_main!(benches);
