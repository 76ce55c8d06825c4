//! Prints the forms jixiao reads in each file given (for inspecting the form reader).
fn main() {
    let rules = jixiao::rules::RuleSet::load(&jixiao::rules::default_dir()).unwrap();
    let segmenter = jixiao::segment::Segmenter::from_rules(&rules);
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        let format = jixiao::source::Format::from_path(path.as_ref()).unwrap();
        let doc = jixiao::source::load(format, &bytes).unwrap();
        let ctx = jixiao::extract::Context::new(&doc, &rules, &segmenter);
        println!("== {path}");
        if std::env::var("TOKENS").is_ok() {
            for t in jixiao::forms::stream::tokens(&ctx.folded.text, &rules.form_words) {
                println!(
                    "  {:?} {:?} glued={} cell={}",
                    t.roles,
                    t.text(&ctx.folded.text),
                    t.glued,
                    t.cell_start
                );
            }
        }
        for form in jixiao::forms::read_forms(&ctx) {
            println!(
                "  FORM {} year={:?} project={:?} dept={:?} impl={:?} unit={:?} total={:?}/{:?}",
                form.kind,
                form.year,
                form.project,
                form.department,
                form.implementing_unit,
                form.funds_unit,
                form.total_weight,
                form.total_score
            );
            for row in &form.funds {
                println!("    FUND {row:?}");
            }
            for r in &form.indicators {
                println!(
                    "    IND {} | {} | {} | t={} | a={} | w={:?} s={:?} | {}",
                    r.level1, r.level2, r.level3, r.target, r.actual, r.weight, r.score, r.note
                );
            }
            for cell in &form.cells {
                println!(
                    "    CELL {} {} {} `{}` {}",
                    cell.kind.as_str(),
                    cell.value,
                    cell.unit,
                    &ctx.folded.text[cell.start..cell.end],
                    cell.label
                );
            }
        }
    }
}
