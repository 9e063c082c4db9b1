//! Reading world files: `nations.csv` (one row per state) and `trade.csv` (bilateral
//! trade). Strict: missing, unknown or duplicate columns, unparsable or out-of-range values,
//! duplicate codes and empty files are errors that name the file, line and column.

use std::collections::{BTreeMap, BTreeSet};

use super::{Nation, WorldData, sha256_hex};
use crate::scenario::error::{ScenarioError, did_you_mean};
use crate::scenario::ranges::show;

/// The shipped world file, embedded so the binary runs from any folder.
pub const BUILTIN_NATIONS: &str = include_str!("../../scenarios/world/nations.csv");

/// The shipped bilateral trade edge list (IMF DOTS 2019).
pub const BUILTIN_TRADE: &str = include_str!("../../scenarios/world/trade.csv");

/// The columns of a world file, in the shipped order. `bias` may be omitted (0).
pub const NATION_COLUMNS: [&str; 18] = [
    "iso3",
    "name",
    "region",
    "subregion",
    "gdp_usd_bn",
    "population_m",
    "lat",
    "lon",
    "alignment",
    "china_trade_share",
    "us_trade_share",
    "ai_capacity",
    "chip_dependence",
    "export_tier",
    "us_ally",
    "democracy",
    "blocs",
    "bias",
];

/// Optional columns: `bias` defaults to 0; `recognises_host` and `sovereign` to 1;
/// `dispute_with_host`, `hosts_us_forces` and `alignment_stale` to 0; `imputed` documents
/// proxies and is not read.
const OPTIONAL_COLUMNS: [&str; 7] = [
    "bias",
    "recognises_host",
    "sovereign",
    "dispute_with_host",
    "hosts_us_forces",
    "alignment_stale",
    "imputed",
];

const TRADE_COLUMNS: [&str; 3] = ["iso3_a", "iso3_b", "trade_musd"];

/// The valid range of every numeric column of world and trade files, and why: (column,
/// min, max, reason). `[states.ISO3]` overrides are checked against the same rows. The
/// bounds keep every quantity the model derives finite, and the board's integer sums of
/// GDP (US$ millions) and population (thousands) exact, in worlds of any size.
pub const ATTRIBUTE_RANGES: [(&str, f64, f64, &str); 13] = [
    (
        "gdp_usd_bn",
        1e-6,
        1e6,
        "US$ 1 thousand to US$ 1 quadrillion, ten times world GDP",
    ),
    ("population_m", 1e-6, 1e5, "one person to 100 billion"),
    ("lat", -90.0, 90.0, "degrees north"),
    ("lon", -180.0, 180.0, "degrees east"),
    (
        "alignment",
        -1.0,
        1.0,
        "from the opponent (-1) to the host (+1)",
    ),
    (
        "china_trade_share",
        0.0,
        1.0,
        "a share of the state's trade",
    ),
    ("us_trade_share", 0.0, 1.0, "a share of the state's trade"),
    ("ai_capacity", 0.0, 1.0, "an index from 0 to 1"),
    ("chip_dependence", 0.0, 1.0, "an index from 0 to 1"),
    ("us_ally", 0.0, 1.0, "an index from 0 to 1"),
    ("democracy", 0.0, 1.0, "an index from 0 to 1"),
    (
        "bias",
        -1e6,
        1e6,
        "a utility offset; a million keeps every utility finite",
    ),
    (
        "trade_musd",
        1e-6,
        1e9,
        "US$ 1 to US$ 1 quadrillion of trade, 40 times world trade",
    ),
];

/// The (min, max, reason) of a numeric world or trade column.
pub fn attribute_range(column: &str) -> Option<(f64, f64, &'static str)> {
    ATTRIBUTE_RANGES
        .iter()
        .find(|r| r.0 == column)
        .map(|r| (r.1, r.2, r.3))
}

/// Loads a world from the text of a nations file and, optionally, a trade file.
/// `nations_label` and `trade_label` name the files in errors and in the manifest.
pub fn load_world(
    nations_label: &str,
    nations_text: &str,
    trade: Option<(&str, &str)>,
) -> Result<WorldData, ScenarioError> {
    let nations = parse_nations(nations_label, nations_text)?;
    let mut world = WorldData {
        nations,
        trade: Vec::new(),
        nations_source: nations_label.to_owned(),
        nations_sha256: sha256_hex(nations_text.as_bytes()),
        trade_source: "none".to_owned(),
        trade_sha256: String::new(),
    };
    if let Some((label, text)) = trade {
        world.trade = load_trade(label, text, &world)?;
        world.trade_source = label.to_owned();
        world.trade_sha256 = sha256_hex(text.as_bytes());
    }
    Ok(world)
}

