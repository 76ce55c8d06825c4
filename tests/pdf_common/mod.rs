//! Shared helpers for the integration tests: data paths and the CJK/digit multiset measure.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

use unicode_normalization::UnicodeNormalization;

/// A test file: `corpus/…` is the project's bundled corpus, the rest lives in tests/data/pdf.
pub fn data(rel: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if rel.starts_with("corpus/") {
        root.join(rel)
    } else {
        root.join("tests/data/pdf").join(rel)
    }
}

pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Same rule as scripts/gen_reference.py: NFKC, then CJK ideographs (3400–4DBF, 4E00–9FFF,
/// F900–FAFF) and ASCII digits.
pub fn counts(text: &str) -> HashMap<char, usize> {
    let mut m = HashMap::new();
    for c in text.nfkc() {
        let cp = c as u32;
        if c.is_ascii_digit()
            || (0x3400..=0x4DBF).contains(&cp)
            || (0x4E00..=0x9FFF).contains(&cp)
            || (0xF900..=0xFAFF).contains(&cp)
        {
            *m.entry(c).or_insert(0) += 1;
        }
    }
    m
}

/// (recall, precision) of `ours` against `reference`, as multisets.
pub fn recall_precision(
    ours: &HashMap<char, usize>,
    reference: &HashMap<char, usize>,
) -> (f64, f64) {
    let inter: usize = reference
        .iter()
        .map(|(c, n)| (*n).min(ours.get(c).copied().unwrap_or(0)))
        .sum();
    let r: usize = reference.values().sum();
    let o: usize = ours.values().sum();
    (
        inter as f64 / r.max(1) as f64,
        inter as f64 / o.max(1) as f64,
    )
}

/// All line text of a document, furniture included or not.
pub fn all_text(doc: &jixiao::source::pdf::PdfText, with_furniture: bool) -> String {
    let mut s = String::new();
    for p in &doc.pages {
        for l in &p.lines {
            if with_furniture || !l.furniture {
                s.push_str(&l.text);
                s.push('\n');
            }
        }
    }
    s
}

/// Serialise numbered objects into a PDF with a correct xref table.
pub fn build_pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

pub fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut v = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\nendstream");
    v
}
