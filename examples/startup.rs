//! Times the fixed start-up costs of a run: rule loading and the segmenter.
use std::time::Instant;
fn main() {
    let t = Instant::now();
    let rules = jixiao::rules::RuleSet::load(&jixiao::rules::default_dir()).unwrap();
    let a = t.elapsed();
    let t = Instant::now();
    let seg = jixiao::segment::Segmenter::from_rules(&rules);
    let b = t.elapsed();
    let t = Instant::now();
    let f = rules.fingerprint();
    let c = t.elapsed();
    println!(
        "rules {a:?}, segmenter {b:?}, fingerprint {c:?} ({}, {})",
        seg.label("部门预算收入"),
        &f[..8]
    );
}
