//! Chinese numerals (三千五百万, 一亿零五十万, 壹仟贰佰叁拾肆, 三十二点五, 二〇二三,
//! 一千二), read strictly: a run of numeral characters that is not a well-formed
//! number (十四五, 五三千, 三百五百) has no value rather than a guessed one.

use rust_decimal::Decimal;

use super::MAX_SCALE;

/// Characters that are digits on their own.
pub(super) const CHINESE_DIGITS: &str = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖";
/// Characters a Chinese numeral is made of (digits and place units).
pub(super) const CHINESE_NUMBER_CHARS: &str =
    "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億";

pub(super) fn is_chinese_number_char(c: char) -> bool {
    CHINESE_NUMBER_CHARS.contains(c)
}

pub(super) fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// 十, 百, 千 and their financial forms: places inside a section below 万.
fn small_place(c: char) -> Option<u32> {
    match c {
        '十' | '拾' => Some(10),
        '百' | '佰' => Some(100),
        '千' | '仟' => Some(1000),
        _ => None,
    }
}

/// Parses Chinese numerals: 三千五百万, 一亿零五十万, 两千, 壹仟贰佰叁拾肆,
/// 三十二点五, 二〇二三 (digit by digit), 一千二 (1200, the spoken shortening).
/// Returns the value and its decimal places, or `None` for a malformed numeral.
pub fn parse_chinese(s: &str) -> Option<(Decimal, u32)> {
    let (integer, fraction) = match s.split_once('点') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let mut value = if integer.is_empty() {
        Decimal::ZERO
    } else {
        parse_chinese_integer(integer)?
    };
    let mut scale = 0;
    if let Some(fraction) = fraction {
        if fraction.is_empty() {
            return None;
        }
        for c in fraction.chars() {
            scale += 1;
            if scale > MAX_SCALE {
                return None;
            }
            value = value.checked_add(Decimal::from(chinese_digit(c)?) * Decimal::new(1, scale))?;
        }
    }
    Some((value, scale))
}

/// The state of a numeral read left to right: completed 亿 and 万 groups, the
/// section below 万, and the digit waiting for its place.
#[derive(Default)]
struct NumeralReader {
    total: Decimal,
    wan: Option<Decimal>,
    section: Decimal,
    last_small: Option<u32>,
    digit: Option<u32>,
    zero_since_place: bool,
    /// The value of the last place read (十 → 10, 万 → 10 000), for 一千二.
    last_place: Option<Decimal>,
}

impl NumeralReader {
    fn digit(&mut self, d: u32) -> Option<()> {
        if d == 0 {
            // 零 marks a gap between places; 两千零零五 is still one gap.
            if self.digit.is_some() {
                return None;
            }
            self.zero_since_place = true;
            return Some(());
        }
        if self.digit.is_some() {
            // Two digits in a row (十四五, 五三千) are not one number.
            return None;
        }
        self.digit = Some(d);
        Some(())
    }

    fn small(&mut self, place: u32) -> Option<()> {
        if self.last_small.is_some_and(|last| place >= last) {
            return None;
        }
        let n = match self.digit.take() {
            Some(d) => d,
            // 十二, 百万: a bare place counts one, but only where it opens a section.
            None if self.section.is_zero() && !self.zero_since_place => 1,
            None => return None,
        };
        self.section = self
            .section
            .checked_add(Decimal::from(n) * Decimal::from(place))?;
        self.last_small = Some(place);
        self.zero_since_place = false;
        self.last_place = Some(Decimal::from(place));
        Some(())
    }

    fn section_value(&mut self) -> Option<Decimal> {
        let n = Decimal::from(self.digit.take().unwrap_or(0));
        let part = self.section.checked_add(n)?;
        self.section = Decimal::ZERO;
        self.last_small = None;
        self.zero_since_place = false;
        Some(part)
    }

    fn wan(&mut self) -> Option<()> {
        if self.wan.is_some() {
            return None;
        }
        let part = self.section_value()?;
        let part = if part.is_zero() { Decimal::ONE } else { part };
        let place = Decimal::from(10_000);
        self.wan = Some(part.checked_mul(place)?);
        self.last_place = Some(place);
        Some(())
    }

    fn yi(&mut self) -> Option<()> {
        if !self.total.is_zero() {
            return None;
        }
        let below = self.section_value()?;
        let part = self
            .wan
            .take()
            .unwrap_or(Decimal::ZERO)
            .checked_add(below)?;
        let part = if part.is_zero() { Decimal::ONE } else { part };
        let place = Decimal::from(100_000_000);
        self.total = part.checked_mul(place)?;
        self.last_place = Some(place);
        Some(())
    }

    fn finish(mut self) -> Option<Decimal> {
        // 一千二 is 1200 and 三万五 is 35 000: a last digit right after a place
        // of a hundred or more, with no 零 between, stands one place lower.
        let trailing = match (self.digit.take(), self.last_place) {
            (Some(d), Some(place)) if !self.zero_since_place && place >= Decimal::from(100) => {
                Decimal::from(d).checked_mul(place / Decimal::TEN)?
            }
            (Some(d), _) => Decimal::from(d),
            (None, _) => Decimal::ZERO,
        };
        self.total
            .checked_add(self.wan.unwrap_or(Decimal::ZERO))?
            .checked_add(self.section)?
            .checked_add(trailing)
    }
}

fn parse_chinese_integer(s: &str) -> Option<Decimal> {
    let has_places = s.chars().any(|c| "十拾百佰千仟万萬亿億".contains(c));
    if !has_places {
        // 二〇二三: a digit string.
        let mut value = Decimal::ZERO;
        for c in s.chars() {
            value = value
                .checked_mul(Decimal::TEN)?
                .checked_add(Decimal::from(chinese_digit(c)?))?;
        }
        return Some(value);
    }
    let mut reader = NumeralReader::default();
    for c in s.chars() {
        if let Some(d) = chinese_digit(c) {
            reader.digit(d)?;
        } else if let Some(place) = small_place(c) {
            reader.small(place)?;
        } else if matches!(c, '万' | '萬') {
            reader.wan()?;
        } else if matches!(c, '亿' | '億') {
            reader.yi()?;
        } else {
            return None;
        }
    }
    reader.finish()
}

/// The 角 and 分 after a Chinese-numeral 元 amount, and how many bytes they take.
pub(super) fn chinese_jiao_fen(rest: &str) -> (Decimal, usize) {
    let mut value = Decimal::ZERO;
    let mut used = 0;
    for (unit, scale) in [('角', 1), ('分', 2)] {
        let mut chars = rest[used..].chars();
        if let (Some(d), Some(u)) = (chars.next(), chars.next())
            && u == unit
            && let Some(d) = chinese_digit(d)
        {
            value += Decimal::from(d) * Decimal::new(1, scale);
            used += rest[used..]
                .chars()
                .take(2)
                .map(char::len_utf8)
                .sum::<usize>();
        }
    }
    (value, used)
}
