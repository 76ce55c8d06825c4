//! Property tests over the quantity scanner, for its contract (`src/quantity`'s
//! module docs): a figure is right or absent.
//!
//! Generated amounts, rates, counts and lengths in every supported form
//! (Arabic with 万/亿 and thousands commas, signs, Chinese numerals, 百分之,
//! 个百分点) are spoiled the way PDF wraps and OCR spoil them: spaces and
//! line breaks anywhere, full-width digits, Latin letters (OCR noise) before
//! the number or inside it. The scanner must then give the exact value or no
//! figure; figures never overlap; the original text at a figure's span folds
//! to the text the scanner read. A fixed seed keeps `cargo test` repeatable;
//! `JIXIAO_PROPTEST_CASES` asks for a longer run.

use std::str::FromStr;

use jixiao::quantity::Kind;
use jixiao::source::NormalizedText;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rust_decimal::Decimal;

use crate::common::RULES;

/// A quantity as written: the number part (where noise may fall) and the unit part.
#[derive(Debug, Clone)]
struct Written {
    number: String,
    unit_part: String,
    kind: Kind,
    unit: &'static str,
    value: Decimal,
}

fn chinese_section(n: u64, leading: bool) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let mut out = String::new();
    let (mut started, mut gap) = (false, false);
    for (place, name) in [(1000, "千"), (100, "百"), (10, "十"), (1, "")] {
        let d = (n / place % 10) as usize;
        if d == 0 {
            gap |= started;
            continue;
        }
        if gap {
            out.push('零');
            gap = false;
        }
        if !(place == 10 && d == 1 && !started && leading) {
            out.push_str(DIGITS[d]);
        }
        out.push_str(name);
        started = true;
    }
    out
}

/// The canonical Chinese numeral of `n` (1 ≤ n < 10^12): 一亿零五十万, 十二.
fn chinese(n: u64) -> String {
    let (yi, wan, low) = (n / 100_000_000, n / 10_000 % 10_000, n % 10_000);
    let mut out = String::new();
    if yi > 0 {
        out.push_str(&chinese_section(yi, true));
        out.push('亿');
    }
    if wan > 0 {
        if yi > 0 && wan < 1000 {
            out.push('零');
        }
        out.push_str(&chinese_section(wan, yi == 0));
        out.push('万');
    }
    if low > 0 {
        if (yi > 0 || wan > 0) && low < 1000 {
            out.push('零');
        }
        out.push_str(&chinese_section(low, yi == 0 && wan == 0));
    }
    out
}

