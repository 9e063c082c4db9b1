//! The trade network `w_ij`: whose membership each state watches, and how much.
//!
//! Rows hold raw integer weights, each row scaled so that its weights sum to
//! [`ROW_UNITS`] (2^32) when built; the weight of partner `j` for state `i` is
//! `raw_ij / sum_j raw_ij`, so peer exposure is `peer_i = sum_j w_ij m(s_j)`. Integer
//! weights let the board keep every state's membership-weighted sums exactly, updated only
//! when a status changes (see [`super::board`]); scaling each row to the same total gives
//! every row, a micro-state's as much as China's, the same resolution (a weight is off its
//! exact share by at most about 2^-32, whatever the row's trade volume).
//!
//! Each state keeps its `trade_partners` largest partners: observed trade first, then the
//! gravity model `gdp_i gdp_j / distance_ij` (scaled to trade units by the median ratio over
//! observed pairs) for pairs the data lacks. Gravity candidates are every other state in
//! worlds of up to [`EXACT_LIMIT`] states; in larger (synthetic) worlds they are the states
//! of nearby grid cells plus the largest economies, which keeps the build linear in the
//! number of states.

use std::sync::Arc;

use super::WorldData;

/// Worlds up to this size consider every pair for gravity fill; larger ones use a grid.
pub const EXACT_LIMIT: usize = 4000;

/// What a row's raw weights sum to when the network is built: 2^32. Rounding a weight to
/// an integer then moves its share of the row by at most 2^-33; deals may raise a row's
/// total about two-million-fold before [`MAX_ROW_SUM`] stops them.
pub const ROW_UNITS: f64 = 4_294_967_296.0;

/// The most a row's raw weights may sum to, 2^53 (US$ 9 quintillion): every sum the board
/// keeps of them is then exact, in integers and as a double. Deals compound (each raises a
/// weight by a share of the row's current total), and a row that reaches this cap takes no
/// further raises.
pub const MAX_ROW_SUM: u64 = 1 << 53;

/// Distances below this (km) are raised to it, so neighbouring capitals such as Hong Kong
/// and Macau do not get unbounded gravity.
const MIN_DISTANCE_KM: f64 = 100.0;

/// How many of the largest economies every state considers as gravity partners in a
/// gridded world.
const GRID_HUBS: usize = 64;

/// Peer weights between states.
#[derive(Debug, PartialEq)]
pub enum TradeNetwork {
    /// Every other state has equal weight `1 / (n - 1)` (textbook checks).
    Global {
        /// Number of states.
        n: usize,
    },
    /// Sparse rows of integer raw weights.
    Sparse(SparseRows),
}

/// Sparse rows of raw weights: a compressed row structure with a column index, built once
/// and shared by every run of a scenario, plus each run's own weights and the edges its
/// deals added. Partners of state `i` are `partners[offsets[i]..offsets[i+1]]`; the rows
/// holding state `j` are `col_rows[col_offsets[j]..col_offsets[j+1]]`. The weights are
/// stored in column order, `raw[slot]` beside `col_rows[slot]`, so the board's column
/// updates read both in step; edge `e` of the row structure has its weight at
/// `raw[edge_slots[e]]`. Added edges `(row, partner, raw)` are kept sorted by partner, then
/// row, so a column's added edges are one contiguous run.
#[derive(Debug, PartialEq)]
pub struct SparseRows {
    shape: Arc<Shape>,
    raw: Vec<u64>,
    row_sum: Vec<u64>,
    added: Vec<(u32, u32, u64)>,
}

impl Clone for TradeNetwork {
    fn clone(&self) -> TradeNetwork {
        match self {
            TradeNetwork::Global { n } => TradeNetwork::Global { n: *n },
            TradeNetwork::Sparse(rows) => TradeNetwork::Sparse(rows.clone()),
        }
    }

    /// Copies `source` into the network's own buffers when both are sparse (a runner
    /// resets its network this way before every run, without allocating).
    fn clone_from(&mut self, source: &TradeNetwork) {
        match (self, source) {
            (TradeNetwork::Sparse(rows), TradeNetwork::Sparse(from)) => rows.clone_from(from),
            (this, _) => *this = source.clone(),
        }
    }
}

impl Clone for SparseRows {
    fn clone(&self) -> SparseRows {
        SparseRows {
            shape: self.shape.clone(),
            raw: self.raw.clone(),
            row_sum: self.row_sum.clone(),
            added: self.added.clone(),
        }
    }

