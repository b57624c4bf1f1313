//! The `niacheck` command: parse arguments, run, map the outcome to the
//! documented exit code (0 no error finding, 1 error findings, 2 usage or
//! unreadable input).

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use niacheck::catalog::Version;
use niacheck::render::{self, Format, RenderOptions};
use niacheck::{CheckOptions, Checker, Date, Lang};

/// Checks what a government agency submits to Taiwan's National Immigration
/// Agency to use entry/exit electronic data: the management rules document
/// (rules.md) and the access configuration (access.yaml).
///
/// Exit codes: 0 no finding of severity error; 1 at least one; 2 a usage
/// error, or an input that could not be read or parsed.
#[derive(Debug, Parser)]
#[command(name = "niacheck", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check submissions: each PATH a submission folder (holding access.yaml)
    /// or a folder searched recursively for them.
    Check(CheckArgs),
    /// Show the requirement catalogue, or one requirement: its text (zh-TW
    /// and en), its policies and examples.
    Explain(ExplainArgs),
    /// For submissions written for the previous text: exactly what must
    /// change to pass under the amended one.
    Migrate(MigrateArgs),
}

/// What `check` and `migrate` share: inputs, output and language.
#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// Submission folders, or folders holding them.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The date expiries and deadlines are judged on (YYYY-MM-DD; default today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = Date::parse)]
    as_of: Option<Date>,
    /// Language of messages: zh-TW (default) or en.
    #[arg(long, env = "NIACHECK_LANG", value_parser = parse_lang, default_value = "zh-TW")]
    lang: Lang,
}

#[derive(Debug, clap::Args)]
struct MigrateArgs {
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    /// A requirement's stable name (e.g. `pdpa-liability`); omit for the catalogue.
    name: Option<String>,
    /// Language of the catalogue's titles: zh-TW (default) or en.
    #[arg(long, env = "NIACHECK_LANG", value_parser = parse_lang, default_value = "zh-TW")]
    lang: Lang,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    report: ReportArgs,
    /// Regulation version; overrides each access.yaml's own `regulation`.
    #[arg(long, value_parser = parse_version)]
    regulation: Option<Version>,
    /// Parallel workers (default: all cores).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Show personnel numbers, certificate serials and ID numbers unmasked.
    #[arg(long)]
    show_personal_data: bool,
    /// Rewrite what can be fixed safely (superseded law citations in the
    /// rules document), then report what remains.
    #[arg(long)]
    fix: bool,
    /// With --fix: print the rewrite as a unified diff and change nothing
    /// (exit 1 if there is something to fix).
    #[arg(long, requires = "fix")]
    dry_run: bool,
}

fn parse_version(s: &str) -> Result<Version, String> {
    match s {
        "amended" => Ok(Version::Amended),
        "previous" => Ok(Version::Previous),
        _ => Err(format!(
            "`{s}` is not a regulation version; use `amended` or `previous`"
        )),
    }
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("`{s}` is not a supported language; use `zh-TW` or `en`"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Explain(args) => explain(&args),
        Command::Migrate(args) => migrate(&args),
    }
}

fn migrate(args: &MigrateArgs) -> ExitCode {
    let checker = match Checker::new() {
        Ok(checker) => checker,
        Err(err) => {
            eprintln!("niacheck: {err}");
            return ExitCode::from(2);
        }
    };
    let options = CheckOptions {
        regulation: None,
        as_of: args.report.as_of.unwrap_or_else(Date::today),
        jobs: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        show_personal_data: false,
    };
    let migrations = niacheck::migrate::migrate(&checker, &args.report.paths, &options);
    let text = match args.report.format {
        Format::Human => niacheck::migrate::render_human(&migrations, args.report.lang),
        Format::Json => niacheck::migrate::render_json(&migrations, args.report.lang),
    };
    let code = emit(args.report.output.as_deref(), &text);
    if code == ExitCode::SUCCESS {
        ExitCode::from(niacheck::migrate::exit_code(&migrations))
    } else {
        code
    }
}

fn explain(args: &ExplainArgs) -> ExitCode {
    let checker = match Checker::new() {
        Ok(checker) => checker,
        Err(err) => {
            eprintln!("niacheck: {err}");
            return ExitCode::from(2);
        }
    };
    let text = match &args.name {
        None => niacheck::explain::catalogue(&checker, args.lang),
        Some(name) => match niacheck::explain::requirement(&checker, name) {
            Ok(text) => text,
            Err(message) => {
                eprintln!("niacheck: {message}");
                return ExitCode::from(2);
            }
        },
    };
    write_stdout(&text)
}

/// Write a report to `output`, or to standard output when there is none.
fn emit(output: Option<&std::path::Path>, text: &str) -> ExitCode {
    match output {
        Some(path) => match std::fs::write(path, text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("niacheck: cannot write `{}`: {err}", path.display());
                ExitCode::from(2)
            }
        },
        None => write_stdout(text),
    }
}

/// Write to standard output; a closed pipe (`niacheck … | head`) is not a failure.
fn write_stdout(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            eprintln!("niacheck: cannot write: {err}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let checker = match Checker::new() {
        Ok(checker) => checker,
        Err(err) => {
            eprintln!("niacheck: {err}");
            return ExitCode::from(2);
        }
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    let options = CheckOptions {
        regulation: args.regulation,
        as_of: args.report.as_of.unwrap_or_else(Date::today),
        jobs,
        show_personal_data: args.show_personal_data,
    };
    let mut report = checker.check_paths(&args.report.paths, &options);
    if args.fix {
        let fixes = niacheck::fix::plan(&report);
        if args.dry_run {
            let diff: String = fixes.iter().map(|f| f.diff.as_str()).collect();
            return match write_stdout(&diff) {
                code if code != ExitCode::SUCCESS => code,
                _ if fixes.is_empty() => ExitCode::SUCCESS,
                _ => ExitCode::from(1),
            };
        }
        for fix in &fixes {
            if let Err(err) = niacheck::fix::write(fix) {
                eprintln!("niacheck: cannot write `{}`: {err}", fix.path.display());
                return ExitCode::from(2);
            }
            eprintln!(
                "niacheck: fixed {} citation(s) in {}",
                fix.count,
                fix.path.display()
            );
        }
        if !fixes.is_empty() {
            report = checker.check_paths(&args.report.paths, &options);
        }
    }
    let to_terminal = args.report.output.is_none() && std::io::stdout().is_terminal();
    let render_options = RenderOptions {
        lang: args.report.lang,
        color: to_terminal && std::env::var_os("NO_COLOR").is_none(),
        width: 100,
    };
    let text = match args.report.format {
        Format::Human => render::human::render(&report, render_options),
        Format::Json => render::json::render(&report, render_options),
    };
    let code = emit(args.report.output.as_deref(), &text);
    if code != ExitCode::SUCCESS {
        return code;
    }
    ExitCode::from(report.exit_code())
}
