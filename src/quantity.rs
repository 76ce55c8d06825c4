//! Quantities: numbers (Arabic, full-width, Chinese, financial Chinese), 万/亿
//! multipliers, units and qualifiers, as exact decimals.
//!
//! The scanner only knows the *grammar* of a quantity; which words are units,
//! multipliers and qualifiers comes from `rules/units.toml` through [`UnitTable`].
//! A number becomes a quantity only when a unit follows it, which is what keeps
//! years (2024年), dates, list numbers (1、 （2）), document numbers (〔2023〕5号),
//! year ranges (2019-2035), ratios (1:500) and phone numbers out.

use std::str::FromStr;

use regex::Regex;
use rust_decimal::Decimal;

crate::closed_set! {
    /// What a quantity measures.
    pub enum Kind {
        Amount = "amount",
        Rate = "rate",
        Count = "count",
        Area = "area",
        Score = "score",
        Duration = "duration",
        Multiple = "multiple",
    }
}

crate::closed_set! {
    /// Words that bound a quantity rather than state it exactly.
    pub enum Qualifier {
        Approx = "approx",
        AtLeast = "at_least",
        MoreThan = "more_than",
        AtMost = "at_most",
        LessThan = "less_than",
    }
}

crate::closed_set! {
    /// Where a qualifier word stands relative to the number.
    pub enum QualifierPosition {
        /// 约 103 万亩, 超过 1400 亩 (not part of `raw`)
        Before = "before",
        /// 20余次, 100多万元 (between the number and its unit)
        Inside = "inside",
        /// 95%以上 (right after the unit)
        After = "after",
    }
}

#[derive(Debug, Clone)]
pub struct UnitDef {
    /// The written unit: 万元 is not a unit, 元 is; 万 is a multiplier.
    pub word: String,
    pub kind: Kind,
    /// Canonical unit in records (`CNY` for every money unit).
    pub unit: String,
    /// Value of one `word` in the canonical unit (元 → 1, 千元 → 1000).
    pub factor: Decimal,
    /// Whether Chinese numerals may state this unit (三千五百万元 yes, 四个城区 no).
    pub chinese_numerals: bool,
    /// Characters that, right after the unit, show it is part of another word (分别, 元旦).
    pub not_before: Vec<char>,
}

#[derive(Debug, Clone)]
pub struct QualifierDef {
    pub word: String,
    pub position: QualifierPosition,
    pub value: Qualifier,
}

/// Everything the scanner needs to know about wording, compiled once.
#[derive(Debug, Clone)]
pub struct UnitTable {
    units: Vec<UnitDef>,
    multipliers: Vec<(String, Decimal)>,
    qualifiers: Vec<QualifierDef>,
    /// Words before a number that make it an ordinal (第7次 is not seven times).
    ordinal_prefixes: Vec<String>,
    /// Words before a number that make it a percentage (百分之九十五).
    percent_prefixes: Vec<String>,
    number: Regex,
}

/// One quantity found in text; offsets are byte offsets in the scanned text.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub unit: String,
    pub value: Decimal,
    pub qualifier: Option<Qualifier>,
    /// Decimal places as written, before any multiplier: the precision the audit allows.
    pub written_scale: u32,
    /// Value of one unit in the last written place, in the canonical unit
    /// (14623.09 万元 → 100 元): half of it is the audit's tolerance. Chinese
    /// numerals write no trailing zeros, so theirs is the place of the last
    /// non-zero digit (三千五百万元 → 1000000 元).
    pub resolution: Decimal,
}

/// A number as written, before multiplier and unit.
struct Written {
    value: Decimal,
    /// Decimal places as written.
    scale: u32,
    chinese: bool,
}

impl Written {
    /// One unit of the last written place, times `multiplier` and `factor`;
    /// for Chinese numerals the place of `value`'s last non-zero digit.
    fn resolution(&self, value: Decimal, multiplier: Decimal, factor: Decimal) -> Option<Decimal> {
        if self.chinese {
            return Some(place_of_last_digit(value));
        }
        Decimal::new(1, self.scale)
            .checked_mul(multiplier)?
            .checked_mul(factor)
    }
}

const CHINESE_DIGITS: &str = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖";
const CHINESE_NUMBER_CHARS: &str = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億";

