//! `labrun time <lab>`: how `::required-time` comes to its figure.

use crate::error::Error;
use crate::msg;
use crate::render::RequiredTime;
use crate::render::time::{self, Durations};
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
    let durations = Durations::load(&ctx.project.config.durations_file())?;
    let mut texts = Vec::new();
    let mut times = Vec::new();
    for lab in super::labs_in_locales(ctx, &args.lab)? {
        let rt = required_time(ctx, &lab, durations.as_ref())?;
        texts.push(time::breakdown(&rt, &lab.title, ui::color_enabled(false)));
        times.push(rt);
    }
    let out = match args.format {
        // One breakdown; with `--lang all`, an array of them.
        Format::Json if ctx.all_locales() => {
            serde_json::to_string_pretty(&times).expect("a required time serializes") + "\n"
        }
        Format::Json => {
            serde_json::to_string_pretty(&times[0]).expect("a required time serializes") + "\n"
        }
        Format::Text => texts.join("\n"),
    };
    match args.format {
        Format::Json => ui::print_data(&out),
        Format::Text => ui::print(&out),
    }
    Ok(exit::OK)
}

fn required_time(
    ctx: &Context,
    lab: &crate::model::Lab,
    durations: Option<&Durations>,
) -> Result<RequiredTime, Error> {
    let estimate = match time::lab_estimate(lab) {
        Some((page, line, value)) => Some(time::parse_estimate(value).map_err(|e| {
            Error::Usage(msg!(
                "time-bad-estimate",
                file = ctx.project.display_path(&page.file),
                line = line,
                value = e.value
            ))
        })?),
        None => None,
    };
    Ok(time::required_time(&ctx.project, lab, durations, estimate))
}
