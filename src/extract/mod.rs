//! Extraction: a [`Document`] and a [`RuleSet`] give the document's identity
//! (kind, department, year, title) and its figures, each with provenance.
//!
//! Every step reads the document through one [`Context`]: the folded matching
//! copy of the text, its lines, and each line's cells.
//! - [`subject`]: the words a label rule reads for a figure, and the rule chosen;
//! - [`cells`]: bare-number table cells that a header or a line rule names;
//! - [`items`]: numbered lists of amounts tied to their group total;
//! - [`info`]: kind, department, year and title.

mod cells;
mod info;
mod items;
mod subject;

use rust_decimal::prelude::ToPrimitive;

use crate::cells::Row;
use crate::quantity::{Kind, Quantity};
use crate::rules::RuleSet;
use crate::segment::Segmenter;
use crate::source::{Document, Format, NormalizedText, paragraphs};
use crate::text::strip_list_marker;
use crate::wire::Span;

pub use info::DocInfo;

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
    /// A bare number whose unit a header gives (`(万元)` over the cell, a
    /// 得分 column), not a quantity written with its unit.
    pub from_header: bool,
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

/// One line of the folded text.
pub struct TextLine {
    /// Byte range in the folded text.
    pub start: usize,
    pub end: usize,
    /// A running header or footer: it gives no figures.
    pub furniture: bool,
    /// Its cells, as ranges relative to `start`.
    pub row: Row,
}

/// What every extraction step reads: the document, the rules, and the folded
/// matching copy of the text cut into lines and cells once.
pub struct Context<'a> {
    pub doc: &'a Document,
    pub rules: &'a RuleSet,
    pub segmenter: &'a Segmenter,
    pub folded: NormalizedText,
    pub lines: Vec<TextLine>,
}

impl<'a> Context<'a> {
    pub fn new(doc: &'a Document, rules: &'a RuleSet, segmenter: &'a Segmenter) -> Context<'a> {
        let folded = match doc.format {
            // A PDF line is a visual line: a figure or a label may wrap onto the next.
            Format::Pdf => {
                let ends = paragraphs::wrapped_line_ends(doc, |line| ends_with_amount(line, rules));
                NormalizedText::joining(&doc.text, &ends)
            }
            Format::Txt => NormalizedText::joining(&doc.text, &[]),
        };
        let lines = text_lines(&folded, doc, rules);
        Context {
            doc,
            rules,
            segmenter,
            folded,
            lines,
        }
    }

    /// The folded text of line `i`.
    pub fn line_text(&self, i: usize) -> &str {
        let line = &self.lines[i];
        &self.folded.text[line.start..line.end]
    }

    /// The original characters of a range of the folded text, without what
    /// the folded copy leaves out (the pinyin a mirror site glued after a
    /// converted character, a PDF's line breaks): how a name is reported.
    pub fn original_name(&self, start: usize, end: usize) -> String {
        self.folded.original_text(start, end).trim().to_string()
    }

    /// The original text of a range of the folded text.
    pub fn original(&self, start: usize, end: usize) -> &'a str {
        let (a, b) = self.folded.original_span(start, end);
        &self.doc.text[a..b]
    }

    /// A figure for quantity `q` (offsets in the folded text), with its place in the document.
    fn figure(&self, q: Quantity, metric: Option<String>, label: String, rule: String) -> Figure {
        let span = Span::from(self.folded.original_span(q.start, q.end));
        let doc_line = self.doc.line_at(span.start);
        Figure {
            quantity: q,
            metric,
            label,
            span,
            page: doc_line.page,
            line: doc_line.number,
            rule,
            from_header: false,
        }
    }
}

/// Whether a (visual) PDF line ends with an amount. Only lines whose last
/// character can end a money unit are folded and scanned.
fn ends_with_amount(line: &str, rules: &RuleSet) -> bool {
    let Some(last) = line.trim_end().chars().next_back() else {
        return false;
    };
    let folded_last = NormalizedText::folded(&last.to_string());
    let could_end_amount = rules
        .units
        .units()
        .iter()
        .any(|u| u.kind == Kind::Amount && u.word.ends_with(folded_last.as_str()));
    if !could_end_amount {
        return false;
    }
    let folded = NormalizedText::folded(line);
    let text = folded.trim_end();
    rules
        .units
        .scan(text)
        .last()
        .is_some_and(|q| q.end == text.len() && q.kind == Kind::Amount)
}

