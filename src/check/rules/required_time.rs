//! `::required-time`: the lab has recorded durations, or the directive gives
//! `estimatedLabExecutionTimeMinutes`.

use crate::diag::Diagnostic;
use crate::model::Page;
use crate::msg;

use super::super::Ctx;
use super::finding;

const ESTIMATE: &str = "estimatedLabExecutionTimeMinutes";

pub fn check(ctx: &Ctx<'_>, page: &Page, out: &mut Vec<Diagnostic>) {
    for d in page.directives.iter().filter(|d| d.name == "required-time") {
        if let Some(v) = d.attr(ESTIMATE) {
            // The same verdict as `render` and `time`.
            if let Err(e) = crate::limits::estimate_minutes(v) {
                out.push(super::directives::bad_value(
                    ctx,
                    page,
                    d,
                    ESTIMATE,
                    v,
                    &e.expected,
                ));
            }
            continue;
        }
        // The lab is the directory the page belongs to, the same for every
        // locale; durations are keyed `/<lab>/<page>.md`.
        let lab = page.dir();
        // An unreadable durations file is its own finding
        // (`required-time/bad-durations-file`), not one per page.
        if !matches!(ctx.durations, super::super::Durations::Invalid(..))
            && !ctx.durations.has_lab(lab)
        {
            out.push(finding(
                "required-time/no-duration",
                &page.file,
                d.pos.line,
                d.pos.col,
                msg!(
                    "check-required-time-no-duration",
                    lab = if lab.is_empty() { "." } else { lab },
                    file = ctx.config.durations.display().to_string()
                ),
            ));
        }
    }
}
