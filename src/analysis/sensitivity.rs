//! `waico sensitivity`: which varied paths of a sweep explain the variance of its outcomes.
//!
//! The outcome of a design point is the mean over its replicates. The method follows the
//! design: a `sobol` sweep gets Sobol' first-order and total indices (and second order if
//! the design has it), a `morris` sweep Morris' mu, mu* and sigma, any other design with
//! numeric varied paths a model-free screening by partial rank correlation (PRCC). Every
//! index has a 95% interval (bootstrap percentile for Sobol' and mu*, Fisher's z for PRCC),
//! the Sobol' and Morris indices a convergence table (a quarter, half and all of the base
//! samples or trajectories), and every outcome the share of its variance that is
//! replicate noise ([`crate::explore::noise`]).
//!
//! Outcomes whose runs never reach a count (`first_100_members` empty) are counted as
//! reaching it at the runs' last tick, and the share so censored is reported.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::AnalysisError;
use super::sweep_folder::{Outcome, SweepFolder};
use crate::explore::Estimate;
use crate::explore::bootstrap::Bootstrap;
use crate::explore::morris::{Morris, MorrisIndices};
use crate::explore::noise::{Noise, replicate_noise};
use crate::explore::prcc::prcc;
use crate::explore::saltelli::{Saltelli, SobolIndices};
use crate::output::OutputError;
use crate::output::charts::{
    self,
    sensitivity::{Bars, SensitivityChart},
};
use crate::output::tables::num;
use crate::sweep::design::Structure;
use crate::sweep::tables::csv_field;
use crate::time::Date;

/// Noise above this share of an outcome's variance earns a warning.
pub const NOISE_WARNING: f64 = 0.1;

/// The method an analysis used.
#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    /// Sobol' indices from a Saltelli design.
    Sobol(Saltelli),
    /// Morris elementary effects.
    Morris(Morris),
    /// Partial rank correlation coefficients.
    Prcc,
}

impl Method {
    /// Short name, as in the files.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Sobol(_) => "sobol",
            Method::Morris(_) => "morris",
            Method::Prcc => "prcc",
        }
    }

    /// What it is, in words, for the report.
    pub fn describe(&self) -> String {
        match self {
            Method::Sobol(s) => format!(
                "Sobol' indices: first order S1 (Saltelli et al. 2010) and total ST (Jansen 1999){} from a Saltelli design of N = {} base samples x {} = {} points; 95% bootstrap percentile intervals over base samples",
                if s.second_order { ", second order (Saltelli 2002)" } else { "" },
                s.base,
                s.rows_per_base(),
                s.points()
            ),
            Method::Morris(m) => format!(
                "Morris elementary effects (Morris 1991; mu* after Campolongo et al. 2007): {} trajectories on {} levels, {} points; effects in outcome units per whole range of a factor; 95% bootstrap percentile intervals for mu* over trajectories",
                m.trajectories,
                m.levels,
                m.points()
            ),
            Method::Prcc => "partial rank correlation coefficients (PRCC; Iman and Conover 1980), a model-free screening of monotone effects for a design without Sobol' or Morris structure; 95% Fisher-z intervals".to_owned(),
        }
    }
}

/// The indices of one outcome.
#[derive(Clone, Debug, PartialEq)]
pub enum Indices {
    /// Sobol' indices.
    Sobol(SobolIndices),
    /// Morris measures.
    Morris(MorrisIndices),
    /// PRCC per factor.
    Prcc(Vec<Estimate>),
}

impl Indices {
    /// The value the factors are sorted by (ST, mu* or |PRCC|).
    fn key(&self, factor: usize) -> f64 {
        match self {
            Indices::Sobol(s) => s.total[factor].value,
            Indices::Morris(m) => m.mu_star[factor].value,
            Indices::Prcc(p) => p[factor].value.abs(),
        }
    }
}

