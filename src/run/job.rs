//! A whole run, as `labrun run` asks for it: the labs chosen, everything
//! that can refuse the run checked before anything is created, then the
//! labs run one after the other, the reports written and the summary
//! shown. How it ended is an [`Outcome`]; the front end makes it an exit
//! code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tempfile::TempDir;

use crate::config::Config;
use crate::content::Project;
use crate::durations::Durations;
use crate::error::Error;
use crate::model::Lab;
use crate::msg;
use crate::verify::{self, Kube};

use super::cluster::{self, Cluster};
use super::progress::{Console, Expectations};
use super::report::{LabReport, Outputs, RunReport};
use super::runner::{Runner, Settings};
use super::select::{self, Only};
use super::{Stop, dry_run, from, gate, procs, requires, resume, shard, summary};

/// A run as asked for, in plain values: `labrun run`'s arguments, and
/// `LABRUN_WAIT_SCALE`.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The content locales to run in, in run order.
    pub locales: Vec<String>,
    /// The lab to run in each locale; `None` for every lab of the workshop
    /// (`--all`, where a missing cluster fails only the labs needing one).
    pub lab: Option<String>,
    /// `--lang all`: a lab not translated into a locale yet runs where it
    /// exists.
    pub all_locales: bool,
    /// `--shard K/N`.
    pub shard: Option<String>,
    /// `--dry-run`: the plan and the durations, printed so; nothing runs.
    pub dry_run: Option<dry_run::Format>,
    pub bail: bool,
    /// `--from PAGE[:LINE]`.
    pub from: Option<String>,
    /// `--resume DIR`.
    pub resume: Option<PathBuf>,
    /// `--only GLOB`.
    pub only: Option<String>,
    /// Seconds for blocks without `timeout=`; `None`: labrun.yaml's.
    pub block_timeout: Option<u64>,
    /// Seconds for hooks without `hookTimeout=`; `None`: labrun.yaml's.
    pub hook_timeout: Option<u64>,
    /// `--var KEY=VALUE`, as given.
    pub vars: Vec<String>,
    pub outputs: Outputs,
    /// `--log-dir`; `None`: a new temporary directory.
    pub log_dir: Option<PathBuf>,
    pub verbose: bool,
    pub step: bool,
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub check_leaks: bool,
    pub verify_output: bool,
    /// `LABRUN_WAIT_SCALE` as set ([`wait_scale`]).
    pub wait_scale: Option<String>,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `--dry-run`: nothing was executed.
    DryRun,
    Passed,
    /// A block, a hook or a lab's cleanup failed.
    Failed,
    /// Labs that need a cluster could not reach one and did not run.
    NoCluster,
    /// Ctrl-C, SIGTERM or SIGHUP ended the run.
    Interrupted,
}

