//! Resuming a run where an earlier one stopped, with the shell it had.
//!
//! After every page that ran, the runner saves the session's state in the
//! log directory, beside the page's log: `<locale>/<page>.state.json`
//! (schema `labrun.state/v1`): the state after the page (functions,
//! aliases, options, working directory, as [`super::state`] reads them),
//! of the variables only those the lab set, changed or removed since the
//! session started (the environment labrun was started with, which may
//! hold secrets, is not written down), the page's status and the lab's
//! work directory.
//!
//! `run --resume DIR` starts each lab at the first page that did not pass
//! in that run (or at `--from PAGE`), in a new session brought to the state
//! saved after the page before it. What is restored is what the lab
//! changed: a variable the earlier pages left as the session started keeps
//! this run's value (`KUBECONFIG`, `PATH`, labrun's own); one they set,
//! changed or removed is set, changed or removed again. labrun's helper
//! functions are this run's. The earlier run's work directory is used when
//! it still exists (a failed run keeps it), so the files the earlier pages
//! made are there; otherwise a fresh one takes its place, with the
//! working directory mapped into it, and those files are missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::model::Lab;

use super::from::FromBlock;
use super::report::Status;
use super::state::ShellState;

pub const SCHEMA: &str = "labrun.state/v1";

/// The state a session had after one page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedState {
    pub schema: String,
    pub lab: String,
    pub locale: String,
    /// The page, within its locale.
    pub page: String,
    pub status: Status,
    /// The lab's work directory in that run.
    pub work_dir: PathBuf,
    /// The session's state after the page; of the variables, those the lab
    /// set or changed since the session started.
    pub state: ShellState,
    /// Variables the session started with that the lab removed.
    pub unset: Vec<String>,
}

impl SavedState {
    /// What to save of the state `after` a page of a session that started
    /// as `initial`.
    pub fn new(
        lab: &Lab,
        page: &str,
        status: Status,
        work_dir: &Path,
        initial: &ShellState,
        after: &ShellState,
    ) -> SavedState {
        let mut state = after.clone();
        state
            .vars
            .retain(|name, v| initial.vars.get(name) != Some(v));
        SavedState {
            schema: SCHEMA.to_owned(),
            lab: lab.id.clone(),
            locale: lab.locale.clone(),
            page: page.to_owned(),
            status,
            work_dir: work_dir.to_owned(),
            state,
            unset: initial
                .vars
                .keys()
                .filter(|n| !after.vars.contains_key(*n))
                .cloned()
                .collect(),
        }
    }
}

/// Where the state after a page is saved in a log directory.
pub fn state_file(log_dir: &Path, locale: &str, page: &str) -> PathBuf {
    log_dir.join(locale).join(format!("{page}.state.json"))
}

/// Saves a state (atomically: a reader never sees half a file).
pub fn save(log_dir: &Path, saved: &SavedState) -> Result<(), Error> {
    let path = state_file(log_dir, &saved.locale, &saved.page);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut text = serde_json::to_string(saved).expect("a state serializes");
    text.push('\n');
    // The same writer as every file labrun writes: never through a link.
    Ok(crate::files::write_atomic(&path, text.as_bytes())?)
}

/// The state saved after a page, if the run saved one.
pub fn load(log_dir: &Path, locale: &str, page: &str) -> Result<Option<SavedState>, Error> {
    let path = state_file(log_dir, locale, page);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let bad = |line: usize, col: usize, detail: String| Error::Invalid {
        file: path.clone(),
        line: line.max(1) as u32,
        col: col.max(1) as u32,
        detail,
    };
    let saved: SavedState =
        serde_json::from_str(&text).map_err(|e| bad(e.line(), e.column(), e.to_string()))?;
    if saved.schema != SCHEMA {
        return Err(bad(
            1,
            1,
            crate::msg!(
                "run-resume-bad-schema",
                schema = saved.schema.as_str(),
                expected = SCHEMA
            )
            .text(),
        ));
    }
    Ok(Some(saved))
}

/// `--resume DIR`, resolved before the run starts.
#[derive(Clone, Debug)]
pub struct Resume {
    pub dir: PathBuf,
    /// (locale, lab id) → where the lab picks up.
    pub labs: BTreeMap<(String, String), Start>,
}

