//! Page-part markers: the `1、` `2、` … a document-sharing site's viewer puts
//! before each page of text it flattened into one line, so that a table or a
//! sentence cut by the page reads whole again in the matching copy.
//!
//! A mirror of such a site stores every page of the document as one long line
//! and numbers the lines like a list. The page ends wherever the page ended,
//! mid-word as often as not (`…按规定公` / `2、开已公开…`), so the marker both
//! cuts a word and adds a list number that is no part of the text.

use std::ops::Range;

use regex::Regex;
use std::sync::LazyLock;

/// A page part shorter than this many characters is a list item, not a page:
/// a viewer's page holds a few hundred characters.
const SHORTEST_PAGE: usize = 150;

static PART_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t\u{3000}]*([1-9]\d?)、").expect("page part marker"));

/// One non-blank line of the text: its byte range and, if it opens with
/// `N、`, the number and the end of the marker.
struct TextLine {
    start: usize,
    end: usize,
    marker: Option<(u32, usize)>,
}

/// The byte ranges to leave out of the matching copy: for the first page its
/// marker, for every later page the line break(s) before it and its marker,
/// so that it carries on the page before.
///
/// A run of pages is lines numbered 1, 2, 3 … in order with nothing between
/// them but blank lines, where every page but the last is long and ends
/// without closing its sentence (a list item's paragraph ends with 。).
/// A single numbered line is never a run: nothing shows it was cut.
pub fn page_part_markers(text: &str) -> Vec<Range<usize>> {
    let lines = non_blank_lines(text);
    let mut pieces = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let run = run_from(text, &lines[i..]);
        if run < 2 {
            i += 1;
            continue;
        }
        let (first, first_marker_end) = (&lines[i], lines[i].marker.map_or(0, |m| m.1));
        pieces.push(first.start..first_marker_end);
        for k in 1..run {
            let (before, part) = (&lines[i + k - 1], &lines[i + k]);
            let marker_end = part.marker.map_or(part.start, |m| m.1);
            pieces.push(before.end..marker_end);
        }
        i += run;
    }
    pieces
}

/// How many lines from `lines[0]` form a run of pages numbered from 1.
fn run_from(text: &str, lines: &[TextLine]) -> usize {
    let mut run = 0;
    for (k, line) in lines.iter().enumerate() {
        if line.marker.map(|m| m.0) != Some(k as u32 + 1) {
            break;
        }
        run = k + 1;
        if !cut_page(&text[line.start..line.end]) {
            break;
        }
    }
    run
}

/// Whether a part reads as a page the viewer cut: long, its sentence open.
fn cut_page(part: &str) -> bool {
    let part = part.trim_end();
    part.chars().count() >= SHORTEST_PAGE
        && !part.ends_with(['。', '！', '？', '；', '.', '!', '?', ';'])
}

fn non_blank_lines(text: &str) -> Vec<TextLine> {
    let mut lines = Vec::new();
    let mut start = 0;
    for piece in text.split('\n') {
        let end = start + piece.trim_end_matches('\r').len();
        if !piece.trim().is_empty() {
            let marker = PART_MARKER.captures(piece).and_then(|c| {
                let number = c.get(1)?.as_str().parse().ok()?;
                Some((number, start + c.get(0)?.end()))
            });
            lines.push(TextLine { start, end, marker });
        }
        start += piece.len() + 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(text: &str) -> String {
        let mut out = String::new();
        let mut at = 0;
        for piece in page_part_markers(text) {
            out.push_str(&text[at..piece.start]);
            at = piece.end;
        }
        out.push_str(&text[at..]);
        out
    }

    #[test]
    fn pages_cut_mid_word_read_whole() {
        let page = "预算执行管理完成率、控制率100%按规定执行".repeat(8);
        let text = format!("标题\n1、{page}信息公\n2、开已公开{page}满意\n3、度指标");
        assert_eq!(
            joined(&text),
            format!("标题\n{page}信息公开已公开{page}满意度指标")
        );
    }

    #[test]
    fn blank_lines_between_pages_go_with_the_break() {
        let page = "部门整体支出绩效评价指标表".repeat(15);
        let text = format!("1、{page}\r\n\r\n2、经费变动率");
        assert_eq!(joined(&text), format!("{page}经费变动率"));
    }

    #[test]
    fn list_items_stay() {
        // Short items, and long paragraphs that close their sentence.
        let short = "1、公务用车购置和维护经费 11.86\n2、出国经费\n3、公务接待 17.22";
        assert!(page_part_markers(short).is_empty());
        let paragraph = "严格落实党政主要领导负总责的扶贫开发工作责任制".repeat(8);
        let long = format!("1、{paragraph}。\n2、{paragraph}。");
        assert!(page_part_markers(&long).is_empty());
        // One numbered line alone is not a run, however long.
        let single = format!("1、{paragraph}\n其他");
        assert!(page_part_markers(&single).is_empty());
        // Numbers out of order are a list of another kind.
        let unordered = format!("2、{paragraph}\n3、{paragraph}");
        assert!(page_part_markers(&unordered).is_empty());
    }
}
