//! `labrun plan <lab>`.

use crate::error::Error;
use crate::plan::{self, Plan};
use crate::ui;

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
    crate::run::gate::check(&ctx.project, &labs, &ctx.project.config.variables, false)?;
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
                .map(|p| plan::text(p, ui::color_enabled(false)))
                .collect();
            ui::print(&texts.join("\n"));
        }
    }
    Ok(exit::OK)
}
