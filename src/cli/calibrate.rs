//! `waico calibrate SCENARIO --observed CURVE.csv --fit PATH=LO:HI,... [--seeds N]
//! [--points N] [--iterations N] [--who-weight W] [--out DIR] [--force] [--jobs N]`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use serde_json::json;

use super::limits;
use crate::calibrate::{self, Fit, Observed, Parameter, Settings};
use crate::output::charts::fan::{Fan, FanChart};
use crate::output::charts::{self};
use crate::output::{OutputError, atomic, tables::num};
use crate::sweep::Base;

/// Arguments of `waico calibrate`.
#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// Scenario file, or the name of a built-in scenario.
    pub scenario: String,
    /// The observed curve: a CSV with columns date,members (and optionally joined).
    #[arg(long)]
    pub observed: PathBuf,
    /// Parameters to fit with their ranges, comma-separated: `params.beta_peer=0:3,...`.
    #[arg(long, value_delimiter = ',', value_parser = Parameter::parse, required = true)]
    pub fit: Vec<Parameter>,
    /// Seeds per evaluation (the same seeds for every evaluation).
    #[arg(long, default_value_t = Settings::default().seeds)]
    pub seeds: u32,
    /// The first seed.
    #[arg(long, default_value_t = Settings::default().first_seed)]
    pub first_seed: u64,
    /// Latin-hypercube points of the global stage.
    #[arg(long, default_value_t = Settings::default().points)]
    pub points: usize,
    /// Evaluations of the local (Nelder-Mead) stage at most.
    #[arg(long, default_value_t = Settings::default().iterations)]
    pub iterations: usize,
    /// Fit at these dates only (comma-separated), reading the observed curve's value in
    /// force at each [default: every observed date].
    #[arg(long, value_delimiter = ',', value_parser = crate::time::Date::parse)]
    pub dates: Vec<crate::time::Date>,
    /// Weight of the who-joined term of the loss (needs a `joined` column; 0: off).
    #[arg(long, default_value_t = 0.0)]
    pub who_weight: f64,
    /// Folder to write [default: output/calibrate/<scenario>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the folder if it holds a calibration (a folder of another kind is never
    /// replaced).
    #[arg(long)]
    pub force: bool,
    /// Worker threads, at least 1 [default: all cores].
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Go ahead with a calibration projected to need more than 2 GB of memory or output,
    /// or more than 10 million runs.
    #[arg(long)]
    pub yes_large: bool,
}

/// Fits, writes the folder and prints the fit.
pub fn calibrate(args: &CalibrateArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    check_counts(args)?;
    let path = Path::new(&args.scenario);
    let (name, dir) = if path.is_file() {
        let file = path.file_name().map_or_else(
            || args.scenario.clone(),
            |f| f.to_string_lossy().into_owned(),
        );
        (file, path.parent().map(Path::to_path_buf))
    } else {
        (args.scenario.clone(), None)
    };
    let base = Base::load(&name, &args.scenario, "scenario", dir.as_deref())?;
    let observed = Observed::read(&args.observed)?;
    let observed = if args.dates.is_empty() {
        observed
    } else {
        observed.at_dates(&args.dates)?
    };
    let settings = Settings {
        seeds: args.seeds,
        first_seed: args.first_seed,
        points: args.points,
        iterations: args.iterations,
        who_weight: args.who_weight,
        ..Settings::default()
    };
    let scenario = base.scenario(&[])?;
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("output")
            .join("calibrate")
            .join(&scenario.name)
    });
    let same = |m: &serde_json::Value| {
        m.pointer("/scenario/sha256").and_then(|v| v.as_str()) == Some(scenario.sha256.as_str())
    };
    let notice = atomic::check_replace(&out, args.force, "calibrate", &same)?;
    let evaluations = 1 + settings.points as u64 + settings.iterations as u64;
    let jobs = limits::jobs(
        args.jobs,
        evaluations.saturating_mul(u64::from(settings.seeds)),
    )?;
    let projection = limits::calibrate(
        &scenario,
        u64::from(settings.seeds),
        evaluations,
        args.fit.len(),
        jobs,
    );
    limits::check(&projection, &out, args.yes_large)?;

    let total = 1 + settings.points + settings.iterations;
    let bar = super::words::progress_bar(total as u64, "evaluations");
    let progress = {
        let bar = bar.clone();
        move |done: usize| bar.set_position(done as u64)
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let fit =
        pool.install(|| calibrate::calibrate(&base, &observed, &args.fit, &settings, &progress))?;
    bar.finish_and_clear();

    let files = files(&fit, &observed, &settings, args)?;
    if let Some(notice) = notice {
        errln!("{notice}");
    }
    atomic::write_dir(&out, &files, args.force)?;
    out!("{}", report(&fit, &observed, &settings));
    outln!(
        "  wrote {} in {:.1} s ({} x {})",
        out.display(),
        started.elapsed().as_secs_f64(),
        super::words::count(fit.history.len() as u64, "evaluation", "evaluations"),
        super::words::count(settings.seeds, "seed", "seeds")
    );
    Ok(())
}

/// Refuses counts and weights no calibration can use, before any work.
fn check_counts(args: &CalibrateArgs) -> anyhow::Result<()> {
    if !(args.who_weight.is_finite() && (0.0..=1e6).contains(&args.who_weight)) {
        anyhow::bail!(
            "--who-weight {}: write a number from 0 to 1e6",
            args.who_weight
        );
    }
    if args.seeds == 0 || u64::from(args.seeds) > limits::MAX_SEEDS {
        anyhow::bail!(
            "--seeds {}: write a number of seeds from 1 to {}",
            args.seeds,
            limits::MAX_SEEDS
        );
    }
    for (flag, n) in [("--points", args.points), ("--iterations", args.iterations)] {
        if n > limits::MAX_EVALUATIONS {
            anyhow::bail!(
                "{flag} {n}: at most {} evaluations",
                limits::MAX_EVALUATIONS
            );
        }
    }
    Ok(())
}

/// The printed fit.
fn report(fit: &Fit, observed: &Observed, settings: &Settings) -> String {
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
/// and manifest.json.
fn files(
    fit: &Fit,
    observed: &Observed,
    settings: &Settings,
    args: &CalibrateArgs,
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
            "file": args.scenario,
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
