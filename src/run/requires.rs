//! The commands a lab needs before it runs: `prepare-environment.requires`
//! for every environment, plus `prepare-environment.environments.<id>.requires`
//! for some (an Azure lab needs `az`, an EKS lab does not). A run checks them
//! for every lab it is about to run, before anything is created, so a
//! missing tool is one clear message (exit 2) instead of a block failing
//! with exit code 127 halfway through the lab.

use std::path::PathBuf;

use crate::content::Project;
use crate::error::Error;
use crate::model::Lab;
use crate::msg;

/// An executable file named `name` in a directory of `PATH`.
pub fn find_program(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// A command a lab needs that is not installed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    pub lab: String,
    pub locale: String,
    /// The `prepare-environment` id that needs it.
    pub environment: String,
    pub tool: String,
}

/// What the labs' environments need and `find` does not find, in lab order.
pub fn missing(project: &Project, labs: &[Lab], find: impl Fn(&str) -> bool) -> Vec<Missing> {
    let pe = &project.config.prepare_environment;
    let mut out = Vec::new();
    for lab in labs {
        for id in &lab.environments {
            for tool in pe.requires_for(id) {
                let seen = out
                    .iter()
                    .any(|m: &Missing| m.lab == lab.id && m.locale == lab.locale && m.tool == tool);
                if !seen && !find(&tool) {
                    out.push(Missing {
                        lab: lab.id.clone(),
                        locale: lab.locale.clone(),
                        environment: id.clone(),
                        tool,
                    });
                }
            }
        }
    }
    out
}

/// Refuses a run whose labs need a command that is not on `PATH`.
pub fn check(project: &Project, labs: &[Lab]) -> Result<(), Error> {
    let missing = missing(project, labs, |t| find_program(t).is_some());
    if missing.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = missing
        .iter()
        .map(|m| {
            msg!(
                "run-requires-missing",
                lab = m.lab.as_str(),
                locale = m.locale.as_str(),
                environment = m.environment.as_str(),
                tool = m.tool.as_str()
            )
            .text()
        })
        .collect();
    let file = project.config.file.as_deref().map_or_else(
        || crate::config::FILE_NAME.to_owned(),
        |f| project.display_path(f),
    );
    Err(Error::Usage(msg!(
        "run-requires-refused",
        problems = lines.join("\n"),
        file = file
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::Path;

    fn project(yaml: &str) -> Project {
        Project::new(Config::parse(yaml, Path::new("/p/labrun.yaml"), Path::new("/p")).unwrap())
    }

    fn lab(id: &str, envs: &[&str]) -> Lab {
        Lab {
            id: id.into(),
            locale: "en".into(),
            title: id.into(),
            dir: PathBuf::from(id),
            pages: Vec::new(),
            environments: envs.iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn common_and_per_environment_requirements_combine() {
        let p = project(
            "prepare-environment:\n  requires: [kubectl]\n  environments:\n    networking/aks-*:\n      requires: [az, kubectl]\n    other/x:\n      requires: [terraform]\n",
        );
        let pe = &p.config.prepare_environment;
        assert_eq!(pe.requires_for("networking/aks-egress"), ["kubectl", "az"]);
        assert_eq!(pe.requires_for("networking/eks"), ["kubectl"]);
        assert_eq!(pe.requires_for("other/x"), ["kubectl", "terraform"]);

        let labs = [
            lab("net/aks", &["networking/aks-egress"]),
            lab("net/eks", &["networking/eks"]),
            lab("plain", &[]),
        ];
        let found = missing(&p, &labs, |t| t == "kubectl");
        assert_eq!(
            found,
            [Missing {
                lab: "net/aks".into(),
                locale: "en".into(),
                environment: "networking/aks-egress".into(),
                tool: "az".into(),
            }]
        );
        assert!(missing(&p, &labs, |_| true).is_empty());
        // A lab that prepares no environment needs nothing.
        assert!(missing(&p, &labs[2..], |_| false).is_empty());
    }

    #[test]
    fn bad_patterns_and_tool_names_are_configuration_errors() {
        for (yaml, line) in [
            (
                "prepare-environment:\n  environments:\n    a;b:\n      requires: [az]\n",
                3,
            ),
            (
                "prepare-environment:\n  environments:\n    lab/x:\n      requires: ['az; rm']\n",
                3,
            ),
            ("prepare-environment:\n  requires: [a/b]\n", 2),
            (
                "prepare-environment:\n  environments:\n    lab/x:\n      need: [az]\n",
                4,
            ),
        ] {
            match Config::parse(yaml, Path::new("/p/labrun.yaml"), Path::new("/p")) {
                Err(Error::Config { line: l, .. }) => assert_eq!(l, line, "{yaml}"),
                other => panic!("{yaml}: {other:?}"),
            }
        }
    }

    #[test]
    fn programs_are_found_on_path() {
        assert!(find_program("sh").is_some());
        assert!(find_program("labrun-no-such-program").is_none());
    }
}
