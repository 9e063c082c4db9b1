//! CSV tables of one run: `timeseries.csv`, `nations.csv` and `events.csv`, returned as
//! bytes so they can be tested without files. The column lists here are the schema that
//! docs/SCENARIOS.md documents.
//!
//! Numbers are written with six decimals (shares, utilities, probabilities): enough for
//! analysis, and fixed so that files compare byte for byte.

use crate::model::Term;
use crate::sim::output::{Cell, RunOutput};

use super::OutputError;

/// The fixed columns of `timeseries.csv`, before the group columns.
pub const TIMESERIES_COLUMNS: [&str; 17] = [
    "tick",
    "date",
    "members",
    "partners",
    "outside",
    "joins",
    "exits",
    "upgrades",
    "downgrades",
    "member_gdp_share",
    "member_population_share",
    "legitimacy",
    "offer",
    "pressure",
    "retaliation",
    "tier_changes",
    "deals",
];

/// The columns of `nations.csv` before the utility terms.
pub const NATION_COLUMNS: [&str; 16] = [
    "tick",
    "date",
    "iso3",
    "status",
    "ineligible",
    "export_tier",
    "reviewed",
    "peer",
    "bloc",
    "stringency",
    "at_risk",
    "utility",
    "p_partner",
    "p_member",
    "inertia",
    "alignment_stale",
];

/// The columns of `events.csv`.
pub const EVENT_COLUMNS: [&str; 9] = [
    "tick",
    "date",
    "kind",
    "iso3",
    "from",
    "to",
    "value",
    "label",
    "scheduled",
];

/// A number as written in every CSV: six decimals, never `-0.000000`.
pub fn num(x: f64) -> String {
    let s = format!("{x:.6}");
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') {
        s[1..].to_owned()
    } else {
        s
    }
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, OutputError> {
    writer
        .into_inner()
        .map_err(|e| OutputError::Csv(e.error().to_string()))
}

fn csv_err(e: csv::Error) -> OutputError {
    OutputError::Csv(e.to_string())
}

/// `timeseries.csv`: one row per tick.
pub fn timeseries_csv(run: &RunOutput) -> Result<Vec<u8>, OutputError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = TIMESERIES_COLUMNS
        .iter()
        .copied()
        .chain(run.group_columns.iter().map(String::as_str))
        .collect();
    w.write_record(&header).map_err(csv_err)?;
    for t in &run.ticks {
        let mut record = vec![
            t.tick.to_string(),
            t.date.to_string(),
            t.members.to_string(),
            t.partners.to_string(),
            t.outside.to_string(),
            t.joins.to_string(),
            t.exits.to_string(),
            t.upgrades.to_string(),
            t.downgrades.to_string(),
            num(t.member_gdp_share),
            num(t.member_population_share),
            num(t.legitimacy),
            num(t.offer),
            num(t.pressure),
            num(t.retaliation),
            t.tier_changes.to_string(),
            t.deals.to_string(),
        ];
        record.extend(t.groups.iter().map(u32::to_string));
        w.write_record(&record).map_err(csv_err)?;
    }
    finish(w)
}

/// `nations.csv`: one row per state per tick, with every utility term.
pub fn nations_csv(run: &RunOutput, inertia: f64) -> Result<Vec<u8>, OutputError> {
    let w = write_nations(csv::Writer::from_writer(Vec::new()), run, inertia)?;
    finish(w)
}

/// `nations.csv` written through `w` (a gzip stream keeps only the compressed bytes in
/// memory); returns the writer, flushed.
pub fn write_nations<W: std::io::Write>(
    mut w: csv::Writer<W>,
    run: &RunOutput,
    inertia: f64,
) -> Result<csv::Writer<W>, OutputError> {
    let header: Vec<&str> = NATION_COLUMNS
        .iter()
        .copied()
        .chain(Term::ALL.iter().map(|t| t.column()))
        .collect();
    w.write_record(&header).map_err(csv_err)?;
    let dates: Vec<String> = run.ticks.iter().map(|t| t.date.to_string()).collect();
    for r in &run.nations {
        let mut record = vec![
            r.tick.to_string(),
            dates[r.tick as usize].clone(),
            run.codes[r.state as usize].clone(),
            r.status.name().to_owned(),
            r.bars.codes(),
            r.tier.to_string(),
            u8::from(r.reviewed).to_string(),
            num(r.peer),
            num(r.bloc),
            num(r.stringency),
            num(r.at_risk),
            num(r.utility),
            num(r.p_partner),
            num(r.p_member),
            num(if r.from.is_in() { inertia } else { 0.0 }),
            u8::from(run.alignment_stale[r.state as usize]).to_string(),
        ];
        record.extend(r.terms.iter().map(|&x| num(x)));
        w.write_record(&record).map_err(csv_err)?;
    }
    w.flush().map_err(|e| OutputError::Csv(e.to_string()))?;
    Ok(w)
}

/// `events.csv`: every event fired or reverted, every join, exit, tier change and deal.
pub fn events_csv(run: &RunOutput) -> Result<Vec<u8>, OutputError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(EVENT_COLUMNS).map_err(csv_err)?;
    let cell = |c: Cell| match c {
        Cell::Empty => String::new(),
        Cell::Status(s) => s.name().to_owned(),
        Cell::Tier(t) => t.to_string(),
        Cell::State(i) => run.codes[i as usize].clone(),
    };
    for e in &run.events {
        w.write_record([
            e.tick.to_string(),
            e.date.to_string(),
            e.kind.to_owned(),
            e.state
                .map(|i| run.codes[i as usize].clone())
                .unwrap_or_default(),
            cell(e.from),
            cell(e.to),
            e.value.map(num).unwrap_or_default(),
            e.label.as_str().to_owned(),
            e.scheduled.map(|d| d.to_string()).unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    finish(w)
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn numbers_have_six_decimals_and_no_negative_zero() {
        assert_eq!(num(0.5), "0.500000");
        assert_eq!(num(-0.0), "0.000000");
        assert_eq!(num(-1e-9), "0.000000");
        assert_eq!(num(-0.25), "-0.250000");
    }
}
