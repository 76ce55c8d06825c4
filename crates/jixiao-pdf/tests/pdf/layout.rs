//! Reading order on hand-made PDFs: two columns, fake bold, word/cell gaps, furniture.

use jixiao_pdf::{Limits, PdfText, extract};

use crate::common::{build_pdf, stream};

/// A document of Helvetica pages; each page is a list of (x, y, size, text) runs.
fn doc(pages: &[Vec<(f32, f32, f32, &str)>]) -> PdfText {
    let n = pages.len();
    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {n} >>",
            (0..n)
                .map(|i| format!("{} 0 R", 4 + 2 * i))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    for (i, runs) in pages.iter().enumerate() {
        let mut content = String::new();
        for (x, y, size, text) in runs {
            content.push_str(&format!(
                "BT /F1 {size} Tf 1 0 0 1 {x} {y} Tm ({text}) Tj ET\n"
            ));
        }
        objs.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        objs.push(stream("", content.as_bytes()));
    }
    extract(&build_pdf(&objs), &Limits::default()).unwrap()
}

fn texts(d: &PdfText, page: usize) -> Vec<String> {
    d.pages[page].lines.iter().map(|l| l.text.clone()).collect()
}

#[test]
fn two_columns_are_read_column_by_column() {
    let mut runs = vec![(
        50.0,
        800.0,
        14.0,
        "A title that spans both of the two columns of this page",
    )];
    let left: Vec<String> = (0..10)
        .map(|i| format!("left column sentence number {i} goes on here"))
        .collect();
    let right: Vec<String> = (0..10)
        .map(|i| format!("right column sentence number {i} goes on too"))
        .collect();
    for i in 0..10 {
        let y = 760.0 - 14.0 * i as f32;
        runs.push((50.0, y, 10.0, left[i].as_str()));
        runs.push((320.0, y, 10.0, right[i].as_str()));
    }
    let d = doc(&[runs]);
    let t = texts(&d, 0);
    assert_eq!(
        t[0],
        "A title that spans both of the two columns of this page"
    );
    assert_eq!(t[1..11], left[..], "{t:#?}");
    assert_eq!(t[11..21], right[..], "{t:#?}");
}

#[test]
fn table_rows_stay_together() {
    // Narrow cells in aligned columns are a table, not two text columns.
    let mut runs = Vec::new();
    let rows: Vec<[String; 3]> = (0..10)
        .map(|i| {
            [
                format!("Item {i}"),
                format!("{}.00", 100 + i),
                format!("{i}%"),
            ]
        })
        .collect();
    for (i, r) in rows.iter().enumerate() {
        let y = 700.0 - 16.0 * i as f32;
        runs.push((60.0, y, 10.0, r[0].as_str()));
        runs.push((300.0, y, 10.0, r[1].as_str()));
        runs.push((480.0, y, 10.0, r[2].as_str()));
    }
    let d = doc(&[runs]);
    let t = texts(&d, 0);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(t[i], r.join("\t"));
    }
    assert_eq!(d.pages[0].lines[0].words.len(), 4); // "Item", "0", "100.00", "0%"
}

#[test]
fn fake_bold_duplicates_are_dropped() {
    let d = doc(&[vec![
        (100.0, 700.0, 12.0, "Bold heading"),
        (100.3, 700.0, 12.0, "Bold heading"),
        (100.0, 700.3, 12.0, "Bold heading"),
        (100.0, 680.0, 12.0, "Normal text"),
    ]]);
    assert_eq!(texts(&d, 0), vec!["Bold heading", "Normal text"]);
}

#[test]
fn gaps_become_space_or_tab() {
    let d = doc(&[vec![
        (100.0, 700.0, 10.0, "ab"),
        // "ab" is ~10.6 pt wide; 4 pt gap = 0.4 em -> space.
        (114.6, 700.0, 10.0, "cd"),
        // 30 pt gap = 3 em -> tab.
        (155.0, 700.0, 10.0, "ef"),
    ]]);
    assert_eq!(texts(&d, 0), vec!["ab cd\tef"]);
    let w = &d.pages[0].lines[0].words;
    assert_eq!(w.len(), 3);
    assert!(w[0].x0 < w[0].x1 && w[0].x1 < w[1].x0 && (w[0].font_size - 10.0).abs() < 0.01);
    assert!(w[0].y0 < w[0].y1, "top-down coordinates");
}

