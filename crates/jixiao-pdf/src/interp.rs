//! Text-only content-stream interpreter: graphics/text state, text-showing operators, form
//! XObjects and ruling paths; everything a renderer needs beyond that (colour, images, clips,
//! shadings, ExtGState, glyph outlines) is skipped, which is where the speed comes from.
//!
//! Parsing and fonts are hayro's (`hayro-syntax` typed operators, `hayro-font` fonts with
//! ToUnicode / predefined CMaps / encodings); the text-state arithmetic mirrors
//! hayro-interpret 0.9 (`TextState::apply_code_advance`, `full_transform`), so glyph
//! positions are identical to what its `Device` API reported.

use std::rc::Rc;
use std::time::Instant;

use hayro_cmap::{BfString, CMap, CMapName, CidFamily};
use hayro_font::{
    CMapResolverFn, Font, FontCache, FontGlyph, FontResolverFn, GlyphId, StandardFont,
};
use hayro_syntax::content::TypedIter;
use hayro_syntax::content::ops::TypedInstruction;
use hayro_syntax::object::dict::keys::{
    AP, AS, BBOX, CIDSYSTEMINFO, DESCENDANT_FONTS, ENCODING, F, HEIGHT, MATRIX, N, OC, ORDERING,
    RECT, REGISTRY, RESOURCES, SUBTYPE, TO_UNICODE, WIDTH,
};
use hayro_syntax::object::{Array, Dict, Name, Number, Object, ObjectIdentifier, Stream};
use hayro_syntax::page::Resources;
use kurbo::{Affine, PathEl, Point};
use rustc_hash::FxHashMap;

use crate::budget::Budget;
use crate::collect::Collector;
use crate::normalize;
use crate::ocg::Ocg;

/// Form XObjects nested deeper than this are ignored (cycles, pathological files).
const MAX_FORM_DEPTH: u32 = 12;
/// Operators between two clock reads.
const DEADLINE_STRIDE: u32 = 2048;

/// Document-wide font state shared by all pages.
pub(crate) struct Fonts<'a> {
    cache: FontCache<'a>,
    font_resolver: FontResolverFn,
    cmap_resolver: CMapResolverFn,
    /// Font dictionary identity → index into `entries`.
    index: FxHashMap<usize, usize>,
    entries: Vec<FontEntry<'a>>,
    helvetica: Option<usize>,
    /// Decoded form XObjects: headers, logos and table cells are often one form drawn on
    /// every page, so each is decoded (and charged to the budget) once per document.
    forms: FxHashMap<ObjectIdentifier, Option<Rc<[u8]>>>,
}

struct FontEntry<'a> {
    font: Option<Font<'a>>,
    /// The font dictionary, for lazily built fallbacks.
    dict: Option<Dict<'a>>,
    /// For CID fonts without /ToUnicode whose collection is an Adobe one (GB1, CNS1, …):
    /// code → CID (the encoding CMap) and CID → Unicode (Adobe-*-UCS2). hayro uses these
    /// only for non-embedded fonts; embedded ones without ToUnicode need them too. Built on
    /// the first unmapped glyph (`None` = not tried yet).
    cid_unicode: Option<Option<(CMap, CMap)>>,
    /// Character code → normalised text (`None` = no mapping), filled lazily: each distinct
    /// code is decoded and normalised once per document.
    text: FxHashMap<u32, Option<Rc<str>>>,
}

impl<'a> Fonts<'a> {
    pub(crate) fn new() -> Self {
        Self {
            cache: FontCache::new(),
            font_resolver: std::sync::Arc::new(|query| match query {
                hayro_font::FontQuery::Standard(s) => Some(s.get_font_data()),
                hayro_font::FontQuery::Fallback(f) => Some(f.pick_standard_font().get_font_data()),
            }),
            cmap_resolver: std::sync::Arc::new(hayro_cmap::load_embedded),
            index: FxHashMap::default(),
            entries: Vec::new(),
            helvetica: None,
            forms: FxHashMap::default(),
        }
    }

