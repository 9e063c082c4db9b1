//! Court: the powers' deal strategies of section 7. China courts outside states with
//! trade deals carrying an accession clause; the US counters with deals carrying a
//! no-accession clause, aimed at allies and tier-1/2 states closest to joining.

use bevy_ecs::prelude::*;

use super::evaluate::Evaluator;
use super::rows;
use crate::model::Status;
use crate::scenario::Target;
use crate::sim::output::{Cell, EventRow, Label};
use crate::world::board::Board;
use crate::world::components::{
    ExportAccess, Membership, Profile, Role, Shock, Summit, TradeShares, UtilityCoefficients,
};
use crate::world::network::TradeNetwork;
use crate::world::resources::{
    DealBook, DealPlan, Levers, Network, Recorder, Rest, Rests, Settings, Tick, Timeline,
};

/// What courting reads (and, for the chosen states, writes).
type CourtData = (
    &'static Profile,
    &'static UtilityCoefficients,
    &'static mut TradeShares,
    &'static ExportAccess,
    &'static mut Shock,
    &'static Summit,
    &'static Membership,
);

/// Every state's components that courting reads, indexed by state.
struct Listing<'a> {
    profiles: &'a [Profile],
    coefficients: &'a [UtilityCoefficients],
    shares: &'a [TradeShares],
    access: &'a [ExportAccess],
    shocks: &'a [Shock],
    summits: &'a [Summit],
    memberships: &'a [Membership],
}

/// Working lists of a round, kept between rounds for their allocations.
#[derive(Default)]
pub struct Scratch {
    /// The eligible states.
    listed: Vec<u32>,
    /// The best so far, best first.
    best: Vec<(f64, u32)>,
    /// States marked on the board since the last round.
    touched: Vec<u32>,
    /// Re-ranked states, in ranking order, before they are merged back.
    arrivals: Vec<(u64, u32)>,
    /// The merged ranking.
    merged: Vec<(u64, u32)>,
    /// Per state: whether it leaves the ranking this round (all false between rounds).
    leaving: Vec<bool>,
    /// The ranked states a round must visit: bit `i % 64` of word `i / 64` for state `i`.
    candidates: Vec<u64>,
}

/// Which power a strategy serves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Power {
    Host,
    Opponent,
}

/// Run condition: a deal strategy has a round this tick.
pub fn deal_round_due(tick: Res<Tick>) -> bool {
    tick.deal_round
}

/// Signs this tick's round of deals for each strategy that has one.
#[allow(clippy::too_many_arguments)]
pub fn court_states(
    mut tick: ResMut<Tick>,
    settings: Res<Settings>,
    levers: Res<Levers>,
    mut timeline: ResMut<Timeline>,
    mut board: ResMut<Board>,
    mut book: ResMut<DealBook>,
    mut network: ResMut<Network>,
    mut recorder: ResMut<Recorder>,
    mut states: Query<CourtData>,
    mut scratch: Local<Scratch>,
    mut chosen: Local<Vec<u32>>,
) {
    let DealBook {
        courtship,
        counter_offer,
        rests,
    } = &mut *book;
    let Tick { clock, counts, .. } = &mut *tick;
    let Some((profiles, coefficients, mut shares, access, mut shocks, summits, memberships)) =
        rows(&mut states)
    else {
        return;
    };
    let shares = shares.bypass_change_detection();
    let shocks = shocks.bypass_change_detection();
    for (plan, power) in [(courtship, Power::Host), (counter_offer, Power::Opponent)] {
        let Some(plan) = plan else { continue };
        if plan.rounds.binary_search(&clock.tick).is_err() {
            continue;
        }
        let partner = match power {
            Power::Host => settings.host,
            Power::Opponent => match settings.opponent {
                Some(o) => o,
                None => continue,
            },
        };
        if plan.deals.target == Target::Swing {
            board.take_touched(&mut scratch.touched);
            invalidate(rests, board.len(), &scratch.touched);
            invalidate(rests, board.len(), &timeline.touched);
            timeline.touched.clear();
        }
        let evaluator = Evaluator::new(&settings.params, &levers.0, &board, clock.before_deadline);
        let listing = Listing {
            profiles,
            coefficients,
            shares,
            access,
            shocks,
            summits,
            memberships,
        };
        rests.changes = timeline.changes;
        pick_targets(
            plan,
            power,
            &evaluator,
            &listing,
            rests,
            &mut scratch,
            &mut chosen,
        );
        // The deals change the chosen states' shares and shocks.
        invalidate(rests, board.len(), &chosen);
        for &i in chosen.iter() {
            let iu = i as usize;
            let sign = if power == Power::Host { 1.0 } else { -1.0 };
            let d = &plan.deals;
            sign_deal(
                &mut network.0,
                &mut board,
                &settings,
                &mut shares[iu],
                i,
                partner,
                d.weight,
                d.share,
            );
            shocks[iu].0 += sign * d.utility;
            plan.signed[iu] = true;
            counts.deals += 1;
            recorder.events.push(EventRow {
                tick: clock.tick,
                date: clock.date,
                kind: "deal",
                state: Some(i),
                from: Cell::Empty,
                to: Cell::State(partner),
                value: Some(d.share),
                label: Label::Cause(match power {
                    Power::Host => "China courtship",
                    Power::Opponent => "US counter-offer",
                }),
                scheduled: None,
            });
        }
    }
}

