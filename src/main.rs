//! The `niacheck` command: parse arguments, run, map the outcome to the
//! documented exit code (0 no error finding, 1 error findings, 2 usage or
//! unreadable input, or output that could not be written).

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal as _, Write};
use std::path::{Path, PathBuf};

use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};
use niacheck::catalog::Version;
use niacheck::extract::log::{self, Moment};
use niacheck::privacy::Masker;
use niacheck::render::{self, Format, RenderOptions};
use std::sync::Arc;

use niacheck::baseline::Baseline;
use niacheck::report::{FailOn, InputError, Summary};
use niacheck::terminal::ColorChoice;
use niacheck::waivers::Waivers;
use niacheck::{CheckOptions, Checker, Date, ExitStatus, Lang, Localized, tr};

mod cli_help;

/// The command line. Every about and help text is in the message catalogue
/// (`[help]` of `data/i18n/*.toml`), set by `cli_help::localize` in the
/// language of the run; a new argument needs its text there.
#[derive(Debug, Parser)]
#[command(name = "niacheck", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Check(CheckArgs),
    Explain(ExplainArgs),
    Migrate(MigrateArgs),
    Report(ReportCmdArgs),
    Init(InitArgs),
    Authorize(AuthorizeArgs),
}

#[derive(Debug, clap::Args)]
struct ReportCmdArgs {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(short = 'o', long, value_name = "DIR")]
    out: PathBuf,
    #[arg(long, value_parser = parse_version)]
    regulation: Option<Version>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    as_of: Option<AsOf>,
    #[arg(long, env = "NIACHECK_LANG", value_parser = parse_lang, default_value = "zh-TW")]
    lang: Lang,
    #[arg(short = 'j', long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<usize>,
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    #[arg(long)]
    show_personal_data: bool,
    #[arg(long)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct AuthorizeArgs {
    dir: PathBuf,
    #[arg(long, value_name = "ID")]
    user: String,
    #[arg(long, value_name = "F")]
    function: String,
    #[arg(long, value_name = "DATETIME", value_parser = parse_at)]
    at: Option<Moment>,
    #[arg(short = 'f', long, default_value = "human", value_parser = format_parser())]
    format: Format,
    #[arg(long, value_parser = parse_version)]
    regulation: Option<Version>,
    #[arg(long, env = "NIACHECK_LANG", value_parser = parse_lang, default_value = "zh-TW")]
    lang: Lang,
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
        .ok_or_else(|| tr!("run.bad-at", value = s).get(run_lang()).to_owned())
}

/// `--as-of`: the date, and how it was written when that was not ISO.
#[derive(Debug, Clone)]
struct AsOf {
    date: Date,
    written: Option<String>,
}

fn parse_as_of(s: &str) -> Result<AsOf, String> {
    let (date, normalised) = Date::read(s).map_err(|e| e.text(run_lang()))?;
    Ok(AsOf {
        date,
        written: normalised.then(|| s.trim().to_owned()),
    })
}

/// The date of `--as-of` (default today); a 民國 date is noted, once, on
/// standard error with the ISO date it was read as.
fn as_of_date(as_of: Option<&AsOf>, lang: Lang) -> Date {
    let Some(as_of) = as_of else {
        return Date::today();
    };
    if let Some(written) = &as_of.written {
        let date = as_of.date;
        let note = tr!("run.as-of-read", written = written, date = date);
        eprintln!("niacheck: {}", note.get(lang));
    }
    as_of.date
}

