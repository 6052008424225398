//! `labrun.yaml`: where a content project keeps its pages and how labrun
//! treats them. Every key is optional; the defaults describe labrun's own
//! layout (`content/<locale>/…`, `manifests/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Severity;
use crate::error::Error;
use crate::limits::Seconds;
use crate::msg;
use crate::rules::{self, Policy};

pub const FILE_NAME: &str = "labrun.yaml";

/// How pages of the locales are laid out on disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// `<content>/<locale>/<path>`.
    #[default]
    LocaleDirs,
    /// Source pages under `<content>` (the docs dir), translations under
    /// `<i18n>/<locale>/docusaurus-plugin-content-docs/current/<path>`.
    Docusaurus,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Timeouts {
    /// Seconds a block may run when it has no `timeout=`.
    pub block: u64,
    /// Seconds a hook may run when its block has no `hookTimeout=`.
    pub hook: u64,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            block: 120,
            hook: 300,
        }
    }
}

/// What `prepare-environment <id>` does inside a run. `{id}` in a path is
/// replaced by the lab id; paths are relative to the project root.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct PrepareEnvironment {
    pub setup: String,
    pub cleanup: String,
    /// Commands every environment needs on PATH: checked before a run of a
    /// lab that prepares one, and again by the shell function.
    pub requires: Vec<String>,
    /// More requirements of some environments, by id or glob pattern
    /// (`networking/aks-*`): an Azure lab needs `az`, the others do not.
    pub environments: BTreeMap<String, EnvironmentConfig>,
    /// A file remembering the last prepared id between separate runs (so a
    /// later run cleans up after an earlier one); none by default.
    pub state: Option<String>,
}

impl Default for PrepareEnvironment {
    fn default() -> Self {
        PrepareEnvironment {
            setup: "manifests/modules/{id}/.workshop/setup.sh".into(),
            cleanup: "manifests/modules/{id}/.workshop/cleanup.sh".into(),
            requires: Vec::new(),
            environments: BTreeMap::new(),
            state: None,
        }
    }
}

impl PrepareEnvironment {
    /// The commands environment `id` needs: the common ones, then those of
    /// every `environments` entry whose pattern matches, without repeats.
    pub fn requires_for(&self, id: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let extra = self
            .environments
            .iter()
            .filter(|(pattern, _)| environment_pattern_matches(pattern, id))
            .flat_map(|(_, e)| e.requires.iter());
        for tool in self.requires.iter().chain(extra) {
            if !out.contains(tool) {
                out.push(tool.clone());
            }
        }
        out
    }
}

/// One entry of `prepare-environment.environments`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct EnvironmentConfig {
    /// Commands this environment needs on PATH besides the common ones.
    pub requires: Vec<String>,
}

/// Characters an environment pattern may hold: those of lab ids, and the
/// glob wildcards `*` and `?`. The shell function uses the same pattern in
/// a `case`, so nothing else may reach it.
fn valid_environment_pattern(pattern: &str) -> bool {
    !pattern.is_empty()
        && pattern
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_.-*?".contains(c))
}

/// Whether environment `id` matches `pattern` (`*` and `?` as in a shell
/// `case`, where `*` also matches `/`).
pub fn environment_pattern_matches(pattern: &str, id: &str) -> bool {
    glob::Pattern::new(pattern).is_ok_and(|p| p.matches(id))
}

/// A command name for `requires`: one word, no path, nothing the shell
/// would read specially.
fn valid_tool(tool: &str) -> bool {
    !tool.is_empty()
        && tool
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.+-".contains(c))
}

/// Settings of `labrun check`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct CheckConfig {
    /// Directive names that pages may use.
    pub directives: Vec<String>,
    /// Rules (ids, `area/*` or `*`) silenced for the whole project.
    pub disable: Vec<String>,
    /// Levels per rule (id, `area/*` or `*`): `error`, `warning` or `off`;
    /// the most specific pattern wins.
    pub levels: BTreeMap<String, LevelSetting>,
    /// Report pedantic rules (as warnings).
    pub pedantic: bool,
}

/// A level labrun.yaml may give a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LevelSetting {
    Error,
    Warning,
    Off,
}