/// Marks the swing rule's kept `rest` of each state in `stale` as out of date (it is
/// worked out again when next needed), sizing the entries to the world first; the built
/// rankings take the states out at their next round.
fn invalidate(rests: &mut Rests, n: usize, stale: &[u32]) {
    rests.entries.resize(n, Rest::STALE);
    for &i in stale {
        rests.entries[i as usize] = Rest::STALE;
    }
    for ranking in &mut rests.rankings {
        if ranking.built.is_some() {
            ranking.pending.extend_from_slice(stale);
        }
    }
}

/// State `i`'s `rest`: its swing score without the peer and bloc terms (which chip
/// exposure leaves at 0), plus inertia if in.
fn rest(evaluator: &Evaluator<'_>, states: &Listing<'_>, i: usize) -> f64 {
    let exposure = evaluator.chip_exposure(&states.access[i]);
    let (shares, shock, summit) = (&states.shares[i], &states.shocks[i], &states.summits[i]);
    let coefficients = &states.coefficients[i].0;
    evaluator.utility_with(coefficients, shares, shock, summit, &exposure)
        + states.memberships[i]
            .status
            .inertia(evaluator.params.inertia)
}

/// State `i`'s entry in [`Rests`] as of now (`changes`: the timeline's count of changes):
/// its `rest` (as [`rest`] works it out), and the magnitudes of the terms of `rest`,
/// summed (the scale of its rounding error), which only the ranking's upkeep needs, never
/// the scoring of a visited state.
fn rest_entry(evaluator: &Evaluator<'_>, states: &Listing<'_>, i: usize, changes: u64) -> Rest {
    let exposure = evaluator.chip_exposure(&states.access[i]);
    let (shares, shock, summit) = (&states.shares[i], &states.shocks[i], &states.summits[i]);
    let coefficients = &states.coefficients[i].0;
    let inertia = states.memberships[i]
        .status
        .inertia(evaluator.params.inertia);
    Rest {
        value: evaluator.utility_with(coefficients, shares, shock, summit, &exposure) + inertia,
        common: evaluator.common(),
        scale: evaluator.magnitude(coefficients, shares, shock, summit, &exposure)
            + evaluator.common_magnitude()
            + inertia.abs(),
        changes,
    }
}

