//! The one error type of bad input: a scenario, world or trade file that cannot be used.
//!
//! Every error names the file, the line (and column) when known, the key or column, what
//! is wrong, and how to fix it. Parsing, validation and world loading all produce it; the
//! CLI prints it and exits non-zero before any output is written.

use std::fmt;
use std::ops::Range;

/// A problem with user input, located as precisely as the input allows.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    /// The file, as the user named it (or `built-in baseline`).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// The dotted key (`params.beta_peer`, `events[3].date`) or CSV column.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl ScenarioError {
    /// An error in `file` with no location yet.
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> ScenarioError {
        ScenarioError {
            file: file.into(),
            line: None,
            column: None,
            key: None,
            message: message.into(),
            help: None,
        }
    }

    /// Sets the key or column.
    pub fn key(mut self, key: impl Into<String>) -> ScenarioError {
        self.key = Some(key.into());
        self
    }

    /// Sets the 1-based line.
    pub fn line(mut self, line: usize) -> ScenarioError {
        self.line = Some(line as u32);
        self
    }

    /// Sets the fix.
    pub fn help(mut self, help: impl Into<String>) -> ScenarioError {
        self.help = Some(help.into());
        self
    }

    /// Sets an optional fix.
    pub fn maybe_help(mut self, help: Option<String>) -> ScenarioError {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Sets line and column from a byte span of `text`.
    pub fn at_span(mut self, text: &str, span: Range<usize>) -> ScenarioError {
        let (line, column) = line_col(text, span.start);
        self.line = Some(line as u32);
        self.column = Some(column as u32);
        self
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ", key `{key}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely
/// misspelling (at most a third of the word's length, and at least 1 edit allowed;
/// case-insensitive). Ties go to the earlier candidate.
pub fn closest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = strsim::damerau_levenshtein(&lower, &candidate.to_lowercase());
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// "did you mean `x`?" for the closest candidate, or a list of the valid choices when
/// nothing is close and the list is short.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    if let Some(best) = closest(word, candidates.clone()) {
        return Some(format!("did you mean `{best}`?"));
    }
    let all: Vec<&str> = candidates.into_iter().collect();
    (all.len() <= 16 && !all.is_empty()).then(|| {
        let list: Vec<String> = all.iter().map(|c| format!("`{c}`")).collect();
        format!("expected one of {}", list.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 9), (2, 4));
    }

    #[test]
    fn closest_finds_misspellings_only() {
        let keys = ["beta_peer", "beta_bloc", "beta_legit"];
        assert_eq!(closest("beta_peeer", keys), Some("beta_peer"));
        assert_eq!(closest("BETA_BLOC", keys), Some("beta_bloc"));
        assert_eq!(closest("gamma", keys), None);
    }

    #[test]
    fn display_names_file_line_key_and_fix() {
        let err = ScenarioError::new("s.toml", "unknown key")
            .line(3)
            .key("params.x")
            .help("did you mean `params.y`?");
        assert_eq!(
            err.to_string(),
            "s.toml, line 3, key `params.x`: unknown key\n  help: did you mean `params.y`?"
        );
    }
}
