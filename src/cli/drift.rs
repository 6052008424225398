//! `labrun drift [TARGET]`, `labrun drift --explain PAGE`,
//! `labrun drift stamp PAGE...`: the arguments, and dispatch to the drift
//! job ([`crate::drift::report`], [`explain`], [`stamp`]).
//!
//! `stamp` is a subcommand; everything else is an option of `drift` itself.
//! A lab literally named `stamp` is reached as `./stamp`.

use crate::drift::report::{FailOn, Format, Report};
use crate::drift::{explain, stamp, target};
use crate::error::Error;
use crate::ui;

use super::{Context, exit};

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// A lab (content path or prepare-environment id), a page, or a file or directory of any locale; default: everything.
    pub target: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Statuses that make the exit code 1 (comma-separated; `none` for never).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "stale,unstamped,orphan,diverged",
        value_name = "STATUS,..."
    )]
    pub fail_on: Vec<FailOn>,
    /// Show what changed in the source page since the translation PAGE was made (needs git).
    #[arg(long, value_name = "PAGE", conflicts_with = "target")]
    pub explain: Option<String>,
}

#[derive(clap::Subcommand, Debug)]
pub enum Action {
    /// Record the source page's current hash in reviewed translations.
    Stamp(StampArgs),
}

#[derive(clap::Args, Debug)]
pub struct StampArgs {
    /// Translated pages (files, or paths relative to the locale root with --lang).
    #[arg(required = true, value_name = "PAGE")]
    pub pages: Vec<String>,
    /// Stamp even a page that no longer runs the same lab as its source.
    #[arg(long)]
    pub force: bool,
}

pub fn exec(ctx: &Context, args: &Args) -> Result<u8, Error> {
    let locales = target_locales(ctx)?;
    let project = &ctx.project;
    if let Some(Action::Stamp(s)) = &args.action {
        // Resolve every page first, so a typo stamps nothing.
        let pairs = s
            .pages
            .iter()
            .map(|p| target::pair(project, &locales, p))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(
            match stamp::run(project, &pairs, s.force, ui::color_enabled(true))? {
                stamp::Outcome::Done => exit::OK,
                stamp::Outcome::Refused => exit::FAILED,
                stamp::Outcome::WriteFailed => exit::USAGE,
            },
        );
    }
    if let Some(page) = &args.explain {
        let pair = target::pair(project, &locales, page)?;
        let json = args.format == Format::Json;
        let explained = explain::run(project, &pair, json, ui::color_enabled(false))?;
        return Ok(if explained { exit::OK } else { exit::FAILED });
    }
    let report = Report::build(project, &locales, args.target.as_deref(), &args.fail_on)?;
    let text = report.render(args.format, ui::color_enabled(false));
    match args.format {
        Format::Text => ui::print(&text),
        _ => ui::print_data(&text),
    }
    Ok(if report.failed() {
        exit::FAILED
    } else {
        exit::OK
    })
}

/// The translation locales to look at: `--lang` when it names one, else
/// (or with `--lang all`) every locale but the source.
fn target_locales(ctx: &Context) -> Result<Vec<String>, Error> {
    let wanted = if ctx.lang_flag.is_some() && !ctx.all_locales() {
        Some(ctx.content_locale()?)
    } else {
        None
    };
    Ok(target::locales(&ctx.project.config, wanted.as_deref()))
}
