//! Gathering a design point's replicates for its `summary.csv` rows, run by run in run
//! order: while the point runs, in memory that does not grow with its replicates; at its
//! summary, one tick's shares at a time (8 bytes a replicate, and a sorted copy).
//!
//! Member counts go into a histogram per tick ([`count_stats`]). Member GDP shares are
//! real numbers whose exact quantiles need every value, so they are kept per tick in run
//! order; past [`SPILL_RUNS`] runs a block of them moves to a scratch file, tick by tick,
//! and each tick's column is read back when its row is written. The scratch file is
//! unlinked as soon as it is opened (Unix), so nothing is left behind, whatever ends the
//! sweep. The rows are the same bytes whether or not the shares were spilled.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use super::stats::{Stats, count_stats, stats};

/// Runs whose shares are held in memory before a block of them moves to the scratch file:
/// 4,096 runs of a 67-tick scenario take about 2 MB.
pub const SPILL_RUNS: usize = 4096;

/// The replicates of one design point gathered so far.
#[derive(Debug, Default)]
pub struct Tally {
    runs: usize,
    /// Per tick, how many runs had each member count.
    members: Vec<Vec<u64>>,
    /// Per tick, the shares of the runs not yet spilled, in run order.
    shares: Vec<Vec<f64>>,
    scratch: Option<Scratch>,
}

/// Where blocks of shares go, and which blocks it holds.
#[derive(Debug)]
struct Scratch {
    path: PathBuf,
    spill_runs: usize,
    file: Option<File>,
    /// Per block, its runs (every block holds every tick, tick-major).
    blocks: Vec<usize>,
}

impl Tally {
    /// A tally that spills shares to a scratch file at `path` every `spill_runs` runs
    /// (the file is made when first needed).
    pub fn spilling(path: PathBuf, spill_runs: usize) -> Tally {
        Tally {
            scratch: Some(Scratch {
                path,
                spill_runs: spill_runs.max(1),
                file: None,
                blocks: Vec::new(),
            }),
            ..Tally::default()
        }
    }

    /// Adds a run's per-tick (members, member GDP share).
    pub fn add(&mut self, values: &[(u32, f64)]) -> io::Result<()> {
        if self.members.len() < values.len() {
            self.members.resize_with(values.len(), Vec::new);
            self.shares.resize_with(values.len(), Vec::new);
        }
        for (tick, &(members, share)) in values.iter().enumerate() {
            let histogram = &mut self.members[tick];
            let k = members as usize;
            if histogram.len() <= k {
                histogram.resize(k + 1, 0);
            }
            histogram[k] += 1;
            self.shares[tick].push(share);
        }
        self.runs += 1;
        match &mut self.scratch {
            Some(scratch) if self.shares[0].len() >= scratch.spill_runs => {
                scratch.spill(&mut self.shares)
            }
            _ => Ok(()),
        }
    }

    /// Runs added.
    pub fn runs(&self) -> usize {
        self.runs
    }

    /// The statistics of tick `tick`: of member counts and of member GDP shares (none if no
    /// run reached the tick).
    pub fn tick(&mut self, tick: usize) -> io::Result<(Stats, Stats)> {
        let members = count_stats(self.members.get(tick).map_or(&[], Vec::as_slice));
        let held = self.shares.get(tick).map_or(&[][..], Vec::as_slice);
        let shares = match &mut self.scratch {
            Some(scratch) if !scratch.blocks.is_empty() => {
                let mut column = scratch.column(tick, self.shares.len())?;
                column.extend_from_slice(held);
                stats(&column)
            }
            _ => stats(held),
        };
        Ok((members, shares))
    }

    /// The statistics of the first `ticks` ticks, in tick order.
    pub fn ticks(&mut self, ticks: usize) -> io::Result<Vec<(Stats, Stats)>> {
        (0..ticks).map(|t| self.tick(t)).collect()
    }

