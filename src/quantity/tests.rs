//! The scanner's behaviour, one class of written quantity at a time, each
//! with the look-alikes that must stay out.

use std::str::FromStr;

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

fn values(text: &str) -> Vec<(Kind, Decimal, String)> {
    table()
        .scan(text)
        .into_iter()
        .map(|q| (q.kind, q.value, q.unit))
        .collect()
}

fn nothing_in(texts: &[&str]) {
    for text in texts {
        let found = table().scan(text);
        assert!(found.is_empty(), "{text}: {found:?}");
    }
}

#[test]
fn a_written_minus_is_part_of_the_value() {
    assert_eq!(value_of("同比-15.3%"), dec("-15.3"));
    assert_eq!(one("同比-15.3%").4, "-15.3%");
    assert_eq!(value_of("增长－8%"), dec("-8"));
    assert_eq!(value_of("利润−2万元"), dec("-20000"));
    assert_eq!(value_of("增速负7.8%"), dec("-7.8"));
    assert_eq!(value_of("增长-5.2%"), dec("-5.2"));
    // The word carries the direction; the number stays as written.
    assert_eq!(value_of("下降3.2%"), dec("3.2"));
    // 正负5%: a tolerance.
    assert_eq!(value_of("误差正负5%"), dec("5"));
}

#[test]
fn a_dash_between_numbers_is_never_a_sign() {
    nothing_in(&[
        "编号12-5人",
        "2019-2035",
        "1:500",
        "填报日期：2023-3-27",
        "- 5%",
    ]);
    assert_eq!(
        values("5万元-8万元"),
        vec![(Kind::Amount, dec("50000"), "CNY".into())]
    );
}

#[test]
fn tenths_and_per_mille() {
    assert_eq!(one("八成以上群众满意").1, dec("80"));
    assert_eq!(one("八成以上群众满意").3, Some(Qualifier::AtLeast));
    assert_eq!(one("6.5成").1, dec("65"));
    assert_eq!(one("九成").2, "%");
    assert_eq!(one("0.05‰").2, "‰");
    assert_eq!(one("千分之三点五").1, dec("3.5"));
    assert_eq!(one("千分之二").2, "‰");
    assert_eq!(
        one("万分之五"),
        (Kind::Rate, dec("5"), "‱".into(), None, "万分之五".into())
    );
    nothing_in(&["一成不变", "完成", "建成"]);
}

#[test]
fn new_unit_families() {
    for (text, kind, value, unit) in [
        ("8.6公里", Kind::Length, "8.6", "公里"),
        ("2.5m", Kind::Length, "2.5", "米"),
        ("3.75km", Kind::Length, "3.75", "公里"),
        ("1200吨", Kind::Weight, "1200", "吨"),
        ("300公斤", Kind::Weight, "300", "公斤"),
        ("2.3亿立方米", Kind::Volume, "230000000", "立方米"),
        ("60岁以上", Kind::Age, "60", "岁"),
        ("5TB", Kind::DataSize, "5", "TB"),
        ("15个工作日", Kind::Duration, "15", "工作日"),
        ("3个季度", Kind::Duration, "3", "季度"),
        ("培训2周", Kind::Duration, "2", "周"),
        ("从教30年以上", Kind::Duration, "30", "年"),
        ("路灯196盏", Kind::Count, "196", "盏"),
        ("病例12例", Kind::Count, "12", "例"),
        ("631.63km2", Kind::Area, "631.63", "平方公里"),
    ] {
        let (k, v, u, _, _) = one(text);
        assert_eq!((k, v, u.as_str()), (kind, dec(value), unit), "{text}");
    }
    assert_eq!(Kind::DataSize.as_str(), "data_size");
    nothing_in(&[
        "2024年",
        "2020年度",
        "连续五年",
        "5min",
        "5G网络",
        "GB50016",
    ]);
}

#[test]
fn counts_in_chinese_numerals_only_at_a_clause_end() {
    assert_eq!(
        values("购买变压器一套18.8万元"),
        vec![
            (Kind::Count, dec("1"), "套".into()),
            (Kind::Amount, dec("188000"), "CNY".into())
        ]
    );
    assert_eq!(value_of("增设发酵池十二个，"), dec("12"));
    nothing_in(&[
        "第三版",
        "五角星",
        "十四五规划",
        "两学一做",
        "三支一扶",
        "二十大",
        "四个城区",
        "优化企业服务“二十条”",
        "三四个",
        "一起，",
        "不动产登记实现最多跑一次。",
        "侦查监督一处、侦查监督二处",
        "已建酒窖一间，",
    ]);
}

