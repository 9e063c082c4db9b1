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
    /// `SLURM_ARRAY_TASK_MIN`, out of `SLURM_ARRAY_TASK_COUNT`), if `SLURM_ARRAY_TASK_ID`
    /// is set. A variable that is set but unreadable is an error, never ignored: an array
    /// task that ran the whole sweep would waste the whole array.
    pub fn from_slurm(get: impl Fn(&str) -> Option<String>) -> Option<Result<Shard, String>> {
        let id_text = get("SLURM_ARRAY_TASK_ID")?;
        let number = |name: &str, text: &str| -> Result<i64, String> {
            text.trim()
                .parse()
                .map_err(|_| format!("{name}=`{text}` is not a whole number"))
        };
        let shard = || -> Result<Shard, String> {
            let id = number("SLURM_ARRAY_TASK_ID", &id_text)?;
            let count = get("SLURM_ARRAY_TASK_COUNT").ok_or_else(|| {
                "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not".to_owned()
            })?;
            let min = match get("SLURM_ARRAY_TASK_MIN") {
                Some(text) => number("SLURM_ARRAY_TASK_MIN", &text)?,
                None => 0,
            };
            let index = id
                .checked_sub(min)
                .and_then(|k| k.checked_add(1))
                .ok_or_else(|| format!("task {id} counted from {min} is out of range"))?;
            Shard::parse(&format!("{index}/{}", count.trim()))
        };
        Some(shard())
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

/// Which design points lie wholly inside a run range: run `r` is replicate `r % R` of
/// design point `r / R`, and a shard holds a contiguous range of runs, so only its first
/// and last design points can be split with another shard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
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

    /// One past the last run of `point` in the range.
    pub fn chunk_end(&self, point: u64) -> u64 {
        ((point + 1) * self.replicates).min(self.range.end)
    }

    /// The design points the range holds runs of, in order.
    pub fn points(&self) -> Range<u64> {
        if self.range.is_empty() {
            return 0..0;
        }
        self.range.start / self.replicates..(self.range.end - 1) / self.replicates + 1
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