    fn clone_from(&mut self, source: &SparseRows) {
        self.shape.clone_from(&source.shape);
        self.raw.clone_from(&source.raw);
        self.row_sum.clone_from(&source.row_sum);
        self.added.clone_from(&source.added);
    }
}

#[derive(Debug, PartialEq)]
struct Shape {
    offsets: Vec<u32>,
    partners: Vec<u32>,
    col_offsets: Vec<u32>,
    col_rows: Vec<u32>,
    edge_slots: Vec<u32>,
}

impl SparseRows {
    fn from_rows(rows: &[Vec<(u32, u64)>]) -> SparseRows {
        let n = rows.len();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut partners = Vec::new();
        let mut by_edge = Vec::new();
        offsets.push(0u32);
        for row in rows {
            partners.extend(row.iter().map(|p| p.0));
            by_edge.extend(row.iter().map(|p| p.1));
            offsets.push(partners.len() as u32);
        }
        let mut col_offsets = vec![0u32; n + 1];
        for &j in &partners {
            col_offsets[j as usize + 1] += 1;
        }
        for j in 0..n {
            col_offsets[j + 1] += col_offsets[j];
        }
        let mut fill = col_offsets.clone();
        let mut col_rows = vec![0; partners.len()];
        let mut edge_slots = vec![0; partners.len()];
        let mut raw = vec![0; partners.len()];
        for i in 0..n {
            let edges = offsets[i] as usize..offsets[i + 1] as usize;
            for (e, &j) in edges.clone().zip(&partners[edges]) {
                let j = j as usize;
                let slot = fill[j] as usize;
                col_rows[slot] = i as u32;
                edge_slots[e] = slot as u32;
                raw[slot] = by_edge[e];
                fill[j] += 1;
            }
        }
        SparseRows {
            row_sum: rows.iter().map(|r| r.iter().map(|p| p.1).sum()).collect(),
            raw,
            added: Vec::new(),
            shape: Arc::new(Shape {
                offsets,
                partners,
                col_offsets,
                col_rows,
                edge_slots,
            }),
        }
    }

    /// Where the weight of `j` in `i`'s row is stored, if `j` is one of `i`'s partners.
    fn slot(&self, i: usize, j: usize) -> Option<usize> {
        let (lo, hi) = (
            self.shape.offsets[i] as usize,
            self.shape.offsets[i + 1] as usize,
        );
        self.shape.partners[lo..hi]
            .binary_search(&(j as u32))
            .ok()
            .map(|pos| self.shape.edge_slots[lo + pos] as usize)
    }
}

impl TradeNetwork {
    /// The global network of `n` states.
    pub fn global(n: usize) -> TradeNetwork {
        TradeNetwork::Global { n }
    }

    /// The trade network of `world`, keeping `k` partners per state.
    pub fn from_trade(world: &WorldData, k: usize) -> TradeNetwork {
        let n = world.nations.len();
        let mut observed: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
        for &(a, b, v) in &world.trade {
            observed[a as usize].push((b, v));
            observed[b as usize].push((a, v));
        }
        let gravity = Gravity::new(world);
        let hubs = gravity.hubs();
        let grid = (n > EXACT_LIMIT).then(|| Grid::new(world));
        let mut rows: Vec<Vec<(u32, u64)>> = Vec::with_capacity(n);
        for (i, row) in observed.iter_mut().enumerate() {
            row.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            row.truncate(k);
            if row.len() < k {
                let taken: Vec<u32> = row.iter().map(|p| p.0).collect();
                let candidates: Vec<u32> = match &grid {
                    None => (0..n as u32).collect(),
                    Some(grid) => grid.candidates(i, 4 * k, &hubs),
                };
                let mut fill: Vec<(u32, f64)> = candidates
                    .into_iter()
                    .filter(|&j| j as usize != i && !taken.contains(&j))
                    .map(|j| (j, gravity.weight(i, j as usize)))
                    .collect();
                fill.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                fill.truncate(k - row.len());
                row.extend(fill);
            }
            let total: f64 = row.iter().map(|p| p.1).sum();
            let scale = if total > 0.0 { ROW_UNITS / total } else { 0.0 };
            let mut ints: Vec<(u32, u64)> = row
                .iter()
                .map(|&(j, v)| (j, ((v * scale).round() as u64).max(1)))
                .collect();
            ints.sort_by_key(|p| p.0);
            fit_row(&mut ints);
            rows.push(ints);
        }
        TradeNetwork::Sparse(SparseRows::from_rows(&rows))
    }