#[test]
fn currencies_before_and_after() {
    let folded = crate::source::NormalizedText::new("￥1,200");
    assert_eq!(value_of(&folded.text), dec("1200"));
    assert_eq!(one("¥1,200元").4, "¥1,200元");
    assert_eq!(one("¥1.2万").1, dec("12000"));
    assert_eq!(one("收费30人民币").1, dec("30"));
    assert_eq!(one("5亿元人民币").4, "5亿元人民币");
    assert_eq!(one("RMB 500").1, dec("500"));
    for (text, unit) in [
        ("2亿美元", "USD"),
        ("300万欧元", "EUR"),
        ("50万港元", "HKD"),
        ("US$1,000", "USD"),
    ] {
        let (kind, _, got, _, _) = one(text);
        assert_eq!((kind, got.as_str()), (Kind::Amount, unit), "{text}");
    }
}

#[test]
fn ranges_are_one_figure_with_both_ends() {
    let found = table().scan("3-6岁儿童");
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].value, found[0].range),
        (dec("3"), Some((dec("3"), dec("6"))))
    );
    assert_eq!(
        table().scan("50-80亩")[0].range,
        Some((dec("50"), dec("80")))
    );
    assert_eq!(table().scan("3~5天")[0].range, Some((dec("3"), dec("5"))));
    assert_eq!(
        table().scan("1-2万元")[0].range,
        Some((dec("10000"), dec("20000")))
    );
    assert_eq!(
        table().scan("0-10%(含)")[0].range,
        Some((dec("0"), dec("10")))
    );
    assert_eq!(
        table().scan("18—54周岁")[0].range,
        Some((dec("18"), dec("54")))
    );
    assert_eq!(one("2000多万元").3, Some(Qualifier::MoreThan));
    nothing_in(&["规划（2019-2035年）", "80-50亩", "第3至5名"]);
}

#[test]
fn spaced_numbers_join_or_give_nothing() {
    assert_eq!(one("23 个").1, dec("23"));
    assert_eq!(one("150 公里").1, dec("150"));
    assert_eq!(one("百分 之 八十").1, dec("80"));
    assert_eq!(one("三点 二 个百分点").1, dec("3.2"));
    assert_eq!(one("到位资金 1 2 0 万元").1, dec("1200000"));
    assert_eq!(one("到位资金 1 2 0 万元").4, "1 2 0 万元");
    assert_eq!(one("投入资金 45 . 6 万元").1, dec("456000"));
    assert_eq!(one("投入资金 45 .6万元").1, dec("456000"));
    assert_eq!(one("3.5个百 分点").2, "百分点");
    // Ambiguous: the tail of a longer number, or a second cell.
    nothing_in(&[
        "资金12 34万元",
        "资金4 5万元",
        "资金45. 6万元",
        "资金1234.5 6万元",
        "资金12\n34万元",
    ]);
}

#[test]
fn separate_table_cells_stay_separate() {
    assert_eq!(
        values("预算数 6.84 到位数 6.84 执行数 6.84 100.00%"),
        vec![(Kind::Rate, dec("100"), "%".into())]
    );
    assert_eq!(
        values(">= 98 %(百分比) 100% 完成 25.00 25.00 6.25"),
        vec![
            (Kind::Rate, dec("98"), "%".into()),
            (Kind::Rate, dec("100"), "%".into())
        ]
    );
    assert_eq!(
        values("总额 201600 100% 5 5"),
        vec![(Kind::Rate, dec("100"), "%".into())]
    );
    assert_eq!(
        values("20 20 100%"),
        vec![(Kind::Rate, dec("100"), "%".into())]
    );
    // Cells run together with no separator at all: no rate of 303 million %.
    nothing_in(&["年度资金总额303010100%其中"]);
}

#[test]
fn malformed_chinese_numerals_have_no_value() {
    assert_eq!(parse_chinese("十四五"), None);
    assert_eq!(parse_chinese("五三千"), None);
    assert_eq!(parse_chinese("三百五百"), None);
    assert_eq!(parse_chinese("一千二").unwrap().0, dec("1200"));
    assert_eq!(parse_chinese("两万五").unwrap().0, dec("25000"));
    assert_eq!(parse_chinese("一千零二").unwrap().0, dec("1002"));
    assert_eq!(parse_chinese("三万亿").unwrap().0, dec("3000000000000"));
}

#[test]
fn traditional_text_reads_after_folding() {
    for (text, value) in [
        ("356.8萬元", "3568000"),
        ("三十個百分點", "30"),
        ("兩億元", "200000000"),
        ("5歲以下", "5"),
    ] {
        let folded = crate::source::NormalizedText::new(text);
        assert_eq!(value_of(&folded.text), dec(value), "{text}");
    }
}

#[test]
fn factors_of_formulas_are_not_figures() {
    assert!(table().scan("完成率=完成数×100%").is_empty());
    assert!(table().scan("结余率=结余资金总额*100%/支出数").is_empty());
    // The same rate written as a result still counts.
    assert_eq!(value_of("执行率为100%"), dec("100"));
}