impl CheckConfig {
    /// The verdict on every rule that these settings give (see
    /// [`crate::rules`]); `check.disable` wins over `check.levels`.
    pub fn policy(&self) -> Policy {
        let mut overrides: Vec<(String, Option<Severity>)> = self
            .levels
            .iter()
            .map(|(p, l)| {
                let s = match l {
                    LevelSetting::Error => Some(Severity::Error),
                    LevelSetting::Warning => Some(Severity::Warning),
                    LevelSetting::Off => None,
                };
                (p.clone(), s)
            })
            .filter(|(p, _)| !self.disable.contains(p))
            .collect();
        overrides.extend(self.disable.iter().map(|p| (p.clone(), None)));
        Policy {
            overrides,
            pedantic: self.pedantic,
        }
    }
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            directives: [
                "yaml",
                "required-time",
                "tip",
                "info",
                "note",
                "caution",
                "warning",
                "danger",
                "important",
                "details",
                "tabs",
                "tab",
                "video",
                "browser",
                "kustomization",
                "terminal",
            ]
            .map(String::from)
            .to_vec(),
            disable: Vec::new(),
            levels: BTreeMap::new(),
            pedantic: false,
        }
    }
}

/// Where `labrun drift` takes the source version a translation was made from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriftSource {
    /// The source hash recorded in the translation's front matter.
    #[default]
    Hash,
    /// Git history: the source as of the translation's last commit.
    Git,
    /// The recorded hash when it can be checked; git history for pages
    /// without one (or with Microsoft's `ms.openlocfilehash`).
    HashThenGit,
}

/// Settings of `labrun drift`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct DriftConfig {
    pub source: DriftSource,
}

/// Settings of `labrun render` and `labrun time`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct RenderConfig {
    /// Rewrites the start of a `::yaml` file path for its default title,
    /// e.g. `manifests/` → `~/environment/eks-workshop/`.
    pub title_prefix: BTreeMap<String, String>,
    /// How commands show `$LABRUN_ROOT` (the project root) to readers, who
    /// copy them into a shell where labrun set no variable. `None`: the
    /// project directory's name under the home directory (`~/<name>`).
    pub root: Option<String>,
    /// `::required-time` multiplies reading plus execution time by this
    /// (the workshop site's `factor`): room for typing and thinking.
    pub time_factor: f64,
}

impl Default for RenderConfig {
    fn default() -> Self {
        RenderConfig {
            title_prefix: BTreeMap::new(),
            root: None,
            time_factor: 1.0,
        }
    }
}

/// The workshop's title: one for every locale, or one per locale
/// (`title: {en: Networking, ja: ネットワーク}`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Title {
    One(String),
    PerLocale(BTreeMap<String, String>),
}

/// A front matter key that orders pages (`order-by` in labrun.yaml).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum OrderKey {
    /// Docusaurus: the order the site shows.
    #[serde(rename = "sidebar_position")]
    SidebarPosition,
    /// Hugo, and the order older workshop test tools run pages in.
    #[serde(rename = "weight")]
    Weight,
}

impl OrderKey {
    /// The front matter field.
    pub fn field(self) -> &'static str {
        match self {
            OrderKey::SidebarPosition => "sidebar_position",
            OrderKey::Weight => "weight",
        }
    }
}

/// The default `order-by`: the site's order, Hugo's where there is none.
pub const DEFAULT_ORDER: [OrderKey; 2] = [OrderKey::SidebarPosition, OrderKey::Weight];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    title: Option<Title>,
    content: Option<String>,
    #[serde(default)]
    exclude: Vec<String>,
    order_by: Option<Vec<OrderKey>>,
    layout: Option<Layout>,
    i18n: Option<String>,
    locales: Option<Vec<String>>,
    source_locale: Option<String>,
    manifests: Option<String>,
    #[serde(default)]
    variables: BTreeMap<String, String>,
    #[serde(default)]
    timeouts: Timeouts,
    durations: Option<String>,
    #[serde(default)]
    prepare_environment: PrepareEnvironment,
    #[serde(default)]
    check: CheckConfig,
    #[serde(default)]
    render: RenderConfig,
    #[serde(default)]
    drift: DriftConfig,
}

