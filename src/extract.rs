//! Extraction: a [`Document`] and a [`RuleSet`] give the document's identity
//! (kind, department, year, title) and its figures, each with provenance.

use rust_decimal::prelude::ToPrimitive;

use crate::quantity::{Kind, Quantity, parse_arabic};
use crate::rules::{DocKind, LabelRule, RuleSet};
use crate::segment::Segmenter;
use crate::source::{Document, Format, NormalizedText};
use crate::wire::Span;

/// What a document says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocInfo {
    pub doc_kind: Option<DocKind>,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub title: Option<String>,
}

/// One figure found in a document; spans index the document's (original) text.
#[derive(Debug, Clone)]
pub struct Figure {
    pub quantity: Quantity,
    pub metric: Option<String>,
    pub label: String,
    /// Original byte span.
    pub span: Span,
    pub page: u32,
    pub line: u32,
    /// The rule that named the metric, or the unit rule that found the figure.
    pub rule: String,
}

impl Figure {
    pub fn value_f64(&self) -> f64 {
        self.quantity.value.to_f64().unwrap_or(f64::NAN)
    }
}

/// One named amount of a list (（1）纪检组经费支出7.95万元), tied to the group
/// total it is a part of.
#[derive(Debug, Clone)]
pub struct LineItem {
    pub label: String,
    pub group: Option<String>,
    /// The figure (in `Extraction::figures`) that states the amount.
    pub figure: usize,
}

#[derive(Debug, Clone)]
pub struct Extraction {
    pub info: DocInfo,
    pub figures: Vec<Figure>,
    pub items: Vec<LineItem>,
}

/// A line of the folded text, with its offsets there and its place in the document.
struct FoldedLine<'a> {
    text: &'a str,
    start: usize,
    index: usize,
}

pub fn extract(doc: &Document, rules: &RuleSet, segmenter: &Segmenter) -> Extraction {
    let folded = match doc.format {
        // A PDF line is a visual line: a figure or a label may wrap onto the next.
        Format::Pdf => NormalizedText::joining(&doc.text, &wrapped_line_ends(doc, rules)),
        Format::Txt => NormalizedText::new(&doc.text),
    };
    let lines = folded_lines(&folded.text, &folded, doc);
    let furniture: Vec<bool> = lines
        .iter()
        .map(|l| {
            doc.lines[l.index].furniture
                || rules.document.furniture.iter().any(|r| r.is_match(l.text))
        })
        .collect();
    let info = document_info(doc, &folded, &lines, &furniture, rules);

    let mut figures = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if furniture[i] {
            continue;
        }
        let quantities = rules.units.scan(line.text);
        let mut line_figures: Vec<Figure> = Vec::with_capacity(quantities.len());
        for (k, q) in quantities.iter().enumerate() {
            let previous_end = if k > 0 { quantities[k - 1].end } else { 0 };
            let subject = subject_of(&folded.text, &lines, i, q, previous_end);
            let chosen = choose_rule(
                &rules.label_rules,
                Some(q.kind),
                &subject.folded,
                segmenter,
                line.text,
            );
            let mut q = q.clone();
            q.start += line.start;
            q.end += line.start;
            let span = Span::from(folded.original_span(q.start, q.end));
            let original_subject = subject.original(&folded, &doc.text);
            let label = strip_list_marker(&segmenter.label(&original_subject)).to_string();
            let doc_line = doc.line_at(span.start);
            line_figures.push(Figure {
                metric: chosen.map(|r| r.metric.clone()),
                rule: chosen.map_or_else(|| format!("units.{}", q.kind.as_str()), |r| r.id.clone()),
                quantity: q,
                label,
                span,
                page: doc_line.page,
                line: doc_line.number,
            });
        }
        apply_line_rules(rules, doc, &folded, line, &mut line_figures, segmenter);
        if line.text.contains('\t') {
            header_named_cells(rules, doc, &folded, &lines, i, &mut line_figures, segmenter);
        }
        figures.extend(line_figures);
    }
    figures.sort_by_key(|f| f.span);
    let items = line_items(doc, &folded, &lines, &furniture, &figures, rules);
    Extraction {
        info,
        figures,
        items,
    }
}

