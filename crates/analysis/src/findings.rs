//! The result types of the analyses built on a run's parameter draws: claim
//! verdicts, sensitivity, scenario comparison and sweeps.
//!
//! They are declared here, apart from the code that computes them, because
//! two sides are written against them: the analyses that fill them
//! (`claims`, `sensitivity`, `comparison`) and the report that turns them into
//! tables and charts. Every statistic that can be undefined is an `Option`,
//! never NaN.

/// A claim's verdict, from its credence and the thresholds of the lexicon
/// (`data/estimative-words.toml`, `[verdicts]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The claim holds in at least the `supported` share of parameter draws.
    Supported,
    /// Neither supported nor contradicted.
    Contested,
    /// The claim holds in at most the `contradicted` share of draws.
    Contradicted,
    /// No parameter draw was defined (the claim's `given` never held).
    Undefined,
    /// The graph decides the claim, not the numbers: its event is settled
    /// by construction, or (comparative claims) nothing on its path differs
    /// between the two scenarios. See [`Flag`].
    Untestable,
}

impl Verdict {
    /// The word used in tables and summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contested => "contested",
            Verdict::Contradicted => "contradicted",
            Verdict::Undefined => "undefined",
            Verdict::Untestable => "untestable",
        }
    }
}

/// What the graph says about a claim before any number is looked at
/// (docs/claims.md, "Flags").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    /// Under its scenario's fixings and its `given`, the event is decided
    /// without chance and without any parameter: verdict `untestable`.
    ByConstruction,
    /// The event reads parameters only: it tests the prior, not the model.
    PriorOnly,
    /// A comparative claim whose event and `given` have no ancestor where
    /// the two scenarios differ: verdict `untestable`.
    NoPath,
    /// Fewer than [`FEW_DRAWS`] defined draws.
    FewDraws,
    /// A comparative claim in at least half of whose defined draws the
    /// lexicon's word for no difference ("about the same") holds: a
    /// verdict against it says the model finds no difference, not the
    /// opposite difference.
    NoDifference,
    /// The claim's per-draw quantity (`p_d` or `d`) is, up to rank, nearly
    /// a function of one parameter (|Spearman| at least [`ONE_BELIEF`]):
    /// the verdict restates that one belief ([`ClaimSummary::one_belief`]).
    OneBelief,
    /// The claim holds in every defined draw or in none (at least
    /// [`FEW_DRAWS`] of them): no belief inside the priors' ranges turns
    /// the verdict, so it is as strong as those ranges and no stronger.
    Unanimous,
    /// The credence lies within [`KNIFE_EDGE_SE`] standard errors of a
    /// verdict's threshold (the error of a share of the defined draws):
    /// another sample of draws could give the other verdict.
    KnifeEdge,
}

/// How many standard errors of the credence from a verdict's threshold
/// count as a knife-edge: about the 95% band of the draws' sampling error.
pub const KNIFE_EDGE_SE: f64 = 2.0;

/// What every place that shows a `knife_edge` verdict says beside it.
pub const KNIFE_EDGE_NOTE: &str =
    "on a knife-edge: another sample of draws could give the neighbouring verdict";

/// The |rank correlation| between one parameter and a claim's per-draw
/// quantity from which the claim is flagged `one_belief`: above it the
/// parameter alone orders the draws almost as the claim does.
pub const ONE_BELIEF: f64 = 0.9;

/// What every place that shows a `no_difference` verdict says beside it.
pub const NO_DIFFERENCE_NOTE: &str = "the model finds no difference";

/// Below this many defined draws a claim is flagged `few_draws`.
pub const FEW_DRAWS: u64 = 100;

/// What every place that shows a `unanimous` supported verdict says beside it.
pub const UNANIMOUS_SUPPORTED_NOTE: &str =
    "holds in every draw: only beliefs outside the priors' ranges could overturn it";

/// What every place that shows a `unanimous` contradicted verdict says beside it.
pub const UNANIMOUS_CONTRADICTED_NOTE: &str =
    "holds in no draw: only beliefs outside the priors' ranges could support it";

/// What every place that shows a `prior_only` verdict says beside it.
pub const PRIOR_ONLY_NOTE: &str = "tests the prior, not the model";

