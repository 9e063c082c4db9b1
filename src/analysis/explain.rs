//! Explaining one state's decisions from a run folder written by `waico run`: its status
//! history and, at each change, the utility terms that moved it since its previous change
//! (or the start), largest first, with the level of its utility against the cut points.
//!
//! Everything comes from the folder: `nations.csv` (status, utility, choice probabilities
//! and every term per state and tick), `events.csv` (what fired, who joined) and
//! `manifest.json` (the scenario, its weights and cut points). To name the trade partners
//! behind peer pressure and the bloc behind bloc pressure, the scenario recorded in the
//! manifest is loaded again ([`Context::load`]) and used only if its SHA-256 and its
//! world files' match the manifest's; otherwise the explanation says why no names are
//! given.
//!
//! A term's change is a shift in the probability of the choice, not a cause in a strict
//! sense: the choice is a draw from the ordered logit of MODEL.md section 6.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::path::PathBuf;

use super::AnalysisError;
use super::folder::{Context, EventRecord, RunFolder, malformed, read_events, read_nations};
use crate::model::{Status, Term, Terms};
use crate::output::tables::num;
use crate::scenario::error::closest;
use crate::world::eligibility::{Bars, describe};
use crate::world::network::TradeNetwork;

/// The columns of `waico explain --csv`: one row per term and change.
pub const CSV_COLUMNS: [&str; 14] = [
    "iso3",
    "tick",
    "date",
    "from",
    "to",
    "cause",
    "since_tick",
    "since_date",
    "rank",
    "term",
    "column",
    "before",
    "after",
    "change",
];

/// Changes smaller than this are rounding of the six-decimal files, not changes.
const EPSILON: f64 = 5e-7;

/// Terms shown in the text of one change (the CSV has them all).
const SHOWN_TERMS: usize = 8;

/// Partners or events named in one note.
const NAMED: usize = 3;

/// How a state stands towards the body's rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A state that reviews its position.
    State,
    /// The host: a member from the start that never reviews.
    Host,
    /// The opposing power, which never reviews.
    Opponent,
}

/// One term's part in a change.
#[derive(Clone, Debug, PartialEq)]
pub struct TermChange {
    /// The term.
    pub term: Term,
    /// Its value at the reference tick.
    pub before: f64,
    /// Its value at the change.
    pub after: f64,
    /// What moved it, when the run tells (partners that joined, the bloc, events).
    pub note: Option<String>,
}

impl TermChange {
    /// `after - before`.
    pub fn change(&self) -> f64 {
        self.after - self.before
    }
}

/// A change of status and what moved it.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The tick of the change.
    pub tick: u32,
    /// Its date.
    pub date: String,
    /// Status before.
    pub from: Status,
    /// Status after.
    pub to: Status,
    /// `None` for the state's own decision; the event's label for a status a scenario
    /// event imposed.
    pub forced_by: Option<String>,
    /// The reference tick: the previous change, or 0.
    pub since_tick: u32,
    /// Its date.
    pub since_date: String,
    /// `U_i` at the reference tick.
    pub utility_before: f64,
    /// `U_i` at the change.
    pub utility_after: f64,
    /// The status-quo bonus in the choice (`inertia` if the state was in, else 0).
    pub bonus: f64,
    /// `P(s >= partner)` of the choice.
    pub p_partner: f64,
    /// `P(s >= member)` of the choice.
    pub p_member: f64,
    /// Reviews after the reference tick and before the change that kept the status.
    pub kept: u32,
    /// Every term, the largest absolute change first (ties in equation order).
    pub terms: Vec<TermChange>,
}

/// Why a state that never changed stayed where it was.
#[derive(Clone, Debug, PartialEq)]
pub struct Stay {
    /// Its status throughout.
    pub status: Status,
    /// How many times it reviewed (and kept its status).
    pub reviews: u32,
    /// Lowest `U_i` over the run.
    pub utility_min: f64,
    /// Highest `U_i`.
    pub utility_max: f64,
    /// `U_i` at the last tick.
    pub utility_last: f64,
    /// `P(s >= partner)` at the last tick.
    pub p_partner: f64,
    /// `P(s >= member)` at the last tick.
    pub p_member: f64,
    /// The status-quo bonus it enjoys.
    pub bonus: f64,
    /// Its terms at the last tick but the constant, the largest in absolute value first
    /// (zeros left out).
    pub largest: Vec<(Term, f64)>,
    /// Every term from tick 0 to the last tick, the largest absolute change first.
    pub terms: Vec<TermChange>,
    /// The last tick.
    pub last_tick: u32,
    /// Its date.
    pub last_date: String,
    /// The date of tick 0.
    pub first_date: String,
}

