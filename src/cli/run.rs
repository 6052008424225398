//! `labrun run <lab>` / `labrun run --all`: run labs and report to CI.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::durations::Durations;
use crate::error::Error;
use crate::model::{Lab, Page};
use crate::msg;
use crate::run::progress::{self, Console, Expectations};
use crate::run::report::{LabReport, RunReport, Status};
use crate::run::runner::{self, Cluster, FromBlock, Runner, Settings};
use crate::run::{Stop, procs, shard, workshop_labs};
use crate::t;
use crate::ui::{self, Tone};
use crate::verify::{self, Kube};

use super::{Context, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab: a content path (networking/network-policies), a page, or a prepare-environment id.
    pub lab: Option<String>,
    /// Run every lab of the workshop (with --lang en|ja|all).
    #[arg(long, conflicts_with = "lab")]
    pub all: bool,
    /// Run only shard K of N (with --all), balanced by recorded durations.
    #[arg(long, value_name = "K/N", requires = "all")]
    pub shard: Option<String>,
    /// Print the plan with expected durations; execute nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The form of --dry-run's output.
    #[arg(long, value_enum, default_value_t = super::TextOrJson::Text, requires = "dry_run")]
    pub format: super::TextOrJson,
    /// Stop at the first failure.
    #[arg(long)]
    pub bail: bool,
    /// Start at this page (and block line), skipping what comes before.
    #[arg(long, value_name = "PAGE[:LINE]")]
    pub from: Option<String>,
    /// Resume the run logged in DIR: from the first page that did not pass (or --from), with the shell state saved after the page before it.
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,
    /// Run only the pages whose path matches.
    #[arg(long, value_name = "GLOB")]
    pub only: Option<String>,
    /// Seconds a block may run without its own timeout=.
    #[arg(long, value_name = "SECONDS", value_parser = crate::limits::timeout_flag)]
    pub timeout: Option<u64>,
    /// Seconds a hook may run without its block's hookTimeout=.
    #[arg(long, value_name = "SECONDS", value_parser = crate::limits::timeout_flag)]
    pub hook_timeout: Option<u64>,
    /// A value for VAR::KEY (repeatable; wins over labrun.yaml).
    #[arg(long = "var", value_name = "KEY=VALUE")]
    pub vars: Vec<String>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "PATH")]
    pub report_junit: Option<PathBuf>,
    /// Write the JSON report here.
    #[arg(long, value_name = "PATH")]
    pub report_json: Option<PathBuf>,
    /// Merge each passed page's duration (ms) into this JSON file.
    #[arg(long, value_name = "PATH")]
    pub record_durations: Option<PathBuf>,
    /// Where block output goes (default: a new temporary directory).
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
    /// Stream each block's output as it runs.
    #[arg(long, short)]
    pub verbose: bool,
    /// Show each block and ask: run, skip or quit.
    #[arg(long)]
    pub step: bool,
    /// The kubeconfig context for labrun, the blocks and the hooks.
    #[arg(long, value_name = "CONTEXT")]
    pub context: Option<String>,
    /// The kubeconfig file for labrun, the blocks and the hooks.
    #[arg(long, value_name = "PATH")]
    pub kubeconfig: Option<PathBuf>,
    /// Snapshot the cluster before each lab and after its cleanup, and report what it left behind.
    #[arg(long)]
    pub check_leaks: bool,
    /// Compare every command's output with the sample the page shows after it (as verifyOutput=true does for one block).
    #[arg(long)]
    pub verify_output: bool,
}

fn usage(m: crate::i18n::Msg) -> Error {
    Error::Usage(m)
}

/// Expected ms of a page ([`crate::timing`]).
fn expected_ms(page: &Page, recorded: &Durations) -> u64 {
    crate::timing::page_expected(page, recorded).0
}

/// `LABRUN_WAIT_SCALE`: a number from 0 to 1 that every `wait=` pause is
/// multiplied by, so that tests against a simulated cluster, which settles
/// at once, do not sleep through waits meant for a real one.
fn wait_scale(value: Option<&str>) -> Result<f64, Error> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(1.0);
    };
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(usage(msg!("run-bad-wait-scale", value = text))),
    }
}

fn find_bash() -> Option<PathBuf> {
    crate::run::requires::find_program("bash")
}

