//! `uchronia completions` and `uchronia man`: each script and the manual
//! name every subcommand that `uchronia --help` lists, so a command added
//! later is checked without touching these tests.

use crate::util::uchronia;

/// The subcommands `uchronia --help` lists (without clap's own `help`).
fn subcommands() -> Vec<String> {
    let help = uchronia(&["--help"]);
    assert_eq!(help.status, 0, "{}", help.stderr);
    let names: Vec<String> = help
        .stdout
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        // A wrapped description continues on lines indented further.
        .filter(|line| !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(String::from)
        .collect();
    for expected in ["run", "graph", "completions", "man"] {
        assert!(names.iter().any(|n| n == expected), "{names:?}");
    }
    names
}

#[test]
fn every_shell_gets_a_script_that_names_every_subcommand() {
    let names = subcommands();
    for (shell, marker) in [
        ("bash", "complete -F _uchronia"),
        ("zsh", "#compdef uchronia"),
        ("fish", "complete -c uchronia"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = uchronia(&["completions", shell]);
        assert_eq!(run.status, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell}:\n{}", run.stdout);
        for name in &names {
            assert!(
                run.stdout.contains(name.as_str()),
                "the {shell} script does not mention {name}"
            );
        }
    }
    // The options of a subcommand are completed too.
    let bash = uchronia(&["completions", "bash"]).stdout;
    for option in ["--scenario", "--no-params", "--svg", "--trials"] {
        assert!(bash.contains(option), "no {option} in the bash script");
    }
}

#[test]
fn an_unknown_shell_is_bad_usage() {
    let run = uchronia(&["completions", "tcsh"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("possible values"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn the_manual_is_roff_that_names_every_subcommand() {
    let run = uchronia(&["man"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = &run.stdout;
    assert!(page.contains(".TH uchronia 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "no {section} in\n{page}");
    }
    for name in subcommands() {
        // roff escapes the hyphen: uchronia\-run(1).
        let reference = format!("uchronia\\-{name}(1)");
        assert!(page.contains(&reference), "no {reference} in\n{page}");
    }
}

#[test]
fn man_dir_writes_one_page_per_command() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("man1");
    let out_arg = out.to_str().expect("a UTF-8 path");
    let run = uchronia(&["man", "--dir", out_arg]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let top = std::fs::read_to_string(out.join("uchronia.1")).expect("uchronia.1");
    assert!(top.contains(".TH uchronia 1"));
    for name in subcommands() {
        let page = std::fs::read_to_string(out.join(format!("uchronia-{name}.1")))
            .unwrap_or_else(|_| panic!("no page for {name}"));
        assert!(page.contains(&format!(".TH uchronia-{name} 1")), "{page}");
    }

    // A file in the way is bad input, and is left alone.
    let file = dir.path().join("taken");
    std::fs::write(&file, "mine").expect("written");
    let run = uchronia(&["man", "--dir", file.to_str().expect("a UTF-8 path")]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("is a file, not a folder"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).expect("kept"), "mine");
}