/// A spell during which a state could not join (docs/MODEL.md section 5, eligibility).
#[derive(Clone, Debug, PartialEq)]
pub struct Barred {
    /// The date of the first tick it was barred.
    pub from: String,
    /// The date of the first tick it could join again; `None` if it never could again.
    pub until: Option<String>,
    /// Its reasons.
    pub bars: Bars,
    /// Why, in words (from the manifest when the spell starts the run).
    pub why: String,
}

/// Why one state moved as it did in one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The run folder.
    pub dir: PathBuf,
    /// Scenario name.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// The state's code.
    pub iso3: String,
    /// Its name, when the scenario could be loaded.
    pub name: Option<String>,
    /// Host, opponent or an ordinary state.
    pub role: Role,
    /// Status at tick 0.
    pub initial: Status,
    /// Date of tick 0.
    pub start: String,
    /// Every change of status, in order.
    pub changes: Vec<Change>,
    /// Why it stayed, when it never changed.
    pub stay: Option<Stay>,
    /// The spells during which it could not join at all, in order.
    pub barred: Vec<Barred>,
    /// Whether its `alignment` is a documented override (`alignment_stale`).
    pub alignment_stale: bool,
    /// Where names of partners and blocs come from, or why there are none.
    pub context: Result<String, String>,
    /// The partner cut point (the member cut point without a partner tier).
    pub cut_partner: f64,
    /// The member cut point.
    pub cut_member: f64,
    /// The logit temperature.
    pub tau: f64,
    /// The tick unit.
    pub tick_unit: String,
}

/// Reads `folder` and explains the state `code` (any case). `context` names partners and
/// blocs; without it the explanation gives numbers only.
pub fn explain(
    folder: &RunFolder,
    code: &str,
    context: Result<&Context, &str>,
) -> Result<Explanation, AnalysisError> {
    let upper = code.trim().to_uppercase();
    let nations = read_nations(&folder.dir.join("nations.csv"), &upper)?;
    let context = match context {
        Ok(c) if c.codes == nations.codes => Ok(c),
        Ok(c) => Err(format!(
            "the states of `{}` differ from the run's",
            c.source
        )),
        Err(why) => Err(why.to_owned()),
    };
    let Some(state) = nations.codes.iter().position(|c| *c == upper) else {
        return Err(unknown_state(folder, code, &nations.codes, context.ok()));
    };
    let events = read_events(&folder.dir.join("events.csv"))?;
    let rows = &nations.rows;
    if rows.len() != nations.status.len() {
        return Err(malformed(
            &folder.dir.join("nations.csv"),
            None,
            format!("`{upper}` lacks rows at some ticks"),
        ));
    }
    let p = &folder.params;
    let role = if upper == folder.host {
        Role::Host
    } else if Some(&upper) == folder.opponent.as_ref() && !folder.opponent_may_join {
        Role::Opponent
    } else {
        Role::State
    };
    let forced = forced_statuses(&events, &nations.codes);
    let seen = |k: usize| -> Vec<Status> {
        if k == 0 {
            return nations.status[0].clone();
        }
        let mut s = nations.status[k - 1].clone();
        for &(_, i, st) in forced.iter().filter(|f| f.0 == k) {
            s[i] = st;
        }
        s
    };
    let notes = Notes {
        folder,
        context: context.as_ref().ok().copied(),
        events: &events,
        code: &upper,
        state,
    };

    let mut changes = Vec::new();
    let mut since = 0usize;
    for t in 1..rows.len() {
        let (before, now) = (&rows[t - 1], &rows[t]);
        if before.status == now.status {
            continue;
        }
        let reference = &rows[since];
        let forced_by = events
            .iter()
            .find(|e| {
                e.tick as usize == t
                    && e.iso3 == upper
                    && matches!(e.kind.as_str(), "join" | "exit" | "upgrade" | "downgrade")
            })
            .map(|e| e.label.clone())
            .filter(|l| l != "decision");
        let (seen_before, seen_now) = (seen(since), seen(t));
        let mut terms = ranked(&reference.terms, &now.terms);
        for c in terms.iter_mut().filter(|c| c.change().abs() >= EPSILON) {
            c.note = notes.note(c, since, t, &seen_before, &seen_now);
        }
        changes.push(Change {
            tick: t as u32,
            date: now.date.clone(),
            from: before.status,
            to: now.status,
            forced_by,
            since_tick: since as u32,
            since_date: reference.date.clone(),
            utility_before: reference.utility,
            utility_after: now.utility,
            bonus: if before.status.is_in() {
                p.inertia
            } else {
                0.0
            },
            p_partner: now.p_partner,
            p_member: now.p_member,
            kept: rows[since + 1..t].iter().filter(|r| r.reviewed).count() as u32,
            terms,
        });
        since = t;
    }
    let (first, last) = (&rows[0], &rows[rows.len() - 1]);
    let stay = changes.is_empty().then(|| {
        // The constant is the same for every state: it explains nobody's choice.
        let mut largest: Vec<(Term, f64)> = Term::ALL
            .iter()
            .zip(last.terms)
            .filter(|(t, v)| **t != Term::Base && v.abs() >= EPSILON)
            .map(|(&t, v)| (t, v))
            .collect();
        largest.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()));
        Stay {
            status: last.status,
            reviews: rows.iter().filter(|r| r.reviewed).count() as u32,
            utility_min: rows.iter().map(|r| r.utility).fold(f64::INFINITY, f64::min),
            utility_max: rows
                .iter()
                .map(|r| r.utility)
                .fold(f64::NEG_INFINITY, f64::max),
            utility_last: last.utility,
            p_partner: last.p_partner,
            p_member: last.p_member,
            bonus: if last.status.is_in() { p.inertia } else { 0.0 },
            largest,
            terms: ranked(&first.terms, &last.terms),
            last_tick: last.tick,
            last_date: last.date.clone(),
            first_date: first.date.clone(),
        }
    });
    let barred = barred_spells(rows, folder.ineligible.get(&upper).map(String::as_str));
    Ok(Explanation {
        barred,
        dir: folder.dir.clone(),
        scenario: folder.scenario.clone(),
        seed: folder.seed,
        name: context.as_ref().ok().map(|c| c.names[state].clone()),
        iso3: upper,
        role,
        initial: first.status,
        start: first.date.clone(),
        changes,
        stay,
        alignment_stale: first.alignment_stale,
        context: context.map(|c| c.source.clone()),
        cut_partner: if folder.partner_tier {
            p.cut_partner
        } else {
            p.cut_member
        },
        cut_member: p.cut_member,
        tau: p.tau,
        tick_unit: folder.tick_unit.clone(),
    })
}

