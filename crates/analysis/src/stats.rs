//! Small exact statistics: type-7 quantiles, the sample standard deviation,
//! and Chan's merge of [`Moments`].
//!
//! Each is a fixed sequence of floating-point operations over its input in
//! the order given, so the same input gives the same bits: the report's CSV
//! files are byte-identical across thread counts because of that.

use uchronia_engine::tally::Moments;

/// The type-7 quantile (linear interpolation between order statistics, the
/// default of NumPy and R) of `sorted`, which must be sorted ascending.
/// `None` for no values.
///
/// With `n` values and `h = (n - 1) q`, the answer is
/// `x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)])`.
pub fn quantile_type7(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let h = last as f64 * q.clamp(0.0, 1.0);
    let lo = (h.floor() as usize).min(last);
    let hi = (lo + 1).min(last);
    let fraction = h - lo as f64;
    Some(sorted[lo] + fraction * (sorted[hi] - sorted[lo]))
}

/// The sample standard deviation (n - 1 in the denominator), computed with
/// two passes; `None` below two values.
pub fn sample_sd(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let squares: f64 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
    Some((squares / (n - 1.0)).sqrt())
}

/// Merges per-draw moments in the order given with Chan et al.'s formula:
/// for parts `a` and `b`, `n = na + nb`, `delta = mean_b - mean_a`,
/// `mean = mean_a + delta nb / n`, `m2 = m2_a + m2_b + delta^2 na nb / n`.
/// Parts with no values are skipped.
pub fn merge_moments(parts: &[Moments]) -> Moments {
    let mut total = Moments::default();
    for part in parts.iter().filter(|m| m.count > 0) {
        if total.count == 0 {
            total = *part;
            continue;
        }
        let na = total.count as f64;
        let nb = part.count as f64;
        let count = total.count + part.count;
        let n = count as f64;
        let delta = part.mean - total.mean;
        total = Moments {
            count,
            mean: total.mean + delta * nb / n,
            m2: total.m2 + part.m2 + delta * delta * na * nb / n,
        };
    }
    total
}
