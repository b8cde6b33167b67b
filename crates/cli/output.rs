//! Writing to the terminal: stdout that tolerates a closed pipe, the error
//! line on stderr, and number formats for people (the CSV files keep full
//! precision; these are for reading).

use std::io::Write;

use crate::failure::Failure;

/// Writes `text` to stdout. A closed pipe (`uchronia check m.toml | head`)
/// is not an error worth reporting, so write errors are ignored.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Prints a failure on stderr, once. Like [`print`], it ignores a closed
/// stderr (`eprintln!` would panic, and a panic while failing aborts).
pub fn error_line(failure: &Failure) {
    let _ = writeln!(std::io::stderr().lock(), "{failure}");
}

/// Prints a note on stderr (ignoring a closed stderr: a note is not worth
/// failing a command over).
pub fn note(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "note: {message}");
}

/// Prints a rendered diagnostic (a warning) on stderr (ignoring a closed
/// stderr).
pub fn diagnostic(diagnostic: &uchronia_model::Diagnostic) {
    let _ = writeln!(std::io::stderr().lock(), "{diagnostic}");
}

/// Prints a warning on stderr (ignoring a closed stderr).
pub fn warning(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "warning: {message}");
}

/// Four significant digits, positional for everyday magnitudes and
/// scientific for tiny or huge ones: `0.2500`, `1939`, `3.142e-5`.
pub fn number(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return x.to_string();
    }
    let magnitude = x.abs().log10().floor();
    if (-3.0..6.0).contains(&magnitude) {
        let decimals = (3.0 - magnitude).max(0.0) as usize;
        format!("{x:.decimals$}")
    } else {
        format!("{x:.3e}")
    }
}

/// An optional statistic: the number, or `-` when it is undefined.
pub fn maybe(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), number)
}

/// A 90% interval `[lo, hi]`, or `-` when undefined.
pub fn interval(lo: Option<f64>, hi: Option<f64>) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("[{}, {}]", number(lo), number(hi)),
        _ => "-".into(),
    }
}

/// Lays out rows as columns separated by two spaces, each column as wide as
/// its widest cell. `align` has one letter per column, `l` for left and `r`
/// for right (missing letters mean left). Every line is indented by
/// `indent` spaces; trailing spaces are trimmed.
pub fn columns(rows: &[Vec<String>], align: &str, indent: usize) -> String {
    let right: Vec<bool> = align.chars().map(|c| c == 'r').collect();
    let count = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..count)
        .map(|i| {
            rows.iter()
                .filter_map(|row| row.get(i))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in rows {
        let mut line = " ".repeat(indent);
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            // Padded by hand: `format!` widths stop at 65,535, and a cell
            // (a node's list of states) can be longer than that.
            let pad = " ".repeat(widths[i].saturating_sub(cell.chars().count()));
            if right.get(i).copied().unwrap_or(false) {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_four_significant_digits() {
        assert_eq!(number(0.25), "0.2500");
        assert_eq!(number(1939.44), "1939");
        assert_eq!(number(0.001234), "0.001234");
        assert_eq!(number(3.14159e-5), "3.142e-5");
        assert_eq!(number(-12.5), "-12.50");
        assert_eq!(number(0.0), "0");
        assert_eq!(maybe(None), "-");
    }

    #[test]
    fn columns_align_left_then_right() {
        let rows = vec![
            vec!["a".to_string(), "1".to_string()],
            vec!["long".to_string(), "100".to_string()],
        ];
        assert_eq!(columns(&rows, "lr", 2), "  a       1\n  long  100\n");
    }

    #[test]
    fn columns_wider_than_format_widths_do_not_panic() {
        let wide = "s".repeat(70_000);
        let rows = vec![
            vec![wide.clone(), "1".to_string()],
            vec!["a".to_string(), "2".to_string()],
        ];
        let text = columns(&rows, "lr", 0);
        assert_eq!(text.lines().nth(1).map(str::len), Some(70_000 + 3));
    }
}