impl UnitTable {
    pub fn new(
        mut units: Vec<UnitDef>,
        mut multipliers: Vec<(String, Decimal)>,
        mut qualifiers: Vec<QualifierDef>,
        ordinal_prefixes: Vec<String>,
        percent_prefixes: Vec<String>,
    ) -> UnitTable {
        // Longest word first, so 人次 wins over 人 and 平方公里 over 公里.
        units.sort_by_key(|u| std::cmp::Reverse(u.word.len()));
        multipliers.sort_by_key(|m| std::cmp::Reverse(m.0.len()));
        qualifiers.sort_by_key(|q| std::cmp::Reverse(q.word.len()));
        let number = Regex::new(&format!(
            r"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{CHINESE_NUMBER_CHARS}]+(?:点[{CHINESE_DIGITS}]+)?"
        ))
        .expect("number pattern is valid");
        UnitTable {
            units,
            multipliers,
            qualifiers,
            ordinal_prefixes,
            percent_prefixes,
            number,
        }
    }

    pub fn units(&self) -> &[UnitDef] {
        &self.units
    }

    /// Every quantity in `text`, in order, none overlapping.
    pub fn scan(&self, text: &str) -> Vec<Quantity> {
        let mut found = Vec::new();
        let mut consumed = 0usize;
        for m in self.number.find_iter(text) {
            if m.start() < consumed {
                continue;
            }
            if let Some(q) = self.quantity_at(text, m.start(), m.end()) {
                consumed = q.end;
                found.push(q);
            }
        }
        found
    }

    fn quantity_at(&self, text: &str, start: usize, end: usize) -> Option<Quantity> {
        let number = self.number_at(text, start, end)?;
        let before = &text[..start];
        if let Some(prefix) = self
            .percent_prefixes
            .iter()
            .find(|p| before.ends_with(p.as_str()))
        {
            let written_start = start - prefix.len();
            return Some(Quantity {
                start: written_start,
                end,
                kind: Kind::Rate,
                unit: "%".into(),
                value: number.value,
                qualifier: self.qualifier_before(&text[..written_start]),
                written_scale: number.scale,
                resolution: number.resolution(number.value, Decimal::ONE, Decimal::ONE)?,
            });
        }

        let mut pos = end;
        let mut qualifier = None;
        let mut multiplier = Decimal::ONE;
        pos = skip_spaces(text, pos);
        if let Some(q) = self.qualifier_inside(&text[pos..]) {
            qualifier = Some(q.value);
            pos += q.word.len();
        }
        // A Chinese numeral swallows its own 万/亿 (三千五百万) except after a
        // fraction (三十二点五万), which is where a multiplier can still follow.
        if let Some((word, factor)) = self
            .multipliers
            .iter()
            .find(|(w, _)| text[pos..].starts_with(w.as_str()))
        {
            multiplier = *factor;
            pos += word.len();
            if let Some(q) = self.qualifier_inside(&text[pos..]) {
                qualifier = Some(q.value);
                pos += q.word.len();
            }
        }
        pos = skip_spaces(text, pos);
        let unit = self.unit_at(&text[pos..], number.chinese)?;
        pos += unit.word.len();
        // Checked: a number near Decimal's range times 亿 is no figure, not a crash.
        let mut value = number
            .value
            .checked_mul(multiplier)?
            .checked_mul(unit.factor)?;
        if number.chinese && unit.unit == "CNY" {
            // 壹仟贰佰叁拾肆元伍角陆分: the jiao and fen of a financial amount.
            let (cents, len) = chinese_jiao_fen(&text[pos..]);
            value = value.checked_add(cents)?;
            pos += len;
        }
        let resolution = number.resolution(value, multiplier, unit.factor)?;
        if let Some(q) = self
            .qualifiers
            .iter()
            .find(|q| q.position == QualifierPosition::After && text[pos..].starts_with(&q.word))
        {
            qualifier = Some(q.value);
            pos += q.word.len();
        }
        if qualifier.is_none() {
            qualifier = self.qualifier_before(before);
        }
        Some(Quantity {
            start,
            end: pos,
            kind: unit.kind,
            unit: unit.unit.clone(),
            value: value.normalize(),
            qualifier,
            written_scale: number.scale,
            resolution: resolution.normalize(),
        })
    }

    /// The number at `start..end`, unless what stands before it shows it is
    /// no quantity (a code, an ordinal, the tail of a ratio or year range).
    fn number_at(&self, text: &str, start: usize, end: usize) -> Option<Written> {
        let digits = &text[start..end];
        let chinese = !digits.as_bytes()[0].is_ascii_digit();
        let before = &text[..start];
        if !chinese && glued_to_code(before) {
            return None;
        }
        if self
            .ordinal_prefixes
            .iter()
            .any(|p| before.trim_end().ends_with(p.as_str()))
        {
            return None;
        }
        if is_ratio_or_range_tail(before) {
            return None;
        }
        let (value, scale) = if chinese {
            if !digits.chars().any(|c| CHINESE_DIGITS.contains(c)) {
                return None;
            }
            parse_chinese(digits)?
        } else {
            parse_arabic(digits)?
        };
        Some(Written {
            value,
            scale,
            chinese,
        })
    }

