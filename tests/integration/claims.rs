//! Claims end to end: `uchronia run` with the project's claims files and
//! `--claims`, `uchronia claims FILE`, claims.csv, the verdict table, and
//! errors in claims files (exit 2 before any trial runs).

use std::path::{Path, PathBuf};

use crate::util::{arg, temp, uchronia};

const SMALL: [&str; 4] = ["--trials", "100000", "--draws", "100"];
const CLAIMS_HEADER: &str = "claim,author,scenario,than,event,given,says,band_lo,band_hi,estimate,q05,q95,credence,verdict,drivers,post,known_through,flags,label";

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The lines of claims.csv in `out`: header, then one per claim.
fn claims_lines(out: &Path) -> Vec<String> {
    std::fs::read_to_string(out.join("claims.csv"))
        .expect("claims.csv exists")
        .lines()
        .map(String::from)
        .collect()
}

/// The row of claim `id`.
fn row<'a>(lines: &'a [String], id: &str) -> &'a str {
    lines
        .iter()
        .find(|line| line.starts_with(&format!("{id},")))
        .unwrap_or_else(|| panic!("no row for {id} in {lines:?}"))
}

#[test]
fn run_on_the_shipped_model_checks_the_thread_claims() {
    let dir = temp();
    let out = dir.path().join("report");
    let mut args = vec!["run"];
    args.extend(SMALL);
    args.extend(["--out", arg(&out)]);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let lines = claims_lines(&out);
    assert_eq!(lines[0], CLAIMS_HEADER);
    assert_eq!(lines.len(), 1 + 47);
    assert!(!lines.iter().any(|l| l.contains("NaN")));
    assert!(
        row(&lines, "far-worse-diplomacy").contains(",trotsky_in_power,trotsky_in_power~baseline,")
    );
    // The results, then the verdicts.
    let outcomes_at = run.stdout.find("gdp_1940_index").expect("results table");
    let verdicts_at = run.stdout.find("credence").expect("verdict table");
    assert!(outcomes_at < verdicts_at, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("much lower than trotsky_in_power~baseline")
    );
    forum_posts_fit(&out);
    // A conditional claim's number stands beside its condition, and its
    // words beside the event the model measures, in the model's labels.
    let summary = std::fs::read_to_string(out.join("summary.md")).expect("summary.md");
    let given =
        "given “The USSR opens a war westward (1929-37)” or “A Soviet-Polish war in 1922-38”";
    assert!(
        summary.contains(&format!(
            "| `strangled-in-cradle` | anonymous poster, post 9 | Trotsky leads from 1924, {given} |"
        )),
        "{summary}"
    );
    assert!(
        summary.contains(&format!(
            "the USSR is strangled in its cradle (read as: The Soviet state is destroyed before 1945, {given}; "
        )),
        "{summary}"
    );
    assert!(!summary.contains("war\\_with\\_poland"), "{summary}");
}

/// The forum posts of the shipped model: each under XenForo's 10,000
/// characters, the first opening with the short answer, the details in
/// spoilers, no tag phpBB or XenForo would show as text, every post on
/// the manifest and named by the one before it.
fn forum_posts_fit(out: &Path) {
    let manifest = std::fs::read_to_string(out.join("uchronia-manifest.txt")).expect("manifest");
    let mut posts = Vec::new();
    for i in 1.. {
        let file = if i == 1 {
            "summary.bbcode".to_string()
        } else {
            format!("summary-{i}.bbcode")
        };
        let Ok(text) = std::fs::read_to_string(out.join(&file)) else {
            break;
        };
        assert!(
            manifest.lines().any(|l| l == file),
            "{file} on the manifest"
        );
        assert!(
            text.chars().count() < 10_000,
            "{file}: {} characters",
            text.chars().count()
        );
        for tag in ["[size", "[table", "[img", "[url"] {
            assert!(!text.contains(tag), "{file} has {tag}");
        }
        posts.push((file, text));
    }
    let (_, first) = &posts[0];
    assert!(
        first.starts_with("[b]What if Trotsky, not Stalin, had led the USSR?[/b]\n\n[b]In short.[/b] The title's question, answered by “Trotsky leads from 1924” against “Stalin leads from 1924”, the same world without its divergence (its matched baseline)"),
        "{first}"
    );
    assert!(first.contains("Of the 47 claims checked, the model supports "));
    // The largest effect, left out because one belief orders it, is named
    // as left out, so the list is not read as the largest of all.
    assert!(
        first.contains("(“The USSR puts exporting revolution first (1928-35)”, +"),
        "{first}"
    );
    assert!(
        first.contains("points, is left out: one belief orders it)"),
        "{first}"
    );
    assert!(first.contains("[SPOILER=Headline outcomes with their 90% intervals]"));
    assert!(
        posts
            .iter()
            .any(|(_, text)| text.contains("[SPOILER=What the headline numbers cannot tell]"))
    );
    assert!(first.contains(" (outcomes.png).[/i]"));
    for pair in posts.windows(2) {
        assert!(
            pair[0]
                .1
                .contains(&format!("post {} as a reply", pair[1].0))
        );
    }
    let all: String = posts.iter().map(|(_, t)| t.as_str()).collect();
    // Pasted as they are: no Markdown code marks, no analysis-made names.
    assert!(!all.contains('`'), "a backtick in the posts");
    assert!(
        !all.contains("~baseline"),
        "an internal baseline name in the posts"
    );
    assert!(
        all.contains("[b]strangled-in-cradle[/b] (anonymous poster, post 9: “the USSR is strangled in its cradle”; Trotsky leads from 1924, says my guess is; read as: The Soviet state is destroyed before 1945, given “The USSR opens a war westward (1929-37)” or “A Soviet-Polish war in 1922-38”): "),
        "{all}"
    );
    for id in ["far-worse-diplomacy", "carr-nep-doomed", "slim-after-1924"] {
        assert!(
            all.contains(&format!("[b]{id}[/b] (")),
            "claim {id} in the posts"
        );
    }
}

