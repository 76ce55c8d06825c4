//! Synthetic archives: many reports varied from the two seed templates in
//! `corpus/`, each with the ground truth it was written from.
//!
//! Real archives cannot be published with a gold file per document, so scale
//! tests and benchmarks need documents whose every metric is known. The seeds
//! are kept nearly verbatim (their prose is what the rules were written
//! against); only departments, years, the figures that carry metrics and the
//! wording of their labels change, and the figures are drawn so that parts
//! still add up to their totals (the audit checks the same sums).

mod form;
mod pdf;
mod report;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

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
struct GeneratedDoc {
    bytes: Vec<u8>,
    truth: Truth,
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

/// One of the wordings [`LABEL_VARIANTS`] lists for `key`.
fn label(rng: &mut Rng, key: &str) -> &'static str {
    let variants = LABEL_VARIANTS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("no label variants for {key}"));
    rng.pick::<&'static str>(variants)
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

/// A seed's text being varied, with the metrics it states so far.
struct Draft {
    text: String,
    metrics: BTreeMap<String, f64>,
}

impl Draft {
    fn new(text: String) -> Draft {
        Draft {
            text,
            metrics: BTreeMap::new(),
        }
    }

    /// Replaces the one occurrence of `old`; the seeds are fixed, so a miss is a bug here.
    fn sub(&mut self, old: &str, new: &str) {
        let at = self
            .text
            .find(old)
            .unwrap_or_else(|| panic!("seed text changed: `{old}` not found"));
        self.text.replace_range(at..at + old.len(), new);
    }

    /// Records what the text now states for `metric`, in its canonical unit.
    fn set(&mut self, metric: &str, value: f64) {
        self.metrics.insert(metric.to_string(), value);
    }
}

/// Generates document `index` of the archive `seed`.
fn generate_one(seed: u64, index: u64, pdf: bool) -> GeneratedDoc {
    let mut rng = Rng::new(seed, index);
    let department = format!("{}{}", rng.pick(PLACES), rng.pick(OFFICES));
    let year = rng.range(2019, 2025) as i32;
    let form = rng.chance(50);
    let (draft, doc_kind) = if form {
        (form::vary(&mut rng, &department, year), form::DOC_KIND)
    } else {
        (report::vary(&mut rng, &department, year), report::DOC_KIND)
    };
    let stem = format!("{index:06}_{}", if form { "form" } else { "report" });
    let (bytes, format, encoding, pages) = if pdf {
        let (bytes, pages) = pdf::pdf_bytes(&draft.text);
        (bytes, "pdf", "pdf".to_string(), pages)
    } else {
        let (bytes, encoding) = encode_txt(&mut rng, &draft.text);
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
            metrics: draft.metrics,
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
