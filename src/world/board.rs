//! The board: every state's status and tier as the rest of the world sees them, with the
//! aggregates of sections 4 and 9 kept exactly and up to date.
//!
//! All sums are integers (counts, GDP in US$ millions, population in thousands, trade
//! weights in the network's integer units), updated only when a status, tier or trade weight changes. So
//! every exposure is a few arithmetic operations on exact sums, nothing depends on the
//! order in which states are visited, and a from-scratch rebuild ([`Board::recount`])
//! always gives the same numbers (tests check this).
//!
//! Systems that change a status or a tier mark the state with [`Board::mark`]; the Observe
//! stage then copies the components onto the board ([`Board::set_status`],
//! [`Board::set_tier`]).

use std::sync::Arc;

use bevy_ecs::prelude::*;

use super::network::TradeNetwork;
use crate::model::Status;

/// The most units one state counts for (2^40): the sum over a million states still fits
/// a `u64`.
pub const MAX_UNITS: u64 = 1 << 40;

/// Static facts the board aggregates over, shared by every run of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Ledger {
    /// GDP of each state, US$ millions.
    pub gdp: Vec<u64>,
    /// Population of each state, thousands.
    pub population: Vec<u64>,
    /// Region index of each state.
    pub region: Vec<u16>,
    /// Counted blocs of each state: `bloc_list[bloc_offsets[i]..bloc_offsets[i + 1]]`.
    pub bloc_offsets: Vec<u32>,
    /// All states' counted blocs, concatenated.
    pub bloc_list: Vec<u16>,
    /// `1 / (size - 1)` of each counted bloc (0 for single-member blocs).
    pub bloc_inverse: Vec<f64>,
    /// Number of regions.
    pub regions: usize,
    /// The host's index.
    pub host: u32,
}

impl Ledger {
    /// The counted blocs of state `i`.
    pub fn blocs_of(&self, i: usize) -> &[u16] {
        &self.bloc_list[self.bloc_offsets[i] as usize..self.bloc_offsets[i + 1] as usize]
    }

    /// GDP (US$ bn) and population (millions) as the board's integers: US$ millions and
    /// thousands, from 1 to [`MAX_UNITS`]. World loading bounds GDP at 1e6 bn and
    /// population at 1e5 million, far inside that, so every sum the board keeps is exact.
    pub fn integer_size(gdp_usd_bn: f64, population_m: f64) -> (u64, u64) {
        let units = |x: f64| ((x * 1000.0).round().clamp(1.0, MAX_UNITS as f64) as u64).max(1);
        (units(gdp_usd_bn), units(population_m))
    }
}

/// Statuses, tiers, their exact aggregates and every state's exposures.
#[derive(Resource, Debug, PartialEq)]
pub struct Board {
    ledger: Arc<Ledger>,
    partner_weight: f64,
    global: Option<usize>,
    status: Vec<Status>,
    tier: Vec<u8>,
    members: u32,
    partners: u32,
    gdp_total: u64,
    population_total: u64,
    gdp_members: u64,
    gdp_partners: u64,
    population_members: u64,
    blocs: Vec<BlocSums>,
    region_members: Vec<u32>,
    tier_members: [u32; 3],
    peers: Vec<PeerSums>,
    dirty: Vec<u32>,
    touched: Vec<u32>,
}

impl Clone for Board {
    fn clone(&self) -> Board {
        Board {
            ledger: self.ledger.clone(),
            partner_weight: self.partner_weight,
            global: self.global,
            status: self.status.clone(),
            tier: self.tier.clone(),
            members: self.members,
            partners: self.partners,
            gdp_total: self.gdp_total,
            population_total: self.population_total,
            gdp_members: self.gdp_members,
            gdp_partners: self.gdp_partners,
            population_members: self.population_members,
            blocs: self.blocs.clone(),
            region_members: self.region_members.clone(),
            tier_members: self.tier_members,
            peers: self.peers.clone(),
            dirty: self.dirty.clone(),
            touched: self.touched.clone(),
        }
    }

