//! Directives: names outside the allowed list (`check.directives`) and
//! required attributes.
//!
//! Microsoft Docs' triple-colon extensions look like container directives
//! but are not: `:::image type="content" source="…":::` closes on its own
//! line, and `:::zone pivot="…"` … `:::zone-end` closes with a `-end` line.
//! They are valid content: the parser closes them and marks them
//! (`Directive::docs_extension`), and this rule does not report their names.

use crate::diag::Diagnostic;
use crate::model::Page;
use crate::msg;

use super::super::Ctx;
use super::finding;

/// Attributes a directive cannot do without.
const REQUIRED: &[(&str, &[&str])] = &[("yaml", &["file"])];

pub fn check(ctx: &Ctx<'_>, page: &Page, out: &mut Vec<Diagnostic>) {
    let allowed = &ctx.config.check.directives;
    for d in &page.directives {
        if !allowed.iter().any(|a| a == &d.name) {
            if d.docs_extension {
                continue;
            }
            let suggestion = allowed
                .iter()
                .map(|a| (strsim::jaro_winkler(&d.name, a), a))
                .filter(|(s, _)| *s >= 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, a)| a.as_str());
            let message = match suggestion {
                Some(s) => msg!(
                    "check-directive-unknown-suggest",
                    name = d.name.as_str(),
                    suggestion = s
                ),
                None => msg!(
                    "check-directive-unknown",
                    name = d.name.as_str(),
                    allowed = allowed.join(", ")
                ),
            };
            out.push(finding(
                "directive/unknown",
                &page.file,
                d.pos.line,
                d.pos.col,
                message,
            ));
            continue;
        }
        for (_, attrs) in REQUIRED.iter().filter(|(n, _)| *n == d.name) {
            for attr in attrs.iter().filter(|a| d.attr(a).is_none()) {
                out.push(finding(
                    "directive/missing-attribute",
                    &page.file,
                    d.pos.line,
                    d.pos.col,
                    msg!(
                        "check-directive-missing-attribute",
                        name = d.name.as_str(),
                        attr = *attr
                    ),
                ));
            }
        }
    }
}

/// A `bad-attribute-value` finding for an attribute that must be a whole
/// number, with the column of the attribute when the line can be read.
pub(crate) fn bad_number(
    ctx: &Ctx<'_>,
    page: &Page,
    d: &crate::model::Directive,
    attr: &str,
    value: &str,
) -> Diagnostic {
    let expected = crate::t!("check-expected-whole-number");
    bad_value(ctx, page, d, attr, value, &expected)
}

/// A `bad-attribute-value` finding saying what the attribute must be.
pub(crate) fn bad_value(
    ctx: &Ctx<'_>,
    page: &Page,
    d: &crate::model::Directive,
    attr: &str,
    value: &str,
    expected: &str,
) -> Diagnostic {
    let col = ctx
        .source_line(page, d.pos.line)
        .and_then(|l| super::col_of(&l, &format!("{attr}="), 0))
        .unwrap_or(d.pos.col);
    finding(
        "directive/bad-attribute-value",
        &page.file,
        d.pos.line,
        col,
        msg!(
            "check-directive-bad-attribute-value",
            attr = attr,
            value = value,
            expected = expected
        ),
    )
}