/// The states a strategy signs with this round, best first (ties to the lower index),
/// written to `chosen`.
///
/// For the swing rule, a state's score is its utility (plus inertia if in), computed as
/// `rest + beta_peer * peer + beta_bloc * bloc` where `rest` holds every other term. Peer
/// and bloc exposure lie in [0, 1], so `rest` bounds the score from both sides, and a state
/// whose bounds show it cannot make the current top `k` (or must reach the member cut) is
/// not scored further. The result is the exhaustive search's.
///
/// The bounds start from each state's kept `rest` ([`Rests`]), shifted by the change in
/// the terms common to all states since it was worked out and widened by a slack that
/// covers the rounding of both; `rest` itself is worked out again only for the states
/// those bounds cannot settle. The eligible states are kept ranked by their kept `rest`
/// ([`Ranking`]): the best-ranked fill the top `k` first, and a state ranked past the
/// point where a bound widened to cover every later state falls short of the `k`-th is
/// not visited at all; the states before that point are visited in index order.
///
/// The other rules list the eligible states, score them and rank them all.
fn pick_targets(
    plan: &DealPlan,
    power: Power,
    evaluator: &Evaluator<'_>,
    states: &Listing<'_>,
    rests: &mut Rests,
    scratch: &mut Scratch,
    chosen: &mut Vec<u32>,
) {
    let k = plan.deals.deals as usize;
    scratch.best.clear();
    if plan.deals.target == Target::Swing {
        rank(plan, power, evaluator, states, rests, scratch);
        pick_swing(power, k, evaluator, states, rests, scratch);
    } else {
        list_eligible(plan, power, states, &mut scratch.listed);
        let target = plan.deals.target;
        for &id in scratch.listed.iter() {
            let profile = &states.profiles[id as usize];
            let score = match target {
                Target::Largest => profile.size_z,
                Target::GlobalSouth => -profile.ai_capacity,
                Target::Swing => unreachable!("the swing rule ranks its kept rests"),
            };
            offer(&mut scratch.best, k, score, id);
        }
    }
    chosen.clear();
    chosen.extend(scratch.best.iter().map(|&(_, i)| i));
    debug_assert_eq!(
        *chosen,
        exhaustive_choice(plan, power, evaluator, states),
        "the pruned search chooses as the exhaustive one"
    );
}

/// Whether state `i` is open to `power`'s deals this round, computed without branching.
#[inline]
fn eligible(plan: &DealPlan, power: Power, states: &Listing<'_>, i: usize) -> bool {
    let membership = &states.memberships[i];
    let open = match power {
        Power::Host => membership.status == Status::Outside,
        Power::Opponent => {
            let (profile, access) = (&states.profiles[i], &states.access[i]);
            (membership.status != Status::Member) & ((profile.us_ally > 0.0) | (access.tier <= 2))
        }
    };
    // Only ordinary states nothing bars from joining are courted (`free` is false for the
    // host and for every barred state).
    open & (membership.role == Role::State)
        & membership.free
        & !(plan.deals.once_per_state & plan.signed[i])
}

/// Lists the states open to `power`'s deals, in index order, in `list`.
fn list_eligible(plan: &DealPlan, power: Power, states: &Listing<'_>, list: &mut Vec<u32>) {
    // The eligible states are written at the end of the list, which grows only for them:
    // eligibility varies from state to state without pattern, so a branch on it would be
    // mispredicted about as often as taken.
    list.clear();
    list.resize(states.memberships.len(), 0);
    let mut listed = 0;
    for i in 0..states.memberships.len() {
        list[listed] = i as u32;
        listed += usize::from(eligible(plan, power, states, i));
    }
    list.truncate(listed);
}

