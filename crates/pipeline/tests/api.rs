//! The pipeline used as a library, with no binary: load a model, prepare
//! its claims, run its scenarios in batches, analyse. What a coming command
//! (inevitability, crux, the explore page) does.

use std::sync::Mutex;

use uchronia_pipeline::batches::{self, Job};
use uchronia_pipeline::claims::{self, Selection};
use uchronia_pipeline::finish::{self, Finished};
use uchronia_pipeline::{Observer, Plan, load_model};

const MODEL: &str = "[model]\nname = \"m\"\ntitle = \"t\"\n[params.p]\ndist = \"fixed\"\nvalue = 1\n[nodes.e]\np = 0.5\n[outcomes.o]\nwhen = \"e\"\n[scenarios.s]\n";

/// Records what the pipeline tells its front end.
#[derive(Default)]
struct Recorder {
    total: Mutex<Option<Option<u64>>>,
    advanced: Mutex<u64>,
    finished: Mutex<bool>,
}

impl Observer for Recorder {
    fn note(&self, _message: &str) {}
    fn start(&self, total: Option<u64>, _done: u64) {
        *self.total.lock().expect("lock") = Some(total);
    }
    fn advance(&self, trials: u64) {
        *self.advanced.lock().expect("lock") += trials;
    }
    fn finish(&self) {
        *self.finished.lock().expect("lock") = true;
    }
}

#[test]
fn a_front_end_runs_analyses_and_hears_progress_without_the_binary() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let models = dir.path().join("models");
    std::fs::create_dir(&models).expect("created");
    let path = models.join("m.toml");
    std::fs::write(&path, MODEL).expect("written");

    let model = load_model(&path).expect("a valid model");
    let recorder = Recorder::default();
    let checked = claims::prepare(
        &path,
        &model,
        &Selection::Project(Vec::new()),
        claims::LexiconChoice::Usual(None),
        &recorder,
    )
    .expect("no claims is fine");
    assert!(checked.is_none(), "the project has no claims files");

    let (plan, note) = Plan::new(40_000, 20, Some(2)).expect("a valid plan");
    assert_eq!(note, None);
    let run = |batch: u64| {
        let job = Job {
            model: &model,
            config: plan.config(3, vec![0]),
            range: 0..plan.draws,
            batch,
            checkpoint: None,
            precision: None,
            threads: plan.threads,
            claims: None,
        };
        batches::execute(&job, &recorder).expect("runs")
    };
    let whole = run(plan.draws);
    assert_eq!(*recorder.total.lock().expect("lock"), Some(Some(40_000)));
    assert_eq!(*recorder.advanced.lock().expect("lock"), 40_000);
    assert!(*recorder.finished.lock().expect("lock"));
    // Batches of 3 draws give the very tally of one batch.
    let batched = run(3);
    assert_eq!(
        serde_json::to_string(&batched.tally).expect("json"),
        serde_json::to_string(&whole.tally).expect("json")
    );

    let out = dir.path().join("report");
    let finished = Finished {
        model: &model,
        tally: &whole.tally,
        threads: plan.threads,
        elapsed_seconds: whole.elapsed_seconds,
        out: &out,
        carry: &[],
        claims: None,
        command: String::new(),
        parquet: false,
        full: false,
        standalone: false,
        crux: false,
        ex_ante_check: false,
    };
    let analysed = finish::analyse(&finished);
    assert_eq!((analysed.info.trials, analysed.info.draws), (40_000, 20));
    let row = &analysed.summary.boolean[0];
    // p = 1/2 exactly; 40,000 trials give a standard error of 0.0025.
    let p = row.p_mean.expect("defined");
    assert!((p - 0.5).abs() < 4.0 * 0.0025, "p = {p}");
    assert!(analysed.claims.is_none());
    assert!(!out.exists(), "analysing writes nothing");
}
