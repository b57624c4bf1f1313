#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! What an officer on a Windows desktop writes and sees: 民國 dates, files
//! saved as Big5 or UTF-16, a deadline in a year without holiday data, the
//! terminal (colours, width), short flags and an access.yaml given as the
//! submission. Each test runs the binary: the process is under test.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("agency-rules")
        .join(name)
}

fn read(name: &str, file: &str) -> String {
    fs::read_to_string(sample(name).join(file)).unwrap()
}

/// A copy of the sample `name` in `dir/sub`, its files changed by `edit`.
fn copy(dir: &Path, sub: &str, name: &str, edit: impl Fn(&str, String) -> Vec<u8>) -> PathBuf {
    let to = dir.join(sub);
    fs::create_dir_all(&to).unwrap();
    for file in ["access.yaml", "rules.md"] {
        fs::write(to.join(file), edit(file, read(name, file))).unwrap();
    }
    to
}

fn niacheck(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_niacheck"));
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("NIACHECK_LANG")
        .env_remove("NIACHECK_ISO_DATES")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    out
}

fn json(dir: &Path, path: &str) -> Value {
    let out = niacheck(
        &[
            "check",
            "-f",
            "json",
            "--as-of",
            "2026-11-27",
            "--lang",
            "en",
            path,
        ],
        dir,
        &[],
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The findings of a report, as (name, line, column), for comparing runs.
fn places(report: &Value) -> Vec<(String, u64, u64)> {
    report["submissions"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

const LABOR: &str = "ministry-labor-inspection";

#[test]
fn roc_dates_in_access_yaml_are_read_as_iso_with_one_notice() {
    let dir = tempfile::tempdir().unwrap();
    let original = read(LABOR, "access.yaml");
    assert!(original.contains("data_obtained_on: 2025-05-12"));
    assert!(original.contains("faxed_on: 2025-05-13"));
    copy(dir.path(), "iso", LABOR, |_, text| text.into_bytes());
    copy(dir.path(), "roc", LABOR, |file, text| {
        if file == "access.yaml" {
            text.replace(
                "data_obtained_on: 2025-05-12",
                "data_obtained_on: 民國114年5月12日",
            )
            .replace("faxed_on: 2025-05-13", "faxed_on: 114/05/13")
            .replace(
                "raised_on: 2025-05-13",
                "raised_on: 中華民國一一四年五月十三日",
            )
            .into_bytes()
        } else {
            text.into_bytes()
        }
    });
    let (iso, roc) = (json(dir.path(), "iso"), json(dir.path(), "roc"));
    let (a, b) = (&iso["submissions"][0], &roc["submissions"][0]);
    assert_eq!(a["verdict"], b["verdict"]);
    assert_eq!(places(&iso), places(&roc));
    assert!(a.get("notices").is_none(), "{a:#}");
    let notices = b["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "one notice for the file: {notices:#?}");
    let message = notices[0]["message"].as_str().unwrap();
    assert!(
        message.contains("`民國114年5月12日` was read as 2025-05-12")
            && message.contains("2 more dates"),
        "{message}"
    );
    assert_eq!(notices[0]["file"], "access.yaml");
    let line = roc_line(dir.path(), "民國114年5月12日");
    assert_eq!(notices[0]["line"].as_u64(), Some(line));

    // The human output shows the notice in zh-TW, once.
    let out = niacheck(&["check", "--as-of", "2026-11-27", "roc"], dir.path(), &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("已讀為 2025-05-12").count(), 1, "{text}");
}

fn roc_line(dir: &Path, needle: &str) -> u64 {
    let text = fs::read_to_string(dir.join("roc/access.yaml")).unwrap();
    let at = text.find(needle).unwrap();
    u64::try_from(text[..at].matches('\n').count() + 1).unwrap()
}

#[test]
fn an_impossible_or_ambiguous_date_is_an_error_showing_the_iso_form() {
    let dir = tempfile::tempdir().unwrap();
    for (sub, written, shown) in [
        ("impossible", "113/02/30", "2024-02-30"),
        ("ambiguous", "12/05/2025", "2025-05-12"),
        ("slashes", "2025/05/12", "write 2025-05-12"),
    ] {
        copy(dir.path(), sub, LABOR, |file, text| {
            if file == "access.yaml" {
                text.replace(
                    "data_obtained_on: 2025-05-12",
                    &format!("data_obtained_on: {written}"),
                )
                .into_bytes()
            } else {
                text.into_bytes()
            }
        });
        let report = json(dir.path(), sub);
        let s = &report["submissions"][0];
        assert_eq!(s["verdict"], "error", "{sub}: {s:#}");
        let error = &s["errors"][0];
        let said = format!("{} {}", error["message"], error["help"]);
        assert!(said.contains(shown), "{sub}: {said}");
        assert_eq!(error["file"], "access.yaml", "{sub}");
        assert!(error["line"].as_u64().is_some(), "{sub}");
    }
}

#[test]
fn as_of_in_roc_form_is_the_same_day_with_a_note() {
    let root = sample(LABOR);
    let cwd = root.parent().unwrap();
    let run = |as_of: &str| {
        niacheck(
            &[
                "check", "-f", "json", "--lang", "en", "--as-of", as_of, LABOR,
            ],
            cwd,
            &[],
        )
    };
    let (iso, roc) = (run("2026-11-27"), run("115/11/27"));
    assert_eq!(iso.stdout, roc.stdout);
    let note = String::from_utf8_lossy(&roc.stderr);
    assert!(note.contains("`115/11/27` read as 2026-11-27"), "{note}");
    assert!(String::from_utf8_lossy(&iso.stderr).is_empty());
    let bad = run("115/02/30");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("2026-02-30"));
}

#[test]
fn zh_tw_human_output_shows_roc_years_unless_iso_dates() {
    let dir = tempfile::tempdir().unwrap();
    // A certificate expired before the day judged: its finding names dates.
    let original = read(LABOR, "access.yaml");
    let expires = original
        .lines()
        .find_map(|l| l.trim().strip_prefix("expires_on: "))
        .unwrap()
        .to_owned();
    copy(dir.path(), "a", LABOR, |file, text| {
        if file == "access.yaml" {
            text.replacen(
                &format!("expires_on: {expires}"),
                "expires_on: 2026-01-31",
                1,
            )
            .into_bytes()
        } else {
            text.into_bytes()
        }
    });
    let args = ["check", "--as-of", "2026-11-27", "a"];
    let roc = niacheck(&args, dir.path(), &[]);
    let text = String::from_utf8_lossy(&roc.stdout);
    assert!(text.contains("2026-01-31（民國115年1月31日）"), "{text}");
    let iso = niacheck(&[&args[..], &["--iso-dates"]].concat(), dir.path(), &[]);
    let text = String::from_utf8_lossy(&iso.stdout);
    assert!(
        text.contains("2026-01-31") && !text.contains("民國115年"),
        "{text}"
    );
    let en = niacheck(&[&args[..], &["--lang", "en"]].concat(), dir.path(), &[]);
    assert!(!String::from_utf8_lossy(&en.stdout).contains("民國"));
}

#[test]
fn a_deadline_in_a_year_without_holiday_data_is_noted() {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), "old", LABOR, |file, text| {
        if file == "access.yaml" {
            text.replace("2025-05-12", "2019-12-20")
                .replace("2025-05-13", "2019-12-23")
                .replace("2025-05-15", "2019-12-24")
                .into_bytes()
        } else {
            text.into_bytes()
        }
    });
    let report = json(dir.path(), "old");
    let notices = report["submissions"][0]["notices"].as_array().unwrap();
    let messages: Vec<&str> = notices
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(
            |m| m.contains("`inquiry` deadline from 2019-12-20 reaches 2019")
                && m.contains("weekends only")
        ),
        "{messages:#?}"
    );
    assert!(notices.iter().all(|n| n["file"] == "access.yaml"));
    // The same inquiry in a covered year has no such notice.
    let report = json(sample(LABOR).parent().unwrap(), LABOR);
    assert!(report["submissions"][0].get("notices").is_none());
}

/// The rules document with a superseded law cited in its first section.
fn with_superseded_citation(text: &str) -> String {
    text.replacen(
        "## 二、",
        "依電腦處理個人資料保護法第七條辦理。\n\n## 二、",
        1,
    )
}

#[test]
fn big5_and_utf16_rules_are_read_and_findings_point_into_the_decoded_text() {
    let dir = tempfile::tempdir().unwrap();
    let name = "taipei-city-police";
    assert!(read(name, "rules.md").contains("## 二、"));
    copy(dir.path(), "utf8", name, |file, text| {
        if file == "rules.md" {
            with_superseded_citation(&text).into_bytes()
        } else {
            text.into_bytes()
        }
    });
    copy(dir.path(), "big5", name, |file, text| {
        if file == "rules.md" {
            let text = with_superseded_citation(&text);
            let (bytes, _, lossy) = encoding_rs::BIG5.encode(&text);
            assert!(!lossy, "the sample is Big5-encodable");
            bytes.into_owned()
        } else {
            text.into_bytes()
        }
    });
    copy(dir.path(), "utf16", name, |file, text| {
        if file == "rules.md" {
            let mut bytes = vec![0xFF, 0xFE];
            for unit in with_superseded_citation(&text).encode_utf16() {
                bytes.extend_from_slice(&unit.to_le_bytes());
            }
            bytes
        } else {
            text.into_bytes()
        }
    });
    let utf8 = json(dir.path(), "utf8");
    assert!(
        places(&utf8).iter().any(|p| p.0 == "superseded-law"),
        "{utf8:#}"
    );
    for (sub, encoding) in [("big5", "Big5"), ("utf16", "UTF-16LE")] {
        let report = json(dir.path(), sub);
        let s = &report["submissions"][0];
        assert_eq!(s["verdict"], utf8["submissions"][0]["verdict"], "{sub}");
        assert_eq!(
            places(&report),
            places(&utf8),
            "{sub}: same lines and columns"
        );
        let notice = s["notices"][0]["message"].as_str().unwrap();
        assert!(
            notice.contains(&format!("is {encoding}-encoded")),
            "{notice}"
        );
        // The snippet shows the decoded text.
        let out = niacheck(&["check", "--as-of", "2026-11-27", sub], dir.path(), &[]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("電腦處理個人資料保護法第七條"),
            "{sub}: {text}"
        );
        assert!(text.contains("記事本"), "{sub}: how to save as UTF-8");
    }
}

#[test]
fn fix_refuses_a_file_that_is_not_utf8_and_leaves_it_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let name = "taipei-city-police";
    let big5 = copy(dir.path(), "big5", name, |file, text| {
        if file == "rules.md" {
            let text = with_superseded_citation(&text);
            encoding_rs::BIG5.encode(&text).0.into_owned()
        } else {
            text.into_bytes()
        }
    });
    let before = fs::read(big5.join("rules.md")).unwrap();
    let out = niacheck(
        &[
            "check",
            "--fix",
            "--as-of",
            "2026-11-27",
            "--lang",
            "en",
            "big5",
        ],
        dir.path(),
        &[],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--fix does not rewrite") && stderr.contains("Big5-encoded"),
        "{stderr}"
    );
    assert_eq!(fs::read(big5.join("rules.md")).unwrap(), before);
    // The finding is still reported.
    assert!(String::from_utf8_lossy(&out.stdout).contains("superseded-law"));
}

#[test]
fn check_accepts_the_path_of_an_access_yaml() {
    let root = sample(LABOR);
    let cwd = root.parent().unwrap();
    let by_folder = json(cwd, LABOR);
    let by_file = json(cwd, &format!("{LABOR}/access.yaml"));
    assert_eq!(by_folder, by_file);
    assert_eq!(by_file["submissions"][0]["path"], LABOR);
    // In the submission folder itself.
    let here = json(&root, "access.yaml");
    assert_eq!(here["submissions"][0]["path"], ".");
    assert_eq!(
        here["submissions"][0]["verdict"],
        by_folder["submissions"][0]["verdict"]
    );
}

#[test]
fn short_flags_f_o_j() {
    let dir = tempfile::tempdir().unwrap();
    let root = sample(LABOR);
    let out_file = dir.path().join("report.json");
    let out = niacheck(
        &[
            "check",
            "-f",
            "json",
            "-o",
            out_file.to_str().unwrap(),
            "-j",
            "1",
            "--as-of",
            "2026-11-27",
            root.to_str().unwrap(),
        ],
        dir.path(),
        &[],
    );
    assert!(out.stdout.is_empty());
    let report: Value = serde_json::from_slice(&fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(report["submissions"].as_array().unwrap().len(), 1);
}

fn human(env: &[(&str, &str)], extra: &[&str]) -> String {
    let root = sample(LABOR);
    let cwd = root.parent().unwrap();
    let out = niacheck(
        &[
            &["check", "--as-of", "2026-11-27", "--lang", "en"],
            extra,
            &[LABOR],
        ]
        .concat(),
        cwd,
        env,
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn colours_follow_color_no_color_and_clicolor_force() {
    let esc = |text: &str| text.contains('\u{1b}');
    // Not a terminal: no colours unless forced.
    assert!(!esc(&human(&[], &[])));
    assert!(esc(&human(&[], &["--color", "always"])));
    assert!(esc(&human(&[("CLICOLOR_FORCE", "1")], &[])));
    assert!(!esc(&human(&[("CLICOLOR_FORCE", "0")], &[])));
    // NO_COLOR (non-empty) wins over CLICOLOR_FORCE; the flag wins over both.
    assert!(!esc(&human(
        &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
        &[]
    )));
    assert!(esc(&human(&[("NO_COLOR", "1")], &["--color", "always"])));
    assert!(!esc(&human(
        &[("CLICOLOR_FORCE", "1")],
        &["--color", "never"]
    )));
    // An empty NO_COLOR is no request.
    assert!(esc(&human(
        &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")],
        &[]
    )));
}

#[test]
fn the_width_follows_columns() {
    // Messages wrap at the width; source lines are shown as they are.
    let message_width = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("  ⚠") || l.starts_with("  │"))
            .map(unicode_width::UnicodeWidthStr::width)
            .max()
            .unwrap_or(0)
    };
    let narrow = human(&[("COLUMNS", "60")], &[]);
    let wide = human(&[("COLUMNS", "160")], &[]);
    assert!(message_width(&narrow) <= 60, "{narrow}");
    assert!(message_width(&wide) > 60, "{wide}");
    assert!(!narrow.contains("is article 5 paragraph 1"), "{narrow}");
    assert!(wide.contains("is article 5 paragraph 1"), "{wide}");
}