#[test]
fn claims_runs_the_files_model_with_its_claims() {
    let dir = temp();
    let out = dir.path().join("report");
    let mut args = vec!["claims", "data/claims/trotsky-thread.toml"];
    args.extend(SMALL);
    args.extend(["--out", arg(&out)]);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert_eq!(claims_lines(&out).len(), 1 + 47);
    assert!(out.join("outcomes.csv").is_file());
    let json = std::fs::read_to_string(out.join("run.json")).expect("run.json");
    assert!(json.contains("\"models/trotsky.toml\""), "{json}");
    // `claims` prints the verdicts alone.
    assert!(run.stdout.contains("slim-after-1924"), "{}", run.stdout);
    assert!(!run.stdout.contains("gdp_1940_index"), "{}", run.stdout);
}

#[test]
fn the_reproduce_command_of_claims_file_reruns_that_file() {
    let dir = temp();
    let out = dir.path().join("report");
    let mut args = vec!["claims", "tests/claims/small.toml"];
    args.extend(["--lexicon", "data/estimative-words.toml"]);
    args.extend(SMALL);
    args.extend(["--out", arg(&out)]);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    let summary = std::fs::read_to_string(out.join("summary.md")).expect("summary.md");
    let command = summary
        .lines()
        .find(|line| line.trim_start().starts_with("uchronia "))
        .unwrap_or_else(|| panic!("no command in {summary}"))
        .trim();
    assert!(
        command.starts_with("uchronia claims tests/claims/small.toml "),
        "{command}"
    );
    // The quoted command, sent elsewhere, gives the same verdicts.
    let again = dir.path().join("again");
    let mut words: Vec<&str> = command.split(' ').skip(1).collect();
    let at = words.iter().position(|w| *w == "--out").expect("--out");
    words.truncate(at);
    words.extend(["--out", arg(&again)]);
    let rerun = uchronia(&words);
    assert_eq!(rerun.status, 0, "stderr: {}", rerun.stderr);
    assert_eq!(claims_lines(&out), claims_lines(&again));
}

