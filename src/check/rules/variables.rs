//! `VAR::NAME` placeholders need a value under `variables` in labrun.yaml.

use crate::diag::Diagnostic;
use crate::model::Page;
use crate::msg;

use super::super::Ctx;
use super::finding;

pub fn check(ctx: &Ctx<'_>, page: &Page, out: &mut Vec<Diagnostic>) {
    for v in &page.variables {
        if ctx
            .config
            .variables
            .get(&v.name)
            .is_some_and(|value| !value.is_empty())
        {
            continue;
        }
        out.push(finding(
            "reference/unknown-variable",
            &page.file,
            v.pos.line,
            v.pos.col,
            msg!("check-reference-unknown-variable", name = v.name.as_str()),
        ));
    }
}
