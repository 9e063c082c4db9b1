//! What a calibration reports: the printed fit and the folder's files (fit, fitted values
//! to paste, every evaluation, the curve, every state's share, the chart, the manifest),
//! and the same for a cross-validation. Every writer returns bytes; `cli/calibrate.rs`
//! writes them.

use std::fmt::Write as _;

use serde_json::json;

use super::crossval::CrossValidation;
use super::{Fit, Observed, Settings};
use crate::output::charts::fan::{Fan, FanChart};
use crate::output::charts::{self};
use crate::output::{OutputError, tables::num};

/// The printed fit.
pub fn report(fit: &Fit, observed: &Observed, settings: &Settings) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: fitted {} parameters to {} ({} observations)",
        fit.scenario.name,
        fit.parameters.len(),
        observed.label,
        observed.points.len()
    );
    for (p, v) in fit.parameters.iter().zip(&fit.best.values) {
        let _ = writeln!(out, "  {} = {v:.4}   (range {} to {})", p.path, p.lo, p.hi);
    }
    let _ = writeln!(
        out,
        "  loss {:.4}: curve {:.4} (RMSE {:.2} members){}",
        fit.best.loss,
        fit.best.curve_loss,
        fit.best.curve_loss.sqrt(),
        if settings.who_weight > 0.0 {
            format!(
                ", who-joined {:.4} x {}",
                fit.best.who_loss, settings.who_weight
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(out, "  date          observed  simulated median [90% band]");
    for &(date, obs) in &observed.points {
        if let Some(row) = fit.curve.iter().rev().find(|r| r.date <= date) {
            // A mean curve's fractional counts are shown as they are, not rounded.
            let obs = if obs.fract() == 0.0 {
                format!("{obs:.0}")
            } else {
                format!("{obs:.2}")
            };
            let _ = writeln!(
                out,
                "  {date}  {obs:>8}  {:>8.1} [{:.0}, {:.0}]",
                row.quantiles[2], row.quantiles[0], row.quantiles[4]
            );
        }
    }
    out
}

/// The folder's files: fit.csv, fitted.toml, search.csv, curve.csv, states.csv, the chart
/// and manifest.json. `file` is the scenario as the user named it.
pub fn files(
    fit: &Fit,
    observed: &Observed,
    settings: &Settings,
    file: &str,
) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
    let csv_err = |e: csv::Error| OutputError::Csv(e.to_string());
    let finish =
        |w: csv::Writer<Vec<u8>>| w.into_inner().map_err(|e| OutputError::Csv(e.to_string()));

    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["parameter", "value", "lo", "hi"])
        .map_err(csv_err)?;
    for (p, v) in fit.parameters.iter().zip(&fit.best.values) {
        w.write_record([p.path.clone(), num(*v), num(p.lo), num(p.hi)])
            .map_err(csv_err)?;
    }
    let fit_csv = finish(w)?;

    let mut toml_text = format!(
        "# Fitted by `waico calibrate` to {} (loss {}).\n# Paste into the scenario, or pass each line as --set.\n",
        observed.label,
        num(fit.best.loss)
    );
    for (p, v) in fit.parameters.iter().zip(&fit.best.values) {
        let _ = writeln!(toml_text, "{} = {}", p.path, num(*v));
    }

    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["evaluation".to_owned(), "stage".into()];
    header.extend(fit.parameters.iter().map(|p| p.path.clone()));
    header.extend(["loss".into(), "curve_loss".into(), "who_loss".into()]);
    w.write_record(&header).map_err(csv_err)?;
    for (k, e) in fit.history.iter().enumerate() {
        let mut row = vec![k.to_string(), e.stage.name().to_owned()];
        row.extend(e.values.iter().map(|v| num(*v)));
        row.extend([num(e.loss), num(e.curve_loss), num(e.who_loss)]);
        w.write_record(&row).map_err(csv_err)?;
    }
    let search_csv = finish(w)?;

    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "tick", "date", "observed", "mean", "q05", "q25", "median", "q75", "q95",
    ])
    .map_err(csv_err)?;
    for (t, row) in fit.curve.iter().enumerate() {
        let mut record = vec![
            t.to_string(),
            row.date.to_string(),
            row.observed.map(num).unwrap_or_default(),
            num(row.mean),
        ];
        record.extend(row.quantiles.iter().map(|q| num(*q)));
        w.write_record(&record).map_err(csv_err)?;
    }
    let curve_csv = finish(w)?;

    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["iso3", "observed_member", "simulated_member_share"])
        .map_err(csv_err)?;
    for s in &fit.states {
        w.write_record([
            s.iso3.clone(),
            s.observed
                .map(|b| u8::from(b).to_string())
                .unwrap_or_default(),
            num(s.share),
        ])
        .map_err(csv_err)?;
    }
    let states_csv = finish(w)?;

    let chart = charts::render(&FanChart {
        name: "calibration".into(),
        title: format!("{}: observed and simulated members", fit.scenario.name),
        fans: vec![Fan {
            label: format!("simulated, fitted ({} seeds)", settings.seeds),
            dates: fit.curve.iter().map(|r| r.date).collect(),
            quantiles: fit.curve.iter().map(|r| r.quantiles).collect(),
        }],
        observed: observed.points.clone(),
        y_max: None,
    })?;

    let manifest = json!({
        "waico_version": env!("CARGO_PKG_VERSION"),
        "kind": "calibrate",
        "scenario": {
            "name": fit.scenario.name,
            "file": file,
            "sha256": fit.scenario.sha256,
        },
        "observed": observed.label,
        "fit": fit.parameters.iter().map(|p| json!({"path": p.path, "lo": p.lo, "hi": p.hi})).collect::<Vec<_>>(),
        "settings": {
            "seeds": settings.seeds,
            "first_seed": settings.first_seed,
            "points": settings.points,
            "iterations": settings.iterations,
            "who_weight": settings.who_weight,
            "search_seed": settings.search_seed,
        },
        "method": "loss = mean over observed dates of (mean simulated members - observed)^2 + who_weight * mean cross-entropy of who is a member at the deadline; Latin hypercube then Nelder-Mead on the unit cube, common random numbers",
        "best": {
            "values": fit.best.values,
            "loss": fit.best.loss,
            "curve_loss": fit.best.curve_loss,
            "who_loss": fit.best.who_loss,
        },
    });
    let mut manifest_bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|e| OutputError::Json(e.to_string()))?;
    manifest_bytes.push(b'\n');

    Ok(vec![
        ("fit.csv".into(), fit_csv),
        ("fitted.toml".into(), toml_text.into_bytes()),
        ("search.csv".into(), search_csv),
        ("curve.csv".into(), curve_csv),
        ("states.csv".into(), states_csv),
        ("calibration.png".into(), chart.png),
        ("calibration.svg".into(), chart.svg),
        ("manifest.json".into(), manifest_bytes),
    ])
}

