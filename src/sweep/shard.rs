//! Slices of a sweep: which runs a shard holds, and which of its design points it holds
//! whole (their summaries are its own) or in part (`partial.csv` keeps their values for
//! `waico merge`).

use std::ops::Range;

/// One of `count` deterministic slices of a sweep's runs (`index` from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, 1-based.
    pub index: u32,
    /// How many slices.
    pub count: u32,
}

impl Shard {
    /// The whole sweep.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Parses `K/N` with `1 <= K <= N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("`{text}` is not a shard K/N with 1 <= K <= N, e.g. 2/8");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (k, n): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if n == 0 || k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { index: k, count: n })
    }

    /// The shard of a Slurm array task (`SLURM_ARRAY_TASK_ID` counted from
    /// `SLURM_ARRAY_TASK_MIN`, out of `SLURM_ARRAY_TASK_COUNT`), if those are set.
    pub fn from_slurm(get: impl Fn(&str) -> Option<String>) -> Option<Result<Shard, String>> {
        let id: i64 = get("SLURM_ARRAY_TASK_ID")?.trim().parse().ok()?;
        let count = get("SLURM_ARRAY_TASK_COUNT")?;
        let min: i64 = get("SLURM_ARRAY_TASK_MIN")
            .and_then(|m| m.trim().parse().ok())
            .unwrap_or(0);
        let index = id - min + 1;
        Some(Shard::parse(&format!("{index}/{}", count.trim())))
    }

    /// This shard's runs of a sweep of `runs` runs: contiguous, in order.
    pub fn range(self, runs: u64) -> Range<u64> {
        let (k, n) = (u64::from(self.index), u64::from(self.count));
        runs * (k - 1) / n..runs * k / n
    }

    /// Whether this is the whole sweep.
    pub fn is_whole(self) -> bool {
        self.count == 1
    }
}

/// Which design points lie wholly inside a run range.
pub(crate) struct Layout {
    /// The shard's runs.
    pub range: Range<u64>,
    /// Runs per design point.
    pub replicates: u64,
}

impl Layout {
    /// Whether every run of `point` lies in the range.
    pub fn whole(&self, point: u64) -> bool {
        point * self.replicates >= self.range.start
            && (point + 1) * self.replicates <= self.range.end
    }

    /// The first run of `point` in the range.
    pub fn chunk_start(&self, point: u64) -> u64 {
        (point * self.replicates).max(self.range.start)
    }

    /// Whether a design point lies partly outside the range.
    pub fn has_split_point(&self) -> bool {
        if self.range.is_empty() {
            return false;
        }
        let first = self.range.start / self.replicates;
        let last = (self.range.end - 1) / self.replicates;
        !self.whole(first) || !self.whole(last)
    }
}