/// The spells of consecutive ticks during which a state was barred, with the same
/// reasons; `first_why`, the manifest's words for the state's bars at the start, describes
/// a spell from tick 0.
fn barred_spells(rows: &[super::folder::StateRow], first_why: Option<&str>) -> Vec<Barred> {
    let mut spells: Vec<Barred> = Vec::new();
    for (t, row) in rows.iter().enumerate() {
        let open = spells.last().is_some_and(|b| b.until.is_none());
        match spells.last_mut() {
            Some(b) if open && b.bars == row.bars => continue,
            Some(b) if open => b.until = Some(row.date.clone()),
            _ => {}
        }
        if !row.bars.is_empty() {
            let why = match first_why {
                Some(w) if t == 0 => w.to_owned(),
                _ => describe(row.bars, None),
            };
            spells.push(Barred {
                from: row.date.clone(),
                until: None,
                bars: row.bars,
                why,
            });
        }
    }
    spells
}

/// Every term from `before` to `after`, the largest absolute change first (the sort is
/// stable: ties stay in equation order).
fn ranked(before: &Terms, after: &Terms) -> Vec<TermChange> {
    let mut terms: Vec<TermChange> = Term::ALL
        .iter()
        .enumerate()
        .map(|(k, &term)| TermChange {
            term,
            before: before[k],
            after: after[k],
            note: None,
        })
        .collect();
    terms.sort_by(|x, y| y.change().abs().total_cmp(&x.change().abs()));
    terms
}

/// The error for a code no state of the run has, with the closest code or name.
fn unknown_state(
    folder: &RunFolder,
    code: &str,
    codes: &[String],
    context: Option<&Context>,
) -> AnalysisError {
    let named = |i: usize| match context {
        Some(c) => format!("`{}` ({})", codes[i], c.names[i]),
        None => format!("`{}`", codes[i]),
    };
    // A name is longer than a code: only then is a name meant.
    let by_name = context
        .filter(|_| code.trim().chars().count() > 3)
        .and_then(|c| {
            c.names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(code.trim()))
                .or_else(|| {
                    closest(code.trim(), c.names.iter().map(String::as_str))
                        .and_then(|n| c.names.iter().position(|x| x == n))
                })
        });
    let near = nearest_codes(code, codes);
    let help = if let Some(i) = by_name {
        format!("did you mean {}? explain takes the ISO3 code", named(i))
    } else if !near.is_empty() {
        let list: Vec<String> = near.into_iter().map(named).collect();
        format!("did you mean {}?", list.join(" or "))
    } else {
        "give the state's ISO 3166 alpha-3 code, e.g. IND; the run's codes are the `iso3` column of its nations.csv".to_owned()
    };
    AnalysisError::UnknownState {
        dir: folder.dir.clone(),
        code: code.to_owned(),
        help: Some(help),
    }
}