/// Brings `power`'s [`Ranking`] up to date: rebuilt from every eligible state after a
/// change of a lever (or at the first round), starting from its previous order (at the
/// first round, the last run's first); otherwise the states
/// whose entries went out of date are taken out, and those still eligible worked out
/// again and merged back in their place.
fn rank(
    plan: &DealPlan,
    power: Power,
    evaluator: &Evaluator<'_>,
    states: &Listing<'_>,
    rests: &mut Rests,
    scratch: &mut Scratch,
) {
    let changes = rests.changes;
    let Rests {
        entries, rankings, ..
    } = rests;
    let ranking = &mut rankings[power as usize];
    let n = states.memberships.len();
    // The entry of state `i`, worked out again if out of date, as its ranking key.
    let mut keyed = |i: usize, span: &mut f64| {
        let entry = &mut entries[i];
        if entry.changes != changes {
            *entry = rest_entry(evaluator, states, i, changes);
        }
        *span = span.max(entry.scale + entry.common.abs());
        (descending(entry.value - entry.common), i as u32)
    };
    let Scratch {
        listed,
        arrivals,
        merged,
        leaving,
        ..
    } = scratch;
    leaving.resize(n, false);
    if ranking.built != Some(changes) {
        // The eligible states in their previous ranking's order, with their keys worked
        // out again: most keep their places, so the list is nearly sorted, and an
        // insertion sort puts it right in a few moves. Those new to it are sorted apart
        // and merged in.
        list_eligible(plan, power, states, listed);
        for &i in listed.iter() {
            leaving[i as usize] = true;
        }
        ranking.span = 0.0;
        merged.clear();
        // A run's first build starts from the last run's (whose world may be larger).
        let opening = ranking.built.is_none();
        let previous = if opening {
            &ranking.opening
        } else {
            &ranking.ranked
        };
        for &(_, i) in previous {
            if leaving.get_mut(i as usize).is_some_and(std::mem::take) {
                merged.push(keyed(i as usize, &mut ranking.span));
            }
        }
        arrivals.clear();
        for &i in listed.iter() {
            if std::mem::take(&mut leaving[i as usize]) {
                arrivals.push(keyed(i as usize, &mut ranking.span));
            }
        }
        sort_nearly_sorted(merged);
        arrivals.sort_unstable();
        merge_sorted(&mut ranking.ranked, merged, arrivals);
        if opening {
            ranking.opening.clone_from(&ranking.ranked);
        }
        ranking.built = Some(changes);
        ranking.pending.clear();
        return;
    }
    if ranking.pending.is_empty() {
        return;
    }
    for &i in &ranking.pending {
        leaving[i as usize] = true;
    }
    ranking.ranked.retain(|&(_, i)| !leaving[i as usize]);
    arrivals.clear();
    for &i in &ranking.pending {
        let i = i as usize;
        // Each state once, however often it was marked.
        if std::mem::take(&mut leaving[i]) && eligible(plan, power, states, i) {
            arrivals.push(keyed(i, &mut ranking.span));
        }
    }
    ranking.pending.clear();
    arrivals.sort_unstable();
    merge_sorted(merged, &ranking.ranked, arrivals);
    std::mem::swap(&mut ranking.ranked, merged);
}

/// Writes the items of the sorted lists `a` and `b`, all distinct, to `out` (emptied
/// first), in order.
fn merge_sorted(out: &mut Vec<(u64, u32)>, a: &[(u64, u32)], b: &[(u64, u32)]) {
    out.clear();
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        if x < y {
            out.push(**x);
            a.next();
        } else {
            out.push(**y);
            b.next();
        }
    }
    out.extend(a);
    out.extend(b);
}

/// Sorts `items`, which are expected to be nearly in order: by insertion while the moves
/// stay few (a few states moved), by the general sort once they do not. The items are
/// distinct, so either way the order is the same.
fn sort_nearly_sorted(items: &mut [(u64, u32)]) {
    let budget = 8 * items.len() + 64;
    let mut moves = 0;
    for i in 1..items.len() {
        let item = items[i];
        let mut j = i;
        while j > 0 && items[j - 1] > item {
            items[j] = items[j - 1];
            j -= 1;
        }
        items[j] = item;
        moves += i - j;
        if moves > budget {
            items.sort_unstable();
            return;
        }
    }
}

/// `x` as an integer whose ascending order is the descending order of `f64::total_cmp`:
/// a [`Ranking`]'s items sort as integers, highest key first and ties to the lower index.
fn descending(x: f64) -> u64 {
    let bits = x.to_bits();
    !(if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    })
}

/// The key that [`descending`] turned into `d`.
fn ascending(d: u64) -> f64 {
    let t = !d;
    f64::from_bits(if t >> 63 == 1 { t & !(1 << 63) } else { !t })
}

