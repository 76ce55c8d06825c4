//! Synthetic archives: many reports varied from the two seed templates in
//! `corpus/`, each with the ground truth it was written from.
//!
//! Real archives cannot be published with a gold file per document, so scale
//! tests and benchmarks need documents whose every metric is known. The seeds
//! are kept nearly verbatim (their prose is what the rules were written
//! against); only departments, years, the figures that carry metrics and the
//! wording of their labels change, and the figures are drawn so that parts
//! still add up to their totals (the audit checks the same sums).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// The form seed: a tab-separated 部门整体支出绩效自评表.
const FORM_SEED: &str = include_str!("../corpus/2022_form.txt");
/// The narrative seed: a 部门整体支出绩效评价报告.
const REPORT_SEED: &str = include_str!("../corpus/2024_report.txt");
/// The department both seeds are about; every occurrence is renamed.
const SEED_DEPARTMENT: &str = "衡阳市自然资源和规划局";

/// Label wordings per metric. Each one must be matched by a label rule of
/// that metric in the shipped `rules/metrics.toml` (a test checks it), so the
/// generator never writes a synonym the rules do not know.
pub const LABEL_VARIANTS: &[(&str, &[&str])] = &[
    (
        "budget.total",
        &[
            "部门预算收入",
            "收入预算合计",
            "部门收入预算",
            "收入预算总额",
        ],
    ),
    (
        "budget.total.form",
        &["资金总额", "预算资金总额", "预算总额"],
    ),
    (
        "budget.execution_rate",
        &["预算完成率", "预算执行率", "资金执行率"],
    ),
    (
        "income.general_budget",
        &["一般公共预算收入", "一般公共预算拨款"],
    ),
    ("income.gov_fund", &["政府性基金拨款", "政府性基金预算拨款"]),
    ("income.special_account", &["纳入专户管理的非税收入拨款"]),
    (
        "income.upper_subsidy",
        &["上级财政补助收入", "上级补助收入"],
    ),
    (
        "income.fiscal_appropriation",
        &["财政拨款预算收入", "财政拨款收入"],
    ),
    ("income.other", &["其他预算收入", "其他收入"]),
    ("income.other.form", &["其他资金"]),
    ("expense.basic", &["财政拨款基本支出", "基本支出"]),
    ("expense.project", &["部门项目支出", "项目支出"]),
    ("expense.personnel", &["人员经费支出", "人员经费"]),
    ("expense.public", &["公用经费支出", "公用经费"]),
    (
        "expense.project.business",
        &["业务工作专项支出", "业务专项经费", "业务类专项资金"],
    ),
    (
        "expense.project.operation",
        &["运行维护专项支出", "运行维护类专项经费"],
    ),
    (
        "three_public.budget",
        &["“三公”经费预算", "“三公”经费年初预算", "“三公”经费预算数"],
    ),
    (
        "three_public.actual",
        &["“三公”经费支出", "“三公”经费实际支出", "“三公”经费决算数"],
    ),
    (
        "three_public.vehicle",
        &["公务用车运行维护费", "公务用车购置及运行维护费"],
    ),
    ("three_public.reception", &["公务接待费"]),
    ("three_public.abroad", &["因公出国（境）费"]),
    ("staff.total", &["在职在编人员", "在职人员", "在编人员"]),
    (
        "staff.administrative",
        &["行政编", "行政编制", "行政编制人员"],
    ),
    (
        "staff.civil_service_like",
        &["参公事业编", "参公编制", "参照公务员法管理事业编制"],
    ),
    (
        "staff.institution",
        &["全额拨款事业编", "全额拨款事业编制", "事业编制人员"],
    ),
    ("staff.retired", &["离退休人员", "退休人员"]),
    ("score.total", &["自评得分", "综合得分"]),
];

/// The metric a [`LABEL_VARIANTS`] key names (keys may carry a template suffix).
pub fn variant_metric(key: &str) -> &str {
    key.strip_suffix(".form").unwrap_or(key)
}

/// Cities and counties; none contains a character the department pattern
/// takes for the end of an organisation name (局, 委, 办, 中心, 部, 处…).
const PLACES: &[&str] = &[
    "长沙市",
    "株洲市",
    "湘潭市",
    "衡阳市",
    "邵阳市",
    "岳阳市",
    "常德市",
    "益阳市",
    "郴州市",
    "永州市",
    "怀化市",
    "娄底市",
    "祁东县",
    "衡山县",
    "湘阴县",
    "桃源县",
    "安化县",
    "宜章县",
    "双峰县",
    "石门县",
];