/// What `check` and `migrate` share: inputs, output and language.
#[derive(Debug, clap::Args)]
struct ReportArgs {
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[arg(short = 'f', long, default_value = "human", value_parser = format_parser())]
    format: Format,
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    as_of: Option<AsOf>,
    #[arg(long, env = "NIACHECK_LANG", value_parser = parse_lang, default_value = "zh-TW")]
    lang: Lang,
    #[arg(short = 'j', long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<usize>,
    #[arg(long, value_name = "WHEN", default_value = "auto", value_parser = color_parser())]
    color: ColorChoice,
    #[arg(long, env = "NIACHECK_ISO_DATES")]
    iso_dates: bool,
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
    name: Option<String>,
    #[arg(long, env = "NIACHECK_LANG", value_parser = parse_lang, default_value = "zh-TW")]
    lang: Lang,
    #[arg(long, default_value = "human", value_parser = explain_format_parser())]
    format: niacheck::explain::Format,
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    dir: PathBuf,
    #[arg(long, value_name = "NAME")]
    agency: Option<String>,
    #[arg(long, value_name = "TIER", value_parser = PossibleValuesParser::new(niacheck::init::tiers()))]
    tier: Option<String>,
    #[arg(long, env = "NIACHECK_LANG", value_parser = parse_lang, default_value = "zh-TW")]
    lang: Lang,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    report: ReportArgs,
    #[arg(long, value_parser = parse_version)]
    regulation: Option<Version>,
    #[arg(long)]
    fix: bool,
    #[arg(long, requires = "fix")]
    dry_run: bool,
    #[arg(long, value_name = "LEVEL", default_value = "error", value_parser = fail_on_parser())]
    fail_on: FailOn,
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    #[arg(long)]
    sarif_include_pass: bool,
    #[arg(long)]
    quiet: bool,
}

/// `--format`: the names of [`Format::ALL`], parsed by the library.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.iter().map(|f| f.name()))
        .try_map(|name| name.parse::<Format>())
}

/// `--color`: the names of [`ColorChoice::NAMES`].
fn color_parser() -> impl clap::builder::TypedValueParser<Value = ColorChoice> {
    PossibleValuesParser::new(ColorChoice::NAMES).try_map(|name| {
        ColorChoice::parse(&name).ok_or_else(|| {
            tr!("run.bad-color", value = &name)
                .get(run_lang())
                .to_owned()
        })
    })
}

/// The paths given, each `…/access.yaml` replaced by its folder, so that
/// `check path/to/access.yaml` checks that submission.
fn submission_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .map(|p| {
            let is_access = p
                .file_name()
                .is_some_and(|n| n == niacheck::submission::ACCESS_FILE);
            if is_access && p.is_file() {
                match p.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
                    _ => PathBuf::from("."),
                }
            } else {
                p.clone()
            }
        })
        .collect()
}

/// `--fail-on`: the names of [`FailOn::ALL`].
fn fail_on_parser() -> impl clap::builder::TypedValueParser<Value = FailOn> {
    PossibleValuesParser::new(FailOn::ALL.iter().map(|(name, _)| *name)).try_map(|name| {
        FailOn::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                tr!("run.bad-level", value = &name)
                    .get(run_lang())
                    .to_owned()
            })
    })
}

/// `explain --format`: the names of [`niacheck::explain::Format::ALL`].
fn explain_format_parser() -> impl clap::builder::TypedValueParser<Value = niacheck::explain::Format>
{
    PossibleValuesParser::new(niacheck::explain::Format::ALL.iter().map(|f| f.name()))
        .try_map(|name| name.parse::<niacheck::explain::Format>())
}

fn parse_version(s: &str) -> Result<Version, String> {
    match s {
        "amended" => Ok(Version::Amended),
        "previous" => Ok(Version::Previous),
        _ => Err(tr!("run.bad-version", value = s).get(run_lang()).to_owned()),
    }
}

fn parse_jobs(s: &str) -> Result<usize, String> {
    s.parse::<usize>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| tr!("run.bad-jobs", value = s).get(run_lang()).to_owned())
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| tr!("run.bad-lang", value = s).get(run_lang()).to_owned())
}