    fn resolve(&mut self, dict: &Dict<'a>, budget: &mut Budget) -> Result<usize, Stop> {
        // The dictionary's bytes live as long as the document, so their address identifies it.
        let key = dict.data().as_ptr() as usize;
        if let Some(&i) = self.index.get(&key) {
            return Ok(i);
        }
        budget.vet_font(dict).map_err(Stop::TooLarge)?;
        let font = self
            .cache
            .font(dict, &self.font_resolver, &self.cmap_resolver);
        self.entries.push(FontEntry {
            font,
            dict: Some(dict.clone()),
            cid_unicode: None,
            text: FxHashMap::default(),
        });
        let i = self.entries.len() - 1;
        self.index.insert(key, i);
        Ok(i)
    }

    /// Fonts named in a content stream but missing from its resources: Acrobat assumes
    /// Helvetica, and so does hayro.
    fn fallback(&mut self) -> usize {
        if let Some(i) = self.helvetica {
            return i;
        }
        let font = self
            .cache
            .standard_font(StandardFont::Helvetica, &self.font_resolver);
        self.entries.push(FontEntry {
            font,
            dict: None,
            cid_unicode: None,
            text: FxHashMap::default(),
        });
        let i = self.entries.len() - 1;
        self.helvetica = Some(i);
        i
    }
}

/// Encoding CMap and Adobe-*-UCS2 CMap of a Type0 font that has no /ToUnicode.
pub(crate) fn cid_unicode_maps(dict: &Dict<'_>) -> Option<(CMap, CMap)> {
    if dict.get::<Name<'_>>(SUBTYPE).as_deref() != Some(b"Type0") || dict.contains_key(TO_UNICODE) {
        return None;
    }
    let descendant = dict
        .get::<Array<'_>>(DESCENDANT_FONTS)?
        .iter::<Dict<'_>>()
        .next()?;
    let info = descendant.get::<Dict<'_>>(CIDSYSTEMINFO)?;
    let registry = info.get::<hayro_syntax::object::String<'_>>(REGISTRY)?;
    let ordering = info.get::<hayro_syntax::object::String<'_>>(ORDERING)?;
    let family = CidFamily::from_registry_ordering(registry.as_bytes(), ordering.as_bytes());
    let ucs2 = CMap::parse(
        hayro_cmap::load_embedded(family.ucs2_cmap()?)?,
        hayro_cmap::load_embedded,
    )?;
    let enc = match dict.get::<Name<'_>>(ENCODING) {
        Some(n) => match CMapName::from_bytes(n.as_ref()) {
            CMapName::IdentityH => CMap::identity_h(),
            CMapName::IdentityV => CMap::identity_v(),
            other => CMap::parse(hayro_cmap::load_embedded(other)?, hayro_cmap::load_embedded)?,
        },
        None => {
            let s = dict.get::<Stream<'_>>(ENCODING)?;
            CMap::parse(&s.decoded_data().ok()?, hayro_cmap::load_embedded)?
        }
    };
    Some((enc, ucs2))
}

#[derive(Clone)]
struct GState {
    ctm: Affine,
    font: Option<usize>,
    font_size: f32,
    char_space: f32,
    word_space: f32,
    /// Tz / 100.
    hscale: f32,
    leading: f32,
    rise: f32,
    line_width: f32,
}

impl GState {
    fn new(ctm: Affine) -> Self {
        Self {
            ctm,
            font: None,
            font_size: 1.0,
            char_space: 0.0,
            word_space: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
            line_width: 1.0,
        }
    }
}

/// What one content stream keeps to itself: the graphics-state depth it started at
/// (its `Q`s never pop past it) and the fonts its resource names resolved to.
struct StreamScope {
    base: usize,
    font_names: FxHashMap<Vec<u8>, usize>,
}

/// `a b c d e f` of a `cm` or `Tm` operator.
fn matrix(m: [Number; 6]) -> Affine {
    Affine::new(m.map(|n| n.as_f64()))
}

fn point(x: Number, y: Number) -> Point {
    Point::new(x.as_f64(), y.as_f64())
}

pub(crate) enum Stop {
    Timeout,
    TooLarge(crate::PdfError),
}

pub(crate) struct Interp<'a, 'f> {
    pub fonts: &'f mut Fonts<'a>,
    pub out: &'f mut Collector,
    pub budget: &'f mut Budget,
    pub deadline: Option<Instant>,
    ocg: &'f Ocg,
    /// Marked-content visibility stack (optional content switched off → false).
    visible: Vec<bool>,
    ops: u32,
    stack: Vec<GState>,
    gs: GState,
    tm: Affine,
    tlm: Affine,
    path: Vec<PathEl>,
    depth: u32,
}

