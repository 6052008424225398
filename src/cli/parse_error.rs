//! clap's argument errors in the message language: each error kind clap
//! reports maps to a Fluent message (`locales/*/cli.ftl`), built from the
//! context clap attaches (the argument, the value, the suggestions). Kinds
//! without context keep clap's own text.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::{msg, t};

fn string(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        _ => None,
    }
}

fn strings(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    }
}

fn number(e: &clap::Error, kind: ContextKind) -> Option<isize> {
    match e.get(kind)? {
        ContextValue::Number(n) => Some(*n),
        _ => None,
    }
}

/// The message of a parse error, in the message language (`None` when the
/// kind carries no context to build one from).
fn message(e: &clap::Error) -> Option<String> {
    let arg = string(e, ContextKind::InvalidArg);
    let value = string(e, ContextKind::InvalidValue);
    let list = |items: &[String]| items.iter().map(|i| format!("\n  {i}")).collect::<String>();
    let text = match e.kind() {
        ErrorKind::UnknownArgument => t!("cli-error-unknown-argument", arg = arg?),
        ErrorKind::InvalidSubcommand => t!(
            "cli-error-unknown-subcommand",
            name = string(e, ContextKind::InvalidSubcommand)?
        ),
        ErrorKind::InvalidValue if value.as_deref() == Some("") => {
            t!("cli-error-value-missing", arg = arg?)
        }
        ErrorKind::InvalidValue => {
            let mut text = t!("cli-error-invalid-value", arg = arg?, value = value?);
            let valid = strings(e, ContextKind::ValidValue);
            if !valid.is_empty() {
                text.push_str(&format!(
                    "\n  {}",
                    t!("cli-error-possible-values", values = valid.join(", "))
                ));
            }
            text
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(e).map(ToString::to_string);
            match reason {
                Some(reason) => t!(
                    "cli-error-invalid-value-because",
                    arg = arg?,
                    value = value?,
                    reason = reason
                ),
                None => t!("cli-error-invalid-value", arg = arg?, value = value?),
            }
        }
        ErrorKind::NoEquals => t!("cli-error-no-equals", arg = arg?),
        ErrorKind::TooManyValues => t!("cli-error-too-many-values", arg = arg?, value = value?),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => t!(
            "cli-error-wrong-number",
            arg = arg?,
            expected = number(e, ContextKind::MinValues)
                .or_else(|| number(e, ContextKind::ExpectedNumValues))?
                as i64,
            actual = number(e, ContextKind::ActualNumValues)? as i64
        ),
        ErrorKind::ArgumentConflict => {
            let arg = arg.or_else(|| string(e, ContextKind::InvalidSubcommand))?;
            let prior = strings(e, ContextKind::PriorArg);
            match prior.as_slice() {
                [one] if *one == arg => t!("cli-error-repeated", arg = arg),
                [one] => t!("cli-error-conflict", arg = arg, other = one.as_str()),
                [] => t!("cli-error-conflict-any", arg = arg),
                many => t!("cli-error-conflict-many", arg = arg) + &list(many),
            }
        }
        ErrorKind::MissingRequiredArgument => {
            t!("cli-error-missing-required") + &list(&strings(e, ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand => {
            let mut text = t!(
                "cli-error-missing-subcommand",
                name = string(e, ContextKind::InvalidSubcommand)?
            );
            let valid = strings(e, ContextKind::ValidSubcommand);
            if !valid.is_empty() {
                text.push_str(&format!(
                    "\n  {}",
                    t!("cli-error-subcommands", values = valid.join(", "))
                ));
            }
            text
        }
        ErrorKind::InvalidUtf8 => t!("cli-error-invalid-utf8"),
        _ => return None,
    };
    Some(text)
}

/// Suggestions clap found ("a similar argument exists").
fn tips(e: &clap::Error) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, what) in [
        (ContextKind::SuggestedSubcommand, "subcommand"),
        (ContextKind::SuggestedArg, "argument"),
        (ContextKind::SuggestedValue, "value"),
    ] {
        for s in strings(e, kind) {
            out.push(t!("cli-error-tip-similar", kind = what, suggestion = s));
        }
    }
    // Free-form suggestions are English sentences; the two clap makes are
    // said again in the message language.
    let arg = string(e, ContextKind::InvalidArg).unwrap_or_default();
    for s in strings(e, ContextKind::Suggested) {
        if s.contains(&format!("-- {arg}")) {
            out.push(t!("cli-error-tip-dashdash", arg = arg.as_str()));
        } else if let Some(quoted) = s.split('\'').nth(1) {
            out.push(t!(
                "cli-error-tip-similar",
                kind = "argument",
                suggestion = quoted
            ));
        }
    }
    out
}

/// The whole report of a parse error, as clap lays it out: the message,
/// tips, the usage and where to learn more.
pub fn render(e: &clap::Error) -> String {
    let Some(message) = message(e) else {
        return e.render().to_string();
    };
    let mut out = format!("{}: {message}\n", t!("label-error"));
    for tip in tips(e) {
        out.push_str(&format!("  {tip}\n"));
    }
    if let Some(usage) = string(e, ContextKind::Usage) {
        // clap writes its own English "Usage:" heading.
        let body = usage
            .trim()
            .split_once(':')
            .map_or(usage.trim(), |(_, rest)| rest.trim_start());
        out.push_str(&format!("\n{} {body}\n", t!("cli-heading-usage")));
    }
    out.push_str(&format!(
        "\n{}\n",
        msg!("cli-error-more-info", help = "--help")
    ));
    out
}
