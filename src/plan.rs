//! `labrun plan`: the ordered pages and runnable blocks of a lab, with
//! nothing executed. The JSON form is a stable interface (schema
//! `labrun.plan/v1`, documented in the README) that later jobs and CI read.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::Project;
use crate::model::{Block, Lab, Page};
use crate::t;
use crate::ui::{self, Tone};

pub const SCHEMA: &str = "labrun.plan/v1";

#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    pub schema: &'static str,
    pub lab: String,
    pub locale: String,
    pub title: String,
    pub pages: Vec<PlanPage>,
    pub totals: Totals,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    pub pages: usize,
    /// Blocks that a run executes (not skipped).
    pub blocks: usize,
    pub commands: usize,
    /// The bound of a run in seconds ([`crate::timing`]): every block's
    /// timeout plus its wait, plus its hook's timeout for each phase.
    pub max_seconds: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct PlanPage {
    /// Path within the locale (`getting-started/index.md`).
    pub path: String,
    /// The file, relative to the project root.
    pub file: String,
    pub title: String,
    #[serde(serialize_with = "crate::model::serialize_opt_position")]
    pub position: Option<f64>,
    /// Why the page does not run (`notest`, `orphan`), if it does not.
    pub skipped: Option<&'static str>,
    pub blocks: Vec<PlanBlock>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PlanBlock {
    pub line: u32,
    pub end_line: u32,
    pub language: String,
    /// Container directives around the block, outermost first.
    pub containers: Vec<String>,
    /// `test=false`.
    pub skip: bool,
    /// Effective timeout in seconds (annotation, else the project default).
    pub timeout: u64,
    pub wait: u64,
    pub expect_error: bool,
    pub raw: bool,
    /// `verifyOutput=true`: the samples are compared with the output.
    pub verify_output: bool,
    pub hook: Option<PlanHook>,
    pub commands: Vec<PlanCommand>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PlanHook {
    pub name: String,
    /// The script `tests/hook-NAME.sh`, relative to the project root; `null` when missing.
    pub file: Option<String>,
    /// The declarative hook `tests/hook-NAME.yaml`; `null` when missing.
    pub expectations: Option<String>,
    pub timeout: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct PlanCommand {
    pub line: u32,
    /// As written in the page.
    pub text: String,
    /// As it will run: `VAR::NAME` placeholders replaced by their values
    /// (which are shell code, pasted in as they are); unknown names stay.
    pub runs: String,
    /// Sample output shown after the command in the page.
    pub output: Vec<String>,
}

/// Builds the plan of a lab; `vars` are the `VAR::NAME` values a run would
/// use (`labrun.yaml`, and `--var` for `run --dry-run`).
pub fn plan(project: &Project, lab: &Lab, vars: &BTreeMap<String, String>) -> Plan {
    let mut totals = Totals::default();
    let pages = lab
        .pages
        .iter()
        .map(|page| {
            let blocks: Vec<PlanBlock> = page
                .blocks
                .iter()
                .filter(|b| b.is_runnable())
                .map(|b| plan_block(project, page, b, vars))
                .collect();
            totals.pages += 1;
            if page.runs() {
                for b in blocks.iter().filter(|b| !b.skip) {
                    totals.blocks += 1;
                    totals.commands += b.commands.len();
                    totals.max_seconds =
                        totals
                            .max_seconds
                            .saturating_add(crate::timing::block_bound_seconds(
                                b.timeout,
                                b.wait,
                                b.hook.as_ref().map(|h| h.timeout),
                            ));
                }
            }
            PlanPage {
                path: page.rel.clone(),
                file: project.display_path(&page.file),
                title: page.title.clone(),
                position: page.position(),
                skipped: page.skip_reason(),
                blocks,
            }
        })
        .collect();
    Plan {
        schema: SCHEMA,
        lab: lab.id.clone(),
        locale: lab.locale.clone(),
        title: lab.title.clone(),
        pages,
        totals,
    }
}

fn plan_block(
    project: &Project,
    page: &Page,
    b: &Block,
    vars: &BTreeMap<String, String>,
) -> PlanBlock {
    let t = &project.config.timeouts;
    let a = &b.annotations;
    PlanBlock {
        line: b.line,
        end_line: b.end_line,
        language: b.lang.clone(),
        containers: b.containers.clone(),
        skip: !a.test,
        timeout: a.timeout.unwrap_or(t.block),
        wait: a.wait.unwrap_or(0),
        expect_error: a.expect_error,
        raw: a.raw,
        verify_output: a.verify_output,
        hook: a.hook.as_ref().map(|name| {
            let files = project.hook_files(page, name);
            PlanHook {
                name: name.clone(),
                file: files.script.map(|p| project.display_path(&p)),
                expectations: files.expectations.map(|p| project.display_path(&p)),
                timeout: a.hook_timeout.unwrap_or(t.hook),
            }
        }),
        commands: b
            .commands
            .iter()
            .map(|c| PlanCommand {
                line: c.line,
                text: c.text.clone(),
                runs: crate::config::substitute_vars(&c.text, vars),
                output: c.output.clone(),
            })
            .collect(),
    }
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
            lab = crate::model::lab_name(&plan.lab),
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
