//! Speed: blank out embedded font programs that text extraction provably does not need.
//!
//! hayro loads (inflates and parses) every embedded font program, because it is a renderer.
//! Published Chinese PDFs embed multi-megabyte CJK fonts, and inflating them was ~45 % of the
//! extraction time. A font that has a /ToUnicode CMap and explicit widths (/W or /DW for CID
//! fonts, /Widths for simple fonts) gets both its Unicode and its advances from the PDF
//! dictionaries alone, so its program is not needed: we overwrite the program stream's bytes
//! (streams are always top-level objects, so their raw bytes sit in the file verbatim) with
//! zeros, hayro fails to decode it and substitutes a built-in font for the (unused) outlines.
//! Fonts without ToUnicode keep their program: its cmap may be our only Unicode source.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

use hayro_syntax::Pdf;
use hayro_syntax::object::dict::keys::{
    DESCENDANT_FONTS, FONT, FONT_DESC, FONT_FILE, FONT_FILE2, FONT_FILE3, RESOURCES, TO_UNICODE,
    WIDTHS, XOBJECT,
};
use hayro_syntax::object::{Array, Dict, Stream};

/// Return a copy of the document bytes with unneeded font programs zeroed, or `None` when
/// nothing can be stripped (then the original parse is used as is).
pub(crate) fn strip_font_programs(pdf: &Pdf) -> Option<Vec<u8>> {
    let data: &[u8] = pdf.data().as_ref();
    let base = data.as_ptr() as usize;
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut seen_fonts = HashSet::new();
    let mut stack: Vec<Dict<'_>> = Vec::new();
    for page in pdf.pages().iter() {
        if let Some(res) = page.raw().get::<Dict<'_>>(RESOURCES) {
            stack.push(res);
        }
    }
    let mut seen_res = HashSet::new();
    // Page resources plus (one level of) form XObject resources.
    while let Some(res) = stack.pop() {
        if let Some(id) = res.obj_id()
            && !seen_res.insert(id)
        {
            continue;
        }
        if let Some(fonts) = res.get::<Dict<'_>>(FONT) {
            for key in fonts.keys() {
                let Some(font) = fonts.get::<Dict<'_>>(key.as_ref()) else {
                    continue;
                };
                if let Some(id) = font.obj_id()
                    && !seen_fonts.insert(id)
                {
                    continue;
                }
                collect_font(&font, base, data.len(), &mut ranges);
            }
        }
        if seen_res.len() < 4096
            && let Some(xobjs) = res.get::<Dict<'_>>(XOBJECT)
        {
            for key in xobjs.keys() {
                if let Some(s) = xobjs.get::<Stream<'_>>(key.as_ref())
                    && let Some(r) = s.dict().get::<Dict<'_>>(RESOURCES)
                {
                    stack.push(r);
                }
            }
        }
    }
    if ranges.is_empty() {
        return None;
    }
    let mut out = data.to_vec();
    for r in ranges {
        // 0xFF: an invalid zlib header and a reserved deflate block type, so every decoder
        // (hayro has a lenient fallback one) gives up on the first byte.
        out[r].fill(0xFF);
    }
    Some(out)
}

fn collect_font(font: &Dict<'_>, base: usize, len: usize, ranges: &mut Vec<Range<usize>>) {
    if !font.contains_key(TO_UNICODE) {
        return;
    }
    let descriptors: Vec<Dict<'_>> = if let Some(desc) = font.get::<Array<'_>>(DESCENDANT_FONTS) {
        // CID font: widths come from /W (or /DW), never from the program.
        desc.iter::<Dict<'_>>()
            .filter_map(|d| d.get::<Dict<'_>>(FONT_DESC))
            .collect()
    } else if font.contains_key(WIDTHS) {
        font.get::<Dict<'_>>(FONT_DESC).into_iter().collect()
    } else {
        return;
    };
    for d in descriptors {
        for k in [FONT_FILE, FONT_FILE2, FONT_FILE3] {
            if let Some(s) = d.get::<Stream<'_>>(k)
                && let Cow::Borrowed(raw) = s.raw_data()
            {
                // Only streams whose bytes lie in the file buffer (not decrypted copies).
                let start = (raw.as_ptr() as usize).wrapping_sub(base);
                if start < len && start + raw.len() <= len && raw.len() > 16 {
                    ranges.push(start..start + raw.len());
                }
            }
        }
    }
}