/// Department names after the place, some with an organisation word inside
/// (社会 in 人力资源和社会保障局, 政府 in 人民政府办公室).
const OFFICES: &[&str] = &[
    "人力资源和社会保障局",
    "人民政府办公室",
    "自然资源和规划局",
    "财政局",
    "教育局",
    "民政局",
    "司法局",
    "水利局",
    "农业农村局",
    "交通运输局",
    "审计局",
    "统计局",
    "应急管理局",
    "林业局",
    "生态环境局",
    "医疗保障局",
    "市场监督管理局",
    "住房和城乡建设局",
    "发展和改革委员会",
    "卫生健康委员会",
    "人民防空办公室",
    "扶贫开发办公室",
];

/// What one generated document states: the answer extraction must give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// File name inside the archive folder.
    pub file: String,
    pub department: String,
    pub year: i32,
    pub doc_kind: String,
    /// `txt` or `pdf`.
    pub format: String,
    /// How a TXT file is encoded (`utf-8`, `utf-8-bom-crlf`, `gb18030`, `utf-16le`); `pdf` for PDFs.
    pub encoding: String,
    pub pages: u32,
    /// metric → value in the canonical unit (yuan, %, 人, 分), as the first figure with that metric.
    pub metrics: BTreeMap<String, f64>,
}

/// One generated document: its bytes and its truth.
pub struct GeneratedDoc {
    pub bytes: Vec<u8>,
    pub truth: Truth,
}

/// SplitMix64: small, fast and the same on every platform, so a seed always
/// gives the same archive.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, index: u64) -> Rng {
        Rng(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F) ^ 0x1234_5678)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    /// `whole` × a fraction drawn from `lo_pct..=hi_pct` percent.
    fn share(&mut self, whole: i64, lo_pct: i64, hi_pct: i64) -> i64 {
        whole * self.range(lo_pct * 10, hi_pct * 10) / 1000
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn variants(key: &str) -> &'static [&'static str] {
    LABEL_VARIANTS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("no label variants for {key}"))
}

/// An amount in hundredths of 万元 (100 yuan), written as reports do: 1655, 219.9, 14623.09.
fn wan(units: i64) -> String {
    decimal(units, 2)
}

/// `value / 10^scale` written without trailing zeros.
fn decimal(value: i64, scale: u32) -> String {
    let div = 10i64.pow(scale);
    let (int, mut frac) = (value / div, value % div);
    if frac == 0 {
        return int.to_string();
    }
    let mut digits = scale as usize;
    while frac % 10 == 0 {
        frac /= 10;
        digits -= 1;
    }
    format!("{int}.{frac:0digits$}")
}

/// The value of `decimal(value, scale)` as jixiao reports it (f64 of the exact decimal).
fn value_of(value: i64, scale: u32) -> f64 {
    value as f64 / 10f64.powi(scale as i32)
}

fn yuan(units: i64) -> f64 {
    (units * 100) as f64
}

/// Replaces the one occurrence of `old`; the seeds are fixed, so a miss is a bug here.
fn sub(text: &mut String, old: &str, new: &str) {
    let at = text
        .find(old)
        .unwrap_or_else(|| panic!("seed text changed: `{old}` not found"));
    text.replace_range(at..at + old.len(), new);
}

/// Generates document `index` of the archive `seed`.
pub fn generate_one(seed: u64, index: u64, pdf: bool) -> GeneratedDoc {
    let mut rng = Rng::new(seed, index);
    let department = format!("{}{}", rng.pick(PLACES), rng.pick(OFFICES));
    let year = rng.range(2019, 2025) as i32;
    let form = rng.chance(50);
    let (text, doc_kind, metrics) = if form {
        form_text(&mut rng, &department, year)
    } else {
        report_text(&mut rng, &department, year)
    };
    let stem = format!("{index:06}_{}", if form { "form" } else { "report" });
    let (bytes, format, encoding, pages) = if pdf {
        let (bytes, pages) = pdf_bytes(&text);
        (bytes, "pdf", "pdf".to_string(), pages)
    } else {
        let (bytes, encoding) = encode_txt(&mut rng, &text);
        (bytes, "txt", encoding.to_string(), 1)
    };
    GeneratedDoc {
        bytes,
        truth: Truth {
            file: format!("{stem}.{format}"),
            department,
            year,
            doc_kind: doc_kind.to_string(),
            format: format.to_string(),
            encoding,
            pages,
            metrics,
        },
    }
}