/// The analysis of one outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeAnalysis {
    /// The outcome's name.
    pub name: String,
    /// Design points with at least one successful run (all of them for Sobol' and Morris).
    pub points: usize,
    /// Mean of the point means.
    pub mean: f64,
    /// Sample variance of the point means.
    pub variance: f64,
    /// The replicate noise, when there are replicates to estimate it from.
    pub noise: Option<Noise>,
    /// Runs that never reached the count, and all runs (time outcomes only).
    pub censored: Option<(usize, usize)>,
    /// The indices, with intervals.
    pub indices: Indices,
    /// The indices (without intervals) at a quarter, half and all of the base samples or
    /// trajectories, with the size each used.
    pub convergence: Vec<(usize, Indices)>,
}

/// A sensitivity analysis of a sweep folder.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    /// The sweep's name.
    pub sweep: String,
    /// The SHA-256 of the sweep file (empty if its manifest has none).
    pub sweep_sha256: String,
    /// The sweep folder.
    pub dir: PathBuf,
    /// The method.
    pub method: Method,
    /// The factors analysed (the varied paths; for PRCC the numeric ones).
    pub factors: Vec<String>,
    /// Replicates per point.
    pub replicates: usize,
    /// Whether the replicates share seeds across points.
    pub common_seeds: bool,
    /// One analysis per outcome.
    pub outcomes: Vec<OutcomeAnalysis>,
    /// The bootstrap used.
    pub bootstrap: Bootstrap,
    /// Things the reader should know (paths left out, points without runs).
    pub notes: Vec<String>,
    /// The runs' last tick date (where times never reached are counted).
    pub last: Date,
}

/// The default folder of a sensitivity analysis of `sweep_dir`: `sensitivity/` for every
/// outcome, `sensitivity-<outcome>/` for one.
pub fn default_folder(sweep_dir: &Path, outcome: Option<&str>) -> PathBuf {
    match outcome {
        None => sweep_dir.join("sensitivity"),
        Some(o) => sweep_dir.join(format!("sensitivity-{}", slug(o))),
    }
}

