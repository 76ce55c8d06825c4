//! Unicode fallbacks for glyphs whose font gives no mapping (no ToUnicode, no usable encoding).
//!
//! hayro already covers ToUnicode, simple-font encodings/glyph names and, for non-embedded CID
//! fonts with a predefined CMap, the Adobe-*-UCS2 collections. What is left is mostly embedded
//! TrueType fonts (Identity-H, or custom simple encodings) without ToUnicode: for those the
//! font program's own `cmap` table, inverted (glyph id → code point), usually names the char.

use std::collections::HashMap;

use hayro_font::OutlineGlyph;
use skrifa::{FontRef, MetadataProvider};

use crate::normalize;

#[derive(Default)]
pub(crate) struct FallbackCache {
    /// Inverted cmap per font program (keyed by hayro's content hash); `None` = not invertible.
    inverted: HashMap<u128, Option<HashMap<u32, char>>>,
    /// Font names that needed the fallback, with (recovered, failed) counts.
    used: HashMap<String, (usize, usize)>,
}

impl FallbackCache {
    pub(crate) fn fallback(&mut self, g: &OutlineGlyph) -> Option<String> {
        let data = g.font_data()?;
        let name = data
            .postscript_name
            .clone()
            .unwrap_or_else(|| "unnamed".to_string());
        let map = self
            .inverted
            .entry(data.cache_key)
            .or_insert_with(|| invert_cmap((*data.data).as_ref()));
        let found = map
            .as_ref()
            .and_then(|m| m.get(&g.glyph_id().to_u32()).copied())
            .map(|c| normalize::normalize_str(c.encode_utf8(&mut [0u8; 4])))
            .filter(|s| !s.is_empty());
        let entry = self.used.entry(name).or_default();
        if found.is_some() {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
        found
    }

    pub(crate) fn take_warnings(&mut self) -> Vec<String> {
        let mut v: Vec<String> = self
            .used
            .drain()
            .map(|(name, (ok, bad))| {
                format!(
                    "font {name}: no Unicode mapping; {ok} glyph(s) recovered from the embedded cmap, {bad} unrecoverable"
                )
            })
            .collect();
        v.sort();
        v
    }
}

/// Build glyph id → char from a TrueType/OpenType `cmap`. When several code points map to
/// one glyph, prefer CJK ideographs and then the smallest code point (stable, and avoids
/// compatibility forms).
fn invert_cmap(data: &[u8]) -> Option<HashMap<u32, char>> {
    let font = FontRef::new(data).ok()?;
    let mut out: HashMap<u32, char> = HashMap::new();
    for (cp, gid) in font.charmap().mappings() {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let gid = gid.to_u32();
        if gid == 0 || c.is_control() {
            continue;
        }
        out.entry(gid)
            .and_modify(|old| {
                let rank = |c: char| (!('\u{4E00}'..='\u{9FFF}').contains(&c), c as u32);
                if rank(c) < rank(*old) {
                    *old = c;
                }
            })
            .or_insert(c);
    }
    if out.is_empty() { None } else { Some(out) }
}