/// Writes `count` documents and their `NAME.truth.json` into `dir`; a share
/// `pdf_share` (0–1) of them, spread evenly, as PDF.
pub fn write_archive(
    dir: &Path,
    count: u64,
    seed: u64,
    pdf_share: f64,
) -> std::io::Result<Vec<Truth>> {
    std::fs::create_dir_all(dir)?;
    let share = pdf_share.clamp(0.0, 1.0);
    let mut truths = Vec::with_capacity(count as usize);
    for index in 0..count {
        // Exactly ⌊count × share⌋ PDFs, interleaved with the TXT files.
        let pdf = ((index + 1) as f64 * share).floor() > (index as f64 * share).floor();
        let doc = generate_one(seed, index, pdf);
        std::fs::write(dir.join(&doc.truth.file), &doc.bytes)?;
        let truth_name = format!(
            "{}.truth.json",
            doc.truth.file.rsplit_once('.').map_or("", |(s, _)| s)
        );
        let json = serde_json::to_string_pretty(&doc.truth).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(truth_name), json)?;
        truths.push(doc.truth);
    }
    Ok(truths)
}

/// Varies the form seed. Returns the text, its doc_kind and its metrics.
fn form_text(
    rng: &mut Rng,
    department: &str,
    year: i32,
) -> (String, &'static str, BTreeMap<String, f64>) {
    let mut m = BTreeMap::new();
    let mut text = FORM_SEED.replace(SEED_DEPARTMENT, department);
    sub(&mut text, "2022 年度", &format!("{year} 年度"));
    sub(&mut text, "2022年共受理", &format!("{year}年共受理"));
    sub(&mut text, "2023-3-27", &format!("{}-3-27", year + 1));
    if rng.chance(30) {
        sub(
            &mut text,
            "\n部门整体支出绩效自评表\n",
            "\n部门绩效自评表\n",
        );
    }

    // Income parts sum to the total; basic + project = total.
    let total = rng.range(200_000, 6_000_000);
    let special = if rng.chance(40) {
        Some(rng.share(total, 1, 5))
    } else {
        None
    };
    let other = if rng.chance(40) {
        Some(rng.share(total, 1, 5))
    } else {
        None
    };
    let rest = total - special.unwrap_or(0) - other.unwrap_or(0);
    let general = rng.share(rest, 60, 85);
    let gov_fund = rng.share(rest - general, 30, 70);
    let upper = rest - general - gov_fund;
    let basic = rng.share(total, 35, 65);
    let project = total - basic;
    let executed = rng.share(total, 80, 130);
    // Rate in hundredths of a percent, rounded half up.
    let rate = (executed * 10_000 * 2 + total) / (total * 2);

    let label = |rng: &mut Rng, key: &str| *rng.pick(variants(key));
    let total_label = label(rng, "budget.total.form");
    sub(
        &mut text,
        "资金总额：14623.09 万元\t18651.39 万元\t127.55%",
        &format!(
            "{total_label}：{} 万元\t{} 万元\t{}%",
            wan(total),
            wan(executed),
            decimal(rate, 2)
        ),
    );
    let general_label = label(rng, "income.general_budget");
    sub(
        &mut text,
        "其中：一般公共预算收入：11768.09 万元\t其中：基本支出：7301.64 万元",
        &format!(
            "其中：{general_label}：{} 万元\t其中：基本支出：{} 万元",
            wan(general),
            wan(basic)
        ),
    );
    let fund_label = label(rng, "income.gov_fund");
    sub(
        &mut text,
        "政府性基金拨款：1655 万元\t项目支出：7321.45 万元",
        &format!(
            "{fund_label}：{} 万元\t项目支出：{} 万元",
            wan(gov_fund),
            wan(project)
        ),
    );
    if let Some(v) = special {
        sub(
            &mut text,
            "纳入专户管理的非税收入拨款：",
            &format!("纳入专户管理的非税收入拨款：{} 万元", wan(v)),
        );
        m.insert("income.special_account".into(), yuan(v));
    }
    let upper_label = label(rng, "income.upper_subsidy");
    sub(
        &mut text,
        "上级财政补助收入：1200 万元",
        &format!("{upper_label}：{} 万元", wan(upper)),
    );
    if let Some(v) = other {
        sub(
            &mut text,
            "其他资金：",
            &format!("其他资金：{} 万元", wan(v)),
        );
        m.insert("income.other".into(), yuan(v));
    }
    m.insert("budget.total".into(), yuan(total));
    m.insert("budget.executed".into(), yuan(executed));
    m.insert("budget.execution_rate".into(), value_of(rate, 2));
    m.insert("income.general_budget".into(), yuan(general));
    m.insert("income.gov_fund".into(), yuan(gov_fund));
    m.insert("income.upper_subsidy".into(), yuan(upper));
    m.insert("expense.basic".into(), yuan(basic));
    m.insert("expense.project".into(), yuan(project));
    m.insert("weight.output".into(), 50.0);
    m.insert("weight.benefit".into(), 40.0);

    // Scores: some rows lose points; the total row is the sum of the 得分 cells.
    let cells = Regex::new(r"\t(\d+)\t(\d+)(\t*)$").expect("static regex");
    let mut out = String::with_capacity(text.len());
    let mut score_tenths = 0i64;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let newline = &line[body.len()..];
        if body.starts_with("总分\t") {
            out.push_str(body);
            out.push_str(newline);
            continue;
        }
        match cells.captures(body) {
            Some(c) => {
                let weight: i64 = c[1].parse().unwrap_or(0);
                let lost = *rng.pick(&[0, 0, 0, 5, 10, 20]);
                let got = (weight * 10 - lost).max(0);
                score_tenths += got;
                if body.starts_with("年度预算申请") {
                    m.insert("score.budget_execution".into(), value_of(got, 1));
                }
                let at = c.get(0).map_or(body.len(), |g| g.start());
                let _ = write!(
                    out,
                    "{}\t{weight}\t{}{}{newline}",
                    &body[..at],
                    decimal(got, 1),
                    &c[3]
                );
            }
            None => out.push_str(line),
        }
    }
    let mut text = out;
    sub(
        &mut text,
        "总分\t\t\t\t\t100\t100\t",
        &format!("总分\t\t\t\t\t100\t{}\t", decimal(score_tenths, 1)),
    );
    m.insert("score.total".into(), value_of(score_tenths, 1));
    (text, "overall_self_eval_form", m)
}