/// An outcome's name as part of a file name (`members@2028-12-31` gives
/// `members-at-2028-12-31`).
pub fn slug(name: &str) -> String {
    name.replace('@', "-at-")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Analyses `folder`: every outcome of its `runs.csv`, or only `outcome`.
pub fn analyze(
    folder: &SweepFolder,
    outcome: Option<&str>,
    bootstrap: Bootstrap,
) -> Result<Sensitivity, AnalysisError> {
    if folder.paths.is_empty() {
        return Err(AnalysisError::Folder(format!(
            "{} varies no path: there is nothing to attribute the outcomes to\n  help: analyse a sweep with a [design]",
            folder.dir.display()
        )));
    }
    let mut notes = Vec::new();
    let (method, factors) = match folder.structure {
        Structure::Sobol(s) => (Method::Sobol(s), (0..folder.paths.len()).collect()),
        Structure::Morris(m) => (Method::Morris(m), (0..folder.paths.len()).collect()),
        Structure::Plain => {
            let (numeric, _) = folder.numeric_factors();
            let skipped: Vec<&str> = (0..folder.paths.len())
                .filter(|j| !numeric.contains(j))
                .map(|j| folder.paths[j].as_str())
                .collect();
            if !skipped.is_empty() {
                notes.push(format!(
                    "left out (not numbers at every point): {}",
                    skipped.join(", ")
                ));
            }
            if numeric.is_empty() {
                return Err(AnalysisError::Folder(format!(
                    "{}: no varied path takes numbers at every point, so no rank correlation can be computed",
                    folder.dir.display()
                )));
            }
            (Method::Prcc, numeric)
        }
    };
    let names: Vec<String> = match outcome {
        Some(o) => vec![o.to_owned()],
        None => folder.outcomes.clone(),
    };
    let mut outcomes = Vec::new();
    for name in &names {
        let data = folder.outcome(name)?;
        outcomes.push(analyze_outcome(
            folder, &method, &factors, &data, &bootstrap, &mut notes,
        )?);
    }
    Ok(Sensitivity {
        sweep: folder.name.clone(),
        sweep_sha256: folder.sha256.clone(),
        dir: folder.dir.clone(),
        method,
        factors: factors.iter().map(|&j| folder.paths[j].clone()).collect(),
        replicates: folder.replicates,
        common_seeds: folder.common_seeds,
        outcomes,
        bootstrap,
        notes,
        last: folder.last,
    })
}

/// The point means of an outcome (`None` for a point without a successful run), with
/// times never reached counted at the last tick; and the censored and total run counts.
fn point_means(folder: &SweepFolder, data: &Outcome) -> (Vec<Option<f64>>, Option<(usize, usize)>) {
    let censor = f64::from(folder.last.days_since(folder.start)) / 365.25;
    let (mut censored, mut total) = (0, 0);
    let means = data
        .values
        .iter()
        .map(|runs| {
            let ok: Vec<f64> = runs
                .iter()
                .flatten()
                .map(|&v| {
                    total += 1;
                    if v.is_infinite() {
                        censored += 1;
                        censor
                    } else {
                        v
                    }
                })
                .collect();
            (!ok.is_empty()).then(|| ok.iter().sum::<f64>() / ok.len() as f64)
        })
        .collect();
    (means, data.is_time.then_some((censored, total)))
}

fn analyze_outcome(
    folder: &SweepFolder,
    method: &Method,
    factors: &[usize],
    data: &Outcome,
    bootstrap: &Bootstrap,
    notes: &mut Vec<String>,
) -> Result<OutcomeAnalysis, AnalysisError> {
    let (means, censored) = point_means(folder, data);
    let present: Vec<usize> = (0..means.len()).filter(|&p| means[p].is_some()).collect();
    if present.len() < means.len() && !matches!(method, Method::Prcc) {
        let p = (0..means.len()).find(|&p| means[p].is_none()).unwrap_or(0);
        return Err(AnalysisError::Folder(format!(
            "{}: design point {p} has no successful run, and a {} design needs every point\n  help: see the errors of its runs in runs.csv",
            folder.dir.display(),
            method.name()
        )));
    }
    if present.len() < means.len() {
        notes.push(format!(
            "{}: {} design points without a successful run left out",
            data.name,
            means.len() - present.len()
        ));
    }
    let y: Vec<f64> = present.iter().filter_map(|&p| means[p]).collect();
    let mean = y.iter().sum::<f64>() / y.len().max(1) as f64;
    let variance = if y.len() > 1 {
        y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (y.len() - 1) as f64
    } else {
        0.0
    };
    let (indices, convergence) = estimate(folder, method, factors, data, &present, &y, bootstrap)?;
    Ok(OutcomeAnalysis {
        name: data.name.clone(),
        points: y.len(),
        mean,
        variance,
        noise: noise(folder, data, &present),
        censored,
        indices,
        convergence,
    })
}

/// The indices of `method` from the point means `y` (of the points `present`), and the
/// convergence table's indices at a quarter and a half of the design.
fn estimate(
    folder: &SweepFolder,
    method: &Method,
    factors: &[usize],
    data: &Outcome,
    present: &[usize],
    y: &[f64],
    bootstrap: &Bootstrap,
) -> Result<(Indices, Vec<(usize, Indices)>), AnalysisError> {
    let unit = |p: usize| -> Vec<f64> {
        factors
            .iter()
            .map(|&j| folder.points[p].params[j].parse::<f64>().unwrap_or(0.0))
            .collect()
    };
    let no_intervals = Bootstrap {
        resamples: 0,
        ..*bootstrap
    };
    Ok(match method {
        Method::Sobol(s) => {
            let sizes = sizes(s.base, 2);
            let conv = sizes
                .iter()
                .map(|&n| {
                    (
                        n,
                        Indices::Sobol(
                            s.prefix(n)
                                .analyze(&y[..s.prefix(n).points()], &no_intervals),
                        ),
                    )
                })
                .collect();
            (Indices::Sobol(s.analyze(y, bootstrap)), conv)
        }
        Method::Morris(m) => {
            let x: Vec<Vec<f64>> = (0..folder.points.len()).map(unit).collect();
            let run = |shape: &Morris, b: &Bootstrap| {
                shape
                    .analyze(&x[..shape.points()], &y[..shape.points()], b)
                    .map_err(|e| AnalysisError::Folder(format!("{}: {e}", folder.dir.display())))
            };
            let mut conv = Vec::new();
            for n in sizes(m.trajectories, 2) {
                conv.push((n, Indices::Morris(run(&m.prefix(n), &no_intervals)?)));
            }
            (Indices::Morris(run(m, bootstrap)?), conv)
        }
        Method::Prcc => {
            let x: Vec<Vec<f64>> = present.iter().map(|&p| unit(p)).collect();
            let p = prcc(&x, y).map_err(|e| {
                AnalysisError::Folder(format!("{}: {}: {e}", folder.dir.display(), data.name))
            })?;
            (Indices::Prcc(p), Vec::new())
        }
    })
}

/// A quarter, a half and all of `n` (sizes below `min` left out).
fn sizes(n: usize, min: usize) -> Vec<usize> {
    let mut out: Vec<usize> = [n / 4, n / 2]
        .into_iter()
        .filter(|&m| m >= min && m < n)
        .collect();
    out.dedup();
    out.push(n);
    out
}

/// The replicate noise of an outcome over the points whose every replicate succeeded.
fn noise(folder: &SweepFolder, data: &Outcome, present: &[usize]) -> Option<Noise> {
    let censor = f64::from(folder.last.days_since(folder.start)) / 365.25;
    let rows: Vec<Vec<f64>> = present
        .iter()
        .filter_map(|&p| {
            let runs = &data.values[p];
            (runs.len() == folder.replicates && runs.iter().all(Option::is_some)).then(|| {
                runs.iter()
                    .flatten()
                    .map(|&v| if v.is_infinite() { censor } else { v })
                    .collect()
            })
        })
        .collect();
    replicate_noise(&rows, folder.common_seeds)
}

/// Factor order for display: by the method's key, largest first (ties in path order).
pub fn order(indices: &Indices, factors: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..factors).collect();
    order.sort_by(|&a, &b| indices.key(b).total_cmp(&indices.key(a)).then(a.cmp(&b)));
    order
}

