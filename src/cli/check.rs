//! `labrun check [PATH…] [--format human|json|github|junit] [--deny warnings] [--watch]`.

use std::path::PathBuf;

use crate::check::{self, output};
use crate::error::Error;
use crate::msg;
use crate::ui;

use super::{Context, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only report findings in these files or directories.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = output::Format::Human)]
    pub format: output::Format,
    /// Treat this severity as failing too.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub deny: Vec<Deny>,
    /// Also report pedantic rules, as warnings.
    #[arg(long)]
    pub pedantic: bool,
    /// Check again whenever a file of the project changes.
    #[arg(long)]
    pub watch: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deny {
    Warnings,
}

pub fn exec(ctx: &Context, args: &Args) -> Result<u8, Error> {
    let cwd = std::env::current_dir().map_err(|e| Error::io(std::path::Path::new("."), e))?;
    // Check the paths before the (whole-project) work.
    let mut only = Vec::new();
    for p in &args.paths {
        let abs = cwd.join(p);
        if !abs.exists() {
            return Err(Error::Usage(msg!(
                "check-path-not-found",
                path = p.display().to_string()
            )));
        }
        only.push(check::normalize(&abs));
    }
    let deny_warnings = args.deny.contains(&Deny::Warnings);
    let paths = output::Paths {
        cwd: cwd.clone(),
        root: ctx.project.root().to_owned(),
    };
    let opts = output::Options {
        color: args.format == output::Format::Human && ui::color_enabled(false),
        deny_warnings,
        paths: &paths,
        compact: args.watch,
    };
    if args.watch {
        if args.format == output::Format::Junit {
            return Err(Error::Usage(msg!("check-watch-junit")));
        }
        let mut ws = check::incremental::Workspace::open(ctx.config_flag.as_deref(), &cwd)?;
        ws.set_pedantic(args.pedantic);
        ui::eprintln(&crate::t!(
            "check-watch-start",
            dirs = ws.watch_dirs().len()
        ));
        let show = |report: &check::Report, cycle: Option<&check::watch::Cycle>| {
            let mut report = check::Report {
                diagnostics: report.diagnostics.clone(),
                files: report.files.clone(),
                locales: report.locales.clone(),
            };
            if !only.is_empty() {
                report.restrict(&only, &cwd);
            }
            let mut out = String::new();
            if let Some(c) = cycle
                && args.format == output::Format::Human
            {
                out.push_str(&output::cycle_header(c, &opts));
                out.push('\n');
            }
            out.push_str(&output::render(&report, args.format, &opts));
            // Content reaches a terminal cleaned; JSON lines keep their bytes.
            match args.format {
                output::Format::Human => ui::print(&out),
                _ => ui::print_data(&out),
            }
        };
        let failed = |e: &Error| {
            ui::eprintln(&crate::t!(
                "check-watch-failed",
                detail = e.message().text()
            ));
        };
        check::watch::run(&mut ws, show, failed)?;
        return Ok(exit::OK);
    }
    let (trees, fs) = check::load(&ctx.project)?;
    let manifests = crate::manifest::ManifestCache::new(ctx.project.root());
    let mut policy = ctx.project.config.check.policy();
    policy.pedantic |= args.pedantic;
    let mut report = check::check_trees(&ctx.project, &trees, &fs, &manifests, &policy);
    // The process exits next: freeing thousands of pages and manifests
    // would only cost time.
    std::mem::forget((trees, fs, manifests));
    if !only.is_empty() {
        report.restrict(&only, &cwd);
    }
    let text = output::render(&report, args.format, &opts);
    match args.format {
        output::Format::Human => ui::print(&text),
        _ => ui::print_data(&text),
    }
    Ok(if report.failed(deny_warnings) {
        exit::FAILED
    } else {
        exit::OK
    })
}
