//! What a backtest reports: the printed tables and the folder's files (checkpoints, groups,
//! states, curve, scores, a chart and the manifest). Every writer returns bytes;
//! `cli/backtest.rs` writes them.

use std::fmt::Write as _;

use serde_json::json;

use super::{Arm, Backtest, paired};
use crate::calibrate::scores::Scores;
use crate::output::charts::fan::{Fan, FanChart};
use crate::output::charts::{self};
use crate::output::{OutputError, tables::num};
use crate::sweep::stats::stats;

impl Backtest {
    /// The root-mean-square gap between the mean simulated count and the observed one
    /// over the checkpoints, for `arm`.
    pub fn curve_rmse(&self, arm: &Arm) -> f64 {
        rmse(
            self.checkpoints
                .iter()
                .zip(&arm.at_checkpoints)
                .map(|(c, v)| stats(v).mean - c.observed),
        )
    }

    /// The same for persistence: the first observed count held at every checkpoint.
    pub fn persistence_rmse(&self) -> f64 {
        let first = self.checkpoints.first().map_or(0.0, |c| c.observed);
        rmse(self.checkpoints.iter().map(|c| first - c.observed))
    }

    /// The scores of a constant prediction at the observed share of joiners among the
    /// scored states (known only in hindsight): the floor any skill must beat.
    pub fn hindsight_rate(&self) -> Option<Scores> {
        let who = self.who.as_ref()?;
        let y: Vec<bool> = (0..who.len())
            .filter(|&i| self.free[i])
            .map(|i| who[i])
            .collect();
        let rate = crate::calibrate::baselines::base_rate(&y);
        let floor = 0.5 / f64::from(self.options.seeds);
        Some(crate::calibrate::scores::score(
            &vec![rate; y.len()],
            &y,
            floor,
        ))
    }

