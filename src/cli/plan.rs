//! `labrun plan <lab>`.

use crate::error::Error;
use crate::plan::{self, Plan};
use crate::t;
use crate::ui::{self, Tone};

use super::{Context, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab: a content path (networking/network-policies), a page, or a prepare-environment id.
    pub lab: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub use super::TextOrJson as Format;

pub fn exec(ctx: &Context, args: &Args) -> Result<u8, Error> {
    let labs = super::labs_in_locales(ctx, &args.lab)?;
    // Plan refuses what a run of the labs would refuse.
    super::gate(
        &ctx.project,
        labs.iter().flat_map(|l| &l.pages).filter(|p| p.runs()),
        crate::run::runner::preflight(&ctx.project, &labs, &ctx.project.config.variables, false),
    )?;
    let vars = &ctx.project.config.variables;
    let plans: Vec<Plan> = labs
        .iter()
        .map(|l| plan::plan(&ctx.project, l, vars))
        .collect();
    match args.format {
        // One plan object; with `--lang all`, an array of them.
        Format::Json => ui::print_data(
            &(if ctx.all_locales() {
                serde_json::to_string_pretty(&plans)
            } else {
                serde_json::to_string_pretty(&plans[0])
            }
            .expect("a plan serializes")
                + "\n"),
        ),
        Format::Text => {
            let texts: Vec<String> = plans
                .iter()
                .map(|p| text(p, ui::color_enabled(false)))
                .collect();
            ui::print(&texts.join("\n"));
        }
    }
    Ok(exit::OK)
}

/// The plan for people.
pub fn text(plan: &Plan, color: bool) -> String {
    let mut out = String::new();
    let minutes = plan.totals.max_seconds.div_ceil(60);
    out.push_str(&ui::paint(
        color,
        Tone::Bold,
        &t!(
            "plan-header",
            title = plan.title.as_str(),
            lab = if plan.lab.is_empty() {
                ".".to_owned()
            } else {
                plan.lab.clone()
            },
            locale = plan.locale.as_str(),
            pages = plan.totals.pages,
            blocks = plan.totals.blocks,
            minutes = minutes
        ),
    ));
    out.push('\n');
    for (i, page) in plan.pages.iter().enumerate() {
        out.push_str(&format!(
            "{:>3}. {}  {}",
            i + 1,
            ui::paint(color, Tone::Bold, &page.title),
            ui::paint(color, Tone::Dim, &page.file)
        ));
        if let Some(why) = page.skipped {
            let text = if why == "orphan" {
                t!("plan-page-orphan")
            } else {
                t!("plan-page-notest")
            };
            out.push_str(&format!("  {}", ui::paint(color, Tone::Warning, &text)));
        }
        out.push('\n');
        for b in &page.blocks {
            let mut facts = vec![t!("plan-timeout", seconds = b.timeout)];
            if b.wait > 0 {
                facts.push(t!("plan-wait", seconds = b.wait));
            }
            if let Some(h) = &b.hook {
                facts.push(if h.file.is_some() || h.expectations.is_some() {
                    t!("plan-hook", name = h.name.as_str())
                } else {
                    t!("plan-hook-missing", name = h.name.as_str())
                });
            }
            if b.expect_error {
                facts.push(t!("plan-expect-error"));
            }
            if b.raw {
                facts.push(t!("plan-raw"));
            }
            if b.verify_output {
                facts.push(t!("plan-verify-output"));
            }
            if b.skip {
                facts.push(t!("plan-skip"));
            }
            out.push_str(&format!(
                "     {} {}  {}\n",
                ui::paint(color, Tone::Accent, &format!(":{}", b.line)),
                b.language,
                facts.join(", ")
            ));
            for c in &b.commands {
                // As it will run: VAR:: values are shell code, shown as such.
                for (n, line) in c.runs.lines().enumerate() {
                    let prompt = if n == 0 { "$ " } else { "  " };
                    out.push_str(&format!(
                        "       {}{}\n",
                        ui::paint(color, Tone::Dim, prompt),
                        ui::clean(line)
                    ));
                }
            }
        }
    }
    out
}
