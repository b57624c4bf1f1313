//! `cargo run --release --example gen-corpus -- N DIR`: write N realistic,
//! varied submissions into DIR (the corpus of `cargo bench --bench corpus`),
//! to try `niacheck check` or `niacheck report` on thousands of agencies.

#[path = "../benches/corpus/generate.rs"]
mod generate;

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(n), Some(dir)) = (args.next().and_then(|n| n.parse().ok()), args.next()) else {
        eprintln!("usage: cargo run --release --example gen-corpus -- N DIR");
        return std::process::ExitCode::from(2);
    };
    let written = generate::generate(std::path::Path::new(&dir), n);
    eprintln!("{} submissions written under {dir}", written.len());
    std::process::ExitCode::SUCCESS
}
