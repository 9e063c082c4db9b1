//! From a validated [`Scenario`] to what a run spawns: one [`StateBundle`] per state and the
//! initial resources. [`Prepared`] is built once per scenario and reused for every seed.

use std::sync::Arc;

use super::board::{Board, Ledger};
use super::components::{
    Decision, ExportAccess, Exposure, Membership, Profile, Role, Shock, StateBundle, StateId,
    Summit, TradeShares, Utility, UtilityCoefficients,
};
use super::eligibility::start_bars;
use super::network::TradeNetwork;
use super::resources::{DealPlan, Scheduled};
use crate::model::{Coefficients, Status};
use crate::scenario::{Deals, NetworkKind, Params, Policy, Scenario};
use crate::time::{Calendar, Date};

/// A scenario compiled for running: bundles, network and schedules, shared by all seeds.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// Scenario name.
    pub name: String,
    /// The body's name.
    pub body_name: String,
    /// One bundle per state, by index.
    pub bundles: Vec<StateBundle>,
    /// The peer network at the start.
    pub network: TradeNetwork,
    /// ISO3 codes by index.
    pub codes: Arc<Vec<String>>,
    /// Names by index.
    pub names: Arc<Vec<String>>,
    /// Whether each state's `alignment` is a documented override (`alignment_stale`).
    pub alignment_stale: Arc<Vec<bool>>,
    /// Sorted regions.
    pub regions: Arc<Vec<String>>,
    /// Sorted counted blocs.
    pub blocs: Arc<Vec<String>>,
    /// Names of the per-group member columns ([`crate::sim::group_columns`]).
    pub group_columns: Arc<Vec<String>>,
    /// The initial board (statuses, tiers and their aggregates).
    pub board: Board,
    /// Events with their ticks.
    pub timeline: Arc<Vec<Scheduled>>,
    /// China's courtship and its rounds.
    pub courtship: Option<DealPlan>,
    /// US counter-offers and their rounds.
    pub counter_offer: Option<DealPlan>,
    /// Whether either strategy has a round, by tick.
    pub deal_ticks: Arc<Vec<bool>>,
    /// Weights.
    pub params: Params,
    /// Initial levers.
    pub policy: Policy,
    /// Host index.
    pub host: u32,
    /// Opponent index.
    pub opponent: Option<u32>,
    /// Whether the partner tier exists.
    pub partner_tier: bool,
    /// Whether the retaliation rule is on.
    pub retaliation: bool,
    /// Tick dates.
    pub calendar: Calendar,
    /// Founding deadline.
    pub deadline: Option<Date>,
}

