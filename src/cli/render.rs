//! `labrun render PAGE|LAB [--html OUT_DIR] [--var KEY=VALUE]…`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::content::Tree;
use crate::error::Error;
use crate::model::Lab;
use crate::msg;
use crate::render::site::{self, Site};
use crate::render::{Renderer, terminal};
use crate::t;
use crate::ui;

use super::{Context, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A page (getting-started/index.md) or a lab (networking/network-policies); with --html and none, the whole workshop.
    pub target: Option<String>,
    /// Write a static HTML site into this directory instead of printing: the lab and the pages it links to, or the whole workshop.
    #[arg(long, value_name = "OUT_DIR")]
    pub html: Option<PathBuf>,
    /// Replace VAR::KEY with VALUE (overrides labrun.yaml's variables); repeatable.
    #[arg(long = "var", value_name = "KEY=VALUE")]
    pub vars: Vec<String>,
}

/// `KEY=VALUE` pairs; the key follows `labrun.yaml`'s variable name rule.
pub fn parse_vars(vars: &[String]) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for v in vars {
        let (k, val) = crate::config::variable_assignment(v)
            .ok_or_else(|| Error::Usage(msg!("render-bad-var", value = v.as_str())))?;
        out.insert(k.to_owned(), val.to_owned());
    }
    Ok(out)
}

pub fn exec(ctx: &Context, args: &Args) -> Result<u8, Error> {
    let vars = parse_vars(&args.vars)?;
    match &args.html {
        Some(out) => html_site(ctx, args, out, vars),
        None => terminal(ctx, args, vars),
    }
}

/// `--html`: the whole workshop without a target (or with `.`), else the
/// lab and what it links to; every locale with content either way.
fn html_site(
    ctx: &Context,
    args: &Args,
    out: &std::path::Path,
    vars: BTreeMap<String, String>,
) -> Result<u8, Error> {
    let project = &ctx.project;
    let whole = args.target.as_deref().is_none_or(|t| t == ".");
    let mut locales = project.config.locales.clone();
    locales.sort_by_key(|l| *l != project.config.source_locale);
    let mut trees: Vec<Tree> = Vec::new();
    for l in &locales {
        if *l == project.config.source_locale || project.config.locale_root(l).is_dir() {
            trees.push(project.load(l)?);
        }
    }
    let labs = match &args.target {
        Some(target) if !whole => {
            let (shown, name) = super::lab_locales(ctx, target)?;
            let first = trees
                .iter()
                .find(|t| t.locale == shown[0])
                .map(|t| t.lab(&name))
                .transpose()?;
            let mut labs: Vec<Lab> = first.into_iter().collect();
            for tree in trees.iter().filter(|t| t.locale != shown[0]) {
                if let Ok(l) = tree.lab(&name).or_else(|_| tree.lab(&labs[0].id)) {
                    labs.push(l);
                }
            }
            labs
        }
        _ => Vec::new(),
    };
    let tree_refs: Vec<&Tree> = trees.iter().collect();
    let site = if whole {
        Site::workshop(project, &tree_refs)
    } else {
        Site::lab(project, &tree_refs, &labs)
    };
    let mut diags: Vec<_> = site
        .pages()
        .flat_map(|p| p.diagnostics.iter().cloned())
        .collect();
    let renderer = Renderer::new(project, trees, &vars)?;
    let written = site::write(&renderer, &site, out, &mut diags)?;
    let pages = written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    ui::println(&t!(
        "render-wrote",
        pages = pages,
        dir = out.display().to_string(),
        index = out.join("index.html").display().to_string()
    ));
    let pages: Vec<&crate::model::Page> = site.pages().collect();
    finish(ctx, diags, &pages)
}

fn terminal(ctx: &Context, args: &Args, vars: BTreeMap<String, String>) -> Result<u8, Error> {
    let project = &ctx.project;
    let target = args
        .target
        .as_deref()
        .ok_or_else(|| Error::Usage(msg!("render-target-needed")))?;
    // One locale, or each with `--lang all`.
    let (shown, name) = super::lab_locales(ctx, target)?;
    let mut trees: Vec<Tree> = Vec::new();
    for l in &shown {
        trees.push(project.load(l)?);
    }
    let lab = trees[0].lab(&name)?;
    let mut labs: Vec<Lab> = vec![lab];
    for tree in &trees[1..] {
        if let Ok(l) = tree.lab(&name).or_else(|_| tree.lab(&labs[0].id)) {
            labs.push(l);
        }
    }
    let mut diags: Vec<_> = labs
        .iter()
        .flat_map(|l| &l.pages)
        .flat_map(|p| p.diagnostics.iter().cloned())
        .collect();
    let renderer = Renderer::new(project, trees, &vars)?;
    let opts = terminal::Options {
        color: ui::color_enabled(false),
        width: ui::terminal_width(false),
    };
    let mut out = String::new();
    let pages: Vec<&crate::model::Page> = labs.iter().flat_map(|l| &l.pages).collect();
    for (i, page) in pages.iter().enumerate() {
        let prepared = renderer.prepare(page, &mut diags)?;
        let header = (pages.len() > 1).then(|| {
            format!(
                "── {}/{} · {} ──",
                i + 1,
                pages.len(),
                project.display_path(&page.file)
            )
        });
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(&terminal::render_page(&prepared, header.as_deref(), opts));
    }
    // Cleaned for the terminal; a closed pipe (`| head`) ends it quietly.
    ui::print(&out);
    finish(ctx, diags, &pages)
}

/// Applies the project's policy to what rendering found, prints it, and
/// gives the exit code.
fn finish(
    ctx: &Context,
    diags: Vec<crate::diag::Diagnostic>,
    pages: &[&crate::model::Page],
) -> Result<u8, Error> {
    let project = &ctx.project;
    // The project's policy decides, as in every command.
    let pages: std::collections::HashMap<&std::path::Path, &crate::model::Page> =
        pages.iter().map(|p| (p.file.as_path(), *p)).collect();
    let diags = project
        .config
        .check
        .policy()
        .apply(diags, |f| pages.get(f).copied());
    ui::print_diagnostics(&diags);
    Ok(if diags.iter().any(|d| d.is_error()) {
        exit::FAILED
    } else {
        exit::OK
    })
}