#[test]
fn claims_with_exact_answers_and_an_undefined_claim() {
    let dir = temp();
    let out = dir.path().join("report");
    let mut args = vec![
        "run",
        "tests/models/small.toml",
        "--claims",
        "tests/claims/small.toml",
        "--lexicon",
        "data/estimative-words.toml",
        "--scenario",
        "history",
    ];
    args.extend(SMALL);
    args.extend(["--out", arg(&out)]);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    // The comparative claim needs reform_passes, which --scenario left out.
    assert!(
        run.stderr
            .contains("also running scenario(s) reform_passes: the claims need them"),
        "{}",
        run.stderr
    );
    let lines = claims_lines(&out);
    assert_eq!(lines.len(), 4);
    let cells =
        |id: &str| -> Vec<String> { row(&lines, id).split(',').map(String::from).collect() };
    let likely = cells("crisis-likely");
    let estimate: f64 = likely[9].parse().expect("a number");
    // sd of the mean of 100 draws of 1000 trials: sqrt(0.24 / 1e5) = 0.0015.
    assert!((estimate - 0.6).abs() < 4.0 * 0.0016, "{estimate}");
    assert_eq!((likely[7].as_str(), likely[8].as_str()), ("0.5", "1"));
    assert_eq!(
        (likely[12].as_str(), likely[13].as_str()),
        ("1", "supported")
    );

    let averts = cells("reform-averts-crisis");
    let d: f64 = averts[9].parse().expect("a number");
    assert!((d + 0.25).abs() < 0.01, "{d}");
    assert_eq!(averts[3], "history");
    assert_eq!((averts[7].as_str(), averts[8].as_str()), ("", ""));
    assert_eq!(averts[13], "supported");

    assert_eq!(
        row(&lines, "never-defined"),
        "never-defined,tester,history,,crisis,reform,unlikely,0,0.33,,,,,undefined,,,,few_draws,crisis"
    );
    assert!(!lines.iter().any(|l| l.contains("NaN")));
    assert!(run.stdout.contains("undefined"), "{}", run.stdout);
}

/// A project folder: models/m.toml and models/other.toml (both the small
/// model), the lexicon, and one claims file for each model.
fn project() -> tempfile::TempDir {
    let dir = temp();
    let root = dir.path();
    for folder in ["models", "data/claims"] {
        std::fs::create_dir_all(root.join(folder)).expect("folders");
    }
    let small = std::fs::read_to_string(repo("tests/models/small.toml")).expect("small");
    std::fs::write(root.join("models/m.toml"), &small).expect("write");
    std::fs::write(root.join("models/other.toml"), &small).expect("write");
    std::fs::copy(
        repo("data/estimative-words.toml"),
        root.join("data/estimative-words.toml"),
    )
    .expect("copy");
    let claims = std::fs::read_to_string(repo("tests/claims/small.toml")).expect("claims");
    let mine = claims.replace("../models/small.toml", "../../models/m.toml");
    std::fs::write(root.join("data/claims/a.toml"), mine).expect("write");
    let theirs = claims.replace("../models/small.toml", "../../models/other.toml");
    std::fs::write(root.join("data/claims/b.toml"), theirs).expect("write");
    dir
}

