//! `cargo xtask ready`: exactly what CI runs before a change lands —
//! formatting, lints, the README's test command, and the check that the
//! generated schemas are fresh. One command, so nobody runs less than CI.

use std::process::{Command, ExitCode};

/// One step: a program and its arguments.
const READY: &[(&str, &[&str])] = &[
    ("cargo", &["fmt", "--all", "--check"]),
    (
        "cargo",
        &[
            "clippy",
            "--locked",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ),
    ("cargo", &["test", "--locked"]),
    ("git", &["diff", "--exit-code", "--", "schemas/"]),
];

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    match task.as_deref() {
        Some("ready") => ready(),
        _ => {
            eprintln!("usage: cargo xtask ready   (fmt, clippy, tests, schema freshness)");
            ExitCode::from(2)
        }
    }
}

fn ready() -> ExitCode {
    for (program, args) in READY {
        eprintln!("== {program} {}", args.join(" "));
        match Command::new(program).args(*args).status() {
            Ok(status) if status.success() => {}
            Ok(status) => {
                eprintln!("xtask: `{program} {}` failed ({status})", args.join(" "));
                return ExitCode::FAILURE;
            }
            Err(err) => {
                eprintln!("xtask: cannot run `{program}`: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    eprintln!("== ready");
    ExitCode::SUCCESS
}
