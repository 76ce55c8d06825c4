//! One extraction pass over a document: open it (repairing a cut-off file, mapping
//! decryption failures), read its pages within the limits, and assemble the result
//! with its warnings in a fixed order.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use hayro_syntax::object::dict::keys::{ANNOTS, TYPE};
use hayro_syntax::object::{Array, Dict, Name};
use hayro_syntax::{DecryptionError, LoadPdfError, Pdf, page::Page as HPage};

use crate::budget::{self, Budget};
use crate::collect::Collector;
use crate::fonts::FallbackCache;
use crate::ocg::Ocg;
use crate::ocr::{self, Ocr};
use crate::{Limits, Page, PdfError, PdfText, furniture, interp, layout, normalize, strip};

/// Appended to unreadable files: a catalog whose page tree does not exist, and a trailer.
const REPAIR_TRAILER: &[u8] = b"\n999999 0 obj\n<< /Type /Catalog /Pages 999998 0 R >>\nendobj\ntrailer\n<< /Root 999999 0 R /Size 1000000 >>\n%%EOF\n";

/// A parsed document and how it was obtained.
pub(crate) struct Opened {
    pub pdf: Pdf,
    /// The structure was unreadable: pages were recovered by scanning objects.
    pub repaired: bool,
    /// Font programs were blanked out before parsing (see `strip`).
    stripped: bool,
}

/// What the page loop learns beyond the pages themselves.
#[derive(Default)]
pub(crate) struct Tally {
    /// Visible glyphs on all pages.
    pub glyphs: usize,
    /// Numbers of pages without text that draw images (scans).
    image_only: Vec<u32>,
    /// Fonts whose text came from their embedded cmap.
    fallback_warnings: Vec<String>,
    /// Per page, what OCR needs to know of it.
    pub pages: Vec<PageTally>,
}

/// One page's text layer in numbers, and its densest image.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PageTally {
    /// Visible glyphs, and those of them without a Unicode mapping.
    pub glyphs: usize,
    pub unmapped: usize,
    pub images: usize,
    /// Pixels per point of the densest image.
    pub image_density: Option<f32>,
}

/// One text pass: the text, whether font programs were stripped, what the
/// pages hold, and whether the file was damaged.
pub(crate) struct Pass {
    pub text: PdfText,
    pub stripped: bool,
    pub tally: Tally,
    pub damaged: bool,
}

/// Reads the text layer of every page. Nothing is decided yet about pages
/// without text: OCR may still read them (see [`finish`]).
pub(crate) fn extract_pass(
    bytes: &[u8],
    limits: &Limits,
    allow_strip: bool,
) -> Result<Pass, PdfError> {
    check_deadline(limits)?;
    let Opened {
        pdf,
        repaired,
        stripped,
    } = open(bytes, allow_strip)?;
    let mut out = PdfText {
        title: pdf
            .metadata()
            .title
            .as_deref()
            .map(normalize::decode_text_string)
            .filter(|t| !t.trim().is_empty()),
        ..PdfText::default()
    };
    if repaired {
        out.warnings
            .push("document structure was unreadable; pages recovered by scanning objects".into());
    }
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    let truncated = !tail.windows(5).any(|w| w == b"%%EOF");
    if truncated {
        out.warnings
            .push("file looks truncated (no %%EOF at the end); recovered what survives".into());
    }
    let pages = readable_pages(&pdf, repaired, &mut out.warnings)?;
    let tally = read_pages(&pdf, &pages, limits, &mut out)?;
    Ok(Pass {
        text: out,
        stripped,
        tally,
        damaged: repaired || truncated,
    })
}