/// A list marker opening an item: （1） (1) 1、 1. — in folded or original text.
static LIST_MARKER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    // The marker is group 1 or 2; after a bare number the next character is
    // checked, not taken (2.5万元 is a number, 2.部门 a list item).
    regex::Regex::new(r"^\s*(?:([（(]\d{1,3}[）)])|(\d{1,3}[、．.])(?:\D|$))")
        .expect("valid marker pattern")
});

/// Where the text after a leading list marker starts (0 without one).
fn list_marker_end(text: &str) -> usize {
    LIST_MARKER
        .captures(text)
        .and_then(|c| c.get(1).or_else(|| c.get(2)))
        .map_or(0, |m| m.end())
}

/// （1）纪检组经费支出 → 纪检组经费支出: the list number is not part of the name.
fn strip_list_marker(label: &str) -> &str {
    match list_marker_end(label) {
        end if end > 0 && end < label.len() => label[end..].trim_start(),
        _ => label,
    }
}

/// A section heading (一、 二、 …) closes any open list.
static SECTION_HEADING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^\s*[一二三四五六七八九十]+、").expect("valid heading pattern")
});

/// Listed items: a clause that is only a name and an amount (（1）纪检组经费支出
/// 7.95万元 / 实景三维建设项目589.39万元), after a figure whose metric is an
/// `item_group`. A line stating several group metrics (其中：业务…，运行维护…)
/// opens them in order; a later line stating one of them again switches to it.
fn line_items(
    doc: &Document,
    folded: &NormalizedText,
    lines: &[FoldedLine],
    furniture: &[bool],
    figures: &[Figure],
    rules: &RuleSet,
) -> Vec<LineItem> {
    let is_group = |m: &Option<String>| {
        m.as_ref()
            .and_then(|m| rules.metric(m))
            .is_some_and(|m| m.item_group)
    };
    let mut items = Vec::new();
    let mut open: Option<String> = None;
    let mut next = 0usize; // index into figures, which are sorted by position
    for (i, line) in lines.iter().enumerate() {
        let line_end = line.start + line.text.len();
        let first = next;
        while next < figures.len() && figures[next].quantity.start < line_end {
            next += 1;
        }
        if furniture[i] || line.text.contains('\t') {
            continue;
        }
        if SECTION_HEADING.is_match(line.text) {
            open = None;
        }
        let on_line = first..next;
        let groups: Vec<&String> = figures[on_line.clone()]
            .iter()
            .filter(|f| is_group(&f.metric))
            .filter_map(|f| f.metric.as_ref())
            .collect();
        if let Some(group) = groups.first() {
            open = Some((*group).clone());
            continue;
        }
        for index in on_line {
            let figure = &figures[index];
            if figure.quantity.kind != Kind::Amount || figure.metric.is_some() {
                continue;
            }
            let (start, end) = (
                figure.quantity.start - line.start,
                figure.quantity.end - line.start,
            );
            let after = line.text[end..].trim();
            if !(after.is_empty() || after == "。") {
                continue;
            }
            let clause_start = line.text[..start]
                .rfind('。')
                .map_or(0, |at| at + '。'.len_utf8());
            let clause = &line.text[clause_start..start];
            let marker = list_marker_end(clause);
            let name = &clause[marker..];
            let name_chars = name.trim().chars().count();
            if !(2..=60).contains(&name_chars) || name.contains([',', ';', ':', '。']) {
                continue;
            }
            let (a, b) =
                folded.original_span(line.start + clause_start + marker, line.start + start);
            let label = unwrap_lines(doc.text[a..b].trim());
            let label = label.strip_suffix("支出").unwrap_or(&label).trim();
            items.push(LineItem {
                label: label.to_string(),
                group: open.clone(),
                figure: index,
            });
        }
    }
    items
}

