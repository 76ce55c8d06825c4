//! Skew of a scanned page: the angle at which its ink falls into the sharpest
//! rows (text lines and table borders are horizontal once the page is level).

/// Angles tried, in degrees either way: a page scanned more crooked than this
/// is read as it is.
const MAX_DEGREES: f32 = 3.0;
/// Every `STEP`-th ink pixel along each row is counted (speed). Every row
/// is: skipping rows would make the level page look sharper than it is (its
/// ink would fall into every other row).
const STEP: usize = 2;

/// The angle `Rgb::rotate` must turn the page by to level it, in degrees.
pub(crate) fn skew(ink: &[bool], w: usize, h: usize) -> f32 {
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let points: Vec<(f32, f32)> = (0..h)
        .flat_map(|y| {
            (0..w)
                .step_by(STEP)
                .filter(move |&x| ink[y * w + x])
                .map(move |x| (x as f32 - cx, y as f32 - cy))
        })
        .collect();
    if points.len() < 100 {
        return 0.0;
    }
    let diagonal = (w as f32).hypot(h as f32);
    let mut bins = vec![0u32; diagonal as usize + 2];
    let last = bins.len() - 1;
    let mut sharpness = |degrees: f32| -> u64 {
        bins.fill(0);
        let (s, c) = degrees.to_radians().sin_cos();
        for &(x, y) in &points {
            // The row this pixel lands on once the page is turned by `degrees`.
            let row = -s * x + c * y + diagonal / 2.0;
            bins[(row.max(0.0) as usize).min(last)] += 1;
        }
        bins.iter().map(|&n| u64::from(n) * u64::from(n)).sum()
    };
    let mut best = (0.0f32, sharpness(0.0));
    for step in [0.2f32, 0.02] {
        let centre = best.0;
        let span = if step > 0.1 { MAX_DEGREES } else { 0.2 };
        let mut a = centre - span;
        while a <= centre + span + 1e-4 {
            let score = sharpness(a);
            if score > best.1 {
                best = (a, score);
            }
            a += step;
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::Rgb;

    /// A page of black rules 1 px thick, every 20 px.
    fn ruled(w: usize, h: usize) -> Rgb {
        let mut data = vec![255u8; w * h * 3];
        for y in (10..h - 10).step_by(20) {
            for x in 20..w - 20 {
                data[(y * w + x) * 3..(y * w + x) * 3 + 3].fill(0);
            }
        }
        Rgb::new(w, h, data)
    }

    #[test]
    fn a_turned_page_is_found_and_levelled() {
        let page = ruled(1200, 400);
        let turned = page.rotate(0.8);
        let found = skew(&turned.ink(), turned.w, turned.h);
        assert!((found + 0.8).abs() <= 0.06, "{found}");
        let level = turned.rotate(found);
        assert!(skew(&level.ink(), level.w, level.h).abs() <= 0.06);
        assert_eq!(skew(&page.ink(), page.w, page.h), 0.0);
    }
}
