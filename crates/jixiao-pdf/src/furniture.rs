//! Running headers/footers: page-number lines and text repeated at the page edges on many pages.

use std::collections::HashMap;

use crate::Page;

/// Fraction of the page height at the top and at the bottom where furniture may sit.
const BAND: f32 = 0.12;
/// Only this many lines from each end of a page are considered.
const EDGE_LINES: usize = 3;

/// Mark `furniture` on the lines of all pages.
pub(crate) fn mark(pages: &mut [Page]) {
    let n_pages = pages.len();
    // Count, per normalised key, on how many pages it appears in an edge band.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for page in pages.iter() {
        let mut keys: Vec<String> = edge_indices(page)
            .into_iter()
            .map(|i| key(&page.lines[i].text))
            .filter(|k| !k.is_empty() && k.chars().count() <= 60)
            .collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    let repeat_min = (n_pages / 2).max(3);
    for page in pages.iter_mut() {
        for i in edge_indices(page) {
            let line = &mut page.lines[i];
            let repeated =
                n_pages >= 3 && seen.get(&key(&line.text)).copied().unwrap_or(0) >= repeat_min;
            if repeated || is_page_number(&line.text) {
                line.furniture = true;
            }
        }
    }
}

/// Indices of lines within the top/bottom bands, at most `EDGE_LINES` from each end.
fn edge_indices(page: &Page) -> Vec<usize> {
    let h = page.height.max(1.0);
    let n = page.lines.len();
    let mut out = Vec::new();
    for i in 0..n.min(EDGE_LINES) {
        if page.lines[i].baseline <= h * BAND {
            out.push(i);
        }
    }
    for i in n.saturating_sub(EDGE_LINES)..n {
        if page.lines[i].baseline >= h * (1.0 - BAND) && !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// Text with whitespace removed and digit runs collapsed to '#', so "第 3 页 共 9 页" on
/// every page gives one key.
fn key(text: &str) -> String {
    let mut out = String::new();
    let mut in_digits = false;
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// "12", "- 12 -", "— 12 —", "第 3 页", "第3页 共9页", "共9页 第3页", "3/9", "Page 3 of 9".
fn is_page_number(text: &str) -> bool {
    let k: String = key(text)
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '-' | '—' | '–' | '－' | '~' | '·' | ',' | '，' | '|' | '(' | ')' | '[' | ']'
            )
        })
        .collect();
    matches!(
        k.as_str(),
        "#" | "#/#" | "第#页" | "第#页共#页" | "共#页第#页" | "page#" | "page#of#" | "#of#"
    ) && text.chars().filter(char::is_ascii_digit).count() <= 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for t in [
            "12",
            "- 12 -",
            "— 3 —",
            "第 3 页 共 9 页",
            "第3页",
            "3/9",
            "Page 2 of 5",
        ] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["2024年", "一、基本情况", "100%", "12.5"] {
            assert!(!is_page_number(t), "{t}");
        }
    }
}