fn ends_with_figure(line: &str, rules: &RuleSet) -> bool {
    let folded = NormalizedText::new(line);
    let text = folded.text.trim_end();
    rules
        .units
        .scan(text)
        .last()
        .is_some_and(|q| q.end == text.len() && q.kind == Kind::Amount)
}

/// Text of the original that a PDF wrapped over several lines, as one line:
/// Chinese needs no space where the line broke, Latin words do.
pub fn unwrap_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\n' {
            out.push(c);
            continue;
        }
        let before = out
            .chars()
            .next_back()
            .is_some_and(|b| b.is_ascii_alphabetic());
        let after = chars.peek().is_some_and(|a| a.is_ascii_alphabetic());
        if before && after {
            out.push(' ');
        }
    }
    out
}

/// The lines of the folded text; `index` is the document line each one starts on.
fn folded_lines<'a>(text: &'a str, folded: &NormalizedText, doc: &Document) -> Vec<FoldedLine<'a>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split('\n') {
        let original = folded.original_span(start, start).0;
        let index = doc
            .lines
            .partition_point(|l| l.end < original)
            .min(doc.lines.len().saturating_sub(1));
        out.push(FoldedLine {
            text: piece,
            start,
            index,
        });
        start += piece.len() + 1;
    }
    out
}

/// Offsets of the line breaks inside a paragraph of a PDF's text: between two
/// text lines of the same page, neither a table row nor furniture, where the
/// first does not end a sentence and the second does not open a list item.
///
/// Only a *full* line wraps: one at least 80 % as wide as the page's widest, so
/// titles, headings and the short last line of a paragraph stay lines of their own.
///
/// A line that ends with a figure is a headline ((3)…项目66.89万元) unless the
/// next line carries on its clause with punctuation.
fn wrapped_line_ends(doc: &Document, rules: &RuleSet) -> Vec<usize> {
    // Display width, not characters: digits are half as wide as ideographs.
    let chars =
        |l: &crate::source::Line| unicode_width::UnicodeWidthStr::width(doc.line_text(l).trim());
    let mut longest: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for line in doc.lines.iter().filter(|l| !l.furniture) {
        let n = longest.entry(line.page).or_default();
        *n = (*n).max(chars(line));
    }
    let mut ends = Vec::new();
    for pair in doc.lines.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (ta, tb) = (doc.line_text(a).trim_end(), doc.line_text(b).trim_start());
        let full = chars(a) * 5 >= longest.get(&a.page).copied().unwrap_or(0) * 4;
        let joinable = full
            && a.page == b.page
            && !a.furniture
            && !b.furniture
            && !ta.is_empty()
            && !tb.is_empty()
            && !ta.contains('\t')
            && !tb.contains('\t')
            && !ta.ends_with(['。', '；', ';', '！', '？', ':', '：'])
            && !LIST_MARKER.is_match(tb)
            && !SECTION_HEADING.is_match(tb)
            && (!ends_with_figure(ta, rules) || tb.starts_with(['，', ',', '、', '。', '；', ';']))
            && b.start == a.end + 1;
        if joinable {
            ends.push(a.end);
        }
    }
    ends
}

/// The words a label rule reads for one figure.
struct Subject {
    /// Folded text the rules match.
    folded: String,
    /// Ranges of the folded document text it was built from, so that the label
    /// can be taken from the original text.
    pieces: Vec<(usize, usize)>,
}

impl Subject {
    fn from_pieces(folded_text: &str, pieces: Vec<(usize, usize)>) -> Subject {
        let words: Vec<&str> = pieces
            .iter()
            .map(|&(a, b)| folded_text[a..b].trim())
            .collect();
        Subject {
            folded: words.join(" "),
            pieces,
        }
    }

    fn original(&self, folded: &NormalizedText, original: &str) -> String {
        let parts: Vec<String> = self
            .pieces
            .iter()
            .map(|&(a, b)| {
                let (a, b) = folded.original_span(a, b);
                unwrap_lines(strip_unit_note(original[a..b].trim()))
            })
            .filter(|p| !p.is_empty())
            .collect();
        parts.join(" ")
    }
}