struct Columns<'a> {
    label: &'a str,
    index: BTreeMap<&'static str, usize>,
}

fn read_header(
    label: &str,
    headers: &csv::StringRecord,
    known: &[&'static str],
    optional: &[&'static str],
) -> Result<BTreeMap<&'static str, usize>, ScenarioError> {
    let mut index = BTreeMap::new();
    for (i, name) in headers.iter().enumerate() {
        let Some(&col) = known.iter().chain(optional).find(|k| **k == name) else {
            let all: Vec<&str> = known.iter().chain(optional).copied().collect();
            return Err(
                ScenarioError::new(label, format!("unknown column `{name}`"))
                    .line(1)
                    .key(name)
                    .maybe_help(did_you_mean(name, all.iter().copied())),
            );
        };
        if index.insert(col, i).is_some() {
            return Err(
                ScenarioError::new(label, format!("column `{name}` appears twice"))
                    .line(1)
                    .key(name)
                    .help("keep one column of each name"),
            );
        }
    }
    for col in known {
        if !index.contains_key(col) && !optional.contains(col) {
            return Err(
                ScenarioError::new(label, format!("the header has no `{col}` column"))
                    .line(1)
                    .key(*col)
                    .help(format!("the columns are: {}", known.join(","))),
            );
        }
    }
    Ok(index)
}

fn csv_error(label: &str, err: &csv::Error) -> ScenarioError {
    let line = err.position().map(|p| p.line() as u32);
    let message = match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("this row has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8".to_owned(),
        _ => format!("cannot read the CSV: {err}"),
    };
    let mut e = ScenarioError::new(label, message)
        .help("every row needs one value per header column, separated by commas (quote values that contain commas)");
    e.line = line;
    e
}

struct Row<'a> {
    columns: &'a Columns<'a>,
    record: &'a csv::StringRecord,
    line: usize,
}

impl Row<'_> {
    fn error(&self, col: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError::new(self.columns.label, message)
            .line(self.line)
            .key(col)
    }

    fn text(&self, col: &'static str) -> Option<&str> {
        self.columns
            .index
            .get(col)
            .and_then(|&i| self.record.get(i))
    }

    fn string(&self, col: &'static str) -> Result<String, ScenarioError> {
        match self.text(col) {
            Some(v) if v.chars().any(char::is_control) => Err(self
                .error(col, "the value holds a control character")
                .help("names are one line of printable text")),
            Some(v) if !v.is_empty() => Ok(v.to_owned()),
            _ => Err(self
                .error(col, "the value is empty")
                .help(format!("give a {col}"))),
        }
    }

    /// The number in column `col`, checked against its row of [`ATTRIBUTE_RANGES`].
    fn number(&self, col: &'static str) -> Result<f64, ScenarioError> {
        let (lo, hi, why) = attribute_range(col).unwrap_or((-1e6, 1e6, "a bounded number"));
        let range = format!("write a number from {} to {}", show(lo), show(hi));
        let text = self.text(col).unwrap_or("");
        let value: f64 = text.parse().map_err(|_| {
            self.error(col, format!("`{text}` is not a number"))
                .help(range.clone())
        })?;
        if !value.is_finite() {
            return Err(self
                .error(col, format!("`{text}` is not a finite number"))
                .help(range));
        }
        if value < lo || value > hi {
            return Err(self
                .error(col, format!("{} is out of range", show(value)))
                .help(format!("{range} ({col}: {why})")));
        }
        Ok(value)
    }

    /// An optional small whole number `0..=max`, `default` when the column is absent or
    /// the cell empty.
    fn level(&self, col: &'static str, default: u8, max: u8) -> Result<u8, ScenarioError> {
        let max = max.max(default);
        match self.text(col) {
            None | Some("") => Ok(default),
            Some(text) => text
                .parse::<u8>()
                .ok()
                .filter(|v| *v <= max)
                .ok_or_else(|| {
                    let choices: Vec<String> = (0..=max).map(|v| v.to_string()).collect();
                    self.error(
                        col,
                        format!("`{text}` is not one of {}", choices.join(", ")),
                    )
                    .help(format!("write {}", choices.join(" or ")))
                }),
        }
    }
}

