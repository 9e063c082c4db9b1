//! Exploring a model's uncertainty space: designs that say where to evaluate a function,
//! and estimators that turn its values into answers. Global sensitivity analysis (which
//! uncertain inputs explain the variance of an output: Sobol' indices from a Saltelli
//! design, Morris screening, partial rank correlations) and scenario discovery (in which
//! region of the inputs an outcome of interest happens: PRIM).
//!
//! ```text
//! factors (ranges) --design: Saltelli on a scrambled Sobol' sequence, Morris trajectories-->
//!   points in the unit hypercube --Factor::value--> input values --the caller evaluates-->
//!   outputs --estimators, bootstrap--> indices with intervals
//! cases (inputs, yes/no) --prim--> peeling trajectory, chosen box, quasi-p-values
//! ```
//!
//! Nothing here knows the simulation: a function evaluator in, indices out. The sweep
//! machinery (`crate::sweep`) places the designs' points in scenario space and runs them;
//! `crate::analysis::sensitivity` and `crate::analysis::discover` read the outcomes back.
//! Every random choice is drawn from ChaCha8 with a seed given by the caller, so every
//! design and every interval is reproducible to the bit.
//!
//! - [`sobol_seq`]: the Sobol' sequence with Joe-Kuo direction numbers, scrambled.
//! - [`saltelli`]: the Saltelli (2010) design and the first-order (Saltelli 2010), total
//!   (Jansen 1999) and second-order (Saltelli 2002) estimators.
//! - [`morris`]: Morris (1991) trajectories, Campolongo et al.'s (2007) mu* and their
//!   trajectory selection.
//! - [`bootstrap`]: seeded resampling and percentile intervals.
//! - [`noise`]: how much of an output's variance over the design is replicate noise.
//! - [`prcc`]: partial rank correlation coefficients for any design.
//! - [`prim`]: the Patient Rule Induction Method (Friedman and Fisher 1999).

pub mod bootstrap;
pub mod morris;
pub mod noise;
pub mod prcc;
pub mod prim;
pub mod saltelli;
pub mod sobol_seq;

/// One uncertain input: a range, sampled uniformly or log-uniformly.
#[derive(Clone, Debug, PartialEq)]
pub struct Factor {
    /// Its name (for a sweep, the scenario path).
    pub name: String,
    /// Lower bound.
    pub min: f64,
    /// Upper bound (above `min`).
    pub max: f64,
    /// Whether values are spread evenly on a log scale (both bounds positive).
    pub log: bool,
}

impl Factor {
    /// The value at position `u` in `[0, 1]` of the factor's range: `min + u (max - min)`,
    /// or `min (max / min)^u` on a log scale.
    pub fn value(&self, u: f64) -> f64 {
        if self.log {
            (self.min.ln() + u * (self.max.ln() - self.min.ln())).exp()
        } else {
            self.min + u * (self.max - self.min)
        }
    }

    /// Why the range cannot be sampled, if it cannot.
    pub fn check(&self) -> Result<(), String> {
        if !(self.min.is_finite() && self.max.is_finite()) || self.min >= self.max {
            return Err(format!("the range [{}, {}] is empty", self.min, self.max));
        }
        if self.log && self.min <= 0.0 {
            return Err(format!(
                "a log scale needs a positive range, not [{}, {}]",
                self.min, self.max
            ));
        }
        Ok(())
    }
}

/// An estimate with its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The point estimate from all the data.
    pub value: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
}

impl Estimate {
    /// An estimate known exactly (an interval of zero width).
    pub fn exact(value: f64) -> Estimate {
        Estimate {
            value,
            low: value,
            high: value,
        }
    }

    /// Whether `x` lies in the interval.
    pub fn covers(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// Rounds `x` to `digits` significant decimal digits (design values stay readable in the
/// files; a factor's value is the same wherever its unit position is the same).
pub fn round_significant(x: f64, digits: usize) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    // Rust's scientific formatting rounds correctly; parsing gives the nearest double.
    format!("{x:.*e}", digits.max(1) - 1).parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_map_the_unit_interval_onto_their_range() {
        let lin = Factor {
            name: "a".into(),
            min: 2.0,
            max: 6.0,
            log: false,
        };
        assert_eq!(
            (lin.value(0.0), lin.value(0.25), lin.value(1.0)),
            (2.0, 3.0, 6.0)
        );
        let log = Factor {
            name: "b".into(),
            min: 0.1,
            max: 10.0,
            log: true,
        };
        assert!((log.value(0.5) - 1.0).abs() < 1e-12, "the geometric middle");
        assert!((log.value(1.0) - 10.0).abs() < 1e-12);
        assert!(log.check().is_ok());
        let bad = Factor {
            min: 0.0,
            ..log.clone()
        };
        assert!(bad.check().unwrap_err().contains("positive"));
        let empty = Factor { max: 2.0, ..lin };
        assert!(empty.check().unwrap_err().contains("empty"));
    }

    #[test]
    fn rounding_keeps_significant_digits() {
        assert_eq!(round_significant(0.123456789, 6), 0.123457);
        assert_eq!(round_significant(1234.56789, 6), 1234.57);
        assert_eq!(round_significant(-0.000987654321, 3), -0.000988);
        assert_eq!(round_significant(0.0, 6), 0.0);
    }
}
