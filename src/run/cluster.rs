//! The cluster a run talks to: reached before anything runs, when a lab
//! needs it. With `--all`, a missing cluster fails only the labs that need
//! one, and the others run.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::content::Project;
use crate::error::Error;
use crate::model::Lab;
use crate::t;
use crate::ui::{self, Tone};
use crate::verify::preflight::{self, ClusterInfo};
use crate::verify::{HookSpec, Kube};

use super::report::LabReport;

/// The cluster a run talks to, and the declarative hooks of its labs.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub kube: Kube,
    /// Hook file → its parsed expectations (loaded and checked before the run).
    pub specs: BTreeMap<PathBuf, HookSpec>,
}

/// What the cluster preflight found.
pub struct Reached {
    /// The cluster, when a lab needs one (or `--check-leaks` looks at it).
    pub info: Option<ClusterInfo>,
    /// Labs the preflight keeps from running, each with its report and its
    /// place in the run.
    pub not_run: Vec<(LabReport, Lab)>,
}

/// Reaches the cluster when one of `units` needs it or `check_leaks`; the
/// labs that go on, and what was found. Without a cluster the run is
/// refused, unless `partial` (`--all` without `--check-leaks`): then the
/// labs that need one are reported as not run.
pub fn reach(
    project: &Project,
    kube: &Kube,
    units: Vec<(usize, Lab)>,
    partial: bool,
    check_leaks: bool,
) -> Result<(Vec<(usize, Lab)>, Reached), Error> {
    let needs_cluster = |l: &Lab| preflight::lab_needs_kubectl(project, l);
    if !check_leaks && !units.iter().any(|(_, l)| needs_cluster(l)) {
        let none = Reached {
            info: None,
            not_run: Vec::new(),
        };
        return Ok((units, none));
    }
    match preflight::check(kube) {
        Ok(info) => {
            let reached = Reached {
                info: Some(info),
                not_run: Vec::new(),
            };
            Ok((units, reached))
        }
        Err(e) if partial && !check_leaks => {
            let why = e.message().text();
            let (blocked, free): (Vec<_>, Vec<_>) =
                units.into_iter().partition(|(_, l)| needs_cluster(l));
            let not_run = blocked
                .into_iter()
                .map(|(order, lab)| {
                    let files: Vec<String> = lab
                        .pages
                        .iter()
                        .map(|p| project.display_path(&p.file))
                        .collect();
                    (LabReport::not_run(order, &lab, &files, why.clone()), lab)
                })
                .collect();
            let reached = Reached {
                info: None,
                not_run,
            };
            Ok((free, reached))
        }
        Err(e) => Err(e.into()),
    }
}

impl Reached {
    /// What the run shows before it starts: the cluster it talks to, and
    /// each lab that will not run.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(info) = &self.info {
            lines.push(t!(
                "run-cluster",
                context = info.context.as_deref().unwrap_or("-"),
                server = info.server.as_deref().unwrap_or("-"),
                version = info.version.as_str()
            ));
        }
        let color = ui::color_enabled(true);
        for (r, _) in &self.not_run {
            lines.push(ui::paint(
                color,
                Tone::Error,
                &t!(
                    "run-lab-no-cluster",
                    lab = crate::model::lab_name(&r.lab),
                    locale = r.locale.as_str(),
                    reason = r.preflight.as_deref().unwrap_or("")
                ),
            ));
        }
        lines
    }
}