fn main() -> std::process::ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let env = std::env::var("NIACHECK_LANG").ok();
    let lang = cli_help::language(&args, env.as_deref());
    let _ = LANG.set(lang);
    // Parsing needs no help texts: the command is put into the run's
    // language (a tenth of a single check's start-up) only when clap has
    // help, a version or an error to show.
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(_) => match cli_help::localize(Cli::command(), lang).try_get_matches_from(args) {
            Ok(matches) => matches,
            Err(err) => {
                let text = cli_help::error_text(&err, lang);
                let code = err.exit_code();
                let _ = if code == 0 {
                    write!(std::io::stdout(), "{text}")
                } else {
                    write!(std::io::stderr(), "{text}")
                };
                return std::process::ExitCode::from(u8::try_from(code).unwrap_or(2));
            }
        },
    };
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    match &mut cli.command {
        Command::Check(args) => args.report.paths = submission_paths(&args.report.paths),
        Command::Migrate(args) => args.report.paths = submission_paths(&args.report.paths),
        Command::Report(args) => args.paths = submission_paths(&args.paths),
        _ => {}
    }
    let status = match cli.command {
        Command::Check(args) => check(&args),
        Command::Explain(args) => explain(&args),
        Command::Migrate(args) => migrate(&args),
        Command::Report(args) => report(&args),
        Command::Init(args) => init(&args),
        Command::Authorize(args) => authorize(&args),
    };
    status.into()
}

/// Report a problem of this run (not of a submission) on standard error.
fn fail(message: &Localized) -> ExitStatus {
    fail_text(message.get(run_lang()))
}

/// [`fail`] for a text already in the language of the run.
fn fail_text(message: &str) -> ExitStatus {
    eprintln!("niacheck: {message}");
    ExitStatus::Failure
}

/// The language of the run, decided before clap parses (see
/// `cli_help::language`): the one `--lang` and `NIACHECK_LANG` give, so
/// that value parsers and [`fail`] speak it too.
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

fn run_lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// What could not be written (`path`), and why, from the error's kind.
fn cannot_write(path: &Path, err: &io::Error) -> ExitStatus {
    fail(&tr!(
        "run.cannot-write",
        path = path.display(),
        reason = niacheck::submission::os_write_reason(err)
    ))
}

/// The process's one checker. It lives until the process ends, so it is
/// never dropped: freeing its policies, automata and tables at exit is
/// work for nothing (about 4 M instructions, a tenth of a single check's
/// start-up on its thread).
fn checker() -> Result<&'static Checker, ExitStatus> {
    Checker::new()
        .map(|checker| &*Box::leak(Box::new(checker)))
        .map_err(|e| fail(&tr!("run.startup", detail = e)))
}

impl ReportArgs {
    fn options(&self, regulation: Option<Version>) -> CheckOptions {
        CheckOptions {
            regulation,
            as_of: as_of_date(self.as_of.as_ref(), self.lang),
            jobs: self
                .jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)),
            show_personal_data: self.show_personal_data,
            waivers: None,
            baseline: None,
        }
    }

    fn render_options(&self) -> RenderOptions {
        let to_terminal = self.output.is_none() && io::stdout().is_terminal();
        let var = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
        let terminal_width = to_terminal
            .then(|| terminal_size::terminal_size_of(io::stdout()))
            .flatten()
            .map(|(w, _)| w.0);
        RenderOptions {
            lang: self.lang,
            color: self.color.colors(
                to_terminal,
                var("NO_COLOR").as_deref(),
                var("CLICOLOR_FORCE").as_deref(),
            ),
            width: niacheck::terminal::width(var("COLUMNS").as_deref(), terminal_width),
            include_pass: false,
            quiet: false,
            roc_dates: !self.iso_dates,
        }
    }

    /// Where the report goes: `--output FILE` or standard output. A file
    /// inside a checked submission is refused, so a report never
    /// overwrites what it reports on.
    fn open(&self) -> Result<Output, ExitStatus> {
        let Some(path) = &self.output else {
            let out = io::stdout().lock();
            // On a terminal, each line as it is written; into a pipe or a
            // file, in large writes (a system call per 64 KiB, not per
            // line), still as the reports are ready.
            return Ok(if out.is_terminal() {
                Output::Stdout(out)
            } else {
                Output::Piped(BufWriter::with_capacity(OUTPUT_BUFFER, out))
            });
        };
        if inside_submission(path, &self.paths) {
            return Err(fail(&tr!("run.inside-submission", path = path.display())));
        }
        File::create(path)
            .map(|f| Output::File(BufWriter::with_capacity(OUTPUT_BUFFER, f)))
            .map_err(|e| cannot_write(path, &e))
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
    Piped(BufWriter<io::StdoutLock<'static>>),
    File(BufWriter<File>),
}

/// The bytes of a report written at once to a file or a pipe.
const OUTPUT_BUFFER: usize = 64 * 1024;

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Stdout(out) => out.write(buf),
            Self::Piped(out) => out.write(buf),
            Self::File(out) => out.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Stdout(out) => out.flush(),
            Self::Piped(out) => out.flush(),
            Self::File(out) => out.flush(),
        }
    }
}