/// A project's configuration with every default applied. Paths are relative
/// to [`Config::root`] unless said otherwise.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The directory holding `labrun.yaml` (or the one labrun was started in).
    pub root: PathBuf,
    /// The workshop's title (`title:`), for the rendered site's home page.
    pub title: Option<Title>,
    /// The `labrun.yaml` that was read, if any.
    pub file: Option<PathBuf>,
    pub layout: Layout,
    /// `locale-dirs`: the directory holding one directory per locale.
    /// `docusaurus`: the docs directory of the source locale.
    pub content: PathBuf,
    /// `docusaurus` only: the i18n directory.
    pub i18n: PathBuf,
    /// Globs of files and directories under a locale root that are not
    /// pages (matched against the path relative to the locale root).
    pub exclude: Vec<glob::Pattern>,
    /// Front matter keys that order pages, first present wins.
    pub order_by: Vec<OrderKey>,
    pub locales: Vec<String>,
    pub source_locale: String,
    pub manifests: PathBuf,
    pub variables: BTreeMap<String, String>,
    pub timeouts: Timeouts,
    pub durations: PathBuf,
    pub prepare_environment: PrepareEnvironment,
    pub check: CheckConfig,
    pub render: RenderConfig,
    pub drift: DriftConfig,
}

impl Config {
    /// The defaults, rooted at `root` (a project without `labrun.yaml`).
    pub fn defaults(root: &Path) -> Config {
        Config::from_raw(root, None, empty_raw())
    }

    /// The workshop's title in `locale` (else in the source locale), when
    /// `labrun.yaml` gives one.
    pub fn title_in(&self, locale: &str) -> Option<&str> {
        match self.title.as_ref()? {
            Title::One(t) => Some(t.as_str()),
            Title::PerLocale(m) => m
                .get(locale)
                .or_else(|| m.get(&self.source_locale))
                .map(String::as_str),
        }
        .filter(|t| !t.trim().is_empty())
    }

    /// How commands show the project root to readers (`render.root`).
    pub fn shown_root(&self) -> String {
        match &self.render.root {
            Some(r) => r.trim_end_matches('/').to_owned(),
            None => {
                let name = self
                    .root
                    .file_name()
                    .map_or_else(|| "workshop".into(), |n| n.to_string_lossy());
                format!("~/{name}")
            }
        }
    }

    fn from_raw(root: &Path, file: Option<PathBuf>, raw: RawConfig) -> Config {
        let layout = raw.layout.unwrap_or_default();
        let default_content = match layout {
            Layout::LocaleDirs => "content",
            Layout::Docusaurus => "docs",
        };
        let locales = raw
            .locales
            .unwrap_or_else(|| vec!["en".into(), "ja".into()]);
        let source_locale = raw
            .source_locale
            .unwrap_or_else(|| locales.first().cloned().unwrap_or_else(|| "en".into()));
        Config {
            root: root.to_owned(),
            title: raw.title,
            file,
            layout,
            content: PathBuf::from(raw.content.as_deref().unwrap_or(default_content)),
            i18n: PathBuf::from(raw.i18n.as_deref().unwrap_or("i18n")),
            // Invalid globs are reported by `validate`, which reads the raw list.
            exclude: raw
                .exclude
                .iter()
                .filter_map(|g| glob::Pattern::new(g.trim_end_matches('/')).ok())
                .collect(),
            order_by: raw.order_by.unwrap_or_else(|| DEFAULT_ORDER.to_vec()),
            locales,
            source_locale,
            manifests: PathBuf::from(raw.manifests.as_deref().unwrap_or("manifests")),
            variables: raw.variables,
            timeouts: raw.timeouts,
            durations: PathBuf::from(raw.durations.as_deref().unwrap_or("test-durations.json")),
            prepare_environment: raw.prepare_environment,
            check: raw.check,
            render: raw.render,
            drift: raw.drift,
        }
    }

