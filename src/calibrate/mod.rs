//! Calibration: fitting chosen parameters of a scenario to an observed membership curve.
//!
//! The flow, one file per step:
//!
//! 1. `observed.rs`: the observed curve (date, members) and who joined.
//! 2. `params.rs`: the parameters to fit, their ranges, and where each starts.
//! 3. `problem.rs`: everything fixed during a fit; a point of the unit cube becomes a
//!    scenario, runs on a fixed set of seeds and is scored by
//! 4. `loss.rs`: the mean squared gap of the mean simulated count at the observed dates,
//!    plus (optionally) `who_weight` times the mean cross-entropy of who is a member at
//!    the last observed date.
//! 5. `search.rs`: the search over the unit cube, in two stages. **Global**: the
//!    scenario's own values and a Latin hypercube of `points` points, evaluated in
//!    parallel. **Local**: Nelder-Mead from the best point found, kept inside the cube,
//!    until the simplex shrinks below `1e-4` of the ranges or `iterations` evaluations are
//!    spent.
//! 6. `fit.rs`: [`calibrate`] runs the two stages and the fitted scenario once more.
//!
//! Every evaluation uses the same seeds (common random numbers), so the loss is a
//! deterministic function of the parameters and two nearby parameter vectors differ by the
//! parameters' effect, not by sampling noise. The result does not depend on the number of
//! threads: each evaluation sums its seeds in seed order, and stage 1's points are reduced
//! in point order. Called by `cli/calibrate.rs`.

mod fit;
mod loss;
mod observed;
mod params;
mod problem;
pub mod report;
mod search;
pub mod trace;

pub use fit::{CurveRow, Fit, StateFit, calibrate};
pub use observed::Observed;
pub use params::Parameter;
pub(crate) use problem::membership_flags;
pub use search::{Evaluation, Settings, Stage};
pub mod baselines;
pub mod crossval;
pub mod scores;
