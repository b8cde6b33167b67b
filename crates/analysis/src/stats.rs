//! Small exact statistics: type-7 quantiles, the sample standard deviation,
//! Chan's merge of [`Moments`], average ranks and Spearman's rank correlation.
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

/// The ranks of `values`, 1-based, with tied values given the average of the
/// ranks they share (`[10, 20, 20, 30]` ranks as `[1, 2.5, 2.5, 4]`). Values
/// are ordered with `f64::total_cmp`, so the answer is defined for any input.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]].total_cmp(&values[order[start]]).is_eq() {
            end += 1;
        }
        // Positions start..end hold ranks start + 1 ..= end; their mean:
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

/// Pearson's correlation of `x` and `y` (two passes). `None` when the
/// lengths differ, below two pairs, or when either side does not vary.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.len() != y.len() || x.len() < 2 {
        return None;
    }
    let n = x.len() as f64;
    let mean_x = x.iter().sum::<f64>() / n;
    let mean_y = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mean_x, b - mean_y);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    // One square root of the product is exact for identical rankings (r = 1
    // exactly); the split form only guards against overflow.
    let norm = match (sxx * syy).sqrt() {
        norm if norm.is_finite() => norm,
        _ => sxx.sqrt() * syy.sqrt(),
    };
    Some((sxy / norm).clamp(-1.0, 1.0))
}

/// Spearman's rank correlation: Pearson's correlation of the average ranks
/// ([`average_ranks`]), which handles ties exactly. `None` when the lengths
/// differ, below two pairs, when either side is constant, or when a value is
/// NaN.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    if x.iter().chain(y).any(|v| v.is_nan()) {
        return None;
    }
    pearson(&average_ranks(x), &average_ranks(y))
}

/// `z_{0.995}`: the standard normal quantile that leaves 0.5% in each tail.
pub const Z_995: f64 = 2.575_829_303_548_901;

/// The 99% noise bound of Spearman's rank correlation over `n` draws:
/// under independence `rho` is close to normal with variance `1 / (n - 1)`,
/// so `|rho| > z_{0.995} / sqrt(n - 1)` happens by chance in 1% of cases.
/// `None` below 3 draws, where no correlation means anything.
pub fn noise_bound(n: usize) -> Option<f64> {
    (n >= 3).then(|| Z_995 / ((n - 1) as f64).sqrt())
}

/// Whether a rank correlation over `n` draws lies beyond [`noise_bound`].
pub fn beyond_noise(rho: Option<f64>, n: usize) -> bool {
    match (rho, noise_bound(n)) {
        (Some(rho), Some(bound)) => rho.abs() > bound,
        _ => false,
    }
}