    /// Reads a `labrun.yaml`.
    pub fn load(file: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e))?;
        // `--config labrun.yaml` has the empty path as its parent; scripts
        // and hooks run elsewhere, so the root is made absolute.
        let parent = file.parent().filter(|p| !p.as_os_str().is_empty());
        let root = std::path::absolute(parent.unwrap_or(Path::new(".")))
            .map_err(|e| Error::io(file, e))?;
        Config::parse(&text, file, &root)
    }

    /// Parses configuration text; `file` names it in errors.
    pub fn parse(text: &str, file: &Path, root: &Path) -> Result<Config, Error> {
        // The YAML module's bounds first (nesting, alias bombs): serde-saphyr
        // recurses per level, and a configuration is content too.
        if let Err(e) = crate::yaml::parse_documents(text) {
            return Err(Error::Config {
                file: file.to_owned(),
                line: e.pos.line,
                col: e.pos.col,
                detail: e.message,
            });
        }
        let raw: RawConfig = if text.trim().is_empty() {
            empty_raw()
        } else {
            serde_saphyr::from_str(text).map_err(|e| {
                let (line, col) = e
                    .location()
                    .map_or((1, 1), |l| (l.line() as u32, l.column() as u32));
                Error::Config {
                    file: file.to_owned(),
                    line,
                    col,
                    detail: plain_message(&e),
                }
            })?
        };
        for g in &raw.exclude {
            if let Err(e) = glob::Pattern::new(g.trim_end_matches('/')) {
                return Err(Error::Config {
                    file: file.to_owned(),
                    line: line_containing(text, g, "exclude"),
                    col: 1,
                    detail: msg!("config-bad-exclude", glob = g.as_str(), detail = e.msg).text(),
                });
            }
        }
        let config = Config::from_raw(root, Some(file.to_owned()), raw);
        config.validate(text, file)?;
        Ok(config)
    }

    fn validate(&self, text: &str, file: &Path) -> Result<(), Error> {
        let line_of = |key: &str| line_of_key(text, key).unwrap_or(1);
        let fail = |key: &str, detail: String| Error::Config {
            file: file.to_owned(),
            line: line_of(key),
            col: 1,
            detail,
        };
        if self.locales.is_empty() {
            return Err(fail("locales", msg!("config-no-locales").text()));
        }
        // A locale is a directory name: `../x` or `/etc` would send every
        // command (and `drift stamp`'s writes) outside the project.
        for (key, locale) in self
            .locales
            .iter()
            .map(|l| ("locales", l))
            .chain([("source-locale", &self.source_locale)])
        {
            let ok = !locale.is_empty()
                && locale.len() <= 64
                && locale
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                return Err(fail(
                    key,
                    msg!("config-bad-locale", locale = locale.as_str()).text(),
                ));
            }
        }
        if !self.locales.contains(&self.source_locale) {
            return Err(fail(
                "source-locale",
                msg!(
                    "config-source-locale-unknown",
                    locale = self.source_locale.as_str(),
                    locales = self.locales.join(", ")
                )
                .text(),
            ));
        }
        for name in self.variables.keys() {
            if !is_variable_name(name) {
                return Err(fail(
                    "variables",
                    msg!("config-bad-variable", name = name.as_str()).text(),
                ));
            }
        }
        let check = &self.check;
        for pattern in check.disable.iter().chain(check.levels.keys()) {
            if !rules::is_known_pattern(pattern) {
                return Err(Error::Config {
                    file: file.to_owned(),
                    line: line_containing(text, pattern, "check"),
                    col: 1,
                    detail: match rules::suggest(pattern) {
                        Some(s) => msg!(
                            "config-unknown-rule-suggest",
                            rule = pattern,
                            suggestion = s
                        ),
                        None => msg!("config-unknown-rule", rule = pattern),
                    }
                    .text(),
                });
            }
        }
        let pe = &self.prepare_environment;
        for (pattern, env) in &pe.environments {
            if !valid_environment_pattern(pattern) {
                return Err(fail(
                    pattern,
                    msg!("config-bad-environment-pattern", pattern = pattern.as_str()).text(),
                ));
            }
            if let Some(tool) = env.requires.iter().find(|t| !valid_tool(t)) {
                return Err(fail(
                    pattern,
                    msg!("config-bad-tool", tool = tool.as_str()).text(),
                ));
            }
        }
        if let Some(tool) = pe.requires.iter().find(|t| !valid_tool(t)) {
            return Err(fail(
                "requires",
                msg!("config-bad-tool", tool = tool.as_str()).text(),
            ));
        }
        for (key, value) in [("block", self.timeouts.block), ("hook", self.timeouts.hook)] {
            if let Err(e) = Seconds::Timeout.check(value) {
                return Err(fail(
                    key,
                    msg!(
                        "config-out-of-range",
                        key = format!("timeouts.{key}"),
                        value = e.value,
                        expected = e.expected
                    )
                    .text(),
                ));
            }
        }
        let factor = self.render.time_factor;
        if !(factor > 0.0 && factor <= crate::limits::MAX_TIME_FACTOR) {
            return Err(fail(
                "time-factor",
                msg!("config-bad-time-factor", value = factor.to_string()).text(),
            ));
        }
        for (key, path) in [
            ("content", &self.content),
            ("manifests", &self.manifests),
            ("i18n", &self.i18n),
            ("durations", &self.durations),
        ] {
            if path.is_absolute()
                || path
                    .components()
                    .any(|c| c == std::path::Component::ParentDir)
            {
                return Err(fail(
                    key,
                    msg!(
                        "config-path-escapes",
                        key = key,
                        path = path.display().to_string()
                    )
                    .text(),
                ));
            }
        }
        Ok(())
    }

    /// Finds `labrun.yaml` in `start` or its ancestors; without one, the
    /// defaults rooted at `start`.
    pub fn discover(start: &Path) -> Result<Config, Error> {
        let mut dir = Some(start);
        while let Some(d) = dir {
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
            dir = d.parent();
        }
        Ok(Config::defaults(start))
    }

    /// The directory holding a locale's pages.
    pub fn locale_root(&self, locale: &str) -> PathBuf {
        match self.layout {
            Layout::LocaleDirs => self.root.join(&self.content).join(locale),
            Layout::Docusaurus if locale == self.source_locale => self.root.join(&self.content),
            Layout::Docusaurus => self
                .root
                .join(&self.i18n)
                .join(locale)
                .join("docusaurus-plugin-content-docs")
                .join("current"),
        }
    }

    /// The durations file, absolute.
    pub fn durations_file(&self) -> PathBuf {
        self.root.join(&self.durations)
    }
}

