//! `prepare-environment <id>`, as labrun provides it inside a lab's shell.
//!
//! By default it runs the cleanup script of the lab prepared before (if
//! any), then the setup script of `<id>` when there is one, and remembers
//! `<id>` in `LABRUN_ENVIRONMENT` (exported, so it carries on like any
//! variable, and across the labs of one run). The cleanup half is a shell
//! function of its own, `__lr_cleanup_environment`, which the runner also
//! calls at the end of a lab under `--check-leaks` (see [`CLEANUP`]). Paths, required tools and a
//! state file for separate runs come from `prepare-environment` in
//! `labrun.yaml`. Scripts read no terminal (stdin is `/dev/null`), so a tool
//! that would prompt fails instead of hanging, and a tool that is missing is
//! named before anything runs.

use std::path::Path;

use crate::config::PrepareEnvironment;
use crate::t;

use super::state::quote;

/// Text substituted into messages by the shell (Fluent renders the rest).
const TOOL: &str = "@TOOL@";
const ID: &str = "@ID@";
const FILE: &str = "@FILE@";
const CODE: &str = "@CODE@";

/// The shell command that cleans up after the prepared lab, if any, and
/// forgets it (`LABRUN_ENVIRONMENT` and the state file): what `--check-leaks`
/// runs before its after-snapshot.
pub const CLEANUP: &str = "__lr_cleanup_environment forget\n";

/// The cleanup script of a prepared environment id, if it has one.
pub fn cleanup_script(
    cfg: &PrepareEnvironment,
    root: &Path,
    id: &str,
) -> Option<std::path::PathBuf> {
    let file = root.join(cfg.cleanup.replace("{id}", id));
    file.is_file().then_some(file)
}

/// The shell functions. `root` makes relative paths absolute; `bash` runs
/// the scripts (they need not be executable).
pub fn function(cfg: &PrepareEnvironment, root: &Path, bash: &Path) -> String {
    let abs = |p: &str| -> String {
        if Path::new(p).is_absolute() || p.is_empty() {
            p.to_owned()
        } else {
            root.join(p).to_string_lossy().into_owned()
        }
    };
    let requires: Vec<String> = cfg.requires.iter().map(|r| quote(r)).collect();
    // Patterns and tool names are validated with the configuration (no
    // quotes, spaces or shell syntax), so they go into the `case` as written;
    // `;;&` goes on testing, so every matching pattern adds its tools.
    let mut per_environment = String::new();
    if !cfg.environments.is_empty() {
        per_environment.push_str("  case $__lr_id in\n");
        for (pattern, env) in &cfg.environments {
            let tools: Vec<String> = env.requires.iter().map(|r| quote(r)).collect();
            per_environment.push_str(&format!(
                "    {pattern}) __lr_req+=({}) ;;&\n",
                tools.join(" ")
            ));
        }
        per_environment.push_str("  esac\n");
    }
    let state = cfg.state.as_deref().map(abs).unwrap_or_default();
    let m = |id: &str| {
        quote(
            &crate::i18n::Msg::new(id)
                .arg("tool", TOOL)
                .arg("id", ID)
                .arg("file", FILE)
                .arg("code", CODE)
                .text(),
        )
    };
    format!(
        r#"__lr_cleanup_environment() {{
  builtin local __lr_f __lr_m __lr_rc=0
  if [[ -n ${{LABRUN_ENVIRONMENT-}} ]]; then
    __lr_f={cleanup}; __lr_f=${{__lr_f//'{{id}}'/$LABRUN_ENVIRONMENT}}
    if [[ -f $__lr_f ]]; then
      __lr_m={cleaning}; __lr_m=${{__lr_m//{ID}/$LABRUN_ENVIRONMENT}}; builtin printf '%s\n' "${{__lr_m//{FILE}/$__lr_f}}"
      {bash} "$__lr_f" </dev/null || __lr_rc=$?
      if (( __lr_rc != 0 )); then
        __lr_m={failed}; __lr_m=${{__lr_m//{FILE}/$__lr_f}}; builtin printf '%s\n' "${{__lr_m//{CODE}/$__lr_rc}}" >&2
        (( __lr_rc == 127 )) && builtin printf '%s\n' {hint} >&2
        builtin return $__lr_rc
      fi
    fi
  fi
  if [[ ${{1-}} == forget ]]; then
    builtin unset LABRUN_ENVIRONMENT
    __lr_f={state}
    if [[ -n $__lr_f ]]; then : >|"$__lr_f"; fi
  fi
  builtin return 0
}}
prepare-environment() {{
  if [[ $# -ne 1 || -z ${{1-}} ]]; then builtin printf '%s\n' {usage} >&2; builtin return 2; fi
  builtin local __lr_id=$1 __lr_t __lr_f __lr_m __lr_rc=0
  builtin local -a __lr_req
  __lr_req=({requires})
{per_environment}  for __lr_t in "${{__lr_req[@]}}"; do
    if ! builtin command -v -- "$__lr_t" >/dev/null 2>&1; then
      __lr_m={missing}; builtin printf '%s\n' "${{__lr_m//{TOOL}/$__lr_t}}" >&2; builtin return 127
    fi
  done
  __lr_cleanup_environment || builtin return $?
  __lr_f={setup}; __lr_f=${{__lr_f//'{{id}}'/$__lr_id}}
  if [[ -f $__lr_f ]]; then
    __lr_m={setting}; __lr_m=${{__lr_m//{ID}/$__lr_id}}; builtin printf '%s\n' "${{__lr_m//{FILE}/$__lr_f}}"
    {bash} "$__lr_f" </dev/null || __lr_rc=$?
    if (( __lr_rc != 0 )); then
      __lr_m={failed}; __lr_m=${{__lr_m//{FILE}/$__lr_f}}; builtin printf '%s\n' "${{__lr_m//{CODE}/$__lr_rc}}" >&2
      (( __lr_rc == 127 )) && builtin printf '%s\n' {hint} >&2
      builtin return $__lr_rc
    fi
  else
    __lr_m={nosetup}; builtin printf '%s\n' "${{__lr_m//{ID}/$__lr_id}}"
  fi
  builtin export LABRUN_ENVIRONMENT=$__lr_id
  __lr_f={state}
  if [[ -n $__lr_f ]]; then builtin printf '%s\n' "$__lr_id" >|"$__lr_f"; fi
  builtin return 0
}}
"#,
        usage = quote(&t!("run-prepare-usage")),
        requires = requires.join(" "),
        per_environment = per_environment,
        missing = m("run-prepare-missing-tool"),
        cleanup = quote(&abs(&cfg.cleanup)),
        setup = quote(&abs(&cfg.setup)),
        cleaning = m("run-prepare-cleaning"),
        setting = m("run-prepare-setting-up"),
        nosetup = m("run-prepare-no-setup"),
        failed = m("run-prepare-failed"),
        hint = quote(&t!("run-prepare-missing-hint")),
        bash = quote(&bash.to_string_lossy()),
        state = quote(&state),
    )
}

/// The id remembered by an earlier run, from the configured state file.
pub fn remembered(cfg: &PrepareEnvironment, root: &Path) -> Option<String> {
    let file = cfg.state.as_deref()?;
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    let id = text.trim();
    (!id.is_empty()).then(|| id.to_owned())
}