    /// [`TradeNetwork::from_trade`], built once per thread for the same `world` (the same
    /// loaded world, not an equal one) and `k`: a sweep's design points share their world,
    /// and building its network costs several runs. The network depends on nothing else,
    /// so what a run computes does not depend on whether it was built here or taken.
    pub fn from_trade_shared(world: &Arc<WorldData>, k: usize) -> TradeNetwork {
        thread_local! {
            static LAST: std::cell::RefCell<Option<(Arc<WorldData>, usize, TradeNetwork)>> =
                const { std::cell::RefCell::new(None) };
        }
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            match &*last {
                Some((built, built_k, network)) if Arc::ptr_eq(built, world) && *built_k == k => {
                    network.clone()
                }
                _ => {
                    let network = TradeNetwork::from_trade(world, k);
                    *last = Some((Arc::clone(world), k, network.clone()));
                    network
                }
            }
        })
    }

    /// Number of states.
    pub fn len(&self) -> usize {
        match self {
            TradeNetwork::Global { n } => *n,
            TradeNetwork::Sparse(rows) => rows.row_sum.len(),
        }
    }

    /// Whether the network has no states.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sum of state `i`'s raw weights (0 for the global network).
    pub fn row_sum(&self, i: usize) -> u64 {
        match self {
            TradeNetwork::Global { .. } => 0,
            TradeNetwork::Sparse(rows) => rows.row_sum[i],
        }
    }

    /// Calls `f(i, raw_ij)` for every state `i` whose row holds `j` (nothing for the
    /// global network, whose exposure the board computes from counts).
    pub fn for_each_in_column(&self, j: usize, mut f: impl FnMut(usize, u64)) {
        if let TradeNetwork::Sparse(rows) = self {
            let shape = &rows.shape;
            let (lo, hi) = (
                shape.col_offsets[j] as usize,
                shape.col_offsets[j + 1] as usize,
            );
            for (&i, &raw) in shape.col_rows[lo..hi].iter().zip(&rows.raw[lo..hi]) {
                f(i as usize, raw);
            }
            let start = rows.added.partition_point(|a| (a.1 as usize) < j);
            for &(i, _, raw) in rows.added[start..].iter().take_while(|a| a.1 as usize == j) {
                f(i as usize, raw);
            }
        }
    }

    /// The normalised weights of state `i`'s partners, sorted by partner.
    pub fn row(&self, i: usize) -> Vec<(u32, f64)> {
        match self {
            TradeNetwork::Global { n } => (0..*n as u32)
                .filter(|&j| j as usize != i)
                .map(|j| (j, 1.0 / (*n - 1) as f64))
                .collect(),
            TradeNetwork::Sparse(rows) => {
                let shape = &rows.shape;
                let (lo, hi) = (shape.offsets[i] as usize, shape.offsets[i + 1] as usize);
                let total = rows.row_sum[i].max(1) as f64;
                let mut out: Vec<(u32, f64)> = (lo..hi)
                    .map(|e| {
                        let raw = rows.raw[shape.edge_slots[e] as usize];
                        (shape.partners[e], raw as f64 / total)
                    })
                    .chain(
                        rows.added
                            .iter()
                            .filter(|a| a.0 as usize == i)
                            .map(|a| (a.1, a.2 as f64 / total)),
                    )
                    .collect();
                out.sort_by_key(|p| p.0);
                out
            }
        }
    }

    /// Peer exposure of state `i` computed from scratch: `sum_j w_ij m[j]` (the board keeps
    /// the same quantity incrementally; this is its reference).
    pub fn peer_from_scratch(&self, i: usize, m: &[f64]) -> f64 {
        match self {
            TradeNetwork::Global { n } => {
                if *n <= 1 {
                    return 0.0;
                }
                let total: f64 = m.iter().sum();
                (total - m[i]) / (*n - 1) as f64
            }
            TradeNetwork::Sparse(_) => self.row(i).iter().map(|&(j, w)| w * m[j as usize]).sum(),
        }
    }

    /// Raises the weight of `j` in `i`'s row by `share` of the row's current total (so
    /// `w_ij` rises by about `share`), as far as [`MAX_ROW_SUM`] allows, and returns the
    /// raw amount added. The global network has no weights to raise: returns 0.
    pub fn raise(&mut self, i: usize, j: usize, share: f64) -> i64 {
        let amount = match self {
            TradeNetwork::Global { .. } => return 0,
            TradeNetwork::Sparse(rows) => {
                let total = rows.row_sum[i];
                let room = MAX_ROW_SUM.saturating_sub(total) as i64;
                // `as` saturates: a huge product stops at the room left.
                ((share * total as f64).round() as i64).min(room)
            }
        };
        self.add_raw(i, j, amount)
    }

    /// Adds `amount` (negative to revert a raise) to the raw weight of `j` in `i`'s row,
    /// adding `j` as a partner if needed, never below 0; returns the amount applied.
    pub fn add_raw(&mut self, i: usize, j: usize, amount: i64) -> i64 {
        let TradeNetwork::Sparse(rows) = self else {
            return 0;
        };
        if amount == 0 {
            return 0;
        }
        let slot: &mut u64 = match rows.slot(i, j) {
            Some(slot) => &mut rows.raw[slot],
            None => match rows
                .added
                .binary_search_by_key(&(j, i), |a| (a.1 as usize, a.0 as usize))
            {
                Ok(k) => &mut rows.added[k].2,
                Err(k) => {
                    if amount < 0 {
                        return 0;
                    }
                    rows.added.insert(k, (i as u32, j as u32, 0));
                    &mut rows.added[k].2
                }
            },
        };
        let old = *slot as i64;
        let new = (old + amount).max(0);
        *slot = new as u64;
        rows.row_sum[i] = (rows.row_sum[i] as i64 + (new - old)) as u64;
        new - old
    }
}

