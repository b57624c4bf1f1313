//! `--help` in the language of the run: every text of the command tree
//! (about, each argument's help, clap's own headings, flags and the
//! `[default: …]` notes) comes from the message catalogue (`[help]`).
//!
//! The language must be known before clap parses, so it is read from the
//! arguments themselves (`--lang X` or `--lang=X`, before any `--`), else
//! from `NIACHECK_LANG`, else zh-TW: the same rule as the `--lang` option.

use std::ffi::OsString;

use clap::Command;
use niacheck::{Lang, Localized, i18n, tr};

/// The language of the run, read from the arguments before clap parses
/// them: `--lang X` / `--lang=X`, else `env` (`NIACHECK_LANG`), else
/// zh-TW. A value that is no language is skipped here (clap reports it).
pub fn language(args: &[OsString], env: Option<&str>) -> Lang {
    let mut from_args = None;
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let value = if word == "--lang" {
            words.next().map(|v| v.into_owned())
        } else {
            word.strip_prefix("--lang=").map(str::to_owned)
        };
        if let Some(lang) = value.as_deref().and_then(Lang::parse) {
            from_args = Some(lang);
        }
    }
    from_args
        .or_else(|| env.and_then(Lang::parse))
        .unwrap_or_default()
}

/// The about text of a command of the tree, by its name.
fn about(command: &str) -> Option<(Localized, Option<Localized>)> {
    Some(match command {
        "niacheck" => (tr!("help.about"), Some(tr!("help.long-about"))),
        "check" => (tr!("help.check"), None),
        "explain" => (tr!("help.explain"), None),
        "migrate" => (tr!("help.migrate"), None),
        "report" => (tr!("help.report"), None),
        "init" => (tr!("help.init"), None),
        "authorize" => (tr!("help.authorize"), None),
        _ => return None,
    })
}

/// The help of argument `id` of `command`.
fn arg_help(command: &str, id: &str) -> Option<Localized> {
    Some(match (command, id) {
        ("report", "paths") => tr!("help.report-paths"),
        ("report", "out") => tr!("help.report-out"),
        ("report", "lang") => tr!("help.report-lang"),
        ("report", "waivers") => tr!("help.report-waivers"),
        ("report", "quiet") => tr!("help.report-quiet"),
        ("explain", "name") => tr!("help.explain-name"),
        ("explain", "lang") => tr!("help.explain-lang"),
        ("explain", "format") => tr!("help.explain-format"),
        ("init", "dir") => tr!("help.init-dir"),
        ("init", "agency") => tr!("help.init-agency"),
        ("init", "tier") => tr!("help.init-tier"),
        ("authorize", "dir") => tr!("help.authorize-dir"),
        ("authorize", "user") => tr!("help.authorize-user"),
        ("authorize", "function") => tr!("help.authorize-function"),
        ("authorize", "at") => tr!("help.authorize-at"),
        ("authorize", "regulation") => tr!("help.authorize-regulation"),
        ("authorize", "show_personal_data") => tr!("help.authorize-show-personal-data"),
        (_, "paths") => tr!("help.paths"),
        (_, "format") => tr!("help.format"),
        (_, "output") => tr!("help.output"),
        (_, "as_of") => tr!("help.as-of"),
        (_, "lang") => tr!("help.lang"),
        (_, "jobs") => tr!("help.jobs"),
        (_, "color") => tr!("help.color"),
        (_, "iso_dates") => tr!("help.iso-dates"),
        (_, "show_personal_data") => tr!("help.show-personal-data"),
        (_, "regulation") => tr!("help.regulation"),
        (_, "fix") => tr!("help.fix"),
        (_, "dry_run") => tr!("help.dry-run"),
        (_, "fail_on") => tr!("help.fail-on"),
        (_, "waivers") => tr!("help.waivers"),
        (_, "baseline") => tr!("help.baseline"),
        (_, "write_baseline") => tr!("help.write-baseline"),
        (_, "sarif_include_pass") => tr!("help.sarif-include-pass"),
        (_, "quiet") => tr!("help.quiet"),
        _ => return None,
    })
}

/// `cmd` with every text in `lang`: its own and its subcommands' abouts
/// and argument help, clap's headings, the help and version flags, the
/// `help` subcommand, and the default, possible and environment values of
/// each argument written from the catalogue. The command is built.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    let mut cmd = texts(cmd, lang);
    cmd.build();
    builtins(cmd, lang)
}