impl Prepared {
    /// Compiles `scenario`.
    pub fn new(scenario: &Scenario) -> Prepared {
        let world = &scenario.world;
        let n = world.nations.len();
        let regions: Vec<String> = world.regions();
        let blocs: Vec<String> = scenario.body.blocs.clone();
        let logs: Vec<f64> = world.nations.iter().map(|s| s.gdp_usd_bn.ln()).collect();
        let mean = logs.iter().sum::<f64>() / n as f64;
        let sd = (logs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
        let mut bloc_size = vec![0u32; blocs.len()];
        let mut bloc_lists = Vec::with_capacity(n);
        let body = &scenario.body;
        let bars = start_bars(
            &world.nations,
            body.host,
            body.opponent,
            body.opponent_may_join,
            &scenario.eligibility,
        );
        let mut bundles = Vec::with_capacity(n);
        for (i, s) in world.nations.iter().enumerate() {
            let i = i as u32;
            let region = regions.binary_search(&s.region).unwrap_or(0) as u16;
            let member_of: Vec<u16> = s
                .blocs
                .iter()
                .filter_map(|b| blocs.binary_search(b).ok().map(|k| k as u16))
                .collect();
            for &k in &member_of {
                bloc_size[k as usize] += 1;
            }
            bloc_lists.push(member_of);
            let role = if i == body.host {
                Role::Host
            } else if Some(i) == body.opponent {
                Role::Opponent
            } else {
                Role::State
            };
            let status = match role {
                Role::Host => Status::Member,
                _ => body
                    .initial
                    .iter()
                    .find(|(j, _)| *j == i)
                    .map_or(Status::Outside, |(_, st)| *st),
            };
            let profile = Profile {
                region,
                size_z: if sd > 0.0 {
                    (logs[i as usize] - mean) / sd
                } else {
                    0.0
                },
                affinity: scenario
                    .params
                    .affinity
                    .get(&s.region)
                    .copied()
                    .unwrap_or(0.0),
                alignment: s.alignment,
                ai_capacity: s.ai_capacity,
                chip_dependence: s.chip_dependence,
                us_ally: s.us_ally,
                democracy: s.democracy,
                dispute: f64::from(s.dispute_with_host),
                forces: f64::from(u8::from(s.hosts_us_forces)),
                bias: s.bias,
            };
            let coefficients = Coefficients::of(&scenario.params, &profile.static_inputs());
            bundles.push(StateBundle {
                id: StateId(i),
                profile,
                coefficients: UtilityCoefficients(coefficients),
                shares: TradeShares {
                    china: s.china_trade_share,
                    us: s.us_trade_share,
                },
                access: ExportAccess {
                    tier: s.export_tier,
                    deal: None,
                },
                shock: Shock(0.0),
                summit: Summit::default(),
                membership: Membership::new(status, role, bars[i as usize]),
                exposure: Exposure::default(),
                utility: Utility::default(),
                decision: Decision {
                    next: status,
                    from: status,
                    ..Decision::default()
                },
            });
        }
        let network = match scenario.network {
            NetworkKind::Global => TradeNetwork::global(n),
            NetworkKind::Trade => {
                TradeNetwork::from_trade_shared(world, scenario.params.trade_partners as usize)
            }
        };
        let cal = &scenario.calendar;
        let timeline: Vec<Scheduled> = scenario
            .events
            .iter()
            .filter_map(|e| {
                let fire = cal.tick_of(e.date)?;
                let revert = match (e.until, &e.action) {
                    (Some(u), _) => cal.revert_tick_of(u).map(|t| t.max(fire + 1)),
                    (None, crate::scenario::Action::Summit { .. }) => {
                        (fire < cal.last_tick()).then_some(fire + 1)
                    }
                    (None, _) => None,
                };
                Some(Scheduled {
                    fire,
                    revert,
                    event: e.clone(),
                })
            })
            .collect();
        let (gdp, population) = world
            .nations
            .iter()
            .map(|s| Ledger::integer_size(s.gdp_usd_bn, s.population_m))
            .unzip();
        let ledger = Ledger {
            gdp,
            population,
            region: bundles.iter().map(|b| b.profile.region).collect(),
            bloc_offsets: std::iter::once(0)
                .chain(bloc_lists.iter().scan(0u32, |acc, l| {
                    *acc += l.len() as u32;
                    Some(*acc)
                }))
                .collect(),
            bloc_list: bloc_lists.concat(),
            bloc_inverse: bloc_size
                .iter()
                .map(|&s| if s > 1 { 1.0 / f64::from(s - 1) } else { 0.0 })
                .collect(),
            regions: regions.len(),
            host: body.host,
        };
        let mut board = Board::new(
            Arc::new(ledger),
            bundles.iter().map(|b| b.access.tier).collect(),
            scenario.params.partner_weight,
            &network,
        );
        for b in &bundles {
            board.set_status(b.id.0 as usize, b.membership.status, &network);
        }
        let plan = |deals: &Option<Deals>| {
            deals.as_ref().map(|d| DealPlan {
                deals: d.clone(),
                rounds: Arc::new(deal_rounds(cal, d)),
                signed: vec![false; n],
            })
        };
        let courtship = plan(&scenario.strategies.courtship);
        let counter_offer = plan(&scenario.strategies.counter_offer);
        let mut deal_ticks = vec![false; cal.last_tick() as usize + 1];
        for plan in [&courtship, &counter_offer].into_iter().flatten() {
            for &t in plan.rounds.iter() {
                if let Some(due) = deal_ticks.get_mut(t as usize) {
                    *due = true;
                }
            }
        }
        Prepared {
            name: scenario.name.clone(),
            body_name: body.name.clone(),
            bundles,
            network,
            codes: Arc::new(world.nations.iter().map(|s| s.iso3.clone()).collect()),
            names: Arc::new(world.nations.iter().map(|s| s.name.clone()).collect()),
            alignment_stale: Arc::new(world.nations.iter().map(|s| s.alignment_stale).collect()),
            group_columns: Arc::new(crate::sim::group_columns(&regions, &blocs)),
            regions: Arc::new(regions),
            blocs: Arc::new(blocs),
            board,
            timeline: Arc::new(timeline),
            courtship,
            counter_offer,
            deal_ticks: Arc::new(deal_ticks),
            params: scenario.params.clone(),
            policy: scenario.policy.clone(),
            host: body.host,
            opponent: body.opponent,
            partner_tier: body.partner_tier,
            retaliation: scenario.strategies.retaliation,
            calendar: scenario.calendar.clone(),
            deadline: body.founding_deadline,
        }
    }

    /// Number of states.
    pub fn len(&self) -> usize {
        self.bundles.len()
    }

    /// Whether the world is empty (never, for a validated scenario).
    pub fn is_empty(&self) -> bool {
        self.bundles.is_empty()
    }
}

/// The ticks at which a deal strategy signs: its rhythm's dates after the start, at most
/// one round per tick.
fn deal_rounds(cal: &Calendar, deals: &Deals) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for k in 1.. {
        let date = deals.every.nth_after(cal.start(), k);
        let Some(tick) = cal.tick_of(date) else { break };
        if out.last() != Some(&tick) {
            out.push(tick);
        }
    }
    out
}
