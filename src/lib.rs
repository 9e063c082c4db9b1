//! # waico
//!
//! An agent-based simulation of how the world's states respond to a Shanghai-hosted World
//! AI Cooperation Organization: each state, again and again, stays out, joins as a partner
//! or joins as a full member, pushed and pulled by US export controls on AI chips, trade
//! deals, bloc politics and each other. The model is documented in `docs/MODEL.md`.
//!
//! Data flows one way:
//!
//! ```text
//! scenario file --parse--> ScenarioFile --validate--> Scenario --prepare--> Prepared
//!   --Runner: bevy_ecs World + tick Schedule, T times--> RunOutput --write--> CSV, JSON, PNG/SVG
//! ```
//!
//! - [`scenario`]: the TOML format, strict parsing and validation ([`scenario::Scenario`]).
//! - [`world`]: the states (world file), the trade network, components and resources.
//! - [`systems`]: one system per stage of a tick; the tick order lives in `systems/mod.rs`.
//! - [`sim`]: the [`sim::Runner`], addressed randomness, in-memory run output.
//! - [`model`]: the utility and decision mathematics, free of the ECS.
//! - [`output`]: CSV, manifest and charts, written atomically.
//! - [`sweep`]: designs of many runs, in parallel, streamed, resumable and shardable.
//! - [`analysis`]: comparing two scenarios over common seeds; explaining a state's
//!   decisions from a run folder; sensitivity analysis and scenario discovery on sweeps.
//! - [`calibrate`]: fitting parameters to an observed membership curve, and
//!   cross-validating the fit over states.
//! - [`backtest`]: setting a scenario against an observed history it was not fitted to,
//!   with a counterfactual on the same seeds.
//! - [`explore`]: designs and estimators for sensitivity analysis and scenario discovery,
//!   free of the model (a function evaluator in, indices out).
//! - [`cli`]: the `waico` command line.

pub mod analysis;
pub mod backtest;
pub mod calibrate;
pub mod cli;
pub mod explore;
pub mod model;
pub mod output;
pub mod scenario;
pub mod sim;
pub mod sweep;
pub mod systems;
pub mod time;
pub mod world;
