//! The command-line front end: clap definitions, language choice, exit codes.
//! Each subcommand lives in its own file and calls into the library.

mod check;
mod drift;
pub mod help;
mod lsp;
mod parse_error;
mod plan;
mod render;
mod report;
mod run;
mod time;
mod verify;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::content::Project;
use crate::error::Error;
use crate::i18n::{self, Lang};
use crate::ui::{self, Tone};

/// Exit codes, documented in the README.
pub mod exit {
    /// Everything passed.
    pub const OK: u8 = 0;
    /// A block, hook or check failed.
    pub const FAILED: u8 = 1;
    /// Usage, configuration or content error: nothing was run.
    pub const USAGE: u8 = 2;
    /// Interrupted by Ctrl-C or SIGTERM.
    pub const INTERRUPTED: u8 = 130;
}

#[derive(Parser, Debug)]
#[command(
    name = "labrun",
    version,
    about = "Run, check and translate workshop labs written in Markdown"
)]
pub struct Cli {
    /// Language of the content (any locale of the project, or all) and of messages (en, ja; others fall back to English); defaults to the source locale for content and the environment's locale for messages.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    /// The labrun.yaml to use, instead of searching upwards from the current directory.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a lab (or every lab) like a careful person at one terminal, and report to CI.
    Run(Box<run::Args>),
    /// Show the ordered pages and runnable blocks of a lab, executing nothing.
    Plan(plan::Args),
    /// Check every page of every locale without a cluster.
    Check(check::Args),
    /// Find translations that fell behind their source or no longer run the same lab.
    Drift(drift::Args),
    /// Show pages as a reader sees them, in the terminal or as a static HTML site.
    Render(render::Args),
    /// Show how a lab's required time is computed.
    Time(time::Args),
    /// Evaluate a lab's declarative hooks against the cluster as it is now, running no block.
    Verify(verify::Args),
    /// Work with run reports.
    Report(report::Args),
    /// Serve the pages of a project to an editor: a Language Server over stdio.
    Lsp(lsp::Args),
    /// Print the help of labrun or of one of its commands.
    Help(help::HelpArgs),
    /// Print a shell completion script.
    Completions(help::CompletionsArgs),
    /// Print labrun's man page, or write a page per command.
    Man(help::ManArgs),
}

/// The output format of commands that print for people or for programs.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextOrJson {
    Text,
    Json,
}

/// What every subcommand gets: the project and the language choices.
pub struct Context {
    pub project: Project,
    /// The language of messages.
    pub lang: Lang,
    /// `--lang` as given, when given.
    pub lang_flag: Option<String>,
    /// `--config` as given, when given.
    pub config_flag: Option<PathBuf>,
}

/// `--lang all`: every locale of the project.
pub const ALL_LOCALES: &str = "all";

impl Context {
    /// Whether `--lang all` was given.
    pub fn all_locales(&self) -> bool {
        self.lang_flag
            .as_deref()
            .is_some_and(|l| l.eq_ignore_ascii_case(ALL_LOCALES))
    }

    /// The content locale: `--lang` when given (it must be one of the
    /// project's locales), else the source locale.
    pub fn content_locale(&self) -> Result<String, Error> {
        let c = &self.project.config;
        match &self.lang_flag {
            None => Ok(c.source_locale.clone()),
            Some(_) if self.all_locales() => {
                Err(Error::Usage(crate::msg!("error-lang-all-not-here")))
            }
            Some(l) => match_locale(&c.locales, l).ok_or_else(|| Error::UnknownLocale {
                locale: l.clone(),
                locales: c.locales.clone(),
            }),
        }
    }

    /// The content locales of a command that can work on several: every
    /// locale that has content (source first) for `--lang all`, else the one
    /// [`Context::content_locale`] names.
    pub fn content_locales(&self) -> Result<Vec<String>, Error> {
        if !self.all_locales() {
            return Ok(vec![self.content_locale()?]);
        }
        let c = &self.project.config;
        let mut locales: Vec<String> = c
            .locales
            .iter()
            .filter(|l| **l == c.source_locale || c.locale_root(l).is_dir())
            .cloned()
            .collect();
        locales.sort_by_key(|l| *l != c.source_locale);
        Ok(locales)
    }
}

