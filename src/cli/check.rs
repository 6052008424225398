//! `labrun check [PATH…] [--format human|json|github|junit] [--deny warnings]`.

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
    let (trees, fs) = check::load(&ctx.project)?;
    let manifests = crate::manifest::ManifestCache::new(ctx.project.root());
    let mut report = check::check_trees(&ctx.project, &trees, &fs, &manifests);
    // The process exits next: freeing thousands of pages and manifests
    // would only cost time.
    std::mem::forget((trees, fs, manifests));
    if !only.is_empty() {
        report.restrict(&only, &cwd);
    }
    let deny_warnings = args.deny.contains(&Deny::Warnings);
    let paths = output::Paths {
        cwd,
        root: ctx.project.root().to_owned(),
    };
    let opts = output::Options {
        color: args.format == output::Format::Human && ui::color_enabled(false),
        deny_warnings,
        paths: &paths,
    };
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
