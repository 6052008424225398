//! labrun turns workshop documentation into runnable, testable labs.
//!
//! The pipeline: [`config`] finds the project, [`content`] walks its pages
//! and hands each to the [`markdown`] engine, which builds the shared
//! [`model`]. The jobs ([`plan`], and run, check, drift, render in their own
//! modules) read that model; [`cli`] is the command-line front end.

pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod drift;
pub mod durations;
pub mod error;
pub mod files;
pub mod i18n;
pub mod limits;
pub mod lsp;
pub mod manifest;
pub mod markdown;
pub mod model;
pub mod plan;
pub mod render;
pub mod rules;
pub mod run;
pub mod sample;
pub mod shell;
pub mod timing;
pub mod ui;
pub mod verify;
pub mod wrap;
pub mod yaml;

pub use error::Error;