/// The swing rule's round over its ranking (see [`pick_targets`]), into `scratch.best`.
fn pick_swing(
    power: Power,
    k: usize,
    evaluator: &Evaluator<'_>,
    states: &Listing<'_>,
    rests: &Rests,
    scratch: &mut Scratch,
) {
    let p = evaluator.params;
    let board = evaluator.board;
    let (peer_lo, peer_hi) = (p.beta_peer.min(0.0), p.beta_peer.max(0.0));
    let (bloc_lo, bloc_hi) = (p.beta_bloc.min(0.0), p.beta_bloc.max(0.0));
    // Bounds are compared with a margin far above rounding, far below any real difference.
    const MARGIN: f64 = 1e-9;
    // China courts the states still short of joining: it skips sure joiners.
    let skip_sure = power == Power::Host;
    let ranking = &rests.rankings[power as usize];
    let (common, common_magnitude) = (evaluator.common(), evaluator.common_magnitude());
    // Every ranked state's shifted `rest` is within `reach` of its key plus the common
    // terms: its own slack plus the rounding of shifting the key instead of the `rest`.
    let reach = 2e-12 * (1.0 + ranking.span + common_magnitude);
    let Scratch {
        best, candidates, ..
    } = scratch;
    // State `i` scored if its bounds cannot settle it, and offered.
    let consider = |best: &mut Vec<(f64, u32)>, id: u32| {
        let i = id as usize;
        let kth = to_beat(best, k);
        // The kept `rest`, shifted by the change in the common terms, is within `slack`
        // of the `rest` worked out now.
        let entry = &rests.entries[i];
        debug_assert_eq!(
            entry.changes, rests.changes,
            "ranked entries are up to date"
        );
        let approx = entry.value + (common - entry.common);
        let slack = 1e-12 * (1.0 + entry.scale + common_magnitude);
        if skip_sure && approx - slack + peer_lo + bloc_lo >= p.cut_member + MARGIN {
            return;
        }
        if approx + slack + peer_hi + bloc_hi + MARGIN < kth {
            return;
        }
        // Peer exposure is cheap; with it known, the bound on the score tightens to bloc
        // exposure alone, which often settles the state without computing it.
        let peer = p.beta_peer * board.peer(i);
        if approx + slack + peer + bloc_hi + MARGIN < kth {
            return;
        }
        let with_peer = rest(evaluator, states, i) + peer;
        if with_peer + bloc_hi + MARGIN < kth {
            return;
        }
        let v = with_peer + p.beta_bloc * board.bloc(i);
        if power == Power::Host && v >= p.cut_member {
            return;
        }
        offer(best, k, v, id);
    };
    // The best-ranked states first, until the top `k` are filled.
    let ranked = &ranking.ranked;
    let mut seeded = 0;
    while seeded < ranked.len() && best.len() < k {
        consider(best, ranked[seeded].1);
        seeded += 1;
    }
    // Past the cut, no state can beat the `k`-th so far, whatever its peer and bloc
    // exposure. The states before it are visited in index order, which keeps their rows'
    // reads in order in memory.
    let kth = to_beat(best, k);
    let cut = seeded
        + ranked[seeded..].partition_point(|&(d, _)| {
            ascending(d) + common + reach + peer_hi + bloc_hi + MARGIN >= kth
        });
    // A bit per state, set for the states to visit, read back word by word.
    candidates.clear();
    candidates.resize(states.memberships.len().div_ceil(64), 0);
    for &(_, id) in &ranked[seeded..cut] {
        candidates[id as usize / 64] |= 1 << (id % 64);
    }
    for (w, &word) in candidates.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            let id = (w * 64) as u32 + bits.trailing_zeros();
            bits &= bits - 1;
            consider(best, id);
        }
    }
}

/// The score a state must beat to enter the best `k` so far: the `k`-th's, or minus
/// infinity while there are fewer.
fn to_beat(best: &[(f64, u32)], k: usize) -> f64 {
    if best.len() == k {
        best.last().map_or(f64::NEG_INFINITY, |w| w.0)
    } else {
        f64::NEG_INFINITY
    }
}

/// Puts (`score`, `id`) among the best `k` so far (best first) if it belongs there; ties
/// go to the lower index, whatever the order of the offers.
fn offer(best: &mut Vec<(f64, u32)>, k: usize, score: f64, id: u32) {
    let candidate = (score, id);
    let beats = |other: &(f64, u32)| {
        candidate
            .0
            .total_cmp(&other.0)
            .then(other.1.cmp(&candidate.1))
            .is_gt()
    };
    if best.len() < k || best.last().is_some_and(beats) {
        let at = best.iter().position(beats).unwrap_or(best.len());
        best.insert(at, candidate);
        best.truncate(k);
    }
}