/// The project locale a `--lang` value names: exactly, ignoring case and
/// `_` for `-` (`zh_CN` is `zh-cn`), or by its language alone (`ja-JP`,
/// `ja_JP.UTF-8` select `ja`).
pub fn match_locale(locales: &[String], tag: &str) -> Option<String> {
    let norm = |s: &str| {
        s.split(['.', '@'])
            .next()
            .unwrap_or("")
            .replace('_', "-")
            .to_ascii_lowercase()
    };
    let wanted = norm(tag);
    let base = wanted.split('-').next().unwrap_or("").to_owned();
    locales
        .iter()
        .find(|l| norm(l) == wanted)
        .or_else(|| locales.iter().find(|l| norm(l) == base))
        .cloned()
}

/// A lab as the user named it, resolved to a content locale and a name
/// [`crate::content::Tree::lab`] accepts.
#[derive(Debug, PartialEq, Eq)]
pub struct LabTarget {
    pub locale: String,
    pub name: String,
}

impl Context {
    /// A lab argument: a content path, page or environment id in the
    /// content locale, or a file or folder as the user types it from the
    /// current directory (`website/docs/networking`,
    /// `content/ja/getting-started`), which also picks its locale.
    pub fn lab_target(&self, arg: &str) -> Result<LabTarget, Error> {
        let Some(at) = self.project.locate(std::path::Path::new(arg)) else {
            return Ok(LabTarget {
                locale: self.content_locale()?,
                name: arg.to_owned(),
            });
        };
        // `--lang ja content/en/x` asks for two things at once.
        if self.lang_flag.is_some() {
            let wanted = self.content_locale()?;
            if wanted != at.locale {
                return Err(Error::Usage(crate::msg!(
                    "cli-path-locale-conflict",
                    path = arg,
                    locale = at.locale.as_str(),
                    lang = wanted.as_str()
                )));
            }
        }
        Ok(LabTarget {
            locale: at.locale,
            name: if at.rel.is_empty() {
                ".".to_owned()
            } else {
                at.rel
            },
        })
    }
}

/// The value of `--lang` in raw arguments, read before clap runs so that help
/// and errors are in the right language.
fn lang_from_args(args: &[OsString]) -> Option<String> {
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return it.next().map(|s| s.into_owned());
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Some(v.to_owned());
        }
    }
    None
}

/// Replaces clap's help texts with the localized ones where a Fluent message
/// `help-<command>-<arg>` / `about-<command>` exists, and clap's own headings
/// and flag descriptions with ours.
fn localize(cmd: clap::Command, path: &str) -> clap::Command {
    let text_of = |id: &str| {
        let text = i18n::Msg::new(id).text();
        (text != id).then_some(text)
    };
    let about_id = if path.is_empty() {
        "about-labrun".to_owned()
    } else {
        format!("about-{path}")
    };
    let mut cmd = cmd
        // No wrapping by clap: `help::layout` wraps by display width.
        .term_width(0)
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            crate::t!("cli-heading-usage")
        ))
        .subcommand_help_heading(crate::t!("cli-heading-commands"))
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help(crate::t!("cli-help-flag")),
        );
    if path.is_empty() {
        // clap's own `help` subcommand would print English; labrun's
        // `help` command prints the localized help.
        cmd = cmd
            .disable_help_subcommand(true)
            .disable_version_flag(true)
            .arg(
                clap::Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(clap::ArgAction::Version)
                    .help(crate::t!("cli-version-flag")),
            );
    }
    if let Some(about) = text_of(&about_id) {
        cmd = cmd.about(about);
    }
    let args: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in args {
        let key = format!(
            "help-{}{}",
            if path.is_empty() {
                String::new()
            } else {
                format!("{path}-")
            },
            id
        );
        let heading = crate::t!(if positional {
            "cli-heading-arguments"
        } else {
            "cli-heading-options"
        });
        let help = text_of(&key);
        cmd = cmd.mut_arg(id.as_str(), |a| {
            // clap's "[default: …] [possible values: …]" notes are English;
            // say the same in the user's language.
            let mut text = help
                .or_else(|| a.get_help().map(|h| h.to_string()))
                .unwrap_or_default();
            // A flag's implicit true/false are no values a user types.
            let values: Vec<String> = if a.get_action().takes_values() {
                a.get_possible_values()
                    .iter()
                    .map(|v| v.get_name().to_owned())
                    .collect()
            } else {
                Vec::new()
            };
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() {
                text.push_str(&format!(
                    " {}",
                    crate::t!("cli-default-value", value = defaults.join(", "))
                ));
            }
            if !values.is_empty() && !a.is_hide_possible_values_set() {
                text.push_str(&format!(
                    " {}",
                    crate::t!("cli-possible-values", values = values.join(", "))
                ));
            }
            let a = a.help_heading(heading).help(text);
            if a.get_action().takes_values() {
                a.hide_default_value(true).hide_possible_values(true)
            } else {
                a
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}-{name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |s| localize(s, &sub_path));
    }
    cmd
}

/// The command definition with help texts in the message language.
pub fn localized_command() -> clap::Command {
    localize(Cli::command(), "")
}

/// Prints what clap stopped parsing for (help, version, an argument
/// error) and gives the exit code: help and version go to stdout with 0,
/// errors to stderr with [`exit::USAGE`], in the message language.
fn report_clap_error(e: &clap::Error) -> u8 {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp => {
            help::print(&e.render().to_string(), false);
            exit::OK
        }
        // `labrun` alone, `labrun report`: the help, as a usage error.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            help::print(&e.render().to_string(), true);
            exit::USAGE
        }
        ErrorKind::DisplayVersion => {
            let _ = e.print();
            exit::OK
        }
        _ => {
            let text = parse_error::render(e);
            let color = ui::color_enabled(true);
            let label = crate::t!("label-error");
            let text = match text.strip_prefix(&format!("{label}:")) {
                Some(rest) => format!("{}:{rest}", ui::paint(color, Tone::Error, &label)),
                None => text,
            };
            ui::eprint(&text);
            exit::USAGE
        }
    }
}

