//! The integration tests: one binary, one module per capability.

mod util;

mod analysis;
mod analytic;
mod bad_input;
mod board;
mod charts;
mod cli;
mod controls;
mod court;
mod determinism;
mod docs;
mod ensemble;
mod explore;
mod extremes;
mod face_validity;
mod folders;
mod fuzz;
mod golden;
mod history;
mod pipes;
mod properties;
mod reviews;
mod sweep;
mod textbook;
mod validation;