impl<'a, 'f> Interp<'a, 'f> {
    pub(crate) fn new(
        fonts: &'f mut Fonts<'a>,
        out: &'f mut Collector,
        budget: &'f mut Budget,
        deadline: Option<Instant>,
        ocg: &'f Ocg,
        initial: Affine,
    ) -> Self {
        Self {
            fonts,
            out,
            budget,
            deadline,
            ocg,
            visible: Vec::new(),
            ops: 0,
            stack: Vec::new(),
            gs: GState::new(initial),
            tm: Affine::IDENTITY,
            tlm: Affine::IDENTITY,
            path: Vec::new(),
            depth: 0,
        }
    }

    fn font(&self) -> Option<&Font<'a>> {
        self.gs
            .font
            .and_then(|i| self.fonts.entries[i].font.as_ref())
    }

    fn horizontal(&self) -> bool {
        self.font().is_none_or(Font::is_horizontal)
    }

    /// Run one content stream with its resources.
    pub(crate) fn run(&mut self, data: &[u8], resources: &Resources<'a>) -> Result<(), Stop> {
        let mut scope = StreamScope {
            base: self.stack.len(),
            font_names: FxHashMap::default(),
        };
        let mut ops = TypedIter::new(data);
        while let Some(op) = ops.next() {
            self.ops += 1;
            if self.ops.is_multiple_of(DEADLINE_STRIDE)
                && let Some(d) = self.deadline
                && Instant::now() >= d
            {
                return Err(Stop::Timeout);
            }
            self.apply(op, resources, &mut scope)?;
        }
        self.path.clear();
        while self.stack.len() > scope.base {
            if let Some(g) = self.stack.pop() {
                self.gs = g;
            }
        }
        Ok(())
    }

    /// One operator, by group: graphics state, paths (kept only to find rulings), text
    /// state and positioning, text showing, XObjects and marked content. Everything else
    /// (colour, clips, shadings, ExtGState) changes nothing text needs.
    fn apply(
        &mut self,
        op: TypedInstruction<'_, '_>,
        resources: &Resources<'a>,
        scope: &mut StreamScope,
    ) -> Result<(), Stop> {
        match op {
            TypedInstruction::SaveState(_) => self.stack.push(self.gs.clone()),
            TypedInstruction::RestoreState(_) => self.restore_state(scope.base),
            TypedInstruction::Transform(t) => self.gs.ctm *= matrix([t.0, t.1, t.2, t.3, t.4, t.5]),
            TypedInstruction::LineWidth(w) => self.gs.line_width = w.0.as_f32(),

            TypedInstruction::MoveTo(m) => self.path.push(PathEl::MoveTo(point(m.0, m.1))),
            TypedInstruction::LineTo(l) => self.path.push(PathEl::LineTo(point(l.0, l.1))),
            TypedInstruction::CubicTo(c) => self.curve_to(point(c.4, c.5)),
            TypedInstruction::CubicStartTo(c) => self.curve_to(point(c.2, c.3)),
            TypedInstruction::CubicEndTo(c) => self.curve_to(point(c.2, c.3)),
            TypedInstruction::RectPath(r) => self.rect(r.0, r.1, r.2, r.3),
            TypedInstruction::ClosePath(_) => self.path.push(PathEl::ClosePath),
            TypedInstruction::StrokePath(_) => self.paint(true, false, false),
            TypedInstruction::CloseAndStrokePath(_) => self.paint(true, false, true),
            TypedInstruction::FillPathNonZero(_)
            | TypedInstruction::FillPathEvenOdd(_)
            | TypedInstruction::FillPathNonZeroCompatibility(_) => self.paint(false, true, false),
            TypedInstruction::FillAndStrokeNonZero(_)
            | TypedInstruction::FillAndStrokeEvenOdd(_) => self.paint(true, true, false),
            TypedInstruction::CloseFillAndStrokeNonZero(_)
            | TypedInstruction::CloseFillAndStrokeEvenOdd(_) => self.paint(true, true, true),
            TypedInstruction::EndPath(_) => self.path.clear(),

            TypedInstruction::BeginText(_) => self.set_text_matrix(Affine::IDENTITY),
            TypedInstruction::SetTextMatrix(m) => {
                self.set_text_matrix(matrix([m.0, m.1, m.2, m.3, m.4, m.5]));
            }
            TypedInstruction::TextFont(t) => {
                self.set_font(t.0, t.1.as_f32(), resources, &mut scope.font_names)?;
            }
            TypedInstruction::CharacterSpacing(c) => self.gs.char_space = c.0.as_f32(),
            TypedInstruction::WordSpacing(w) => self.gs.word_space = w.0.as_f32(),
            TypedInstruction::HorizontalScaling(h) => self.gs.hscale = h.0.as_f32() / 100.0,
            TypedInstruction::TextLeading(l) => self.gs.leading = l.0.as_f32(),
            TypedInstruction::TextRise(r) => self.gs.rise = r.0.as_f32(),
            TypedInstruction::NextLine(n) => self.next_line(n.0.as_f64(), n.1.as_f64()),
            TypedInstruction::NextLineAndSetLeading(n) => {
                self.gs.leading = -n.1.as_f32();
                self.next_line(n.0.as_f64(), n.1.as_f64());
            }
            TypedInstruction::NextLineUsingLeading(_) => self.next_line_using_leading(),

            TypedInstruction::ShowText(s) => self.show(s.0.as_bytes()),
            TypedInstruction::NextLineAndShowText(s) => {
                self.next_line_using_leading();
                self.show(s.0.as_bytes());
            }
            TypedInstruction::ShowTextWithParameters(t) => {
                self.gs.word_space = t.0.as_f32();
                self.gs.char_space = t.1.as_f32();
                self.next_line_using_leading();
                self.show(t.2.as_bytes());
            }
            TypedInstruction::ShowTexts(arr) => self.show_array(arr.0),

            TypedInstruction::XObject(x) => {
                if let Some(s) = resources.get_x_object(x.0) {
                    self.x_object(&s, resources)?;
                }
            }
            TypedInstruction::InlineImage(_) => self.out.image(None),
            TypedInstruction::BeginMarkedContent(_) => self.visible.push(self.is_visible()),
            TypedInstruction::BeginMarkedContentWithProperties(bdc) => {
                self.begin_marked_content(bdc.0, bdc.1, resources);
            }
            TypedInstruction::EndMarkedContent(_) => {
                self.visible.pop();
            }
            _ => {}
        }
        Ok(())
    }

    /// `Q`: back to the saved state, never past the state the content stream started in.
    fn restore_state(&mut self, base: usize) {
        if self.stack.len() > base
            && let Some(g) = self.stack.pop()
        {
            self.gs = g;
        }
    }

    /// A Bézier segment, kept as its end point only: enough to know where the path goes on
    /// and that it is curved (so never a ruling).
    fn curve_to(&mut self, end: Point) {
        self.path.push(PathEl::CurveTo(end, end, end));
    }

    fn rect(&mut self, x: Number, y: Number, w: Number, h: Number) {
        let (x, y, w, h) = (x.as_f64(), y.as_f64(), w.as_f64(), h.as_f64());
        self.path.extend([
            PathEl::MoveTo(Point::new(x, y)),
            PathEl::LineTo(Point::new(x + w, y)),
            PathEl::LineTo(Point::new(x + w, y + h)),
            PathEl::LineTo(Point::new(x, y + h)),
            PathEl::ClosePath,
        ]);
    }

    /// `BT` (with the identity) and `Tm`: the text matrix and the line matrix.
    fn set_text_matrix(&mut self, m: Affine) {
        self.tm = m;
        self.tlm = m;
    }

    /// `Tf`: a font by resource name, resolved once per content stream.
    fn set_font(
        &mut self,
        name: &Name<'_>,
        size: f32,
        resources: &Resources<'a>,
        font_names: &mut FxHashMap<Vec<u8>, usize>,
    ) -> Result<(), Stop> {
        let key = name.as_ref().to_vec();
        let idx = match font_names.get(&key) {
            Some(&i) => i,
            None => {
                let i = match resources.get_font(name) {
                    Some(dict) => self.fonts.resolve(&dict, self.budget)?,
                    None => self.fonts.fallback(),
                };
                font_names.insert(key, i);
                i
            }
        };
        self.gs.font = Some(idx);
        self.gs.font_size = size;
        Ok(())
    }

    /// `BDC`: marked content, hidden when it is optional content whose layer is off.
    fn begin_marked_content(
        &mut self,
        tag: &Name<'_>,
        properties: &Object<'_>,
        resources: &Resources<'a>,
    ) {
        let mut on = self.is_visible();
        if on && !self.ocg.all_visible() && tag.as_ref() == b"OC" {
            on = match properties.clone() {
                Object::Name(n) => resources.properties.get::<Dict<'_>>(&n).is_none_or(|d| {
                    let id = resources.properties.get_ref(n.as_ref()).map(Into::into);
                    self.ocg.is_active(&d, id)
                }),
                Object::Dict(d) => self.ocg.is_active(&d, None),
                _ => true,
            };
        }
        self.visible.push(on);
    }

    /// Draw the normal appearance of the page's visible annotations (form fields keep their
    /// values there), mapped into the annotation rectangle as PDF 32000 §12.5.5 says.
    pub(crate) fn annotations(
        &mut self,
        annots: &Array<'a>,
        page_res: &Resources<'a>,
    ) -> Result<(), Stop> {
        for annot in annots.iter::<Dict<'a>>() {
            // Hidden (bit 2) or NoView (bit 6).
            if annot.get::<u32>(F).unwrap_or(0) & (1 << 1 | 1 << 5) != 0
                || self.hidden_by_oc(&annot)
            {
                continue;
            }
            let Some(ap) = annot.get::<Dict<'a>>(AP) else {
                continue;
            };
            let form = ap.get::<Stream<'a>>(N).or_else(|| {
                let states = ap.get::<Dict<'a>>(N)?;
                let state = annot.get::<Name<'_>>(AS)?;
                states.get::<Stream<'a>>(state.as_ref())
            });
            let (Some(form), Some(rect)) = (form, annot.get::<[f64; 4]>(RECT)) else {
                continue;
            };
            let bbox = form
                .dict()
                .get::<[f64; 4]>(BBOX)
                .unwrap_or([0.0, 0.0, 1.0, 1.0]);
            let matrix = form
                .dict()
                .get::<[f64; 6]>(MATRIX)
                .map_or(Affine::IDENTITY, Affine::new);
            let corners = [
                Point::new(bbox[0], bbox[1]),
                Point::new(bbox[2], bbox[1]),
                Point::new(bbox[0], bbox[3]),
                Point::new(bbox[2], bbox[3]),
            ]
            .map(|p| matrix * p);
            let (x0, x1) = corners
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
            let (y0, y1) = corners
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
            let (rx0, rx1) = (rect[0].min(rect[2]), rect[0].max(rect[2]));
            let (ry0, ry1) = (rect[1].min(rect[3]), rect[1].max(rect[3]));
            if x1 - x0 <= 0.0 || y1 - y0 <= 0.0 {
                continue;
            }
            let sx = (rx1 - rx0) / (x1 - x0);
            let sy = (ry1 - ry0) / (y1 - y0);
            let a = Affine::new([sx, 0.0, 0.0, sy, rx0 - sx * x0, ry0 - sy * y0]);
            let saved = self.gs.ctm;
            // x_object() applies the form's own Matrix.
            self.gs.ctm *= a;
            let r = self.x_object(&form, page_res);
            self.gs.ctm = saved;
            r?;
        }
        Ok(())
    }

    fn is_visible(&self) -> bool {
        self.visible.last().copied().unwrap_or(true)
    }

    /// An XObject or annotation with an /OC entry naming a layer that is off.
    fn hidden_by_oc(&self, d: &Dict<'_>) -> bool {
        if self.ocg.all_visible() {
            return false;
        }
        d.get::<Dict<'_>>(OC)
            .is_some_and(|oc| !self.ocg.is_active(&oc, d.get_ref(OC).map(Into::into)))
    }

    fn next_line(&mut self, tx: f64, ty: f64) {
        self.tlm *= Affine::translate((tx, ty));
        self.tm = self.tlm;
    }

    /// `T*`, and the start of `'` and `"`.
    fn next_line_using_leading(&mut self) {
        self.next_line(0.0, -f64::from(self.gs.leading));
    }

    fn paint(&mut self, stroke: bool, fill: bool, close: bool) {
        if close {
            self.path.push(PathEl::ClosePath);
        }
        // A stroke wins over a fill: for B/b the outline is what draws the table rule.
        if self.is_visible() {
            if stroke {
                self.out
                    .stroke_path(&self.path, self.gs.ctm, self.gs.line_width);
            } else if fill {
                self.out.fill_path(&self.path, self.gs.ctm);
            }
        }
        // Keep the allocation for the next path.
        self.path.clear();
    }

    fn x_object(&mut self, s: &Stream<'a>, parent: &Resources<'a>) -> Result<(), Stop> {
        if self.hidden_by_oc(s.dict()) {
            return Ok(());
        }
        let subtype = s.dict().get::<Name<'_>>(SUBTYPE);
        match subtype.as_deref() {
            Some(b"Image") => {
                // Pixels per point of the image as drawn (the unit square through the CTM).
                let c = self.gs.ctm.as_coeffs();
                let drawn = (c[0].hypot(c[1]), c[2].hypot(c[3]));
                let pixels = (s.dict().get::<f64>(WIDTH), s.dict().get::<f64>(HEIGHT));
                let density = match pixels {
                    (Some(w), Some(h)) if drawn.0 > 0.0 && drawn.1 > 0.0 => {
                        Some((w / drawn.0).max(h / drawn.1) as f32)
                    }
                    _ => None,
                };
                self.out.image(density);
                Ok(())
            }
            Some(b"Form") if self.depth < MAX_FORM_DEPTH => {
                let data = match self.fonts.forms.get(&s.obj_id()) {
                    Some(d) => d.clone(),
                    None => {
                        self.budget
                            .vet_stream(s, "form XObject")
                            .map_err(Stop::TooLarge)?;
                        let d: Option<Rc<[u8]>> = s.decoded_data().ok().map(|d| Rc::from(&*d));
                        if let Some(d) = &d {
                            self.budget
                                .charge(d.len(), "form XObject")
                                .map_err(Stop::TooLarge)?;
                        }
                        self.fonts.forms.insert(s.obj_id(), d.clone());
                        d
                    }
                };
                let Some(data) = data else {
                    return Ok(());
                };
                let res = s
                    .dict()
                    .get::<Dict<'a>>(RESOURCES)
                    .map_or_else(|| parent.clone(), Resources::new);
                let saved = (
                    self.gs.clone(),
                    self.tm,
                    self.tlm,
                    std::mem::take(&mut self.path),
                );
                if let Some(m) = s.dict().get::<[f64; 6]>(MATRIX) {
                    self.gs.ctm *= Affine::new(m);
                }
                let marks = self.visible.len();
                self.depth += 1;
                let r = self.run(&data, &res);
                self.depth -= 1;
                // Unbalanced BDC/EMC inside a form must not leak out of it.
                self.visible.truncate(marks);
                (self.gs, self.tm, self.tlm, self.path) = saved;
                r
            }
            _ => Ok(()),
        }
    }

    fn show_array(&mut self, arr: &Array<'_>) {
        for obj in arr.iter::<Object<'_>>() {
            match obj {
                Object::Number(n) => self.adjust(n.as_f32()),
                Object::String(s) => self.show(s.as_bytes()),
                _ => {}
            }
        }
    }

    /// TJ number: move against the writing direction by n/1000 text-space units.
    fn adjust(&mut self, n: f32) {
        let horizontal = self.horizontal();
        let scale = if horizontal { self.gs.hscale } else { 1.0 };
        let d = f64::from(-n / 1000.0 * self.gs.font_size * scale);
        let (tx, ty) = if horizontal { (d, 0.0) } else { (0.0, d) };
        self.tm *= Affine::translate((tx, ty));
    }

    fn show(&mut self, bytes: &[u8]) {
        if self.gs.font.is_none() {
            self.gs.font = Some(self.fonts.fallback());
        }
        let Some(fi) = self.gs.font else { return };
        let Some(font) = self.fonts.entries[fi].font.clone() else {
            // A font hayro could not load: advance nothing, show nothing (as hayro does);
            // the glyphs are lost, so count them.
            self.out.lost(bytes.len());
            return;
        };
        let horizontal = font.is_horizontal();
        let gs = &self.gs;
        // hayro's TextState::temp_transform.
        let temp = Affine::new([
            f64::from(gs.font_size * gs.hscale),
            0.0,
            0.0,
            f64::from(gs.font_size),
            0.0,
            f64::from(gs.rise),
        ]);
        let (char_space, word_space, font_size, hscale) =
            (gs.char_space, gs.word_space, gs.font_size, gs.hscale);
        let ctm = gs.ctm;
        let visible = self.is_visible();
        let mut i = 0;
        while i < bytes.len() {
            let (code, len) = font.read_code(bytes, i);
            i += len.max(1);
            let adv = font.code_advance(code);
            let disp = font.origin_displacement(code);
            let t = ctm * self.tm * temp * Affine::scale(0.001) * Affine::translate(disp);
            let along = if horizontal { adv.x } else { adv.y.abs() };
            if visible {
                let text = self.text_of(fi, &font, code);
                self.out.glyph(text, t, along as f32, !horizontal);
            }
            // hayro's TextState::apply_code_advance.
            let ws = if code == 32 && len == 1 {
                word_space
            } else {
                0.0
            };
            let base = |a: f64| a as f32 / 1000.0 * font_size + char_space + ws;
            let (tx, ty) = if horizontal {
                (base(adv.x) * hscale, 0.0)
            } else {
                (0.0, base(adv.y))
            };
            self.tm *= Affine::translate((f64::from(tx), f64::from(ty)));
        }
    }

    /// Normalised text of one code (cached per font); `None` if nothing maps it.
    fn text_of(&mut self, fi: usize, font: &Font<'a>, code: u32) -> Option<Rc<str>> {
        if let Some(t) = self.fonts.entries[fi].text.get(&code) {
            return t.clone();
        }
        let glyph = font.glyph(GlyphId::NOTDEF, code);
        let bf: Option<BfString> = match &glyph {
            FontGlyph::Outline(g) => g.as_unicode(),
            FontGlyph::Type3(g) => g.as_unicode(),
        };
        let mut text = bf.as_ref().and_then(normalize::normalize_bf);
        if text.is_none() {
            let entry = &mut self.fonts.entries[fi];
            if entry.cid_unicode.is_none() {
                entry.cid_unicode = Some(entry.dict.as_ref().and_then(cid_unicode_maps));
            }
        }
        if text.is_none()
            && let Some(Some((enc, ucs2))) = &self.fonts.entries[fi].cid_unicode
        {
            text = (1..=4u8)
                .find_map(|len| enc.lookup_cid_code(code, len))
                .and_then(|cid| ucs2.lookup_bf_string(cid))
                .as_ref()
                .and_then(normalize::normalize_bf);
        }
        if text.is_none()
            && let FontGlyph::Outline(_) = glyph
            && let FontGlyph::Outline(g) = font.glyph(font.map_code(code), code)
        {
            text = self.out.fonts.fallback(&g);
        }
        let text: Option<Rc<str>> = text.map(Rc::from);
        self.fonts.entries[fi].text.insert(code, text.clone());
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hayro_syntax::Pdf;

    /// A one-page PDF whose only font is the given Type0 dictionary (object 4).
    fn pdf_with_font(font: &str) -> Pdf {
        let objs = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Resources << /Font << /F1 4 0 R >> >> >>".to_string(),
            font.to_string(),
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offs = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offs.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let x = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes(),
        );
        for o in offs {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n",
                objs.len() + 1
            )
            .as_bytes(),
        );
        Pdf::new(out).unwrap()
    }

    #[test]
    fn adobe_gb1_cid_to_unicode_for_fonts_without_tounicode() {
        let pdf = pdf_with_font(
            "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /X /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> >>] >>",
        );
        let page = &pdf.pages()[0];
        let font = page
            .resources()
            .get_font(&Name::new_unescaped(b"F1"))
            .unwrap();
        let (enc, ucs2) = cid_unicode_maps(&font).expect("GB1 maps");
        // UniGB-UCS2-H: the code is the UCS-2 value; code -> CID -> Unicode round-trips.
        for c in ['中', '预', '算', '０'] {
            let cid = enc.lookup_cid_code(c as u32, 2).expect("cid");
            assert_eq!(ucs2.lookup_bf_string(cid), Some(BfString::Char(c)), "{c}");
        }
        // With a ToUnicode the font needs no fallback.
        let pdf = pdf_with_font(
            "<< /Type /Font /Subtype /Type0 /Encoding /Identity-H /ToUnicode 9 0 R /DescendantFonts [<< /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) >> >>] >>",
        );
        let font = pdf.pages()[0]
            .resources()
            .get_font(&Name::new_unescaped(b"F1"))
            .unwrap();
        assert!(cid_unicode_maps(&font).is_none());
    }
}
