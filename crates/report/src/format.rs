//! Numbers for people, shared by the charts and the summaries: percentages
//! of a probability, signed percentage points of a difference, and plain
//! values with four significant digits. The CSV and Parquet tables keep
//! full precision; these are for reading.

/// A probability as a percentage: `63.2%`, `0.45%`, `<0.01%`, `>99.99%`.
pub fn percent(p: f64) -> String {
    if !p.is_finite() {
        return "-".into();
    }
    let v = 100.0 * p;
    if v == 0.0 {
        "0%".into()
    } else if v == 100.0 {
        "100%".into()
    } else if v < 0.01 {
        "<0.01%".into()
    } else if v > 99.99 {
        ">99.99%".into()
    } else if !(1.0..=99.0).contains(&v) {
        format!("{v:.2}%")
    } else {
        format!("{v:.1}%")
    }
}

/// An optional probability as a percentage, `-` when undefined.
pub fn maybe_percent(p: Option<f64>) -> String {
    p.map_or_else(|| "-".into(), percent)
}

/// A difference of probabilities in signed percentage points: `+12.3 pp`,
/// `-0.40 pp`, `0 pp`.
pub fn points(d: f64) -> String {
    if !d.is_finite() {
        return "-".into();
    }
    let v = 100.0 * d;
    if v == 0.0 {
        "0 pp".into()
    } else if v.abs() < 1.0 {
        format!("{v:+.2} pp")
    } else {
        format!("{v:+.1} pp")
    }
}

/// A difference in signed percentage points without the unit: `+12.3`.
pub fn points_bare(d: f64) -> String {
    points(d).trim_end_matches(" pp").to_string()
}

/// An optional difference in percentage points, `-` when undefined.
pub fn maybe_points(d: Option<f64>) -> String {
    d.map_or_else(|| "-".into(), points)
}

/// A value for reading: whole numbers as they are (`1937`), others with
/// four significant digits but at least one decimal (`0.2500`, `1939.6`),
/// scientific for tiny or huge ones (`3.142e-5`).
pub fn number(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return "-".into();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return count_i64(x as i64);
    }
    let magnitude = x.abs().log10().floor();
    if (-3.0..6.0).contains(&magnitude) {
        let decimals = (3.0 - magnitude).max(1.0) as usize;
        format!("{x:.decimals$}")
    } else {
        format!("{x:.3e}")
    }
}

/// A count with thousands separators: `10,000,000`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn count_i64(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    // Years read better without a separator.
    if n.unsigned_abs() < 10_000 {
        return n.to_string();
    }
    format!("{sign}{}", count(n.unsigned_abs()))
}

/// An optional value with four significant digits, `-` when undefined.
pub fn maybe_number(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), number)
}

/// An axis tick of a probability axis whose ticks are `step` apart, as a
/// percentage with as many decimals as the step needs: `20%`, `2.5%`.
pub fn percent_tick(p: f64, step: f64) -> String {
    let decimals = decimals_for(100.0 * step);
    format!("{:.*}%", decimals, 100.0 * p)
}

/// An axis tick of a difference axis, in signed percentage points.
pub fn points_tick(d: f64, step: f64) -> String {
    let decimals = decimals_for(100.0 * step);
    let v = 100.0 * d;
    if v.abs() < 1e-12 {
        return "0".into();
    }
    format!("{v:+.decimals$}")
}

/// An axis tick of a plain value axis with ticks `step` apart.
pub fn value_tick(x: f64, step: f64) -> String {
    let decimals = decimals_for(step);
    let text = format!("{x:.decimals$}");
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        return "0".into();
    }
    text
}

/// Decimals needed to tell ticks `step` apart.
fn decimals_for(step: f64) -> usize {
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    let decimals = -step.log10().floor();
    // 2.5 needs one more than its power of ten.
    let extra = if (step / 10f64.powf(step.log10().floor()) - 2.5).abs() < 1e-9 {
        1.0
    } else {
        0.0
    };
    (decimals + extra).clamp(0.0, 6.0) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_read_as_percentages() {
        assert_eq!(percent(0.632), "63.2%");
        assert_eq!(percent(0.0045), "0.45%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1e-7), "<0.01%");
        assert_eq!(percent(0.999_999), ">99.99%");
        assert_eq!(percent(0.995), "99.50%");
        assert_eq!(maybe_percent(None), "-");
    }

    #[test]
    fn differences_read_as_signed_points() {
        assert_eq!(points(0.123), "+12.3 pp");
        assert_eq!(points(-0.004), "-0.40 pp");
        assert_eq!(points(0.0), "0 pp");
    }

    #[test]
    fn ticks_have_the_decimals_their_step_needs() {
        assert_eq!(percent_tick(0.2, 0.1), "20%");
        assert_eq!(percent_tick(0.025, 0.005), "2.5%");
        assert_eq!(points_tick(-0.1, 0.05), "-10");
        assert_eq!(points_tick(0.0, 0.05), "0");
        assert_eq!(value_tick(1940.0, 5.0), "1940");
        assert_eq!(value_tick(0.25, 0.05), "0.25");
        assert_eq!(number(1939.44), "1939.4");
        assert_eq!(number(1937.0), "1937");
        assert_eq!(number(0.25), "0.2500");
        assert_eq!(number(123456.0), "123,456");
        assert_eq!(count(10_000_000), "10,000,000");
        assert_eq!(count(999), "999");
        assert_eq!(points_bare(0.05), "+5.0");
    }
}