fn report_error(e: &Error) {
    if let Error::Content { diagnostics } = e {
        ui::print_diagnostics(diagnostics);
    }
    let color = ui::color_enabled(true);
    ui::eprintln(&format!(
        "{}: {}",
        ui::paint(color, Tone::Error, &crate::t!("label-error")),
        e
    ));
}

/// Runs labrun with the process's arguments.
pub fn main() -> ExitCode {
    run(std::env::args_os().collect())
}

/// `labrun <lab>` means `labrun run <lab>`: when the first argument after
/// the global options is neither a subcommand nor help/version, `run` goes
/// in front of it.
fn default_to_run(mut args: Vec<OsString>) -> Vec<OsString> {
    let subcommands = help::subcommand_names();
    let mut i = 1;
    while i < args.len() {
        let a = args[i].to_string_lossy();
        if a == "--lang" || a == "--config" {
            i += 2;
            continue;
        }
        if a.starts_with("--lang=") || a.starts_with("--config=") {
            i += 1;
            continue;
        }
        let keep = subcommands.iter().any(|s| *s == a)
            || matches!(
                a.as_ref(),
                "help" | "-h" | "--help" | "-V" | "--version" | "--"
            );
        if !keep {
            args.insert(i, OsString::from("run"));
        }
        break;
    }
    args
}

/// Runs labrun with the given arguments (the first is the program name).
pub fn run(args: Vec<OsString>) -> ExitCode {
    let args = default_to_run(args);
    let lang_flag = lang_from_args(&args);
    // `--lang all` picks content; messages then follow the environment.
    let lang = match lang_flag.as_deref() {
        Some(l) if l.eq_ignore_ascii_case(ALL_LOCALES) => Lang::detect(None),
        other => Lang::detect(other),
    };
    i18n::set_lang(lang);
    let matches = match localized_command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => return ExitCode::from(report_clap_error(&e)),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return ExitCode::from(report_clap_error(&e)),
    };
    // Commands about labrun itself need no project.
    match &cli.command {
        Command::Help(a) => return ExitCode::from(help::exec_help(a)),
        Command::Completions(a) => return ExitCode::from(help::exec_completions(a)),
        Command::Man(a) => {
            return ExitCode::from(help::exec_man(a).unwrap_or_else(|e| {
                report_error(&e);
                exit::USAGE
            }));
        }
        _ => {}
    }
    let result = (|| {
        // The editor names the project once connected; labrun.yaml in the
        // directory the editor started in does not matter.
        if let Command::Lsp(a) = &cli.command {
            return lsp::exec(a, cli.lang.clone());
        }
        let cwd = std::env::current_dir().map_err(|e| Error::io(std::path::Path::new("."), e))?;
        let project = Project::open(cli.config.as_deref(), &cwd)?;
        let ctx = Context {
            project,
            lang,
            lang_flag: cli.lang.clone(),
            config_flag: cli.config.clone(),
        };
        match &cli.command {
            Command::Plan(a) => plan::exec(&ctx, a),
            Command::Drift(a) => drift::exec(&ctx, a),
            Command::Check(a) => check::exec(&ctx, a),
            Command::Render(a) => render::exec(&ctx, a),
            Command::Time(a) => time::exec(&ctx, a),
            Command::Verify(a) => verify::exec(&ctx, a),
            Command::Run(a) => run::exec(&ctx, a),
            Command::Report(a) => report::exec(&ctx, a),
            Command::Lsp(a) => lsp::exec(a, cli.lang.clone()),
            Command::Help(_) | Command::Completions(_) | Command::Man(_) => Ok(exit::OK),
        }
    })();
    // A closed pipe keeps the verdict; output lost otherwise (a full disk)
    // makes the command fail.
    let result = match (result, ui::output_error()) {
        (Ok(exit::OK), Some(e)) => Err(Error::io(std::path::Path::new("<stdout>"), e)),
        (r, _) => r,
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            report_error(&e);
            ExitCode::from(exit::USAGE)
        }
    }
}

