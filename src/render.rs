//! Text for people, shared by compare's and audit's tables and the HTML
//! report: numbers as their exact decimals, columns aligned by display width.

use unicode_width::UnicodeWidthStr;

use crate::figures::to_decimal;

/// A value as people read it: the exact decimal of its shortest form (no `1e7`).
pub fn format_number(v: f64) -> String {
    to_decimal(v)
        .map(|d| d.to_string())
        .unwrap_or_else(|| v.to_string())
}

/// Aligns columns by display width; columns from `first_numeric` on are
/// right-aligned (numbers read better that way), the last one left-aligned.
pub fn aligned_table(head: &[String], body: &[Vec<String>], first_numeric: usize) -> String {
    let n = head.len();
    let mut widths: Vec<usize> = head.iter().map(|h| h.width()).collect();
    for row in body {
        for (i, c) in row.iter().enumerate().take(n) {
            widths[i] = widths[i].max(c.width());
        }
    }
    let mut out = String::new();
    let line = |cells: &[String], out: &mut String| {
        let mut parts = Vec::with_capacity(n);
        for (i, c) in cells.iter().enumerate().take(n) {
            let pad = " ".repeat(widths[i].saturating_sub(c.width()));
            let right = i >= first_numeric && i + 1 < n;
            parts.push(if right {
                format!("{pad}{c}")
            } else if i + 1 == n {
                c.clone()
            } else {
                format!("{c}{pad}")
            });
        }
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(head, &mut out);
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    out.push_str(rule.join("  ").trim_end());
    out.push('\n');
    for row in body {
        line(row, &mut out);
    }
    out
}
