//! What a document says about itself: its kind, department, year and title,
//! from the title area first, then the body (patterns in `rules/document.toml`).

use super::Context;
use crate::rules::DocKind;

/// What a document says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocInfo {
    pub doc_kind: Option<DocKind>,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub title: Option<String>,
}

/// Kind, department, year and title, from the title area first, then the body.
pub(super) fn document_info(ctx: &Context) -> DocInfo {
    let body: Vec<usize> = (0..ctx.lines.len())
        .filter(|&i| !ctx.lines[i].furniture && !ctx.line_text(i).trim().is_empty())
        .collect();
    let title_area = &body[..body.len().min(ctx.rules.document.title_lines)];
    let mut info = DocInfo::default();
    let mut kind_line = None;
    'kinds: for (kind, pattern) in &ctx.rules.document.doc_kinds {
        for (k, &i) in title_area.iter().enumerate() {
            if pattern.is_match(ctx.line_text(i)) {
                info.doc_kind = Some(*kind);
                kind_line = Some(k);
                break 'kinds;
            }
        }
    }
    let find_capture = |patterns: &[regex::Regex], name: &str| -> Option<String> {
        for area in [title_area, &body[..]] {
            for pattern in patterns {
                for &i in area {
                    let start = ctx.lines[i].start;
                    if let Some(m) = pattern
                        .captures(ctx.line_text(i))
                        .and_then(|c| c.name(name))
                    {
                        let found = ctx.original_name(start + m.start(), start + m.end());
                        return Some(without_title_words(
                            &found,
                            &ctx.rules.document.not_in_names,
                        ));
                    }
                }
            }
        }
        None
    };
    info.department = find_capture(&ctx.rules.document.department, "name")
        .or_else(|| find_capture(&ctx.rules.document.department_fallback, "name"));
    info.year = find_capture(&ctx.rules.document.year, "year").and_then(|y| y.parse().ok());
    info.title = kind_line
        .map(|k| title(ctx, title_area, k))
        .or_else(|| ctx.doc.metadata_title.clone())
        .or_else(|| body.first().map(|&i| whole_line(ctx, i)));
    info
}

/// A name caught with the title before it (…绩效自评报告衡山县妇幼保健…中心):
/// the name starts after the title's last word (`not_in_names`). The words
/// are found in the folded copy, one character for one, so they match the
/// traditional spelling too.
fn without_title_words(name: &str, words: &[String]) -> String {
    let folded: Vec<char> = crate::source::NormalizedText::folded(name)
        .chars()
        .collect();
    let original: Vec<char> = name.chars().collect();
    if folded.len() != original.len() {
        return name.to_string();
    }
    let folded: String = folded.iter().collect();
    let cut = words
        .iter()
        .filter_map(|w| {
            folded
                .rfind(w.as_str())
                .map(|at| folded[..at].chars().count() + w.chars().count())
        })
        .max()
        .filter(|&at| at < original.len());
    match cut {
        Some(at) => original[at..].iter().collect(),
        None => name.to_string(),
    }
}

fn whole_line(ctx: &Context, i: usize) -> String {
    let line = &ctx.lines[i];
    ctx.original_name(line.start, line.end)
}

/// The title on line `k` of the title area, with the short line above it when
/// that is the first half of a title broken in two (衡阳市…局2024年度 / 部门整体支出…报告).
fn title(ctx: &Context, title_area: &[usize], k: usize) -> String {
    let mut title = whole_line(ctx, title_area[k]);
    if k > 0 {
        let previous = title_area[k - 1];
        let text = ctx.line_text(previous).trim();
        let short = text.chars().count() <= 30;
        let sentence = text.contains(['。', ',', ';', ':']);
        if short && !sentence && !text.starts_with("附件") && !title.contains(text) {
            title = format!("{}{}", whole_line(ctx, previous), title);
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::super::tests::run;
    use crate::rules::DocKind;

    #[test]
    fn title_department_year_and_kind() {
        let out = run("衡阳市自然资源和规划局2024年度\n\n部门整体支出绩效评价报告\n\n正文");
        assert_eq!(out.info.doc_kind, Some(DocKind::OverallEvalReport));
        assert_eq!(
            out.info.department.as_deref(),
            Some("衡阳市自然资源和规划局")
        );
        assert_eq!(out.info.year, Some(2024));
        assert_eq!(
            out.info.title.as_deref(),
            Some("衡阳市自然资源和规划局2024年度部门整体支出绩效评价报告")
        );
    }

    #[test]
    fn a_year_field_comes_before_the_dates_of_filling_in() {
        // Traditional text with pinyin glosses, as reposting sites write it.
        let out = run("項目支出績效自評報告\n評(píng)價(jià)年度:2022\n填報日期:2023年4月25日\n");
        assert_eq!(out.info.year, Some(2022));
        let out = run("项目支出绩效自评报告\n评价年度：2021\n填报日期：2022年3月1日\n");
        assert_eq!(out.info.year, Some(2021));
        // A year written before 年度 is no field: the title's year stands.
        let out = run("2020年度项目支出绩效自评表\n填报日期：2021年3月1日\n");
        assert_eq!(out.info.year, Some(2020));
    }

    #[test]
    fn department_names_keep_organisation_words_inside_them() {
        for name in [
            "岳阳市人力资源和社会保障局",
            "某县人民政府办公室",
            "衡阳市自然资源和规划局",
        ] {
            let title = format!("{name}2023年度\n\n部门整体支出绩效评价报告\n");
            assert_eq!(run(&title).info.department.as_deref(), Some(name));
            let form = format!("部门整体支出绩效自评表\n填报单位：(盖章) {name} (2023 年度)\n");
            assert_eq!(run(&form).info.department.as_deref(), Some(name));
            let row = format!("部门整体支出绩效自评表\n部门名称\t{name}\t执行数\n");
            assert_eq!(run(&row).info.department.as_deref(), Some(name));
        }
        let joined = run("衡阳市自然资源和规划局部门整体支出绩效评价报告\n");
        assert_eq!(
            joined.info.department.as_deref(),
            Some("衡阳市自然资源和规划局")
        );
    }
}
