//! The fan chart of an outcome that is a year (issue 12, item 6), end to
//! end on tests/models/fan.toml, whose P(by year Y) is known exactly: the
//! means of fan.csv within four standard errors, the 90% band around the
//! truth, the chart written beside the pooled CDF and listed in the
//! manifest, and shards merged to the same bytes.

use std::path::Path;

use crate::util::{arg, csv, model, temp, uchronia};

const SIZE: [&str; 6] = ["--trials", "400000", "--draws", "200", "--seed", "5"];

fn run_fan(out: &Path, extra: &[&str]) {
    let fan = model("fan");
    let mut args = vec!["run", fan.as_str(), "--quiet", "--out", arg(out)];
    args.extend(SIZE);
    args.extend(extra);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
}

/// The rows of fan.csv for `outcome` in `scenario`: (year, p_mean, mc_se,
/// p_q05, p_q95).
fn rows(dir: &Path, outcome: &str, scenario: &str) -> Vec<(i32, f64, f64, f64, f64)> {
    let (header, rows) = csv(&dir.join("fan.csv"));
    assert_eq!(
        header.join(","),
        "outcome,scenario,year,p_mean,mc_se,p_q05,p_q50,p_q95,draws,label"
    );
    let number = |text: &str| -> f64 { text.parse().expect("a number") };
    rows.iter()
        .filter(|r| r[0] == outcome && r[1] == scenario)
        .map(|r| {
            assert_eq!((r[8].as_str(), r[9].as_str()), ("200", outcome));
            let year = r[2].parse().expect("a year");
            (
                year,
                number(&r[3]),
                number(&r[4]),
                number(&r[5]),
                number(&r[7]),
            )
        })
        .collect()
}

#[test]
fn fan_csv_gives_the_exact_p_by_year_and_a_band_around_the_truth() {
    let dir = temp();
    let out = dir.path().join("report");
    run_fan(&out, &[]);
    // Over draws p is uniform on [0, 1]: by 1930 p / 2, by 1931 p, by 1932
    // (1 + p) / 2; the band is the 5% and 95% points of those.
    let truth = [
        (1928, 0.0, 0.0, 0.0),
        (1929, 0.0, 0.0, 0.0),
        (1930, 0.25, 0.025, 0.475),
        (1931, 0.5, 0.05, 0.95),
        (1932, 0.75, 0.525, 0.975),
        (1933, 1.0, 1.0, 1.0),
        (1934, 1.0, 1.0, 1.0),
        (1935, 1.0, 1.0, 1.0),
    ];
    let open = rows(&out, "war_start", "open");
    assert_eq!(open.len(), truth.len());
    for ((year, mean, se, q05, q95), (y, p, lo, hi)) in open.iter().zip(truth) {
        assert_eq!(*year, y);
        if p == 0.0 || p == 1.0 {
            assert_eq!((*mean, *se, *q05, *q95), (p, 0.0, p, p), "{year}");
            continue;
        }
        assert!(
            *se > 0.0 && (mean - p).abs() <= 4.0 * se,
            "{year}: {mean} ± {se}"
        );
        // The band contains the truth; its ends are the truth's 5% and
        // 95% points, to their sampling error over 200 draws (about 0.016)
        // and the trials' (about 0.011).
        assert!(*q05 < p && p < *q95, "{year}: [{q05}, {q95}]");
        assert!(
            (q05 - lo).abs() < 0.08 && (q95 - hi).abs() < 0.08,
            "{year}: [{q05}, {q95}]"
        );
    }
    // Fixing `early`: half by 1930, all by 1931, whatever the draw; and the
    // outcome with `given = "early"` reads the same in the open world.
    for (outcome, scenario) in [("war_start", "early"), ("early_war_year", "open")] {
        let rows = rows(&out, outcome, scenario);
        let (_, mean, se, q05, q95) = rows[2];
        assert!(
            (mean - 0.5).abs() <= 4.0 * se,
            "{outcome} {scenario}: {mean} ± {se}"
        );
        assert!(q05 < 0.5 && 0.5 < q95 && q95 - q05 < 0.1, "[{q05}, {q95}]");
        assert_eq!(rows[3].1, 1.0);
    }
    // A number computed from a year gets no fan.
    assert!(rows(&out, "years_after_1900", "open").is_empty());
}

#[test]
fn the_fan_chart_stands_beside_the_pooled_cdf_in_the_manifest_and_summaries() {
    let dir = temp();
    let out = dir.path().join("report");
    run_fan(&out, &[]);
    let manifest = std::fs::read_to_string(out.join("uchronia-manifest.txt")).expect("manifest");
    for file in ["fan.csv", "fan_war_start.png", "fan_early_war_year.png"] {
        assert!(manifest.lines().any(|l| l == file), "{file} not listed");
        let bytes = std::fs::read(out.join(file)).expect("written");
        assert!(bytes.len() > 100, "{file} is empty");
    }
    let png = std::fs::read(out.join("fan_war_start.png")).expect("written");
    assert_eq!(&png[1..4], b"PNG");
    assert!(!out.join("fan_years_after_1900.png").exists());
    let summary = std::fs::read_to_string(out.join("summary.md")).expect("summary");
    let cdf = summary.find("(war_start.png)").expect("the CDF");
    let fan = summary.find("(fan_war_start.png)").expect("the fan");
    let next = summary.find("(early_war_year.png)").expect("the next CDF");
    assert!(cdf < fan && fan < next, "the fan follows its CDF");
}

#[test]
fn shards_and_checkpointed_batches_give_the_same_fan_csv_byte_for_byte() {
    let dir = temp();
    let path = |name: &str| dir.path().join(name);
    run_fan(&path("plain"), &[]);
    for i in 1..=3 {
        run_fan(&path(&format!("shard{i}")), &["--shard", &format!("{i}/3")]);
    }
    let merge = uchronia(&[
        "merge",
        arg(&path("shard3")),
        arg(&path("shard1")),
        arg(&path("shard2")),
        "--out",
        arg(&path("merged")),
    ]);
    assert_eq!(merge.status, 0, "stderr: {}", merge.stderr);
    // A checkpointed run tallies in batches and appends them.
    let checkpoint = path("run.checkpoint");
    run_fan(&path("batched"), &["--checkpoint", arg(&checkpoint)]);
    let plain = std::fs::read(path("plain/fan.csv")).expect("written");
    for other in ["merged", "batched"] {
        let bytes = std::fs::read(path(other).join("fan.csv")).expect("written");
        assert!(bytes == plain, "{other}/fan.csv differs");
        assert!(path(other).join("fan_war_start.png").exists());
    }
}