/// The pass's pages read by OCR where `ocr` says so, then the verdict: a
/// document without any text is a scan (or corrupt, when damaged), or one
/// OCR could have read; otherwise its warnings are summed up and its running
/// headers and footers marked.
pub(crate) fn finish(
    bytes: &[u8],
    pass: Pass,
    limits: &Limits,
    ocr: &Ocr<'_>,
) -> Result<PdfText, PdfError> {
    let Pass {
        text: mut out,
        mut tally,
        damaged,
        ..
    } = pass;
    let wanted = ocr::pages_to_read(ocr.mode, &tally.pages);
    if !wanted.is_empty() {
        match (ocr.recognizer)() {
            Ok(recognizer) => {
                ocr::read_pages(bytes, &wanted, &tally.pages, limits, recognizer, &mut out)?;
            }
            Err(why) if tally.glyphs == 0 => return Err(PdfError::OcrUnavailable(why)),
            Err(why) => out.warnings.push(format!(
                "page(s) {} need OCR and were not read: {why}",
                list(wanted.iter().map(|&i| i + 1))
            )),
        }
    }
    let read_by_ocr = out.pages.iter().any(|p| !p.lines.is_empty()) && !out.ocr_pages.is_empty();
    // No visible glyph anywhere: a scan (images) or a drawing.
    if tally.glyphs == 0 && !read_by_ocr {
        // A damaged file that yields nothing is corrupt, not a scan.
        if damaged {
            return Err(PdfError::Corrupt(
                "damaged file: no text could be recovered".into(),
            ));
        }
        return Err(PdfError::NoTextLayer);
    }
    tally.image_only.retain(|n| !out.ocr_pages.contains(n));
    summarise(&mut out, tally);
    furniture::mark(&mut out.pages);
    Ok(out)
}

/// Numbers joined by commas.
fn list(numbers: impl Iterator<Item = impl ToString>) -> String {
    numbers.map(|n| n.to_string()).collect::<Vec<_>>().join(",")
}

pub(crate) fn check_deadline(limits: &Limits) -> Result<(), PdfError> {
    match limits.deadline {
        Some(d) if Instant::now() >= d => Err(PdfError::Timeout),
        _ => Ok(()),
    }
}

pub(crate) fn open(bytes: &[u8], allow_strip: bool) -> Result<Opened, PdfError> {
    let mut repaired = false;
    let parsed = match Pdf::new(bytes.to_vec()) {
        Err(LoadPdfError::Invalid) => {
            // Typically a truncated file whose catalog/trailer was cut off. hayro's repair
            // scan needs a trailer naming a catalog; give it one whose /Pages is missing, so
            // it falls back to collecting every page object it can still parse.
            let mut v = bytes.to_vec();
            v.extend_from_slice(REPAIR_TRAILER);
            repaired = true;
            Pdf::new(v)
        }
        other => other,
    };
    let mut pdf = parsed.map_err(load_error)?;
    let mut stripped = false;
    if allow_strip
        && let Some(lean) = strip::strip_font_programs(&pdf)
        && let Ok(p) = Pdf::new(lean)
    {
        pdf = p;
        stripped = true;
    }
    Ok(Opened {
        pdf,
        repaired,
        stripped,
    })
}

fn load_error(e: LoadPdfError) -> PdfError {
    match e {
        LoadPdfError::Decryption(DecryptionError::PasswordProtected) => {
            PdfError::Encrypted("a user password is required".into())
        }
        LoadPdfError::Decryption(DecryptionError::UnsupportedAlgorithm) => {
            PdfError::Unsupported("unsupported encryption algorithm".into())
        }
        LoadPdfError::Decryption(other) => {
            PdfError::Corrupt(format!("broken encryption dictionary: {other:?}"))
        }
        LoadPdfError::Invalid => PdfError::Corrupt("unreadable PDF structure".into()),
    }
}

/// The pages to read, with a warning when the page tree promises more.
pub(crate) fn readable_pages<'p>(
    pdf: &'p Pdf,
    repaired: bool,
    warnings: &mut Vec<String>,
) -> Result<Vec<&'p HPage<'p>>, PdfError> {
    let pages = pdf.pages();
    if pages.is_empty() {
        return Err(PdfError::Corrupt("no pages found".into()));
    }
    if let Some(declared) = budget::declared_page_count(pdf)
        && declared > pages.len()
    {
        warnings.push(format!(
            "page tree declares {declared} pages but only {} could be read",
            pages.len()
        ));
    }
    // In repair mode any dictionary with /Contents was taken as a page; keep real pages.
    let real_pages: Vec<&HPage<'_>> = pages
        .iter()
        .filter(|p| {
            !repaired
                || p.raw()
                    .get::<Name<'_>>(TYPE)
                    .is_some_and(|t| t.as_ref() == b"Page")
        })
        .collect();
    if real_pages.is_empty() {
        return Err(PdfError::Corrupt("no readable page".into()));
    }
    Ok(real_pages)
}

