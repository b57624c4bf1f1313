//! `niacheck report`: NIA's periodic compliance report over every
//! submission under a folder, written as `index.html`, `report.md`,
//! `report.csv` and `report.json` in one pass. Each submission is rendered
//! into all four as soon as it is judged (in input order), so nothing is
//! held but a few rows of totals: memory stays flat however many agencies
//! there are. A submission that cannot be read is listed with its error;
//! every other one is still reported.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::check::CheckOptions;
use crate::checker::Checker;
use crate::render::csv::Csv;
use crate::render::html::Html;
use crate::render::json::Json;
use crate::render::markdown::Markdown;
use crate::render::{RenderOptions, Renderer};
use crate::report::Summary;
use crate::submission;

/// The files a report writes, in the folder given.
pub const FILES: [&str; 4] = ["index.html", "report.md", "report.csv", "report.json"];

/// Check every submission under `paths` and write the report files into
/// `dir` (created if needed). `progress(done, total)` is called after each
/// submission.
///
/// # Errors
/// When a report file cannot be written.
pub fn write(
    checker: &Checker,
    paths: &[PathBuf],
    options: &CheckOptions,
    render: RenderOptions,
    dir: &Path,
    mut progress: impl FnMut(usize, usize),
) -> io::Result<Summary> {
    fs::create_dir_all(dir)?;
    let found = submission::discover(paths);
    let total = found.len();
    let open = |name: &str| -> io::Result<BufWriter<File>> {
        Ok(BufWriter::new(File::create(dir.join(name))?))
    };
    let mut outputs: Vec<(Box<dyn Renderer>, BufWriter<File>)> = vec![
        (Box::new(Html::new(render, dir)?), open("index.html")?),
        (Box::new(Markdown::new(render)), open("report.md")?),
        (Box::new(Csv::new(render)), open("report.csv")?),
        (Box::new(Json::new(render)), open("report.json")?),
    ];
    let run = options.run();
    let mut summary = Summary::default();
    let mut result: io::Result<()> = outputs
        .iter_mut()
        .try_for_each(|(renderer, out)| renderer.start(out, &run));
    let mut done = 0;
    checker.check_found_each(&found, options, |s| {
        summary.add(&s);
        if result.is_ok() {
            result = outputs
                .iter_mut()
                .try_for_each(|(renderer, out)| renderer.submission(out, &run, &s));
        }
        done += 1;
        progress(done, total);
    });
    result?;
    for (mut renderer, mut out) in outputs {
        renderer.finish(&mut out, &run, &summary)?;
        out.flush()?;
    }
    Ok(summary)
}
