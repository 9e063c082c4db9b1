//! Benchmarks of the estimators, free of the model: `cargo bench --bench explore`.
//!
//! - `sobol_indices/k20_n4096`: first-order and total Sobol' indices of 20 factors from a
//!   Saltelli design of N = 4,096 base samples (90,112 outputs of the G-function), with
//!   1,000 bootstrap resamples for the intervals (the size docs/EXPLORE.md quotes).
//! - `sobol_indices/k20_n4096_second_order`: the same with the 190 second-order indices.
//! - `morris/k20_r100`: mu, mu* (1,000 resamples) and sigma for 100 trajectories.
//! - `prim/3000x20`: PRIM's peeling and pasting over 3,000 cases and 20 factors.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use waico::explore::bootstrap::Bootstrap;
use waico::explore::morris::Morris;
use waico::explore::prim::{PrimOptions, prim};
use waico::explore::saltelli::Saltelli;

/// Sobol's G-function with a = 0, 1, 2, ... (factor importance falling).
fn g(u: &[f64]) -> f64 {
    u.iter()
        .enumerate()
        .map(|(i, x)| ((4.0 * x - 2.0).abs() + i as f64) / (1.0 + i as f64))
        .product()
}

fn sobol_indices(c: &mut Criterion) {
    let mut group = c.benchmark_group("sobol_indices");
    group.sample_size(10);
    for second_order in [false, true] {
        let d = Saltelli::new(20, 4096, second_order).expect("a valid design");
        let y: Vec<f64> = d.design(1).iter().map(|u| g(u)).collect();
        let name = if second_order {
            "k20_n4096_second_order"
        } else {
            "k20_n4096"
        };
        group.bench_function(name, |b| {
            b.iter(|| black_box(d.analyze(&y, &Bootstrap::default())))
        });
    }
    group.finish();
}

fn morris(c: &mut Criterion) {
    let d = Morris::new(20, 100, 4, 0).expect("a valid design");
    let x = d.design(1);
    let y: Vec<f64> = x.iter().map(|u| g(u)).collect();
    c.bench_function("morris/k20_r100", |b| {
        b.iter(|| black_box(d.analyze(&x, &y, &Bootstrap::default())))
    });
}

fn prim_bench(c: &mut Criterion) {
    let x = waico::sweep::design::latin_hypercube_unit(20, 3000, 4);
    let y: Vec<bool> = x.iter().map(|r| r[0] > 0.3 && r[1] < 0.7).collect();
    let mut group = c.benchmark_group("prim");
    group.sample_size(10);
    group.bench_function("3000x20", |b| {
        b.iter(|| black_box(prim(&x, &y, &PrimOptions::default())))
    });
    group.finish();
}

criterion_group!(benches, sobol_indices, morris, prim_bench);
criterion_main!(benches);
