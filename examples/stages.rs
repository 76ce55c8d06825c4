//! Times each stage of `extract` over the given files, one thread.
use std::time::{Duration, Instant};
fn main() {
    let rules = jixiao::rules::RuleSet::load(&jixiao::rules::default_dir()).unwrap();
    let seg = jixiao::segment::Segmenter::from_rules(&rules);
    let (mut load, mut ext, mut tab) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        let format = jixiao::source::Format::from_path(path.as_ref()).unwrap();
        let t = Instant::now();
        let doc = jixiao::source::load(format, &bytes).unwrap();
        load += t.elapsed();
        let t = Instant::now();
        let e = jixiao::extract::extract(&doc, &rules, &seg);
        ext += t.elapsed();
        let t = Instant::now();
        let rows = jixiao::table::indicator_rows(&doc, &rules);
        tab += t.elapsed();
        std::hint::black_box((e.figures.len(), rows.0.len()));
    }
    println!("load {load:?}  extract {ext:?}  tables {tab:?}");
}