/// 年度预算申请(万元) → 年度预算申请: a header's unit note is not part of its name.
fn strip_unit_note(text: &str) -> &str {
    for open in ['(', '（'] {
        if let Some(at) = text.rfind(open) {
            let tail = &text[at..];
            if tail.contains('元') && (tail.ends_with(')') || tail.ends_with('）')) {
                return text[..at].trim_end();
            }
        }
    }
    text.trim_end_matches([':', '：'])
}

/// Characters that end a clause: a subject never reaches across them.
fn is_clause_end(c: char) -> bool {
    matches!(c, '。' | ';' | '!' | '?' | '\t')
}

/// The subject of quantity `q` on line `i`: in a tab-separated row, the row
/// header and the cell's own words (or its column header); in running text, the
/// clause before the figure, back to the previous figure or clause end.
fn subject_of(
    folded_text: &str,
    lines: &[FoldedLine],
    i: usize,
    q: &Quantity,
    previous_end: usize,
) -> Subject {
    let line = &lines[i];
    let text = line.text;
    let absolute = |(a, b): (usize, usize)| (line.start + a, line.start + b);
    if text.contains('\t') {
        let cells = cell_ranges(text);
        let cell = cells
            .iter()
            .position(|&(a, b)| a <= q.start && q.start <= b)
            .unwrap_or(0);
        let own = (cells[cell].0.max(previous_end.min(q.start)), q.start);
        let mut pieces = Vec::new();
        // The row header names a short field cell (资金总额：…), not a narrative one.
        let (row_a, row_b) = cells[0];
        let (cell_a, cell_b) = cells[cell];
        if cell > 0
            && !text[row_a..row_b].trim().is_empty()
            && text[cell_a..cell_b].chars().count() <= 24
        {
            pieces.push(absolute(cells[0]));
        }
        if !text[own.0..own.1].trim().is_empty() {
            pieces.push(absolute(own));
        } else if let Some(column) = column_header(lines, i, cells.len(), cell) {
            pieces.push(column);
        }
        return Subject::from_pieces(folded_text, pieces);
    }
    let before = &text[..q.start];
    let clause_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| is_clause_end(c))
        .map_or(0, |(at, c)| at + c.len_utf8())
        .max(previous_end.min(q.start));
    Subject::from_pieces(folded_text, vec![absolute((clause_start, q.start))])
}

fn cell_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut cells = Vec::new();
    let mut start = 0;
    for piece in text.split('\t') {
        cells.push((start, start + piece.len()));
        start += piece.len() + 1;
    }
    cells
}

/// The header of column `cell` for a row on line `i`: the nearest line above with
/// the same number of cells whose cell there holds words and no figure.
fn column_header(
    lines: &[FoldedLine],
    i: usize,
    cell_count: usize,
    cell: usize,
) -> Option<(usize, usize)> {
    for line in lines[..i].iter().rev().take(6) {
        if !line.text.contains('\t') {
            continue;
        }
        let cells = cell_ranges(line.text);
        if cells.len() != cell_count {
            continue;
        }
        let (a, b) = cells[cell];
        let header = line.text[a..b].trim();
        if !header.is_empty() && !header.chars().any(|c| c.is_ascii_digit()) {
            return Some((line.start + a, line.start + b));
        }
    }
    None
}