    fn unit_at(&self, rest: &str, chinese: bool) -> Option<&UnitDef> {
        self.units.iter().find(|u| {
            rest.starts_with(u.word.as_str())
                && (!chinese || u.chinese_numerals)
                && !rest[u.word.len()..]
                    .chars()
                    .next()
                    .is_some_and(|next| u.not_before.contains(&next))
        })
    }

    fn qualifier_inside(&self, rest: &str) -> Option<&QualifierDef> {
        self.qualifiers
            .iter()
            .find(|q| q.position == QualifierPosition::Inside && rest.starts_with(&q.word))
    }

    fn qualifier_before(&self, before: &str) -> Option<Qualifier> {
        let before = before.trim_end();
        self.qualifiers
            .iter()
            .find(|q| q.position == QualifierPosition::Before && before.ends_with(&q.word))
            .map(|q| q.value)
    }
}

fn skip_spaces(text: &str, mut pos: usize) -> usize {
    // At most a couple of spaces: PDF and form exports put one between number and unit.
    for _ in 0..2 {
        if text[pos..].starts_with(' ') || text[pos..].starts_with('\u{3000}') {
            pos += text[pos..].chars().next().map_or(0, char::len_utf8);
        }
    }
    pos
}

/// The place of a value's last non-zero digit (35000000 → 1000000, 12.5 →
/// 0.1; 1 for zero): the precision a number implies when nothing says how it
/// was written.
pub fn place_of_last_digit(value: Decimal) -> Decimal {
    let v = value.abs().normalize();
    if v.is_zero() {
        return Decimal::ONE;
    }
    if v.scale() > 0 {
        return Decimal::new(1, v.scale());
    }
    // Capped: beyond 10^12 a round number says nothing more about its precision.
    let cap = Decimal::from(1_000_000_000_000i64);
    let mut place = Decimal::ONE;
    while place < cap && (v % (place * Decimal::TEN)).is_zero() {
        place *= Decimal::TEN;
    }
    place
}

/// A number glued to Latin letters is part of a code (G107, ISO9001, 5G), not a figure.
fn glued_to_code(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '.' || c == '_')
}

/// 1:500 and 1：500 are ratios; 2019-2035 is a range of years.
fn is_ratio_or_range_tail(before: &str) -> bool {
    let mut chars = before.chars().rev();
    match (chars.next(), chars.next()) {
        (Some(':'), Some(d)) => d.is_ascii_digit(),
        (Some('-' | '~' | '—' | '–'), Some(d)) if d.is_ascii_digit() => {
            // Only a year range: four digits before the dash.
            let digits: String = before
                .chars()
                .rev()
                .skip(1)
                .take_while(|c| c.is_ascii_digit())
                .collect();
            digits.len() == 4
        }
        _ => false,
    }
}

/// Parses `1,234.56` or `18651.39` (already folded to ASCII); returns the value and its decimal places.
pub fn parse_arabic(s: &str) -> Option<(Decimal, u32)> {
    let plain: String = s.chars().filter(|c| *c != ',').collect();
    let value = Decimal::from_str(&plain).ok()?;
    let scale = plain
        .find('.')
        .map_or(0, |dot| (plain.len() - dot - 1) as u32);
    // More decimal places than Decimal holds: from_str rounds, but the
    // resolution 10^-scale cannot be represented.
    if scale > MAX_SCALE {
        return None;
    }
    Some((value, scale))
}

