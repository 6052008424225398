//! `labrun verify <lab>`: evaluates a lab's declarative hooks against the
//! cluster as it is now, running no block.

use std::path::PathBuf;

use serde::Serialize;

use crate::error::Error;
use crate::msg;
use crate::t;
use crate::ui::{self, Tone};
use crate::verify::{self, ClusterInfo, Kube, Options, Phase, PhaseReport};

use super::{Context, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab: a content path (networking/network-policies), a page, or a prepare-environment id.
    pub lab: String,
    /// Only the hooks of this page (its path in the lab or in the locale, with or without .md).
    #[arg(long, value_name = "PAGE")]
    pub page: Option<String>,
    /// Which expectations to evaluate: those checked before a block runs, or after.
    #[arg(long, value_enum, default_value_t = Phase::After)]
    pub phase: Phase,
    /// Poll each expectation until its timeout instead of looking once.
    #[arg(long)]
    pub wait: bool,
    /// The kubeconfig context to use.
    #[arg(long, value_name = "CONTEXT")]
    pub context: Option<String>,
    /// The kubeconfig file to use.
    #[arg(long, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub use super::TextOrJson as Format;

pub const SCHEMA: &str = "labrun.verify/v1";

/// The JSON form of `labrun verify` (schema `labrun.verify/v1`).
#[derive(Serialize)]
pub struct Report<'a> {
    pub schema: &'static str,
    pub lab: &'a str,
    pub locale: &'a str,
    pub phase: Phase,
    pub cluster: &'a ClusterInfo,
    pub passed: bool,
    pub totals: Totals,
    pub hooks: &'a [PhaseReport],
}

#[derive(Serialize)]
pub struct Totals {
    pub hooks: usize,
    pub expectations: usize,
    pub failed: usize,
}

pub fn exec(ctx: &Context, args: &Args) -> Result<u8, Error> {
    let project = &ctx.project;
    let target = ctx.lab_target(&args.lab)?;
    let tree = project.load(&target.locale)?;
    let lab = tree.lab(&target.name)?;
    crate::check::gate(&ctx.project, &lab.pages, Vec::new())?;
    let pages = verify::select_pages(&lab, args.page.as_deref());
    if let Some(p) = &args.page
        && pages.is_empty()
    {
        let names: Vec<&str> = lab.pages.iter().map(|p| p.rel.as_str()).collect();
        return Err(Error::Usage(msg!(
            "verify-unknown-page",
            page = p.as_str(),
            pages = names.join(", ")
        )));
    }
    let hooks = verify::declarative_hooks(project, &pages);
    let specs = verify::load_specs(
        hooks.iter().map(|h| h.file.as_path()),
        &project.config.variables,
    )
    .map_err(|diagnostics| Error::Content { diagnostics })?;
    let selected: Vec<_> = hooks
        .iter()
        .filter(|h| !specs[&h.file].phase(args.phase).is_empty())
        .collect();
    if selected.is_empty() {
        return Err(Error::Usage(msg!(
            "verify-nothing",
            lab = display_lab(&lab.id),
            phase = args.phase.key()
        )));
    }

    let kube = Kube::new(args.kubeconfig.clone(), args.context.clone());
    let cluster = verify::preflight::check(&kube).map_err(|e| {
        Error::Usage(msg!(
            "verify-preflight-failed",
            problem = crate::i18n::sentence(&e.message().text(), crate::i18n::lang())
        ))
    })?;

    let color = ui::color_enabled(false);
    let text = args.format == Format::Text;
    if text {
        ui::println(&ui::paint(
            color,
            Tone::Bold,
            &t!(
                "verify-header",
                lab = display_lab(&lab.id),
                phase = args.phase.key(),
                context = cluster.context.as_deref().unwrap_or("-"),
                server = cluster.server.as_deref().unwrap_or("-"),
                version = cluster.version.as_str()
            ),
        ));
    }
    let options = Options {
        wait: args.wait,
        ..Options::default()
    };
    let mut reports = Vec::new();
    for hook in selected {
        let report = verify::evaluate_phase(
            &kube,
            &specs[&hook.file],
            args.phase,
            hook.origin(project),
            &options,
        );
        if text {
            ui::print(&verify::eval::render(&report, color));
        }
        reports.push(report);
    }
    let totals = Totals {
        hooks: reports.len(),
        expectations: reports.iter().map(|r| r.outcomes.len()).sum(),
        failed: reports.iter().map(|r| r.failures().count()).sum(),
    };
    let passed = totals.failed == 0;
    match args.format {
        Format::Json => {
            let report = Report {
                schema: SCHEMA,
                lab: &lab.id,
                locale: &lab.locale,
                phase: args.phase,
                cluster: &cluster,
                passed,
                totals,
                hooks: &reports,
            };
            ui::print_data(
                &(serde_json::to_string_pretty(&report).expect("a report serializes") + "\n"),
            );
        }
        Format::Text => {
            let summary = t!(
                "verify-summary",
                hooks = totals.hooks,
                expectations = totals.expectations,
                failed = totals.failed
            );
            let tone = if passed { Tone::Good } else { Tone::Error };
            ui::println(&ui::paint(color, tone, &summary));
        }
    }
    Ok(if passed { exit::OK } else { exit::FAILED })
}

fn display_lab(id: &str) -> String {
    if id.is_empty() {
        ".".to_owned()
    } else {
        id.to_owned()
    }
}
