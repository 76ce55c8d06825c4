//! Failure modes: empty / not-a-PDF / truncated / image-only / encrypted / limits.

use std::time::{Duration, Instant};

use jixiao_pdf::{Limits, PdfError, PdfText, extract};

use crate::common::{all_text, build_pdf, read, stream};

fn image_only_pdf() -> Vec<u8> {
    let content = b"q 200 0 0 200 100 400 cm /Im1 Do Q";
    build_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>".to_vec(),
        stream("", content),
        stream("/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8", &[0, 255, 255, 0]),
    ])
}

fn code(r: Result<PdfText, PdfError>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

#[test]
fn empty_and_not_pdf_are_corrupt() {
    let l = Limits::default();
    assert_eq!(code(extract(b"", &l)), "corrupt");
    assert_eq!(
        code(extract(b"hello, this is a text file\n", &l)),
        "corrupt"
    );
    assert_eq!(
        code(extract(b"<html><body>404</body></html>", &l)),
        "corrupt"
    );
    assert_eq!(code(extract(b"%PDF-1.7\n", &l)), "corrupt");
    let mut junk = b"%PDF-1.4\n".to_vec();
    junk.extend((0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    assert_eq!(code(extract(&junk, &l)), "corrupt");
}

#[test]
fn image_only_is_no_text_layer() {
    let r = extract(&image_only_pdf(), &Limits::default());
    assert!(
        matches!(r, Err(PdfError::NoTextLayer)),
        "{:?}",
        r.map(|d| d.pages.len())
    );
}

#[test]
fn tiny_text_pdf_works() {
    let content = b"BT /F1 12 Tf 72 700 Td (Hello world 2024) Tj ET";
    let pdf = build_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        stream("", content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ]);
    let doc = extract(&pdf, &Limits::default()).unwrap();
    assert_eq!(doc.pages[0].lines[0].text, "Hello world 2024");
    assert_eq!(doc.pages[0].lines[0].words.len(), 3);
}

#[test]
fn truncated_file_recovers_pages_with_warning() {
    let full = read("realpdf/national-final-accounts-template.pdf");
    let cut = &full[..full.len() * 6 / 10];
    let doc = extract(cut, &Limits::default()).expect("pages before the cut survive");
    assert!(
        doc.warnings.iter().any(|w| w.contains("truncated")),
        "{:?}",
        doc.warnings
    );
    let text = all_text(&doc, true);
    assert!(
        text.chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
            .count()
            > 500
    );
    // Whatever could not be decoded is counted, not hidden.
    if text.contains('\u{FFFD}') {
        assert!(doc.replacement_chars > 0);
    }
}

#[test]
fn truncated_everywhere_never_panics() {
    for file in [
        "realpdf/unit-budget-wps-sheet.pdf",
        "corpus/2024_report.pdf",
        "corpus/2024_report_stsong.pdf",
    ] {
        let full = read(file);
        for pct in [1, 5, 20, 45, 60, 75, 99] {
            let cut = &full[..full.len() * pct / 100];
            // Ok or a clean error; a panic would fail the test.
            let _ = extract(cut, &Limits::default());
        }
    }
}

#[test]
fn encrypted_with_empty_user_password_is_read() {
    for f in [
        "rc4_40_empty",
        "rc4_128_empty",
        "aes128_empty",
        "aes256_empty",
    ] {
        let doc = extract(&read(&format!("enc/{f}.pdf")), &Limits::default())
            .unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(
            all_text(&doc, true).contains("2023年度部门整体支出绩效自评表"),
            "{f}"
        );
    }
}

#[test]
fn encrypted_with_user_password_is_encrypted() {
    for f in ["rc4_128_user_password", "aes256_user_password"] {
        let r = extract(&read(&format!("enc/{f}.pdf")), &Limits::default());
        assert_eq!(code(r), "encrypted", "{f}");
    }
}

#[test]
fn deadline_in_the_past_times_out() {
    let limits = Limits {
        deadline: Some(Instant::now() - Duration::from_millis(1)),
        ..Limits::default()
    };
    let r = extract(&read("corpus/2024_report.pdf"), &limits);
    assert_eq!(code(r), "timeout");
}

#[test]
fn decompression_budget_is_enforced() {
    let limits = Limits {
        max_decompressed_bytes: 10_000,
        ..Limits::default()
    };
    let r = extract(&read("realpdf/unit-budget-wps-sheet.pdf"), &limits);
    assert_eq!(code(r), "too_large");
}

#[test]
fn zip_bomb_content_is_too_large() {
    use std::io::Write;
    // 64 MiB of spaces deflates to ~64 KiB: a content stream far past a 16 MiB budget.
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..64 {
        enc.write_all(&chunk).unwrap();
    }
    let bomb = enc.finish().unwrap();
    let pdf = build_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        stream("/Filter /FlateDecode", &bomb),
    ]);
    let limits = Limits {
        max_decompressed_bytes: 16 << 20,
        ..Limits::default()
    };
    assert_eq!(code(extract(&pdf, &limits)), "too_large");
}

