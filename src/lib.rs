//! labrun turns workshop documentation into runnable, testable labs.
//!
//! The pipeline: [`config`] finds the project, [`content`] walks its pages
//! and hands each to the [`markdown`] engine, which builds the shared
//! [`model`]. The jobs ([`plan`], and later run, check, drift, render) read
//! that model; [`cli`] is the command-line front end.

pub mod diag;
pub mod i18n;
pub mod markdown;
pub mod model;
pub mod shell;
pub mod yaml;
