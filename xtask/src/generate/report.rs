//! The narrative seed varied: a 部门整体支出绩效评价报告 whose staff counts,
//! income, expenses, 三公 spending, project items and scores are redrawn so
//! that parts still add up to their totals.

use regex::Regex;

use super::{Draft, Rng, SEED_DEPARTMENT, decimal, label, value_of, wan, yuan};

const SEED: &str = include_str!("../../../corpus/2024_report.txt");

pub(super) const DOC_KIND: &str = "overall_eval_report";

/// The report for `department` and `year`, with the metrics it states.
pub(super) fn vary(rng: &mut Rng, department: &str, year: i32) -> Draft {
    let mut draft = Draft::new(seed_for(department, year));
    if rng.chance(40) {
        draft.sub("部门整体支出绩效评价报告", "部门整体支出绩效自评报告");
    }
    vary_staff(rng, &mut draft);
    let total = vary_income(rng, &mut draft);
    let project = vary_basic_expenses(rng, &mut draft, total);
    vary_three_public(rng, &mut draft);
    vary_projects(rng, &mut draft, project);
    vary_scores(rng, &mut draft);
    draft
}

/// The seed renamed and moved to `year`: the report year, the year before
/// (earlier plans) and the signing date after.
fn seed_for(department: &str, year: i32) -> String {
    SEED.replace(SEED_DEPARTMENT, department)
        .replace("2025年2月21日", "\u{1}NEXT年2月21日")
        .replace("2023年", "\u{1}PREV年")
        .replace("2024", &year.to_string())
        .replace("\u{1}NEXT", &(year + 1).to_string())
        .replace("\u{1}PREV", &(year - 1).to_string())
}

/// The staff categories add up to the total.
fn vary_staff(rng: &mut Rng, draft: &mut Draft) {
    let admin = rng.range(10, 150);
    let civil = rng.range(1, 80);
    let institution = rng.range(20, 400);
    let staff = admin + civil + institution;
    let retired = rng.range(20, 400);
    draft.sub(
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
        draft.set(k, v as f64);
    }
}

/// Fiscal + other = total; returns the total (hundredths of 万元).
fn vary_income(rng: &mut Rng, draft: &mut Draft) -> i64 {
    let total = rng.range(200_000, 6_000_000);
    let fiscal = rng.share(total, 90, 99);
    let other = total - fiscal;
    draft.sub(
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
    draft.set("budget.total", yuan(total));
    draft.set("income.fiscal_appropriation", yuan(fiscal));
    draft.set("income.other", yuan(other));
    total
}

/// Basic + project = total, personnel + public = basic; returns the project
/// expenses (hundredths of 万元).
fn vary_basic_expenses(rng: &mut Rng, draft: &mut Draft, total: i64) -> i64 {
    let basic = rng.share(total, 40, 70);
    let project = total - basic;
    let personnel = rng.share(basic, 70, 90);
    let public = basic - personnel;
    draft.sub(
        "财政拨款基本支出8931.7万元",
        &format!("{}{}万元", label(rng, "expense.basic"), wan(basic)),
    );
    draft.sub(
        "等人员经费支出7220.38万元",
        &format!(
            "等{}{}万元",
            label(rng, "expense.personnel"),
            wan(personnel)
        ),
    );
    draft.sub(
        "工会经费等经费支出1711.32万元",
        &format!("工会经费等经费支出{}万元", wan(public)),
    );
    if rng.chance(50) {
        // The short form: 公用经费 right before its amount.
        draft.sub("公用经费支出主要用于", "公用经费主要用于");
    }
    draft.set("expense.basic", yuan(basic));
    draft.set("expense.personnel", yuan(personnel));
    draft.set("expense.public", yuan(public));
    project
}

/// 三公: actual ≤ budget, and the parts add up to the actual.
fn vary_three_public(rng: &mut Rng, draft: &mut Draft) {
    let budget = rng.range(3_000, 40_000);
    let actual = rng.share(budget, 40, 95);
    let vehicle = rng.share(actual, 55, 90);
    let abroad = if rng.chance(30) {
        Some(rng.share(actual - vehicle, 20, 60))
    } else {
        None
    };
    let reception = actual - vehicle - abroad.unwrap_or(0);
    let abroad_text = abroad.map_or(String::new(), |v| {
        format!("、{}{}万元", label(rng, "three_public.abroad"), wan(v))
    });
    draft.sub(
        "“三公”经费预算为111万元，“三公”经费支出为65.53万元。主要用于公务用车运行维护费63.27万元、公务接待费2.26万元。",
        &format!(
            "{}为{}万元，{}为{}万元。主要用于{}{}万元、{}{}万元{abroad_text}。",
            label(rng, "three_public.budget"),
            wan(budget),
            label(rng, "three_public.actual"),
            wan(actual),
            label(rng, "three_public.vehicle"),
            wan(vehicle),
            label(rng, "three_public.reception"),
            wan(reception),
        ),
    );
    draft.set("three_public.budget", yuan(budget));
    draft.set("three_public.actual", yuan(actual));
    draft.set("three_public.vehicle", yuan(vehicle));
    draft.set("three_public.reception", yuan(reception));
    if let Some(v) = abroad {
        draft.set("three_public.abroad", yuan(v));
    }
}

/// Business + operation = project, and the listed items add up to business.
fn vary_projects(rng: &mut Rng, draft: &mut Draft, project: i64) {
    let business = rng.share(project, 60, 90);
    let operation = project - business;
    draft.sub(
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
    draft.sub(
        "运行维护专项支出1084.6万元\n",
        &format!("运行维护专项支出{}万元\n", wan(operation)),
    );
    draft.sub(
        "自然资源事务支出1084.6万元",
        &format!("自然资源事务支出{}万元", wan(operation)),
    );
    draft.text = scale_items(&draft.text, business);
    draft.set("expense.project", yuan(project));
    draft.set("expense.project.business", yuan(business));
    draft.set("expense.project.operation", yuan(operation));
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

/// The categories (in tenths of a point) add up to the total score; the
/// execution rate is drawn on its own.
fn vary_scores(rng: &mut Rng, draft: &mut Draft) {
    // (seed wording, the words kept before the score, its metric, its full marks)
    const CATEGORIES: [(&str, &str, &str, i64); 5] = [
        ("预算执行10分", "预算执行", "score.budget_execution", 100),
        ("成本指标得20分", "成本指标得", "score.cost", 200),
        ("产出指标得20分", "产出指标得", "score.output", 200),
        ("效益指标得40分", "效益指标得", "score.benefit", 400),
        ("满意度得10分", "满意度得", "score.satisfaction", 100),
    ];
    let parts: Vec<i64> = CATEGORIES
        .iter()
        .map(|(_, _, _, max)| max - *rng.pick(&[0, 0, 5, 10, 20, 30]))
        .collect();
    let score_total: i64 = parts.iter().sum();
    draft.sub(
        "自评得分为99分",
        &format!(
            "{}为{}分",
            label(rng, "score.total"),
            decimal(score_total, 1)
        ),
    );
    for ((seed, words, metric, _), tenths) in CATEGORIES.iter().zip(&parts) {
        draft.sub(seed, &format!("{words}{}分", decimal(*tenths, 1)));
        draft.set(metric, value_of(*tenths, 1));
    }
    let rate = rng.range(8_000, 18_000);
    draft.sub(
        "预算完成率166%",
        &format!(
            "{}{}%",
            label(rng, "budget.execution_rate"),
            decimal(rate, 2)
        ),
    );
    draft.set("score.total", value_of(score_total, 1));
    draft.set("budget.execution_rate", value_of(rate, 2));
}