/// A lab in each content locale of the command (`--lang all`: every locale
/// it exists in, source first; the source locale must have it). A file or
/// folder typed from the current directory names its content: in its own
/// locale, or in every locale with `--lang all`.
pub fn labs_in_locales(ctx: &Context, arg: &str) -> Result<Vec<crate::model::Lab>, Error> {
    let (locales, name) = lab_locales(ctx, arg)?;
    crate::run::select::labs(&ctx.project, &locales, Some(&name), ctx.all_locales())
}

/// The content locales a lab argument is wanted in and the name of the lab
/// in them: [`Context::lab_target`]'s one locale, or with `--lang all`
/// every content locale (a typed path then names its content in each).
pub fn lab_locales(ctx: &Context, arg: &str) -> Result<(Vec<String>, String), Error> {
    if ctx.all_locales() {
        let name = match ctx.project.locate(std::path::Path::new(arg)) {
            Some(at) if at.rel.is_empty() => ".".to_owned(),
            Some(at) => at.rel,
            None => arg.to_owned(),
        };
        Ok((ctx.content_locales()?, name))
    } else {
        let target = ctx.lab_target(arg)?;
        Ok((vec![target.locale], target.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_lab_means_run() {
        let v = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            default_to_run(v(&["labrun", "--lang", "ja", "getting-started"])),
            v(&["labrun", "--lang", "ja", "run", "getting-started"])
        );
        assert_eq!(
            default_to_run(v(&["labrun", "--all", "--shard", "1/2"])),
            v(&["labrun", "run", "--all", "--shard", "1/2"])
        );
        for same in [
            &["labrun", "plan", "x"][..],
            &["labrun", "--config=c.yaml", "report", "merge"],
            &["labrun", "--help"],
            &["labrun"],
        ] {
            assert_eq!(default_to_run(v(same)), v(same));
        }
        // No command's name is ever taken for a lab's.
        let names = help::subcommand_names();
        for name in ["help", "completions", "man", "run", "check", "render"] {
            assert!(names.iter().any(|n| n == name), "{name}");
        }
        for name in &names {
            let args = ["labrun", "--lang", "ja", name.as_str(), "x"];
            assert_eq!(default_to_run(v(&args)), v(&args), "{name}");
        }
    }

    #[test]
    fn lang_values_find_project_locales() {
        let locales: Vec<String> = ["en", "ja", "ko", "zh-cn"].map(String::from).to_vec();
        let m = |t: &str| match_locale(&locales, t);
        assert_eq!(m("ko").as_deref(), Some("ko"));
        assert_eq!(m("zh_CN").as_deref(), Some("zh-cn"));
        assert_eq!(m("ZH-cn").as_deref(), Some("zh-cn"));
        assert_eq!(m("ja_JP.UTF-8").as_deref(), Some("ja"));
        assert_eq!(m("ko-KR").as_deref(), Some("ko"));
        assert_eq!(m("zh-tw"), None);
        assert_eq!(m("fr"), None);
    }

    #[test]
    fn localized_command_passes_clap_assertions_in_every_language() {
        for lang in Lang::ALL {
            i18n::set_lang(lang);
            localize(Cli::command(), "").debug_assert();
        }
        i18n::set_lang(Lang::En);
    }
}
