//! `uchronia new FILE [--template NAME]` and `uchronia new --list`: a
//! starter model written from a template, so that a model of one's own does
//! not begin as a copy of the Trotsky model.
//!
//! The templates are files of `templates/`, built into the binary. Each is
//! one reusable block of the kind counterfactuals need (a succession
//! struggle, an alliance choice, a war and its outcome) with its outcomes and
//! scenarios; block names do not collide, so blocks can be pasted together.
//! Each passes `check --strict` as written, and cites placeholder sources
//! that `check` notes as unsourced (tests/integration/new.rs checks both).

use std::path::Path;

use crate::args::NewArgs;
use crate::failure::Failure;
use crate::output;

/// A starter model.
struct Template {
    /// Its name, for `--template`.
    name: &'static str,
    /// What it models, in a few words.
    about: &'static str,
    /// The model's text.
    text: &'static str,
}

/// Every template; the first is the default.
const TEMPLATES: [Template; 3] = [
    Template {
        name: "succession",
        about: "a succession struggle: who holds power after the leader",
        text: include_str!("../../../templates/succession.toml"),
    },
    Template {
        name: "alliance",
        about: "an alliance choice: which side a state takes",
        text: include_str!("../../../templates/alliance.toml"),
    },
    Template {
        name: "war",
        about: "a war and its outcome: whether, when, and who wins",
        text: include_str!("../../../templates/war.toml"),
    },
];

/// Runs `uchronia new`.
pub fn new(args: &NewArgs) -> Result<(), Failure> {
    if args.list {
        let mut text = String::new();
        for template in &TEMPLATES {
            text.push_str(&format!("{:<12} {}\n", template.name, template.about));
        }
        output::print(&text);
        return Ok(());
    }
    let Some(file) = &args.file else {
        return Err(Failure::input(
            "give the model file to write, e.g. uchronia new models/my_question.toml",
        ));
    };
    let name = args.template.as_deref().unwrap_or(TEMPLATES[0].name);
    let Some(template) = TEMPLATES.iter().find(|t| t.name == name) else {
        let names: Vec<&str> = TEMPLATES.iter().map(|t| t.name).collect();
        let hint = match super::nearest(name, &names) {
            Some(near) => format!("did you mean '{near}'?"),
            None => format!("the templates are: {}", names.join(", ")),
        };
        return Err(Failure::input(format!("no template '{name}' ({hint})")));
    };
    if file.exists() {
        return Err(Failure::input(format!(
            "{} exists: uchronia new never overwrites a file (give another name)",
            file.display()
        )));
    }
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|error| {
            Failure::input(format!("cannot create {}: {error}", parent.display()))
        })?;
    }
    let text = named_after(template, file);
    std::fs::write(file, text)
        .map_err(|error| Failure::input(format!("cannot write {}: {error}", file.display())))?;
    // `check` notes the placeholder sources only where it finds the
    // project's sources file: say so where there is none.
    let folder = file.parent().filter(|p| !p.as_os_str().is_empty());
    let sources = folder
        .unwrap_or(Path::new("."))
        .join("..")
        .join("data")
        .join("sources.toml");
    if !sources.is_file() {
        output::note(&format!(
            "there is no {}: create it, with a table per source, for `uchronia check` to list the placeholder sources (todo_...) that are left",
            sources.display()
        ));
    }
    let shown = file.display();
    output::print(&format!(
        "wrote {shown} from the {} template ({})\nnext: edit it (docs/writing-a-model.md), then\n  uchronia check {shown} --strict\n  uchronia run {shown}\n",
        template.name, template.about
    ));
    Ok(())
}

/// The template's text with its `[model] name` taken from the file's name
/// (`my-question.toml` -> `my_question`) when that makes a valid name.
fn named_after(template: &Template, file: &Path) -> String {
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace(['-', ' ', '.'], "_");
    let valid = stem.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && stem
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    let line = format!("name = \"{}\"", template.name);
    if valid {
        template
            .text
            .replacen(&line, &format!("name = \"{stem}\""), 1)
    } else {
        template.text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_is_named_after_its_file_when_it_can_be() {
        let template = &TEMPLATES[2];
        let text = named_after(template, Path::new("models/Battle-of-X.toml"));
        assert!(text.contains("name = \"battle_of_x\""), "{text}");
        assert!(!text.contains("name = \"war\""));
        let text = named_after(template, Path::new("models/1914.toml"));
        assert!(
            text.contains("name = \"war\""),
            "a name cannot start with a digit"
        );
    }

    #[test]
    fn every_template_names_itself_once() {
        for template in &TEMPLATES {
            let line = format!("name = \"{}\"", template.name);
            assert_eq!(template.text.matches(&line).count(), 1, "{}", template.name);
        }
    }
}
