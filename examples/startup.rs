//! Times the fixed start-up costs of a run: rule loading and the segmenter.
use std::time::Instant;
fn main() {
    let t = Instant::now();
    let rules = jixiao::rules::RuleSet::load(&jixiao::rules::default_dir()).unwrap();
    let a = t.elapsed();
    let t = Instant::now();
    let seg = jixiao::segment::Segmenter::from_rules(&rules);
    let b = t.elapsed();
    println!(
        "rules {:?}, segmenter {:?} ({})",
        a,
        b,
        seg.label("部门预算收入")
    );
}