/// True for state codes: 2 to 8 characters, an upper-case letter, then upper-case letters,
/// digits or `_`.
pub fn valid_code(code: &str) -> bool {
    valid_name(code, 8)
}

/// True for bloc codes: like state codes, up to 24 characters (`BRICS_PARTNER`).
pub fn valid_bloc(code: &str) -> bool {
    valid_name(code, 24)
}

fn valid_name(code: &str, max: usize) -> bool {
    let mut chars = code.chars();
    (2..=max).contains(&code.len())
        && chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn parse_nations(label: &str, text: &str) -> Result<Vec<Nation>, ScenarioError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(label, &e))?.clone();
    if headers.is_empty() || (headers.len() == 1 && headers.get(0) == Some("")) {
        return Err(
            ScenarioError::new(label, "the world file is empty").help(format!(
                "start with the header `{}`",
                NATION_COLUMNS.join(",")
            )),
        );
    }
    let columns = Columns {
        label,
        index: read_header(label, &headers, &NATION_COLUMNS, &OPTIONAL_COLUMNS)?,
    };
    let mut rows: Vec<(Nation, usize)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(label, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let row = Row {
            columns: &columns,
            record: &record,
            line,
        };
        rows.push((parse_nation(&row)?, line));
    }
    if rows.is_empty() {
        return Err(ScenarioError::new(label, "the world file has no states")
            .line(1)
            .help("add one row per state under the header"));
    }
    rows.sort_by(|a, b| a.0.iso3.cmp(&b.0.iso3));
    for pair in rows.windows(2) {
        if pair[0].0.iso3 == pair[1].0.iso3 {
            let (first, second) = (pair[0].1.min(pair[1].1), pair[0].1.max(pair[1].1));
            return Err(ScenarioError::new(
                label,
                format!("`{}` appears twice (also on line {first})", pair[0].0.iso3),
            )
            .line(second)
            .key("iso3")
            .help("keep one row per state"));
        }
    }
    let nations: Vec<Nation> = rows.into_iter().map(|(n, _)| n).collect();
    let regions = distinct(nations.iter().map(|n| n.region.as_str()));
    let blocs = distinct(
        nations
            .iter()
            .flat_map(|n| n.blocs.iter().map(String::as_str)),
    );
    for (key, what, count) in [
        ("region", "regions", regions),
        ("blocs", "bloc codes", blocs),
    ] {
        if count > MAX_GROUPS {
            let message =
                format!("the world file names {count} {what}; at most {MAX_GROUPS} are supported");
            return Err(ScenarioError::new(label, message)
                .key(key)
                .help("group the states into fewer regions or blocs"));
        }
    }
    Ok(nations)
}

/// The most distinct regions, and distinct blocs, a world file may name (each is counted
/// in a 16-bit index).
pub const MAX_GROUPS: usize = 1 << 16;

fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> usize {
    values.collect::<BTreeSet<&str>>().len()
}