fn chinese_digit(c: char) -> Option<u32> {
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

/// The most decimal places a `Decimal` can carry.
const MAX_SCALE: u32 = 28;

/// Parses Chinese numerals: 三千五百万, 一亿零五十万, 两千, 壹仟贰佰叁拾肆,
/// 三十二点五, 二〇二三 (digit by digit). Returns the value and its decimal places.
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

fn parse_chinese_integer(s: &str) -> Option<Decimal> {
    let has_units = s.chars().any(|c| "十拾百佰千仟万萬亿億".contains(c));
    if !has_units {
        // 二〇二三: a digit string.
        let mut value = Decimal::ZERO;
        for c in s.chars() {
            value = value
                .checked_mul(Decimal::TEN)?
                .checked_add(Decimal::from(chinese_digit(c)?))?;
        }
        return Some(value);
    }
    let mut total = Decimal::ZERO; // completed 亿 and 万 sections
    let mut section = Decimal::ZERO; // below 万
    let mut number: Option<Decimal> = None; // the digit waiting for its unit
    for c in s.chars() {
        if let Some(d) = chinese_digit(c) {
            number = Some(Decimal::from(d));
            continue;
        }
        let small = match c {
            '十' | '拾' => Some(10),
            '百' | '佰' => Some(100),
            '千' | '仟' => Some(1000),
            _ => None,
        };
        if let Some(unit) = small {
            // 十二 means 12: a bare 十 counts one ten.
            let n = number.take().unwrap_or(Decimal::ONE);
            section = section.checked_add(n * Decimal::from(unit))?;
            continue;
        }
        let n = number.take().unwrap_or(Decimal::ZERO);
        match c {
            '万' | '萬' => {
                let part = section.checked_add(n)?;
                section = Decimal::ZERO;
                let part = if part.is_zero() { Decimal::ONE } else { part };
                total = total.checked_add(part.checked_mul(Decimal::from(10_000))?)?;
            }
            '亿' | '億' => {
                let part = total.checked_add(section)?.checked_add(n)?;
                section = Decimal::ZERO;
                let part = if part.is_zero() { Decimal::ONE } else { part };
                total = part.checked_mul(Decimal::from(100_000_000))?;
            }
            _ => return None,
        }
    }
    total
        .checked_add(section)?
        .checked_add(number.unwrap_or(Decimal::ZERO))
}

/// The 角 and 分 after a Chinese-numeral 元 amount, and how many bytes they take.
fn chinese_jiao_fen(rest: &str) -> (Decimal, usize) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn table() -> UnitTable {
        let rules = crate::rules::RuleSet::load(&crate::rules::default_dir()).unwrap();
        rules.units.clone()
    }

    /// The single quantity of `text`, as (kind, value, unit, qualifier, raw).
    fn one(text: &str) -> (Kind, Decimal, String, Option<Qualifier>, String) {
        let found = table().scan(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        let q = &found[0];
        (
            q.kind,
            q.value,
            q.unit.clone(),
            q.qualifier,
            text[q.start..q.end].to_string(),
        )
    }

    fn value_of(text: &str) -> Decimal {
        one(text).1
    }

    #[test]
    fn arabic_amounts_with_wan_and_yi() {
        assert_eq!(value_of("资金总额：14623.09 万元"), dec("146230900"));
        assert_eq!(value_of("成交总额194.26亿元"), dec("19426000000"));
        assert_eq!(value_of("1.2亿元"), dec("120000000"));
        assert_eq!(value_of("共1,234.56元"), dec("1234.56"));
        assert_eq!(value_of("支出8万元"), dec("80000"));
        assert_eq!(one("14623.09 万元").4, "14623.09 万元");
    }

    #[test]
    fn full_width_digits_after_folding() {
        let folded = crate::source::NormalizedText::new("１２３４.５万元");
        assert_eq!(value_of(&folded.text), dec("12345000"));
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(parse_chinese("三千五百万").unwrap().0, dec("35000000"));
        assert_eq!(parse_chinese("一亿零五十万").unwrap().0, dec("100500000"));
        assert_eq!(parse_chinese("两千").unwrap().0, dec("2000"));
        assert_eq!(parse_chinese("十二").unwrap().0, dec("12"));
        assert_eq!(parse_chinese("二〇二三").unwrap().0, dec("2023"));
        assert_eq!(parse_chinese("三十二点五").unwrap(), (dec("32.5"), 1));
        assert_eq!(value_of("三千五百万元"), dec("35000000"));
        assert_eq!(value_of("一亿零五十万元"), dec("100500000"));
        assert_eq!(value_of("两千元"), dec("2000"));
        assert_eq!(value_of("三十二点五万元"), dec("325000"));
        assert_eq!(value_of("壹仟贰佰叁拾肆元伍角陆分"), dec("1234.56"));
        assert_eq!(
            one("壹仟贰佰叁拾肆元伍角陆分").4,
            "壹仟贰佰叁拾肆元伍角陆分"
        );
    }

    #[test]
    fn rates_and_points() {
        assert_eq!(
            one("资金执行率127.55%"),
            (
                Kind::Rate,
                dec("127.55"),
                "%".into(),
                None,
                "127.55%".into()
            )
        );
        assert_eq!(value_of("达到百分之九十五"), dec("95"));
        assert_eq!(one("百分之九十五").4, "百分之九十五");
        let (kind, value, unit, _, _) = one("同比提高3.5个百分点");
        assert_eq!(
            (kind, value, unit.as_str()),
            (Kind::Rate, dec("3.5"), "百分点")
        );
    }

    #[test]
    fn areas_fold_wan_into_value() {
        assert_eq!(
            one("3.27万亩"),
            (
                Kind::Area,
                dec("32700"),
                "亩".into(),
                None,
                "3.27万亩".into()
            )
        );
        assert_eq!(one("修复225.8公顷").2, "公顷");
        assert_eq!(one("约83.4平方公里").2, "平方公里");
    }

    #[test]
    fn measure_words() {
        for (text, unit) in [
            ("5870人", "人"),
            ("7656人次", "人次"),
            ("2268 个", "个"),
            ("937宗", "宗"),
            ("68 家", "家"),
            ("68694套", "套"),
            ("79件", "件"),
            ("4.2万张", "张"),
            ("4.46万户", "户"),
            ("50处", "处"),
            ("2起", "起"),
            ("373次", "次"),
            ("3所", "所"),
        ] {
            let (kind, _, got, _, raw) = one(text);
            assert_eq!(
                (kind, got.as_str(), raw.trim()),
                (Kind::Count, unit, text.trim_start_matches(['约'])),
                "{text}"
            );
        }
        assert_eq!(value_of("4.2万件"), dec("42000"));
    }

    #[test]
    fn qualifiers() {
        assert_eq!(one("约 103 万亩").3, Some(Qualifier::Approx));
        assert_eq!(one("约 103 万亩").4, "103 万亩");
        assert_eq!(one("超过 1400 亩").3, Some(Qualifier::MoreThan));
        assert_eq!(
            one("95%以上"),
            (
                Kind::Rate,
                dec("95"),
                "%".into(),
                Some(Qualifier::AtLeast),
                "95%以上".into()
            )
        );
        assert_eq!(one("20余次").3, Some(Qualifier::MoreThan));
        assert_eq!(one("100多万元").1, dec("1000000"));
        assert_eq!(one("近5000人").3, Some(Qualifier::Approx));
        assert_eq!(one("≥95%").3, Some(Qualifier::AtLeast));
        assert_eq!(one("≤5%").3, Some(Qualifier::AtMost));
        assert_eq!(one("不足10人").3, Some(Qualifier::LessThan));
        assert_eq!(one("60%以下").3, Some(Qualifier::AtMost));
    }

    #[test]
    fn fen_is_a_score_never_a_cent() {
        assert_eq!(
            one("自评得分为99分"),
            (Kind::Score, dec("99"), "分".into(), None, "99分".into())
        );
        assert_eq!(one("产出指标 (50分)").1, dec("50"));
        assert!(table().scan("分别是3部门").is_empty());
        assert_eq!(one("5分钟").0, Kind::Duration);
    }

    #[test]
    fn durations_and_multiples() {
        assert_eq!(one("24小时").0, Kind::Duration);
        assert_eq!(one("40天").2, "天");
        assert_eq!(one("效率提升240倍").0, Kind::Multiple);
    }

    #[test]
    fn not_figures() {
        for text in [
            "2024年度",
            "2025年2月21日",
            "填报日期：2023-3-27",
            "1、依法履行职责",
            "（2）衡阳市",
            "2.部门整体支出",
            "湘财预〔2023〕5号",
            "国土空间总体规划（2019-2035）",
            "1：500地形图",
            "联系电话：13487941283",
            "启动第7次大提速行动",
            "四个城区",
            "优化企业服务“二十条”",
            "G107国道",
            "连续五年",
        ] {
            assert!(
                table().scan(text).is_empty(),
                "{text}: {:?}",
                table().scan(text)
            );
        }
    }

    #[test]
    fn written_precision_gives_resolution() {
        let q = &table().scan("14623.09 万元")[0];
        assert_eq!((q.written_scale, q.resolution), (2, dec("100")));
        for (text, resolution) in [
            ("127.55%", "0.01"),
            ("1655 万元", "10000"),
            ("194.26亿元", "1000000"),
            ("99分", "1"),
            ("1,234.5万元", "1000"),
            ("三千五百万元", "1000000"),
            ("三十二点五万元", "1000"),
            ("壹仟贰佰叁拾肆元伍角陆分", "0.01"),
        ] {
            assert_eq!(table().scan(text)[0].resolution, dec(resolution), "{text}");
        }
    }
}
