//! A minimal PDF writer for generated reports: the text in the non-embedded
//! Adobe font STSong-Light (UniGB-UCS2-H), as older CJK-aware exporters write
//! it, so the archive exercises the predefined-CMap path of the PDF source.

use std::fmt::Write as _;

const LINES_PER_PAGE: usize = 45;
/// Small enough that the longest clause of the seeds (公用经费 … 万元, about 95
/// characters) fits the 545 pt text width on one line: the extractor keeps
/// only what lies on the page, and a label must share its figure's line.
const FONT_SIZE: f32 = 5.0;
const LEADING: f32 = 16.0;
/// Room between table cells, in thousandths of an em: well above the layout's
/// cell gap, so a cell boundary reads back as a tab.
const CELL_GAP: i32 = 3000;
/// Longer lines are broken where a clause ends (see [`wrap_line`]).
const WRAP_CHARS: usize = 100;

/// A PDF of `text`: one text-showing operator per line, A4 pages, a
/// 第 N 页 共 M 页 footer. Returns the bytes and the page count.
pub(super) fn pdf_bytes(text: &str) -> (Vec<u8>, u32) {
    let lines = layout_lines(text);
    let pages: Vec<&[String]> = lines.chunks(LINES_PER_PAGE).collect();
    let page_count = pages.len().max(1);
    let mut objects = document_objects(page_count);
    for p in 0..page_count {
        let content = page_content(pages.get(p).copied().unwrap_or(&[]), p + 1, page_count);
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
                7 + 2 * p
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(content.as_bytes());
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    (serialise(&objects), page_count as u32)
}

/// The non-blank lines as they are set: table rows whole, prose wrapped.
fn layout_lines(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        if line.contains('\t') {
            lines.push(line.to_string());
        } else {
            lines.extend(wrap_line(line));
        }
    }
    lines
}

/// Objects 1–5: catalog, page tree, font and its parts. Each page then adds
/// two, its page object and its content stream (objects 6 and 7 for the first).
fn document_objects(page_count: usize) -> Vec<Vec<u8>> {
    let kids: Vec<String> = (0..page_count)
        .map(|p| format!("{} 0 R", 6 + 2 * p))
        .collect();
    vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {page_count} >>",
            kids.join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>"
            .to_vec(),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
            .to_vec(),
    ]
}

/// The content stream of page `page` (from 1) of `page_count`: its lines top
/// down, table cells apart by [`CELL_GAP`], then the footer.
fn page_content(lines: &[String], page: usize, page_count: usize) -> String {
    let mut content = String::new();
    for (i, line) in lines.iter().enumerate() {
        let y = 800.0 - LEADING * i as f32;
        let cells: Vec<String> = line.split('\t').map(ucs2_hex).collect();
        let _ = write!(content, "BT /F1 {FONT_SIZE} Tf 1 0 0 1 50 {y} Tm ");
        if cells.len() == 1 {
            let _ = writeln!(content, "{} Tj ET", cells[0]);
        } else {
            let joined = cells.join(&format!(" -{CELL_GAP} "));
            let _ = writeln!(content, "[{joined}] TJ ET");
        }
    }
    let footer = format!("第 {page} 页 共 {page_count} 页");
    let _ = writeln!(
        content,
        "BT /F1 {FONT_SIZE} Tf 1 0 0 1 250 40 Tm {} Tj ET",
        ucs2_hex(&footer)
    );
    content
}

/// The file: header, the objects numbered from 1, the cross-reference table
/// and the trailer.
fn serialise(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

/// A string as UCS-2 big-endian hex, the code space of UniGB-UCS2-H.
fn ucs2_hex(text: &str) -> String {
    let mut hex = String::with_capacity(2 + text.len() * 4);
    hex.push('<');
    for unit in text.encode_utf16() {
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
}

/// Breaks a line longer than `WRAP_CHARS` where a clause ends: after 。 or
/// ；, or after a figure's unit followed by ， or 、. A label and its figure
/// stay on one line, as they must for the rules to pair them; a line without
/// such a point is cut at the limit.
fn wrap_line(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    while chars.len() - start > WRAP_CHARS {
        let limit = start + WRAP_CHARS;
        let mut cut = None;
        for i in start + 1..=limit {
            let c = chars[i - 1];
            let after_figure = matches!(c, '，' | '、')
                && i >= 2
                && matches!(
                    chars[i - 2],
                    '元' | '人' | '分' | '%' | '亩' | '个' | '次' | '处'
                );
            if matches!(c, '。' | '；') || after_figure {
                cut = Some(i);
            }
        }
        let cut = cut.unwrap_or(limit);
        out.push(chars[start..cut].iter().collect());
        start = cut;
    }
    out.push(chars[start..].iter().collect());
    out
}