/// The first line that starts with `key:`.
fn line_of_key(text: &str, key: &str) -> Option<u32> {
    let prefix = format!("{key}:");
    text.lines()
        .position(|l| l.trim_start().starts_with(&prefix))
        .map(|i| i as u32 + 1)
}

/// The first line that holds `needle`, else the line of `key:`, else 1.
fn line_containing(text: &str, needle: &str, key: &str) -> u32 {
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i as u32 + 1)
        .or_else(|| line_of_key(text, key))
        .unwrap_or(1)
}

fn empty_raw() -> RawConfig {
    serde_saphyr::from_str("{}").expect("an empty mapping is a valid configuration")
}

/// The parser's message without its location: the diagnostic already
/// starts with `file:line:col`, so " at line 2, column 10" would say it twice.
fn plain_message(e: &serde_saphyr::Error) -> String {
    struct NoLocation;
    impl serde_saphyr::Localizer for NoLocation {
        fn attach_location<'a>(
            &self,
            base: std::borrow::Cow<'a, str>,
            _: serde_saphyr::Location,
        ) -> std::borrow::Cow<'a, str> {
            base
        }
    }
    let formatter = serde_saphyr::DefaultMessageFormatter.with_localizer(&NoLocation);
    let text = e.render_with_options(serde_saphyr::render_options! {
        formatter: &formatter,
        snippets: serde_saphyr::SnippetMode::Off,
    });
    let text = text.lines().next().unwrap_or("").trim();
    text.strip_prefix("error: ").unwrap_or(text).to_owned()
}