    /// Copies `source` into the board's own buffers (a runner resets its board this way
    /// before every run, without allocating).
    fn clone_from(&mut self, source: &Board) {
        self.ledger.clone_from(&source.ledger);
        self.partner_weight = source.partner_weight;
        self.global = source.global;
        self.status.clone_from(&source.status);
        self.tier.clone_from(&source.tier);
        self.members = source.members;
        self.partners = source.partners;
        self.gdp_total = source.gdp_total;
        self.population_total = source.population_total;
        self.gdp_members = source.gdp_members;
        self.gdp_partners = source.gdp_partners;
        self.population_members = source.population_members;
        self.blocs.clone_from(&source.blocs);
        self.region_members.clone_from(&source.region_members);
        self.tier_members = source.tier_members;
        self.peers.clone_from(&source.peers);
        self.dirty.clone_from(&source.dirty);
        self.touched.clone_from(&source.touched);
    }
}

/// One counted bloc's members and partners, with what bloc exposure needs of them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct BlocSums {
    /// Full members.
    members: u32,
    /// Partners.
    partners: u32,
    /// `members + partner_weight * partners`.
    weight: f64,
    /// The ledger's `1 / (size - 1)`.
    inverse: f64,
}

/// One state's trade row summed by the status of its partners, in raw weight units.
///
/// The sums are never negative; they are kept signed because weights change by signed
/// amounts and because a signed integer converts to `f64` in one instruction (the values
/// are far below 2^53, so the conversion is exact either way).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct PeerSums {
    /// Raw weights of the partners that are members.
    members: i64,
    /// Raw weights of the partners that are partners.
    partners: i64,
    /// The whole row.
    total: i64,
}

impl Board {
    /// A board where every state is outside, with the given tiers.
    pub fn new(
        ledger: Arc<Ledger>,
        tiers: Vec<u8>,
        partner_weight: f64,
        network: &TradeNetwork,
    ) -> Board {
        let n = ledger.gdp.len();
        Board {
            partner_weight,
            global: match network {
                TradeNetwork::Global { n } => Some(*n),
                TradeNetwork::Sparse(_) => None,
            },
            status: vec![Status::Outside; n],
            tier: tiers,
            members: 0,
            partners: 0,
            gdp_total: ledger.gdp.iter().sum(),
            population_total: ledger.population.iter().sum(),
            gdp_members: 0,
            gdp_partners: 0,
            population_members: 0,
            blocs: ledger
                .bloc_inverse
                .iter()
                .map(|&inverse| BlocSums {
                    inverse,
                    ..BlocSums::default()
                })
                .collect(),
            region_members: vec![0; ledger.regions],
            tier_members: [0; 3],
            peers: (0..n)
                .map(|i| PeerSums {
                    total: network.row_sum(i) as i64,
                    ..PeerSums::default()
                })
                .collect(),
            dirty: Vec::new(),
            touched: Vec::new(),
            ledger,
        }
    }

    /// Status of state `i`.
    pub fn status(&self, i: usize) -> Status {
        self.status[i]
    }

    /// Export tier of state `i`.
    pub fn tier(&self, i: usize) -> u8 {
        self.tier[i]
    }

    /// Number of states.
    pub fn len(&self) -> usize {
        self.status.len()
    }

    /// Whether there are no states.
    pub fn is_empty(&self) -> bool {
        self.status.is_empty()
    }

    /// Notes that state `i`'s status or tier component changed.
    pub fn mark(&mut self, i: u32) {
        self.dirty.push(i);
        self.touched.push(i);
    }

    /// Moves the states marked since the last call into `into` (emptied first), in the
    /// order they were marked, with repeats: the deal strategies work their scores out
    /// again for them (the board's own updates take [`Board::take_dirty`]).
    pub fn take_touched(&mut self, into: &mut Vec<u32>) {
        into.clear();
        std::mem::swap(into, &mut self.touched);
    }