/// A number for the files: six decimals, or an empty cell were it not finite.
fn cell(x: f64) -> String {
    if x.is_finite() { num(x) } else { String::new() }
}

fn est(e: &Estimate) -> String {
    format!("{},{},{}", cell(e.value), cell(e.low), cell(e.high))
}

impl Sensitivity {
    /// The header and rows of `sensitivity.csv`, factors in path order.
    pub fn table(&self) -> String {
        let mut out = String::from(match self.method {
            Method::Sobol(_) => {
                "method,outcome,factor,s1,s1_low,s1_high,st,st_low,st_high,st_minus_s1\n"
            }
            Method::Morris(_) => {
                "method,outcome,factor,mu,mu_star,mu_star_low,mu_star_high,sigma\n"
            }
            Method::Prcc => "method,outcome,factor,prcc,prcc_low,prcc_high\n",
        });
        for o in &self.outcomes {
            for (i, factor) in self.factors.iter().enumerate() {
                let lead = format!(
                    "{},{},{}",
                    self.method.name(),
                    csv_field(&o.name),
                    csv_field(factor)
                );
                let rest = match &o.indices {
                    Indices::Sobol(s) => format!(
                        "{},{},{}",
                        est(&s.first[i]),
                        est(&s.total[i]),
                        cell(s.total[i].value - s.first[i].value)
                    ),
                    Indices::Morris(m) => format!(
                        "{},{},{}",
                        cell(m.mu[i]),
                        est(&m.mu_star[i]),
                        cell(m.sigma[i])
                    ),
                    Indices::Prcc(p) => est(&p[i]),
                };
                let _ = writeln!(out, "{lead},{rest}");
            }
        }
        out
    }

