//! The integration tests: one binary, one module per capability.

mod util;

mod analytic;
mod bad_input;
mod board;
mod cli;
mod controls;
mod determinism;
mod golden;
mod properties;
mod textbook;
