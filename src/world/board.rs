//! The board: every state's status and tier as the rest of the world sees them, with the
//! aggregates of sections 4 and 9 kept exactly and up to date.
//!
//! All sums are integers (counts, GDP in US$ millions, population in thousands, trade
//! weights in US$ thousands), updated only when a status, tier or trade weight changes. So
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

    /// GDP (US$ bn) and population (millions) as the board's integers.
    pub fn integer_size(gdp_usd_bn: f64, population_m: f64) -> (u64, u64) {
        (
            ((gdp_usd_bn * 1000.0).round() as u64).max(1),
            ((population_m * 1000.0).round() as u64).max(1),
        )
    }
}

/// Statuses, tiers, their exact aggregates and every state's exposures.
#[derive(Resource, Clone, Debug, PartialEq)]
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
    bloc_members: Vec<u32>,
    bloc_partners: Vec<u32>,
    bloc_weight: Vec<f64>,
    row_sum: Vec<u64>,
    region_members: Vec<u32>,
    tier_members: [u32; 3],
    peer_members: Vec<u64>,
    peer_partners: Vec<u64>,
    dirty: Vec<u32>,
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
            bloc_members: vec![0; ledger.bloc_inverse.len()],
            bloc_partners: vec![0; ledger.bloc_inverse.len()],
            bloc_weight: vec![0.0; ledger.bloc_inverse.len()],
            row_sum: (0..n).map(|i| network.row_sum(i)).collect(),
            region_members: vec![0; ledger.regions],
            tier_members: [0; 3],
            peer_members: vec![0; n],
            peer_partners: vec![0; n],
            dirty: Vec::new(),
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
        self.count(i, old, -1, network);
        self.status[i] = new;
        self.count(i, new, 1, network);
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
        let slot = match self.status[j] {
            Status::Member => Some(&mut self.peer_members[i]),
            Status::Partner => Some(&mut self.peer_partners[i]),
            Status::Outside => None,
        };
        if let Some(slot) = slot {
            *slot = (*slot as i64 + delta) as u64;
        }
        self.row_sum[i] = (self.row_sum[i] as i64 + delta) as u64;
    }

    fn count(&mut self, i: usize, status: Status, sign: i64, network: &TradeNetwork) {
        let l = self.ledger.clone();
        let add = |x: &mut u32| *x = (*x as i64 + sign) as u32;
        let add64 = |x: &mut u64, v: u64| *x = (*x as i64 + sign * v as i64) as u64;
        match status {
            Status::Outside => return,
            Status::Member => {
                add(&mut self.members);
                add64(&mut self.gdp_members, l.gdp[i]);
                add64(&mut self.population_members, l.population[i]);
                add(&mut self.region_members[l.region[i] as usize]);
                add(&mut self.tier_members[tier_slot(self.tier[i])]);
                for &b in l.blocs_of(i) {
                    let b = b as usize;
                    add(&mut self.bloc_members[b]);
                    self.bloc_weight[b] = f64::from(self.bloc_members[b])
                        + self.partner_weight * f64::from(self.bloc_partners[b]);
                }
            }
            Status::Partner => {
                add(&mut self.partners);
                add64(&mut self.gdp_partners, l.gdp[i]);
                for &b in l.blocs_of(i) {
                    let b = b as usize;
                    add(&mut self.bloc_partners[b]);
                    self.bloc_weight[b] = f64::from(self.bloc_members[b])
                        + self.partner_weight * f64::from(self.bloc_partners[b]);
                }
            }
        }
        let sums = if status == Status::Member {
            &mut self.peer_members
        } else {
            &mut self.peer_partners
        };
        network.for_each_in_column(i, |row, raw| add64(&mut sums[row], raw));
    }

    /// Membership weight `m(s_i)`.
    pub fn m(&self, i: usize) -> f64 {
        self.status[i].weight(self.partner_weight)
    }

    /// Peer exposure `sum_j w_ij m(s_j)`.
    pub fn peer(&self, i: usize) -> f64 {
        match self.global {
            None => {
                let sum = self.row_sum[i];
                if sum == 0 {
                    return 0.0;
                }
                (self.peer_members[i] as f64 + self.partner_weight * self.peer_partners[i] as f64)
                    / sum as f64
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
            let b = b as usize;
            best = best.max((self.bloc_weight[b] - own) * self.ledger.bloc_inverse[b]);
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
        let mut out = Vec::with_capacity(self.region_members.len() + 3 + self.bloc_members.len());
        out.extend(&self.region_members);
        out.extend(self.tier_members);
        out.extend(&self.bloc_members);
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
        debug_assert_eq!(fresh.row_sum, self.row_sum, "row sums follow the network");
        fresh.dirty = self.dirty.clone();
        fresh
    }
}

fn tier_slot(tier: u8) -> usize {
    (tier.clamp(1, 3) - 1) as usize
}
