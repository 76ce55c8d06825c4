//! Shared helpers of the tests: data paths, line text, hand-made PDFs.

use std::path::PathBuf;

use jixiao_pdf::PdfText;

/// A test file: `corpus/…` is the workspace's bundled corpus (the renderings of
/// the seed reports), the rest lives in this crate's tests/data.
pub fn data(rel: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if rel.starts_with("corpus/") {
        root.join("../..").join(rel)
    } else {
        root.join("tests/data").join(rel)
    }
}

pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(data(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// All line text of a document, furniture included or not.
pub fn all_text(doc: &PdfText, with_furniture: bool) -> String {
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
