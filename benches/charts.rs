//! Benchmarks of charts: `cargo bench --bench charts`.
//!
//! - `map/geometry`: projecting and placing every outline and dot of a world map of the
//!   shipped world (the outlines are decoded once per process, before timing).
//! - `map/render`: drawing that map as PNG and SVG, as every run and ensemble does.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use waico::model::Status;
use waico::output::charts::{self, ChartSpec};
use waico::output::maps;
use waico::scenario;
use waico::world::eligibility::start_bars;

fn map(c: &mut Criterion) {
    let s = scenario::load("baseline").expect("the baseline validates");
    let status: Vec<Status> = (0..s.world.nations.len())
        .map(|k| Status::from_index(k % 3))
        .collect();
    // The baseline's states that cannot join, hatched as on every map of it.
    let barred: Vec<bool> = start_bars(
        &s.world.nations,
        s.body.host,
        s.body.opponent,
        s.body.opponent_may_join,
        &s.eligibility,
    )
    .iter()
    .map(|b| !b.is_empty())
    .collect();
    let chart = maps::status_map(
        "bench".into(),
        &s.world,
        &status,
        &barred,
        maps::powers(&s.world, s.body.host, s.body.opponent),
    );
    let (w, h) = chart.size();
    black_box(chart.geometry(w, h));
    let mut group = c.benchmark_group("map");
    group.bench_function("geometry", |b| b.iter(|| black_box(chart.geometry(w, h))));
    group.sample_size(20);
    group.bench_function("render", |b| {
        b.iter(|| black_box(charts::render(&chart).expect("the map renders")))
    });
    group.finish();
}

criterion_group!(benches, map);
criterion_main!(benches);