/// The label rule naming the metric of a figure of `kind` whose subject is `subject`.
fn choose_rule<'r>(
    rules: &'r [LabelRule],
    kind: Option<Kind>,
    subject: &str,
    segmenter: &Segmenter,
    sentence: &str,
) -> Option<&'r LabelRule> {
    let mut best: Option<(usize, usize, usize)> = None; // (gap, -len as usize complement, index)
    for (index, rule) in rules.iter().enumerate() {
        if kind.is_some_and(|k| rule.kind != k) {
            continue;
        }
        if rule.exclude.as_ref().is_some_and(|e| e.is_match(subject)) {
            continue;
        }
        let Some(m) = rule
            .label
            .find_iter(subject)
            .filter(|m| !subject[m.end()..].starts_with('、'))
            .last()
        else {
            continue;
        };
        let gap = subject[m.end()..]
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
        if gap > rule.near {
            continue;
        }
        if !rule.context.is_empty() && !rule.context.iter().any(|w| segmenter.has_word(sentence, w))
        {
            continue;
        }
        let key = (gap, usize::MAX - m.len(), index);
        if best.is_none_or(|b| key < b) {
            best = Some(key);
        }
    }
    best.map(|(_, _, index)| &rules[index])
}

/// A cell holding only a number, such as the values under 年初预算数 / 全年执行数.
static BARE_NUMBER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*$")
        .expect("valid number pattern")
});

/// The money unit a table states for its bare numbers: (万元) in the column
/// header, or a 单位：万元 note in the lines above the table.
fn money_factor(header: &str, lines: &[FoldedLine], i: usize) -> Option<rust_decimal::Decimal> {
    let factor_of = |text: &str| -> Option<rust_decimal::Decimal> {
        let unit = ["亿元", "万元", "千元", "元"]
            .into_iter()
            .find(|u| text.contains(u))?;
        Some(match unit {
            "亿元" => rust_decimal::Decimal::from(100_000_000),
            "万元" => rust_decimal::Decimal::from(10_000),
            "千元" => rust_decimal::Decimal::from(1_000),
            _ => rust_decimal::Decimal::ONE,
        })
    };
    if header.contains('(') && header.contains('元') {
        return factor_of(&header[header.find('(')?..]);
    }
    lines[..i]
        .iter()
        .rev()
        .take(12)
        .find_map(|l| l.text.find("单位").and_then(|at| factor_of(&l.text[at..])))
}

/// Bare-number cells whose column header a label rule names (年初预算数 →
/// budget.total, 执行率 → budget.execution_rate): figures with that metric.
/// Money needs its unit stated by the table; without one the cell is left alone.
fn header_named_cells(
    rules: &RuleSet,
    doc: &Document,
    folded: &NormalizedText,
    lines: &[FoldedLine],
    i: usize,
    figures: &mut Vec<Figure>,
    segmenter: &Segmenter,
) {
    let line = &lines[i];
    let cells = cell_ranges(line.text);
    for (c, &(a, b)) in cells.iter().enumerate() {
        let Some(number) = BARE_NUMBER
            .captures(&line.text[a..b])
            .and_then(|m| m.get(1))
        else {
            continue;
        };
        let (start, end) = (
            line.start + a + number.start(),
            line.start + a + number.end(),
        );
        if figures
            .iter()
            .any(|f| f.quantity.start < end && start < f.quantity.end)
        {
            continue;
        }
        let Some((ha, hb)) = column_header(lines, i, cells.len(), c) else {
            continue;
        };
        let header = folded.text[ha..hb].trim();
        // A row without its own header takes the block's, from the header row
        // (预算执行情况 | 年初预算数 | … | 得分 over | 1200 | … | 9.5).
        let (ra, rb) = cells[0];
        let block = match (c, line.text[ra..rb].trim().is_empty()) {
            (1.., true) => {
                column_header(lines, i, cells.len(), 0).map(|(x, y)| folded.text[x..y].trim())
            }
            _ => None,
        };
        let subject = match block {
            Some(block) => format!("{block} {header}"),
            None => header.to_string(),
        };
        let Some(rule) = choose_rule(&rules.label_rules, None, &subject, segmenter, &subject)
        else {
            continue;
        };
        let Some((value, scale)) = parse_arabic(number.as_str()) else {
            continue;
        };
        let (unit, factor) = match rule.kind {
            Kind::Amount => match money_factor(header, lines, i) {
                Some(f) => ("CNY", f),
                None => continue,
            },
            Kind::Rate => ("%", rust_decimal::Decimal::ONE),
            Kind::Score => ("分", rust_decimal::Decimal::ONE),
            _ => continue,
        };
        let span = Span::from(folded.original_span(start, end));
        let (oa, ob) = folded.original_span(ha, hb);
        let doc_line = doc.line_at(span.start);
        figures.push(Figure {
            quantity: Quantity {
                start,
                end,
                kind: rule.kind,
                unit: unit.into(),
                value: (value * factor).normalize(),
                qualifier: None,
                written_scale: scale,
                resolution: (rust_decimal::Decimal::new(1, scale) * factor).normalize(),
            },
            metric: Some(rule.metric.clone()),
            label: strip_unit_note(doc.text[oa..ob].trim()).to_string(),
            span,
            page: doc_line.page,
            line: doc_line.number,
            rule: rule.id.clone(),
        });
    }
}