/// Scales a row down, where gravity between extreme economies makes its raw weights sum
/// past half of [`MAX_ROW_SUM`], to half of it. The weights are ratios of the row's total,
/// so they keep their values (up to rounding), and every sum stays exact.
fn fit_row(row: &mut [(u32, u64)]) {
    let target = MAX_ROW_SUM / 2;
    let total: u128 = row.iter().map(|p| u128::from(p.1)).sum();
    if total > u128::from(target) {
        let scale = target as f64 / total as f64;
        for p in row.iter_mut() {
            p.1 = ((p.1 as f64 * scale).floor() as u64).max(1);
        }
    }
}

struct Gravity {
    gdp: Vec<f64>,
    lat: Vec<f64>,
    lon: Vec<f64>,
    scale: f64,
}

impl Gravity {
    fn new(world: &WorldData) -> Gravity {
        let mut g = Gravity {
            gdp: world.nations.iter().map(|n| n.gdp_usd_bn).collect(),
            lat: world.nations.iter().map(|n| n.lat.to_radians()).collect(),
            lon: world.nations.iter().map(|n| n.lon.to_radians()).collect(),
            scale: 1.0,
        };
        // Scale gravity to trade units: the median observed/predicted ratio.
        let mut ratios: Vec<f64> = world
            .trade
            .iter()
            .map(|&(a, b, v)| v / g.weight(a as usize, b as usize))
            .filter(|r| r.is_finite() && *r > 0.0)
            .collect();
        if !ratios.is_empty() {
            ratios.sort_by(f64::total_cmp);
            g.scale = ratios[ratios.len() / 2];
        }
        g
    }

    fn distance_km(&self, i: usize, j: usize) -> f64 {
        let (dlat, dlon) = (self.lat[j] - self.lat[i], self.lon[j] - self.lon[i]);
        let a = (dlat / 2.0).sin().powi(2)
            + self.lat[i].cos() * self.lat[j].cos() * (dlon / 2.0).sin().powi(2);
        2.0 * 6371.0 * a.sqrt().min(1.0).asin()
    }

    fn weight(&self, i: usize, j: usize) -> f64 {
        self.scale * self.gdp[i] * self.gdp[j] / self.distance_km(i, j).max(MIN_DISTANCE_KM)
    }

    fn hubs(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.gdp.len() as u32).collect();
        order.sort_by(|&a, &b| {
            self.gdp[b as usize]
                .total_cmp(&self.gdp[a as usize])
                .then(a.cmp(&b))
        });
        order.truncate(GRID_HUBS);
        order
    }
}

