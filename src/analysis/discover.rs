//! `waico discover`: scenario discovery with PRIM. Which region of a sweep's varied paths
//! holds the runs where a condition on an outcome holds ("final_members >= 100")?
//!
//! Every successful run is a case: its design point's values of the numeric varied paths,
//! and whether the condition holds for it. PRIM ([`crate::explore::prim`]) peels and
//! pastes a box; the chosen box (a step the user names, or by default the rule of
//! [`crate::explore::prim::Trajectory::choose`] above a coverage floor) is reported with
//! each restricted limit and its quasi-p-value.
//!
//! A condition compares an outcome with a number (`final_members >= 100`,
//! `members@2028-12-31 > 80`) or, for the `first_N_members` dates, with a date
//! (`first_100_members <= 2028-12-31`: a run that never got there counts as never, so it
//! meets `>` and `>=` comparisons and fails the others). Comparisons may be joined by
//! `and`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::AnalysisError;
use super::sweep_folder::SweepFolder;
use crate::explore::prim::{PrimOptions, Trajectory, prim};
use crate::output::OutputError;
use crate::output::charts::{
    self,
    prim_box::{BoxChart, Limit},
    prim_tradeoff::TradeoffChart,
};
use crate::output::tables::num;
use crate::sweep::tables::csv_field;
use crate::time::Date;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `>=`
    Ge,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `<`
    Lt,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

const OPS: [(&str, Op, &str); 6] = [
    (">=", Op::Ge, "ge"),
    ("<=", Op::Le, "le"),
    ("==", Op::Eq, "eq"),
    ("!=", Op::Ne, "ne"),
    (">", Op::Gt, "gt"),
    ("<", Op::Lt, "lt"),
];

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Ge => a >= b,
            Op::Gt => a > b,
            Op::Le => a <= b,
            Op::Lt => a < b,
            Op::Eq => a == b,
            Op::Ne => a != b,
        }
    }
}

/// One comparison of a condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The outcome.
    pub outcome: String,
    /// The operator.
    pub op: Op,
    /// The value compared with (a date as years after the runs' start).
    pub value: f64,
}

/// A condition: comparisons that must all hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// As the user wrote it.
    pub text: String,
    /// Its comparisons.
    pub all: Vec<Comparison>,
}

fn bad(text: &str, msg: String) -> AnalysisError {
    AnalysisError::Options(format!(
        "--where \"{text}\": {msg}\n  help: write OUTCOME OP VALUE, e.g. \"final_members >= 100\" or \"first_100_members <= 2028-12-31\", joined by `and`"
    ))
}

/// Parses `text` against the outcomes of `folder`.
pub fn parse_condition(text: &str, folder: &SweepFolder) -> Result<Condition, AnalysisError> {
    let mut all = Vec::new();
    for part in text.split(" and ") {
        let part = part.trim();
        let Some((at, sym, op)) = OPS
            .iter()
            .filter_map(|(sym, op, _)| part.find(sym).map(|at| (at, *sym, *op)))
            .min_by_key(|(at, sym, _)| (*at, std::cmp::Reverse(sym.len())))
        else {
            return Err(bad(
                text,
                format!("`{part}` has no comparison (>=, >, <=, <, ==, !=)"),
            ));
        };
        let outcome = part[..at].trim().to_owned();
        let rhs = part[at + sym.len()..].trim();
        if outcome.is_empty() || rhs.is_empty() {
            return Err(bad(text, format!("`{part}` needs an outcome and a value")));
        }
        let is_time = outcome.starts_with("first_");
        let value = match (rhs.parse::<f64>(), Date::parse(rhs)) {
            (_, Ok(d)) if is_time => f64::from(d.days_since(folder.start)) / 365.25,
            (Ok(v), _) if !is_time && v.is_finite() => v,
            (Ok(_), _) => {
                return Err(bad(
                    text,
                    format!("`{outcome}` is a date: compare it with a date such as 2028-12-31"),
                ));
            }
            (_, Ok(_)) => {
                return Err(bad(
                    text,
                    format!("`{outcome}` is a number: compare it with a number"),
                ));
            }
            _ => return Err(bad(text, format!("`{rhs}` is neither a number nor a date"))),
        };
        all.push(Comparison { outcome, op, value });
    }
    Ok(Condition {
        text: text.trim().to_owned(),
        all,
    })
}