/// Line rules: a whole-line regex whose `value` capture is a bare-number cell.
fn apply_line_rules(
    rules: &RuleSet,
    doc: &Document,
    folded: &NormalizedText,
    line: &FoldedLine,
    figures: &mut Vec<Figure>,
    segmenter: &Segmenter,
) {
    for rule in &rules.line_rules {
        let Some(captures) = rule.pattern.captures(line.text) else {
            continue;
        };
        let Some(value) = captures.name("value") else {
            continue;
        };
        let (start, end) = (line.start + value.start(), line.start + value.end());
        if let Some(existing) = figures
            .iter_mut()
            .find(|f| f.quantity.start <= start && end <= f.quantity.end)
        {
            if existing.metric.is_none() {
                existing.metric = Some(rule.metric.clone());
                existing.rule = rule.id.clone();
            }
            continue;
        }
        let Some((number, scale)) = parse_arabic(value.as_str()) else {
            continue;
        };
        let span = Span::from(folded.original_span(start, end));
        let doc_line = doc.line_at(span.start);
        let row_header = line.text.split('\t').next().unwrap_or_default();
        let (a, b) = folded.original_span(line.start, line.start + row_header.len());
        let label = segmenter.label(strip_unit_note(doc.text[a..b].trim()));
        figures.push(Figure {
            quantity: Quantity {
                start,
                end,
                kind: rule.kind,
                unit: rule.unit.clone(),
                value: number,
                qualifier: None,
                written_scale: scale,
                resolution: rust_decimal::Decimal::new(1, scale),
            },
            metric: Some(rule.metric.clone()),
            label,
            span,
            page: doc_line.page,
            line: doc_line.number,
            rule: rule.id.clone(),
        });
    }
}

