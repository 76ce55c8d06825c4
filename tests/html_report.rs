//! The HTML report: self-contained, escaped, and rendered by headless Chromium
//! without console errors. The Chromium part skips (with a message) only when
//! no Chromium is installed; CI installs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jixiao::record::Record;
use jixiao::sink::{self, Format, html};

use crate::common;

#[test]
fn page_is_self_contained_with_charts_tables_and_anchors() {
    let recs = common::fixture_with_findings();
    let findings: Vec<_> = recs
        .iter()
        .filter_map(|r| match r {
            Record::Finding(f) => Some(f.clone()),
            _ => None,
        })
        .collect();
    let page = html::render(&recs, &jixiao::compare::compare(&recs), &findings);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        page.matches("<svg").count(),
        2,
        "budget and score charts for the one department"
    );
    assert!(!page.contains("<script"), "no JS");
    assert!(!page.contains("<link"), "no external CSS");
    // The only URL is the SVG namespace name, which is never fetched.
    assert_eq!(
        page.matches("http").count(),
        page.matches("http://www.w3.org/2000/svg").count()
    );
    // Findings link to the source list and to the file at its page.
    assert!(page.contains("href=\"#src-"));
    assert!(page.contains("seeds/003_dc5ce954ed066415.txt#page=4"));
    assert!(page.contains("id=\"src-"));
    assert!(page.contains("score.categories") && page.contains("✗"));
    assert!(page.contains("-2.9%"));
}

#[test]
fn record_text_is_escaped() {
    let mut recs = common::fixture();
    for r in &mut recs {
        match r {
            Record::Document(d) => {
                d.department = Some("<script>alert(1)</script>".into());
                d.path = "javascript:alert(2)".into();
            }
            Record::Figure(f) => f.department = Some("<b>&dep\"</b>".into()),
            _ => {}
        }
    }
    let page = html::render(&recs, &jixiao::compare::compare(&recs), &[]);
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("&lt;b&gt;&amp;dep&quot;&lt;/b&gt;"));
    assert!(!page.contains("href=\"javascript:"));
}

fn find_chromium() -> Option<PathBuf> {
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let p = Path::new(dir).join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Runs a command with a deadline (a wedged browser must not hang the suite).
fn run(cmd: &mut Command, limit: Duration) -> (bool, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let (o, e) = (dir.path().join("out"), dir.path().join("err"));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&o).unwrap())
        .stderr(std::fs::File::create(&e).unwrap())
        .spawn()
        .expect("start chromium");
    let start = Instant::now();
    let ok = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st.success();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    (
        ok,
        std::fs::read_to_string(o).unwrap_or_default(),
        std::fs::read_to_string(e).unwrap_or_default(),
    )
}

fn chromium(bin: &Path, profile: &Path) -> Command {
    let mut c = Command::new(bin);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

#[test]
fn chromium_renders_the_report_without_console_errors() {
    let Some(bin) = find_chromium() else {
        eprintln!(
            "SKIPPED chromium_renders_the_report_without_console_errors: no chromium in PATH (apt-get install -y chromium)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    sink::write_records(Format::Html, common::fixture_with_findings(), &page).unwrap();
    let url = format!("file://{}", page.display());

    let profile = tempfile::tempdir().unwrap();
    let (ok, dom, err) = run(
        chromium(&bin, profile.path()).arg("--dump-dom").arg(&url),
        Duration::from_secs(120),
    );
    assert!(ok, "chromium --dump-dom failed:\n{err}");
    assert!(
        dom.contains("<svg") && dom.contains("chart-budget") && dom.contains("chart-score"),
        "charts in DOM"
    );
    assert!(dom.contains("衡阳市自然资源和规划局"));
    assert!(dom.contains("class=\"findings\""));
    let console: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught") || l.contains("net::ERR_"))
        .collect();
    assert!(
        console.is_empty(),
        "console errors:\n{}",
        console.join("\n")
    );

    // Screenshot, kept under target/ for a person to look at.
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report.png");
    let _ = std::fs::remove_file(&shot);
    let profile = tempfile::tempdir().unwrap();
    let (ok, _, err) = run(
        chromium(&bin, profile.path())
            .arg(format!("--screenshot={}", shot.display()))
            .arg("--window-size=1200,1800")
            .arg("--hide-scrollbars")
            .arg(&url),
        Duration::from_secs(120),
    );
    assert!(ok, "chromium --screenshot failed:\n{err}");
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot is a real PNG"
    );
    eprintln!("screenshot: {}", shot.display());
}
