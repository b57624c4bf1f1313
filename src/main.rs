//! The `niacheck` command: parse arguments, run, map the outcome to the
//! documented exit code (0 no error finding, 1 error findings, 2 usage or
//! unreadable input, or output that could not be written).

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal as _, Write};
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use clap::{Parser, Subcommand};
use niacheck::catalog::Version;
use niacheck::extract::log::{self, Moment};
use niacheck::privacy::Masker;
use niacheck::render::{self, Format, RenderOptions};
use niacheck::report::Summary;
use niacheck::{CheckOptions, Checker, Date, ExitStatus, Lang};

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
    /// Judge one access by the policies, as a usage-log record with result
    /// `success` is judged: allow (exit 0) or deny (exit 1), with every
    /// requirement that denies it.
    Authorize(AuthorizeArgs),
}

#[derive(Debug, clap::Args)]
struct AuthorizeArgs {
    /// The submission folder (holding access.yaml).
    dir: PathBuf,
    /// The personnel number (人員編號).
    #[arg(long, value_name = "ID")]
    user: String,
    /// The function (a data/functions.toml id, e.g. entry-exit-records).
    #[arg(long, value_name = "F")]
    function: String,
    /// The moment of the access: ISO 8601 with offset
    /// (2025-07-10T10:00:00+08:00), or a date YYYY-MM-DD (noon, Taiwan
    /// time); default now.
    #[arg(long, value_name = "DATETIME", value_parser = parse_at)]
    at: Option<Moment>,
    /// Output format.
    #[arg(long, default_value = "human", value_parser = format_parser())]
    format: Format,
    /// Regulation version; overrides access.yaml's own `regulation`.
    #[arg(long, value_parser = parse_version)]
    regulation: Option<Version>,
    /// Language of messages: zh-TW (default) or en.
    #[arg(long, env = "NIACHECK_LANG", value_parser = parse_lang, default_value = "zh-TW")]
    lang: Lang,
    /// Show personnel numbers unmasked.
    #[arg(long)]
    show_personal_data: bool,
}

/// `--at`: a time with offset, or a date read as noon Taiwan time.
fn parse_at(s: &str) -> Result<Moment, String> {
    if let Some(moment) = log::parse_time(s) {
        return Ok(moment);
    }
    Date::parse(s)
        .ok()
        .and_then(|d| log::parse_time(&format!("{d}T12:00:00+08:00")))
        .ok_or_else(|| {
            format!(
                "`{s}` is not a time with offset (2025-07-10T10:00:00+08:00) or a date (YYYY-MM-DD)"
            )
        })
}

/// What `check` and `migrate` share: inputs, output and language.
#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// Submission folders, or folders holding them.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, default_value = "human", value_parser = format_parser())]
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
    /// Parallel workers (default: all cores).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Show personnel numbers, certificate serials and ID numbers unmasked.
    #[arg(long)]
    show_personal_data: bool,
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
    /// Rewrite what can be fixed safely (superseded law citations in the
    /// rules document), then report what remains.
    #[arg(long)]
    fix: bool,
    /// With --fix: print the rewrite as a unified diff and change nothing
    /// (exit 1 if there is something to fix).
    #[arg(long, requires = "fix")]
    dry_run: bool,
}

/// `--format`: the names of [`Format::ALL`], parsed by the library.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.iter().map(|f| f.name()))
        .try_map(|name| name.parse::<Format>())
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

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Check(args) => check(&args),
        Command::Explain(args) => explain(&args),
        Command::Migrate(args) => migrate(&args),
        Command::Authorize(args) => authorize(&args),
    };
    status.into()
}

/// Report a problem of this run (not of a submission) on standard error.
fn fail(message: &str) -> ExitStatus {
    eprintln!("niacheck: {message}");
    ExitStatus::Failure
}

fn checker() -> Result<Checker, ExitStatus> {
    Checker::new().map_err(|e| fail(&e.to_string()))
}