/// Varies the narrative seed. Returns the text, its doc_kind and its metrics.
fn report_text(
    rng: &mut Rng,
    department: &str,
    year: i32,
) -> (String, &'static str, BTreeMap<String, f64>) {
    let mut m = BTreeMap::new();
    let label = |rng: &mut Rng, key: &str| *rng.pick(variants(key));
    // Years: the report year, the year before (earlier plans) and the signing date after.
    let mut text = REPORT_SEED
        .replace(SEED_DEPARTMENT, department)
        .replace("2025年2月21日", "\u{1}NEXT年2月21日")
        .replace("2023年", "\u{1}PREV年")
        .replace("2024", &year.to_string())
        .replace("\u{1}NEXT", &(year + 1).to_string())
        .replace("\u{1}PREV", &(year - 1).to_string());
    if rng.chance(40) {
        sub(
            &mut text,
            "部门整体支出绩效评价报告",
            "部门整体支出绩效自评报告",
        );
    }

    // Staff: the categories add up to the total.
    let admin = rng.range(10, 150);
    let civil = rng.range(1, 80);
    let institution = rng.range(20, 400);
    let staff = admin + civil + institution;
    let retired = rng.range(20, 400);
    sub(
        &mut text,
        "在职在编人员380人，其中：行政编57人，参公事业编35人，全额拨款事业编288人。离退休人员249人。",
        &format!(
            "{}{staff}人，其中：{}{admin}人，{}{civil}人，{}{institution}人。{}{retired}人。",
            label(rng, "staff.total"),
            label(rng, "staff.administrative"),
            label(rng, "staff.civil_service_like"),
            label(rng, "staff.institution"),
            label(rng, "staff.retired"),
        ),
    );
    for (k, v) in [
        ("staff.total", staff),
        ("staff.administrative", admin),
        ("staff.civil_service_like", civil),
        ("staff.institution", institution),
        ("staff.retired", retired),
    ] {
        m.insert(k.into(), v as f64);
    }

    // Income: fiscal + other = total; basic + project = total.
    let total = rng.range(200_000, 6_000_000);
    let fiscal = rng.share(total, 90, 99);
    let other = total - fiscal;
    sub(
        &mut text,
        "部门预算收入14199.25万元，其中：财政拨款预算收入13979.35万元，其他预算收入219.9万元。",
        &format!(
            "{}{}万元，其中：{}{}万元，{}{}万元。",
            label(rng, "budget.total"),
            wan(total),
            label(rng, "income.fiscal_appropriation"),
            wan(fiscal),
            label(rng, "income.other"),
            wan(other)
        ),
    );
    m.insert("budget.total".into(), yuan(total));
    m.insert("income.fiscal_appropriation".into(), yuan(fiscal));
    m.insert("income.other".into(), yuan(other));

    let basic = rng.share(total, 40, 70);
    let project = total - basic;
    let personnel = rng.share(basic, 70, 90);
    let public = basic - personnel;
    sub(
        &mut text,
        "财政拨款基本支出8931.7万元",
        &format!("{}{}万元", label(rng, "expense.basic"), wan(basic)),
    );
    sub(
        &mut text,
        "等人员经费支出7220.38万元",
        &format!(
            "等{}{}万元",
            label(rng, "expense.personnel"),
            wan(personnel)
        ),
    );
    sub(
        &mut text,
        "工会经费等经费支出1711.32万元",
        &format!("工会经费等经费支出{}万元", wan(public)),
    );
    if rng.chance(50) {
        // The short form: 公用经费 right before its amount.
        sub(&mut text, "公用经费支出主要用于", "公用经费主要用于");
    }
    m.insert("expense.basic".into(), yuan(basic));
    m.insert("expense.personnel".into(), yuan(personnel));
    m.insert("expense.public".into(), yuan(public));

    // 三公: actual ≤ budget, parts = actual.
    let tp_budget = rng.range(3_000, 40_000);
    let tp_actual = rng.share(tp_budget, 40, 95);
    let vehicle = rng.share(tp_actual, 55, 90);
    let abroad = if rng.chance(30) {
        Some(rng.share(tp_actual - vehicle, 20, 60))
    } else {
        None
    };
    let reception = tp_actual - vehicle - abroad.unwrap_or(0);
    let abroad_text = abroad.map_or(String::new(), |v| {
        format!("、{}{}万元", label(rng, "three_public.abroad"), wan(v))
    });
    sub(
        &mut text,
        "“三公”经费预算为111万元，“三公”经费支出为65.53万元。主要用于公务用车运行维护费63.27万元、公务接待费2.26万元。",
        &format!(
            "{}为{}万元，{}为{}万元。主要用于{}{}万元、{}{}万元{abroad_text}。",
            label(rng, "three_public.budget"),
            wan(tp_budget),
            label(rng, "three_public.actual"),
            wan(tp_actual),
            label(rng, "three_public.vehicle"),
            wan(vehicle),
            label(rng, "three_public.reception"),
            wan(reception),
        ),
    );
    m.insert("three_public.budget".into(), yuan(tp_budget));
    m.insert("three_public.actual".into(), yuan(tp_actual));
    m.insert("three_public.vehicle".into(), yuan(vehicle));
    m.insert("three_public.reception".into(), yuan(reception));
    if let Some(v) = abroad {
        m.insert("three_public.abroad".into(), yuan(v));
    }

    // Projects: business + operation = project; the listed items = business.
    let business = rng.share(project, 60, 90);
    let operation = project - business;
    sub(
        &mut text,
        "部门项目支出5267.55万元，其中：业务工作专项支出4182.95万元，运行维护专项支出1084.6万元。",
        &format!(
            "{}{}万元，其中：{}{}万元，{}{}万元。",
            label(rng, "expense.project"),
            wan(project),
            label(rng, "expense.project.business"),
            wan(business),
            label(rng, "expense.project.operation"),
            wan(operation)
        ),
    );
    sub(
        &mut text,
        "运行维护专项支出1084.6万元\n",
        &format!("运行维护专项支出{}万元\n", wan(operation)),
    );
    sub(
        &mut text,
        "自然资源事务支出1084.6万元",
        &format!("自然资源事务支出{}万元", wan(operation)),
    );
    text = scale_items(&text, business);
    m.insert("expense.project".into(), yuan(project));
    m.insert("expense.project.business".into(), yuan(business));
    m.insert("expense.project.operation".into(), yuan(operation));

    // Scores: the categories add up to the total; rates are free.
    let parts: Vec<i64> = [100, 200, 200, 400, 100]
        .iter()
        .map(|max| max - *rng.pick(&[0, 0, 5, 10, 20, 30]))
        .collect();
    let score_total: i64 = parts.iter().sum();
    sub(
        &mut text,
        "自评得分为99分",
        &format!(
            "{}为{}分",
            label(rng, "score.total"),
            decimal(score_total, 1)
        ),
    );
    sub(
        &mut text,
        "预算执行10分",
        &format!("预算执行{}分", decimal(parts[0], 1)),
    );
    sub(
        &mut text,
        "成本指标得20分",
        &format!("成本指标得{}分", decimal(parts[1], 1)),
    );
    sub(
        &mut text,
        "产出指标得20分",
        &format!("产出指标得{}分", decimal(parts[2], 1)),
    );
    sub(
        &mut text,
        "效益指标得40分",
        &format!("效益指标得{}分", decimal(parts[3], 1)),
    );
    sub(
        &mut text,
        "满意度得10分",
        &format!("满意度得{}分", decimal(parts[4], 1)),
    );
    let rate = rng.range(8_000, 18_000);
    sub(
        &mut text,
        "预算完成率166%",
        &format!(
            "{}{}%",
            label(rng, "budget.execution_rate"),
            decimal(rate, 2)
        ),
    );
    m.insert("score.total".into(), value_of(score_total, 1));
    m.insert("score.budget_execution".into(), value_of(parts[0], 1));
    m.insert("score.cost".into(), value_of(parts[1], 1));
    m.insert("score.output".into(), value_of(parts[2], 1));
    m.insert("score.benefit".into(), value_of(parts[3], 1));
    m.insert("score.satisfaction".into(), value_of(parts[4], 1));
    m.insert("budget.execution_rate".into(), value_of(rate, 2));
    (text, "overall_eval_report", m)
}