fn with_commas(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn decimal(integer: u64, fraction: u32, places: u32) -> (String, Decimal) {
    let text = if places == 0 {
        integer.to_string()
    } else {
        format!("{integer}.{fraction:0width$}", width = places as usize)
    };
    let value = Decimal::from_str(&text).unwrap();
    (text, value)
}

fn arabic_amount() -> impl Strategy<Value = Written> {
    (1u64..100_000_000, 0u32..100, 0u32..=2, 0usize..4).prop_map(|(n, f, places, form)| {
        let (digits, value) = decimal(n, f % 10u32.pow(places), places);
        let (number, multiplier, factor) = match form {
            0 => (digits, "", 1),
            1 => (digits, "万", 10_000),
            2 => (digits, "亿", 100_000_000),
            _ => (with_commas(n), "", 1),
        };
        let value = if form == 3 {
            Decimal::from(n)
        } else {
            value * Decimal::from(factor)
        };
        Written {
            number,
            unit_part: format!("{multiplier}元"),
            kind: Kind::Amount,
            unit: "CNY",
            value,
        }
    })
}

fn rate() -> impl Strategy<Value = Written> {
    (0u64..1000, 0u32..100, 0u32..=2, 0usize..4, any::<bool>()).prop_map(
        |(n, f, places, sign, points)| {
            let (digits, value) = decimal(n, f % 10u32.pow(places), places);
            let (sign, value) = match sign {
                1 => ("-", -value),
                2 => ("负", -value),
                _ => ("", value),
            };
            let (unit_part, unit) = if points {
                ("个百分点", "百分点")
            } else {
                ("%", "%")
            };
            Written {
                number: format!("{sign}{digits}"),
                unit_part: unit_part.into(),
                kind: Kind::Rate,
                unit,
                value,
            }
        },
    )
}

fn count_or_length() -> impl Strategy<Value = Written> {
    (1u64..100_000, 0usize..6).prop_map(|(n, unit)| {
        let (word, kind, canonical) = [
            ("人", Kind::Count, "人"),
            ("人次", Kind::Count, "人次"),
            ("台", Kind::Count, "台"),
            ("盏", Kind::Count, "盏"),
            ("公里", Kind::Length, "公里"),
            ("立方米", Kind::Volume, "立方米"),
        ][unit];
        Written {
            number: n.to_string(),
            unit_part: word.into(),
            kind,
            unit: canonical,
            value: Decimal::from(n),
        }
    })
}

fn chinese_forms() -> impl Strategy<Value = Written> {
    (1u64..100_000_000, any::<bool>()).prop_map(|(n, percent)| {
        if percent {
            let n = n % 99 + 1;
            Written {
                number: format!("百分之{}", chinese(n)),
                unit_part: String::new(),
                kind: Kind::Rate,
                unit: "%",
                value: Decimal::from(n),
            }
        } else {
            Written {
                number: chinese(n),
                unit_part: "元".into(),
                kind: Kind::Amount,
                unit: "CNY",
                value: Decimal::from(n),
            }
        }
    })
}

fn written() -> impl Strategy<Value = Written> {
    prop_oneof![arabic_amount(), rate(), count_or_length(), chinese_forms()]
}

/// OCR noise: lowercase Latin letters that spell no unit (m, t, km, kg, hm2
/// are units, and noise that happens to spell one is a unit to any reader).
const NOISE: [char; 21] = [
    'a', 'b', 'c', 'd', 'e', 'f', 'i', 'j', 'l', 'n', 'o', 'p', 'q', 'r', 's', 'u', 'v', 'w', 'x',
    'y', 'z',
];

/// How a text is spoiled: where gaps go (anywhere in the quantity), where Latin
/// letters go (before the number or inside it), which digits turn full-width.
#[derive(Debug, Clone)]
struct Spoil {
    gaps: Vec<(usize, usize)>,
    noise: Vec<(usize, char)>,
    full_width: Vec<bool>,
}

fn spoil() -> impl Strategy<Value = Spoil> {
    (
        prop::collection::vec((any::<usize>(), 0usize..4), 0..4),
        prop::collection::vec((any::<usize>(), prop::sample::select(NOISE.to_vec())), 0..2),
        prop::collection::vec(any::<bool>(), 12),
    )
        .prop_map(|(gaps, noise, full_width)| Spoil {
            gaps,
            noise,
            full_width,
        })
}

/// The spoiled text of a quantity, between words that take no part in it.
fn spoiled(w: &Written, s: &Spoil) -> String {
    let number: Vec<char> = w.number.chars().collect();
    let unit: Vec<char> = w.unit_part.chars().collect();
    let mut pieces: Vec<String> = number
        .iter()
        .chain(unit.iter())
        .map(|c| c.to_string())
        .collect();
    let mut digit = 0;
    for piece in pieces.iter_mut().take(number.len()) {
        let c = piece.chars().next().unwrap();
        if c.is_ascii_digit() {
            if s.full_width[digit % s.full_width.len()] {
                *piece = char::from_u32(c as u32 - '0' as u32 + '０' as u32)
                    .unwrap()
                    .to_string();
            }
            digit += 1;
        }
    }
    // Insertion points: before piece i (i = len means after the last).
    let mut before: Vec<String> = vec![String::new(); pieces.len() + 1];
    for &(at, letter) in &s.noise {
        before[at % (number.len() + 1)].push(letter);
    }
    for &(at, gap) in &s.gaps {
        before[at % (pieces.len() + 1)].push_str([" ", "  ", "\n", "\u{3000}"][gap]);
    }
    let mut text = String::from("其中");
    for (i, piece) in pieces.iter().enumerate() {
        text.push_str(&before[i]);
        text.push_str(piece);
    }
    text.push_str(&before[pieces.len()]);
    text.push_str("，用于");
    text
}

fn runner() -> TestRunner {
    let cases = std::env::var("JIXIAO_PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(3000);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

#[test]
fn a_spoiled_quantity_gives_its_exact_value_or_nothing() {
    runner()
        .run(&(written(), spoil()), |(w, s)| {
            let text = spoiled(&w, &s);
            let folded = NormalizedText::new(&text);
            let found = RULES.units.scan(&folded.text);
            prop_assert!(found.len() <= 1, "{text:?}: {found:?}");
            if let Some(q) = found.first() {
                prop_assert_eq!(
                    (q.kind, q.unit.as_str(), q.value),
                    (w.kind, w.unit, w.value),
                    "{:?}",
                    text
                );
            }
            Ok(())
        })
        .unwrap();
}

/// Text made of the scanner's own material (digits, numerals, units, marks,
/// gaps) in any order: figures come in order, never overlap, and the original
/// at a figure's span folds to exactly what the scanner read.
#[test]
fn figures_never_overlap_and_their_spans_hold_what_was_read() {
    let alphabet: Vec<&str> = vec![
        "1",
        "2",
        "0",
        "５",
        ".",
        ",",
        "-",
        "负",
        "~",
        " ",
        "\n",
        "万",
        "亿",
        "元",
        "%",
        "％",
        "个",
        "百分点",
        "百分之",
        "三",
        "十",
        "千",
        "点",
        "人",
        "年",
        "岁",
        "公里",
        "m",
        "多",
        "约",
        "以上",
        "¥",
        "第",
        ":",
        "成",
        "资金",
    ];
    let text = prop::collection::vec(prop::sample::select(alphabet), 1..24)
        .prop_map(|pieces| pieces.concat());
    runner()
        .run(&text, |text| {
            let folded = NormalizedText::new(&text);
            let found = RULES.units.scan(&folded.text);
            for pair in found.windows(2) {
                prop_assert!(pair[0].end <= pair[1].start, "{text:?}: {found:?}");
            }
            for q in &found {
                prop_assert!(q.start < q.end);
                let (a, b) = folded.original_span(q.start, q.end);
                prop_assert_eq!(
                    NormalizedText::new(&text[a..b]).text,
                    &folded.text[q.start..q.end]
                );
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn chinese_numerals_of_the_generator_read_back() {
    for n in [
        1,
        10,
        12,
        105,
        1005,
        1050,
        3500,
        100_005,
        100_500_000,
        12_345_678,
    ] {
        let (value, _) = jixiao::quantity::parse_chinese(&chinese(n)).unwrap();
        assert_eq!(value, Decimal::from(n), "{}", chinese(n));
    }
}
