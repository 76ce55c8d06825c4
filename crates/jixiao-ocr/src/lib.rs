//! Chinese OCR of page pictures for `jixiao-pdf`: PaddleOCR's PP-OCRv4 models
//! (text detection, direction classification, recognition) run through ONNX
//! Runtime, which is loaded from the models folder at run time, so neither the
//! runtime nor the models are needed to build, and text PDFs never need them.
//!
//! A page is read in these steps, each in its own module:
//! 1. `image`: red seal ink is painted white (a seal over a title neither hides
//!    nor adds text), and printed ink is the pixels dark in every channel;
//! 2. `deskew`: the page is levelled (scans are a little crooked), so text
//!    lines and borders are horizontal;
//! 3. `detect`: DB text detection gives the boxes of text lines;
//! 4. `rulings`: long runs of ink outside text boxes are the table's borders
//!    (given back for the border grid, and erased before reading so they are
//!    not read as `1` or `|`);
//! 5. `recognize`: each box is cropped, turned if upside down, read by the
//!    CTC recogniser, and greedily decoded with the model's character list.
//!
//! What comes back ([`jixiao_pdf::ocr::Recognized`]) is glyphs with boxes and
//! probabilities, and rulings, in the picture's pixels of the levelled page.
//! `models` says where the files are looked for ([`models::search_path`]).

mod deskew;
mod detect;
mod image;
pub mod models;
mod recognize;
mod rulings;

use std::time::Instant;

use jixiao_pdf::ocr::{OcrGlyph, PageImage, Recognized, Recognizer};

use detect::TextBox;
use image::Rgb;
use models::Models;
use recognize::ReadChar;

/// Skews smaller than this (degrees) are left as they are.
const MIN_SKEW: f32 = 0.05;
/// A border is at least this share of the page's longer side.
const MIN_RULING_SHARE: usize = 40;
/// A crop this much taller than wide is vertical text, read turned.
const VERTICAL: f32 = 1.5;

/// Why a page could not be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum OcrError {
    /// The runtime or the models are missing or cannot be loaded.
    #[error("{0}")]
    Unavailable(String),
    /// A model failed on its input.
    #[error("OCR model failed: {0}")]
    Model(String),
    /// The page's time budget ran out.
    #[error("OCR took longer than the time budget")]
    Timeout,
}

impl OcrError {
    fn model(e: impl std::fmt::Display) -> OcrError {
        OcrError::Model(e.to_string())
    }
}

/// Stops work once the deadline has passed.
fn check(deadline: Option<Instant>) -> Result<(), OcrError> {
    match deadline {
        Some(d) if Instant::now() >= d => Err(OcrError::Timeout),
        _ => Ok(()),
    }
}

/// The loaded models: a [`Recognizer`] for `jixiao_pdf`. Pages may be read from
/// any number of threads at once, each with its own model sessions.
pub struct Engine {
    models: Models,
}

impl Engine {
    /// The models of the first folder of the search path that has them.
    pub fn load() -> Result<Engine, OcrError> {
        Engine::load_from(&models::find()?)
    }

    /// The models of `dir`.
    pub fn load_from(dir: &std::path::Path) -> Result<Engine, OcrError> {
        Ok(Engine {
            models: Models::load(dir)?,
        })
    }

    /// Glyphs and borders of one page picture.
    pub fn read(
        &self,
        image: &PageImage,
        deadline: Option<Instant>,
    ) -> Result<Recognized, OcrError> {
        let (w, h) = (image.width as usize, image.height as usize);
        if image.rgb.len() != w * h * 3 || w == 0 || h == 0 {
            return Err(OcrError::Model(format!(
                "picture of {w} × {h} pixels has {} bytes",
                image.rgb.len()
            )));
        }
        let mut page = Rgb::new(w, h, image.rgb.clone());
        page.without_red();
        let angle = deskew::skew(&page.ink(), w, h);
        if angle.abs() >= MIN_SKEW {
            page = page.rotate(angle);
        }
        check(deadline)?;
        self.models.with(|sessions| {
            let boxes = detect::detect(&mut sessions.det, &page)?;
            check(deadline)?;
            let ink = page.ink();
            let min_len = (w.max(h) / MIN_RULING_SHARE).max(20);
            let rulings = rulings::find(&ink, w, h, min_len, &boxes);
            rulings::erase(&mut page, &ink, &rulings);
            let (mut crops, vertical): (Vec<Rgb>, Vec<bool>) =
                boxes.iter().map(|b| crop(&page, b)).unzip();
            recognize::orient(&mut sessions.cls, &mut crops)?;
            let read = recognize::read(&mut sessions.rec, &self.models.charset, &crops, deadline)?;
            let glyphs = boxes
                .iter()
                .zip(&read)
                .zip(&vertical)
                .flat_map(|((b, chars), &v)| glyphs_of(b, chars, v))
                .collect();
            Ok(Recognized { glyphs, rulings })
        })
    }
}

impl Recognizer for Engine {
    fn recognize(
        &self,
        image: &PageImage,
        deadline: Option<Instant>,
    ) -> Result<Recognized, String> {
        self.read(image, deadline).map_err(|e| e.to_string())
    }
}

/// The pixels of a text box, turned upright when it is vertical text; and
/// whether it was.
fn crop(page: &Rgb, b: &TextBox) -> (Rgb, bool) {
    let c = page.crop(
        b.x0.floor().max(0.0) as usize,
        b.y0.floor().max(0.0) as usize,
        b.x1.ceil() as usize,
        b.y1.ceil() as usize,
    );
    if c.h as f32 >= VERTICAL * c.w as f32 {
        (c.rotate90(), true)
    } else {
        (c, false)
    }
}

/// A read line as glyphs. Characters of a horizontal line tile its box, each
/// reaching halfway to its neighbours (the recogniser places characters, it
/// does not measure them); vertical text is one glyph over its whole box. A
/// line read with little confidence gives nothing.
fn glyphs_of(b: &TextBox, chars: &[ReadChar], vertical: bool) -> Vec<OcrGlyph> {
    if chars.is_empty() {
        return Vec::new();
    }
    let mean = chars.iter().map(|c| c.confidence).sum::<f32>() / chars.len() as f32;
    if mean < recognize::TEXT_SCORE {
        return Vec::new();
    }
    let glyph = |text: String, x0: f32, x1: f32, confidence: f32| OcrGlyph {
        text,
        x0,
        y0: b.y0,
        x1,
        y1: b.y1,
        confidence,
    };
    if vertical {
        let text = chars.iter().map(|c| c.text.as_str()).collect();
        return vec![glyph(text, b.x0, b.x1, mean)];
    }
    let centres: Vec<f32> = chars.iter().map(|c| b.x0 + c.at * b.width()).collect();
    let half_em = b.height() * 0.4;
    let edge = |i: usize, right: bool| -> f32 {
        let (near, far) = if right {
            (i + 1, b.x1)
        } else {
            (i.wrapping_sub(1), b.x0)
        };
        match centres.get(near) {
            Some(&n) => (centres[i] + n) / 2.0,
            None if right => (centres[i] + half_em).min(far),
            None => (centres[i] - half_em).max(far),
        }
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| glyph(c.text.clone(), edge(i, false), edge(i, true), c.confidence))
        .collect()
}