fn parse_nation(row: &Row<'_>) -> Result<Nation, ScenarioError> {
    let iso3 = row.string("iso3")?;
    if !valid_code(&iso3) {
        return Err(row
            .error("iso3", format!("`{iso3}` is not a state code"))
            .help(
                "use an ISO 3166 alpha-3 code such as `FRA` (2-8 upper-case letters or digits)",
            ));
    }
    let china_trade_share = row.number("china_trade_share")?;
    let us_trade_share = row.number("us_trade_share")?;
    if china_trade_share + us_trade_share > 1.0 + 1e-9 {
        return Err(row
            .error(
                "us_trade_share",
                format!(
                    "china_trade_share + us_trade_share = {} exceeds 1",
                    china_trade_share + us_trade_share
                ),
            )
            .help("trade shares are fractions of the same total; together they cannot exceed 1"));
    }
    let tier_text = row.text("export_tier").unwrap_or("");
    let export_tier = match tier_text {
        "1" => 1,
        "2" => 2,
        "3" => 3,
        _ => {
            return Err(row
                .error(
                    "export_tier",
                    format!("`{tier_text}` is not an export tier"),
                )
                .help("write 1, 2 or 3"));
        }
    };
    let blocs_text = row.text("blocs").unwrap_or("");
    let mut blocs = Vec::new();
    for bloc in blocs_text
        .split(';')
        .map(str::trim)
        .filter(|b| !b.is_empty())
    {
        if !valid_bloc(bloc) {
            return Err(row
                .error("blocs", format!("`{bloc}` is not a bloc code"))
                .help("write upper-case bloc codes separated by `;`, e.g. `G20;SCO`"));
        }
        blocs.push(bloc.to_owned());
    }
    blocs.sort();
    blocs.dedup();
    let bias = match row.text("bias") {
        None | Some("") => 0.0,
        Some(_) => row.number("bias")?,
    };
    Ok(Nation {
        iso3,
        name: row.string("name")?,
        region: row.string("region")?,
        subregion: row.string("subregion")?,
        gdp_usd_bn: row.number("gdp_usd_bn")?,
        population_m: row.number("population_m")?,
        lat: row.number("lat")?,
        lon: row.number("lon")?,
        alignment: row.number("alignment")?,
        china_trade_share,
        us_trade_share,
        ai_capacity: row.number("ai_capacity")?,
        chip_dependence: row.number("chip_dependence")?,
        export_tier,
        us_ally: row.number("us_ally")?,
        democracy: row.number("democracy")?,
        blocs,
        bias,
        recognises_host: row.level("recognises_host", 1, 1)? == 1,
        sovereign: row.level("sovereign", 1, 1)? == 1,
        dispute_with_host: row.level("dispute_with_host", 0, 2)?,
        hosts_us_forces: row.level("hosts_us_forces", 0, 1)? == 1,
        alignment_stale: row.level("alignment_stale", 0, 1)? == 1,
    })
}