/// Where each of `labs` picks up from the run logged in `dir`; `from`
/// (`--from`) names the page its lab resumes at. A directory without a
/// saved state for any of them is refused: it is not the log directory of
/// a run of these labs.
pub fn resume<'a>(
    dir: &Path,
    labs: impl IntoIterator<Item = &'a Lab>,
    from: Option<&FromBlock>,
) -> Result<Resume, Error> {
    if !dir.is_dir() {
        return Err(Error::Usage(crate::msg!(
            "run-resume-not-a-dir",
            dir = dir.display().to_string()
        )));
    }
    let mut out = BTreeMap::new();
    for lab in labs {
        let here = from
            .filter(|f| f.locale == lab.locale && lab.pages.iter().any(|p| p.rel == f.page))
            .map(|f| (f.page.as_str(), f.line));
        out.insert((lab.locale.clone(), lab.id.clone()), start(dir, lab, here)?);
    }
    if out.values().all(|s| *s == Start::Fresh) {
        return Err(Error::Usage(crate::msg!(
            "run-resume-nothing",
            dir = dir.display().to_string()
        )));
    }
    Ok(Resume {
        dir: dir.to_owned(),
        labs: out,
    })
}

/// Where a lab picks up.
#[derive(Clone, Debug, PartialEq)]
pub enum Start {
    /// The earlier run saved nothing for this lab: it runs from its start.
    Fresh,
    /// At this page (and block line), with the state after the page before
    /// it (`None`: it is the lab's first page that runs).
    At {
        page: String,
        line: Option<u32>,
        state: Option<Box<SavedState>>,
    },
    /// Every page that runs passed in the earlier run.
    Done,
}

/// Where `lab` picks up from the run logged in `dir`: at `from` (a page of
/// the lab, and a block line) when given, else at the first page that runs
/// and did not pass; with the state saved after the nearest page before it.
pub fn start(dir: &Path, lab: &Lab, from: Option<(&str, Option<u32>)>) -> Result<Start, Error> {
    let pages: Vec<&crate::model::Page> = lab.pages.iter().filter(|p| p.runs()).collect();
    let mut saved = Vec::with_capacity(pages.len());
    for p in &pages {
        saved.push(load(dir, &lab.locale, &p.rel)?);
    }
    let at = match from {
        Some((page, _)) => match pages.iter().position(|p| p.rel == page) {
            Some(i) => i,
            None => return Ok(Start::Fresh),
        },
        None => {
            if saved.iter().all(Option::is_none) {
                return Ok(Start::Fresh);
            }
            let passed = |s: &Option<SavedState>| {
                s.as_ref()
                    .is_some_and(|s| matches!(s.status, Status::Passed | Status::Warning))
            };
            match saved.iter().position(|s| !passed(s)) {
                Some(i) => i,
                None => return Ok(Start::Done),
            }
        }
    };
    let state = saved[..at].iter().rev().find_map(Clone::clone);
    if at > 0 && state.is_none() {
        return Err(Error::Usage(crate::msg!(
            "run-resume-no-state",
            page = pages[at].rel.as_str(),
            before = pages[at - 1].rel.as_str(),
            dir = dir.display().to_string()
        )));
    }
    Ok(Start::At {
        page: pages[at].rel.clone(),
        line: from.and_then(|(_, l)| l),
        state: state.map(Box::new),
    })
}