/// Rescales the listed project items (lines ending in an amount between the
/// 专项资金 heading and the 运行维护 heading) so they still add up to `business`;
/// the last item takes the rounding.
fn scale_items(text: &str, business: i64) -> String {
    let amount = Regex::new(r"(\d+(?:\.\d+)?)万元\s*$").expect("static regex");
    let start = text
        .find("专项资金安排和使用管理情况")
        .unwrap_or(text.len());
    let end = text.find("除专项资金以外").unwrap_or(text.len());
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut items = Vec::new();
    let mut offset = 0;
    for (i, line) in lines.iter().enumerate() {
        if offset > start
            && offset + line.len() <= end
            && let Some(c) = amount.captures(line)
        {
            let units = (c[1].parse::<f64>().unwrap_or(0.0) * 100.0).round() as i64;
            items.push((i, c.get(1).map_or(0..0, |g| g.range()), units));
        }
        offset += line.len();
    }
    let seed_sum: i64 = items.iter().map(|(_, _, u)| u).sum::<i64>().max(1);
    let mut given = 0;
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let last = items.len().saturating_sub(1);
    for (n, (i, range, units)) in items.into_iter().enumerate() {
        let new = if n == last {
            business - given
        } else {
            units * business / seed_sum
        };
        given += new;
        out[i].replace_range(range, &wan(new));
    }
    out.concat()
}