impl Flag {
    /// The word used in `claims.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::ByConstruction => "by_construction",
            Flag::PriorOnly => "prior_only",
            Flag::NoPath => "no_path",
            Flag::FewDraws => "few_draws",
            Flag::NoDifference => "no_difference",
            Flag::OneBelief => "one_belief",
            Flag::Unanimous => "unanimous",
            Flag::KnifeEdge => "knife_edge",
        }
    }

    /// Whether the flag makes the claim `untestable`.
    pub fn untestable(self) -> bool {
        matches!(self, Flag::ByConstruction | Flag::NoPath)
    }
}

/// The flags joined by `;`, as in `claims.csv`.
pub fn flags_text(flags: &[Flag]) -> String {
    flags
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// A verdict as shown to readers: the word, then why a flag changes how to
/// read it (`untestable (by_construction)`, `supported (tests the prior,
/// not the model)`, `contradicted (the model finds no difference)`).
pub fn verdict_text(verdict: Verdict, flags: &[Flag]) -> String {
    verdict_text_with(verdict, flags, None)
}

/// [`verdict_text`] for a claim: a `one_belief` claim also names its belief
/// (`supported (rests on one belief: p_x)`).
pub fn claim_verdict_text(claim: &ClaimSummary) -> String {
    verdict_text_with(claim.verdict, &claim.flags, claim.one_belief.as_deref())
}

/// [`claim_verdict_text`] with the `one_belief` parameter shown as `label`
/// gives it (its display name in summaries and posts).
pub fn claim_verdict_text_labelled(claim: &ClaimSummary, label: impl Fn(&str) -> String) -> String {
    let belief = claim.one_belief.as_deref().map(label);
    verdict_text_with(claim.verdict, &claim.flags, belief.as_deref())
}

fn verdict_text_with(verdict: Verdict, flags: &[Flag], belief: Option<&str>) -> String {
    let mut text = verdict.as_str().to_string();
    let why: Vec<&str> = flags
        .iter()
        .filter(|f| f.untestable())
        .map(|f| f.as_str())
        .collect();
    if verdict == Verdict::Untestable && !why.is_empty() {
        text.push_str(&format!(" ({})", why.join(", ")));
        return text;
    }
    let mut notes: Vec<String> = Vec::new();
    if flags.contains(&Flag::PriorOnly) {
        notes.push(PRIOR_ONLY_NOTE.into());
    } else if flags.contains(&Flag::OneBelief) {
        notes.push(match belief {
            Some(name) => format!("rests on one belief: {name}"),
            None => "rests on one belief".into(),
        });
    }
    if flags.contains(&Flag::NoDifference) && verdict != Verdict::Supported {
        notes.push(NO_DIFFERENCE_NOTE.into());
    }
    if flags.contains(&Flag::KnifeEdge) {
        notes.push(KNIFE_EDGE_NOTE.into());
    }
    if flags.contains(&Flag::Unanimous) {
        match verdict {
            Verdict::Supported => notes.push(UNANIMOUS_SUPPORTED_NOTE.into()),
            Verdict::Contradicted => notes.push(UNANIMOUS_CONTRADICTED_NOTE.into()),
            _ => {}
        }
    }
    if !notes.is_empty() {
        text.push_str(&format!(" ({})", notes.join("; ")));
    }
    text
}

/// One parameter that drives a claim (or an outcome).
#[derive(Clone, Debug, PartialEq)]
pub struct Driver {
    /// The parameter's name.
    pub param: String,
    /// Spearman rank correlation over draws between the parameter and the
    /// claim holding (or the outcome's probability).
    pub rank_corr: f64,
    /// For the strongest driver: the range of the parameter in which the claim
    /// holds more often than not, in words ("trotsky_cc_support < 0.31").
    pub holds_when: Option<String>,
}

/// One claim evaluated against a run: a row of `claims.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimSummary {
    /// The claim's id.
    pub id: String,
    /// Who made it.
    pub author: String,
    /// The exact words.
    pub quote: String,
    /// The scenario it is about.
    pub scenario: String,
    /// For comparative claims, the scenario it is compared with.
    pub than: Option<String>,
    /// The event, as written in the claims file.
    pub event: String,
    /// The condition, as written, when the claim is conditional.
    pub given: Option<String>,
    /// What the claim says: a phrase of the lexicon, a comparative word, or a band.
    pub says: String,
    /// The probability band of an absolute claim (`None` for comparative claims).
    pub band: Option<(f64, f64)>,
    /// The model's estimate: the probability (absolute claims) or the paired
    /// difference `p(scenario) - p(than)` (comparative claims), mean over draws.
    pub estimate: Option<f64>,
    /// 5% quantile over draws of the same quantity.
    pub q05: Option<f64>,
    /// Median over draws.
    pub q50: Option<f64>,
    /// 95% quantile over draws.
    pub q95: Option<f64>,
    /// Share of defined parameter draws in which the claim holds.
    pub credence: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
    /// Draws in which the claim was defined.
    pub defined_draws: u64,
    /// Draws left out because `given` never held in them.
    pub undefined_draws: u64,
    /// The graph ancestors of the claim's event whose rank correlation with
    /// the claim holding is beyond the 99% noise bound, strongest first; may
    /// be empty.
    pub drivers: Vec<Driver>,
    /// `post = N` of the claims file: the post's number in its thread.
    pub post: Option<i64>,
    /// `known_through = Y`: the claim is judged in the world as known in
    /// year Y (`scenario` names that world's scenario).
    pub known_through: Option<i64>,
    /// What the graph says about the claim, and `few_draws`,
    /// `no_difference` and `one_belief` from the run.
    pub flags: Vec<Flag>,
    /// For `one_belief`: the parameter that orders the draws.
    pub one_belief: Option<String>,
}

