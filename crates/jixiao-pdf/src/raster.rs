//! Pages as pictures for OCR, drawn by hayro's renderer: at the resolution of
//! the page's own scan when it has one (nothing is gained above it), else at
//! 200 dpi, and never larger than a pixel cap (the memory a page may take).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use hayro::hayro_interpret::{InterpreterSettings, InterpreterWarning};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};
use hayro_syntax::page::Page as HPage;

use crate::ocr::PageImage;

/// Pixels per point when the page has no scan: 200 dpi.
pub(crate) const DEFAULT_SCALE: f32 = 200.0 / 72.0;
/// Bounds on pixels per point (100 and 400 dpi): a thumbnail-sized scan is
/// still drawn readably, a 1200 dpi one not at full size.
const MIN_SCALE: f32 = 100.0 / 72.0;
const MAX_SCALE: f32 = 400.0 / 72.0;
/// At most this many pixels a page (an A3 page at 400 dpi is 31 million).
pub(crate) const MAX_PIXELS: f32 = 36.0e6;

/// A page's picture and the pixels per point it was drawn at.
pub(crate) struct Rendered {
    pub image: PageImage,
    pub scale: f32,
    /// Images on the page that could not be decoded (drawn as nothing).
    pub broken_images: usize,
}

/// The scale a page of `size` points is drawn at, given the density of its
/// densest image (pixels per point), if it has one.
pub(crate) fn scale_for(size: (f32, f32), image_density: Option<f32>) -> f32 {
    let wanted = image_density.map_or(DEFAULT_SCALE, |d| d.clamp(MIN_SCALE, MAX_SCALE));
    let area = (size.0 * size.1).max(1.0);
    let capped = (MAX_PIXELS / area).sqrt();
    // hayro's pixmaps are at most u16::MAX pixels a side.
    let side = f32::from(u16::MAX) / size.0.max(size.1).max(1.0);
    wanted.min(capped).min(side)
}

/// Draws `page` at `scale` pixels per point, on white.
pub(crate) fn render(page: &HPage<'_>, scale: f32) -> Rendered {
    let broken = Arc::new(AtomicUsize::new(0));
    let sink = broken.clone();
    let settings = InterpreterSettings {
        warning_sink: Arc::new(move |w| {
            if matches!(w, InterpreterWarning::ImageDecodeFailure) {
                sink.fetch_add(1, Ordering::Relaxed);
            }
        }),
        ..InterpreterSettings::default()
    };
    let cache = RenderCache::new();
    let pixmap = hayro::render(
        page,
        &cache,
        &settings,
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: WHITE,
        },
    );
    let rgb: Vec<u8> = pixmap
        .data_as_u8_slice()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    Rendered {
        image: PageImage {
            width: u32::from(pixmap.width()),
            height: u32::from(pixmap.height()),
            rgb,
        },
        scale,
        broken_images: broken.load(Ordering::Relaxed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_are_drawn_at_their_own_resolution_within_bounds() {
        let a4 = (595.0, 842.0);
        assert_eq!(scale_for(a4, None), DEFAULT_SCALE);
        assert!((scale_for(a4, Some(200.0 / 72.0)) - 200.0 / 72.0).abs() < 1e-6);
        assert_eq!(scale_for(a4, Some(0.2)), MIN_SCALE);
        // A poster-sized page is capped by its pixel count.
        let poster = (5000.0, 5000.0);
        let s = scale_for(poster, Some(4.0));
        assert!((poster.0 * s) * (poster.1 * s) <= MAX_PIXELS * 1.001);
    }
}
