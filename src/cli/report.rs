//! `labrun report merge`: join the reports of a sharded run into one.

use std::path::PathBuf;

use crate::error::Error;
use crate::msg;
use crate::run::report::{self, RunReport};

use super::{Context, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(clap::Subcommand, Debug)]
pub enum Sub {
    /// Join JSON (or JUnit XML) reports of the shards of one run into one report.
    Merge(MergeArgs),
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The shards' reports: all JSON (labrun.run/v1) or all JUnit XML.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Where to write the merged report (same format as the inputs).
    #[arg(long, short, value_name = "PATH")]
    pub output: PathBuf,
    /// With JSON inputs: also write the merged run as JUnit XML here.
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
}

pub fn exec(_ctx: &Context, args: &Args) -> Result<u8, Error> {
    match &args.command {
        Sub::Merge(m) => merge(m),
    }
}

enum Kind {
    Json(RunReport),
    Junit(quick_junit::Report),
}

fn read(path: &PathBuf) -> Result<Kind, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let bad = |detail: String| {
        Error::Usage(msg!(
            "report-unreadable",
            file = path.display().to_string(),
            detail = detail
        ))
    };
    if text.trim_start().starts_with('<') {
        quick_junit::Report::deserialize_from_str(&text)
            .map(Kind::Junit)
            .map_err(|e| bad(e.to_string()))
    } else {
        let r: RunReport = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if r.schema != report::SCHEMA {
            return Err(bad(format!("schema {}", r.schema)));
        }
        Ok(Kind::Json(r))
    }
}

fn merge(args: &MergeArgs) -> Result<u8, Error> {
    let mut json = Vec::new();
    let mut xml = Vec::new();
    for f in &args.files {
        match read(f)? {
            Kind::Json(r) => json.push(r),
            Kind::Junit(r) => xml.push(r),
        }
    }
    if !json.is_empty() && !xml.is_empty() {
        return Err(Error::Usage(msg!("report-mixed-formats")));
    }
    if !json.is_empty() {
        let merged = RunReport::merge(json);
        merged.write_json(&args.output)?;
        if let Some(j) = &args.junit {
            report::write_junit(&merged.junit(), j)?;
        }
        return Ok(if merged.failed() {
            exit::FAILED
        } else {
            exit::OK
        });
    }
    if args.junit.is_some() {
        return Err(Error::Usage(msg!("report-junit-needs-json")));
    }
    let merged = report::merge_junit(xml);
    report::write_junit(&merged, &args.output)?;
    let failed = merged
        .test_suites
        .iter()
        .any(|s| s.failures > 0 || s.errors > 0);
    Ok(if failed { exit::FAILED } else { exit::OK })
}
