//! The few picture operations OCR needs: RGB pixels, ink masks, bilinear
//! resizing and rotation, crops, and the models' input tensors.

/// An 8-bit RGB picture, rows top to bottom.
#[derive(Debug, Clone)]
pub(crate) struct Rgb {
    pub w: usize,
    pub h: usize,
    pub data: Vec<u8>,
}

/// Printed ink: a pixel dark in every channel, so a red seal is not ink.
const INK_MAX: u8 = 150;

impl Rgb {
    pub(crate) fn new(w: usize, h: usize, data: Vec<u8>) -> Rgb {
        debug_assert_eq!(data.len(), w * h * 3);
        Rgb { w, h, data }
    }

    fn px(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.w + x) * 3;
        [self.data[i], self.data[i + 1], self.data[i + 2]]
    }

    /// Whether each pixel is black ink (row-major, one byte per pixel).
    pub(crate) fn ink(&self) -> Vec<bool> {
        self.data
            .chunks_exact(3)
            .map(|p| p[0].max(p[1]).max(p[2]) < INK_MAX)
            .collect()
    }

    /// Red stamp ink (seals: 盖章) painted white, so that it neither hides nor
    /// adds text; dark strokes under a seal stay.
    pub(crate) fn without_red(&mut self) {
        for p in self.data.chunks_exact_mut(3) {
            let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
            if r > 90 && r - g.max(b) > 40 {
                p.fill(255);
            }
        }
    }

    /// Bilinear sample at (x, y) in pixel-centre coordinates; white outside.
    fn sample(&self, x: f32, y: f32) -> [f32; 3] {
        if x < -0.5 || y < -0.5 || x > self.w as f32 - 0.5 || y > self.h as f32 - 0.5 {
            return [255.0; 3];
        }
        let (x, y) = (
            x.clamp(0.0, (self.w - 1) as f32),
            y.clamp(0.0, (self.h - 1) as f32),
        );
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.w - 1), (y0 + 1).min(self.h - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let (a, b, c, d) = (
            self.px(x0, y0),
            self.px(x1, y0),
            self.px(x0, y1),
            self.px(x1, y1),
        );
        let mut out = [0.0; 3];
        for k in 0..3 {
            let top = f32::from(a[k]) * (1.0 - fx) + f32::from(b[k]) * fx;
            let bottom = f32::from(c[k]) * (1.0 - fx) + f32::from(d[k]) * fx;
            out[k] = top * (1.0 - fy) + bottom * fy;
        }
        out
    }

    /// A picture of `w × h` whose pixel (x, y) is this one's at `at(x, y)`.
    fn remap(&self, w: usize, h: usize, at: impl Fn(f32, f32) -> (f32, f32)) -> Rgb {
        let mut data = Vec::with_capacity(w * h * 3);
        for y in 0..h {
            for x in 0..w {
                let (sx, sy) = at(x as f32, y as f32);
                data.extend(self.sample(sx, sy).map(|v| v.round() as u8));
            }
        }
        Rgb::new(w, h, data)
    }

    /// Scaled to `w × h` (bilinear, as OpenCV's default).
    pub(crate) fn resize(&self, w: usize, h: usize) -> Rgb {
        let (sx, sy) = (self.w as f32 / w as f32, self.h as f32 / h as f32);
        self.remap(w, h, |x, y| ((x + 0.5) * sx - 0.5, (y + 0.5) * sy - 0.5))
    }

    /// Turned by `degrees` (counter-clockwise as seen) about its centre, same
    /// size, white where nothing was.
    pub(crate) fn rotate(&self, degrees: f32) -> Rgb {
        let (s, c) = degrees.to_radians().sin_cos();
        let (cx, cy) = ((self.w as f32 - 1.0) / 2.0, (self.h as f32 - 1.0) / 2.0);
        self.remap(self.w, self.h, |x, y| {
            let (dx, dy) = (x - cx, y - cy);
            (cx + c * dx - s * dy, cy + s * dx + c * dy)
        })
    }

    /// The pixels of `[x0, x1) × [y0, y1)`, clamped to the picture.
    pub(crate) fn crop(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> Rgb {
        let (x1, y1) = (x1.min(self.w), y1.min(self.h));
        let (x0, y0) = (x0.min(x1), y0.min(y1));
        let mut data = Vec::with_capacity((x1 - x0) * (y1 - y0) * 3);
        for y in y0..y1 {
            data.extend_from_slice(&self.data[(y * self.w + x0) * 3..(y * self.w + x1) * 3]);
        }
        Rgb::new(x1 - x0, y1 - y0, data)
    }

    /// Turned a quarter counter-clockwise (numpy's `rot90`): vertical text
    /// becomes a line.
    pub(crate) fn rotate90(&self) -> Rgb {
        let (w, h) = (self.h, self.w);
        let mut data = Vec::with_capacity(self.data.len());
        for y in 0..h {
            for x in 0..w {
                data.extend(self.px(self.w - 1 - y, x));
            }
        }
        Rgb::new(w, h, data)
    }

    /// Turned half a turn (upside-down text).
    pub(crate) fn rotate180(&self) -> Rgb {
        let mut data: Vec<u8> = Vec::with_capacity(self.data.len());
        for p in self.data.chunks_exact(3).rev() {
            data.extend_from_slice(p);
        }
        Rgb::new(self.w, self.h, data)
    }

    /// PaddleOCR's input: BGR planes scaled to -1..1, written into a tensor
    /// row of `width` columns (the rest is left as it is: zero padding).
    pub(crate) fn write_planes(&self, out: &mut [f32], width: usize) {
        let plane = self.h * width;
        for y in 0..self.h {
            for x in 0..self.w.min(width) {
                let p = self.px(x, y);
                for (k, channel) in [2, 1, 0].into_iter().enumerate() {
                    out[k * plane + y * width + x] = f32::from(p[channel]) / 127.5 - 1.0;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(w: usize, h: usize) -> Rgb {
        let data = (0..w * h).flat_map(|i| [i as u8, 0, 255]).collect();
        Rgb::new(w, h, data)
    }

    #[test]
    fn quarter_and_half_turns_move_corners() {
        let p = picture(3, 2);
        let q = p.rotate90();
        assert_eq!((q.w, q.h), (2, 3));
        // The top-right pixel becomes the top-left one.
        assert_eq!(q.px(0, 0), p.px(2, 0));
        assert_eq!(q.px(1, 2), p.px(0, 1));
        let r = p.rotate180();
        assert_eq!(r.px(0, 0), p.px(2, 1));
    }

    #[test]
    fn resize_keeps_flat_colour_and_rotation_by_zero_is_identity() {
        let flat = Rgb::new(4, 4, vec![90; 48]);
        assert!(flat.resize(7, 3).data.iter().all(|&v| v == 90));
        let p = picture(5, 4);
        assert_eq!(p.rotate(0.0).data, p.data);
    }

    #[test]
    fn red_seal_is_removed_and_black_ink_kept() {
        let mut p = Rgb::new(3, 1, vec![200, 40, 40, 20, 20, 20, 240, 240, 240]);
        p.without_red();
        assert_eq!(p.data, vec![255, 255, 255, 20, 20, 20, 240, 240, 240]);
        assert_eq!(p.ink(), vec![false, true, false]);
    }
}
