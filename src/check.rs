//! The driver: find the submissions under the paths given, run each one's
//! pipeline on a pool of workers, and hand the reports on in input order as
//! soon as each is ready. A panic while checking one submission becomes
//! that submission's internal error; it never loses the others, and a
//! report missing for any reason is an internal error, never an empty pass.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use crate::baseline::Baseline;
use crate::catalog::Version;
use crate::cedar::EvalError;
use crate::checker::Checker;
use crate::date::Date;
use crate::findings::Submitted;
use crate::pipeline::{self, Review};
use crate::report::{Finding, InputError, Report, Run, SubmissionReport};
use crate::submission::{self, Found};
use crate::waivers::Waivers;

/// Options of a check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Overrides each configuration's own `regulation`.
    pub regulation: Option<Version>,
    /// The date expiries and deadlines are judged on.
    pub as_of: Date,
    /// Parallel workers.
    pub jobs: usize,
    /// Show personal data unmasked.
    pub show_personal_data: bool,
    /// A central waivers file (`--waivers`).
    pub waivers: Option<Arc<Waivers>>,
    /// A baseline (`--baseline`): only findings not in it are reported.
    pub baseline: Option<Arc<Baseline>>,
}

impl CheckOptions {
    /// The options of a plain check as of `as_of`: each file's own version,
    /// one worker, personal data masked, no waivers file, no baseline.
    #[must_use]
    pub fn new(as_of: Date) -> Self {
        Self {
            regulation: None,
            as_of,
            jobs: 1,
            show_personal_data: false,
            waivers: None,
            baseline: None,
        }
    }

    /// What every report of this check shares.
    #[must_use]
    pub fn run(&self) -> Run {
        Run {
            regulation: self.regulation.unwrap_or(Version::Amended),
            as_of: self.as_of,
            show_personal_data: self.show_personal_data,
        }
    }
}

/// The text of a panic's payload.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_owned())
}

impl Checker {
    /// Check every submission under `paths` and collect the reports.
    #[must_use]
    pub fn check_paths(&self, paths: &[PathBuf], options: &CheckOptions) -> Report {
        let mut submissions = Vec::new();
        self.check_each(paths, options, |s| submissions.push(s));
        Report {
            run: options.run(),
            submissions,
        }
    }

    /// Check every submission under `paths`, giving each report to `sink`
    /// in input order (sorted by path) as soon as it and all before it are
    /// ready. At most a few reports per worker are held at once.
    pub fn check_each(
        &self,
        paths: &[PathBuf],
        options: &CheckOptions,
        sink: impl FnMut(SubmissionReport),
    ) {
        self.check_found_each(&submission::discover(paths), options, sink);
    }

    /// Check every item found (see [`submission::discover`]), giving each
    /// report to `sink` in their order as soon as it is ready.
    pub fn check_found_each(
        &self,
        found: &[Found],
        options: &CheckOptions,
        sink: impl FnMut(SubmissionReport),
    ) {
        run_ordered(
            found,
            options.jobs,
            |item| self.check_found(item, options),
            |item, detail| self.internal_error(found_path(item), options, detail),
            sink,
        );
    }

    /// One found item's report; a panic becomes its internal error.
    fn check_found(&self, item: &Found, options: &CheckOptions) -> SubmissionReport {
        match item {
            Found::Submission(path) => self.check_submission(path, options),
            Found::Problem(path, message) => pipeline::unreadable(
                self,
                &path.display().to_string(),
                options.regulation.unwrap_or(Version::Amended),
                InputError::not_a_submission(message.clone()),
            ),
        }
    }

    fn internal_error(
        &self,
        path: &Path,
        options: &CheckOptions,
        detail: &str,
    ) -> SubmissionReport {
        pipeline::unreadable(
            self,
            &path.display().to_string(),
            options.regulation.unwrap_or(Version::Amended),
            InputError::internal(detail),
        )
    }

    /// Check one submission folder.
    #[must_use]
    pub fn check_submission(&self, path: &Path, options: &CheckOptions) -> SubmissionReport {
        let review = Review {
            waivers: options.waivers.as_deref(),
            baseline: options.baseline.as_deref(),
        };
        pipeline::check_submission(self, path, options.regulation, options.as_of, review)
    }

    /// Let the policies of `version` judge a submission's facts.
    ///
    /// # Errors
    /// On any Cedar error: a defect, never a pass.
    pub fn judge(
        &self,
        version: Version,
        as_of: Date,
        submitted: &Submitted<'_>,
    ) -> Result<Vec<Finding>, EvalError> {
        pipeline::decide(self, version, as_of, submitted)
    }
}

fn found_path(item: &Found) -> &Path {
    match item {
        Found::Submission(path) | Found::Problem(path, _) => path,
    }
}

/// Run `work` over `items` on `jobs` workers and give each result to `sink`
/// in the order of `items`, as soon as it and all before it are ready. A
/// panic in `work` (or a result lost for any reason) gives `failed(item,
/// what)` instead: one bad item never loses the others.
pub fn run_ordered<I: Sync, T: Send>(
    items: &[I],
    jobs: usize,
    work: impl Fn(&I) -> T + Sync,
    failed: impl Fn(&I, &str) -> T + Sync,
    mut sink: impl FnMut(T),
) {
    let workers = jobs.clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    // Bounded: a slow sink holds the workers back instead of piling up.
    let (sender, receiver) = mpsc::sync_channel::<(usize, T)>(workers * 2);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, work, failed) = (&next, &work, &failed);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = catch_unwind(AssertUnwindSafe(|| work(item)))
                        .unwrap_or_else(|payload| failed(item, &panic_text(payload.as_ref())));
                    if sender.send((i, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let mut pending: BTreeMap<usize, T> = BTreeMap::new();
        let mut due = 0;
        for (i, result) in &receiver {
            pending.insert(i, result);
            while let Some(result) = pending.remove(&due) {
                sink(result);
                due += 1;
            }
        }
        // Every worker has stopped: whatever was not delivered is a defect,
        // reported as such for its item.
        for (i, item) in items.iter().enumerate().skip(due) {
            match pending.remove(&i) {
                Some(result) => sink(result),
                None => sink(failed(item, "the worker for this item stopped")),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::run_ordered;

    #[test]
    fn results_come_in_input_order_and_a_panic_stays_with_its_item() {
        let items: Vec<u32> = (0..50).collect();
        let mut seen = Vec::new();
        run_ordered(
            &items,
            4,
            |&i| {
                assert!(i != 7, "item seven fails");
                std::thread::sleep(std::time::Duration::from_micros(u64::from(50 - i)));
                i.to_string()
            },
            |&i, what| format!("{i}: {what}"),
            |r| seen.push(r),
        );
        assert_eq!(seen.len(), 50);
        assert_eq!(seen.get(7).map(String::as_str), Some("7: item seven fails"));
        assert_eq!(seen.last().map(String::as_str), Some("49"));
        assert!(
            seen.iter()
                .enumerate()
                .all(|(i, s)| s.starts_with(&i.to_string()))
        );
    }
}