/// Replaces `VAR::NAME` placeholders whose name is known; unknown ones stay
/// as written (`check` and `run` report them from the model).
pub fn substitute_vars(text: &str, vars: &BTreeMap<String, String>) -> String {
    if !text.contains("VAR::") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("VAR::") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 5..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        match vars.get(&after[..len]) {
            Some(v) if len > 0 => out.push_str(v),
            _ => out.push_str(&rest[at..at + 5 + len]),
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// Whether `name` may name a `VAR::` variable: ASCII letters, digits and
/// `_`.
pub fn is_variable_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A `--var KEY=VALUE` argument: its key and value, when the key is a
/// variable name ([`is_variable_name`]).
pub fn variable_assignment(arg: &str) -> Option<(&str, &str)> {
    arg.split_once('=').filter(|(k, _)| is_variable_name(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        Config::parse(text, Path::new("/p/labrun.yaml"), Path::new("/p"))
    }

    fn config_error(text: &str) -> (u32, String) {
        match parse(text) {
            Err(Error::Config { line, detail, .. }) => (line, detail),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defaults_match_our_layout() {
        let c = parse("").unwrap();
        assert_eq!(c.layout, Layout::LocaleDirs);
        assert_eq!(c.locale_root("ja"), PathBuf::from("/p/content/ja"));
        assert_eq!(
            (c.source_locale.as_str(), c.timeouts.block, c.timeouts.hook),
            ("en", 120, 300)
        );
        assert_eq!(c.manifests, PathBuf::from("manifests"));
    }

    #[test]
    fn docusaurus_layout() {
        let c = parse(
            "layout: docusaurus\ncontent: website/docs\ni18n: website/i18n\nlocales: [en, ja]\n",
        )
        .unwrap();
        assert_eq!(c.locale_root("en"), PathBuf::from("/p/website/docs"));
        assert_eq!(
            c.locale_root("ja"),
            PathBuf::from("/p/website/i18n/ja/docusaurus-plugin-content-docs/current")
        );
    }

    #[test]
    fn every_key_parses() {
        let c = parse(
            "content: docs\nlayout: locale-dirs\nlocales: [en, ja, ko]\nsource-locale: en\nmanifests: m\nvariables:\n  REF: main\ntimeouts:\n  block: 60\n  hook: 30\ndurations: d.json\nprepare-environment:\n  setup: s/{id}.sh\n  cleanup: c/{id}.sh\n  requires: [kubectl]\n  state: .labrun/environment\ncheck:\n  directives: [yaml]\n  disable: [link/broken]\n  levels:\n    front-matter/*: error\n    link/broken-anchor: off\n  pedantic: true\nexclude: [templates, \"**/_drafts/**\"]\norder-by: [weight, sidebar_position]\nrender:\n  title-prefix:\n    manifests/: ~/environment/\n  root: ~/environment/ws/\n  time-factor: 1.5\ntitle: Workshop\n",
        )
        .unwrap();
        assert_eq!(c.title_in("ja"), Some("Workshop"));
        assert_eq!(c.shown_root(), "~/environment/ws");
        assert_eq!(c.variables["REF"], "main");
        assert_eq!((c.timeouts.block, c.timeouts.hook), (60, 30));
        assert_eq!(c.prepare_environment.requires, ["kubectl"]);
        assert_eq!(
            c.prepare_environment.state.as_deref(),
            Some(".labrun/environment")
        );
        assert_eq!(c.check.disable, ["link/broken"]);
        assert!(c.check.pedantic);
        assert_eq!(c.exclude.len(), 2);
        assert_eq!(c.order_by, [OrderKey::Weight, OrderKey::SidebarPosition]);
        let policy = c.check.policy();
        assert_eq!(policy.severity("link/broken", Severity::Error), None);
        assert_eq!(policy.severity("link/broken-anchor", Severity::Error), None);
        assert_eq!(
            policy.severity("front-matter/missing-title", Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(c.render.title_prefix["manifests/"], "~/environment/");
        assert_eq!(c.render.time_factor, 1.5);
        assert_eq!(parse("").unwrap().render.time_factor, 1.0);
        assert_eq!(parse("").unwrap().drift.source, DriftSource::Hash);
        for (text, source) in [
            ("hash", DriftSource::Hash),
            ("git", DriftSource::Git),
            ("hash-then-git", DriftSource::HashThenGit),
        ] {
            let c = parse(&format!("drift:\n  source: {text}\n")).unwrap();
            assert_eq!(c.drift.source, source);
        }
        assert_eq!(config_error("drift:\n  source: svn\n").0, 2);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_their_line() {
        let (line, detail) = config_error("content: c\n\ncontnet: x\n");
        assert_eq!(line, 3);
        assert!(detail.contains("contnet"), "{detail}");
        assert_eq!(config_error("timeouts:\n  block: soon\n").0, 2);
        assert_eq!(config_error("layout: hugo\n").0, 1);
        assert_eq!(config_error("locales: [en]\nsource-locale: ja\n").0, 2);
        assert_eq!(config_error("manifests: ../elsewhere\n").0, 1);
        assert_eq!(config_error("variables:\n  bad-name: x\n").0, 1);
        assert_eq!(config_error("render:\n  time-factor: 0\n").0, 2);
        let (line, detail) = config_error("check:\n  disable:\n    - link/brokn\n");
        assert_eq!(line, 3);
        assert!(detail.contains("link/broken"), "{detail}");
        assert_eq!(config_error("check:\n  levels:\n    nope/*: off\n").0, 3);
        assert_eq!(config_error("exclude: [\"a/[\"]\n").0, 1);
        assert_eq!(config_error("order-by: [position]\n").0, 1);
        assert_eq!(config_error("render:\n  time-factor: 1e308\n").0, 2);
        assert_eq!(config_error("render:\n  time-factor: .nan\n").0, 2);
        for bad in ["0", "604801", "18446744073709551615"] {
            let (line, detail) = config_error(&format!(
                "locales: [en]\ntimeouts:\n  hook: 5\n  block: {bad}\n"
            ));
            assert_eq!(line, 4, "{bad}");
            assert!(detail.contains("604800"), "{detail}");
        }
        assert_eq!(config_error("timeouts:\n  hook: 0\n").0, 2);
        for bad in ["../../x", "/etc", "en/../..", ".", "", "ja jp", "日本"] {
            let (line, detail) = config_error(&format!("content: c\nlocales: [en, {bad:?}]\n"));
            assert_eq!(line, 2, "{bad}");
            assert!(detail.contains("letters"), "{detail}");
        }
        assert!(parse("locales: [en, pt-BR, zh_Hant]\n").is_ok());
        let deep = format!("locales: [en]\nvariables:\n{}x\n", "- ".repeat(20_000));
        let (line, detail) = config_error(&deep);
        assert_eq!(line, 3);
        assert!(detail.contains("256"), "{detail}");
    }

    #[test]
    fn titles_per_locale_and_the_default_root() {
        let c = parse("locales: [en, ja, ko]\ntitle:\n  en: Labs\n  ja: ラボ\n").unwrap();
        assert_eq!(c.title_in("ja"), Some("ラボ"));
        assert_eq!(
            c.title_in("ko"),
            Some("Labs"),
            "falls back to the source locale"
        );
        assert_eq!(parse("").unwrap().title_in("en"), None);
        assert_eq!(parse("").unwrap().shown_root(), "~/p");
    }

    #[test]
    fn parse_errors_name_their_location_once() {
        // An unclosed sequence is found where the file ends.
        for (text, at) in [
            ("content: c\nlocales: [en\n", 3),
            ("content: c\nbogus: 1\n", 2),
            ("timeouts:\n  block: abc\n", 2),
        ] {
            let (line, detail) = config_error(text);
            assert_eq!(line, at, "{text}");
            assert!(
                !detail.contains("line") && !detail.contains("column"),
                "{detail}"
            );
            assert!(!detail.is_empty());
        }
    }

    #[test]
    fn variables_are_substituted_by_name() {
        let vars = BTreeMap::from([
            ("REF".to_owned(), "main".to_owned()),
            ("OWNER".to_owned(), "me".to_owned()),
        ]);
        assert_eq!(
            substitute_vars("x/VAR::OWNER/VAR::REF.", &vars),
            "x/me/main."
        );
        assert_eq!(
            substitute_vars("VAR::UNKNOWN and VAR:: alone", &vars),
            "VAR::UNKNOWN and VAR:: alone"
        );
        assert_eq!(substitute_vars("no placeholders", &vars), "no placeholders");
    }

    #[test]
    fn discovery_walks_up() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "manifests: yaml\n").unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        let c = Config::discover(&deep).unwrap();
        assert_eq!(c.root, dir.path());
        assert_eq!(c.manifests, PathBuf::from("yaml"));
        let none = tempfile::tempdir().unwrap();
        assert_eq!(Config::discover(none.path()).unwrap().file, None);
    }
}
