//! Bad audit rule files: every problem is reported as file:line:col, in one run.

use std::collections::HashSet;

use jixiao::rules::audit::{load_audit_rules, parse_audit_rules, starter_metrics};

use crate::common;

const BAD: &str = r#"limit = = 3
[[check]]
id = "a"
assert = "budget.total == expense.basic + expense.projct"

[[check]]
id = "b"
asert = "budget.total == 1"

[[check]]
id = "c"
assert = "budget.total == (expense.basic"

[[check]]
id = "d"
year_change = "budget.totl"
max_pct = 30
required = ["staff.nobody"]

[[check]]
id = "e"
assert = "budget.total == 1"
missing = "sometimes"

[[check]]
id = "a"
assert = 'weight.output == weights("产出指标") + staf.*'

bogus = true
"#;

#[test]
fn every_problem_reported_with_file_line_col_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let rules_dir = dir.path().join("rules");
    std::fs::create_dir(&rules_dir).unwrap();
    let path = rules_dir.join("audit.toml");
    std::fs::write(&path, BAD).unwrap();
    let errs: Vec<String> = load_audit_rules(&path, &starter_metrics())
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect();
    let shown = path.display().to_string();
    for e in &errs {
        println!("{e}");
        assert!(e.starts_with(&format!("{shown}:")), "{e}");
    }
    let has = |loc: &str, text: &str| {
        errs.iter()
            .any(|e| e.starts_with(&format!("{shown}:{loc}: ")) && e.contains(text))
    };
    // unknown metric inside an expression: column of the name
    assert!(has("4:43", "unknown metric `expense.projct`"), "{errs:#?}");
    // unknown key (serde deny_unknown_fields)
    assert!(has("8:1", "unknown field `asert`"), "{errs:#?}");
    // bad expression: where it ends too early
    assert!(has("12:41", "bad expression"), "{errs:#?}");
    // unknown metric as a plain value and in a list
    assert!(has("16:15", "unknown metric `budget.totl`"), "{errs:#?}");
    assert!(has("18:13", "unknown metric `staff.nobody`"), "{errs:#?}");
    // bad enum value
    assert!(has("23:11", "sometimes"), "{errs:#?}");
    // duplicate id
    assert!(has("26:6", "duplicate check id `a`"), "{errs:#?}");
    // a prefix outside sum(): bad expression
    assert!(has("27:46", "only allowed inside sum"), "{errs:#?}");
    // a second unknown key in the same check as the duplicate id
    assert!(has("29:1", "unknown field `bogus`"), "{errs:#?}");
    // syntax error, and the unknown top-level key it sits on
    assert!(has("1:9", "extra `=`"), "{errs:#?}");
    assert!(has("1:1", "unknown key `limit`"), "{errs:#?}");
}

#[test]
fn syntax_error_alone_is_located() {
    let errs =
        parse_audit_rules("[[check]\nid = 1\n", "rules/audit.toml", &HashSet::new()).unwrap_err();
    assert!(
        errs[0].to_string().starts_with("rules/audit.toml:1:"),
        "{errs:#?}"
    );
}

#[test]
fn shipped_rules_are_valid_and_reject_an_unknown_vocabulary() {
    let rules = common::rules();
    assert!(rules.checks.len() >= 14);
    // Without the staff categories in the vocabulary, `staff.*` still matches
    // staff.total, but the listed metrics elsewhere must be known.
    let mut known = starter_metrics();
    known.remove("three_public.abroad");
    let errs = load_audit_rules(&common::root().join("rules/audit.toml"), &known).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let shown = errs[0].to_string();
    assert!(shown.contains("rules/audit.toml:") && shown.contains("three_public.abroad"));
}

/// `jixiao rules check` on a units.toml with a unit of an unknown kind, a
/// factor that is no number, a factor of zero and a measure word with an
/// unknown key: each is reported at its own file:line:col, in one run.
#[test]
fn rules_check_rejects_bad_unit_families_with_file_line_col() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::root().join("rules")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let path = dir.path().join("units.toml");
    let shipped = std::fs::read_to_string(&path).unwrap();
    let broken = format!(
        "{shipped}\n[[unit]]\nword = \"光年\"\nkind = \"distance\"\nunit = \"光年\"\n\n\
         [[unit]]\nword = \"英里\"\nkind = \"length\"\nunit = \"公里\"\nfactor = \"1.6x\"\n\n\
         [[unit]]\nword = \"海里\"\nkind = \"length\"\nunit = \"公里\"\nfactor = \"0\"\n"
    )
    .replacen("{ word = \"盏\",", "{ word = \"盏\", colour = \"red\",", 1);
    std::fs::write(&path, &broken).unwrap();
    let out = std::process::Command::new(common::bin())
        .args(["rules", "check", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line_of = |needle: &str| broken.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let reported = |line: usize, col: usize, text: &str| {
        stderr
            .lines()
            .any(|l| l.contains(&format!("units.toml:{line}:{col}: ")) && l.contains(text))
    };
    assert!(
        reported(line_of("kind = \"distance\""), 8, "unknown kind `distance`"),
        "{stderr}"
    );
    assert!(
        reported(line_of("factor = \"1.6x\""), 10, "not a decimal number"),
        "{stderr}"
    );
    assert!(
        reported(line_of("factor = \"0\""), 10, "must be above zero"),
        "{stderr}"
    );
    assert!(
        reported(line_of("colour = \"red\""), 17, "unknown key `colour`"),
        "{stderr}"
    );
}

/// A check's scope decides the names it may use: a form's cells in a form
/// check, a row's weight and score in an indicator check, metrics in a
/// document's; a scope that is none of these is located too.
#[test]
fn scoped_checks_know_their_own_names() {
    let src = r#"[[check]]
id = "a"
scope = "form"
assert = "funds.total.rate == funds.total.executed / budget.total * 100"

[[check]]
id = "b"
scope = "indicator"
assert = "indicator.score <= funds.total.weight"

[[check]]
id = "c"
scope = "page"
assert = "budget.total == 1"

[[check]]
id = "d"
scope = "form"
year_change = "budget.total"
max_pct = 30

[[check]]
id = "e"
scope = "form"
assert = "form.total_score == scores() + funds.total.score"
"#;
    let errs: Vec<String> = parse_audit_rules(src, "rules/audit.toml", &starter_metrics())
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect();
    let expected_starts = [
        "rules/audit.toml:4:54: unknown metric `budget.total`",
        "rules/audit.toml:9:30: unknown metric `funds.total.weight`",
        "rules/audit.toml:13:9: unknown variant `page`",
        "rules/audit.toml:18:9: `year_change` checks compare documents",
    ];
    assert_eq!(errs.len(), expected_starts.len(), "{errs:#?}");
    for (err, start) in errs.iter().zip(expected_starts) {
        assert!(err.starts_with(start), "{err} does not start with {start}");
    }
}