impl ReportArgs {
    fn options(&self, regulation: Option<Version>) -> CheckOptions {
        CheckOptions {
            regulation,
            as_of: self.as_of.unwrap_or_else(Date::today),
            jobs: self
                .jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)),
            show_personal_data: self.show_personal_data,
        }
    }

    fn render_options(&self) -> RenderOptions {
        let to_terminal = self.output.is_none() && io::stdout().is_terminal();
        RenderOptions {
            lang: self.lang,
            color: to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            width: 100,
        }
    }

    /// Where the report goes: `--output FILE` or standard output. A file
    /// inside a checked submission is refused, so a report never
    /// overwrites what it reports on.
    fn open(&self) -> Result<Output, ExitStatus> {
        let Some(path) = &self.output else {
            return Ok(Output::Stdout(io::stdout().lock()));
        };
        if inside_submission(path, &self.paths) {
            return Err(fail(&format!(
                "refusing to write `{}`: it is inside a submission being checked; choose a file outside it",
                path.display()
            )));
        }
        File::create(path)
            .map(|f| Output::File(BufWriter::new(f)))
            .map_err(|e| fail(&format!("cannot write `{}`: {e}", path.display())))
    }
}

/// Whether `output` would lie in a submission folder (a folder holding
/// access.yaml) at or under one of `paths`.
fn inside_submission(output: &Path, paths: &[PathBuf]) -> bool {
    inside(output, paths).is_some()
}

fn inside(output: &Path, paths: &[PathBuf]) -> Option<PathBuf> {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty());
    let parent = std::fs::canonicalize(parent.unwrap_or(Path::new("."))).ok()?;
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    let mut dir = Some(parent.as_path());
    while let Some(d) = dir {
        let under_a_root = roots.iter().any(|r| d.starts_with(r));
        if !under_a_root {
            return None;
        }
        if d.join(niacheck::submission::ACCESS_FILE).is_file() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

/// The report's destination. A closed pipe (`niacheck … | head`) ends the
/// output quietly; any other write error is a failure.
enum Output {
    Stdout(io::StdoutLock<'static>),
    File(BufWriter<File>),
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Stdout(out) => out.write(buf),
            Self::File(out) => out.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Stdout(out) => out.flush(),
            Self::File(out) => out.flush(),
        }
    }
}

/// The outcome of writing: a closed pipe is not a failure.
fn written(result: io::Result<()>) -> ExitStatus {
    match result {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => {
            fail(&format!("cannot write the report: {err}"))
        }
        _ => ExitStatus::Clean,
    }
}

fn migrate(args: &MigrateArgs) -> ExitStatus {
    let checker = match checker() {
        Ok(checker) => checker,
        Err(status) => return status,
    };
    let options = args.report.options(None);
    let migrations = niacheck::migrate::migrate(&checker, &args.report.paths, &options);
    let mut out = match args.report.open() {
        Ok(out) => out,
        Err(status) => return status,
    };
    let result = render::migration::render(
        args.report.format,
        &migrations,
        args.report.render_options(),
        &mut out,
    )
    .and_then(|()| out.flush());
    written(result).worst(migrations.exit_status())
}