/// The codes closest to `word` by edit distance (at most one edit per three letters),
/// all of them when several are equally close: with three-letter codes a slip is often
/// one edit from more than one state.
fn nearest_codes(word: &str, codes: &[String]) -> Vec<usize> {
    let word = word.trim().to_uppercase();
    let limit = (word.chars().count() / 3).max(1);
    let distance: Vec<usize> = codes
        .iter()
        .map(|c| strsim::damerau_levenshtein(&word, c))
        .collect();
    match distance.iter().min() {
        Some(&best) if best <= limit => (0..codes.len())
            .filter(|&i| distance[i] == best)
            .take(4)
            .collect(),
        _ => Vec::new(),
    }
}

/// Statuses scenario events imposed (tick, state, status): they take effect before the
/// tick's decisions, so the states deciding that tick already saw them.
fn forced_statuses(events: &[EventRecord], codes: &[String]) -> Vec<(usize, usize, Status)> {
    events
        .iter()
        .filter(|e| {
            matches!(e.kind.as_str(), "join" | "exit" | "upgrade" | "downgrade")
                && e.label != "decision"
        })
        .filter_map(|e| {
            let i = codes.iter().position(|c| *c == e.iso3)?;
            Some((e.tick as usize, i, Status::parse(&e.to)?))
        })
        .collect()
}

/// Names what moved a term: partners, the bloc, or the events between two ticks.
struct Notes<'a> {
    folder: &'a RunFolder,
    context: Option<&'a Context>,
    events: &'a [EventRecord],
    code: &'a str,
    state: usize,
}

/// "A", "A and B", "A, B and C".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What a move from `from` to `to` is called, for a partner state.
fn moved(from: Status, to: Status) -> &'static str {
    match (from, to) {
        (Status::Outside, Status::Member) => "joined",
        (Status::Outside, Status::Partner) => "joined as partners",
        (Status::Partner, Status::Member) => "became members",
        (Status::Member, Status::Partner) => "stepped down to partner",
        (_, Status::Outside) => "left",
        _ => "stayed",
    }
}