/// The outcome of writing: a closed pipe is not a failure.
fn written(result: io::Result<()>) -> ExitStatus {
    match result {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => fail(&tr!(
            "run.cannot-write-report",
            reason = niacheck::submission::os_write_reason(&err)
        )),
        _ => ExitStatus::Clean,
    }
}

fn migrate(args: &MigrateArgs) -> ExitStatus {
    if !matches!(args.report.format, Format::Human | Format::Json) {
        return fail(&tr!(
            "run.human-or-json",
            command = "migrate",
            format = args.report.format.name()
        ));
    }
    let checker = match checker() {
        Ok(checker) => checker,
        Err(status) => return status,
    };
    let options = args.report.options(None);
    let migrations = niacheck::migrate::migrate(checker, &args.report.paths, &options);
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
    if !matches!(args.format, Format::Human | Format::Json) {
        return fail(&tr!(
            "run.human-or-json",
            command = "authorize",
            format = args.format.name()
        ));
    }
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
        return fail(&tr!(
            "run.unknown-function",
            name = &args.function,
            known = niacheck::i18n::list(&known)
        ));
    }
    let read = match niacheck::pipeline::read(checker, &args.dir) {
        Ok(read) => read,
        Err(unread) => {
            let Some(error) = unread.errors.first() else {
                return ExitStatus::Failure;
            };
            let help = error
                .help
                .as_ref()
                .map(|h| format!("\n  {}", h.get(lang)))
                .unwrap_or_default();
            let file = error.file.as_deref().unwrap_or("");
            return fail_text(&format!(
                "{}/{file}: {}{help}",
                args.dir.display(),
                error.message.get(lang)
            ));
        }
    };
    let at = args.at.unwrap_or_else(Moment::now);
    let version = read.version(args.regulation);
    let decision = match niacheck::replay::authorize(
        checker,
        version,
        &read.submitted(),
        &args.user,
        &args.function,
        at,
    ) {
        Ok(decision) => decision,
        Err(error) => return fail(&tr!("errors.internal", detail = error.0)),
    };
    let mut personal = read.personal_values();
    personal.push(args.user.trim().to_owned());
    let masker = Masker {
        show: args.show_personal_data,
        values: &personal,
    };
    let options = RenderOptions::new(lang);
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
    use niacheck::explain::{self, Format};
    let checker = match checker() {
        Ok(checker) => checker,
        Err(status) => return status,
    };
    let text = match (&args.name, args.format) {
        (None, Format::Human) => Ok(explain::catalogue(checker, args.lang)),
        (None, Format::Json) => Ok(explain::catalogue_json(checker)),
        (Some(name), Format::Human) => explain::requirement(checker, name),
        (Some(name), Format::Json) => explain::requirement_json(checker, name),
    };
    let text = match text {
        Ok(text) => text,
        Err(message) => return fail_text(message.get(args.lang)),
    };
    let mut out = io::stdout().lock();
    written(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

fn init(args: &InitArgs) -> ExitStatus {
    let options = niacheck::init::InitOptions {
        agency: args.agency.clone(),
        tier: args.tier.clone(),
        today: Date::today(),
    };
    match niacheck::init::init(&args.dir, &options) {
        Ok(files) => {
            let done = niacheck::init::done(&args.dir, &files);
            let mut out = io::stdout().lock();
            written(
                out.write_all(done.get(args.lang).as_bytes())
                    .and_then(|()| out.flush()),
            )
        }
        Err(err) => fail_text(err.message.get(args.lang)),
    }
}

fn check(args: &CheckArgs) -> ExitStatus {
    let checker = match checker() {
        Ok(checker) => checker,
        Err(status) => return status,
    };
    checker.preload(args.regulation.unwrap_or(Version::Amended));
    let mut options = args.report.options(args.regulation);
    match review(checker, args) {
        Ok((waivers, baseline)) => {
            options.waivers = waivers;
            options.baseline = baseline;
        }
        Err(status) => return status,
    }
    if args.fix {
        if let Err(status) = fix(checker, args, &options) {
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
    let mut render_options = args.report.render_options();
    render_options.include_pass = args.sarif_include_pass;
    render_options.quiet = args.quiet;
    let mut renderer = args.report.format.renderer(render_options);
    let mut summary = Summary::default();
    let mut baseline = args.write_baseline.as_ref().map(|_| Baseline::new());
    // In GitHub Actions, the annotations come with a Markdown summary of
    // the run for the job's page.
    let step_summary = (args.report.format == Format::Github)
        .then(|| std::env::var_os("GITHUB_STEP_SUMMARY"))
        .flatten()
        .filter(|p| !p.is_empty())
        .map(PathBuf::from);
    // Each submission is written as soon as it is judged; after a write
    // error the check goes on (its exit status still counts) but writes
    // nothing more.
    let mut result = renderer.start(&mut out, &run);
    checker.check_each(&args.report.paths, &options, |s| {
        summary.add(&s);
        if let Some(b) = baseline.as_mut() {
            b.record(&s);
        }
        if result.is_ok() {
            result = renderer.submission(&mut out, &run, &s);
        }
    });
    let result = result
        .and_then(|()| renderer.finish(&mut out, &run, &summary))
        .and_then(|()| out.flush());
    let mut status = written(result).worst(summary.exit_status_on(args.fail_on));
    if let Some(path) = step_summary {
        let mut text = Vec::new();
        let appended = render::markdown::summary_table(&mut text, &run, &summary, args.report.lang)
            .and_then(|()| {
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)
            })
            .and_then(|mut file| file.write_all(&text));
        if let Err(err) = appended {
            status = status.worst(cannot_write(&path, &err));
        }
    }
    if let (Some(path), Some(baseline)) = (&args.write_baseline, baseline)
        && let Err(err) = std::fs::write(path, baseline.to_json())
    {
        status = status.worst(cannot_write(path, &err));
    }
    status
}

/// The run's central waivers and baseline, read before any submission.
fn review(checker: &Checker, args: &CheckArgs) -> Result<Review, ExitStatus> {
    let waivers = match &args.waivers {
        None => None,
        Some(path) => {
            let name = path.display().to_string();
            let file = niacheck::submission::read_text(path, &name)
                .map_err(|e| report_input_error(&InputError::unreadable(&name, *e), args))?;
            let waivers = Waivers::parse(Arc::new(file), checker.catalog(), true)
                .map_err(|e| report_input_error(&e, args))?;
            Some(Arc::new(waivers))
        }
    };
    let baseline = match &args.baseline {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                fail(&tr!(
                    "run.cannot-read",
                    path = path.display(),
                    reason = niacheck::submission::os_reason(&e)
                ))
            })?;
            let baseline = Baseline::from_json(&text).map_err(|e| match e {
                niacheck::baseline::BaselineError::Syntax { line, column } => fail(&tr!(
                    "run.not-a-baseline",
                    path = path.display(),
                    line = line,
                    column = column
                )),
                niacheck::baseline::BaselineError::Recipe(found) => fail(&tr!(
                    "run.baseline-recipe",
                    path = path.display(),
                    found = found,
                    expected = niacheck::baseline::FINGERPRINT_VERSION
                )),
            })?;
            Some(Arc::new(baseline))
        }
    };
    Ok((waivers, baseline))
}

