//! pdf-cjk-samples: every file opens without a panic; the synthetic A–G files give their
//! stated text; fake bold and missing-ToUnicode fonts are handled.

use jixiao_pdf::{Limits, extract};

use crate::common::{all_text, data, read};

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_sample_opens() {
    let mut n = 0;
    for dir in [
        "samples/pdfjs",
        "samples/pdfminer.six",
        "samples/pdfplumber",
        "samples/synthetic",
    ] {
        for entry in std::fs::read_dir(data(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "pdf") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let doc = extract(&bytes, &Limits::default())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let text = all_text(&doc, true);
            assert!(
                text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
                "{}: no Han text",
                path.display()
            );
            n += 1;
        }
    }
    assert_eq!(n, 22);
}

#[test]
fn synthetic_expected_text() {
    let files = [
        ("A_reportlab_STSong_UniGB-UCS2-H.pdf", "≥"),
        ("B_reportlab_embedded_TTF_simple.pdf", "≥"),
        ("C_fpdf2_Type0_IdentityH_ToUnicode.pdf", "≥"),
        ("D_IdentityH_noToUnicode.pdf", "≥"),
        ("E_handmade_GBK-EUC-H.pdf", ">="),
        ("F_handmade_UniGB-UTF16-H.pdf", "≥"),
        ("G_handmade_GB-EUC-H.pdf", ">="),
    ];
    for (name, ge) in files {
        let doc = extract(
            &read(&format!("samples/synthetic/{name}")),
            &Limits::default(),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.replacement_chars, 0, "{name}");
        let text = squash(&all_text(&doc, true));
        let expected = [
            "2023年度部门整体支出绩效自评表".to_string(),
            // NFKC turns the full-width colon into ':' (and E/G's full-width digits into ASCII).
            "预算单位:某某市财政局".into(),
            "年初预算数1,234.56万元".into(),
            "执行数1,216.78万元".into(),
            "预算执行率98.56%".into(),
            "自评得分95.5分".into(),
            "指标".into(),
            "年度目标".into(),
            "实际完成".into(),
            "得分".into(),
            "资金到位率".into(),
            "100%".into(),
            "98.6%".into(),
            "9.5".into(),
            "项目完成及时率".into(),
            format!("{ge}95%"),
            "97%".into(),
            "10".into(),
        ];
        let mut pos = 0;
        for e in &expected {
            let e = squash(e);
            match text[pos..].find(&e) {
                Some(i) => pos += i + e.len(),
                None => panic!("{name}: {e:?} not found (in order) in {text:?}"),
            }
        }
        assert!(
            !text.chars().any(|c| ('\u{FF10}'..='\u{FF19}').contains(&c)),
            "{name}: full-width digits"
        );
    }
}

#[test]
fn synthetic_table_rows_use_tabs() {
    let doc = extract(
        &read("samples/synthetic/A_reportlab_STSong_UniGB-UCS2-H.pdf"),
        &Limits::default(),
    )
    .unwrap();
    let lines: Vec<&str> = doc.pages[0].lines.iter().map(|l| l.text.as_str()).collect();
    assert!(lines.contains(&"资金到位率\t100%\t98.6%\t9.5"), "{lines:?}");
    assert!(
        lines.contains(&"年初预算数 1,234.56 万元 执行数 1,216.78 万元"),
        "{lines:?}"
    );
}

#[test]
fn fake_bold_is_deduplicated() {
    let doc = extract(
        &read("samples/pdfplumber/issue-842-example.pdf"),
        &Limits::default(),
    )
    .unwrap();
    let text = all_text(&doc, true);
    assert!(text.contains("安徽安利合成革股份有限公司"), "{text}");
    assert!(!text.contains("安安"), "{text}");
    assert_eq!(text.matches("股票代码").count(), 1, "{text}");
}

#[test]
fn missing_tounicode_recovered_from_embedded_cmap() {
    // 宋体 Identity-H without (usable) ToUnicode: the font's own cmap names the glyphs.
    let doc = extract(
        &read("samples/pdfminer.six/issue_566_test_2.pdf"),
        &Limits::default(),
    )
    .unwrap();
    assert!(all_text(&doc, true).contains("中国饮料有限公司"));
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.contains("recovered from the embedded cmap"))
    );
}

#[test]
fn predefined_cmaps_without_tounicode() {
    for (file, needle) in [
        ("samples/pdfjs/issue2128r.pdf", "浅谈校长的魅力"), // GBK-EUC-H
        ("samples/pdfjs/issue3521.pdf", "我们都是黑体字"),  // GBKp-EUC-H
        ("samples/pdfjs/issue8372.pdf", "目录"),            // UniGB-UTF16-H
        ("samples/pdfjs/issue19182.pdf", "中文姓名"),       // UniCNS-UTF16-H
    ] {
        let doc = extract(&read(file), &Limits::default()).unwrap();
        assert!(squash(&all_text(&doc, true)).contains(needle), "{file}");
    }
}