/// The default folder of a discovery in `sweep_dir`: `discover-<condition>`, e.g.
/// `discover-final_members-ge-100`.
pub fn default_folder(sweep_dir: &Path, condition: &str) -> PathBuf {
    let mut s = condition.trim().to_owned();
    for (sym, _, word) in OPS {
        s = s.replace(sym, &format!(" {word} "));
    }
    let words: Vec<String> = s
        .split_whitespace()
        .map(|w| {
            w.replace('@', "-at-")
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                        c
                    } else {
                        '-'
                    }
                })
                .collect()
        })
        .collect();
    sweep_dir.join(format!("discover-{}", words.join("-")))
}

/// How to run the discovery.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// PRIM's settings.
    pub prim: PrimOptions,
    /// The default choice's coverage floor.
    pub coverage_floor: f64,
    /// A step chosen by the user, instead of the default.
    pub step: Option<usize>,
}

/// A discovery: the trajectory, the chosen box and its quasi-p-values.
#[derive(Clone, Debug, PartialEq)]
pub struct Discovery {
    /// The sweep's name.
    pub sweep: String,
    /// The SHA-256 of the sweep file (empty if its manifest has none).
    pub sweep_sha256: String,
    /// The condition.
    pub condition: String,
    /// The factors (numeric varied paths).
    pub factors: Vec<String>,
    /// The trajectory.
    pub trajectory: Trajectory,
    /// The chosen step.
    pub chosen: usize,
    /// Whether the user chose it.
    pub by_user: bool,
    /// Quasi-p-values of the chosen box's limits.
    pub quasi_p: Vec<(Option<f64>, Option<f64>)>,
    /// The options used.
    pub options: Options,
    /// Things the reader should know.
    pub notes: Vec<String>,
}

/// The cases of PRIM: every successful run with its point's values of the numeric
/// factors (`values`), and whether it meets the condition.
fn cases(
    folder: &SweepFolder,
    condition: &Condition,
    values: &[Vec<f64>],
) -> Result<(Vec<Vec<f64>>, Vec<bool>), AnalysisError> {
    let outcomes = condition
        .all
        .iter()
        .map(|c| folder.outcome(&c.outcome))
        .collect::<Result<Vec<_>, _>>()?;
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for (p, point) in folder.points.iter().enumerate() {
        for r in 0..point.runs.len() {
            let vals: Option<Vec<f64>> = outcomes.iter().map(|o| o.values[p][r]).collect();
            let Some(vals) = vals else { continue };
            x.push(values[p].clone());
            y.push(
                condition
                    .all
                    .iter()
                    .zip(&vals)
                    .all(|(c, &v)| c.op.holds(v, c.value)),
            );
        }
    }
    Ok((x, y))
}