/// A latitude-longitude grid with about eight states per cell.
struct Grid {
    rows: usize,
    cols: usize,
    cell_of: Vec<(usize, usize)>,
    cells: Vec<Vec<u32>>,
}

impl Grid {
    fn new(world: &WorldData) -> Grid {
        let n = world.nations.len();
        let rows = ((n as f64 / 16.0).sqrt().ceil() as usize).max(1);
        let cols = 2 * rows;
        let mut cells = vec![Vec::new(); rows * cols];
        let cell_of: Vec<(usize, usize)> = world
            .nations
            .iter()
            .map(|s| {
                let r = (((s.lat + 90.0) / 180.0) * rows as f64) as usize;
                let c = (((s.lon + 180.0) / 360.0) * cols as f64) as usize;
                (r.min(rows - 1), c.min(cols - 1))
            })
            .collect();
        for (i, &(r, c)) in cell_of.iter().enumerate() {
            cells[r * cols + c].push(i as u32);
        }
        Grid {
            rows,
            cols,
            cell_of,
            cells,
        }
    }

    /// States in rings of cells around `i` until at least `want` are found, plus the hubs.
    fn candidates(&self, i: usize, want: usize, hubs: &[u32]) -> Vec<u32> {
        let (r0, c0) = self.cell_of[i];
        let mut out: Vec<u32> = hubs.to_vec();
        let max_ring = self.rows.max(self.cols);
        for ring in 0..=max_ring {
            for r in r0.saturating_sub(ring)..=(r0 + ring).min(self.rows - 1) {
                for dc in -(ring as i64)..=(ring as i64) {
                    let on_edge = r.abs_diff(r0) == ring || dc.unsigned_abs() as usize == ring;
                    if !on_edge {
                        continue;
                    }
                    let c = (c0 as i64 + dc).rem_euclid(self.cols as i64) as usize;
                    out.extend(&self.cells[r * self.cols + c]);
                }
            }
            if out.len() >= want + hubs.len() {
                break;
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::Nation;

    pub(crate) fn nation(code: &str, gdp: f64, lat: f64, lon: f64) -> Nation {
        Nation {
            iso3: code.into(),
            name: code.into(),
            region: "R".into(),
            subregion: "S".into(),
            gdp_usd_bn: gdp,
            population_m: 1.0,
            lat,
            lon,
            alignment: 0.0,
            china_trade_share: 0.0,
            us_trade_share: 0.0,
            ai_capacity: 0.5,
            chip_dependence: 0.5,
            export_tier: 2,
            us_ally: 0.0,
            democracy: 0.5,
            blocs: vec![],
            bias: 0.0,
            recognises_host: true,
            sovereign: true,
            dispute_with_host: 0,
            hosts_us_forces: false,
            alignment_stale: false,
        }
    }

    fn world(trade: Vec<(u32, u32, f64)>) -> WorldData {
        WorldData {
            nations: vec![
                nation("AAA", 100.0, 0.0, 0.0),
                nation("BBB", 10.0, 0.0, 10.0),
                nation("CCC", 1000.0, 0.0, 100.0),
                nation("DDD", 1.0, 0.0, 1.0),
            ],
            trade,
            nations_source: String::new(),
            nations_sha256: String::new(),
            trade_source: String::new(),
            trade_sha256: String::new(),
        }
    }

    #[test]
    fn rows_are_normalised_and_keep_the_largest_partners() {
        let net = TradeNetwork::from_trade(&world(vec![(0, 1, 30.0), (0, 3, 10.0)]), 2);
        assert_eq!(
            net.row(0),
            vec![(1, 0.75), (3, 0.25)],
            "observed trade comes first"
        );
        let total: f64 = net.row(2).iter().map(|p| p.1).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert_eq!(net.row(2).len(), 2, "gravity fills up to k partners");
    }

    #[test]
    fn a_shared_network_is_the_one_built_from_its_world_and_k() {
        let a = Arc::new(world(vec![(0, 1, 30.0), (0, 3, 10.0)]));
        let b = Arc::new(world(vec![(1, 2, 5.0)]));
        // Built, taken again, then built anew for another k, another world, an equal world
        // loaded apart and the first again: each time the network of its own inputs.
        let equal = Arc::new((*a).clone());
        for (w, k) in [
            (&a, 2),
            (&a, 2),
            (&a, 3),
            (&b, 3),
            (&b, 2),
            (&equal, 2),
            (&a, 2),
        ] {
            assert_eq!(
                TradeNetwork::from_trade_shared(w, k),
                TradeNetwork::from_trade(w, k),
                "k = {k}"
            );
        }
        for k in [2, 3] {
            assert_ne!(
                TradeNetwork::from_trade(&a, k),
                TradeNetwork::from_trade(&b, k),
                "the worlds differ, so a network taken for the wrong one would fail above"
            );
        }
        assert_ne!(
            TradeNetwork::from_trade(&a, 2),
            TradeNetwork::from_trade(&a, 3),
            "so do the k, likewise"
        );
    }

    #[test]
    fn columns_list_the_rows_that_hold_a_state() {
        let net = TradeNetwork::from_trade(&world(vec![(0, 1, 30.0), (0, 3, 10.0)]), 2);
        let mut holders = Vec::new();
        net.for_each_in_column(0, |i, raw| holders.push((i, raw)));
        for (i, raw) in holders {
            let row = net.row(i);
            assert!(row.iter().any(|&(j, _)| j == 0), "row {i} holds 0");
            assert!(raw > 0);
        }
    }

    #[test]
    fn peer_exposure_weighs_partner_membership() {
        let net = TradeNetwork::from_trade(&world(vec![(0, 1, 30.0), (0, 3, 10.0)]), 2);
        let m = [0.0, 1.0, 0.0, 0.5];
        assert!((net.peer_from_scratch(0, &m) - (0.75 + 0.125)).abs() < 1e-12);
        let global = TradeNetwork::global(4);
        assert!((global.peer_from_scratch(0, &m) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn raises_stop_at_the_row_cap_and_revert_exactly() {
        let mut net = TradeNetwork::from_trade(&world(vec![(0, 1, 30.0), (0, 3, 10.0)]), 2);
        let before = net.clone();
        // A row starts at 2^32 units and each raise multiplies it by 101: the fourth
        // reaches the cap of 2^53.
        let added: Vec<i64> = (0..20).map(|_| net.raise(0, 2, 100.0)).collect();
        assert_eq!(net.row_sum(0), MAX_ROW_SUM);
        assert!(added[..4].iter().all(|&a| a > 0));
        assert_eq!(added[4], 0);
        assert_eq!(added[19], 0, "a full row takes no more");
        for &a in added.iter().rev() {
            assert_eq!(net.add_raw(0, 2, -a), -a);
        }
        let kept: Vec<(u32, f64)> = net.row(0).into_iter().filter(|p| p.1 > 0.0).collect();
        assert_eq!(kept, before.row(0), "the added partner is back to nothing");
        assert_eq!(net.row_sum(0), before.row_sum(0));
    }

    #[test]
    fn micro_states_rows_are_as_fine_as_large_ones() {
        // Gravity alone (no trade data): a micro-state's weights are tiny in any unit of
        // trade, yet its row keeps its exact shares to within 1e-9.
        let mut w = world(Vec::new());
        w.nations[3].gdp_usd_bn = 0.06; // about Tuvalu's
        let net = TradeNetwork::from_trade(&w, 3);
        let gravity = Gravity::new(&w);
        for i in 0..4 {
            let row = net.row(i);
            let exact: Vec<f64> = row
                .iter()
                .map(|&(j, _)| gravity.weight(i, j as usize))
                .collect();
            let total: f64 = exact.iter().sum();
            for (&(_, got), want) in row.iter().zip(&exact) {
                assert!(
                    (got - want / total).abs() < 1e-9,
                    "row {i}: {got} vs {}",
                    want / total
                );
            }
        }
    }

    #[test]
    fn a_raise_reverts_exactly() {
        let mut net = TradeNetwork::from_trade(&world(vec![(0, 1, 30.0), (0, 3, 10.0)]), 2);
        let before = net.clone();
        let added = net.raise(0, 2, 0.5);
        assert_eq!(net.row(0).len(), 3, "a new partner is inserted");
        assert!((net.row(0)[1].1 - 20.0 / 60.0).abs() < 1e-12);
        assert_eq!(net.add_raw(0, 2, -added), -added);
        assert_eq!(net.row(0)[1].1, 0.0);
        assert_eq!(
            before.row(0),
            net.row(0)
                .into_iter()
                .filter(|p| p.1 > 0.0)
                .collect::<Vec<_>>()
        );
    }
}