/// The abouts and argument help written in the program (before clap adds
/// its own flags and the `help` subcommand, which copies the abouts).
fn texts(mut cmd: Command, lang: Lang) -> Command {
    let name = cmd.get_name().to_owned();
    if let Some((short, long)) = about(&name) {
        cmd = cmd.about(short.get(lang).to_owned());
        if let Some(long) = long {
            cmd = cmd.long_about(long.get(lang).to_owned());
        }
    }
    if name == "check" {
        cmd = cmd.after_help(tr!("help.check-after").get(lang).to_owned());
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        if let Some(help) = arg_help(&name, &id) {
            cmd = cmd.mut_arg(id, |a| a.help(help.get(lang).to_owned()));
        }
    }
    let subcommands: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for sub in subcommands {
        cmd = cmd.mut_subcommand(sub, |c| texts(c, lang));
    }
    cmd
}

/// What clap adds at build time, and what it writes around each
/// argument's help, in `lang`.
fn builtins(mut cmd: Command, lang: Lang) -> Command {
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        text_usage(lang)
    );
    cmd = cmd
        .help_template(template)
        .subcommand_help_heading(text_commands(lang));
    if cmd.get_name() == "help" {
        cmd = cmd.about(i18n::static_text(lang, "help.command-help"));
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(id.as_str(), |mut a| {
            match id.as_str() {
                "help" => {
                    let long = a.get_long_help().is_some();
                    a = if long {
                        a.help(text_help_more(lang))
                            .long_help(text_help_summary(lang))
                    } else {
                        a.help(text_help(lang))
                    };
                }
                "version" => a = a.help(text_version(lang)),
                "subcommand" => a = a.help(text_help_subcommand(lang)),
                _ => {}
            }
            let heading = if a.is_positional() {
                text_arguments(lang)
            } else {
                text_options(lang)
            };
            let notes = notes(&a, lang);
            a = a.help_heading(heading);
            if !notes.is_empty() {
                let help = a.get_help().map(ToString::to_string).unwrap_or_default();
                a = a
                    .help(format!("{help} {notes}"))
                    .hide_default_value(true)
                    .hide_possible_values(true)
                    .hide_env(true);
            }
            a
        });
    }
    let subcommands: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for sub in subcommands {
        cmd = cmd.mut_subcommand(sub, |c| builtins(c, lang));
    }
    cmd
}

/// `[default: …] [possible values: …] [env: …]` of an argument, from the
/// catalogue.
fn notes(arg: &clap::Arg, lang: Lang) -> String {
    let mut out = Vec::new();
    let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if takes_value && !possible.is_empty() {
        out.push(tr!("help.possible", values = i18n::list(&possible)));
    }
    if takes_value && !defaults.is_empty() {
        out.push(tr!("help.default", value = defaults.join(" ")));
    }
    if let Some(env) = arg.get_env() {
        out.push(tr!("help.env", name = env.to_string_lossy()));
    }
    out.iter()
        .map(|m| m.get(lang))
        .collect::<Vec<_>>()
        .join(" ")
}

fn text_usage(lang: Lang) -> &'static str {
    i18n::static_text(lang, "help.usage")
}
fn text_commands(lang: Lang) -> &'static str {
    i18n::static_text(lang, "help.commands")
}
fn text_arguments(lang: Lang) -> &'static str {
    i18n::static_text(lang, "help.arguments")
}
fn text_options(lang: Lang) -> &'static str {
    i18n::static_text(lang, "help.options")
}
fn text_help(lang: Lang) -> &'static str {
    i18n::static_text(lang, "help.flag-help")
}
fn text_help_more(lang: Lang) -> &'static str {
    i18n::static_text(lang, "help.flag-help-more")
}
fn text_help_summary(lang: Lang) -> &'static str {
    i18n::static_text(lang, "help.flag-help-summary")
}
fn text_version(lang: Lang) -> &'static str {
    i18n::static_text(lang, "help.flag-version")
}
fn text_help_subcommand(lang: Lang) -> &'static str {
    i18n::static_text(lang, "help.help-subcommand")
}