impl ClaimSummary {
    /// The world the claim is judged in, as shown to readers: its scenario,
    /// or `known through Y` for a dated claim.
    pub fn world(&self) -> String {
        match self.known_through {
            Some(year) => format!("known through {year}"),
            None => self.scenario.clone(),
        }
    }
}

/// How one parameter moves one outcome in one scenario: a row of `sensitivity.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct SensitivityRow {
    /// Scenario.
    pub scenario: String,
    /// Outcome.
    pub outcome: String,
    /// Parameter.
    pub param: String,
    /// Spearman rank correlation over draws between the parameter and the
    /// outcome's per-draw probability (or per-draw mean).
    pub rank_corr: Option<f64>,
    /// The outcome's mean over draws with the parameter in its lowest fifth.
    pub swing_low: Option<f64>,
    /// The same over draws with the parameter in its highest fifth.
    pub swing_high: Option<f64>,
    /// First-order (variance-based) index estimated from the draws.
    pub first_order: Option<f64>,
    /// Whether the parameter can reach the outcome in the scenario's graph
    /// (after the cuts of its `do`).
    pub ancestor: bool,
    /// Whether `|rank_corr|` is beyond the 99% noise bound for the draws.
    pub significant: bool,
}

/// One scenario against the reference for one outcome: a row of `comparison.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparisonRow {
    /// The scenario.
    pub scenario: String,
    /// What it is compared with: the reference scenario (the first in the
    /// model), or on a `matched` row its matched baseline.
    pub reference: String,
    /// `reference` or `matched`.
    pub against: Against,
    /// On `reference` rows, the nodes that make the comparison unfair
    /// (contract 1.1, section 2); empty on `matched` rows.
    pub confounders: Vec<String>,
    /// The outcome.
    pub outcome: String,
    /// Mean over draws of the paired difference (scenario - reference).
    pub diff: Option<f64>,
    /// Its standard error, from the paired per-draw differences.
    pub diff_se: Option<f64>,
    /// 5% quantile of the per-draw differences.
    pub diff_q05: Option<f64>,
    /// 95% quantile of the per-draw differences.
    pub diff_q95: Option<f64>,
    /// Ratio of the means (scenario / reference), when the reference is not 0.
    pub ratio: Option<f64>,
    /// The standard error the difference would have without pairing,
    /// `sqrt(se_a^2 + se_b^2)` over the same draws: what pairing bought.
    pub unpaired_se: Option<f64>,
}

/// What a comparison row compares a scenario with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Against {
    /// The reference scenario: the whole difference, confounders included.
    Reference,
    /// The scenario's matched baseline: the effect of its divergence alone.
    Matched,
}

impl Against {
    /// The word used in `comparison.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Against::Reference => "reference",
            Against::Matched => "matched",
        }
    }
}

/// One value of a swept parameter for one scenario and outcome: a row of `sweep.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRow {
    /// The swept parameter.
    pub param: String,
    /// Its fixed value in this run.
    pub value: f64,
    /// Scenario.
    pub scenario: String,
    /// Outcome.
    pub outcome: String,
    /// Mean over draws of the per-draw probability.
    pub p_mean: Option<f64>,
    /// Its Monte Carlo standard error.
    pub mc_se: Option<f64>,
    /// 5% quantile over draws.
    pub p_q05: Option<f64>,
    /// Median over draws.
    pub p_q50: Option<f64>,
    /// 95% quantile over draws.
    pub p_q95: Option<f64>,
}
