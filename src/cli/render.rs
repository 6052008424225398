//! `labrun render PAGE|LAB [--html OUT_DIR] [--var KEY=VALUE]…`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::content::Tree;
use crate::error::Error;
use crate::model::Lab;
use crate::msg;
use crate::render::{Renderer, html, terminal};
use crate::t;
use crate::ui;

use super::{Context, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// A page (getting-started/index.md) or a lab (networking/network-policies).
    pub target: String,
    /// Write a static HTML site for the lab into this directory instead of printing.
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
        match v.split_once('=') {
            Some((k, val))
                if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                out.insert(k.to_owned(), val.to_owned());
            }
            _ => return Err(Error::Usage(msg!("render-bad-var", value = v.as_str()))),
        }
    }
    Ok(out)
}

/// Terminal width for prose: `COLUMNS` when set, else 80.
fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w >= 20)
        .unwrap_or(80)
}

pub fn exec(ctx: &Context, args: &Args) -> Result<u8, Error> {
    let vars = parse_vars(&args.vars)?;
    let project = &ctx.project;
    // The HTML site carries every language the lab exists in; the terminal
    // shows one, or each with `--lang all`.
    let (shown, name) = super::lab_locales(ctx, &args.target)?;
    let mut trees: Vec<Tree> = Vec::new();
    for l in &shown {
        trees.push(project.load(l)?);
    }
    if args.html.is_some() {
        for l in &project.config.locales {
            if !shown.contains(l) && project.config.locale_root(l).is_dir() {
                trees.push(project.load(l)?);
            }
        }
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
    match &args.html {
        Some(out) => {
            let written = html::write_site(&renderer, &labs, out, &mut diags)?;
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
        }
        None => {
            let opts = terminal::Options {
                color: ui::color_enabled(false),
                width: width(),
            };
            let mut out = String::new();
            let pages: Vec<&crate::model::Page> = labs
                .iter()
                .filter(|l| shown.contains(&l.locale))
                .flat_map(|l| &l.pages)
                .collect();
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
            ui::print(&out);
        }
    }
    // The project's policy decides, as in every command.
    let pages: std::collections::HashMap<&std::path::Path, &crate::model::Page> = labs
        .iter()
        .flat_map(|l| &l.pages)
        .map(|p| (p.file.as_path(), p))
        .collect();
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
