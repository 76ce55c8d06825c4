//! Files under tests/expected/ that outputs must equal byte for byte, and the
//! switch that rewrites them when a change of output is meant: `JIXIAO_BLESS=1`.
//! The switch never works under CI (`CI` set): there the files are only checked.

use super::root;

const SWITCH: &str = "JIXIAO_BLESS";

/// Whether this run writes the expected files instead of checking them.
pub fn blessing() -> bool {
    let on = std::env::var_os(SWITCH).is_some_and(|v| !v.is_empty() && v != "0");
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    assert!(
        !(on && ci),
        "{SWITCH} is set under CI: expected files are checked there, never rewritten"
    );
    on
}

/// Each `(name, output)` against tests/expected/NAME, every difference reported
/// at once; with the switch on, the outputs are written there instead.
pub fn assert_outputs(outputs: &[(&str, &[u8])]) {
    let dir = root().join("tests/expected");
    if blessing() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, output) in outputs {
            std::fs::write(dir.join(name), output).unwrap();
            eprintln!("{SWITCH}: wrote tests/expected/{name}");
        }
        return;
    }
    let differences: Vec<String> = outputs
        .iter()
        .filter_map(|(name, output)| match std::fs::read(dir.join(name)) {
            Ok(expected) => {
                first_difference(&expected, output).map(|at| format!("tests/expected/{name}:{at}"))
            }
            Err(e) => Some(format!("tests/expected/{name}: {e}")),
        })
        .collect();
    let test = std::thread::current()
        .name()
        .unwrap_or_default()
        .to_string();
    assert!(
        differences.is_empty(),
        "{}\nIf the change is meant: {SWITCH}=1 cargo test --test tests {test}, then review `git diff tests/expected`",
        differences.join("\n")
    );
}

/// `LINE: expected … found …` where `output` first departs from `expected`.
fn first_difference(expected: &[u8], output: &[u8]) -> Option<String> {
    if expected == output {
        return None;
    }
    let (expected, output) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(output),
    );
    let (mut want, mut got) = (expected.lines(), output.lines());
    let mut number = 0;
    loop {
        number += 1;
        match (want.next(), got.next()) {
            (Some(w), Some(g)) if w == g => {}
            (None, None) => return Some(format!("{number}: the same lines, other line ends")),
            (w, g) => {
                return Some(format!(
                    "{number}: expected {}\n    found {}",
                    shown(w),
                    shown(g)
                ));
            }
        }
    }
}

/// A line for a message: long lines (records, HTML) cut to their start.
fn shown(line: Option<&str>) -> String {
    const LIMIT: usize = 240;
    match line {
        None => "end of file".to_string(),
        Some(line) if line.chars().count() > LIMIT => {
            format!("`{}…`", line.chars().take(LIMIT).collect::<String>())
        }
        Some(line) => format!("`{line}`"),
    }
}
