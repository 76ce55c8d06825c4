//! TXT source: detect the encoding (BOM, UTF-8, GB18030/GBK, UTF-16), decode, unify line ends.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use super::{Document, Format, SourceError};

/// Decodes a text export into a [`Document`].
///
/// Order of evidence: a byte-order mark wins; then strict UTF-8; then a UTF-16
/// guess from the pattern of zero bytes (Chinese UTF-16 text without a BOM is
/// rare but happens); then chardetng among legacy encodings, which we accept
/// only when it names a Chinese encoding or decodes without errors.
pub fn decode(bytes: &[u8]) -> Result<Document, SourceError> {
    let (encoding, body) = detect(bytes)?;
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    let replaced = if had_errors {
        text.matches(char::REPLACEMENT_CHARACTER).count()
    } else {
        0
    };
    // A few bytes that do not decode (a file cut mid-character, a stray byte
    // of a bad copy) cost those characters, not the report; many mean the
    // encoding is wrong, and reading on would give nonsense. One is always
    // borne: a short file cut mid-character is still that file.
    if replaced > 1 && replaced * 100 > text.chars().count() {
        return Err(SourceError::NotText(format!(
            "bytes are not valid {}",
            encoding.name()
        )));
    }
    let text = unify_line_ends(&text);
    // A file holding only a byte-order mark or blank lines has nothing to read:
    // the same `empty` as a file of zero bytes.
    if text.trim().is_empty() {
        return Err(SourceError::Empty);
    }
    if looks_binary(&text, replaced) {
        return Err(SourceError::NotText(
            "content holds control characters: not a text report".into(),
        ));
    }
    let name = match encoding.name() {
        "gb18030" | "GBK" => "gb18030".to_string(),
        other => other.to_ascii_lowercase(),
    };
    let mut doc = Document::from_text(Format::Txt, name, text);
    if replaced > 0 {
        doc.warnings.push(format!(
            "{replaced} byte sequence(s) are not valid {}: read as U+FFFD",
            encoding.name()
        ));
    }
    Ok(doc)
}

fn detect(bytes: &[u8]) -> Result<(&'static Encoding, &[u8]), SourceError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok((encoding, &bytes[bom_len..]));
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => return Ok((UTF_8, bytes)),
        // Valid UTF-8 up to a character the end of the file cut: UTF-8.
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => return Ok((UTF_8, bytes)),
        Err(_) => {}
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return Ok((encoding, bytes));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    // GBK text decodes as GB18030 (its superset); other legacy guesses are tried
    // as they are and rejected below if they do not decode cleanly.
    let encoding = if guess == encoding_rs::GBK {
        GB18030
    } else {
        guess
    };
    // UTF-8 and GB18030 guesses stand even with a few bad bytes (`decode`
    // weighs them); other legacy guesses must decode cleanly.
    if encoding == GB18030 || encoding == UTF_8 || !encoding.decode_without_bom_handling(bytes).1 {
        Ok((encoding, bytes))
    } else {
        Err(SourceError::NotText(
            "no supported encoding decodes these bytes".into(),
        ))
    }
}

/// UTF-16 without BOM: Chinese text has no zero bytes, ASCII in UTF-16 has one every
/// other byte. Decide only when one parity of zero bytes clearly dominates.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    if odd * 4 > pairs && even == 0 {
        Some(UTF_16LE)
    } else if even * 4 > pairs && odd == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// CRLF and lone CR become LF so that line numbers and spans do not depend on the platform.
fn unify_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Random bytes can decode as GB18030 without errors; real reports hold almost no
/// C0 controls besides tab, newline and form feed.
/// `decoded_as_replacement` U+FFFD the decoder put in were weighed already.
fn looks_binary(text: &str, decoded_as_replacement: usize) -> bool {
    let mut chars = 0usize;
    let mut controls = 0usize;
    for c in text.chars() {
        chars += 1;
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\x0c')) || c == '\u{fffd}' {
            controls += 1;
        }
    }
    let controls = controls.saturating_sub(decoded_as_replacement);
    controls > 0 && controls * 100 > chars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(bytes: &[u8]) -> (String, String) {
        let doc = decode(bytes).unwrap();
        (doc.encoding, doc.text)
    }

    #[test]
    fn a_byte_order_mark_or_blank_lines_alone_are_empty() {
        for bytes in [
            &[0xEF, 0xBB, 0xBF][..],
            &[0xFF, 0xFE],
            &[0xFE, 0xFF, 0x00, 0x20, 0x00, 0x0A],
            b" \r\n\t\n",
        ] {
            assert!(
                matches!(decode(bytes), Err(SourceError::Empty)),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn a_file_cut_mid_character_keeps_its_text_with_a_warning() {
        for encoding in [GB18030, UTF_8] {
            let (bytes, _, _) =
                encoding.encode("部门整体支出绩效自评，年度预算资金总额 350.6 万元。");
            let doc = decode(&bytes[..bytes.len() - 1]).unwrap();
            assert!(
                doc.text
                    .starts_with("部门整体支出绩效自评，年度预算资金总额 350.6 万元")
            );
            assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
        }
    }

    #[test]
    fn many_bad_bytes_are_not_text() {
        let mut bytes = "预算".as_bytes().to_vec();
        bytes.extend(std::iter::repeat_n(0xFF, 40));
        assert!(matches!(decode(&bytes), Err(SourceError::NotText(_))));
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(text_of("预算".as_bytes()), ("utf-8".into(), "预算".into()));
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice("预算".as_bytes());
        assert_eq!(text_of(&with_bom), ("utf-8".into(), "预算".into()));
    }

    #[test]
    fn gb18030_and_gbk() {
        let (bytes, _, _) = GB18030.encode("部门整体支出绩效自评表，资金总额：14623.09 万元");
        let (encoding, text) = text_of(&bytes);
        assert_eq!(encoding, "gb18030");
        assert!(text.contains("资金总额"));
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        for (bom, le) in [([0xFF, 0xFE], true), ([0xFE, 0xFF], false)] {
            let mut bytes = bom.to_vec();
            for unit in "执行率98%".encode_utf16() {
                let pair = if le {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                };
                bytes.extend_from_slice(&pair);
            }
            assert_eq!(text_of(&bytes).1, "执行率98%");
        }
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        assert_eq!(text_of(b"a\r\nb\rc").1, "a\nb\nc");
    }

    #[test]
    fn random_bytes_are_rejected() {
        let bytes: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(decode(&bytes).is_err());
    }
}