/// `PAGE[:LINE]` against the labs to run: the page by path within its
/// locale (with or without `.md`), by file path, or by a unique ending; the
/// line must fall within a runnable block.
fn resolve_from(
    spec: &str,
    labs: &[Lab],
    project: &crate::content::Project,
) -> Result<FromBlock, Error> {
    let (page_spec, line) = match spec.rsplit_once(':') {
        Some((p, l)) if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) => (
            p,
            Some(
                l.parse::<u32>()
                    .map_err(|_| usage(msg!("run-from-unknown-page", page = spec)))?,
            ),
        ),
        _ => (spec, None),
    };
    let want = page_spec.trim_start_matches("./");
    let pages: Vec<&Page> = labs.iter().flat_map(|l| l.pages.iter()).collect();
    let exact: Vec<&&Page> = pages
        .iter()
        .filter(|p| {
            p.rel == want || p.rel == format!("{want}.md") || project.display_path(&p.file) == want
        })
        .collect();
    let matches: Vec<&&Page> = if exact.is_empty() {
        pages
            .iter()
            .filter(|p| {
                p.rel.ends_with(&format!("/{want}")) || p.rel.ends_with(&format!("/{want}.md"))
            })
            .collect()
    } else {
        exact
    };
    let page = match matches.as_slice() {
        [p] => **p,
        [p, rest @ ..] if rest.iter().all(|q| q.rel == p.rel) => **p,
        [] => {
            return Err(usage(msg!("run-from-unknown-page", page = page_spec)));
        }
        many => {
            let names: Vec<String> = many.iter().map(|p| p.rel.clone()).collect();
            return Err(usage(msg!(
                "run-from-ambiguous",
                page = page_spec,
                matches = names.join(", ")
            )));
        }
    };
    let line = match line {
        None => None,
        Some(l) => {
            let block = page
                .runnable_blocks()
                .find(|b| b.line <= l && l <= b.end_line)
                .ok_or_else(|| {
                    usage(msg!(
                        "run-from-no-block",
                        file = project.display_path(&page.file),
                        line = l
                    ))
                })?;
            Some(block.line)
        }
    };
    Ok(FromBlock {
        locale: page.locale.clone(),
        page: page.rel.clone(),
        line,
    })
}

