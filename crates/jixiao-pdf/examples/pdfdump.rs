//! Prints a PDF's lines with word boxes and ruling lines, for layout work.
fn main() {
    let path = std::env::args().nth(1).expect("usage: pdfdump FILE [PAGE]");
    let only: Option<u32> = std::env::args().nth(2).and_then(|p| p.parse().ok());
    let bytes = std::fs::read(&path).unwrap();
    let text = jixiao_pdf::extract(&bytes, &Default::default()).unwrap();
    for page in &text.pages {
        if only.is_some_and(|p| p != page.number) {
            continue;
        }
        println!(
            "=== page {} {}x{} rulings={}",
            page.number,
            page.width,
            page.height,
            page.rulings.len()
        );
        for r in &page.rulings {
            println!("R {:.1},{:.1} - {:.1},{:.1}", r.x0, r.y0, r.x1, r.y1);
        }
        for line in &page.lines {
            let words: Vec<String> = line
                .words
                .iter()
                .map(|w| {
                    format!(
                        "[{:.0}-{:.0} {:.0}-{:.0}]{}",
                        w.x0, w.x1, w.y0, w.y1, w.text
                    )
                })
                .collect();
            println!("L {:.1} {}", line.baseline, words.join(" "));
        }
    }
}
