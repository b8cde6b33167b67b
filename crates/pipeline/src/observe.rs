//! What a run tells the person waiting for it: notes and progress. The
//! pipeline prints nothing; a front end shows these its own way (the
//! binary: `note:` lines and a progress bar on stderr).

/// Receives a run's notes and progress, possibly from worker threads.
pub trait Observer: Sync {
    /// Something the user should know that does not stop the run ("skipping
    /// a claims file written for another model", "resuming from ...").
    fn note(&self, message: &str);

    /// The trials start: `total` of them (`None` when not known in advance:
    /// a precision target decides), of which `done` already ran (a resumed
    /// checkpoint).
    fn start(&self, total: Option<u64>, done: u64) {
        let _ = (total, done);
    }

    /// `trials` more trials ran.
    fn advance(&self, trials: u64) {
        let _ = trials;
    }

    /// Where a run with a precision target stands: after `draws` draws,
    /// the widest half-width is `widest`, to bring down to `target`.
    fn precision(&self, draws: u64, widest: &Widest, target: f64) {
        let _ = (draws, widest, target);
    }

    /// The trials are over (finished, failed or interrupted).
    fn finish(&self) {}
}

/// An observer that drops everything.
pub struct Silent;

impl Observer for Silent {
    fn note(&self, _message: &str) {}
}

/// The widest 95% half-width over every listed boolean outcome and scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Widest {
    /// 1.96 x mc_se.
    pub half_width: f64,
    /// Its scenario's name.
    pub scenario: String,
    /// Its outcome's name.
    pub outcome: String,
}