impl Notes<'_> {
    fn note(
        &self,
        c: &TermChange,
        since: usize,
        t: usize,
        before: &[Status],
        now: &[Status],
    ) -> Option<String> {
        match c.term {
            Term::Peer => self.peer_note(c.change(), before, now),
            Term::Bloc => self.bloc_note(before, now),
            Term::Founding if c.after == 0.0 => self
                .folder
                .founding_deadline
                .as_ref()
                .map(|d| format!("the founding period ended on {d}")),
            Term::Need => self.event_note(&["offer"], since, t),
            Term::Push | Term::Deter => self.event_note(
                &[
                    "export_controls",
                    "tier_change",
                    "chip_deal",
                    "truce",
                    "retaliation",
                ],
                since,
                t,
            ),
            Term::Pressure => self.event_note(&["pressure", "truce"], since, t),
            Term::Shock => self.event_note(&["shock", "trade_deal", "deal"], since, t),
            Term::Trade => self.event_note(&["trade_deal", "deal"], since, t),
            Term::Summit => self.event_note(&["summit"], since, t),
            _ => None,
        }
    }

    /// The trade partners whose moves pushed peer exposure the way it went, largest
    /// weight times change first.
    fn peer_note(&self, change: f64, before: &[Status], now: &[Status]) -> Option<String> {
        let ctx = self.context?;
        let pw = self.folder.params.partner_weight;
        let mut movers: Vec<(f64, usize)> = ctx
            .network
            .row(self.state)
            .into_iter()
            .map(|(j, w)| {
                let j = j as usize;
                (w * (now[j].weight(pw) - before[j].weight(pw)), j)
            })
            .filter(|(d, _)| *d != 0.0 && d.signum() == change.signum())
            .collect();
        // Deals signed during the run raise some weights, which moves exposure without
        // any partner moving; the starting weights leave that part unexplained.
        let explained: f64 = self.folder.params.beta_peer
            * ctx
                .network
                .row(self.state)
                .into_iter()
                .map(|(j, w)| w * (now[j as usize].weight(pw) - before[j as usize].weight(pw)))
                .sum::<f64>();
        let residual = change - explained;
        let reweighted = (residual.abs() >= 0.005)
            .then(|| format!("trade deals reweighted its partners {}", signed(residual)));
        if movers.is_empty() {
            return reweighted;
        }
        movers.sort_by(|x, y| y.0.abs().total_cmp(&x.0.abs()).then(x.1.cmp(&y.1)));
        if matches!(ctx.network, TradeNetwork::Global { .. }) {
            let verb = if change > 0.0 {
                "moved in"
            } else {
                "moved out"
            };
            return Some(format!("{} states {verb}", movers.len()));
        }
        // Group the named partners by what they did, in order of weight.
        let mut groups: Vec<(&'static str, Vec<String>)> = Vec::new();
        for &(_, j) in movers.iter().take(NAMED) {
            let verb = moved(before[j], now[j]);
            let name = ctx.names[j].clone();
            match groups.iter_mut().find(|g| g.0 == verb) {
                Some(g) => g.1.push(name),
                None => groups.push((verb, vec![name])),
            }
        }
        let mut text: Vec<String> = groups
            .into_iter()
            .map(|(verb, names)| {
                let verb = if names.len() == 1 {
                    match verb {
                        "joined as partners" => "joined as a partner",
                        "became members" => "became a member",
                        v => v,
                    }
                } else {
                    verb
                };
                format!("{} {verb}", and_list(&names))
            })
            .collect();
        match movers.len().saturating_sub(NAMED) {
            0 => {}
            1 => text.push("1 more trade partner".to_owned()),
            more => text.push(format!("{more} more trade partners")),
        }
        text.extend(reweighted);
        Some(text.join("; "))
    }

    /// The counted bloc whose other members weigh most now, with their membership
    /// share then and now.
    fn bloc_note(&self, before: &[Status], now: &[Status]) -> Option<String> {
        let ctx = self.context?;
        let pw = self.folder.params.partner_weight;
        let share = |bloc: &str, status: &[Status]| -> f64 {
            let (mut sum, mut n) = (0.0, 0usize);
            for (j, blocs) in ctx.blocs.iter().enumerate() {
                if j != self.state && blocs.iter().any(|b| b == bloc) {
                    sum += status[j].weight(pw);
                    n += 1;
                }
            }
            if n == 0 { 0.0 } else { sum / n as f64 }
        };
        let most = |status: &[Status]| -> Option<(&str, f64)> {
            let mut best: Option<(&str, f64)> = None;
            for bloc in &ctx.blocs[self.state] {
                let s = share(bloc, status);
                if best.is_none_or(|(_, b)| s > b) {
                    best = Some((bloc, s));
                }
            }
            best
        };
        let (bloc, s) = most(now)?;
        let pct = |x: f64| format!("{:.0}%", 100.0 * x);
        Some(match most(before) {
            Some((old, s0)) if old != bloc => format!(
                "its most engaged bloc: {old} at {} before, {bloc} at {} now, by the other members' weight in the body",
                pct(s0),
                pct(s)
            ),
            _ => format!(
                "{bloc}: the other members' weight in the body went from {} to {}",
                pct(share(bloc, before)),
                pct(s)
            ),
        })
    }

    /// The events after tick `since` up to tick `t` of the given kinds that name this
    /// state or apply to all, and the ends of such events.
    fn event_note(&self, kinds: &[&str], since: usize, t: usize) -> Option<String> {
        let touches = |e: &EventRecord| e.iso3.is_empty() || e.iso3 == self.code;
        // A revert names only the label: it reverts the event with that label.
        let kind_of: BTreeMap<&str, &str> = self
            .events
            .iter()
            .filter(|e| e.kind != "revert" && touches(e))
            .map(|e| (e.label.as_str(), e.kind.as_str()))
            .collect();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut notes: Vec<String> = Vec::new();
        for e in self
            .events
            .iter()
            .filter(|e| (e.tick as usize) > since && (e.tick as usize) <= t)
        {
            let text = if e.kind == "revert" {
                match kind_of.get(e.label.as_str()) {
                    Some(k) if kinds.contains(k) => {
                        format!("{} ended", e.label)
                            + &if e.scheduled.is_empty() {
                                String::new()
                            } else {
                                format!(" on {}", e.scheduled)
                            }
                    }
                    _ => continue,
                }
            } else if kinds.contains(&e.kind.as_str()) && touches(e) {
                let when = if e.scheduled.is_empty() {
                    &e.date
                } else {
                    &e.scheduled
                };
                match e.kind.as_str() {
                    "deal" => format!("deal with {}: {} on {when}", e.to, e.label),
                    "tier_change" => {
                        format!("tier {} to {}: {} on {when}", e.from, e.to, e.label)
                    }
                    _ => format!("{} on {when}", e.label),
                }
            } else {
                continue;
            };
            if seen.insert(text.clone()) {
                notes.push(text);
            }
        }
        if notes.is_empty() {
            return None;
        }
        let more = notes.len().saturating_sub(NAMED);
        notes.truncate(NAMED);
        if more > 0 {
            notes.push(format!("{more} more"));
        }
        Some(notes.join("; "))
    }
}

