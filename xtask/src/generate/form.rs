//! The form seed varied: a tab-separated 部门整体支出绩效自评表 whose amounts
//! still add up and whose row scores still sum to its 总分 row.

use std::fmt::Write as _;

use regex::Regex;

use super::{Draft, Rng, SEED_DEPARTMENT, decimal, label, value_of, wan, yuan};

const SEED: &str = include_str!("../../../corpus/2022_form.txt");

pub(super) const DOC_KIND: &str = "overall_self_eval_form";

/// The form for `department` and `year`, with the metrics it states.
pub(super) fn vary(rng: &mut Rng, department: &str, year: i32) -> Draft {
    let mut draft = Draft::new(SEED.replace(SEED_DEPARTMENT, department));
    draft.sub("2022 年度", &format!("{year} 年度"));
    draft.sub("2022年共受理", &format!("{year}年共受理"));
    draft.sub("2023-3-27", &format!("{}-3-27", year + 1));
    if rng.chance(30) {
        draft.sub("\n部门整体支出绩效自评表\n", "\n部门绩效自评表\n");
    }
    let budget = Budget::draw(rng);
    budget.write(rng, &mut draft);
    draft.set("weight.output", 50.0);
    draft.set("weight.benefit", 40.0);
    vary_scores(rng, &mut draft);
    draft
}

/// The form's amounts, in hundredths of 万元: the income parts sum to the
/// total, and basic + project = total.
struct Budget {
    total: i64,
    special: Option<i64>,
    other: Option<i64>,
    general: i64,
    gov_fund: i64,
    upper: i64,
    basic: i64,
    project: i64,
    executed: i64,
    /// Execution rate in hundredths of a percent.
    rate: i64,
}

impl Budget {
    fn draw(rng: &mut Rng) -> Budget {
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
        let basic = rng.share(total, 35, 65);
        let executed = rng.share(total, 80, 130);
        Budget {
            total,
            special,
            other,
            general,
            gov_fund,
            upper: rest - general - gov_fund,
            basic,
            project: total - basic,
            executed,
            // Rounded half up.
            rate: (executed * 10_000 * 2 + total) / (total * 2),
        }
    }

    /// Writes the amounts into the form's budget rows, a label wording drawn per row.
    fn write(&self, rng: &mut Rng, draft: &mut Draft) {
        let total_label = label(rng, "budget.total.form");
        draft.sub(
            "资金总额：14623.09 万元\t18651.39 万元\t127.55%",
            &format!(
                "{total_label}：{} 万元\t{} 万元\t{}%",
                wan(self.total),
                wan(self.executed),
                decimal(self.rate, 2)
            ),
        );
        let general_label = label(rng, "income.general_budget");
        draft.sub(
            "其中：一般公共预算收入：11768.09 万元\t其中：基本支出：7301.64 万元",
            &format!(
                "其中：{general_label}：{} 万元\t其中：基本支出：{} 万元",
                wan(self.general),
                wan(self.basic)
            ),
        );
        let fund_label = label(rng, "income.gov_fund");
        draft.sub(
            "政府性基金拨款：1655 万元\t项目支出：7321.45 万元",
            &format!(
                "{fund_label}：{} 万元\t项目支出：{} 万元",
                wan(self.gov_fund),
                wan(self.project)
            ),
        );
        if let Some(v) = self.special {
            draft.sub(
                "纳入专户管理的非税收入拨款：",
                &format!("纳入专户管理的非税收入拨款：{} 万元", wan(v)),
            );
            draft.set("income.special_account", yuan(v));
        }
        let upper_label = label(rng, "income.upper_subsidy");
        draft.sub(
            "上级财政补助收入：1200 万元",
            &format!("{upper_label}：{} 万元", wan(self.upper)),
        );
        if let Some(v) = self.other {
            draft.sub("其他资金：", &format!("其他资金：{} 万元", wan(v)));
            draft.set("income.other", yuan(v));
        }
        draft.set("budget.total", yuan(self.total));
        draft.set("budget.executed", yuan(self.executed));
        draft.set("budget.execution_rate", value_of(self.rate, 2));
        draft.set("income.general_budget", yuan(self.general));
        draft.set("income.gov_fund", yuan(self.gov_fund));
        draft.set("income.upper_subsidy", yuan(self.upper));
        draft.set("expense.basic", yuan(self.basic));
        draft.set("expense.project", yuan(self.project));
    }
}

/// Some rows lose points; the 总分 row becomes the sum of the 得分 cells.
fn vary_scores(rng: &mut Rng, draft: &mut Draft) {
    let cells = Regex::new(r"\t(\d+)\t(\d+)(\t*)$").expect("static regex");
    let mut out = String::with_capacity(draft.text.len());
    let mut score_tenths = 0i64;
    let mut budget_execution = None;
    for line in draft.text.split_inclusive('\n') {
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
                    budget_execution = Some(got);
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
    draft.text = out;
    if let Some(got) = budget_execution {
        draft.set("score.budget_execution", value_of(got, 1));
    }
    draft.sub(
        "总分\t\t\t\t\t100\t100\t",
        &format!("总分\t\t\t\t\t100\t{}\t", decimal(score_tenths, 1)),
    );
    draft.set("score.total", value_of(score_tenths, 1));
}