#[test]
fn error_codes_are_stable() {
    assert_eq!(PdfError::Encrypted("x".into()).code(), "encrypted");
    assert_eq!(PdfError::Corrupt("x".into()).code(), "corrupt");
    assert_eq!(PdfError::NoTextLayer.code(), "no_text_layer");
    assert_eq!(PdfError::Unsupported("x".into()).code(), "unsupported");
    assert_eq!(PdfError::Timeout.code(), "timeout");
    assert_eq!(PdfError::TooLarge("x".into()).code(), "too_large");
}

#[test]
fn mutated_files_never_panic() {
    // Deterministic xorshift mutations: byte flips, truncations, spliced chunks.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    for file in [
        "samples/synthetic/C_fpdf2_Type0_IdentityH_ToUnicode.pdf",
        "corpus/2024_report_stsong.pdf",
        "samples/pdfjs/issue2128r.pdf",
    ] {
        let orig = read(file);
        for i in 0..12 {
            let mut b = orig.clone();
            match i % 3 {
                0 => {
                    for _ in 0..1 + rnd() % 32 {
                        let p = rnd() % b.len();
                        b[p] = rnd() as u8;
                    }
                }
                1 => b.truncate(1 + rnd() % b.len()),
                _ => {
                    let a = rnd() % b.len();
                    let chunk = b[a..(a + rnd() % 2048).min(b.len())].to_vec();
                    let at = rnd() % b.len();
                    b.splice(at..at, chunk);
                }
            }
            let limits = Limits {
                deadline: Some(Instant::now() + Duration::from_secs(20)),
                ..Limits::default()
            };
            let _ = extract(&b, &limits);
        }
    }
}

#[test]
fn public_types_are_send_and_sync() {
    // jixiao extracts files in parallel; results and errors must cross threads.
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<PdfText>();
    assert_send_sync::<PdfError>();
    assert_send_sync::<Limits>();
    let handle = std::thread::spawn(|| {
        extract(
            &read("samples/synthetic/A_reportlab_STSong_UniGB-UCS2-H.pdf"),
            &Limits::default(),
        )
    });
    assert!(handle.join().unwrap().is_ok());
}

/// A form XObject that draws itself: the content stream loops forever unless
/// the interpreter bounds form nesting.
#[test]
fn self_drawing_form_ends() {
    let pdf = build_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /F1 5 0 R >> >> >>".to_vec(),
        stream("", b"/F1 Do"),
        stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /F1 5 0 R >> >>",
            b"/F1 Do",
        ),
    ]);
    let started = std::time::Instant::now();
    let limits = Limits {
        deadline: Some(started + std::time::Duration::from_secs(10)),
        ..Limits::default()
    };
    let result = extract(&pdf, &limits);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    // No text either way: an empty page, a "no text layer" or a timeout, never a hang.
    assert!(matches!(code(result), "ok" | "no_text_layer" | "timeout"));
}

/// Millions of operators: the deadline stops the interpreter mid-stream.
#[test]
fn endless_content_stream_hits_the_deadline() {
    let ops = b"q 1 0 0 1 0 0 cm Q ".repeat(2_000_000);
    let pdf = build_pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        stream("", &ops),
    ]);
    let started = std::time::Instant::now();
    let limits = Limits {
        deadline: Some(started + std::time::Duration::from_millis(50)),
        ..Limits::default()
    };
    let result = extract(&pdf, &limits);
    // The budget is enforced every few thousand operators, so the run ends soon after it.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(matches!(code(result), "timeout" | "no_text_layer"));
}