/// The lines of the folded text, each with its document line, furniture mark and cells.
fn text_lines(folded: &NormalizedText, doc: &Document, rules: &RuleSet) -> Vec<TextLine> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in folded.text.split('\n') {
        let original = folded.original_span(start, start).0;
        let index = doc
            .lines
            .partition_point(|l| l.end < original)
            .min(doc.lines.len().saturating_sub(1));
        let furniture = doc.lines.get(index).is_some_and(|l| l.furniture)
            || rules.document.furniture.iter().any(|r| r.is_match(piece));
        out.push(TextLine {
            start,
            end: start + piece.len(),
            furniture,
            row: Row::split(piece),
        });
        start += piece.len() + 1;
    }
    out
}

pub fn extract(doc: &Document, rules: &RuleSet, segmenter: &Segmenter) -> Extraction {
    extract_in(&Context::new(doc, rules, segmenter))
}

/// The extraction of a document already read into a context (the form
/// reader reads the same one).
pub fn extract_in(ctx: &Context) -> Extraction {
    let info = info::document_info(ctx);
    let mut figures = Vec::new();
    for i in 0..ctx.lines.len() {
        if !ctx.lines[i].furniture {
            figures.extend(figures_on_line(ctx, i));
        }
    }
    figures.sort_by_key(|f| f.span);
    let items = items::line_items(ctx, &figures);
    Extraction {
        info,
        figures,
        items,
    }
}

/// The figures of line `i`: every quantity the scanner finds, named by the
/// label rules, then the bare-number cells that line rules and headers name.
fn figures_on_line(ctx: &Context, i: usize) -> Vec<Figure> {
    let line = &ctx.lines[i];
    let text = ctx.line_text(i);
    let quantities = ctx.rules.units.scan(text);
    let mut figures: Vec<Figure> = Vec::with_capacity(quantities.len());
    for (k, q) in quantities.iter().enumerate() {
        let previous_end = if k > 0 { quantities[k - 1].end } else { 0 };
        let subject = subject::subject_of(ctx, i, q, previous_end);
        let chosen = subject::choose_rule(ctx, Some(q.kind), &subject.folded, text);
        let mut q = q.clone();
        q.start += line.start;
        q.end += line.start;
        let label = strip_list_marker(&ctx.segmenter.label(&subject.original(ctx))).to_string();
        let rule = chosen.map_or_else(|| format!("units.{}", q.kind.as_str()), |r| r.id.clone());
        figures.push(ctx.figure(q, chosen.map(|r| r.metric.clone()), label, rule));
    }
    cells::apply_line_rules(ctx, i, &mut figures);
    if line.row.is_table_row() {
        cells::header_named_cells(ctx, i, &mut figures);
    } else {
        cells::declared_unit_cells(ctx, i, &mut figures);
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Document, Format};

    pub(super) fn run(text: &str) -> Extraction {
        let rules = RuleSet::load(&crate::rules::default_dir()).unwrap();
        let segmenter = Segmenter::from_rules(&rules);
        let doc = Document::from_text(Format::Txt, "utf-8".into(), text.into());
        extract(&doc, &rules, &segmenter)
    }

    #[test]
    fn a_unit_note_gives_a_flattened_tables_numbers_their_unit() {
        let text = "基础数据表 单位:万元 人员情况 编制数 实际在职人数 控制率\n\n40 38 95.\n\n\
                    经费情况 上年决算数 本年预算数 三公经费 12.5 13 11.86\n\n\
                    1、公务接待 2.4\n\n3 1.9\n\n本年度三公经费有所下降。\n\n其余 7 8";
        let out = run(text);
        let got: Vec<(String, f64, bool)> = out
            .figures
            .iter()
            .map(|f| {
                (
                    f.quantity.unit.clone(),
                    f.quantity.value.try_into().unwrap(),
                    f.from_header,
                )
            })
            .collect();
        let money = |v: f64| ("CNY".to_string(), v * 10_000.0, true);
        // The numbers after 控制率 are no money; after the sentence the note
        // no longer holds.
        assert_eq!(
            got,
            [
                money(12.5),
                money(13.0),
                money(11.86),
                money(2.4),
                money(3.0),
                money(1.9)
            ]
        );
        assert_eq!(out.figures[3].label, "公务接待");
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
    fn page_footers_give_no_figures() {
        let out = run("第 1 页 共 3 页\n支出8万元");
        assert_eq!(out.figures.len(), 1);
    }
}