pub fn exec(ctx: &Context, args: &Args) -> Result<u8, Error> {
    let config = &ctx.project.config;
    if args.lab.is_none() && !args.all {
        return Err(usage(msg!("run-no-lab")));
    }
    // A lab argument may be a path typed from here, which picks its locale.
    let (locales, name) = match &args.lab {
        Some(arg) => {
            let (locales, name) = super::lab_locales(ctx, arg)?;
            (locales, Some(name))
        }
        None => (ctx.content_locales()?, None),
    };

    // The labs, in run order, before sharding.
    let mut labs: Vec<Lab> = Vec::new();
    for locale in &locales {
        let tree = ctx.project.load(locale)?;
        match &name {
            // With `--lang all`, a lab not translated into a locale yet is
            // run where it exists.
            Some(name) => match tree.lab(name) {
                Ok(lab) => labs.push(lab),
                Err(Error::UnknownLab { .. })
                    if ctx.all_locales() && *locale != config.source_locale => {}
                Err(e) => return Err(e),
            },
            None => labs.extend(workshop_labs(&tree)),
        }
    }
    let mut variables = config.variables.clone();
    for kv in &args.vars {
        match kv.split_once('=') {
            Some((k, v))
                if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                variables.insert(k.to_owned(), v.to_owned());
            }
            _ => return Err(usage(msg!("run-bad-var", value = kv.as_str()))),
        }
    }
    let only = match &args.only {
        Some(g) => Some(glob::Pattern::new(g).map_err(|e| {
            usage(msg!(
                "run-bad-glob",
                glob = g.as_str(),
                detail = e.to_string()
            ))
        })?),
        None => None,
    };
    if let Some(p) = &only {
        let any = labs.iter().any(|l| {
            l.pages.iter().any(|pg| {
                let in_lab = pg
                    .rel
                    .strip_prefix(&format!("{}/", l.id))
                    .unwrap_or(&pg.rel);
                p.matches(&pg.rel) || p.matches(in_lab)
            })
        });
        if !any {
            return Err(usage(msg!("run-only-matches-nothing", glob = p.as_str())));
        }
    }
    let from = match &args.from {
        Some(spec) => Some(resolve_from(spec, &labs, &ctx.project)?),
        None => None,
    };

    // Recorded durations: for the ETA, --dry-run and --shard.
    let durations_path = config.durations_file();
    let mut recorded = Durations::load(&durations_path)?;
    if let Some(p) = &args.record_durations {
        // A broken file is found before anything runs, not after.
        let target = Durations::load(p)?;
        recorded = recorded.or(target);
    }
    let recorded = recorded.unwrap_or_default();

    // Sharding.
    let mut units: Vec<(usize, Lab)> = labs.into_iter().enumerate().collect();
    let shard_label = match &args.shard {
        Some(spec) => {
            let (k, n) = shard::parse(spec)
                .ok_or_else(|| usage(msg!("run-bad-shard", shard = spec.as_str())))?;
            let est: Vec<u64> = units
                .iter()
                .map(|(_, l)| {
                    l.pages
                        .iter()
                        .map(|p| expected_ms(p, &recorded))
                        .fold(0, u64::saturating_add)
                })
                .collect();
            let mine = &shard::assign(&est, n)[k - 1];
            units = units
                .into_iter()
                .enumerate()
                .filter(|(i, _)| mine.contains(i))
                .map(|(_, u)| u)
                .collect();
            Some(format!("{k}/{n}"))
        }
        None => None,
    };

    // What the run would refuse, under the project's policy: the pages'
    // own findings and what the preflight finds, for the labs of this shard.
    {
        let run_labs: Vec<Lab> = units.iter().map(|(_, l)| l.clone()).collect();
        super::gate(
            &ctx.project,
            run_labs
                .iter()
                .flat_map(|l| l.pages.iter())
                .filter(|p| p.runs()),
            runner::preflight(&ctx.project, &run_labs, &variables, args.verify_output),
        )?;
    }

    let settings_timeout = args.timeout.unwrap_or(config.timeouts.block);
    let hook_timeout = args.hook_timeout.unwrap_or(config.timeouts.hook);

    if args.dry_run {
        let d = crate::run::dry_run::build(
            &ctx.project,
            &units,
            &recorded,
            shard_label.as_deref(),
            &variables,
        );
        match args.format {
            super::TextOrJson::Json => ui::print_data(
                &(serde_json::to_string_pretty(&d).expect("a dry run serializes") + "\n"),
            ),
            super::TextOrJson::Text => progress::say(
                crate::run::dry_run::text(&d, ui::color_enabled(false)).trim_end_matches('\n'),
            ),
        }
        return Ok(exit::OK);
    }

    let bash = find_bash().ok_or_else(|| usage(msg!("run-no-bash")))?;
    let settings_from = from.clone();
    let mut settings = Settings {
        bash,
        log_dir: PathBuf::new(),
        work_root: PathBuf::new(),
        block_timeout: settings_timeout,
        hook_timeout,
        variables,
        bail: args.bail,
        from,
        only,
        step: args.step,
        verbose: args.verbose,
        env: Vec::new(),
        cluster: None,
        check_leaks: args.check_leaks,
        wait_scale: wait_scale(std::env::var("LABRUN_WAIT_SCALE").ok().as_deref())?,
        verify_output: args.verify_output,
        resume: match &args.resume {
            Some(dir) => Some(crate::run::resume::resume(
                dir,
                units.iter().map(|(_, l)| l),
                settings_from.as_ref(),
            )?),
            None => None,
        },
    };
    // Everything that can refuse the run comes before anything is created.
    let run_labs: Vec<Lab> = units.iter().map(|(_, l)| l.clone()).collect();
    crate::run::requires::check(&ctx.project, &run_labs)?;
    let mut specs = std::collections::BTreeMap::new();
    for (_, lab) in &units {
        specs.extend(
            verify::load_lab_hooks(&ctx.project, lab, &settings.variables)
                .map_err(|diagnostics| Error::Content { diagnostics })?,
        );
    }
    let kube = Kube::new(args.kubeconfig.clone(), args.context.clone());
    let needs_cluster = |l: &Lab| verify::preflight::lab_needs_kubectl(&ctx.project, l);
    // Labs the preflight keeps from running: with --all, a missing cluster
    // fails only the labs that need one, and the others run.
    let mut not_run: Vec<(LabReport, Lab)> = Vec::new();
    let cluster_info = if args.check_leaks || units.iter().any(|(_, l)| needs_cluster(l)) {
        match verify::preflight::check(&kube) {
            Ok(info) => Some(info),
            Err(e) if args.all && !args.check_leaks => {
                let why = e.message().text();
                let (blocked, free): (Vec<_>, Vec<_>) =
                    units.into_iter().partition(|(_, l)| needs_cluster(l));
                units = free;
                for (order, lab) in blocked {
                    let files: Vec<String> = lab
                        .pages
                        .iter()
                        .map(|p| ctx.project.display_path(&p.file))
                        .collect();
                    not_run.push((LabReport::not_run(order, &lab, &files, why.clone()), lab));
                }
                None
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    let lab_list: Vec<Lab> = units.iter().map(|(_, l)| l.clone()).collect();
    let needs_cluster = cluster_info.is_some();

    let log_dir = match &args.log_dir {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
            d.canonicalize().map_err(|e| Error::io(d, e))?
        }
        None => tempfile::Builder::new()
            .prefix("labrun-logs-")
            .tempdir()
            .map_err(|e| Error::io(&std::env::temp_dir(), e))?
            .keep(),
    };
    let work = tempfile::Builder::new()
        .prefix("labrun-work-")
        .tempdir()
        .map_err(|e| Error::io(&std::env::temp_dir(), e))?;
    settings.log_dir = log_dir.clone();
    settings.work_root = work.path().to_owned();
    // Blocks and hooks use the same kubeconfig and context as labrun.
    settings.env = kube
        .env(work.path())
        .map_err(|e| Error::io(work.path(), e))?
        .into_iter()
        .map(|(k, v)| (k, v.to_string_lossy().into_owned()))
        .collect();
    if needs_cluster {
        settings.cluster = Some(Cluster { kube, specs });
    }

    let stop = Stop::new().map_err(|e| Error::io(Path::new("."), e))?;
    stop.install_signals()
        .map_err(|e| Error::io(Path::new("."), e))?;
    procs::become_subreaper();

    let mut expect = Expectations::default();
    for (_, lab) in &units {
        for p in lab.pages.iter().filter(|p| p.runs()) {
            let ms = expected_ms(p, &recorded);
            expect.total_ms = expect.total_ms.saturating_add(ms);
            expect
                .pages
                .insert(Durations::key(&p.rel), (ms, p.runnable_blocks().count()));
        }
    }
    let mut console = Console::new(expect, args.verbose);
    if let Some(info) = &cluster_info {
        console.println(&t!(
            "run-cluster",
            context = info.context.as_deref().unwrap_or("-"),
            server = info.server.as_deref().unwrap_or("-"),
            version = info.version.as_str()
        ));
    }
    for (r, _) in &not_run {
        console.println(&ui::paint(
            ui::color_enabled(true),
            Tone::Error,
            &t!(
                "run-lab-no-cluster",
                lab = if r.lab.is_empty() {
                    "."
                } else {
                    r.lab.as_str()
                },
                locale = r.locale.as_str(),
                reason = r.preflight.as_deref().unwrap_or("")
            ),
        ));
    }
    let mut reports = Vec::new();
    let result = {
        let mut runner = Runner::new(&ctx.project, &settings, stop.clone(), &mut console);
        let mut result = Ok(());
        for (order, lab) in &units {
            if runner.interrupted() {
                break;
            }
            match runner.run_lab(*order, lab) {
                Ok(r) => reports.push(r),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        (result, runner.interrupted())
    };
    let (result, interrupted) = result;
    console.finish();
    procs::kill_own_descendants(Duration::from_secs(1));
    result?;

    // Labs that did not run take their place in run order.
    let mut ran: Vec<(LabReport, Lab)> = reports.into_iter().zip(lab_list).collect();
    ran.extend(not_run);
    ran.sort_by_key(|(r, _)| r.order);
    let (reports, lab_list): (Vec<LabReport>, Vec<Lab>) = ran.into_iter().unzip();
    let preflight_failed = reports.iter().any(|r| r.preflight.is_some());
    let report = RunReport::new(
        reports,
        interrupted,
        shard_label,
        Some(log_dir.to_string_lossy().into_owned()),
    );
    write_reports(args, &report, &lab_list)?;
    print_summary(&console, &report, args);
    if !report.failed() && !interrupted {
        // A passing run leaves no work files behind; a failing one keeps
        // them for a look (the summary names the directory).
        let _ = work.close();
    } else {
        let kept = work.keep();
        console.println(&format!("{} {}", t!("run-summary-work"), kept.display()));
    }
    Ok(if interrupted {
        exit::INTERRUPTED
    } else if preflight_failed {
        // Labs that need a cluster could not run: as for one such lab.
        exit::USAGE
    } else if report.failed() {
        exit::FAILED
    } else {
        exit::OK
    })
}

fn write_reports(args: &Args, report: &RunReport, labs: &[Lab]) -> Result<(), Error> {
    if let Some(p) = &args.report_json {
        let text = serde_json::to_string_pretty(report).expect("a report serializes") + "\n";
        write_file(p, &text)?;
    }
    if let Some(p) = &args.report_junit {
        let text = report
            .junit()
            .to_string()
            .map_err(|e| Error::io(p, std::io::Error::other(e.to_string())))?;
        write_file(p, &text)?;
    }
    if let Some(p) = &args.record_durations {
        let mut new = Vec::new();
        for (lab, lr) in labs.iter().zip(&report.labs) {
            for (page, pr) in lab.pages.iter().zip(&lr.pages) {
                let ran = pr.blocks.iter().any(|b| b.status != Status::Skipped);
                let whole = pr.blocks.iter().all(|b| {
                    b.status == Status::Passed
                        || b.status == Status::Warning
                        || b.skip_reason == Some(crate::run::report::SkipReason::TestFalse)
                });
                if ran && whole {
                    new.push((page.rel.clone(), pr.duration_ms));
                }
            }
        }
        Durations::merge_into(p, new)?;
    }
    Ok(())
}

pub(crate) fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    Ok(crate::files::write_atomic(path, text.as_bytes())?)
}

fn print_summary(console: &Console, report: &RunReport, args: &Args) {
    let color = ui::color_enabled(false);
    let t = &report.totals;
    let status = if report.interrupted {
        ui::paint(color, Tone::Error, &t!("run-status-interrupted"))
    } else {
        ui::paint(
            color,
            if report.failed() {
                Tone::Error
            } else {
                Tone::Good
            },
            &progress::status_word(report.status),
        )
    };
    console.println("");
    console.println(&format!(
        "{status}: {}",
        t!(
            "run-summary",
            labs = t.labs,
            blocks = t.blocks,
            passed = t.passed,
            failed = t.failed,
            timed_out = t.timed_out,
            skipped = t.skipped,
            warnings = t.warnings,
            duration = progress::human_ms(t.duration_ms)
        )
    ));
    for lab in &report.labs {
        for page in &lab.pages {
            for b in page.blocks.iter().filter(|b| b.status.is_failure()) {
                console.println(&format!(
                    "  {} {}:{}",
                    ui::paint(color, Tone::Error, "✗"),
                    page.file,
                    b.line
                ));
            }
        }
        for h in lab.suite_hooks.iter().filter(|h| h.status.is_failure()) {
            console.println(&format!(
                "  {} {} {}",
                ui::paint(color, Tone::Error, "✗"),
                h.file,
                h.phase
            ));
        }
    }
    if let Some(d) = &report.log_dir {
        console.println(&format!("{} {d}", t!("run-summary-logs")));
    }
    if let Some(p) = &args.report_json {
        console.println(&format!("{} {}", t!("run-summary-json"), p.display()));
    }
    if let Some(p) = &args.report_junit {
        console.println(&format!("{} {}", t!("run-summary-junit"), p.display()));
    }
    if let Some(p) = &args.record_durations {
        console.println(&format!("{} {}", t!("run-summary-durations"), p.display()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn wait_scale_is_a_fraction() {
        assert_eq!(wait_scale(None).unwrap(), 1.0);
        assert_eq!(wait_scale(Some("")).unwrap(), 1.0);
        assert_eq!(wait_scale(Some("0")).unwrap(), 0.0);
        assert_eq!(wait_scale(Some(" 0.01 ")).unwrap(), 0.01);
        for bad in ["2", "-1", "fast", "NaN", "inf"] {
            let Err(Error::Usage(m)) = wait_scale(Some(bad)) else {
                panic!("{bad} is refused");
            };
            for lang in [Lang::En, Lang::Ja] {
                let text = m.text_in(lang);
                assert!(text.contains(&format!("LABRUN_WAIT_SCALE={bad}")), "{text}");
            }
        }
    }
}
