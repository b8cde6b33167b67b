//! `uchronia`: the command-line tool.
//!
//! `main` parses the arguments, runs one command, and maps its [`failure::Failure`]
//! to an exit status (0 success, 2 bad usage or input, 1 other failures,
//! 130 interrupted), printing every error once on stderr. The commands live
//! in [`commands`], one module each, and call the pipeline library
//! (`uchronia_pipeline`) to do the work; this file stays small.

mod args;
mod commands;
mod output;
mod progress;

// The pipeline's failures, file reading and size limits, used throughout.
use uchronia_pipeline::{failure, input, limits};

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

fn main() -> ExitCode {
    // A bug must still end as one line on stderr and exit status 1, never a
    // backtrace: the hook prints the line, catch_unwind maps the status.
    std::panic::set_hook(Box::new(|info| {
        use std::io::Write;
        // Not `eprintln!`: a panic in the hook (stderr closed) would abort.
        let _ = writeln!(
            std::io::stderr().lock(),
            "error: internal error (a bug in uchronia): {info}"
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints usage errors itself and exits 2 for them, 0 for --help.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    let result = std::panic::catch_unwind(|| match cli.command {
        Command::Run(args) => commands::run::run(&args),
        Command::Check(args) => commands::check::check(&args),
        Command::Bench(args) => commands::bench::bench(&args),
        Command::Calibrate(args) => commands::calibrate::calibrate(&args),
        Command::Graph(args) => commands::graph::graph(&args),
        Command::Sweep(args) => commands::sweep::sweep(&args),
        Command::Inevitability(args) => commands::inevitability::inevitability(&args),
        Command::Claims(args) => commands::claims::claims(&args),
        Command::Crux(args) => commands::crux::crux(&args),
        Command::Merge(args) => commands::merge::merge(&args),
        Command::Completions(args) => commands::shell::completions(&args),
        Command::Man(args) => commands::shell::man(&args),
        Command::New(args) => commands::new::new(&args),
    });
    match result {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(failure)) => {
            output::error_line(&failure);
            ExitCode::from(failure.status)
        }
        Err(_) => ExitCode::from(1),
    }
}
