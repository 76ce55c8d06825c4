//! Reading text lines: the direction classifier turns upside-down crops, the
//! recogniser (CTC) reads each crop, and greedy decoding with the model's
//! character list gives the characters with where each was read along the
//! line and its probability.

use ort::session::Session;
use ort::value::Tensor;

use crate::OcrError;
use crate::image::Rgb;

/// Crops per model run (as PaddleOCR batches them).
const BATCH: usize = 6;
/// The classifier's input: 48 × 192.
const CLS_H: usize = 48;
const CLS_W: usize = 192;
/// Above this probability of "180°" a crop is turned.
const CLS_THRESH: f32 = 0.9;
/// The recogniser's input height, and its narrowest width.
const REC_H: usize = 48;
const REC_MIN_W: usize = 320;
/// Lines read with a lower mean probability are dropped (`text_score`).
pub(crate) const TEXT_SCORE: f32 = 0.5;

/// One character read on a line: where along the crop (0–1 of its width) and
/// how sure the model was.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReadChar {
    pub text: String,
    pub at: f32,
    pub confidence: f32,
}

/// Turns the crops the classifier finds upside down.
pub(crate) fn orient(session: &mut Session, crops: &mut [Rgb]) -> Result<(), OcrError> {
    for batch in crops.chunks_mut(BATCH) {
        let mut input = vec![0.0f32; batch.len() * 3 * CLS_H * CLS_W];
        for (k, crop) in batch.iter().enumerate() {
            let w = scaled_width(crop, CLS_H).min(CLS_W);
            crop.resize(w, CLS_H)
                .write_planes(&mut input[k * 3 * CLS_H * CLS_W..], CLS_W);
        }
        let tensor =
            Tensor::from_array(([batch.len(), 3, CLS_H, CLS_W], input)).map_err(OcrError::model)?;
        let outputs = session.run(ort::inputs![tensor]).map_err(OcrError::model)?;
        let (_, probs) = outputs[0]
            .try_extract_tensor::<f32>()
            .map_err(OcrError::model)?;
        for (k, crop) in batch.iter_mut().enumerate() {
            if probs.get(k * 2 + 1).is_some_and(|&p| p > CLS_THRESH) {
                *crop = crop.rotate180();
            }
        }
    }
    Ok(())
}

/// The width a crop has at `height`, its aspect kept.
fn scaled_width(crop: &Rgb, height: usize) -> usize {
    ((height as f32 * crop.w as f32 / crop.h.max(1) as f32).ceil() as usize).max(1)
}

/// Each crop's characters, in the crops' order. Crops are batched by aspect
/// ratio (similar widths pad least), as PaddleOCR does.
pub(crate) fn read(
    session: &mut Session,
    charset: &[String],
    crops: &[Rgb],
    deadline: Option<std::time::Instant>,
) -> Result<Vec<Vec<ReadChar>>, OcrError> {
    let mut order: Vec<usize> = (0..crops.len()).collect();
    order.sort_by(|&a, &b| ratio(&crops[a]).total_cmp(&ratio(&crops[b])));
    let mut out = vec![Vec::new(); crops.len()];
    for batch in order.chunks(BATCH) {
        crate::check(deadline)?;
        let widest = batch
            .iter()
            .map(|&i| ratio(&crops[i]))
            .fold(REC_MIN_W as f32 / REC_H as f32, f32::max);
        let width = (REC_H as f32 * widest) as usize;
        let mut input = vec![0.0f32; batch.len() * 3 * REC_H * width];
        let mut used = Vec::with_capacity(batch.len());
        for (k, &i) in batch.iter().enumerate() {
            let w = scaled_width(&crops[i], REC_H).min(width);
            crops[i]
                .resize(w, REC_H)
                .write_planes(&mut input[k * 3 * REC_H * width..], width);
            used.push(w as f32 / width as f32);
        }
        let tensor =
            Tensor::from_array(([batch.len(), 3, REC_H, width], input)).map_err(OcrError::model)?;
        let outputs = session.run(ort::inputs![tensor]).map_err(OcrError::model)?;
        let (shape, probs) = outputs[0]
            .try_extract_tensor::<f32>()
            .map_err(OcrError::model)?;
        let (steps, classes) = (shape[1] as usize, shape[2] as usize);
        if classes != charset.len() {
            return Err(OcrError::Model(format!(
                "recogniser gives {classes} classes for {} characters",
                charset.len()
            )));
        }
        for (k, &i) in batch.iter().enumerate() {
            let rows = &probs[k * steps * classes..(k + 1) * steps * classes];
            out[i] = decode(rows, classes, charset, used[k]);
        }
    }
    Ok(out)
}

fn ratio(crop: &Rgb) -> f32 {
    crop.w as f32 / crop.h.max(1) as f32
}

/// CTC greedy decoding of `steps × classes` probabilities: the best class at
/// each step, repeats merged, blanks (class 0) dropped. A character's place is
/// the middle of its run of steps, as a share of the crop's own width (`used`
/// of the padded input); its probability the best of the run.
pub(crate) fn decode(
    probs: &[f32],
    classes: usize,
    charset: &[String],
    used: f32,
) -> Vec<ReadChar> {
    let steps = probs.len() / classes;
    let mut out: Vec<ReadChar> = Vec::new();
    let mut run: Option<(usize, usize, usize, f32)> = None; // class, first, last step, best p
    let mut flush = |run: Option<(usize, usize, usize, f32)>| {
        if let Some((class, first, last, p)) = run
            && class != 0
        {
            let middle = (first + last + 1) as f32 / 2.0 / steps as f32;
            out.push(ReadChar {
                text: charset[class].clone(),
                at: (middle / used.max(1e-3)).min(1.0),
                confidence: p,
            });
        }
    };
    for t in 0..steps {
        let row = &probs[t * classes..(t + 1) * classes];
        let (class, p) =
            row.iter().enumerate().fold(
                (0, f32::MIN),
                |best, (c, &p)| if p > best.1 { (c, p) } else { best },
            );
        match run {
            Some((c, first, _, best)) if c == class => run = Some((c, first, t, best.max(p))),
            _ => {
                flush(run);
                run = Some((class, t, t, p));
            }
        }
    }
    flush(run);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greedy_ctc_merges_repeats_and_drops_blanks() {
        let charset: Vec<String> = ["", "万", "元", " "]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // Steps: 万 万 blank 元 元 元 blank 万 (over half the padded width).
        let best = [1, 1, 0, 2, 2, 2, 0, 1];
        let probs: Vec<f32> = best
            .iter()
            .flat_map(|&b| (0..4).map(move |c| if c == b { 0.9 } else { 0.03 }))
            .collect();
        let read = decode(&probs, 4, &charset, 0.5);
        let text: String = read.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(text, "万元万");
        // 万 is read over steps 0–1: its middle is 1/8 of the input, 1/4 of the crop.
        assert!((read[0].at - 0.25).abs() < 1e-6);
        assert!((read[2].confidence - 0.9).abs() < 1e-6);
    }
}
