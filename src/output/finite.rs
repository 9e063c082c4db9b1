//! The last guard before any file is written: no run output holding a non-finite number
//! (infinity or NaN) reaches a CSV. Validated ranges keep every derived quantity finite;
//! should one slip through anyway, the run is refused with the file, column, tick and
//! state of the first such value, and nothing is written.

use crate::model::Term;
use crate::sim::output::RunOutput;

use super::OutputError;

/// Checks every number of `run` that a writer prints: the tick rows always, the state rows
/// when the run kept them, and the events' values.
pub fn check_run(run: &RunOutput) -> Result<(), OutputError> {
    check_ticks(run)?;
    check_nations(run)?;
    for e in &run.events {
        if let Some(v) = e.value {
            guard(
                "events.csv",
                "value",
                e.tick,
                e.state.map(|i| code(run, i)),
                v,
            )?;
        }
    }
    Ok(())
}

/// Checks the per-tick numbers (`timeseries.csv`, and a sweep's `series.csv`).
pub fn check_ticks(run: &RunOutput) -> Result<(), OutputError> {
    for t in &run.ticks {
        let values = [
            ("member_gdp_share", t.member_gdp_share),
            ("member_population_share", t.member_population_share),
            ("legitimacy", t.legitimacy),
            ("offer", t.offer),
            ("pressure", t.pressure),
            ("retaliation", t.retaliation),
        ];
        for (column, v) in values {
            guard("timeseries.csv", column, t.tick, None, v)?;
        }
    }
    Ok(())
}

fn check_nations(run: &RunOutput) -> Result<(), OutputError> {
    for r in &run.nations {
        let named = [
            ("peer", r.peer),
            ("bloc", r.bloc),
            ("stringency", r.stringency),
            ("utility", r.utility),
            ("p_partner", r.p_partner),
            ("p_member", r.p_member),
        ];
        let terms = Term::ALL.iter().map(|t| t.column()).zip(r.terms);
        for (column, v) in named.into_iter().chain(terms) {
            guard("nations.csv", column, r.tick, Some(code(run, r.state)), v)?;
        }
    }
    Ok(())
}

fn code(run: &RunOutput, state: u32) -> String {
    run.codes
        .get(state as usize)
        .cloned()
        .unwrap_or_else(|| format!("state {state}"))
}

fn guard(
    file: &'static str,
    column: &str,
    tick: u32,
    state: Option<String>,
    value: f64,
) -> Result<(), OutputError> {
    if value.is_finite() {
        return Ok(());
    }
    Err(OutputError::NonFinite {
        file,
        column: column.to_owned(),
        tick,
        state,
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;
    use crate::sim;
    use crate::world::resources::Detail;

    #[test]
    fn the_guarded_columns_are_columns_of_the_tables() {
        use crate::output::tables::{NATION_COLUMNS, TIMESERIES_COLUMNS};
        for name in [
            "member_gdp_share",
            "member_population_share",
            "legitimacy",
            "offer",
            "pressure",
            "retaliation",
        ] {
            assert!(TIMESERIES_COLUMNS.contains(&name), "{name}");
        }
        for name in [
            "peer",
            "bloc",
            "stringency",
            "utility",
            "p_partner",
            "p_member",
        ] {
            assert!(NATION_COLUMNS.contains(&name), "{name}");
        }
    }

    #[test]
    fn a_non_finite_number_is_refused_with_its_column_tick_and_state() {
        let s = scenario::load("baseline").unwrap();
        let mut run = sim::run(&s, 1, Detail::Full);
        assert!(check_run(&run).is_ok());
        let k = run.nations.len() / 2;
        run.nations[k].terms[Term::Peer as usize] = f64::INFINITY;
        let (tick, state) = (
            run.nations[k].tick,
            run.codes[run.nations[k].state as usize].clone(),
        );
        let e = check_run(&run).unwrap_err().to_string();
        for part in [
            "nations.csv",
            "u_peer",
            &format!("tick {tick}"),
            &state,
            "inf",
        ] {
            assert!(e.contains(part), "{part:?} in {e}");
        }
        run.nations[k].terms[Term::Peer as usize] = 0.0;
        run.ticks[2].legitimacy = f64::NAN;
        let e = check_run(&run).unwrap_err().to_string();
        assert!(
            e.contains("timeseries.csv") && e.contains("legitimacy"),
            "{e}"
        );
    }
}