/// What clap has to say when it stops the parse: help and version as
/// they are (already in the run's language), and every usage error in the
/// run's language, written from clap's structured error (its kind and
/// context), never from its English text.
pub fn error_text(err: &clap::Error, lang: Lang) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};

    let plain = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join(" ")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let list = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let arg = plain(ContextKind::InvalidArg).unwrap_or_default();
    let value = plain(ContextKind::InvalidValue).unwrap_or_default();
    let mut lines = Vec::new();
    let message = match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return err.to_string(),
        ErrorKind::InvalidValue if value.is_empty() => {
            tr!("cli.value-required", arg = arg.as_str())
        }
        ErrorKind::InvalidValue => {
            let valid = list(ContextKind::ValidValue);
            if !valid.is_empty() {
                lines.push(tr!("cli.possible-values", values = i18n::list(&valid)));
            }
            tr!(
                "cli.invalid-value",
                arg = arg.as_str(),
                value = value.as_str()
            )
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(err)
                .map(ToString::to_string)
                .unwrap_or_default();
            tr!(
                "cli.bad-value",
                arg = arg.as_str(),
                value = value.as_str(),
                reason = reason
            )
        }
        ErrorKind::UnknownArgument => tr!("cli.unknown-argument", arg = arg.as_str()),
        ErrorKind::InvalidSubcommand => {
            let name = plain(ContextKind::InvalidSubcommand).unwrap_or_default();
            tr!("cli.unknown-command", name = name)
        }
        ErrorKind::MissingRequiredArgument => tr!(
            "cli.missing-argument",
            args = i18n::list(&list(ContextKind::InvalidArg))
        ),
        ErrorKind::MissingSubcommand => tr!("cli.missing-command"),
        ErrorKind::ArgumentConflict => {
            let prior = plain(ContextKind::PriorArg).unwrap_or_default();
            if prior == arg {
                tr!("cli.repeated", arg = arg.as_str())
            } else {
                tr!("cli.conflict", arg = arg.as_str(), prior = prior)
            }
        }
        ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues
        | ErrorKind::NoEquals => tr!("cli.value-count", arg = arg.as_str()),
        ErrorKind::InvalidUtf8 => tr!("cli.not-utf8"),
        _ => tr!("cli.other"),
    };
    for kind in [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        let suggested = list(kind);
        if !suggested.is_empty() {
            lines.push(tr!("cli.did-you-mean", what = i18n::list(&suggested)));
        }
    }
    let mut out = format!(
        "{}\n",
        tr!("cli.error", message = message.get(lang)).get(lang)
    );
    for line in lines {
        out.push_str(&format!("  {}\n", line.get(lang)));
    }
    // clap's usage line, after its fixed heading: the heading in the run's
    // language instead.
    if let Some(usage) = plain(ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage
            .split_once(' ')
            .filter(|(head, _)| head.ends_with(':'))
            .map_or(usage, |(_, rest)| rest.trim_start());
        out.push_str(&format!("\n{} {usage}\n", text_usage(lang)));
    }
    out.push_str(&format!("\n{}\n", tr!("cli.more").get(lang)));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic, reason = "tests fail loudly")]

    use clap::CommandFactory as _;

    use super::*;
    use crate::Cli;

    /// Every command of the tree with its path (`niacheck check`), each
    /// argument's help, and the command's about.
    fn texts(cmd: &Command, path: &str, out: &mut Vec<(String, Option<String>)>) {
        let about = cmd.get_about().map(ToString::to_string);
        out.push((format!("{path}: about"), about));
        for arg in cmd.get_arguments() {
            let help = arg.get_help().map(ToString::to_string);
            out.push((format!("{path} {}", arg.get_id()), help));
        }
        for sub in cmd.get_subcommands() {
            texts(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    fn tree(lang: Lang) -> Vec<(String, Option<String>)> {
        let mut out = Vec::new();
        texts(&localize(Cli::command(), lang), "niacheck", &mut out);
        out
    }

    #[test]
    fn every_argument_of_every_command_has_help_in_both_languages() {
        for lang in [Lang::ZhTw, Lang::En] {
            let texts = tree(lang);
            let missing: Vec<&String> = texts
                .iter()
                .filter(|(_, help)| help.as_deref().is_none_or(|h| h.trim().is_empty()))
                .map(|(path, _)| path)
                .collect();
            assert!(missing.is_empty(), "{lang:?}: no help for {missing:?}");
        }
    }

    #[test]
    fn zh_tw_help_is_chinese_everywhere() {
        let (zh, en) = (tree(Lang::ZhTw), tree(Lang::En));
        assert_eq!(zh.len(), en.len());
        assert!(zh.len() > 60, "the walk found only {} texts", zh.len());
        let chinese = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for ((path, zh_help), (en_path, en_help)) in zh.iter().zip(&en) {
            assert_eq!(path, en_path);
            let (zh_help, en_help) = (zh_help.as_deref().unwrap(), en_help.as_deref().unwrap());
            assert_ne!(
                zh_help, en_help,
                "{path}: the zh-TW help is the English one"
            );
            assert!(chinese(zh_help), "{path}: no Chinese in {zh_help:?}");
        }
    }

    #[test]
    fn clap_headings_and_notes_follow_the_language() {
        let render = |lang| {
            let mut cmd = localize(Cli::command(), lang);
            let check = cmd.find_subcommand_mut("check").unwrap();
            check.render_long_help().to_string()
        };
        let zh = render(Lang::ZhTw);
        for english in [
            "Usage:",
            "Options:",
            "Arguments:",
            "[default:",
            "[possible values:",
            "[env:",
            "Print help",
        ] {
            assert!(!zh.contains(english), "{english} in zh-TW help:\n{zh}");
        }
        for chinese in [
            "用法:",
            "選項:",
            "引數:",
            "［預設：human］",
            "［環境變數：NIACHECK_LANG］",
            "結束碼",
        ] {
            assert!(zh.contains(chinese), "{chinese} missing:\n{zh}");
        }
        let en = render(Lang::En);
        assert!(en.contains("[possible values: human, json, sarif"), "{en}");
        assert!(en.contains("Exit codes:"), "{en}");
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        let args = |words: &[&str]| -> Vec<OsString> {
            std::iter::once("niacheck")
                .chain(words.iter().copied())
                .map(OsString::from)
                .collect()
        };
        assert_eq!(language(&args(&["check", "-h"]), None), Lang::ZhTw);
        assert_eq!(language(&args(&["check", "-h"]), Some("en")), Lang::En);
        assert_eq!(
            language(&args(&["check", "--lang", "en", "-h"]), None),
            Lang::En
        );
        assert_eq!(
            language(&args(&["check", "--lang=en"]), Some("zh-TW")),
            Lang::En
        );
        assert_eq!(
            language(&args(&["check", "--lang", "zh-TW"]), Some("en")),
            Lang::ZhTw
        );
        // An unknown value falls back (clap reports it); after `--` is a path.
        assert_eq!(
            language(&args(&["check", "--lang", "fr"]), Some("en")),
            Lang::En
        );
        assert_eq!(
            language(&args(&["check", "--", "--lang", "en"]), None),
            Lang::ZhTw
        );
    }

    /// The parse error of `args` in `lang`, as the program prints it.
    fn error_of(args: &[&str], lang: Lang) -> String {
        let err = localize(Cli::command(), lang)
            .try_get_matches_from(args)
            .err()
            .unwrap();
        error_text(&err, lang)
    }

    #[test]
    fn usage_errors_are_in_the_language_of_the_run() {
        let cases: &[(&[&str], &str, &str)] = &[
            (&["niacheck", "check", "--bogus"], "--bogus", "--bogus"),
            (&["niacheck", "check", "--format", "xml"], "xml", "sarif"),
            (&["niacheck", "chek"], "chek", "check"),
            (&["niacheck", "check", "--as-of"], "--as-of", "--as-of"),
            (
                &["niacheck", "check", "--as-of", "2026-02-30"],
                "2026-02-30",
                "2026-02-30",
            ),
            (&["niacheck", "check", "--jobs", "x"], "x", "--jobs"),
            (
                &["niacheck", "check", "--quiet", "--quiet"],
                "--quiet",
                "--quiet",
            ),
            (&["niacheck", "report"], "--out", "--out"),
        ];
        // Words of clap's own English messages that must not reach a zh-TW
        // reader.
        let english = [
            "error:",
            "invalid",
            "unexpected",
            "Usage",
            "tip:",
            "found",
            "required",
            "information",
        ];
        for (args, first, second) in cases {
            let zh = error_of(args, Lang::ZhTw);
            assert!(zh.starts_with("錯誤："), "{args:?}: {zh}");
            for word in english {
                assert!(!zh.contains(word), "{args:?}: `{word}` in {zh}");
            }
            assert!(zh.contains(first) && zh.contains(second), "{args:?}: {zh}");
            assert!(zh.contains("niacheck --help"), "{args:?}: {zh}");
            let en = error_of(args, Lang::En);
            assert!(en.starts_with("error: "), "{args:?}: {en}");
            assert!(en.contains(first) && en.contains(second), "{args:?}: {en}");
            // A value parser's own reason follows the run's language, set
            // once per process (zh-TW in this test), so it is left out.
            let en = en
                .split_once("`: ")
                .map_or(en.as_str(), |(message, _)| message);
            assert!(
                !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{args:?}: {en}"
            );
        }
        // The suggestions are kept: a similar subcommand, a value to use.
        let unknown = error_of(&["niacheck", "chek"], Lang::ZhTw);
        assert!(
            unknown.contains("是否要寫 check？") && unknown.contains("用法: niacheck <COMMAND>"),
            "{unknown}"
        );
        let near = error_of(&["niacheck", "check", "--quite"], Lang::ZhTw);
        assert!(near.contains("是否要寫 --quiet？"), "{near}");
    }
}