/// Kind, department, year and title, from the title area first, then the body.
fn document_info(
    doc: &Document,
    folded: &NormalizedText,
    lines: &[FoldedLine],
    furniture: &[bool],
    rules: &RuleSet,
) -> DocInfo {
    let body: Vec<&FoldedLine> = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !furniture[*i] && !l.text.trim().is_empty())
        .map(|(_, l)| l)
        .collect();
    let title_area = &body[..body.len().min(rules.document.title_lines)];
    let original = |line: &FoldedLine, a: usize, b: usize| -> String {
        let (a, b) = folded.original_span(line.start + a, line.start + b);
        doc.text[a..b].trim().to_string()
    };

    let mut info = DocInfo::default();
    let mut kind_line = None;
    'kinds: for (kind, pattern) in &rules.document.doc_kinds {
        for (i, line) in title_area.iter().enumerate() {
            if pattern.is_match(line.text) {
                info.doc_kind = Some(*kind);
                kind_line = Some(i);
                break 'kinds;
            }
        }
    }
    let find_capture = |patterns: &[regex::Regex], name: &str| -> Option<String> {
        for area in [title_area, &body[..]] {
            for pattern in patterns {
                for line in area {
                    if let Some(m) = pattern.captures(line.text).and_then(|c| c.name(name)) {
                        return Some(original(line, m.start(), m.end()));
                    }
                }
            }
        }
        None
    };
    info.department = find_capture(&rules.document.department, "name");
    info.year = find_capture(&rules.document.year, "year").and_then(|y| y.parse().ok());
    info.title = kind_line
        .map(|i| {
            let line = title_area[i];
            let mut title = original(line, 0, line.text.len());
            if i > 0 {
                let previous = title_area[i - 1];
                let text = previous.text.trim();
                let short = text.chars().count() <= 30;
                let sentence = text.contains(['。', ',', ';', ':']);
                if short && !sentence && !text.starts_with("附件") && !title.contains(text) {
                    title = format!("{}{}", original(previous, 0, previous.text.len()), title);
                }
            }
            title
        })
        .or_else(|| doc.metadata_title.clone())
        .or_else(|| body.first().map(|l| original(l, 0, l.text.len())));
    info
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Document, Format};

    fn run(text: &str) -> Extraction {
        let rules = RuleSet::load(&crate::rules::default_dir()).unwrap();
        let segmenter = Segmenter::from_rules(&rules);
        let doc = Document::from_text(Format::Txt, "utf-8".into(), text.into());
        extract(&doc, &rules, &segmenter)
    }

    #[test]
    fn raw_and_span_point_into_the_original_text() {
        let text = "部门预算收入１４１９９.２５万元。";
        let out = run(text);
        let f = &out.figures[0];
        assert_eq!(&text[f.span.range()], "１４１９９.２５万元");
        assert_eq!(f.metric.as_deref(), Some("budget.total"));
    }

    #[test]
    fn enumerated_words_are_not_subjects() {
        let out = run("公用经费支出主要用于办公费、公务接待费、工会经费等经费支出1711.32万元。");
        assert_eq!(out.figures[0].metric.as_deref(), Some("expense.public"));
    }

    #[test]
    fn title_department_year_and_kind() {
        let out = run("衡阳市自然资源和规划局2024年度\n\n部门整体支出绩效评价报告\n\n正文");
        assert_eq!(out.info.doc_kind, Some(DocKind::OverallEvalReport));
        assert_eq!(
            out.info.department.as_deref(),
            Some("衡阳市自然资源和规划局")
        );
        assert_eq!(out.info.year, Some(2024));
        assert_eq!(
            out.info.title.as_deref(),
            Some("衡阳市自然资源和规划局2024年度部门整体支出绩效评价报告")
        );
    }

    #[test]
    fn list_markers_are_not_part_of_names() {
        assert_eq!(strip_list_marker("（1）纪检组经费支出"), "纪检组经费支出");
        assert_eq!(strip_list_marker("(15)2024年耕地"), "2024年耕地");
        assert_eq!(strip_list_marker("2、除专项资金以外"), "除专项资金以外");
        assert_eq!(strip_list_marker("2.5万元"), "2.5万元");
        assert_eq!(strip_list_marker("2024年度"), "2024年度");
    }

    #[test]
    fn department_names_keep_organisation_words_inside_them() {
        for name in [
            "岳阳市人力资源和社会保障局",
            "某县人民政府办公室",
            "衡阳市自然资源和规划局",
        ] {
            let title = format!("{name}2023年度\n\n部门整体支出绩效评价报告\n");
            assert_eq!(run(&title).info.department.as_deref(), Some(name));
            let form = format!("部门整体支出绩效自评表\n填报单位：(盖章) {name} (2023 年度)\n");
            assert_eq!(run(&form).info.department.as_deref(), Some(name));
            let row = format!("部门整体支出绩效自评表\n部门名称\t{name}\t执行数\n");
            assert_eq!(run(&row).info.department.as_deref(), Some(name));
        }
        let joined = run("衡阳市自然资源和规划局部门整体支出绩效评价报告\n");
        assert_eq!(
            joined.info.department.as_deref(),
            Some("衡阳市自然资源和规划局")
        );
    }

    #[test]
    fn page_footers_give_no_figures() {
        let out = run("第 1 页 共 3 页\n支出8万元");
        assert_eq!(out.figures.len(), 1);
    }
}