/// Reads a trade edge list against the states of `world`. Pairs naming a state that is not
/// in the world are skipped (a custom world may be a subset of the shipped one).
pub fn load_trade(
    label: &str,
    text: &str,
    world: &WorldData,
) -> Result<Vec<(u32, u32, f64)>, ScenarioError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(label, &e))?.clone();
    let columns = Columns {
        label,
        index: read_header(label, &headers, &TRADE_COLUMNS, &[])?,
    };
    let mut edges: BTreeMap<(u32, u32), (f64, usize)> = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(label, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let row = Row {
            columns: &columns,
            record: &record,
            line,
        };
        let a = row.string("iso3_a")?;
        let b = row.string("iso3_b")?;
        let value = row.number("trade_musd")?;
        if a == b {
            return Err(row
                .error("iso3_b", format!("`{a}` trades with itself"))
                .help("list pairs of two different states"));
        }
        let (Some(ia), Some(ib)) = (world.index_of(&a), world.index_of(&b)) else {
            continue;
        };
        let key = (ia.min(ib), ia.max(ib));
        if let Some((_, first)) = edges.insert(key, (value, line)) {
            return Err(row
                .error(
                    "iso3_b",
                    format!("the pair {a}-{b} appears twice (also on line {first})"),
                )
                .help("list each pair once"));
        }
    }
    Ok(edges
        .into_iter()
        .map(|((a, b), (v, _))| (a, b, v))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "iso3,name,region,subregion,gdp_usd_bn,population_m,lat,lon,alignment,china_trade_share,us_trade_share,ai_capacity,chip_dependence,export_tier,us_ally,democracy,blocs,bias";

    fn world(rows: &[&str]) -> Result<WorldData, ScenarioError> {
        let text = format!("{HEADER}\n{}\n", rows.join("\n"));
        load_world("w.csv", &text, None)
    }

    const AAA: &str = "AAA,Aland,Europe,North,10,1,0,0,0,0.1,0.2,0.5,0.5,2,0,0.5,G20;EU,0";
    const BBB: &str = "BBB,Bland,Asia,East,20,2,10,10,0.5,0.3,0.2,0.5,0.5,3,0,0.2,,0";

    #[test]
    fn a_valid_world_loads_sorted() {
        let w = world(&[BBB, AAA]).unwrap();
        assert_eq!(w.nations[0].iso3, "AAA");
        assert_eq!(w.nations[0].blocs, vec!["EU", "G20"]);
        assert_eq!(w.blocs(), vec!["EU", "G20"]);
        assert_eq!(w.regions(), vec!["Asia", "Europe"]);
        assert_eq!(w.index_of("BBB"), Some(1));
    }

    #[test]
    fn the_builtin_world_loads_with_its_trade() {
        let w = load_world(
            "built-in",
            BUILTIN_NATIONS,
            Some(("built-in", BUILTIN_TRADE)),
        )
        .unwrap();
        assert!(w.nations.len() >= 190, "{} states", w.nations.len());
        assert!(w.trade.len() > 1000, "{} trade pairs", w.trade.len());
        for code in ["CHN", "USA", "TWN", "HKG", "MAC"] {
            assert!(w.index_of(code).is_some(), "{code} is missing");
        }
    }

    #[test]
    fn bad_rows_name_line_and_column() {
        let nan = AAA.replace(",0.5,0.5,2,", ",NaN,0.5,2,");
        let err = world(&[BBB, &nan]).unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(err.key.as_deref(), Some("ai_capacity"));
        let dup = world(&[AAA, BBB, AAA]).unwrap_err();
        assert_eq!((dup.line, dup.key.as_deref()), (Some(4), Some("iso3")));
        assert!(dup.message.contains("line 2"), "{}", dup.message);
        let tier = world(&[&AAA.replace(",2,0,0.5,", ",4,0,0.5,")]).unwrap_err();
        assert_eq!(tier.key.as_deref(), Some("export_tier"));
        let empty = world(&[]).unwrap_err();
        assert!(empty.message.contains("no states"), "{}", empty.message);
    }

    #[test]
    fn regions_and_blocs_fit_their_indices() {
        let codes = |from: usize, to: usize, prefix: &str| -> Vec<String> {
            (from..to).map(|k| format!("{prefix}{k}")).collect()
        };
        // Two states split the blocs between them.
        let with_blocs = |n: usize| {
            let half = n / 2;
            let a = AAA.replace(",G20;EU,", &format!(",{},", codes(0, half, "B").join(";")));
            let b = BBB.replace(",,0", &format!(",{},0", codes(half, n, "B").join(";")));
            world(&[&a, &b])
        };
        assert_eq!(with_blocs(MAX_GROUPS).unwrap().blocs().len(), MAX_GROUPS);
        let over = with_blocs(MAX_GROUPS + 1).unwrap_err();
        assert_eq!(over.key.as_deref(), Some("blocs"));
        assert!(over.message.contains("65537"), "{}", over.message);
        // One state per region.
        let rows: Vec<String> = (0..=MAX_GROUPS)
            .map(|k| {
                let code = format!("S{k}");
                AAA.replacen("AAA", &code, 1)
                    .replacen(",Europe,", &format!(",R{k},"), 1)
            })
            .collect();
        let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
        let over = world(&refs).unwrap_err();
        assert_eq!(over.key.as_deref(), Some("region"), "{}", over.message);
    }

    #[test]
    fn header_problems_suggest_fixes() {
        let text = HEADER.replace("alignment", "alignmnet") + "\n" + AAA;
        let err = load_world("w.csv", &text, None).unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `alignment`?"));
        let text = HEADER.replace(",democracy", "") + "\n";
        let err = load_world("w.csv", &text, None).unwrap_err();
        assert!(err.message.contains("`democracy`"), "{}", err.message);
    }

    #[test]
    fn eligibility_and_ir_columns_are_optional_and_checked() {
        let w = world(&[AAA]).unwrap();
        let a = &w.nations[0];
        assert!(a.recognises_host && a.sovereign && !a.hosts_us_forces && !a.alignment_stale);
        assert_eq!(a.dispute_with_host, 0);
        let header = format!(
            "{HEADER},recognises_host,sovereign,dispute_with_host,hosts_us_forces,alignment_stale"
        );
        let text = format!("{header}\n{AAA},0,0,2,1,1\n");
        let a = &load_world("w.csv", &text, None).unwrap().nations[0];
        assert!(!a.recognises_host && !a.sovereign && a.hosts_us_forces && a.alignment_stale);
        assert_eq!(a.dispute_with_host, 2);
        let text = format!("{header}\n{AAA},1,1,3,0,0\n");
        let err = load_world("w.csv", &text, None).unwrap_err();
        assert_eq!(err.key.as_deref(), Some("dispute_with_host"), "{err:?}");
        assert_eq!(err.line, Some(2));
        let text = format!("{header}\n{AAA},2,1,0,0,0\n");
        let err = load_world("w.csv", &text, None).unwrap_err();
        assert_eq!(err.key.as_deref(), Some("recognises_host"), "{err:?}");
    }
}