/// Encodes a text as one of the TXT encodings found in archives.
fn encode_txt(rng: &mut Rng, text: &str) -> (Vec<u8>, &'static str) {
    match rng.range(0, 3) {
        0 => (text.as_bytes().to_vec(), "utf-8"),
        1 => {
            let mut bytes = vec![0xEF, 0xBB, 0xBF];
            bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
            (bytes, "utf-8-bom-crlf")
        }
        2 => {
            let (bytes, _, _) = encoding_rs::GB18030.encode(text);
            (bytes.into_owned(), "gb18030")
        }
        _ => {
            let mut bytes = vec![0xFF, 0xFE];
            for unit in text.encode_utf16() {
                bytes.extend_from_slice(&unit.to_le_bytes());
            }
            (bytes, "utf-16le")
        }
    }
}

const LINES_PER_PAGE: usize = 45;
/// Small enough that the longest clause of the seeds (公用经费 … 万元, about 95
/// characters) fits the 545 pt text width on one line: the extractor keeps
/// only what lies on the page, and a label must share its figure's line.
const FONT_SIZE: f32 = 5.0;
const LEADING: f32 = 16.0;
/// Room between table cells, in thousandths of an em: well above the layout's
/// cell gap, so a cell boundary reads back as a tab.
const CELL_GAP: i32 = 3000;
/// Longer lines are broken where a clause ends (see [`wrap_line`]).
const WRAP_CHARS: usize = 100;

