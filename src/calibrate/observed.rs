//! The observed history a calibration is fitted to: a membership curve (date, members) and,
//! optionally, who joined at each date. Read by `cli/calibrate.rs` and the tests.

use std::path::Path;

use crate::scenario::ScenarioError;
use crate::time::Date;

/// An observed membership curve.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// The file it came from.
    pub label: String,
    /// (date, members) in date order.
    pub points: Vec<(Date, f64)>,
    /// Who was a member by the last date (ISO3, sorted), when the file says (`joined`).
    pub members: Option<Vec<String>>,
    /// Who joined at each point (ISO3, sorted), aligned with `points`, when the file
    /// says; a checkpoint's entry gathers the joins since the previous checkpoint.
    pub joins: Option<Vec<Vec<String>>>,
}

impl Observed {
    /// Reads a CSV with columns `date` and `members` (others ignored); an optional
    /// `joined` column lists the ISO3 codes that joined at each date, separated by `;`.
    pub fn read(path: &Path) -> Result<Observed, ScenarioError> {
        let label = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            ScenarioError::new(&label, format!("cannot read the file: {e}"))
                .help("give the path of a CSV with columns date,members")
        })?;
        Observed::parse(&label, &text)
    }

    /// Parses the text of an observed-curve CSV (see [`Observed::read`]).
    pub fn parse(label: &str, text: &str) -> Result<Observed, ScenarioError> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| ScenarioError::new(label, format!("cannot read the CSV: {e}")).line(1))?
            .clone();
        let column = |name: &str| headers.iter().position(|h| h == name);
        let (Some(date_col), Some(members_col)) = (column("date"), column("members")) else {
            return Err(
                ScenarioError::new(label, "the header needs `date` and `members`")
                    .line(1)
                    .help("write a header like date,members,joined"),
            );
        };
        let joined_col = column("joined");
        let mut points: Vec<(Date, f64)> = Vec::new();
        let mut joins: Vec<Vec<String>> = Vec::new();
        for (k, record) in reader.records().enumerate() {
            let line = k + 2;
            let record = record.map_err(|e| {
                ScenarioError::new(label, format!("cannot read the row: {e}")).line(line)
            })?;
            let cell = |col: usize| record.get(col).unwrap_or("");
            let date = Date::parse(cell(date_col)).map_err(|e| {
                ScenarioError::new(label, e)
                    .line(line)
                    .key("date")
                    .help("write dates as YYYY-MM-DD")
            })?;
            let members: f64 = cell(members_col)
                .parse()
                .ok()
                .filter(|m: &f64| m.is_finite() && *m >= 0.0)
                .ok_or_else(|| {
                    ScenarioError::new(
                        label,
                        format!("`{}` is not a member count", cell(members_col)),
                    )
                    .line(line)
                    .key("members")
                    .help("write a number of members >= 0 (a count, or a mean of counts)")
                })?;
            if let Some(&(last, _)) = points.last()
                && date <= last
            {
                return Err(ScenarioError::new(
                    label,
                    format!("{date} does not come after {last}"),
                )
                .line(line)
                .key("date")
                .help("sort the rows by date, one row per date"));
            }
            let mut row: Vec<String> = joined_col
                .map(|col| {
                    cell(col)
                        .split(';')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            row.sort();
            row.dedup();
            joins.push(row);
            points.push((date, members));
        }
        if points.is_empty() {
            return Err(ScenarioError::new(label, "no observations")
                .help("add rows of date,members below the header"));
        }
        let joins = joined_col.map(|_| joins);
        Ok(Observed {
            label: label.to_owned(),
            members: joins.as_ref().map(|j| union(j)),
            points,
            joins,
        })
    }

    /// Who had joined by `date` (ISO3, sorted), when the file says.
    pub fn joined_by(&self, date: Date) -> Option<Vec<String>> {
        let joins = self.joins.as_ref()?;
        let upto = self.points.iter().take_while(|(d, _)| *d <= date).count();
        Some(union(&joins[..upto]))
    }

    /// The observation in force at `date`: the last on or before it.
    pub fn value_at(&self, date: Date) -> Option<f64> {
        self.points
            .iter()
            .rev()
            .find(|(d, _)| *d <= date)
            .map(|p| p.1)
    }

    /// The curve read at `dates` only: at each, the observation in force (the last on or
    /// before it). Fitting at chosen checkpoints lets a user skip dates where the
    /// observations are known to lag the decisions they record.
    pub fn at_dates(&self, dates: &[Date]) -> Result<Observed, ScenarioError> {
        let mut points = Vec::with_capacity(dates.len());
        for &date in dates {
            let Some(value) = self.value_at(date) else {
                return Err(ScenarioError::new(
                    &self.label,
                    format!("no observation on or before {date}"),
                )
                .key("date")
                .help(format!("choose dates from {} on", self.points[0].0)));
            };
            if points.last().is_some_and(|&(d, _)| d >= date) {
                return Err(
                    ScenarioError::new(&self.label, "checkpoint dates must increase")
                        .help("list the dates in order, each once"),
                );
            }
            points.push((date, value));
        }
        // Each checkpoint gathers the joins since the previous one.
        let joins = self.joins.as_ref().map(|_| {
            let mut before: Vec<String> = Vec::new();
            points
                .iter()
                .map(|&(date, _)| {
                    let by = self.joined_by(date).unwrap_or_default();
                    let new: Vec<String> =
                        by.iter().filter(|c| !before.contains(c)).cloned().collect();
                    before = by;
                    new
                })
                .collect::<Vec<_>>()
        });
        Ok(Observed {
            label: self.label.clone(),
            members: joins.as_ref().map(|j| union(j)),
            points,
            joins,
        })
    }
}

/// The sorted union of lists of codes.
fn union(lists: &[Vec<String>]) -> Vec<String> {
    let mut all: Vec<String> = lists.iter().flatten().cloned().collect();
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observed_curves_are_read_strictly() {
        let o = Observed::parse(
            "o.csv",
            "date,members,joined\n2015-01-01,3,A;B\n2015-02-01,4,C\n",
        )
        .unwrap();
        assert_eq!(o.points.len(), 2);
        assert_eq!(
            o.members.as_deref(),
            Some(&["A".to_owned(), "B".into(), "C".into()][..])
        );
        let e = Observed::parse("o.csv", "date,members\n2015-02-01,3\n2015-01-01,4\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = Observed::parse("o.csv", "date,members\n2015-02-01,x\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("members"));
        assert_eq!(
            o.joined_by(Date::parse("2015-01-15").unwrap()),
            Some(vec!["A".to_owned(), "B".into()])
        );
        let at = o.at_dates(&[Date::parse("2015-02-10").unwrap()]).unwrap();
        assert_eq!(at.points, vec![(Date::parse("2015-02-10").unwrap(), 4.0)]);
        assert_eq!(
            at.joins,
            Some(vec![vec!["A".to_owned(), "B".into(), "C".into()]])
        );
        let early = o.at_dates(&[Date::parse("2015-01-02").unwrap()]).unwrap();
        assert_eq!(early.members, Some(vec!["A".to_owned(), "B".into()]));
        assert!(Observed::parse("o.csv", "when,count\n").is_err());
        assert!(Observed::parse("o.csv", "date,members\n").is_err());
    }
}
