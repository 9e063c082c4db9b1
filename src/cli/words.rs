//! Words of the command line's messages: counts with the right plural, a progress bar
//! that reads like the rest of the output.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

/// `n` and the noun, singular for one: "1 chart", "7 charts", "0 charts", "2,000 runs".
pub fn count(n: impl Into<u64>, singular: &str, plural: &str) -> String {
    let n = n.into();
    format!(
        "{} {}",
        thousands(n),
        if n == 1 { singular } else { plural }
    )
}

/// A progress bar of `total` `what` (e.g. "runs") on a terminal, hidden otherwise; its
/// rate is a whole number per second ("5,548/s").
pub fn progress_bar(total: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    let template = format!("{{bar:40}} {{pos}}/{{len}} {what}  {{rate}}  ETA {{eta}}");
    let style = ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "rate",
            |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}/s", thousands(state.per_sec().round() as u64));
            },
        );
    bar.set_style(style);
    bar
}

/// What the sweep engine calls as blocks of runs finish: moves `bar`.
pub fn follow(bar: &ProgressBar) -> Option<std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>> {
    let bar = bar.clone();
    Some(std::sync::Arc::new(move |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    }))
}

/// The end of a "ran N runs" line: how many runs were kept from an interrupted run and
/// how many failed, each only when there are some (", kept 40 from before, 2 FAILED (see
/// runs.csv)").
pub fn kept_and_failed(kept: u64, failed: u64) -> String {
    let mut words = String::new();
    if kept > 0 {
        words.push_str(&format!(", kept {} from before", thousands(kept)));
    }
    if failed > 0 {
        words.push_str(&format!(", {} FAILED (see runs.csv)", thousands(failed)));
    }
    words
}

pub use crate::output::thousands;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_numbers_read_right() {
        assert_eq!(count(1u32, "chart", "charts"), "1 chart");
        assert_eq!(count(0u32, "chart", "charts"), "0 charts");
        assert_eq!(
            count(7u32, "design point", "design points"),
            "7 design points"
        );
        assert_eq!(count(2000u32, "run", "runs"), "2,000 runs");
        assert_eq!(thousands(5547), "5,547");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