fn authorize(args: &AuthorizeArgs) -> ExitStatus {
    let checker = match checker() {
        Ok(checker) => checker,
        Err(status) => return status,
    };
    let lang = args.lang;
    let reference = checker.reference();
    if reference.function(&args.function).is_none() {
        let known: Vec<&str> = reference
            .functions()
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        return fail(&match lang {
            Lang::ZhTw => format!(
                "未知的作業功能 `{}`；可用的作業功能：{}",
                args.function,
                known.join("、")
            ),
            Lang::En => format!(
                "unknown function `{}`; NIA's functions: {}",
                args.function,
                known.join(", ")
            ),
        });
    }
    let read = match niacheck::pipeline::read(&checker, &args.dir) {
        Ok(read) => read,
        Err(error) => {
            let help = error
                .help
                .as_ref()
                .map(|h| format!("\n  {}", h.get(lang)))
                .unwrap_or_default();
            let file = error.file.as_deref().unwrap_or("");
            return fail(&format!(
                "{}/{file}: {}{help}",
                args.dir.display(),
                error.message.get(lang)
            ));
        }
    };
    let at = args.at.unwrap_or_else(Moment::now);
    let version = read.version(args.regulation);
    let decision = match niacheck::replay::authorize(
        &checker,
        version,
        &read.submitted(),
        &args.user,
        &args.function,
        at,
    ) {
        Ok(decision) => decision,
        Err(error) => return fail(&error.to_string()),
    };
    let mut personal = read.personal_values();
    personal.push(args.user.trim().to_owned());
    let masker = Masker {
        show: args.show_personal_data,
        values: &personal,
    };
    let options = RenderOptions {
        lang,
        color: false,
        width: 100,
    };
    let mut out = io::stdout().lock();
    let result = render::authorization::render(
        args.format,
        &args.dir.display().to_string(),
        &decision,
        masker,
        options,
        &mut out,
    )
    .and_then(|()| out.flush());
    let outcome = if decision.allowed() {
        ExitStatus::Clean
    } else {
        ExitStatus::Findings
    };
    written(result).worst(outcome)
}

fn explain(args: &ExplainArgs) -> ExitStatus {
    let checker = match checker() {
        Ok(checker) => checker,
        Err(status) => return status,
    };
    let text = match &args.name {
        None => niacheck::explain::catalogue(&checker, args.lang),
        Some(name) => match niacheck::explain::requirement(&checker, name) {
            Ok(text) => text,
            Err(message) => return fail(&message),
        },
    };
    let mut out = io::stdout().lock();
    written(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

fn check(args: &CheckArgs) -> ExitStatus {
    let checker = match checker() {
        Ok(checker) => checker,
        Err(status) => return status,
    };
    let options = args.report.options(args.regulation);
    if args.fix {
        if let Err(status) = fix(&checker, args, &options) {
            return status;
        }
        if args.dry_run {
            return ExitStatus::Clean;
        }
    }
    let mut out = match args.report.open() {
        Ok(out) => out,
        Err(status) => return status,
    };
    let run = options.run();
    let mut renderer = args.report.format.renderer(args.report.render_options());
    let mut summary = Summary::default();
    // Each submission is written as soon as it is judged; after a write
    // error the check goes on (its exit status still counts) but writes
    // nothing more.
    let mut result = renderer.start(&mut out, &run);
    checker.check_each(&args.report.paths, &options, |s| {
        summary.add(&s);
        if result.is_ok() {
            result = renderer.submission(&mut out, &run, &s);
        }
    });
    let result = result
        .and_then(|()| renderer.finish(&mut out, &run, &summary))
        .and_then(|()| out.flush());
    written(result).worst(summary.exit_status())
}

/// `--fix`: rewrite what the policies mark as fixable. With `--dry-run`,
/// print the diff instead, and fail with 1 when there is something to fix.
fn fix(checker: &Checker, args: &CheckArgs, options: &CheckOptions) -> Result<(), ExitStatus> {
    let report = checker.check_paths(&args.report.paths, options);
    let fixes = niacheck::fix::plan(&report);
    if args.dry_run {
        let diff: String = fixes
            .iter()
            .map(|f| {
                niacheck::fix::unified_diff(&f.path.display().to_string(), &f.original, &f.fixed)
            })
            .collect();
        let mut out = io::stdout().lock();
        let status = written(out.write_all(diff.as_bytes()).and_then(|()| out.flush()));
        return match status {
            ExitStatus::Clean if fixes.is_empty() => Ok(()),
            ExitStatus::Clean => Err(ExitStatus::Findings),
            other => Err(other),
        };
    }
    for fix in &fixes {
        if let Err(err) = std::fs::write(&fix.path, fix.fixed.as_bytes()) {
            return Err(fail(&format!(
                "cannot write `{}`: {err}",
                fix.path.display()
            )));
        }
        eprintln!(
            "niacheck: fixed {} citation(s) in {}",
            fix.count,
            fix.path.display()
        );
    }
    Ok(())
}
