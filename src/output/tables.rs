//! CSV tables of one run: `timeseries.csv`, `nations.csv` and `events.csv`, returned as
//! bytes so they can be tested without files. The column lists here are the schema that
//! docs/SCENARIOS.md documents.
//!
//! Numbers are written with six decimals (shares, utilities, probabilities): enough for
//! analysis, and fixed so that files compare byte for byte.

use crate::model::Term;
use crate::sim::output::{Cell, NationRow, RunOutput};

use super::OutputError;
use super::decimal::{push_fixed6, push_u64};

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
    let mut s = String::with_capacity(16);
    push_fixed6(&mut s, x);
    s
}

/// Appends [`num`]`(x)` to `out`, for writers of many rows.
pub fn push_num(out: &mut String, x: f64) {
    push_fixed6(out, x);
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
    let w = write_nations(
        csv::Writer::from_writer(Vec::with_capacity(run.nations.len() * 320)),
        run,
        inertia,
    )?;
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
    // One buffer for every cell: the table has tens of thousands of rows.
    let mut cell = String::with_capacity(32);
    for r in &run.nations {
        for field in 0..NATION_COLUMNS.len() + r.terms.len() {
            cell.clear();
            nation_cell(&mut cell, run, &dates, r, field, inertia);
            w.write_field(&cell).map_err(csv_err)?;
        }
        w.write_record(None::<&[u8]>).map_err(csv_err)?;
    }
    w.flush().map_err(|e| OutputError::Csv(e.to_string()))?;
    Ok(w)
}

/// Cell `field` of a `nations.csv` row: [`NATION_COLUMNS`], then the utility terms.
fn nation_cell(
    out: &mut String,
    run: &RunOutput,
    dates: &[String],
    r: &NationRow,
    field: usize,
    inertia: f64,
) {
    match field {
        0 => push_int(out, r.tick),
        1 => out.push_str(&dates[r.tick as usize]),
        2 => out.push_str(&run.codes[r.state as usize]),
        3 => out.push_str(r.status.name()),
        4 if r.bars.is_empty() => {}
        4 => out.push_str(&r.bars.codes()),
        5 => push_int(out, r.tier),
        6 => push_int(out, u8::from(r.reviewed)),
        7 => push_fixed6(out, r.peer),
        8 => push_fixed6(out, r.bloc),
        9 => push_fixed6(out, r.stringency),
        10 => push_fixed6(out, r.at_risk),
        11 => push_fixed6(out, r.utility),
        12 => push_fixed6(out, r.p_partner),
        13 => push_fixed6(out, r.p_member),
        14 => push_fixed6(out, if r.from.is_in() { inertia } else { 0.0 }),
        15 => push_int(out, u8::from(run.alignment_stale[r.state as usize])),
        term => push_fixed6(out, r.terms[term - NATION_COLUMNS.len()]),
    }
}

/// Appends an integer.
fn push_int(out: &mut String, x: impl Into<u64>) {
    push_u64(out, x.into());
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
