//! Who is a member when: a run's statuses at chosen ticks, replayed from its initial
//! statuses and the status changes it logged, and the states whose outcome the model
//! decides (the ones worth scoring). Lets a fit or a backtest read who joined by any
//! checkpoint without recording every state at every tick.

use crate::model::Status;
use crate::scenario::{Action, Scenario};
use crate::sim::output::{Cell, RunOutput};
use crate::world::spawn::Prepared;

/// Every state's status at the start (tick 0), by index.
pub fn initial_statuses(prepared: &Prepared) -> Vec<Status> {
    prepared
        .bundles
        .iter()
        .map(|b| b.membership.status)
        .collect()
}

/// For each of `ticks` (in increasing order), which states are members at the end of that
/// tick, by index: `initial` with every logged status change up to the tick applied.
pub fn members_at(run: &RunOutput, initial: &[Status], ticks: &[usize]) -> Vec<Vec<bool>> {
    let mut status = initial.to_vec();
    let mut changes = run
        .events
        .iter()
        .filter(|e| matches!(e.kind, "join" | "exit" | "upgrade" | "downgrade"))
        .peekable();
    let mut out = Vec::with_capacity(ticks.len());
    for &t in ticks {
        while let Some(e) = changes.next_if(|e| e.tick as usize <= t) {
            if let (Some(i), Cell::Status(to)) = (e.state, e.to) {
                status[i as usize] = to;
            }
        }
        out.push(status.iter().map(|s| *s == Status::Member).collect());
    }
    out
}

/// The states whose outcome the model decides: every state that may review (not the
/// host, not the opponent unless it may join) and that no `decide` event holds at any
/// time. Scoring who joined on the others would reward the model for history the
/// scenario imposes.
pub fn free_states(scenario: &Scenario, prepared: &Prepared) -> Vec<bool> {
    let mut free: Vec<bool> = prepared.bundles.iter().map(|b| b.membership.free).collect();
    for e in &scenario.events {
        if let Action::Decide { states, .. } = &e.action {
            for &i in states {
                free[i as usize] = false;
            }
        }
    }
    free
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::resources::Detail;

    #[test]
    fn replayed_members_match_the_recorded_counts() {
        let s = crate::scenario::load("baseline").unwrap();
        let prepared = Prepared::new(&s);
        let run = crate::sim::with_thread_runner(|r| r.run(&prepared, 5, Detail::Series));
        let initial = initial_statuses(&prepared);
        let ticks: Vec<usize> = (0..run.ticks.len()).step_by(7).collect();
        let members = members_at(&run, &initial, &ticks);
        for (k, &t) in ticks.iter().enumerate() {
            let count = members[k].iter().filter(|&&m| m).count() as u32;
            assert_eq!(count, run.ticks[t].members, "tick {t}");
        }
        // The founders are the members at the first tick on or after the deadline.
        let deadline = s.body.founding_deadline.unwrap();
        let t = run.ticks.iter().position(|r| r.date >= deadline).unwrap();
        let at = &members_at(&run, &initial, &[t])[0];
        let replayed: Vec<u32> = (0..at.len() as u32).filter(|&i| at[i as usize]).collect();
        assert_eq!(replayed, run.founders);
    }

    #[test]
    fn the_host_and_held_states_are_not_free() {
        let s = crate::scenario::load("uk-moment").unwrap();
        let prepared = Prepared::new(&s);
        let free = free_states(&s, &prepared);
        let code = |c: &str| s.world.nations.iter().position(|n| n.iso3 == c).unwrap();
        assert!(!free[code("CHN")], "the host");
        assert!(!free[code("USA")], "the opponent");
        assert!(!free[code("GBR")], "held by the UK's decide event");
        assert!(free[code("FRA")]);
    }
}