/// A signed number with two decimals, never `-0.00`.
fn signed(x: f64) -> String {
    let s = format!("{x:+.2}");
    if s == "-0.00" { "+0.00".to_owned() } else { s }
}

/// A number with two decimals, never `-0.00`.
fn plain(x: f64) -> String {
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".to_owned() } else { s }
}

/// What a change of status is called.
fn verb(from: Status, to: Status) -> &'static str {
    match (from, to) {
        (Status::Outside, Status::Member) => "joined as a member",
        (Status::Outside, Status::Partner) => "joined as a partner",
        (Status::Partner, Status::Member) => "became a full member",
        (Status::Member, Status::Partner) => "stepped down to partner",
        (_, Status::Outside) => "left the body",
        _ => "kept its status",
    }
}

/// One change's rows of the CSV breakdown.
struct CsvGroup<'a> {
    tick: u32,
    date: &'a str,
    from: Status,
    to: Status,
    cause: &'a str,
    since_tick: u32,
    since_date: &'a str,
    terms: &'a [TermChange],
}

impl Explanation {
    fn title(&self) -> String {
        match &self.name {
            Some(n) => format!("{} ({n})", self.iso3),
            None => self.iso3.clone(),
        }
    }

    /// Where `V` lies against the cut points.
    fn position(&self, v: f64) -> String {
        if v <= self.cut_partner && self.cut_partner < self.cut_member {
            format!("below the partner cut {}", plain(self.cut_partner))
        } else if v <= self.cut_member && self.cut_partner < self.cut_member {
            format!(
                "between the partner cut {} and the member cut {}",
                plain(self.cut_partner),
                plain(self.cut_member)
            )
        } else if v <= self.cut_member {
            format!("below the member cut {}", plain(self.cut_member))
        } else {
            format!("above the member cut {}", plain(self.cut_member))
        }
    }

    /// The odds of the three outcomes from the two cut probabilities.
    fn odds(p_partner: f64, p_member: f64) -> [f64; 3] {
        [1.0 - p_partner, p_partner - p_member, p_member]
    }

    /// The breakdown as CSV ([`CSV_COLUMNS`]): every term of every change, ranked by the
    /// size of its change; for a state that never changed, its terms at tick 0 and at the
    /// last tick.
    pub fn csv(&self) -> Result<Vec<u8>, crate::output::OutputError> {
        let err = |e: csv::Error| crate::output::OutputError::Csv(e.to_string());
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(CSV_COLUMNS).map_err(err)?;
        let mut groups: Vec<CsvGroup<'_>> = Vec::new();
        for c in &self.changes {
            groups.push(CsvGroup {
                tick: c.tick,
                date: &c.date,
                from: c.from,
                to: c.to,
                cause: c.forced_by.as_deref().unwrap_or("decision"),
                since_tick: c.since_tick,
                since_date: &c.since_date,
                terms: &c.terms,
            });
        }
        if let Some(s) = &self.stay {
            groups.push(CsvGroup {
                tick: s.last_tick,
                date: &s.last_date,
                from: s.status,
                to: s.status,
                cause: "none",
                since_tick: 0,
                since_date: &s.first_date,
                terms: &s.terms,
            });
        }
        for g in groups {
            for (rank, c) in g.terms.iter().enumerate() {
                w.write_record([
                    self.iso3.as_str(),
                    &g.tick.to_string(),
                    g.date,
                    g.from.name(),
                    g.to.name(),
                    g.cause,
                    &g.since_tick.to_string(),
                    g.since_date,
                    &(rank + 1).to_string(),
                    c.term.describe(),
                    c.term.column(),
                    &num(c.before),
                    &num(c.after),
                    &num(c.change()),
                ])
                .map_err(err)?;
            }
        }
        w.into_inner()
            .map_err(|e| crate::output::OutputError::Csv(e.error().to_string()))
    }