    /// The printed report.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let cal = &self.scenario.calendar;
        let _ = writeln!(
            out,
            "{} against {}: {} seeds ({} to {}), {} to {}",
            self.scenario.name,
            self.observed.label,
            self.options.seeds,
            self.options.first_seed,
            self.options.first_seed + u64::from(self.options.seeds) - 1,
            cal.start(),
            cal.last_date()
        );
        self.report_counts(&mut out);
        self.report_who(&mut out);
        self.report_groups(&mut out);
        out
    }

    fn report_counts(&self, out: &mut String) {
        let _ = writeln!(out, "  members       observed      mean  median [90% band]");
        for (k, c) in self.checkpoints.iter().enumerate() {
            let s = stats(&self.with.at_checkpoints[k]);
            let _ = writeln!(
                out,
                "  {}  {:>8}  {:>8.1}  {:>6.0} [{:.0}, {:.0}]",
                c.date, c.observed, s.mean, s.quantiles[2], s.quantiles[0], s.quantiles[4]
            );
        }
        let _ = writeln!(
            out,
            "  curve RMSE {:.2} members (persistence, the first count held: {:.2})",
            self.curve_rmse(&self.with),
            self.persistence_rmse()
        );
        let (Some(label), Some(w)) = (&self.options.without, &self.without) else {
            return;
        };
        let _ = writeln!(
            out,
            "  without `{label}` (same seeds), difference without minus with [95% CI]:"
        );
        for (k, c) in self.checkpoints.iter().enumerate() {
            let s = stats(&w.at_checkpoints[k]);
            let d = paired(&self.with.at_checkpoints[k], &w.at_checkpoints[k]);
            let _ = writeln!(
                out,
                "  {}  {:>8}  {:>8.1}  {:>6.0} [{:.0}, {:.0}]  {:+.1} [{:+.1}, {:+.1}], fewer in {:.0}% of seeds, more in {:.0}%",
                c.date,
                c.observed,
                s.mean,
                s.quantiles[2],
                s.quantiles[0],
                s.quantiles[4],
                d.mean,
                d.mean - 1.96 * d.se,
                d.mean + 1.96 * d.se,
                100.0 * d.below,
                100.0 * d.above
            );
        }
    }

    fn report_who(&self, out: &mut String) {
        let (Some(s), Some(c)) = (&self.with.scores, self.checkpoints.last()) else {
            return;
        };
        let _ = writeln!(
            out,
            "  who joined by {} ({} states the model decides, {} joined): {}",
            c.date,
            s.n,
            s.positives,
            scores_text(s)
        );
        if let Some(h) = self.hindsight_rate() {
            let _ = writeln!(
                out,
                "    a constant at the observed rate (hindsight): {}",
                scores_text(&h)
            );
        }
        if let Some(s) = self.without.as_ref().and_then(|w| w.scores.as_ref()) {
            let _ = writeln!(out, "    without: {}", scores_text(s));
        }
    }

    fn report_groups(&self, out: &mut String) {
        if self.groups.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "  states of each group that joined since the start: observed, simulated mean, share of seeds with any{}",
            if self.without.is_some() {
                "; the same without"
            } else {
                ""
            }
        );
        for (k, c) in self.checkpoints.iter().enumerate() {
            for (g, group) in self.groups.iter().enumerate() {
                let with = &self.with.group_joiners[k][g];
                let observed =
                    c.observed_groups[g].map_or_else(|| "-".to_owned(), |n| n.to_string());
                let _ = write!(
                    out,
                    "  {}  {:<12} {:>4}  {:>6.2}  {:>4.0}%",
                    c.date,
                    group.name,
                    observed,
                    stats(with).mean,
                    100.0 * any_share(with)
                );
                if let Some(w) = &self.without {
                    let w = &w.group_joiners[k][g];
                    let _ = write!(
                        out,
                        "   {:>6.2}  {:>4.0}%",
                        stats(w).mean,
                        100.0 * any_share(w)
                    );
                }
                let _ = writeln!(out);
            }
        }
    }

    /// The folder's files: checkpoints.csv, groups.csv, states.csv, curve.csv, scores.csv,
    /// backtest.png/.svg and manifest.json. `file` is the scenario as the user named it.
    pub fn files(&self, file: &str) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
        let mut out = vec![
            ("checkpoints.csv".to_owned(), self.checkpoints_csv()?),
            ("groups.csv".to_owned(), self.groups_csv()?),
            ("states.csv".to_owned(), self.states_csv()?),
            ("curve.csv".to_owned(), self.curve_csv()?),
            ("scores.csv".to_owned(), self.scores_csv()?),
        ];
        let chart = charts::render(&self.chart())?;
        out.push(("backtest.png".into(), chart.png));
        out.push(("backtest.svg".into(), chart.svg));
        out.push(("manifest.json".into(), self.manifest(file)?));
        Ok(out)
    }

    fn checkpoints_csv(&self) -> Result<Vec<u8>, OutputError> {
        let mut header = vec![
            "date", "tick", "observed", "mean", "q05", "q25", "median", "q75", "q95",
        ];
        if self.without.is_some() {
            header.extend([
                "without_mean",
                "without_q05",
                "without_median",
                "without_q95",
                "difference_mean",
                "difference_se",
                "share_fewer",
                "share_more",
            ]);
        }
        let rows = self.checkpoints.iter().enumerate().map(|(k, c)| {
            let s = stats(&self.with.at_checkpoints[k]);
            let mut row = vec![
                c.date.to_string(),
                c.tick.to_string(),
                num(c.observed),
                num(s.mean),
            ];
            row.extend(s.quantiles.iter().map(|q| num(*q)));
            if let Some(w) = &self.without {
                let ws = stats(&w.at_checkpoints[k]);
                let d = paired(&self.with.at_checkpoints[k], &w.at_checkpoints[k]);
                row.extend([
                    num(ws.mean),
                    num(ws.quantiles[0]),
                    num(ws.quantiles[2]),
                    num(ws.quantiles[4]),
                    num(d.mean),
                    num(d.se),
                    num(d.below),
                    num(d.above),
                ]);
            }
            row
        });
        csv_bytes(&header, rows)
    }

    fn groups_csv(&self) -> Result<Vec<u8>, OutputError> {
        let mut header = vec!["date", "group", "observed", "mean", "share_any"];
        if self.without.is_some() {
            header.extend(["without_mean", "without_share_any"]);
        }
        let mut rows = Vec::new();
        for (k, c) in self.checkpoints.iter().enumerate() {
            for (g, group) in self.groups.iter().enumerate() {
                let with = &self.with.group_joiners[k][g];
                let mut row = vec![
                    c.date.to_string(),
                    group.name.clone(),
                    c.observed_groups[g]
                        .map(|n| n.to_string())
                        .unwrap_or_default(),
                    num(stats(with).mean),
                    num(any_share(with)),
                ];
                if let Some(w) = &self.without {
                    let w = &w.group_joiners[k][g];
                    row.extend([num(stats(w).mean), num(any_share(w))]);
                }
                rows.push(row);
            }
        }
        csv_bytes(&header, rows.into_iter())
    }

    fn states_csv(&self) -> Result<Vec<u8>, OutputError> {
        let mut header = vec!["iso3", "scored", "observed_member", "share"];
        if self.without.is_some() {
            header.push("without_share");
        }
        let rows = self
            .scenario
            .world
            .nations
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut row = vec![
                    n.iso3.clone(),
                    u8::from(self.free[i]).to_string(),
                    self.who
                        .as_ref()
                        .map(|w| u8::from(w[i]).to_string())
                        .unwrap_or_default(),
                    num(self.with.shares[i]),
                ];
                if let Some(w) = &self.without {
                    row.push(num(w.shares[i]));
                }
                row
            });
        csv_bytes(&header, rows)
    }

    fn curve_csv(&self) -> Result<Vec<u8>, OutputError> {
        let mut header = vec![
            "tick", "date", "observed", "mean", "q05", "q25", "median", "q75", "q95",
        ];
        if self.without.is_some() {
            header.extend([
                "without_mean",
                "without_q05",
                "without_median",
                "without_q95",
            ]);
        }
        let dates = self.scenario.calendar.dates();
        let rows = dates.iter().enumerate().map(|(t, &date)| {
            let s = tick_stats(&self.with, t);
            let mut row = vec![
                t.to_string(),
                date.to_string(),
                self.observed.value_at(date).map(num).unwrap_or_default(),
                num(s.mean),
            ];
            row.extend(s.quantiles.iter().map(|q| num(*q)));
            if let Some(w) = &self.without {
                let ws = tick_stats(w, t);
                row.extend([
                    num(ws.mean),
                    num(ws.quantiles[0]),
                    num(ws.quantiles[2]),
                    num(ws.quantiles[4]),
                ]);
            }
            row
        });
        csv_bytes(&header, rows)
    }

    fn scores_csv(&self) -> Result<Vec<u8>, OutputError> {
        let header = [
            "predictor",
            "states",
            "joined",
            "log_loss",
            "brier",
            "auc",
            "curve_rmse",
        ];
        let mut rows: Vec<Vec<String>> = Vec::new();
        let score_row = |name: &str, s: Option<&Scores>, rmse: f64| {
            let mut row = vec![name.to_owned()];
            match s {
                Some(s) => row.extend([
                    s.n.to_string(),
                    s.positives.to_string(),
                    num(s.log_loss),
                    num(s.brier),
                    s.auc.map(num).unwrap_or_default(),
                ]),
                None => row.extend(std::iter::repeat_n(String::new(), 5)),
            }
            row.push(num(rmse));
            row
        };
        rows.push(score_row(
            "model",
            self.with.scores.as_ref(),
            self.curve_rmse(&self.with),
        ));
        if let Some(w) = &self.without {
            rows.push(score_row(
                "model_without",
                w.scores.as_ref(),
                self.curve_rmse(w),
            ));
        }
        let hindsight = self.hindsight_rate();
        let mut row = score_row("hindsight_rate", hindsight.as_ref(), 0.0);
        row[6] = String::new();
        rows.push(row);
        let mut row = score_row("persistence", None, self.persistence_rmse());
        row[1] = String::new();
        rows.push(row);
        csv_bytes(&header, rows.into_iter())
    }

    fn chart(&self) -> FanChart {
        let fan = |label: String, arm: &Arm| Fan {
            label,
            dates: self.scenario.calendar.dates().to_vec(),
            quantiles: (0..self.scenario.calendar.dates().len())
                .map(|t| tick_stats(arm, t).quantiles)
                .collect(),
        };
        let mut fans = vec![fan(
            format!("{} ({} seeds)", self.scenario.name, self.options.seeds),
            &self.with,
        )];
        if let (Some(label), Some(w)) = (&self.options.without, &self.without) {
            fans.push(fan(format!("without `{label}`"), w));
        }
        FanChart {
            name: "backtest".into(),
            title: format!("{}: observed and simulated members", self.scenario.name),
            fans,
            observed: self.observed.points.clone(),
            y_max: None,
        }
    }

    fn manifest(&self, file: &str) -> Result<Vec<u8>, OutputError> {
        let scores = |s: &Option<Scores>| {
            s.as_ref().map(|s| {
                json!({"states": s.n, "joined": s.positives, "log_loss": s.log_loss, "brier": s.brier, "auc": s.auc})
            })
        };
        let manifest = json!({
            "waico_version": env!("CARGO_PKG_VERSION"),
            "kind": "backtest",
            "scenario": {
                "name": self.scenario.name,
                "file": file,
                "sha256": self.scenario.sha256,
            },
            "observed": self.observed.label,
            "seeds": self.options.seeds,
            "first_seed": self.options.first_seed,
            "without": self.options.without,
            "groups": self.options.groups,
            "who_joined": scores(&self.with.scores),
            "who_joined_without": self.without.as_ref().map(|w| scores(&w.scores)),
            "curve_rmse": self.curve_rmse(&self.with),
            "persistence_rmse": self.persistence_rmse(),
            "method": "every seed run on the scenario as written (and, with `without`, on the same seeds with the events of that label removed); counts at each observed date; who joined scored at the last observed date on the states the model decides (not the host, not the opponent unless it may join, not barred, not held by a decide event)",
        });
        let mut bytes =
            serde_json::to_vec_pretty(&manifest).map_err(|e| OutputError::Json(e.to_string()))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// The share of seeds with a positive value.
fn any_share(values: &[f64]) -> f64 {
    values.iter().filter(|&&v| v > 0.0).count() as f64 / values.len().max(1) as f64
}

fn tick_stats(arm: &Arm, t: usize) -> crate::sweep::stats::Stats {
    let values: Vec<f64> = arm.members.iter().map(|m| f64::from(m[t])).collect();
    stats(&values)
}

fn rmse(gaps: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = gaps.fold((0.0, 0usize), |(s, n), g| (s + g * g, n + 1));
    if n == 0 { 0.0 } else { (sum / n as f64).sqrt() }
}

fn scores_text(s: &Scores) -> String {
    format!(
        "log loss {:.3}, Brier {:.3}, AUC {}",
        s.log_loss,
        s.brier,
        s.auc.map_or_else(|| "-".to_owned(), |a| format!("{a:.3}"))
    )
}

fn csv_bytes(
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<Vec<u8>, OutputError> {
    let csv_err = |e: csv::Error| OutputError::Csv(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(csv_err)?;
    for row in rows {
        w.write_record(&row).map_err(csv_err)?;
    }
    w.into_inner().map_err(|e| OutputError::Csv(e.to_string()))
}
