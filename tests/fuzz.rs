//! Fuzzing the scenario loader and validator: the shipped baseline's text, mutated at
//! random (bytes cut, lines dropped, doubled or swapped, tokens and control characters
//! inserted, numbers replaced by extreme ones), must either load or fail with a located
//! message; it must never panic, and a scenario that loads holds only finite numbers.
//!
//! The suite runs a fixed number of cases ([`CASES`]); set `WAICO_FUZZ_CASES` for a longer
//! run (CONTRIBUTING.md).

use std::cell::Cell;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use waico::scenario::{self, BASELINE};

/// Cases per run of the suite.
const CASES: u32 = 1000;

/// Tokens a mutation may insert.
const TOKENS: &[&str] = &[
    "=",
    "[",
    "]",
    "[[",
    "]]",
    "\"",
    "'",
    ",",
    ".",
    "\n",
    "#",
    "{",
    "}",
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "-1",
    "0",
    "99999999999999999999",
    "4294967296",
    "true",
    "2025-02-30",
    "9999-12-31",
    "[[events]]",
    "[params]",
    "[states.FRA]",
    "kind = \"summit\"",
    "until = 2025-01-01",
    "\u{0}",
    "\u{7}",
    "\u{1b}",
    "\u{feff}",
    "é",
    "\"\"\"",
    "extends = \"baseline.toml\"",
    "trade_partners = 0",
    "tau = -0.0",
    "value = 1e6",
    "states = [\"XXX\"]",
];

/// One mutation of a text.
#[derive(Clone, Debug)]
enum Mutation {
    /// Cut bytes `at..at + len` (positions are taken modulo the text's length).
    Cut(usize, usize),
    /// Insert a token at a position.
    Insert(usize, usize),
    /// Drop, double or swap with the next one, line `k`.
    Line(usize, u8),
    /// Replace the `k`-th number with an extreme one.
    Number(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(a, n)| Mutation::Cut(a, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, t)| Mutation::Insert(a, t)),
        (any::<usize>(), 0u8..3).prop_map(|(k, op)| Mutation::Line(k, op)),
        (any::<usize>(), any::<usize>()).prop_map(|(k, t)| Mutation::Number(k, t)),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, m: &Mutation) {
    match *m {
        Mutation::Cut(a, n) => {
            let from = boundary(text, a);
            let to = boundary(text, (from + n).min(text.len()));
            text.replace_range(from..to.max(from), "");
        }
        Mutation::Insert(a, t) => {
            let at = boundary(text, a);
            text.insert_str(at, TOKENS[t % TOKENS.len()]);
        }
        Mutation::Line(k, op) => {
            let mut lines: Vec<&str> = text.lines().collect();
            if lines.is_empty() {
                return;
            }
            let k = k % lines.len();
            match op {
                0 => {
                    lines.remove(k);
                }
                1 => lines.insert(k, lines[k]),
                _ => {
                    if k + 1 < lines.len() {
                        lines.swap(k, k + 1);
                    }
                }
            }
            *text = lines.join("\n") + "\n";
        }
        Mutation::Number(k, t) => {
            let starts: Vec<usize> = text
                .char_indices()
                .filter(|&(i, c)| c.is_ascii_digit() && (i == 0 || text.as_bytes()[i - 1] == b' '))
                .map(|(i, _)| i)
                .collect();
            if starts.is_empty() {
                return;
            }
            let from = starts[k % starts.len()];
            let len = text[from..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
                .unwrap_or(text.len() - from);
            let extreme = ["1e308", "-1e308", "1e-320", "4294967296", "-0", "0"];
            text.replace_range(from..from + len, extreme[t % extreme.len()]);
        }
    }
}

fn cases() -> u32 {
    std::env::var("WAICO_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES)
}

#[test]
fn mutated_scenarios_load_or_fail_cleanly() {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    // A fixed seed: the suite checks the same cases every time.
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = prop::collection::vec(mutation(), 1..6);
    let (loaded, refused) = (Cell::new(0u32), Cell::new(0u32));
    let result = runner.run(&strategy, |mutations| {
        let mut text = BASELINE.to_owned();
        for m in &mutations {
            apply(&mut text, m);
        }
        match scenario::parse("fuzzed.toml", &text, None) {
            Ok(s) => {
                loaded.set(loaded.get() + 1);
                let p = toml::Value::try_from(&s.params).unwrap();
                let numbers = p
                    .as_table()
                    .unwrap()
                    .values()
                    .filter_map(toml::Value::as_float);
                for x in numbers {
                    prop_assert!(x.is_finite(), "{x} in\n{text}");
                }
            }
            Err(e) => {
                refused.set(refused.get() + 1);
                // A mutation may add `extends`: errors then point into the parent's file.
                prop_assert!(!e.file.is_empty());
                prop_assert!(!e.message.is_empty());
                let shown = e.to_string();
                prop_assert!(
                    shown.len() < 2000,
                    "a message of {} bytes: {shown}",
                    shown.len()
                );
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (loaded, refused) = (loaded.get(), refused.get());
    assert!(
        loaded > 0 && refused > 0,
        "the mutations should both keep and break scenarios ({loaded} loaded, {refused} refused)"
    );
}