/// Runs PRIM over the successful runs of `folder` for `condition`.
pub fn discover(
    folder: &SweepFolder,
    condition: &Condition,
    opts: &Options,
) -> Result<Discovery, AnalysisError> {
    let (numeric, values) = folder.numeric_factors();
    let mut notes = Vec::new();
    if numeric.len() < folder.paths.len() {
        let left: Vec<&str> = (0..folder.paths.len())
            .filter(|j| !numeric.contains(j))
            .map(|j| folder.paths[j].as_str())
            .collect();
        notes.push(format!(
            "left out (not numbers at every point): {}",
            left.join(", ")
        ));
    }
    if numeric.is_empty() {
        return Err(AnalysisError::Folder(format!(
            "{}: no varied path takes numbers at every point: PRIM has nothing to restrict",
            folder.dir.display()
        )));
    }
    let (x, y) = cases(folder, condition, &values)?;
    let hits = y.iter().filter(|&&h| h).count();
    if hits == 0 || hits == y.len() {
        return Err(AnalysisError::Folder(format!(
            "the condition `{}` holds in {} of the {} successful runs: there is no region to find\n  help: choose a threshold that some runs meet and others miss",
            condition.text,
            if hits == 0 { "none" } else { "all" },
            y.len()
        )));
    }
    let trajectory = prim(&x, &y, &opts.prim).map_err(AnalysisError::Options)?;
    let (chosen, by_user) = match opts.step {
        Some(s) if s < trajectory.steps.len() => (s, true),
        Some(s) => {
            return Err(AnalysisError::Options(format!(
                "--step {s}: the trajectory has steps 0 to {}",
                trajectory.steps.len() - 1
            )));
        }
        None => (trajectory.choose(opts.coverage_floor), false),
    };
    let quasi_p = trajectory.quasi_p(&x, &y, chosen);
    Ok(Discovery {
        sweep: folder.name.clone(),
        sweep_sha256: folder.sha256.clone(),
        condition: condition.text.clone(),
        factors: numeric.iter().map(|&j| folder.paths[j].clone()).collect(),
        trajectory,
        chosen,
        by_user,
        quasi_p,
        options: opts.clone(),
        notes,
    })
}

fn p_cell(p: Option<f64>) -> String {
    p.map_or(String::new(), |p| format!("{p:.3e}"))
}

impl Discovery {
    /// `trajectory.csv`: one row per box.
    pub fn trajectory_table(&self) -> String {
        let t = &self.trajectory;
        let mut out = String::from(
            "step,phase,coverage,density,mass,cases,cases_of_interest,restricted,restricted_factors\n",
        );
        for (s, step) in t.steps.iter().enumerate() {
            let phase = if s == 0 {
                "start"
            } else if step.pasted {
                "paste"
            } else {
                "peel"
            };
            let restricted = t.restricted(s);
            let names: Vec<&str> = restricted
                .iter()
                .map(|&j| self.factors[j].as_str())
                .collect();
            let _ = writeln!(
                out,
                "{s},{phase},{},{},{},{},{},{},{}",
                num(t.coverage(s)),
                num(step.density()),
                num(t.mass(s)),
                step.cases,
                step.hits,
                restricted.len(),
                csv_field(&names.join(";"))
            );
        }
        out
    }