/// The printed cross-validation: the three predictors' pooled scores.
pub fn crossval_report(cv: &CrossValidation) -> String {
    let mut out = String::new();
    let s = &cv.model;
    let _ = writeln!(
        out,
        "  cross-validation, {} folds over the {} states the model decides ({} joined), held-out predictions:",
        cv.k, s.n, s.positives
    );
    let _ = writeln!(out, "    predictor          log loss   Brier     AUC");
    for (name, s) in cv.predictors() {
        let _ = writeln!(
            out,
            "    {name:<18} {:>8.3} {:>7.3} {:>7}",
            s.log_loss,
            s.brier,
            s.auc.map_or_else(|| "-".to_owned(), |a| format!("{a:.3}"))
        );
    }
    out
}

/// The cross-validation's files: crossval.csv (every held-out state's predictions),
/// crossval_scores.csv (each predictor's pooled scores) and folds.csv (each fold's fitted
/// values and training loss, one row per fold and parameter).
pub fn crossval_files(cv: &CrossValidation) -> Result<Vec<(String, Vec<u8>)>, OutputError> {
    let csv_err = |e: csv::Error| OutputError::Csv(e.to_string());
    let finish =
        |w: csv::Writer<Vec<u8>>| w.into_inner().map_err(|e| OutputError::Csv(e.to_string()));

    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "iso3",
        "fold",
        "observed_member",
        "model",
        "base_rate",
        "logistic",
    ])
    .map_err(csv_err)?;
    for p in &cv.predictions {
        w.write_record([
            p.iso3.clone(),
            (p.fold + 1).to_string(),
            u8::from(p.observed).to_string(),
            num(p.model),
            num(p.base_rate),
            num(p.logistic),
        ])
        .map_err(csv_err)?;
    }
    let predictions = finish(w)?;

    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["predictor", "states", "joined", "log_loss", "brier", "auc"])
        .map_err(csv_err)?;
    for (name, s) in cv.predictors() {
        w.write_record([
            name.to_owned(),
            s.n.to_string(),
            s.positives.to_string(),
            num(s.log_loss),
            num(s.brier),
            s.auc.map(num).unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    let scores = finish(w)?;

    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "fold",
        "held_out",
        "evaluations",
        "loss",
        "curve_loss",
        "who_loss",
        "parameter",
        "value",
    ])
    .map_err(csv_err)?;
    for f in &cv.folds {
        for (p, v) in f.parameters.iter().zip(&f.best.values) {
            w.write_record([
                (f.fold + 1).to_string(),
                f.held_out.to_string(),
                f.evaluations.to_string(),
                num(f.best.loss),
                num(f.best.curve_loss),
                num(f.best.who_loss),
                p.path.clone(),
                num(*v),
            ])
            .map_err(csv_err)?;
        }
    }
    let folds = finish(w)?;
    Ok(vec![
        ("crossval.csv".into(), predictions),
        ("crossval_scores.csv".into(), scores),
        ("folds.csv".into(), folds),
    ])
}
