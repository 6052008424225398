//! `labrun time <lab>`: how `::required-time` comes to its figure.

use crate::error::Error;
use crate::msg;
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
    let tree = ctx.project.load(&ctx.content_locale()?)?;
    let lab = tree.lab(&args.lab)?;
    let estimate = match time::lab_estimate(&lab) {
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
    let durations = Durations::load(&ctx.project.config.durations_file())?;
    let rt = time::required_time(&ctx.project, &lab, durations.as_ref(), estimate);
    let out = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&rt).expect("a required time serializes") + "\n"
        }
        Format::Text => time::breakdown(&rt, &lab.title, ui::color_enabled(false)),
    };
    let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
    Ok(exit::OK)
}