/// The choice of [`pick_targets`] by scoring every eligible state in full and sorting
/// (checked against it in debug builds, so in every test run).
fn exhaustive_choice(
    plan: &DealPlan,
    power: Power,
    evaluator: &Evaluator<'_>,
    states: &Listing<'_>,
) -> Vec<u32> {
    let p = evaluator.params;
    let mut scored: Vec<(f64, u32)> = Vec::new();
    for (i, membership) in states.memberships.iter().enumerate() {
        let (profile, access) = (&states.profiles[i], &states.access[i]);
        let open = match power {
            Power::Host => membership.status == Status::Outside,
            Power::Opponent => {
                membership.status != Status::Member && (profile.us_ally > 0.0 || access.tier <= 2)
            }
        };
        if !open
            || membership.role != Role::State
            || !membership.bars.is_empty()
            || (plan.deals.once_per_state && plan.signed[i])
        {
            continue;
        }
        let score = match plan.deals.target {
            Target::Swing => {
                let exposure = evaluator.chip_exposure(access);
                let rest = evaluator.utility_with(
                    &states.coefficients[i].0,
                    &states.shares[i],
                    &states.shocks[i],
                    &states.summits[i],
                    &exposure,
                ) + if membership.status.is_in() {
                    p.inertia
                } else {
                    0.0
                };
                let v = rest
                    + p.beta_peer * evaluator.board.peer(i)
                    + p.beta_bloc * evaluator.board.bloc(i);
                if power == Power::Host && v >= p.cut_member {
                    continue;
                }
                v
            }
            Target::Largest => profile.size_z,
            Target::GlobalSouth => -profile.ai_capacity,
        };
        scored.push((score, i as u32));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(plan.deals.deals as usize);
    scored.into_iter().map(|(_, i)| i).collect()
}

/// A trade deal between state `i` and `partner`: each gains `weight` in the other's trade
/// row (the board's peer sums follow); with the host or the opponent, `i`'s trade share
/// with it rises by `share` (as far as the shares allow). Returns what was added, for
/// reverting: (raw weight i->partner, raw weight partner->i, host share, opponent share).
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign_deal(
    network: &mut TradeNetwork,
    board: &mut Board,
    settings: &Settings,
    shares: &mut TradeShares,
    i: u32,
    partner: u32,
    weight: f64,
    share: f64,
) -> (i64, i64, f64, f64) {
    let (iu, pu) = (i as usize, partner as usize);
    let raw_ij = network.raise(iu, pu, weight);
    board.weight_changed(iu, pu, raw_ij);
    let raw_ji = network.raise(pu, iu, weight);
    board.weight_changed(pu, iu, raw_ji);
    let room = (1.0 - shares.china - shares.us).max(0.0);
    let (mut d_china, mut d_us) = (0.0, 0.0);
    if partner == settings.host {
        d_china = share.min(room);
        shares.china += d_china;
    } else if Some(partner) == settings.opponent {
        d_us = share.min(room);
        shares.us += d_us;
    }
    (raw_ij, raw_ji, d_china, d_us)
}

#[cfg(test)]
mod tests {
    use super::{ascending, descending, sort_nearly_sorted};

    #[test]
    fn a_nearly_sorted_ranking_sorts_as_the_general_sort_does() {
        // Sorted lists disturbed by a few moves, by many, and reversed (past the budget).
        for n in [0usize, 1, 2, 7, 64, 200, 1000] {
            for swaps in [0usize, 1, 3, n / 2, 4 * n] {
                let mut items: Vec<(u64, u32)> =
                    (0..n as u32).map(|i| (u64::from(i / 3) * 7, i)).collect();
                let mut x = 12345u64;
                for _ in 0..swaps.min(n * n) {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let (a, b) = ((x >> 33) as usize % n, (x >> 13) as usize % n);
                    items.swap(a, b);
                }
                let mut expected = items.clone();
                expected.sort_unstable();
                sort_nearly_sorted(&mut items);
                assert_eq!(items, expected, "{n} items, {swaps} swaps");
                items.reverse();
                sort_nearly_sorted(&mut items);
                assert_eq!(items, expected, "{n} items reversed");
            }
        }
    }

    #[test]
    fn ranking_keys_sort_as_their_values_do_downwards_and_come_back_whole() {
        let values = [
            f64::NEG_INFINITY,
            -1e300,
            -2.5,
            -1.0,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE,
            1e-300,
            0.5,
            1.0,
            3.75,
            1e300,
            f64::INFINITY,
        ];
        for &a in &values {
            assert_eq!(ascending(descending(a)).to_bits(), a.to_bits(), "{a}");
            for &b in &values {
                assert_eq!(
                    descending(a).cmp(&descending(b)),
                    b.total_cmp(&a),
                    "{a} against {b}"
                );
            }
        }
    }
}