/// A PDF of `text` in the non-embedded Adobe font STSong-Light (UniGB-UCS2-H),
/// as older CJK-aware exporters write it: one text-showing operator per line,
/// A4 pages, a 第 N 页 共 M 页 footer. Returns the bytes and the page count.
pub fn pdf_bytes(text: &str) -> (Vec<u8>, u32) {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            continue;
        }
        if line.contains('\t') {
            lines.push(line.to_string());
        } else {
            lines.extend(wrap_line(line));
        }
    }
    let pages: Vec<&[String]> = lines.chunks(LINES_PER_PAGE).collect();
    let page_count = pages.len().max(1);

    // Objects 1–5: catalog, page tree, font and its parts; then page, content per page.
    let kids: Vec<String> = (0..page_count)
        .map(|p| format!("{} 0 R", 6 + 2 * p))
        .collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {page_count} >>",
            kids.join(" ")
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>"
            .to_vec(),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
            .to_vec(),
    ];
    for p in 0..page_count {
        let mut content = String::new();
        for (i, line) in pages.get(p).copied().unwrap_or(&[]).iter().enumerate() {
            let y = 800.0 - LEADING * i as f32;
            let cells: Vec<String> = line.split('\t').map(ucs2_hex).collect();
            let _ = write!(content, "BT /F1 {FONT_SIZE} Tf 1 0 0 1 50 {y} Tm ");
            if cells.len() == 1 {
                let _ = writeln!(content, "{} Tj ET", cells[0]);
            } else {
                let joined = cells.join(&format!(" -{CELL_GAP} "));
                let _ = writeln!(content, "[{joined}] TJ ET");
            }
        }
        let footer = format!("第 {} 页 共 {page_count} 页", p + 1);
        let _ = writeln!(
            content,
            "BT /F1 {FONT_SIZE} Tf 1 0 0 1 250 40 Tm {} Tj ET",
            ucs2_hex(&footer)
        );
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R /Resources << /Font << /F1 3 0 R >> >> >>",
                7 + 2 * p
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(content.as_bytes());
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }

    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    (out, page_count as u32)
}

/// A string as UCS-2 big-endian hex, the code space of UniGB-UCS2-H.
fn ucs2_hex(text: &str) -> String {
    let mut hex = String::with_capacity(2 + text.len() * 4);
    hex.push('<');
    for unit in text.encode_utf16() {
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
}

/// Breaks a line longer than `WRAP_CHARS` where a clause ends: after 。 or
/// ；, or after a figure's unit followed by ， or 、. A label and its figure
/// stay on one line, as they must for the rules to pair them; a line without
/// such a point is cut at the limit.
fn wrap_line(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    while chars.len() - start > WRAP_CHARS {
        let limit = start + WRAP_CHARS;
        let mut cut = None;
        for i in start + 1..=limit {
            let c = chars[i - 1];
            let after_figure = matches!(c, '，' | '、')
                && i >= 2
                && matches!(
                    chars[i - 2],
                    '元' | '人' | '分' | '%' | '亩' | '个' | '次' | '处'
                );
            if matches!(c, '。' | '；') || after_figure {
                cut = Some(i);
            }
        }
        let cut = cut.unwrap_or(limit);
        out.push(chars[start..cut].iter().collect());
        start = cut;
    }
    out.push(chars[start..].iter().collect());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_without_trailing_zeros() {
        assert_eq!(wan(165500), "1655");
        assert_eq!(wan(21990), "219.9");
        assert_eq!(wan(1462309), "14623.09");
        assert_eq!(decimal(995, 1), "99.5");
    }

    #[test]
    fn the_same_seed_gives_the_same_document() {
        let a = generate_one(7, 3, false);
        let b = generate_one(7, 3, false);
        assert_eq!(a.bytes, b.bytes);
        assert_eq!(a.truth, b.truth);
    }
}