    /// Whether any state was marked since the last [`Board::take_dirty`].
    pub fn has_dirty(&self) -> bool {
        !self.dirty.is_empty()
    }

    /// Takes the states marked since the last call.
    pub fn take_dirty(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.dirty)
    }

    /// Gives back the (emptied) list from [`Board::take_dirty`], keeping its allocation.
    pub fn return_dirty(&mut self, mut list: Vec<u32>) {
        list.clear();
        if self.dirty.is_empty() {
            self.dirty = list;
        }
    }

    /// Changes state `i`'s status, updating every aggregate and exposure.
    pub fn set_status(&mut self, i: usize, new: Status, network: &TradeNetwork) {
        let old = self.status[i];
        if old == new {
            return;
        }
        self.count(i, old, false);
        self.status[i] = new;
        self.count(i, new, true);
        // The rows holding `i` move its weight from the old status's sum to the new one's,
        // in one pass over its column (one loop per case keeps each pass a plain update).
        let peers = &mut self.peers;
        let mut column = |update: fn(&mut PeerSums, i64)| {
            network.for_each_in_column(i, |row, raw| update(&mut peers[row], raw as i64));
        };
        match (old, new) {
            (Status::Outside, Status::Member) => column(|p, raw| p.members += raw),
            (Status::Outside, Status::Partner) => column(|p, raw| p.partners += raw),
            (Status::Member, Status::Outside) => column(|p, raw| p.members -= raw),
            (Status::Partner, Status::Outside) => column(|p, raw| p.partners -= raw),
            (Status::Partner, Status::Member) => column(|p, raw| {
                p.partners -= raw;
                p.members += raw;
            }),
            (Status::Member, Status::Partner) => column(|p, raw| {
                p.members -= raw;
                p.partners += raw;
            }),
            (Status::Outside, Status::Outside)
            | (Status::Partner, Status::Partner)
            | (Status::Member, Status::Member) => {}
        }
    }

    /// Changes state `i`'s export tier.
    pub fn set_tier(&mut self, i: usize, new: u8) {
        let old = self.tier[i];
        if old == new {
            return;
        }
        if self.status[i] == Status::Member {
            self.tier_members[tier_slot(old)] -= 1;
            self.tier_members[tier_slot(new)] += 1;
        }
        self.tier[i] = new;
    }

    /// Records that the raw trade weight of `j` in `i`'s row changed by `delta` (the
    /// network has already applied it).
    pub fn weight_changed(&mut self, i: usize, j: usize, delta: i64) {
        let sums = &mut self.peers[i];
        match self.status[j] {
            Status::Member => sums.members += delta,
            Status::Partner => sums.partners += delta,
            Status::Outside => {}
        }
        sums.total += delta;
    }

    /// Adds state `i` with `status` to the counts, GDP, population and bloc sums (`add`),
    /// or takes it out (the peer sums are [`Board::set_status`]'s).
    fn count(&mut self, i: usize, status: Status, add: bool) {
        let one = |x: &mut u32| {
            if add {
                *x += 1;
            } else {
                *x -= 1;
            }
        };
        let by = |x: &mut u64, v: u64| {
            if add {
                *x += v;
            } else {
                *x -= v;
            }
        };
        let l = &*self.ledger;
        let member = match status {
            Status::Outside => return,
            Status::Member => {
                one(&mut self.members);
                by(&mut self.gdp_members, l.gdp[i]);
                by(&mut self.population_members, l.population[i]);
                one(&mut self.region_members[l.region[i] as usize]);
                one(&mut self.tier_members[tier_slot(self.tier[i])]);
                true
            }
            Status::Partner => {
                one(&mut self.partners);
                by(&mut self.gdp_partners, l.gdp[i]);
                false
            }
        };
        for &b in l.blocs_of(i) {
            let bloc = &mut self.blocs[b as usize];
            one(if member {
                &mut bloc.members
            } else {
                &mut bloc.partners
            });
            bloc.weight = f64::from(bloc.members) + self.partner_weight * f64::from(bloc.partners);
        }
    }

    /// Membership weight `m(s_i)`.
    pub fn m(&self, i: usize) -> f64 {
        self.status[i].weight(self.partner_weight)
    }

    /// Peer exposure `sum_j w_ij m(s_j)`.
    pub fn peer(&self, i: usize) -> f64 {
        match self.global {
            None => {
                let sums = &self.peers[i];
                if sums.total == 0 {
                    return 0.0;
                }
                (sums.members as f64 + self.partner_weight * sums.partners as f64)
                    / sums.total as f64
            }
            Some(n) if n <= 1 => 0.0,
            Some(n) => {
                let total =
                    f64::from(self.members) + self.partner_weight * f64::from(self.partners);
                (total - self.m(i)) / (n - 1) as f64
            }
        }
    }

    /// Bloc exposure: the highest membership share among the other members of any counted
    /// bloc the state belongs to (0 in none).
    pub fn bloc(&self, i: usize) -> f64 {
        let own = self.m(i);
        let mut best = 0.0f64;
        for &b in self.ledger.blocs_of(i) {
            let bloc = &self.blocs[b as usize];
            best = best.max((bloc.weight - own) * bloc.inverse);
        }
        best
    }

    /// Legitimacy: `sum_{j != host} gdp_j m(s_j) / sum_{j != host} gdp_j`.
    pub fn legitimacy(&self) -> f64 {
        let host = self.ledger.host as usize;
        let host_gdp = self.ledger.gdp[host];
        let (mut members, mut partners) = (self.gdp_members, self.gdp_partners);
        match self.status[host] {
            Status::Member => members -= host_gdp,
            Status::Partner => partners -= host_gdp,
            Status::Outside => {}
        }
        let others = self.gdp_total - host_gdp;
        if others == 0 {
            return 0.0;
        }
        (members as f64 + self.partner_weight * partners as f64) / others as f64
    }

    /// Full members.
    pub fn members(&self) -> u32 {
        self.members
    }

    /// Partners.
    pub fn partners(&self) -> u32 {
        self.partners
    }

    /// Members' share of world GDP.
    pub fn member_gdp_share(&self) -> f64 {
        self.gdp_members as f64 / self.gdp_total.max(1) as f64
    }

    /// Members' share of world population.
    pub fn member_population_share(&self) -> f64 {
        self.population_members as f64 / self.population_total.max(1) as f64
    }

    /// Members by region, by tier (1-3) and by counted bloc, in that order.
    pub fn groups(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.region_members.len() + 3 + self.blocs.len());
        out.extend(&self.region_members);
        out.extend(self.tier_members);
        out.extend(self.blocs.iter().map(|b| b.members));
        out
    }

    /// The members, by index.
    pub fn member_list(&self) -> Vec<u32> {
        (0..self.status.len() as u32)
            .filter(|&i| self.status[i as usize] == Status::Member)
            .collect()
    }

    /// The same board rebuilt from its statuses and tiers alone, by direct summation: equal
    /// to `self` whenever the incremental updates are right.
    pub fn recount(&self, network: &TradeNetwork) -> Board {
        let mut fresh = Board::new(
            self.ledger.clone(),
            self.tier.clone(),
            self.partner_weight,
            network,
        );
        for i in 0..self.status.len() {
            fresh.set_status(i, self.status[i], network);
        }
        debug_assert!(
            fresh
                .peers
                .iter()
                .zip(&self.peers)
                .all(|(a, b)| a.total == b.total),
            "row sums follow the network"
        );
        fresh.dirty = self.dirty.clone();
        fresh.touched = self.touched.clone();
        fresh
    }
}

fn tier_slot(tier: u8) -> usize {
    (tier.clamp(1, 3) - 1) as usize
}