/// Central waivers and baseline.
type Review = (Option<Arc<Waivers>>, Option<Arc<Baseline>>);

/// An input error of the run itself (a central file), drawn as miette
/// draws the submissions' errors, on standard error.
fn report_input_error(error: &InputError, args: &CheckArgs) -> ExitStatus {
    let style = niacheck::diagnostic::Style {
        color: false,
        width: 100,
    };
    let masker = niacheck::privacy::Masker {
        show: args.report.show_personal_data,
        values: &[],
    };
    eprint!(
        "{}",
        niacheck::diagnostic::render_error(masker, ".", error, args.report.lang, style)
    );
    ExitStatus::Failure
}

/// `--fix`: rewrite what the policies mark as fixable. With `--dry-run`,
/// print the diff instead, and fail with 1 when there is something to fix.
fn fix(checker: &Checker, args: &CheckArgs, options: &CheckOptions) -> Result<(), ExitStatus> {
    let report = checker.check_paths(&args.report.paths, options);
    for (_, message) in niacheck::fix::refused(&report) {
        eprintln!("niacheck: {}", message.get(args.report.lang));
    }
    let fixes = niacheck::fix::plan(&report);
    for (path, count) in niacheck::fix::office_refusals(&report) {
        let message = niacheck::tr!("office.fix-refused", file = path.display(), count = count);
        eprintln!("{}", message.get(args.report.lang));
    }
    if args.dry_run {
        let diff: String = fixes.iter().map(|f| f.diff.as_str()).collect();
        let mut out = io::stdout().lock();
        let status = written(out.write_all(diff.as_bytes()).and_then(|()| out.flush()));
        return match status {
            ExitStatus::Clean if fixes.is_empty() => Ok(()),
            ExitStatus::Clean => Err(ExitStatus::Findings),
            other => Err(other),
        };
    }
    for fix in &fixes {
        if let Err(reason) = niacheck::fix::write(fix) {
            let message = tr!(
                "init.cannot-write",
                path = fix.path.display(),
                reason = reason
            );
            return Err(fail_text(message.get(args.report.lang)));
        }
        let line = niacheck::tr_n!("fix.fixed", fix.count, path = fix.path.display());
        eprintln!("niacheck: {}", line.get(args.report.lang));
    }
    Ok(())
}

