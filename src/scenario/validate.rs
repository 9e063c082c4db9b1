//! From [`ScenarioFile`] to [`Scenario`]: every value checked against its range, every
//! code against the world, every date against the run; errors carry the dotted key, and
//! [`super::parse`] adds the line.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::error::{ScenarioError, did_you_mean};
use super::events::{Action, validate_event};
use super::file::{DealStrategy, EventEntry, Flag, Params, Policy, ScenarioFile};
use super::ranges;
use super::{Body, Deals, NetworkKind, Scenario, Strategies, Target};
use crate::model::Status;
use crate::time::{Calendar, Date, Every, TickUnit};
use crate::world::eligibility::{self, Rules, Step};
use crate::world::{self, Nation, WorldData};

/// The most ticks a run may have (a century of days is about 36,500).
pub const MAX_TICKS: i64 = 100_000;

/// Resolves codes, dates and numbers for one scenario, making errors that name the file
/// and key.
pub(crate) struct Resolver<'a> {
    pub file: &'a str,
    pub world: &'a WorldData,
    pub calendar: Option<&'a Calendar>,
    pub host: Option<u32>,
    pub opponent: Option<u32>,
    pub opponent_may_join: bool,
}

impl Resolver<'_> {
    pub fn error(&self, key: &str, message: impl Into<String>) -> ScenarioError {
        ScenarioError::new(self.file, message).key(key)
    }

    pub fn number(&self, key: &str, value: f64, lo: f64, hi: f64) -> Result<f64, ScenarioError> {
        let range = format!(
            "write a number from {} to {}",
            ranges::show(lo),
            ranges::show(hi)
        );
        if !value.is_finite() {
            return Err(self
                .error(key, format!("{value} is not a finite number"))
                .help(range));
        }
        if value < lo || value > hi {
            return Err(self
                .error(key, format!("{} is out of range", ranges::show(value)))
                .help(range));
        }
        Ok(value)
    }

    /// Refuses text holding control characters (a chart's SVG, a CSV cell or a title
    /// could not show them).
    pub fn text(&self, key: &str, value: &str) -> Result<(), ScenarioError> {
        match value.chars().find(|c| c.is_control()) {
            None => Ok(()),
            Some(c) => Err(self
                .error(
                    key,
                    format!(
                        "the text holds the control character U+{:04X}",
                        u32::from(c)
                    ),
                )
                .help("remove it: names and labels are one line of printable text")),
        }
    }

    pub fn date(&self, key: &str, value: &toml::Value) -> Result<Date, ScenarioError> {
        let text = match value {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            other => {
                return Err(self
                    .error(key, format!("expected a date, found `{other}`"))
                    .help("write a date as YYYY-MM-DD, e.g. 2025-07-26"));
            }
        };
        Date::parse(&text).map_err(|msg| {
            self.error(key, msg)
                .help("write a date as YYYY-MM-DD, e.g. 2025-07-26")
        })
    }

    pub fn within_run(&self, key: &str, date: Date) -> Result<(), ScenarioError> {
        let Some(cal) = self.calendar else {
            return Ok(());
        };
        if !cal.covers(date) {
            return Err(self
                .error(
                    key,
                    format!(
                        "{date} falls outside the run, which covers {} to {}",
                        cal.start(),
                        cal.end()
                    ),
                )
                .help("move the date inside the run, or change [scenario] start/end"));
        }
        Ok(())
    }

    pub fn state(&self, key: &str, code: &str) -> Result<u32, ScenarioError> {
        if let Some(i) = self.world.index_of(code) {
            return Ok(i);
        }
        let by_name = self
            .world
            .nations
            .iter()
            .find(|n| n.name.eq_ignore_ascii_case(code) || n.iso3.eq_ignore_ascii_case(code));
        let help = match by_name {
            Some(n) => Some(format!("did you mean `{}` ({})?", n.iso3, n.name)),
            None => world_code_suggestion(self.world, code),
        };
        Err(self
            .error(key, format!("`{code}` is not a state of the world"))
            .maybe_help(
                help.or_else(|| Some("use the ISO3 code of a state in the world file".into())),
            ))
    }

    fn bloc(&self, key: &str, code: &str) -> Result<Vec<u32>, ScenarioError> {
        let members: Vec<u32> = (0..self.world.nations.len() as u32)
            .filter(|&i| {
                self.world.nations[i as usize]
                    .blocs
                    .iter()
                    .any(|b| b == code)
            })
            .collect();
        if members.is_empty() {
            let blocs = self.world.blocs();
            return Err(self
                .error(
                    key,
                    format!("no state of the world belongs to bloc `{code}`"),
                )
                .maybe_help(did_you_mean(code, blocs.iter().map(String::as_str))));
        }
        Ok(members)
    }

    fn region(&self, key: &str, name: &str) -> Result<Vec<u32>, ScenarioError> {
        let members: Vec<u32> = (0..self.world.nations.len() as u32)
            .filter(|&i| self.world.nations[i as usize].region == name)
            .collect();
        if members.is_empty() {
            let regions = self.world.regions();
            return Err(self
                .error(key, format!("no state of the world is in region `{name}`"))
                .maybe_help(did_you_mean(name, regions.iter().map(String::as_str))));
        }
        Ok(members)
    }

    /// The union of the states an event names through `state`, `states`, `bloc` and
    /// `region`, sorted.
    pub fn targets(&self, i: usize, e: &EventEntry) -> Result<Vec<u32>, ScenarioError> {
        let mut out = Vec::new();
        if let Some(code) = &e.state {
            out.push(self.state(&format!("events[{i}].state"), code)?);
        }
        for (k, code) in e.states.iter().flatten().enumerate() {
            out.push(self.state(&format!("events[{i}].states[{k}]"), code)?);
        }
        if let Some(bloc) = &e.bloc {
            out.extend(self.bloc(&format!("events[{i}].bloc"), bloc)?);
        }
        if let Some(region) = &e.region {
            out.extend(self.region(&format!("events[{i}].region"), region)?);
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    pub fn check_decidable(
        &self,
        key: &str,
        states: &[u32],
        status: Status,
    ) -> Result<(), ScenarioError> {
        for &s in states {
            let code = &self.world.nations[s as usize].iso3;
            if Some(s) == self.host && status != Status::Member {
                return Err(self
                    .error(key, format!("{code} hosts the body and is always a member"))
                    .help("remove the host from this event"));
            }
            if Some(s) == self.opponent && !self.opponent_may_join && status.is_in() {
                return Err(self
                    .error(
                        key,
                        format!("{code} is the opposing power, which may not join"),
                    )
                    .help("set [body] opponent_may_join = true, or remove it from this event"));
            }
        }
        Ok(())
    }
}

fn world_code_suggestion(world: &WorldData, code: &str) -> Option<String> {
    let upper = code.to_uppercase();
    super::error::closest(&upper, world.nations.iter().map(|n| n.iso3.as_str())).map(|best| {
        let name = world
            .index_of(best)
            .map(|i| world.nations[i as usize].name.as_str());
        format!("did you mean `{best}` ({})?", name.unwrap_or(""))
    })
}

/// The longest scenario or sweep name: file systems allow 255 bytes per name, and a
/// shard's folder adds a suffix.
pub const MAX_NAME: usize = 100;

/// Whether `name` can name an output folder: up to [`MAX_NAME`] letters, digits, `-`,
/// `_` and `.`, not empty and not starting with a dot.
pub fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

/// A name as a message quotes it: a long one cut to its first 40 characters and its
/// length.
pub fn shorten(name: &str) -> String {
    let count = name.chars().count();
    if count <= 60 {
        return name.to_owned();
    }
    let head: String = name.chars().take(40).collect();
    format!("{head}... ({count} characters)")
}

/// Names of `output/` folders that other commands write into (`output/sweeps/<name>`,
/// `output/compare/...`, `output/calibrate/...`), which no scenario may take.
pub const RESERVED_NAMES: [&str; 3] = ["sweeps", "compare", "calibrate"];

static BUILTIN_WORLD: OnceLock<Result<Arc<WorldData>, ScenarioError>> = OnceLock::new();

/// The shipped world with its trade data, loaded once per process.
pub fn builtin_world() -> Result<Arc<WorldData>, ScenarioError> {
    BUILTIN_WORLD
        .get_or_init(|| {
            world::load_world(
                "built-in nations.csv",
                world::BUILTIN_NATIONS,
                Some(("built-in trade.csv", world::BUILTIN_TRADE)),
            )
            .map(Arc::new)
        })
        .clone()
}

fn read_file(
    scenario: &str,
    key: &str,
    base: Option<&Path>,
    path: &str,
) -> Result<(String, String), ScenarioError> {
    let full = match base {
        Some(dir) => dir.join(path),
        None => Path::new(path).to_path_buf(),
    };
    let label = full.display().to_string();
    std::fs::read_to_string(&full)
        .map(|text| (label.clone(), text))
        .map_err(|e| {
            ScenarioError::new(scenario, format!("cannot read `{label}`: {e}"))
                .key(key)
                .help("give a path relative to the scenario file")
        })
}

fn load_world_for(
    file: &ScenarioFile,
    label: &str,
    base: Option<&Path>,
) -> Result<Arc<WorldData>, ScenarioError> {
    let s = &file.scenario;
    let trade_builtin = matches!(s.trade.as_deref(), None | Some("builtin"));
    if s.world.is_none() && trade_builtin {
        return builtin_world();
    }
    let (nations_label, nations_text) = match &s.world {
        None => (
            "built-in nations.csv".to_owned(),
            world::BUILTIN_NATIONS.to_owned(),
        ),
        Some(path) => read_file(label, "scenario.world", base, path)?,
    };
    let trade = match s.trade.as_deref() {
        None | Some("builtin") => Some((
            "built-in trade.csv".to_owned(),
            world::BUILTIN_TRADE.to_owned(),
        )),
        Some("none") => None,
        Some(path) => Some(read_file(label, "scenario.trade", base, path)?),
    };
    world::load_world(
        &nations_label,
        &nations_text,
        trade.as_ref().map(|(l, t)| (l.as_str(), t.as_str())),
    )
    .map(Arc::new)
}

/// Validates a parsed scenario file. `label` names the file in errors; `base` is the
/// folder relative paths start from.
pub fn validate(
    file: &ScenarioFile,
    label: &str,
    base: Option<&Path>,
) -> Result<Scenario, ScenarioError> {
    let world = load_world_for(file, label, base)?;
    validate_with_world(file, label, world)
}

/// Validates a parsed scenario file against an already loaded world.
pub fn validate_with_world(
    file: &ScenarioFile,
    label: &str,
    world: Arc<WorldData>,
) -> Result<Scenario, ScenarioError> {
    let s = &file.scenario;
    // Per-state overrides first: they change the world every other check sees.
    let world = apply_overrides(file, label, world)?;
    let mut r = Resolver {
        file: label,
        world: &world,
        calendar: None,
        host: None,
        opponent: None,
        opponent_may_join: file.body.opponent_may_join,
    };
    if !is_folder_name(&s.name) {
        return Err(r
            .error(
                "scenario.name",
                format!("`{}` cannot name an output folder", shorten(&s.name)),
            )
            .help(format!(
                "use at most {MAX_NAME} letters, digits, `-`, `_` and `.`, e.g. \"controls-tighten\""
            )));
    }
    if RESERVED_NAMES.contains(&s.name.as_str()) {
        return Err(r
            .error(
                "scenario.name",
                format!(
                    "`{}` is the output folder of `waico {}`",
                    s.name,
                    if s.name == "sweeps" { "sweep" } else { &s.name }
                ),
            )
            .help("choose another name, e.g. \"my-scenario\""));
    }
    let Some(unit) = TickUnit::parse(&s.tick) else {
        return Err(r
            .error("scenario.tick", format!("unknown tick length `{}`", s.tick))
            .maybe_help(did_you_mean(&s.tick, TickUnit::NAMES)));
    };
    let start = r.date("scenario.start", &s.start)?;
    let end = r.date("scenario.end", &s.end)?;
    if end <= start {
        return Err(r
            .error(
                "scenario.end",
                format!("the run ends ({end}) before it starts ({start})"),
            )
            .help("give an end date after the start date"));
    }
    let span_days = i64::from(end.days_since(start));
    let approx_ticks = span_days * 12
        / match unit {
            TickUnit::Day => 12,
            TickUnit::Week => 84,
            TickUnit::Month => 365,
        };
    if approx_ticks > MAX_TICKS {
        return Err(r
            .error(
                "scenario.tick",
                format!(
                    "{start} to {end} in {}s is about {approx_ticks} ticks",
                    unit.name()
                ),
            )
            .help(format!(
                "a run has at most {MAX_TICKS} ticks: use a longer tick or a shorter run"
            )));
    }
    let Some(calendar) = Calendar::new(start, end, unit) else {
        return Err(r
            .error("scenario.end", format!("{start} to {end} holds no tick"))
            .help("give a later end date or a shorter tick"));
    };
    let network = match s.network.as_str() {
        "trade" => NetworkKind::Trade,
        "global" => NetworkKind::Global,
        other => {
            return Err(r
                .error("scenario.network", format!("unknown network `{other}`"))
                .maybe_help(did_you_mean(other, ["trade", "global"])));
        }
    };

    let params = validate_params(&r, &file.params, &world)?;
    let policy = validate_policy(&r, &file.policy)?;
    let b = &file.body;
    r.text("body.name", &b.name)?;
    let host = r.state("body.host", &b.host)?;
    let opponent = match b.opponent.as_str() {
        "" => None,
        code => Some(r.state("body.opponent", code)?),
    };
    if opponent == Some(host) {
        return Err(r
            .error("body.opponent", "the host cannot be its own opponent")
            .help("name another state, or \"\" for no opponent"));
    }
    r.host = Some(host);
    r.opponent = opponent;
    r.calendar = Some(&calendar);
    let founding_deadline = b
        .founding_deadline
        .as_ref()
        .map(|v| r.date("body.founding_deadline", v))
        .transpose()?;
    let blocs = validate_blocs(&r, b.blocs.as_deref(), &world)?;
    let rules = validate_eligibility(&r, file, &world)?;
    let initial = validate_initial(&r, b, &world, &rules)?;
    let body = Body {
        name: b.name.clone(),
        host,
        opponent,
        opponent_may_join: b.opponent_may_join,
        founding_deadline,
        partner_tier: b.partner_tier,
        blocs,
        initial,
    };
    let strategies = validate_strategies(&r, file)?;
    let mut events = Vec::with_capacity(file.events.len());
    for (i, e) in file.events.iter().enumerate() {
        let event = validate_event(&r, i, e)?;
        match event.action {
            Action::Decide {
                status: Status::Partner,
                ..
            } if !body.partner_tier => {
                return Err(r
                    .error(
                        &format!("events[{i}].status"),
                        "the body has no partner tier",
                    )
                    .help("set [body] partner_tier = true, or decide \"member\""));
            }
            Action::TradeDeal { partner, .. }
                if e.share.is_some() && partner != host && Some(partner) != opponent =>
            {
                return Err(r
                    .error(
                        &format!("events[{i}].share"),
                        "only deals with the host or the opponent move trade shares",
                    )
                    .help("remove `share`, or make the host or opponent the partner"));
            }
            _ => {}
        }
        events.push(event);
    }
    // Same-date events apply in file order.
    events.sort_by_key(|e| (e.date, e.index));
    check_joins(&r, &world, &body, &rules, &events)?;
    Ok(Scenario {
        name: s.name.clone(),
        description: s.description.clone(),
        calendar,
        seed: s.seed,
        world,
        network,
        body,
        params,
        policy,
        strategies,
        events,
        eligibility: rules,
        file: file.clone(),
        label: label.to_owned(),
        sha256: String::new(),
        overrides: Vec::new(),
        warnings: Vec::new(),
    })
}

/// The blocs a scenario counts, sorted: only those it lists (none when it lists none),
/// each checked against the world.
fn validate_blocs(
    r: &Resolver<'_>,
    listed: Option<&[String]>,
    world: &WorldData,
) -> Result<Vec<String>, ScenarioError> {
    let mut out = Vec::new();
    for (k, bloc) in listed.unwrap_or_default().iter().enumerate() {
        if !world.nations.iter().any(|n| n.blocs.contains(bloc)) {
            let world_blocs = world.blocs();
            return Err(r
                .error(
                    &format!("body.blocs[{k}]"),
                    format!("no state belongs to bloc `{bloc}`"),
                )
                .maybe_help(did_you_mean(bloc, world_blocs.iter().map(String::as_str))));
        }
        out.push(bloc.clone());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The initial members and partners (the host left out), sorted by state: each listed
/// once, allowed to join, and partners only with a partner tier.
fn validate_initial(
    r: &Resolver<'_>,
    b: &super::file::BodySection,
    world: &WorldData,
    rules: &Rules,
) -> Result<Vec<(u32, Status)>, ScenarioError> {
    let host = r.host.expect("the host is known");
    let start =
        eligibility::start_bars(&world.nations, host, r.opponent, b.opponent_may_join, rules);
    let mut initial = Vec::new();
    for (list, status, key) in [
        (&b.initial_members, Status::Member, "body.initial_members"),
        (
            &b.initial_partners,
            Status::Partner,
            "body.initial_partners",
        ),
    ] {
        for (k, code) in list.iter().enumerate() {
            let key = format!("{key}[{k}]");
            let i = r.state(&key, code)?;
            r.check_decidable(&key, &[i], status)?;
            if i == host {
                continue;
            }
            if !start[i as usize].is_empty() {
                return Err(barred_join(r, &key, i, start[i as usize], rules));
            }
            if initial.iter().any(|&(j, _)| j == i) {
                return Err(r
                    .error(
                        &key,
                        format!("{code} is listed twice among the initial members and partners"),
                    )
                    .help("list each state once"));
            }
            initial.push((i, status));
        }
    }
    if !b.partner_tier && initial.iter().any(|&(_, s)| s == Status::Partner) {
        return Err(r
            .error(
                "body.initial_partners",
                "there are initial partners but no partner tier",
            )
            .help("set partner_tier = true or move them to initial_members"));
    }
    initial.sort_unstable();
    Ok(initial)
}

/// The scenario's `[eligibility]` rules: admitted territories and barred states, each
/// checked against the world.
fn validate_eligibility(
    r: &Resolver<'_>,
    file: &ScenarioFile,
    world: &WorldData,
) -> Result<Rules, ScenarioError> {
    let e = &file.eligibility;
    let mut rules = Rules::default();
    for (k, code) in e.admit.iter().enumerate() {
        let key = format!("eligibility.admit[{k}]");
        let i = r.state(&key, code)?;
        if world.nations[i as usize].sovereign {
            return Err(r
                .error(&key, format!("{code} is a sovereign state, not a territory"))
                .help("`admit` lists territories (sovereign = 0) admitted as non-sovereign participants; remove it"));
        }
        if rules.admitted.contains(&i) {
            return Err(r
                .error(&key, format!("{code} is admitted twice"))
                .help("list each state once"));
        }
        rules.admitted.push(i);
    }
    for (k, bar) in e.bar.iter().enumerate() {
        let reason = bar.reason.trim();
        if reason.is_empty() {
            return Err(r
                .error(
                    &format!("eligibility.bar[{k}].reason"),
                    "the reason is empty",
                )
                .help("say why the states are barred, with the source"));
        }
        if bar.states.is_empty() {
            return Err(r
                .error(
                    &format!("eligibility.bar[{k}].states"),
                    "this bar names no state",
                )
                .help("list the states it bars, e.g. states = [\"PRK\"]"));
        }
        for (m, code) in bar.states.iter().enumerate() {
            let key = format!("eligibility.bar[{k}].states[{m}]");
            let i = r.state(&key, code)?;
            if Some(i) == r.host {
                return Err(r
                    .error(&key, format!("{code} hosts the body and cannot be barred"))
                    .help("remove it from the bar"));
            }
            if rules.bar_reason(i).is_some() {
                return Err(r
                    .error(&key, format!("{code} is barred twice"))
                    .help("bar each state once, with one reason"));
            }
            let at = rules.barred.partition_point(|b| b.0 < i);
            rules.barred.insert(at, (i, reason.into()));
        }
    }
    rules.admitted.sort_unstable();
    Ok(rules)
}

/// The error for state `i`, barred by `bars`, put in the body at `key`.
fn barred_join(
    r: &Resolver<'_>,
    key: &str,
    i: u32,
    bars: eligibility::Bars,
    rules: &Rules,
) -> ScenarioError {
    let n = &r.world.nations[i as usize];
    r.error(
        key,
        format!(
            "{} ({}) cannot join: {}",
            n.iso3,
            n.name,
            eligibility::describe(bars, rules.bar_reason(i))
        ),
    )
    .help(eligibility::fix(bars, &n.iso3))
}

/// Rejects `decide` events that would put a barred state in the body, replaying
/// `recognition` events (and their reversions) as the run will.
fn check_joins(
    r: &Resolver<'_>,
    world: &WorldData,
    body: &Body,
    rules: &Rules,
    events: &[super::Event],
) -> Result<(), ScenarioError> {
    let initial = eligibility::start_bars(
        &world.nations,
        body.host,
        body.opponent,
        body.opponent_may_join,
        rules,
    );
    let mut keys: Vec<String> = Vec::new();
    let cal = r.calendar.expect("the calendar is known");
    let mut steps: Vec<(u32, Step<'_>)> = Vec::new();
    for e in events {
        let fire = cal.tick_of(e.date).unwrap_or(0);
        let step = match &e.action {
            Action::Recognition { states, recognises } => Step::Recognition {
                states,
                recognises: *recognises,
                revert: e
                    .until
                    .and_then(|u| cal.tick_of(u))
                    .map(|t| t.max(fire + 1)),
            },
            Action::Decide { states, status } if status.is_in() => Step::Join { states },
            _ => continue,
        };
        keys.push(format!("events[{}]", e.index));
        steps.push((fire, step));
    }
    match eligibility::first_barred_join(&initial, &steps) {
        Some((k, i, bars)) => Err(barred_join(r, &keys[k], i, bars, rules)),
        None => Ok(()),
    }
}

/// The validated `[params]`, `[policy]` and `[strategies]` of `file` alone, in the world
/// `world` (the world its validation settled on, per-state overrides applied): nothing
/// else in a scenario depends on them, so a sweep's points that change nothing else take
/// the rest of their scenario from the validated base.
pub fn validate_numbers(
    file: &ScenarioFile,
    label: &str,
    world: &WorldData,
) -> Result<(Params, Policy, Strategies), ScenarioError> {
    let r = Resolver {
        file: label,
        world,
        calendar: None,
        host: None,
        opponent: None,
        opponent_may_join: file.body.opponent_may_join,
    };
    Ok((
        validate_params(&r, &file.params, world)?,
        validate_policy(&r, &file.policy)?,
        validate_strategies(&r, file)?,
    ))
}

fn validate_strategies(r: &Resolver<'_>, file: &ScenarioFile) -> Result<Strategies, ScenarioError> {
    let s = &file.strategies;
    Ok(Strategies {
        retaliation: s.retaliation,
        courtship: validate_deals(r, "strategies.courtship", &s.courtship, true)?,
        counter_offer: validate_deals(r, "strategies.counter_offer", &s.counter_offer, false)?,
    })
}

fn validate_params(
    r: &Resolver<'_>,
    p: &Params,
    world: &WorldData,
) -> Result<Params, ScenarioError> {
    check_section(r, "params", p)?;
    if p.trade_partners == 0 {
        return Err(r
            .error(
                "params.trade_partners",
                "a state needs at least one trade partner",
            )
            .help("write a whole number of at least 1 (the default is 20)"));
    }
    if p.cut_partner > p.cut_member {
        return Err(r
            .error(
                "params.cut_partner",
                format!(
                    "cut_partner ({}) is above cut_member ({})",
                    p.cut_partner, p.cut_member
                ),
            )
            .help("the partner cut must not exceed the member cut"));
    }
    for (region, v) in &p.affinity {
        let key = format!("params.affinity.{region}");
        if !world.nations.iter().any(|n| n.region == *region) {
            let regions = world.regions();
            return Err(r
                .error(
                    &key,
                    format!("no state of the world is in region `{region}`"),
                )
                .maybe_help(did_you_mean(region, regions.iter().map(String::as_str))));
        }
        ranges::check(r.file, &key, *v)?;
    }
    Ok(p.clone())
}

fn validate_policy(r: &Resolver<'_>, p: &Policy) -> Result<Policy, ScenarioError> {
    check_section(r, "policy", p)?;
    Ok(p.clone())
}

/// Checks every number of a section against the table of ranges.
fn check_section(
    r: &Resolver<'_>,
    key: &str,
    section: &impl serde::Serialize,
) -> Result<(), ScenarioError> {
    let value = toml::Value::try_from(section)
        .map_err(|e| r.error(key, format!("cannot read the section: {e}")))?;
    ranges::check_numbers(r.file, key, &value)
}

fn validate_deals(
    r: &Resolver<'_>,
    key: &str,
    d: &DealStrategy,
    default_enabled: bool,
) -> Result<Option<Deals>, ScenarioError> {
    let every = Every::parse(&d.every).map_err(|msg| {
        r.error(&format!("{key}.every"), msg)
            .help("write e.g. \"3 months\"")
    })?;
    let target = match d.target.as_str() {
        "swing" => Target::Swing,
        "largest" => Target::Largest,
        "global_south" => Target::GlobalSouth,
        other => {
            return Err(r
                .error(
                    &format!("{key}.target"),
                    format!("unknown target rule `{other}`"),
                )
                .maybe_help(did_you_mean(other, ["swing", "largest", "global_south"])));
        }
    };
    check_section(r, key, d)?;
    if !d.enabled.unwrap_or(default_enabled) {
        return Ok(None);
    }
    if d.deals == 0 {
        return Err(r
            .error(
                &format!("{key}.deals"),
                "an enabled strategy signs at least one deal per round",
            )
            .help("write deals = 1 or more, or enabled = false"));
    }
    Ok(Some(Deals {
        every,
        deals: d.deals,
        target,
        share: d.share,
        weight: d.weight,
        utility: d.utility,
        once_per_state: d.once_per_state,
    }))
}

fn apply_overrides(
    file: &ScenarioFile,
    label: &str,
    world: Arc<WorldData>,
) -> Result<Arc<WorldData>, ScenarioError> {
    if file.states.is_empty() {
        return Ok(world);
    }
    let mut data = (*world).clone();
    for (code, o) in &file.states {
        let r = Resolver {
            file: label,
            world: &world,
            calendar: None,
            host: None,
            opponent: None,
            opponent_may_join: false,
        };
        let i = r.state(&format!("states.{code}"), code)? as usize;
        let n: &mut Nation = &mut data.nations[i];
        let key = |k: &str| format!("states.{code}.{k}");
        let set = |slot: &mut f64, k: &str, v: Option<f64>| -> Result<(), ScenarioError> {
            if let Some(v) = v {
                let (lo, hi, _) = world::attribute_range(k).unwrap_or((-1e6, 1e6, ""));
                *slot = r.number(&key(k), v, lo, hi)?;
            }
            Ok(())
        };
        for (slot, value, k) in [
            (&mut n.name, &o.name, "name"),
            (&mut n.region, &o.region, "region"),
            (&mut n.subregion, &o.subregion, "subregion"),
        ] {
            if let Some(v) = value {
                r.text(&key(k), v)?;
                *slot = v.clone();
            }
        }
        set(&mut n.gdp_usd_bn, "gdp_usd_bn", o.gdp_usd_bn)?;
        set(&mut n.population_m, "population_m", o.population_m)?;
        set(&mut n.lat, "lat", o.lat)?;
        set(&mut n.lon, "lon", o.lon)?;
        set(&mut n.alignment, "alignment", o.alignment)?;
        set(
            &mut n.china_trade_share,
            "china_trade_share",
            o.china_trade_share,
        )?;
        set(&mut n.us_trade_share, "us_trade_share", o.us_trade_share)?;
        set(&mut n.ai_capacity, "ai_capacity", o.ai_capacity)?;
        set(&mut n.chip_dependence, "chip_dependence", o.chip_dependence)?;
        set(&mut n.us_ally, "us_ally", o.us_ally)?;
        set(&mut n.democracy, "democracy", o.democracy)?;
        set(&mut n.bias, "bias", o.bias)?;
        if n.china_trade_share + n.us_trade_share > 1.0 + 1e-9 {
            return Err(r
                .error(
                    &key("china_trade_share"),
                    "china_trade_share + us_trade_share exceeds 1",
                )
                .help("lower one of the two shares"));
        }
        if let Some(t) = o.export_tier {
            if !(1..=3).contains(&t) {
                return Err(r
                    .error(&key("export_tier"), format!("{t} is not an export tier"))
                    .help("write 1, 2 or 3"));
            }
            n.export_tier = t as u8;
        }
        let flag = |k: &str, v: Option<Flag>| -> Result<Option<bool>, ScenarioError> {
            match v {
                None => Ok(None),
                Some(Flag::Bool(b)) => Ok(Some(b)),
                Some(Flag::Int(x @ 0..=1)) => Ok(Some(x == 1)),
                Some(Flag::Int(x)) => Err(r
                    .error(&key(k), format!("{x} is not 0 or 1"))
                    .help("write true or false (or 1 or 0)")),
            }
        };
        for (slot, k, v) in [
            (&mut n.recognises_host, "recognises_host", o.recognises_host),
            (&mut n.sovereign, "sovereign", o.sovereign),
            (&mut n.hosts_us_forces, "hosts_us_forces", o.hosts_us_forces),
            (&mut n.alignment_stale, "alignment_stale", o.alignment_stale),
        ] {
            if let Some(b) = flag(k, v)? {
                *slot = b;
            }
        }
        if let Some(d) = o.dispute_with_host {
            if !(0..=2).contains(&d) {
                return Err(r
                    .error(&key("dispute_with_host"), format!("{d} is not 0, 1 or 2"))
                    .help("write 0 (none), 1 (dormant) or 2 (active)"));
            }
            n.dispute_with_host = d as u8;
        }
        if let Some(blocs) = &o.blocs {
            for (k, b) in blocs.iter().enumerate() {
                if !world::valid_bloc(b) {
                    return Err(r
                        .error(
                            &format!("states.{code}.blocs[{k}]"),
                            format!("`{b}` is not a bloc code"),
                        )
                        .help("write upper-case codes such as \"SCO\""));
                }
            }
            n.blocs = blocs.clone();
            n.blocs.sort();
            n.blocs.dedup();
        }
    }
    Ok(Arc::new(data))
}