    /// `convergence.csv`: the indices at a quarter, half and all of the base samples
    /// (Sobol') or trajectories (Morris); `None` for PRCC.
    pub fn convergence_table(&self) -> Option<String> {
        let mut out = String::from(match self.method {
            Method::Sobol(_) => "method,outcome,factor,base_samples,s1,st\n",
            Method::Morris(_) => "method,outcome,factor,trajectories,mu_star,sigma\n",
            Method::Prcc => return None,
        });
        for o in &self.outcomes {
            for (i, factor) in self.factors.iter().enumerate() {
                for (n, ind) in &o.convergence {
                    let values = match ind {
                        Indices::Sobol(s) => {
                            format!("{},{}", cell(s.first[i].value), cell(s.total[i].value))
                        }
                        Indices::Morris(m) => {
                            format!("{},{}", cell(m.mu_star[i].value), cell(m.sigma[i]))
                        }
                        Indices::Prcc(_) => continue,
                    };
                    let _ = writeln!(
                        out,
                        "{},{},{},{n},{values}",
                        self.method.name(),
                        csv_field(&o.name),
                        csv_field(factor)
                    );
                }
            }
        }
        Some(out)
    }

    /// `second_order.csv`, when the design has second-order indices.
    pub fn second_order_table(&self) -> Option<String> {
        let Method::Sobol(s) = self.method else {
            return None;
        };
        if !s.second_order {
            return None;
        }
        let mut out = String::from("outcome,factor_a,factor_b,s2,s2_low,s2_high\n");
        for o in &self.outcomes {
            if let Indices::Sobol(ind) = &o.indices {
                for (i, l, e) in &ind.second {
                    let _ = writeln!(
                        out,
                        "{},{},{},{}",
                        csv_field(&o.name),
                        csv_field(&self.factors[*i]),
                        csv_field(&self.factors[*l]),
                        est(e)
                    );
                }
            }
        }
        Some(out)
    }

