//! `uchronia completions` and `uchronia man`: the shell completion scripts
//! and the manual pages, generated from the same clap definition as the
//! parser, so they can never list a command or option the binary lacks.

use std::path::Path;

use clap::CommandFactory;

use crate::args::{Cli, CompletionsArgs, ManArgs};
use crate::failure::Failure;
use crate::output;

/// Prints the completion script of `args.shell` on stdout.
pub fn completions(args: &CompletionsArgs) -> Result<(), Failure> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "uchronia", &mut script);
    output::print(&String::from_utf8_lossy(&script));
    Ok(())
}

/// Prints uchronia.1 on stdout, or writes every page into `--dir`.
pub fn man(args: &ManArgs) -> Result<(), Failure> {
    let command = Cli::command();
    match &args.dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .map_err(|error| Failure::other(format!("cannot render the manual: {error}")))?;
            output::print(&String::from_utf8_lossy(&page));
            Ok(())
        }
        Some(dir) => write_pages(command, dir),
    }
}

/// Writes uchronia.1 and uchronia-COMMAND.1 for every command into `dir`.
fn write_pages(command: clap::Command, dir: &Path) -> Result<(), Failure> {
    let shown = dir.display();
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::input(format!(
            "--dir {shown} is a file, not a folder (give a folder for the manual pages, e.g. man/man1)"
        )));
    }
    std::fs::create_dir_all(dir)
        .map_err(|error| Failure::other(format!("cannot create {shown}: {error}")))?;
    clap_mangen::generate_to(command, dir).map_err(|error| {
        Failure::other(format!(
            "cannot write the manual pages into {shown}: {error}"
        ))
    })?;
    output::print(&format!("manual pages written to {shown}\n"));
    Ok(())
}