#[test]
fn running_headers_and_page_numbers_are_furniture() {
    let pages: Vec<Vec<(f32, f32, f32, &str)>> = (0..4)
        .map(|i| {
            let num: &'static str = ["- 1 -", "- 2 -", "- 3 -", "- 4 -"][i];
            vec![
                (200.0, 815.0, 9.0, "Annual Budget Report 2024"),
                (72.0, 700.0, 12.0, "Body text that is real content."),
                (280.0, 30.0, 9.0, num),
            ]
        })
        .collect();
    let d = doc(&pages);
    for p in &d.pages {
        let flags: Vec<(bool, &str)> = p
            .lines
            .iter()
            .map(|l| (l.furniture, l.text.as_str()))
            .collect();
        assert_eq!(flags.len(), 3);
        assert!(flags[0].0 && !flags[1].0 && flags[2].0, "{flags:?}");
    }
    assert_eq!(d.text().matches("Body text").count(), 4);
    assert!(!d.text().contains("Annual"));
}

#[test]
fn annotation_appearances_are_read() {
    // A form field whose value only exists in its /AP /N appearance stream; its BBox
    // (0 0 100 20) is mapped onto /Rect [300 500 400 520].
    let ap = b"BT /F1 10 Tf 2 5 Td (Field value 123) Tj ET";
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R /Annots [6 0 R] /Resources << /Font << /F1 3 0 R >> >> >>".to_vec(),
        stream("", b"BT /F1 12 Tf 72 700 Td (Page body) Tj ET"),
        b"<< /Type /Annot /Subtype /Widget /Rect [300 500 400 520] /AP << /N 7 0 R >> >>".to_vec(),
        stream("/Type /XObject /Subtype /Form /BBox [0 0 100 20] /Resources << /Font << /F1 3 0 R >> >>", ap),
    ];
    let d = extract(&build_pdf(&objs), &Limits::default()).unwrap();
    let t = texts(&d, 0);
    assert_eq!(t, vec!["Page body", "Field value 123"]);
    let w = &d.pages[0].lines[1].words[0];
    assert!((w.x0 - 302.0).abs() < 0.5, "{}", w.x0);
}

#[test]
fn vertical_writing_reads_columns_right_to_left() {
    // STSong-Light (not embedded) with UniGB-UCS2-V: two vertical columns.
    let content = b"BT /F1 12 Tf 1 0 0 1 300 700 Tm <4E2D65874E66> Tj ET\nBT /F1 12 Tf 1 0 0 1 280 700 Tm <7B2C4E8C5217> Tj ET";
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        stream("", content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-V /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >> >>] >>".to_vec(),
    ];
    let d = extract(&build_pdf(&objs), &Limits::default()).unwrap();
    assert_eq!(texts(&d, 0), vec!["中文书", "第二列"]);
}

#[test]
fn text_in_switched_off_layers_is_skipped() {
    let content = b"BT /F1 12 Tf 72 700 Td (Visible text) Tj ET\n/OC /L1 BDC BT /F1 12 Tf 72 680 Td (Hidden draft) Tj ET EMC\n/OC /L2 BDC BT /F1 12 Tf 72 660 Td (Layer on) Tj ET EMC";
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R /OCProperties << /OCGs [6 0 R 7 0 R] /D << /OFF [6 0 R] >> >> >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /Properties << /L1 6 0 R /L2 7 0 R >> >> >>".to_vec(),
        stream("", content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        b"<< /Type /OCG /Name (Draft) >>".to_vec(),
        b"<< /Type /OCG /Name (Normal) >>".to_vec(),
    ];
    let d = extract(&build_pdf(&objs), &Limits::default()).unwrap();
    assert_eq!(texts(&d, 0), vec!["Visible text", "Layer on"]);
}

#[test]
fn cell_borders_split_adjacent_numbers_with_tabs() {
    // Two right-aligned number columns 6 pt apart (0.6 em: a space by gap alone), with a
    // stroked vertical cell border between them.
    let content = b"BT /F1 10 Tf 100 700 Td (79,189.34) Tj ET\nBT /F1 10 Tf 150 700 Td (79,189.34) Tj ET\n0.5 w 147 690 m 147 715 l S";
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        stream("", content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ];
    let d = extract(&build_pdf(&objs), &Limits::default()).unwrap();
    assert_eq!(texts(&d, 0), vec!["79,189.34\t79,189.34"]);
    let r = d.pages[0].rulings[0];
    assert!(
        ((r.x0 + r.x1) / 2.0 - 147.0).abs() < 0.5 && r.y1 - r.y0 > 20.0,
        "{r:?}"
    );
}