    /// `outcomes.csv`: per outcome, the spread of the point means and its noise share.
    pub fn outcomes_table(&self) -> String {
        let mut out = String::from(
            "outcome,method,points,replicates,mean,variance,noise_variance,noise_share,censored_share\n",
        );
        for o in &self.outcomes {
            let (nv, ns) = o.noise.map_or((String::new(), String::new()), |n| {
                (cell(n.noise), cell(n.share))
            });
            let censored = o
                .censored
                .map_or(String::new(), |(c, t)| cell(c as f64 / t.max(1) as f64));
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{nv},{ns},{censored}",
                csv_field(&o.name),
                self.method.name(),
                o.points,
                self.replicates,
                cell(o.mean),
                cell(o.variance)
            );
        }
        out
    }

    /// The bar chart of one outcome.
    pub fn chart(&self, o: &OutcomeAnalysis) -> SensitivityChart {
        let order = order(&o.indices, self.factors.len());
        let pick = |f: &dyn Fn(usize) -> [f64; 3]| order.iter().map(|&i| f(i)).collect();
        let (bars, x_desc) = match (&o.indices, &self.method) {
            (Indices::Sobol(s), Method::Sobol(shape)) => (
                vec![
                    Bars {
                        label: "S1, first order".into(),
                        values: pick(&|i| [s.first[i].value, s.first[i].low, s.first[i].high]),
                    },
                    Bars {
                        label: "ST, total (with interactions)".into(),
                        values: pick(&|i| [s.total[i].value, s.total[i].low, s.total[i].high]),
                    },
                ],
                format!(
                    "share of the variance of the point means (whiskers: 95% bootstrap interval; N = {}, {} replicates a point)",
                    shape.base, self.replicates
                ),
            ),
            (Indices::Morris(m), _) => (
                vec![
                    Bars {
                        label: "mu*, mean absolute effect".into(),
                        values: pick(&|i| {
                            [m.mu_star[i].value, m.mu_star[i].low, m.mu_star[i].high]
                        }),
                    },
                    Bars {
                        label: "sigma, spread of the effects".into(),
                        values: pick(&|i| [m.sigma[i]; 3]),
                    },
                ],
                format!(
                    "{} per whole range of the factor (whiskers: 95% bootstrap interval of mu*)",
                    o.name
                ),
            ),
            (Indices::Prcc(p), _) => (
                vec![Bars {
                    label: "PRCC".into(),
                    values: pick(&|i| [p[i].value, p[i].low, p[i].high]),
                }],
                "partial rank correlation with the outcome (whiskers: 95% Fisher-z interval)"
                    .into(),
            ),
            (Indices::Sobol(_), _) => (Vec::new(), String::new()),
        };
        SensitivityChart {
            name: format!("sensitivity-{}", slug(&o.name)),
            title: format!("{}: what drives {}", self.sweep, o.name),
            x_desc,
            factors: order.iter().map(|&i| self.factors[i].clone()).collect(),
            bars,
        }
    }

    /// Every file of the analysis folder, as (name, bytes).
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
        let mut files = vec![("sensitivity.csv".to_owned(), self.table().into_bytes())];
        if let Some(t) = self.second_order_table() {
            files.push(("second_order.csv".into(), t.into_bytes()));
        }
        if let Some(t) = self.convergence_table() {
            files.push(("convergence.csv".into(), t.into_bytes()));
        }
        files.push(("outcomes.csv".into(), self.outcomes_table().into_bytes()));
        files.push(("sensitivity.txt".into(), self.report().into_bytes()));
        for o in &self.outcomes {
            let chart = charts::render(&self.chart(o))?;
            files.push((format!("{}.png", chart.name), chart.png));
            files.push((format!("{}.svg", chart.name), chart.svg));
        }
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        let manifest = json!({
            "waico_version": env!("CARGO_PKG_VERSION"),
            "kind": "sensitivity",
            "sweep": {"name": self.sweep, "sha256": self.sweep_sha256},
            "method": self.method.name(),
            "description": self.method.describe(),
            "factors": self.factors,
            "outcomes": self.outcomes.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
            "replicates": self.replicates,
            "common_seeds": self.common_seeds,
            "bootstrap": {
                "resamples": self.bootstrap.resamples,
                "seed": self.bootstrap.seed,
                "level": self.bootstrap.level,
            },
            "notes": self.notes,
            "files": names,
        });
        let mut bytes =
            serde_json::to_vec_pretty(&manifest).map_err(|e| OutputError::Json(e.to_string()))?;
        bytes.push(b'\n');
        files.push(("manifest.json".into(), bytes));
        Ok(files)
    }

    /// The plain-text report: per outcome, the factors in order with their indices, the
    /// noise, censoring and convergence, and any warning.
    pub fn report(&self) -> String {
        let mut out = format!(
            "{}: {}\n  {} replicates per point ({}); a point's outcome is the mean over its replicates\n",
            self.sweep,
            self.method.describe(),
            self.replicates,
            if self.common_seeds {
                "common random numbers"
            } else {
                "independent seeds"
            }
        );
        for note in &self.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        for o in &self.outcomes {
            out.push('\n');
            out.push_str(&self.outcome_report(o));
        }
        out
    }

    fn outcome_report(&self, o: &OutcomeAnalysis) -> String {
        let mut out = format!(
            "{}: mean {} over {} points, sd {}\n",
            o.name,
            short(o.mean),
            o.points,
            short(o.variance.sqrt())
        );
        if o.variance <= 0.0 {
            out.push_str("  the outcome is the same at every point: nothing to attribute\n");
            return out;
        }
        let width = self
            .factors
            .iter()
            .map(String::len)
            .max()
            .unwrap_or(6)
            .max(6);
        let row = |name: &str, cells: String| format!("  {name:<width$}  {cells}\n");
        match &o.indices {
            Indices::Sobol(_) => out.push_str(&row(
                "factor",
                format!("{:<24}{:<24}{}", "S1 [95%]", "ST [95%]", "ST - S1"),
            )),
            Indices::Morris(_) => out.push_str(&row(
                "factor",
                format!("{:<30}{:<12}{}", "mu* [95%]", "mu", "sigma"),
            )),
            Indices::Prcc(_) => out.push_str(&row("factor", "PRCC [95%]".into())),
        }
        for i in order(&o.indices, self.factors.len()) {
            let cells = match &o.indices {
                Indices::Sobol(s) => format!(
                    "{:<24}{:<24}{:.3}",
                    interval(&s.first[i], 3),
                    interval(&s.total[i], 3),
                    s.total[i].value - s.first[i].value
                ),
                Indices::Morris(m) => format!(
                    "{:<30}{:<12}{}",
                    interval(&m.mu_star[i], 3),
                    short(m.mu[i]),
                    short(m.sigma[i])
                ),
                Indices::Prcc(p) => interval(&p[i], 3),
            };
            out.push_str(&row(&self.factors[i], cells));
        }
        if let Indices::Sobol(s) = &o.indices {
            let sum: f64 = s.first.iter().map(|e| e.value).sum();
            let _ = writeln!(
                out,
                "  the first-order indices sum to {sum:.2}: about {:.0}% of the variance comes from interactions",
                ((1.0 - sum) * 100.0).max(0.0)
            );
        }
        out.push_str(&self.convergence_line(o));
        out.push_str(&self.noise_lines(o));
        out
    }

    /// What the report says of replicate noise and of censored times.
    fn noise_lines(&self, o: &OutcomeAnalysis) -> String {
        let mut out = String::new();
        match o.noise {
            Some(n) if n.share > NOISE_WARNING => {
                let _ = writeln!(
                    out,
                    "  WARNING: replicate noise is about {:.0}% of the variance of the point means (estimated from the spread of the {} replicates{}); indices are blurred by it: run more replicates per point",
                    n.share * 100.0,
                    self.replicates,
                    if self.common_seeds {
                        ", with seeds as blocks"
                    } else {
                        ""
                    }
                );
            }
            Some(n) => {
                let _ = writeln!(
                    out,
                    "  replicate noise: {:.1}% of the variance of the point means",
                    n.share * 100.0
                );
            }
            None => out.push_str("  replicate noise: not estimated (one replicate per point)\n"),
        }
        if let Some((c, t)) = o.censored
            && c > 0
        {
            let _ = writeln!(
                out,
                "  note: {:.0}% of runs never reached the count; they are counted as reaching it at the last tick ({})",
                100.0 * c as f64 / t.max(1) as f64,
                self.last
            );
        }
        out
    }

    /// How far the indices moved between the last two sizes of the convergence table.
    fn convergence_line(&self, o: &OutcomeAnalysis) -> String {
        let [.., (n0, a), (n1, b)] = o.convergence.as_slice() else {
            return String::new();
        };
        let mut worst = (0.0f64, String::new());
        for i in 0..self.factors.len() {
            let pairs: Vec<(f64, f64, &str)> = match (a, b) {
                (Indices::Sobol(x), Indices::Sobol(y)) => vec![
                    (x.first[i].value, y.first[i].value, "S1"),
                    (x.total[i].value, y.total[i].value, "ST"),
                ],
                (Indices::Morris(x), Indices::Morris(y)) => {
                    vec![(x.mu_star[i].value, y.mu_star[i].value, "mu*")]
                }
                _ => Vec::new(),
            };
            for (u, v, what) in pairs {
                if (v - u).abs() > worst.0 {
                    worst = ((v - u).abs(), format!("{what} of {}", self.factors[i]));
                }
            }
        }
        format!(
            "  convergence: from {n0} to {n1} {}, no index moved more than {} ({})\n",
            if matches!(self.method, Method::Morris(_)) {
                "trajectories"
            } else {
                "base samples"
            },
            short(worst.0),
            if worst.1.is_empty() {
                "none moved".to_owned()
            } else {
                worst.1
            }
        )
    }
}

/// `value [low, high]` with `digits` decimals.
fn interval(e: &Estimate, digits: usize) -> String {
    format!(
        "{:.d$} [{:.d$}, {:.d$}]",
        e.value,
        e.low,
        e.high,
        d = digits
    )
}

/// A number in at most about four significant digits.
fn short(x: f64) -> String {
    if x.abs() >= 100.0 {
        format!("{x:.1}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}