fn report(args: &ReportCmdArgs) -> ExitStatus {
    let checker = match checker() {
        Ok(checker) => checker,
        Err(status) => return status,
    };
    checker.preload(args.regulation.unwrap_or(Version::Amended));
    if inside_submission(&args.out.join("index.html"), &args.paths) {
        return fail(&tr!(
            "run.report-inside-submission",
            path = args.out.display()
        ));
    }
    let mut options = CheckOptions {
        regulation: args.regulation,
        as_of: as_of_date(args.as_of.as_ref(), args.lang),
        jobs: args
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from)),
        show_personal_data: args.show_personal_data,
        ..CheckOptions::new(Date::today())
    };
    if let Some(path) = &args.waivers {
        let name = path.display().to_string();
        let masker = niacheck::privacy::Masker {
            show: args.show_personal_data,
            values: &[],
        };
        let shown = |e: &InputError| {
            let style = niacheck::diagnostic::Style {
                color: false,
                width: 100,
            };
            eprint!(
                "{}",
                niacheck::diagnostic::render_error(masker, ".", e, args.lang, style)
            );
            ExitStatus::Failure
        };
        let file = match niacheck::submission::read_text(path, &name) {
            Ok(file) => file,
            Err(e) => return shown(&InputError::unreadable(&name, *e)),
        };
        match Waivers::parse(Arc::new(file), checker.catalog(), true) {
            Ok(waivers) => options.waivers = Some(Arc::new(waivers)),
            Err(e) => return shown(&e),
        }
    }
    let bar = (!args.quiet && io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} {elapsed_precise} ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let result = niacheck::compliance::write(
        checker,
        &args.paths,
        &options,
        RenderOptions::new(args.lang),
        &args.out,
        |done, total| {
            if let Some(bar) = &bar {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(summary) => {
            let line = niacheck::tr_n!(
                "report.written",
                summary.submissions,
                pass = summary.pass,
                fail = summary.fail,
                error = summary.error,
                out = args.out.display()
            );
            let line = line.get(args.lang);
            eprintln!("{line}");
            summary.exit_status()
        }
        Err(err) => fail(&tr!(
            "run.cannot-write-report-into",
            path = args.out.display(),
            reason = niacheck::submission::os_write_reason(&err)
        )),
    }
}
