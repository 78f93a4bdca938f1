//! Plain-text tables: columns padded to their widest cell, so they read in a terminal and in
//! the book. A column is padded to at most `MAX_PADDED` characters: one very long cell
//! overflows its column instead of padding every other row to its width, so a table's size
//! stays linear in its cells.

/// Cells wider than this are written whole but do not widen their column.
const MAX_PADDED: usize = 100;

pub use crate::format::display_width;

/// The rows (the first is the header, underlined) as text.
pub fn render_table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width = |s: &String| display_width(s);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(width).filter(|w| *w <= MAX_PADDED).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| format!("{s}{}", " ".repeat(widths[c].saturating_sub(width(s)))))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_and_long_cells_overflow() {
        let rows =
            vec![vec!["#".to_string(), "node".into()], vec!["1".into(), "x".into()], vec!["2".into(), "y".repeat(150)]];
        let text = render_table(&rows);
        assert_eq!(text.lines().next(), Some("#  node"));
        assert_eq!(text.lines().nth(2), Some("1  x"));
        assert_eq!(text.lines().nth(3).map(str::len), Some(153));
    }
}