    fn write_change(&self, f: &mut String, c: &Change) -> fmt::Result {
        let how = match &c.forced_by {
            Some(label) => format!("imposed by the scenario event \"{label}\""),
            None => "its own decision".to_owned(),
        };
        writeln!(
            f,
            "\n{} {} (tick {}), {how}:",
            c.date,
            verb(c.from, c.to),
            c.tick
        )?;
        let since = if c.since_tick == 0 {
            format!("the start ({})", c.since_date)
        } else {
            format!("its previous change ({})", c.since_date)
        };
        let delta = c.utility_after - c.utility_before;
        writeln!(
            f,
            "  since {since}, its utility U went from {} to {} ({}):",
            plain(c.utility_before),
            plain(c.utility_after),
            signed(delta)
        )?;
        let shown: Vec<&TermChange> = c
            .terms
            .iter()
            .filter(|t| t.change().abs() >= 0.005)
            .take(SHOWN_TERMS)
            .collect();
        if shown.is_empty() {
            writeln!(
                f,
                "    no term moved by as much as 0.005: it changed on the odds it already had, by its review and draw"
            )?;
        }
        for t in &shown {
            write!(f, "    {} {}", t.term.describe(), signed(t.change()))?;
            match &t.note {
                Some(n) => writeln!(f, " ({n})")?,
                None => writeln!(f)?,
            }
        }
        let rest: Vec<&TermChange> = c
            .terms
            .iter()
            .skip(shown.len())
            .filter(|t| t.change().abs() >= EPSILON)
            .collect();
        if !rest.is_empty() {
            let sum: f64 = rest.iter().map(|t| t.change()).sum();
            writeln!(
                f,
                "    and {} smaller change{} ({} together)",
                rest.len(),
                if rest.len() == 1 { "" } else { "s" },
                signed(sum)
            )?;
        }
        if c.forced_by.is_some() {
            return writeln!(
                f,
                "  The status was set by the scenario, not chosen; the terms are shown for reference."
            );
        }
        let v = c.utility_after + c.bonus;
        let bonus = if c.bonus != 0.0 {
            format!(
                "with the status-quo bonus {} for a state already in, V = {}",
                plain(c.bonus),
                plain(v)
            )
        } else {
            format!(
                "with no status-quo bonus from outside, V = U = {}",
                plain(v)
            )
        };
        writeln!(f, "  {bonus}, {}.", self.position(v))?;
        let [o, pa, m] = Self::odds(c.p_partner, c.p_member);
        let chance = match c.to {
            Status::Outside => o,
            Status::Partner => pa,
            Status::Member => m,
        };
        if self.tau == 0.0 {
            writeln!(
                f,
                "  With tau = 0 the choice is deterministic: at its review in this tick (one {}) it took the status V reaches.",
                self.tick_unit
            )?;
        } else {
            writeln!(
                f,
                "  The choice is a draw: reviewing its position in this tick (one {}), it faced P(outside) = {}, P(partner) = {}, P(member) = {};",
                self.tick_unit,
                plain(o),
                plain(pa),
                plain(m)
            )?;
            writeln!(
                f,
                "  its draw gave {} (probability {}).",
                c.to.name(),
                plain(chance)
            )?;
        }
        if c.kept > 0 {
            writeln!(
                f,
                "  Before this, it had reviewed {} time{} since {} and kept its status.",
                c.kept,
                if c.kept == 1 { "" } else { "s" },
                c.since_date
            )?;
        }
        Ok(())
    }