/// Runs what `req` asks for in `project`. An error means nothing ran (or
/// the run could not go on); what failed in a lab is in the [`Outcome`].
pub fn run(project: &Project, req: &Request) -> Result<Outcome, Error> {
    let config = &project.config;
    let labs = select::labs(project, &req.locales, req.lab.as_deref(), req.all_locales)?;
    let variables = variables(&config.variables, &req.vars)?;
    let only = req
        .only
        .as_deref()
        .map(|g| Only::new(g, &labs))
        .transpose()?;
    let from = req
        .from
        .as_deref()
        .map(|spec| from::resolve(spec, &labs, project))
        .transpose()?;
    let recorded = recorded(config, req.outputs.durations.as_deref())?;

    let units: Vec<(usize, Lab)> = labs.into_iter().enumerate().collect();
    let (units, shard) = match &req.shard {
        Some(spec) => {
            let (units, label) = shard::pick(spec, units, &recorded)?;
            (units, Some(label))
        }
        None => (units, None),
    };
    let run_labs: Vec<Lab> = units.iter().map(|(_, l)| l.clone()).collect();
    gate::check(project, &run_labs, &variables, req.verify_output)?;

    if let Some(format) = req.dry_run {
        let d = dry_run::build(project, &units, &recorded, shard.as_deref(), &variables);
        dry_run::print(&d, format);
        return Ok(Outcome::DryRun);
    }

    // Everything that can refuse the run comes before anything is created.
    let bash = requires::find_program("bash").ok_or_else(|| Error::Usage(msg!("run-no-bash")))?;
    let wait_scale = wait_scale(req.wait_scale.as_deref())?;
    let resume = req
        .resume
        .as_deref()
        .map(|dir| resume::resume(dir, &run_labs, from.as_ref()))
        .transpose()?;
    requires::check(project, &run_labs)?;
    let mut specs = BTreeMap::new();
    for lab in &run_labs {
        specs.extend(
            verify::load_lab_hooks(project, lab, &variables)
                .map_err(|diagnostics| Error::Content { diagnostics })?,
        );
    }
    let kube = Kube::new(req.kubeconfig.clone(), req.context.clone());
    let (units, reached) =
        cluster::reach(project, &kube, units, req.lab.is_none(), req.check_leaks)?;

    let (log_dir, work) = directories(req.log_dir.as_deref())?;
    // Blocks and hooks use the same kubeconfig and context as labrun.
    let env = kube
        .env(work.path())
        .map_err(|e| Error::io(work.path(), e))?
        .into_iter()
        .map(|(k, v)| (k, v.to_string_lossy().into_owned()))
        .collect();
    let settings = Settings {
        bash,
        log_dir: log_dir.clone(),
        work_root: work.path().to_owned(),
        block_timeout: req.block_timeout.unwrap_or(config.timeouts.block),
        hook_timeout: req.hook_timeout.unwrap_or(config.timeouts.hook),
        variables,
        bail: req.bail,
        from,
        only,
        step: req.step,
        verbose: req.verbose,
        env,
        cluster: reached.info.is_some().then_some(Cluster { kube, specs }),
        check_leaks: req.check_leaks,
        wait_scale,
        verify_output: req.verify_output,
        resume,
    };

    let here = Path::new(".");
    let stop = Stop::new().map_err(|e| Error::io(here, e))?;
    stop.install_signals().map_err(|e| Error::io(here, e))?;
    procs::become_subreaper();

    let expect = Expectations::of(units.iter().map(|(_, l)| l), &recorded);
    let mut console = Console::new(expect, req.verbose);
    for line in reached.lines() {
        console.println(&line);
    }
    let (result, interrupted) = {
        let mut runner = Runner::new(project, &settings, stop, &mut console);
        let result = runner.run_labs(&units);
        (result, runner.interrupted())
    };
    console.finish();
    procs::kill_own_descendants(Duration::from_secs(1));
    let reports = result?;

    // Labs that did not run take their place in run order.
    let mut ran: Vec<(LabReport, Lab)> = reports
        .into_iter()
        .zip(units.into_iter().map(|(_, l)| l))
        .collect();
    ran.extend(reached.not_run);
    ran.sort_by_key(|(r, _)| r.order);
    let (reports, labs): (Vec<LabReport>, Vec<Lab>) = ran.into_iter().unzip();
    let no_cluster = reports.iter().any(|r| r.preflight.is_some());
    let report = RunReport::new(
        reports,
        interrupted,
        shard,
        Some(log_dir.to_string_lossy().into_owned()),
    );
    req.outputs.write(&report, &labs)?;
    summary::print(&console, &report, &req.outputs);
    if !report.failed() && !interrupted {
        // A passing run leaves no work files behind; a failing one keeps
        // them for a look (the summary names the directory).
        let _ = work.close();
    } else {
        summary::work_kept(&console, &work.keep());
    }
    Ok(if interrupted {
        Outcome::Interrupted
    } else if no_cluster {
        Outcome::NoCluster
    } else if report.failed() {
        Outcome::Failed
    } else {
        Outcome::Passed
    })
}

/// labrun.yaml's `variables`, with each `--var KEY=VALUE` over them.
fn variables(
    configured: &BTreeMap<String, String>,
    given: &[String],
) -> Result<BTreeMap<String, String>, Error> {
    let mut variables = configured.clone();
    for kv in given {
        let (k, v) = crate::config::variable_assignment(kv)
            .ok_or_else(|| Error::Usage(msg!("run-bad-var", value = kv.as_str())))?;
        variables.insert(k.to_owned(), v.to_owned());
    }
    Ok(variables)
}

/// The recorded durations, for the ETA, `--dry-run` and `--shard`: the
/// project's durations file, else the `--record-durations` file (read now,
/// so that a broken one is found before anything runs, not after).
fn recorded(config: &Config, record_to: Option<&Path>) -> Result<Durations, Error> {
    let mut recorded = Durations::load(&config.durations_file())?;
    if let Some(p) = record_to {
        let target = Durations::load(p)?;
        recorded = recorded.or(target);
    }
    Ok(recorded.unwrap_or_default())
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
        _ => Err(Error::Usage(msg!("run-bad-wait-scale", value = text))),
    }
}

/// The log directory (`--log-dir`, made when missing, or a new temporary
/// one that outlives the run) and the run's work directory.
fn directories(log_dir: Option<&Path>) -> Result<(PathBuf, TempDir), Error> {
    let in_temp = |e| Error::io(&std::env::temp_dir(), e);
    let log_dir = match log_dir {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
            d.canonicalize().map_err(|e| Error::io(d, e))?
        }
        None => tempfile::Builder::new()
            .prefix("labrun-logs-")
            .tempdir()
            .map_err(in_temp)?
            .keep(),
    };
    let work = tempfile::Builder::new()
        .prefix("labrun-work-")
        .tempdir()
        .map_err(in_temp)?;
    Ok((log_dir, work))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_var_wins_over_labrun_yaml_and_a_bad_name_is_refused() {
        let configured = BTreeMap::from([("A".to_owned(), "1".to_owned())]);
        let given = ["A=2".to_owned(), "B_2=x=y".to_owned(), "EMPTY=".to_owned()];
        let vars = variables(&configured, &given).unwrap();
        let got: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, [("A", "2"), ("B_2", "x=y"), ("EMPTY", "")]);
        for bad in ["=1", "NOVALUE", "A-B=1", "A B=1"] {
            match variables(&configured, &[bad.to_owned()]) {
                Err(Error::Usage(m)) => assert_eq!(m.id, "run-bad-var", "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

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