#[test]
fn run_checks_the_projects_claims_about_the_model_and_skips_the_others() {
    let dir = project();
    let model = dir.path().join("models/m.toml");
    let out = dir.path().join("report");
    let mut args = vec!["run", arg(&model)];
    args.extend(SMALL);
    args.extend(["--out", arg(&out)]);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert_eq!(claims_lines(&out).len(), 4);
    assert!(run.stderr.contains("note: skipping"), "{}", run.stderr);
    assert!(run.stderr.contains("b.toml"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn a_run_without_claims_writes_no_claims_csv() {
    let dir = temp();
    let out = dir.path().join("report");
    let mut args = vec!["run", "tests/models/small.toml"];
    args.extend(SMALL);
    args.extend(["--out", arg(&out)]);
    let run = uchronia(&args);
    assert_eq!(run.status, 0, "stderr: {}", run.stderr);
    assert!(!out.join("claims.csv").exists());
    assert!(!run.stdout.contains("credence"));
}

/// Writes a claims file about the small model into `dir`, with `edit`
/// applied to the fixture's text.
fn claims_file(dir: &Path, edit: &dyn Fn(String) -> String) -> PathBuf {
    let text = std::fs::read_to_string(repo("tests/claims/small.toml")).expect("fixture");
    let model = repo("tests/models/small.toml");
    let text = text.replace("../models/small.toml", arg(&model));
    let path = dir.join("c.toml");
    std::fs::write(&path, edit(text)).expect("write");
    path
}

#[test]
fn an_unknown_phrase_exits_2_with_the_nearest_phrase_before_running() {
    let dir = temp();
    let path = claims_file(dir.path(), &|t| {
        t.replace("\"more likely than not\"", "\"more likly than not\"")
    });
    let out = dir.path().join("report");
    let run = uchronia(&[
        "claims",
        arg(&path),
        "--lexicon",
        "data/estimative-words.toml",
        "--out",
        arg(&out),
    ]);
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{}:17:8: error: unknown phrase \"more likly than not\"",
            path.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "did you mean \"more likely than not\"? \"more likely than not\" means 50–100%"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
    assert!(!out.exists(), "nothing runs, nothing is written");
}

#[test]
fn a_claims_file_whose_model_does_not_exist_exits_2() {
    let dir = temp();
    let path = dir.path().join("c.toml");
    std::fs::write(&path, "model = \"nowhere.toml\"\n\n[[claims]]\n").expect("write");
    let run = uchronia(&["claims", arg(&path)]);
    // The file is checked first: a claim with no keys is reported.
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    assert!(run.stderr.contains("missing key `id`"), "{}", run.stderr);

    let path = claims_file(dir.path(), &|t| {
        t.replacen("model = \"", "model = \"/nowhere", 1)
    });
    let run = uchronia(&["claims", arg(&path)]);
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{}:5:9: error: the claims file's model",
            path.display()
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
}

#[test]
fn a_missing_lexicon_is_bad_input() {
    let dir = temp();
    let path = claims_file(dir.path(), &|t| t);
    let run = uchronia(&["claims", arg(&path), "--lexicon", "nowhere.toml"]);
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("cannot read the lexicon nowhere.toml"),
        "{}",
        run.stderr
    );
}

/// `"lexicon"` of the run.json in `out`.
fn lexicon_used(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("run.json")).expect("run.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    json["lexicon"].clone()
}

#[test]
fn claims_outside_any_project_run_with_the_built_in_lexicon() {
    // A forum user's folder: the model and its claims file side by side,
    // nothing else around them.
    let dir = temp();
    let folder = dir.path().join("anywhere");
    std::fs::create_dir(&folder).expect("a folder");
    std::fs::copy(repo("tests/models/small.toml"), folder.join("m.toml")).expect("copy");
    let claims = std::fs::read_to_string(repo("tests/claims/small.toml")).expect("claims");
    let claims = claims.replace("../models/small.toml", "m.toml");
    let path = folder.join("c.toml");
    std::fs::write(&path, claims).expect("write");
    let size = ["--trials", "2000", "--draws", "20", "--quiet"];
    let run_into = |out: &Path, extra: &[&str]| {
        let mut args = vec!["claims", arg(&path)];
        args.extend(size);
        args.extend(extra);
        args.extend(["--out", arg(out)]);
        let run = uchronia(&args);
        assert_eq!(run.status, 0, "stderr: {}", run.stderr);
        std::fs::read_to_string(out.join("claims.csv")).expect("claims.csv")
    };
    let out = dir.path().join("built-in");
    let built_in = run_into(&out, &[]);
    assert_eq!(lexicon_used(&out), "built-in");
    assert_eq!(built_in.lines().count(), 4, "{built_in}");

    // A lexicon in the project (the folder above the model's) is used when
    // there is one; the shipped text gives the same verdicts.
    let project_lexicon = dir.path().join("data/estimative-words.toml");
    std::fs::create_dir_all(dir.path().join("data")).expect("a folder");
    std::fs::copy(repo("data/estimative-words.toml"), &project_lexicon).expect("copy");
    let out = dir.path().join("project");
    assert_eq!(run_into(&out, &[]), built_in);
    assert_eq!(lexicon_used(&out), arg(&project_lexicon));

    // --lexicon wins over both.
    let given = dir.path().join("words.toml");
    std::fs::copy(repo("data/estimative-words.toml"), &given).expect("copy");
    let out = dir.path().join("given");
    assert_eq!(run_into(&out, &["--lexicon", arg(&given)]), built_in);
    assert_eq!(lexicon_used(&out), arg(&given));

    // A run without claims says nothing of a lexicon.
    let out = dir.path().join("plain");
    let mut args = vec!["run", "tests/models/small.toml"];
    args.extend(size);
    args.extend(["--out", arg(&out)]);
    assert_eq!(uchronia(&args).status, 0);
    assert!(lexicon_used(&out).is_null());
}

#[test]
fn a_claim_that_fails_at_run_time_is_shown_in_its_file() {
    let dir = temp();
    let path = claims_file(dir.path(), &|t| {
        t.replacen(
            "event = \"crisis\"",
            "event = \"0 * (crisis_year / 0) > 1\"",
            1,
        )
    });
    let run = uchronia(&[
        "claims",
        arg(&path),
        "--lexicon",
        "data/estimative-words.toml",
        "--trials",
        "1000",
        "--draws",
        "10",
        "--out",
        arg(&dir.path().join("report")),
    ]);
    assert_eq!(run.status, 2, "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{}:11:1: error: outcome claim crisis-likely",
            path.display()
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("NaN"), "{}", run.stderr);
}