/// The state a resumed session is brought to: its own (`fresh`), with what
/// the lab changed ([`SavedState`]); the working directory moved from the
/// earlier work directory into `work_dir` when they differ.
pub fn target(fresh: &ShellState, saved: &SavedState, work_dir: &Path) -> ShellState {
    let mut out = saved.state.clone();
    out.vars = fresh.vars.clone();
    for name in &saved.unset {
        out.vars.remove(name);
    }
    out.vars
        .extend(saved.state.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    out.pwd = moved(&saved.state.pwd, &saved.work_dir, work_dir);
    out
}

/// `pwd` under `from` moved under `to`; anything else as it is.
fn moved(pwd: &str, from: &Path, to: &Path) -> String {
    match Path::new(pwd).strip_prefix(from) {
        Ok(rest) if from != to => to.join(rest).to_string_lossy().into_owned(),
        _ => pwd.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::state::parse_declarations;

    fn shell(pwd: &str, vars: &str) -> ShellState {
        ShellState {
            pwd: pwd.into(),
            vars: parse_declarations(vars),
            functions: "greet () \n{ \n    echo hi\n}\n".into(),
            function_names: vec![("greet".into(), false)],
            ..Default::default()
        }
    }

    fn lab() -> Lab {
        Lab {
            id: "l".into(),
            locale: "en".into(),
            title: "L".into(),
            dir: "/p/content/en/l".into(),
            pages: Vec::new(),
            environments: Vec::new(),
        }
    }

    #[test]
    fn what_the_lab_changed_is_saved_and_restored_and_nothing_else() {
        let initial = shell(
            "/tmp/old/en/l",
            "declare -x KUBECONFIG=\"/tmp/old/kc\"\ndeclare -x SECRET=\"s3cr3t\"\ndeclare -x GONE=\"x\"\ndeclare -- SAME=\"1\"\n",
        );
        let after = shell(
            "/tmp/old/en/l/sub",
            "declare -x KUBECONFIG=\"/tmp/old/kc\"\ndeclare -x SECRET=\"s3cr3t\"\ndeclare -- SAME=\"1\"\ndeclare -- NEW=\"n\"\n",
        );
        let saved = SavedState::new(
            &lab(),
            "l/one.md",
            Status::Passed,
            Path::new("/tmp/old/en/l"),
            &initial,
            &after,
        );
        // The environment the session started with is not written down.
        let text = serde_json::to_string(&saved).unwrap();
        assert!(
            !text.contains("s3cr3t") && !text.contains("KUBECONFIG"),
            "{text}"
        );
        assert_eq!(saved.unset, ["GONE"]);
        let fresh = shell(
            "/tmp/new/en/l",
            "declare -x KUBECONFIG=\"/tmp/new/kc\"\ndeclare -x GONE=\"y\"\ndeclare -- SAME=\"2\"\n",
        );
        let t = target(&fresh, &saved, Path::new("/tmp/new/en/l"));
        let vars: Vec<(&str, &str)> = t
            .vars
            .iter()
            .map(|(k, v)| (k.as_str(), v.decl.as_str()))
            .collect();
        assert_eq!(
            vars,
            [
                ("KUBECONFIG", "declare -x KUBECONFIG=\"/tmp/new/kc\""),
                ("NEW", "declare -- NEW=\"n\""),
                ("SAME", "declare -- SAME=\"2\""),
            ]
        );
        assert_eq!(t.pwd, "/tmp/new/en/l/sub");
        assert_eq!(t.function_names, after.function_names);
        // The same work directory: the directory as it was.
        assert_eq!(
            target(&fresh, &saved, Path::new("/tmp/old/en/l")).pwd,
            "/tmp/old/en/l/sub"
        );
    }

    #[test]
    fn states_round_trip_and_bad_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let s = SavedState {
            schema: SCHEMA.into(),
            lab: "l".into(),
            locale: "ja".into(),
            page: "l/sub/two.md".into(),
            status: Status::Failed,
            work_dir: "/w".into(),
            state: shell("/w/x", "declare -- A=$'x\\ny'\n"),
            unset: vec!["B".into()],
        };
        save(dir.path(), &s).unwrap();
        assert!(dir.path().join("ja/l/sub/two.md.state.json").is_file());
        assert_eq!(load(dir.path(), "ja", "l/sub/two.md").unwrap(), Some(s));
        assert_eq!(load(dir.path(), "ja", "l/none.md").unwrap(), None);
        std::fs::write(
            dir.path().join("ja/l/sub/two.md.state.json"),
            "{\n  \"schema\": 3\n}",
        )
        .unwrap();
        let Err(Error::Invalid { file, line, .. }) = load(dir.path(), "ja", "l/sub/two.md") else {
            panic!("a broken state file is an error");
        };
        assert!(file.ends_with("two.md.state.json"));
        assert_eq!(line, 2);
    }
}
