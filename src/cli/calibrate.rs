//! `waico calibrate SCENARIO --observed CURVE.csv --fit PATH=LO:HI,... [--seeds N]
//! [--points N] [--iterations N] [--who-weight W] [--folds K] [--out DIR] [--force]
//! [--jobs N]`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use super::limits;
use crate::calibrate::crossval::cross_validate;
use crate::calibrate::report::{crossval_files, crossval_report, files, report};
use crate::calibrate::{self, Observed, Parameter, Settings};
use crate::output::atomic;
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
    /// Also cross-validate over K folds of states: refit with each fold held out and
    /// score who joined on it, beside a base rate and a logistic regression (K more fits).
    #[arg(long, value_name = "K")]
    pub folds: Option<usize>,
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
    let per_fit = 1 + settings.points + settings.iterations;
    let fits = 1 + args.folds.unwrap_or(0);
    let evaluations = (per_fit as u64).saturating_mul(fits as u64);
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

    let bar = super::words::progress_bar((per_fit * fits) as u64, "evaluations");
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    // The folds first: a number of folds the data cannot fill fails before any fit.
    let crossval = match args.folds {
        Some(k) => Some(pool.install(|| {
            cross_validate(&base, &observed, &args.fit, &settings, k, &|done| {
                bar.set_position(done as u64);
            })
        })?),
        None => None,
    };
    let offset = per_fit * args.folds.unwrap_or(0);
    let fit = pool.install(|| {
        calibrate::calibrate(&base, &observed, &args.fit, &settings, &|done| {
            bar.set_position((offset + done) as u64);
        })
    })?;
    bar.finish_and_clear();

    let mut written = files(&fit, &observed, &settings, &args.scenario)?;
    if let Some(cv) = &crossval {
        written.extend(crossval_files(cv)?);
    }
    if let Some(notice) = notice {
        errln!("{notice}");
    }
    atomic::write_dir(&out, &written, args.force)?;
    out!("{}", report(&fit, &observed, &settings));
    if let Some(cv) = &crossval {
        out!("{}", crossval_report(cv));
    }
    outln!(
        "  wrote {} in {:.1} s ({} x {}{})",
        out.display(),
        started.elapsed().as_secs_f64(),
        super::words::count(fit.history.len() as u64, "evaluation", "evaluations"),
        super::words::count(settings.seeds, "seed", "seeds"),
        crossval.as_ref().map_or_else(String::new, |cv| {
            let n: usize = cv.folds.iter().map(|f| f.evaluations).sum();
            format!(", and {n} in {} fold fits", cv.k)
        })
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
    if let Some(k) = args.folds
        && !(2..=1000).contains(&k)
    {
        anyhow::bail!("--folds {k}: write a number of folds from 2 (each fold is one more fit)");
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