    /// `box.csv`: the chosen box, one row per factor.
    pub fn box_table(&self) -> String {
        let t = &self.trajectory;
        let (first, chosen) = (&t.steps[0].limits, &t.steps[self.chosen].limits);
        let mut out =
            String::from("factor,restricted,low,high,data_min,data_max,quasi_p_low,quasi_p_high\n");
        for (j, factor) in self.factors.iter().enumerate() {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                csv_field(factor),
                first[j] != chosen[j],
                num(chosen[j].0),
                num(chosen[j].1),
                num(first[j].0),
                num(first[j].1),
                p_cell(self.quasi_p[j].0),
                p_cell(self.quasi_p[j].1)
            );
        }
        out
    }

    /// The text report (also `box.txt`).
    pub fn report(&self) -> String {
        let t = &self.trajectory;
        let s = self.chosen;
        let mut out = format!(
            "{}: where does `{}` hold? PRIM (Friedman and Fisher 1999) over {} varied paths\n  {} runs, {} of them meet the condition ({:.1}%); peel alpha {}, paste alpha {}, minimum mass {}\n",
            self.sweep,
            self.condition,
            self.factors.len(),
            t.cases,
            t.hits,
            100.0 * t.hits as f64 / t.cases.max(1) as f64,
            self.options.prim.peel_alpha,
            self.options.prim.paste_alpha,
            self.options.prim.min_mass
        );
        for note in &self.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        let _ = writeln!(
            out,
            "  the trajectory has {} boxes; {}\n  box {s}: coverage {:.3} (share of all runs meeting the condition that fall inside), density {:.3} (share of the runs inside that meet it), mass {:.3} ({} runs)",
            t.steps.len(),
            if self.by_user {
                format!("box {s} as asked")
            } else {
                format!(
                    "the chosen box is the one of highest coverage whose density is within two standard errors of the densest box with coverage at least {}",
                    self.options.coverage_floor
                )
            },
            t.coverage(s),
            t.steps[s].density(),
            t.mass(s),
            t.steps[s].cases
        );
        let restricted = t.restricted(s);
        if restricted.is_empty() {
            out.push_str("  it restricts no factor\n");
        }
        for j in restricted {
            let (lo, hi) = t.steps[s].limits[j];
            let (a, b) = t.steps[0].limits[j];
            let (qlo, qhi) = self.quasi_p[j];
            let side = |restricted: Option<f64>, v: f64| match restricted {
                Some(p) => format!("{v:.4} (quasi-p {})", p_text(p)),
                None => format!("{v:.4} (its range's end)"),
            };
            let _ = writeln!(
                out,
                "  {}: from {} to {}   [range {a:.4} to {b:.4}]",
                self.factors[j],
                side(qlo, lo),
                side(qhi, hi)
            );
            if qlo.into_iter().chain(qhi).any(|p| p > 0.05) {
                let _ = writeln!(
                    out,
                    "    a limit with quasi-p above 0.05 adds little beyond chance: consider a box without it (--step)"
                );
            }
        }
        out
    }

    /// Every file of the discovery folder, as (name, bytes).
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
        let t = &self.trajectory;
        let s = self.chosen;
        let mut files = vec![
            (
                "trajectory.csv".to_owned(),
                self.trajectory_table().into_bytes(),
            ),
            ("box.csv".to_owned(), self.box_table().into_bytes()),
            ("box.txt".to_owned(), self.report().into_bytes()),
        ];
        let tradeoff = charts::render(&TradeoffChart {
            title: format!("{}: PRIM trajectory for {}", self.sweep, self.condition),
            steps: (0..t.steps.len())
                .map(|k| (t.coverage(k), t.steps[k].density(), t.restricted(k).len()))
                .collect(),
            chosen: s,
        })?;
        let limits = t
            .restricted(s)
            .into_iter()
            .map(|j| Limit {
                factor: self.factors[j].clone(),
                range: t.steps[0].limits[j],
                limits: t.steps[s].limits[j],
                quasi_p: self.quasi_p[j],
            })
            .collect();
        let box_chart = charts::render(&BoxChart {
            title: format!(
                "{}: box {s} for {} (coverage {:.2}, density {:.2})",
                self.sweep,
                self.condition,
                t.coverage(s),
                t.steps[s].density()
            ),
            limits,
        })?;
        for chart in [tradeoff, box_chart] {
            files.push((format!("{}.png", chart.name), chart.png));
            files.push((format!("{}.svg", chart.name), chart.svg));
        }
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        let manifest = json!({
            "waico_version": env!("CARGO_PKG_VERSION"),
            "kind": "discover",
            "sweep": {"name": self.sweep, "sha256": self.sweep_sha256},
            "condition": self.condition,
            "factors": self.factors,
            "cases": t.cases,
            "cases_of_interest": t.hits,
            "peel_alpha": self.options.prim.peel_alpha,
            "paste_alpha": self.options.prim.paste_alpha,
            "min_mass": self.options.prim.min_mass,
            "coverage_floor": self.options.coverage_floor,
            "step": s,
            "step_chosen_by_user": self.by_user,
            "notes": self.notes,
            "files": names,
        });
        let mut bytes =
            serde_json::to_vec_pretty(&manifest).map_err(|e| OutputError::Json(e.to_string()))?;
        bytes.push(b'\n');
        files.push(("manifest.json".into(), bytes));
        Ok(files)
    }
}

fn p_text(p: f64) -> String {
    if p < 1e-300 {
        "<1e-300".to_owned()
    } else if p < 0.001 {
        format!("{p:.1e}")
    } else {
        format!("{p:.3}")
    }
}
