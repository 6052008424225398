//! `labrun run <lab>` / `labrun run --all`: the arguments, and dispatch to
//! the run job ([`crate::run::job`]); the job's outcome decides the exit
//! code.

use std::path::PathBuf;

use crate::error::Error;
use crate::msg;
use crate::run::dry_run;
use crate::run::job::{self, Outcome, Request};
use crate::run::report::Outputs;

use super::{Context, TextOrJson, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab: a content path (networking/network-policies), a page, or a prepare-environment id.
    pub lab: Option<String>,
    /// Run every lab of the workshop (with --lang en|ja|all).
    #[arg(long, conflicts_with = "lab")]
    pub all: bool,
    /// Run only shard K of N (with --all), balanced by recorded durations.
    #[arg(long, value_name = "K/N", requires = "all")]
    pub shard: Option<String>,
    /// Print the plan with expected durations; execute nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The form of --dry-run's output.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text, requires = "dry_run")]
    pub format: TextOrJson,
    /// Stop at the first failure.
    #[arg(long)]
    pub bail: bool,
    /// Start at this page (and block line), skipping what comes before.
    #[arg(long, value_name = "PAGE[:LINE]")]
    pub from: Option<String>,
    /// Resume the run logged in DIR: from the first page that did not pass (or --from), with the shell state saved after the page before it.
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,
    /// Run only the pages whose path matches.
    #[arg(long, value_name = "GLOB")]
    pub only: Option<String>,
    /// Seconds a block may run without its own timeout=.
    #[arg(long, value_name = "SECONDS", value_parser = crate::limits::timeout_flag)]
    pub timeout: Option<u64>,
    /// Seconds a hook may run without its block's hookTimeout=.
    #[arg(long, value_name = "SECONDS", value_parser = crate::limits::timeout_flag)]
    pub hook_timeout: Option<u64>,
    /// A value for VAR::KEY (repeatable; wins over labrun.yaml).
    #[arg(long = "var", value_name = "KEY=VALUE")]
    pub vars: Vec<String>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "PATH")]
    pub report_junit: Option<PathBuf>,
    /// Write the JSON report here.
    #[arg(long, value_name = "PATH")]
    pub report_json: Option<PathBuf>,
    /// Merge each passed page's duration (ms) into this JSON file.
    #[arg(long, value_name = "PATH")]
    pub record_durations: Option<PathBuf>,
    /// Where block output goes (default: a new temporary directory).
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
    /// Stream each block's output as it runs.
    #[arg(long, short)]
    pub verbose: bool,
    /// Show each block and ask: run, skip or quit.
    #[arg(long)]
    pub step: bool,
    /// The kubeconfig context for labrun, the blocks and the hooks.
    #[arg(long, value_name = "CONTEXT")]
    pub context: Option<String>,
    /// The kubeconfig file for labrun, the blocks and the hooks.
    #[arg(long, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// Snapshot the cluster before each lab and after its cleanup, and report what it left behind.
    #[arg(long)]
    pub check_leaks: bool,
    /// Compare every command's output with the sample the page shows after it (as verifyOutput=true does for one block).
    #[arg(long)]
    pub verify_output: bool,
}

pub fn exec(ctx: &Context, args: &Args) -> Result<u8, Error> {
    if args.lab.is_none() && !args.all {
        return Err(Error::Usage(msg!("run-no-lab")));
    }
    // A lab argument may be a path typed from here, which picks its locale.
    let (locales, lab) = match &args.lab {
        Some(arg) => {
            let (locales, name) = super::lab_locales(ctx, arg)?;
            (locales, Some(name))
        }
        None => (ctx.content_locales()?, None),
    };
    let request = Request {
        locales,
        lab,
        all_locales: ctx.all_locales(),
        shard: args.shard.clone(),
        dry_run: args.dry_run.then_some(match args.format {
            TextOrJson::Text => dry_run::Format::Text,
            TextOrJson::Json => dry_run::Format::Json,
        }),
        bail: args.bail,
        from: args.from.clone(),
        resume: args.resume.clone(),
        only: args.only.clone(),
        block_timeout: args.timeout,
        hook_timeout: args.hook_timeout,
        vars: args.vars.clone(),
        outputs: Outputs {
            json: args.report_json.clone(),
            junit: args.report_junit.clone(),
            durations: args.record_durations.clone(),
        },
        log_dir: args.log_dir.clone(),
        verbose: args.verbose,
        step: args.step,
        kubeconfig: args.kubeconfig.clone(),
        context: args.context.clone(),
        check_leaks: args.check_leaks,
        verify_output: args.verify_output,
        wait_scale: std::env::var("LABRUN_WAIT_SCALE").ok(),
    };
    Ok(match job::run(&ctx.project, &request)? {
        Outcome::DryRun | Outcome::Passed => exit::OK,
        Outcome::Failed => exit::FAILED,
        // Labs that need a cluster could not run: as for one such lab.
        Outcome::NoCluster => exit::USAGE,
        Outcome::Interrupted => exit::INTERRUPTED,
    })
}