    fn write_stay(&self, f: &mut String, s: &Stay) -> fmt::Result {
        let title = self.title();
        let status = s.status.name();
        match self.role {
            Role::Host => {
                return writeln!(
                    f,
                    "\n{title} is the host: a member from the start that never reviews its position."
                );
            }
            Role::Opponent => {
                return writeln!(
                    f,
                    "\n{title} is the opposing power: it stays {status} and never reviews (`body.opponent_may_join` is false)."
                );
            }
            Role::State => {}
        }
        if let [b] = self.barred.as_slice()
            && b.until.is_none()
            && b.from == s.first_date
        {
            let paragraph = format!(
                "{title} cannot join: {}. It never reviews its position and is never courted; it stays outside throughout the run.",
                b.why
            );
            writeln!(f)?;
            for line in wrap(&paragraph, 90) {
                writeln!(f, "{line}")?;
            }
            return Ok(());
        }
        let largest: Vec<String> = s
            .largest
            .iter()
            .take(5)
            .map(|(t, v)| format!("{} {}", t.describe(), signed(*v)))
            .collect();
        let v = s.utility_last + s.bonus;
        let [o, pa, m] = Self::odds(s.p_partner, s.p_member);
        let keep = match s.status {
            Status::Outside => o,
            Status::Partner => pa,
            Status::Member => m,
        };
        let bonus = if s.bonus != 0.0 {
            format!("the status-quo bonus {}, ", plain(s.bonus))
        } else {
            String::new()
        };
        let reviews = match s.reviews {
            0 => "It never reviewed its position.".to_owned(),
            1 => format!("It reviewed once and its draw kept it {status}."),
            n => format!("It reviewed {n} times and each draw kept it {status}."),
        };
        let paragraph = format!(
            "{title} stayed {status} from {} to {}. Its utility U ranged from {} to {} and ended at {}; its largest terms at the end, besides the constant {}, were {}. With {bonus}V = {}, {}, a review at the end would have kept it {status} with probability {} (P(outside) = {}, P(partner) = {}, P(member) = {}). {reviews}",
            s.first_date,
            s.last_date,
            plain(s.utility_min),
            plain(s.utility_max),
            plain(s.utility_last),
            signed(
                s.terms
                    .iter()
                    .find(|t| t.term == Term::Base)
                    .map_or(0.0, |t| t.after)
            ),
            largest.join(", "),
            plain(v),
            self.position(v),
            plain(keep),
            plain(o),
            plain(pa),
            plain(m),
        );
        writeln!(f)?;
        for line in wrap(&paragraph, 90) {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// `text` broken into lines of at most `width` characters at spaces (a longer word keeps
/// its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

impl fmt::Display for Explanation {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut f = String::new();
        writeln!(
            f,
            "{} in {}, seed {} ({})",
            self.title(),
            self.scenario,
            self.seed,
            self.dir.display()
        )?;
        let mut history = vec![format!("{} from {}", self.initial.name(), self.start)];
        history.extend(
            self.changes
                .iter()
                .map(|c| format!("{} {}", c.to.name(), c.date)),
        );
        writeln!(f, "  status: {}", history.join(", then "))?;
        if self.alignment_stale {
            writeln!(
                f,
                "  its `alignment` is a documented override: the government changed after the UN-vote data (alignment_stale = 1)"
            )?;
        }
        let whole_run =
            matches!(self.barred.as_slice(), [b] if b.until.is_none() && b.from == self.start);
        if !whole_run && self.role == Role::State {
            for b in &self.barred {
                let until = match &b.until {
                    Some(d) => format!("to {d}"),
                    None => "to the end".to_owned(),
                };
                let line = format!("  it could not join from {} {until}: {}", b.from, b.why);
                for (k, text) in wrap(&line, 90).into_iter().enumerate() {
                    writeln!(f, "{}{text}", if k == 0 { "" } else { "    " })?;
                }
            }
        }
        match &self.context {
            Ok(source) => writeln!(f, "  names of partners and blocs from {source}")?,
            Err(why) => writeln!(f, "  partners and blocs not named: {why}")?,
        }
        for c in &self.changes {
            self.write_change(&mut f, c)?;
        }
        if let Some(s) = &self.stay {
            self.write_stay(&mut f, s)?;
        }
        if !self.changes.is_empty() {
            writeln!(
                f,
                "\nEach term's change shifted the odds of the choice; none decided it alone (see docs/ANALYSIS.md)."
            )?;
        }
        out.write_str(&f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_prose() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&names(&[])), "");
        assert_eq!(and_list(&names(&["Nepal"])), "Nepal");
        assert_eq!(and_list(&names(&["Nepal", "Peru"])), "Nepal and Peru");
        assert_eq!(and_list(&names(&["A", "B", "C"])), "A, B and C");
    }

    #[test]
    fn misspelt_codes_suggest_every_equally_close_code() {
        let codes: Vec<String> = ["IND", "LKA", "PAK", "PER"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(nearest_codes("pka", &codes), [1, 2], "LKA and PAK");
        assert_eq!(nearest_codes("INX", &codes), [0]);
        assert!(nearest_codes("XYZ", &codes).is_empty());
    }

    #[test]
    fn paragraphs_wrap_at_spaces() {
        let lines = wrap("one two three four five", 9);
        assert_eq!(lines, ["one two", "three", "four five"]);
        assert!(lines.iter().all(|l| l.chars().count() <= 9));
        assert_eq!(
            wrap("unbreakable-word here", 5),
            ["unbreakable-word", "here"]
        );
    }

    #[test]
    fn signs_never_show_negative_zero() {
        assert_eq!(signed(-0.001), "+0.00");
        assert_eq!(signed(0.256), "+0.26");
        assert_eq!(signed(-0.3), "-0.30");
        assert_eq!(plain(-0.004), "0.00");
    }
}