    /// Empties the tally for the next design point, keeping its buffers and scratch file.
    pub fn clear(&mut self) {
        self.runs = 0;
        self.members.iter_mut().for_each(|h| h.fill(0));
        self.shares.iter_mut().for_each(Vec::clear);
        if let Some(scratch) = &mut self.scratch {
            scratch.blocks.clear();
        }
    }
}

impl Scratch {
    /// The open scratch file, made (and unlinked) on first use.
    fn file(&mut self) -> io::Result<&mut File> {
        if self.file.is_none() {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(true)
                .open(&self.path)?;
            // Unlinked while open: the space is freed when the sweep ends, however it ends.
            // Where an open file cannot be removed, it is removed when the tally is dropped.
            if std::fs::remove_file(&self.path).is_ok() {
                self.path.clear();
            }
            self.file = Some(file);
        }
        Ok(self.file.as_mut().expect("opened above"))
    }

    /// Appends the held shares as one block, tick by tick, and empties them.
    fn spill(&mut self, shares: &mut [Vec<f64>]) -> io::Result<()> {
        let runs = shares[0].len();
        let offset = (self.blocks.iter().sum::<usize>() * shares.len() * 8) as u64;
        let file = self.file()?;
        file.seek(SeekFrom::Start(offset))?;
        let mut bytes = Vec::with_capacity(runs * 8);
        for column in shares.iter_mut() {
            bytes.clear();
            bytes.extend(column.iter().flat_map(|x| x.to_le_bytes()));
            file.write_all(&bytes)?;
            column.clear();
        }
        self.blocks.push(runs);
        Ok(())
    }

    /// Tick `tick`'s spilled shares, in run order (`ticks` ticks per run).
    fn column(&mut self, tick: usize, ticks: usize) -> io::Result<Vec<f64>> {
        let blocks = self.blocks.clone();
        let capacity = blocks.iter().sum::<usize>() + self.spill_runs;
        let file = self.file()?;
        let mut column = Vec::with_capacity(capacity);
        let (mut start, mut bytes) = (0usize, Vec::new());
        for runs in blocks {
            file.seek(SeekFrom::Start(((start * ticks + tick * runs) * 8) as u64))?;
            bytes.resize(runs * 8, 0);
            file.read_exact(&mut bytes)?;
            column.extend(
                bytes
                    .chunks_exact(8)
                    .map(|b| f64::from_le_bytes(b.try_into().expect("eight bytes"))),
            );
            start += runs;
        }
        Ok(column)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.file.take().is_some() && !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn histogram(values: &[u32]) -> Vec<u64> {
        let mut h = vec![0u64; values.iter().max().map_or(0, |&m| m as usize + 1)];
        values.iter().for_each(|&v| h[v as usize] += 1);
        h
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Spilled or not, a tally's statistics are those of its runs' per-tick values.
        #[test]
        fn a_tally_gives_per_tick_statistics_of_its_runs(
            runs in proptest::collection::vec(
                proptest::collection::vec((0u32..40, 0.0f64..1.0), 3), 1..60),
            spill_runs in 1usize..8,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let mut held = Tally::default();
            let mut spilled = Tally::spilling(dir.path().join("scratch"), spill_runs);
            for _point in 0..2 {
                for r in &runs {
                    held.add(r).unwrap();
                    spilled.add(r).unwrap();
                }
                prop_assert_eq!((held.runs(), spilled.runs()), (runs.len(), runs.len()));
                for tick in 0..3 {
                    let members: Vec<u32> = runs.iter().map(|r| r[tick].0).collect();
                    let shares: Vec<f64> = runs.iter().map(|r| r[tick].1).collect();
                    let expected = (count_stats(&histogram(&members)), stats(&shares));
                    prop_assert_eq!(held.tick(tick).unwrap(), expected);
                    prop_assert_eq!(spilled.tick(tick).unwrap(), expected);
                }
                held.clear();
                spilled.clear();
                prop_assert_eq!((held.runs(), held.tick(0).unwrap().0.n), (0, 0));
            }
            drop(spilled);
            prop_assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "scratch left");
        }
    }
}
