//! What the pipeline tells the user while it runs, on stderr: `note:`
//! lines, and a progress bar when stderr is a terminal (a spinner when a
//! precision target leaves the total open).

use std::sync::OnceLock;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use uchronia_pipeline::Observer;
use uchronia_pipeline::Widest;

use crate::output;

/// The terminal's observer: notes always, the bar unless quiet.
pub struct Terminal {
    quiet: bool,
    bar: OnceLock<ProgressBar>,
}

impl Terminal {
    /// An observer that shows a progress bar unless `quiet`.
    pub fn new(quiet: bool) -> Terminal {
        Terminal {
            quiet,
            bar: OnceLock::new(),
        }
    }
}

impl Observer for Terminal {
    fn note(&self, message: &str) {
        output::note(message);
    }

    fn start(&self, total: Option<u64>, done: u64) {
        let bar = match total {
            Some(total) => {
                let bar = trials_bar(total, self.quiet);
                bar.set_position(done);
                bar.reset_eta();
                bar
            }
            None => spinner(self.quiet, done),
        };
        let _ = self.bar.set(bar);
    }

    fn advance(&self, trials: u64) {
        if let Some(bar) = self.bar.get() {
            bar.inc(trials);
        }
    }

    fn precision(&self, draws: u64, widest: &Widest, target: f64) {
        if let Some(bar) = self.bar.get() {
            bar.set_message(format!(
                "{draws} draws, widest half-width {} (target {target})",
                output::number(widest.half_width)
            ));
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

/// Whether a bar would be seen: not quiet, and stderr a terminal.
fn shown(quiet: bool) -> bool {
    use std::io::IsTerminal;
    !quiet && std::io::stderr().is_terminal()
}

/// Trials per second for people.
fn rate(state: &ProgressState, w: &mut dyn std::fmt::Write) {
    let _ = w.write_str(&output::number(state.per_sec()));
}

/// A bar of `total` trials on stderr with the rate and time left; hidden
/// with `quiet` or when stderr is not a terminal.
fn trials_bar(total: u64, quiet: bool) -> ProgressBar {
    if !shown(quiet) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {percent:>3}%  {human_pos}/{human_len} trials  {rate} trials/s  ETA {eta}",
    ) {
        bar.set_style(style.with_key("rate", rate).progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// A running count of trials, whose total is not known in advance.
fn spinner(quiet: bool, done: u64) -> ProgressBar {
    if !shown(quiet) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} {spinner} {human_pos} trials  {rate} trials/s  {msg}",
    ) {
        bar.set_style(style.with_key("rate", rate));
    }
    bar.set_position(done);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
