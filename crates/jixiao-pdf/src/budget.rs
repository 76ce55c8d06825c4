//! Decompression budget (zip-bomb guard) and small structural probes of the page tree.
//!
//! hayro decodes streams without a size limit, so before a page is interpreted we look at the
//! streams it will decode. A deflate stream expands at most ~1032×, so a stream whose raw size
//! times that cannot exceed the remaining budget is safe and is left to hayro (content
//! streams are then charged their real decoded size). Anything that *could* exceed the budget
//! is first inflated here into a sink with a hard cap.

use std::collections::HashSet;
use std::io::Read;

use hayro_syntax::Filter;
use hayro_syntax::Pdf;
use hayro_syntax::object::dict::keys::{
    CID_TO_GID_MAP, CONTENTS, COUNT, DESCENDANT_FONTS, ENCODING, FONT_DESC, FONT_FILE, FONT_FILE2,
    FONT_FILE3, PAGES, TO_UNICODE,
};
use hayro_syntax::object::{Array, Dict, ObjectIdentifier, Stream};
use hayro_syntax::page::Page;

use crate::PdfError;

/// Worst-case expansion ratio of one deflate pass.
const MAX_DEFLATE_RATIO: usize = 1032;

pub(crate) struct Budget {
    remaining: usize,
    max: usize,
    /// Streams already vetted (fonts and forms are shared between pages).
    seen: HashSet<ObjectIdentifier>,
}

impl Budget {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            remaining: max,
            max,
            seen: HashSet::new(),
        }
    }

    fn too_large(&self, what: &str) -> PdfError {
        PdfError::TooLarge(format!(
            "{what} exceeds the decompression budget of {} bytes",
            self.max
        ))
    }

    /// Vet one stream. `charge_actual`: content streams are decoded anyway, so their real
    /// size is charged; shared resources are only vetted for bombs.
    fn vet(&mut self, s: &Stream<'_>, what: &str) -> Result<Option<usize>, PdfError> {
        if !self.seen.insert(s.obj_id()) {
            return Ok(None);
        }
        let raw = s.raw_data().len();
        let filters = s.filters();
        let ratio = if filters.is_empty() {
            1
        } else {
            MAX_DEFLATE_RATIO.saturating_pow(filters.len() as u32)
        };
        if raw.saturating_mul(ratio) <= self.remaining {
            return Ok(None);
        }
        // Possibly a bomb: measure with a hard cap. Only a single Flate filter is measured;
        // other chains (LZW, ASCII85+Flate) are rare in text PDFs and are let through.
        if filters.len() == 1 && matches!(filters[0], Filter::FlateDecode) {
            let data = s.raw_data();
            let cap = self.remaining as u64 + 1;
            let mut dec = flate2::read::ZlibDecoder::new(&data[..]).take(cap);
            let n = std::io::copy(&mut dec, &mut std::io::sink()).unwrap_or(0) as usize;
            if n > self.remaining {
                return Err(self.too_large(what));
            }
            return Ok(Some(n));
        }
        Ok(None)
    }

    pub(crate) fn charge(&mut self, n: usize, what: &str) -> Result<(), PdfError> {
        if n > self.remaining {
            return Err(self.too_large(what));
        }
        self.remaining -= n;
        Ok(())
    }

    /// Vet a stream found while interpreting (nested forms) and charge what it measured.
    pub(crate) fn vet_stream(&mut self, s: &Stream<'_>, what: &str) -> Result<(), PdfError> {
        if let Some(n) = self.vet(s, what)? {
            self.charge(n, what)?;
        }
        Ok(())
    }

    /// Vet a page's content streams, then decode them (hayro caches the result for the
    /// interpreter) and charge the real size. Fonts and forms are vetted on first use.
    pub(crate) fn charge_page(&mut self, page: &Page<'_>, number: u32) -> Result<(), PdfError> {
        let what = format!("page {number} content");
        let raw = page.raw();
        let mut streams: Vec<Stream<'_>> = Vec::new();
        if let Some(s) = raw.get::<Stream<'_>>(CONTENTS) {
            streams.push(s);
        } else if let Some(a) = raw.get::<Array<'_>>(CONTENTS) {
            streams.extend(a.iter::<Stream<'_>>());
        }
        for s in &streams {
            self.vet(s, &what)?;
        }
        let decoded = page.page_stream().map_or(0, <[u8]>::len);
        self.charge(decoded, &what)
    }

    /// Vet the streams a font dictionary will make hayro decode (font programs, ToUnicode,
    /// embedded CMaps) before it is loaded; called on each font's first use.
    pub(crate) fn vet_font(&mut self, font: &Dict<'_>) -> Result<(), PdfError> {
        let what = "font";
        let mut streams: Vec<Stream<'_>> = Vec::new();
        streams.extend(font.get::<Stream<'_>>(TO_UNICODE));
        streams.extend(font.get::<Stream<'_>>(ENCODING));
        let mut descs: Vec<Dict<'_>> = font.get::<Dict<'_>>(FONT_DESC).into_iter().collect();
        if let Some(desc) = font.get::<Array<'_>>(DESCENDANT_FONTS) {
            for d in desc.iter::<Dict<'_>>() {
                descs.extend(d.get::<Dict<'_>>(FONT_DESC));
                streams.extend(d.get::<Stream<'_>>(CID_TO_GID_MAP));
            }
        }
        for d in descs {
            for k in [FONT_FILE, FONT_FILE2, FONT_FILE3] {
                streams.extend(d.get::<Stream<'_>>(k));
            }
        }
        for s in &streams {
            self.vet_stream(s, what)?;
        }
        Ok(())
    }
}

/// `/Count` of the catalog's page tree, when readable (used to report lost pages).
pub(crate) fn declared_page_count(pdf: &Pdf) -> Option<usize> {
    let xref = pdf.xref();
    let catalog = xref.get::<Dict<'_>>(xref.root_id())?;
    let pages = catalog.get::<Dict<'_>>(PAGES)?;
    pages.get::<u32>(COUNT).map(|c| c as usize)
}