/// Every page in order into `out.pages`; fonts, forms and the decompression budget are
/// shared by all pages. A page whose interpreter panics is kept, empty, with a warning.
fn read_pages<'p>(
    pdf: &'p Pdf,
    pages: &[&HPage<'p>],
    limits: &Limits,
    out: &mut PdfText,
) -> Result<Tally, PdfError> {
    let ocg = pdf
        .xref()
        .get::<Dict<'_>>(pdf.xref().root_id())
        .map(|c| Ocg::from_catalog(&c))
        .unwrap_or_default();
    let mut fonts = interp::Fonts::new();
    let mut fallback = FallbackCache::default();
    let mut budget = Budget::new(limits.max_decompressed_bytes);
    let mut tally = Tally::default();
    for (idx, page) in pages.iter().enumerate() {
        check_deadline(limits)?;
        let number = idx as u32 + 1;
        budget.charge_page(page, number)?;
        let size = page.render_dimensions();
        let mut collected = Collector::new(std::mem::take(&mut fallback), size);
        let result = catch_unwind(AssertUnwindSafe(|| {
            run_page(page, &mut fonts, &mut collected, &mut budget, &ocg, limits)
        }));
        fallback = std::mem::take(&mut collected.fonts);
        let page = match result {
            Ok(Ok(())) => laid_out(number, size, collected, out, &mut tally),
            Ok(Err(interp::Stop::Timeout)) => return Err(PdfError::Timeout),
            Ok(Err(interp::Stop::TooLarge(e))) => return Err(e),
            Err(p) => {
                out.warnings.push(format!(
                    "page {number}: interpreter panicked ({}); page skipped",
                    crate::panic_message(&p)
                ));
                out.empty_pages += 1;
                tally.pages.push(PageTally::default());
                Page {
                    number,
                    width: size.0,
                    height: size.1,
                    ..Page::default()
                }
            }
        };
        out.pages.push(page);
    }
    tally.fallback_warnings = fallback.take_warnings();
    Ok(tally)
}

fn run_page<'a>(
    page: &HPage<'a>,
    fonts: &mut interp::Fonts<'a>,
    out: &mut Collector,
    budget: &mut Budget,
    ocg: &Ocg,
    limits: &Limits,
) -> Result<(), interp::Stop> {
    let initial = kurbo::Affine::new(page.initial_transform(true).as_coeffs());
    let mut it = interp::Interp::new(fonts, out, budget, limits.deadline, ocg, initial);
    if let Some(content) = page.page_stream() {
        it.run(content, page.resources())?;
    }
    if let Some(annots) = page.raw().get::<Array<'_>>(ANNOTS) {
        it.annotations(&annots, page.resources())?;
    }
    Ok(())
}

/// A read page: its glyphs laid out as lines, its counts added to the document's.
fn laid_out(
    number: u32,
    (width, height): (f32, f32),
    mut collected: Collector,
    out: &mut PdfText,
    tally: &mut Tally,
) -> Page {
    let glyphs = collected.glyphs.iter().filter(|g| !g.is_space).count();
    tally.glyphs += glyphs;
    out.replacement_chars += collected.replacements;
    if glyphs == 0 {
        out.empty_pages += 1;
        if collected.images > 0 {
            tally.image_only.push(number);
        }
    }
    tally.pages.push(PageTally {
        glyphs,
        unmapped: collected.replacements,
        images: collected.images,
        image_density: collected.image_density,
    });
    let lines = layout::build_lines(std::mem::take(&mut collected.glyphs), &collected.rulings);
    Page {
        number,
        width,
        height,
        lines,
        rulings: collected.rulings,
    }
}

/// The document-wide warnings, after the ones pages raised: empty pages, scans,
/// unmapped glyphs, fonts read through their embedded cmap.
fn summarise(out: &mut PdfText, tally: Tally) {
    if out.empty_pages > 0 {
        let empty: Vec<String> = out
            .pages
            .iter()
            .filter(|p| p.lines.is_empty())
            .map(|p| p.number.to_string())
            .collect();
        out.warnings.push(format!(
            "{} page(s) without text: {}",
            out.empty_pages,
            empty.join(",")
        ));
    }
    if !tally.image_only.is_empty() {
        out.warnings.push(format!(
            "image-only page(s) (scanned?): {}",
            list(tally.image_only.iter())
        ));
    }
    if !out.ocr_pages.is_empty() {
        out.warnings.push(format!(
            "{} page(s) read by OCR: {}",
            out.ocr_pages.len(),
            list(out.ocr_pages.iter())
        ));
    }
    if out.replacement_chars > 0 {
        out.warnings.push(format!(
            "{} glyph(s) without a Unicode mapping were emitted as U+FFFD",
            out.replacement_chars
        ));
    }
    out.warnings.extend(tally.fallback_warnings);
}
